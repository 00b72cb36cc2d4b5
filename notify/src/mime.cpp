#include "zielwerk/notify/mime.h"

#include <array>
#include <chrono>
#include <cstdio>

#include "zielwerk/common/sha256.h"

namespace zielwerk::notify {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxLine = 76;
// RFC 2047: an encoded-word is at most 75 characters. 39 bytes of UTF-8 are
// 52 base64 characters, 64 with "=?UTF-8?B?" and "?=", so even the first word
// after "Subject: " keeps its line within 78.
constexpr std::size_t kWordBytes = 39;

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || (byte < 0x20 && c != '\t')) return false;
  }
  return true;
}

std::string base64(std::string_view data) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned value = (static_cast<unsigned char>(data[i]) << 16U) |
                           (static_cast<unsigned char>(data[i + 1]) << 8U) |
                           static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(value >> 18U) & 63U];
    out += kAlphabet[(value >> 12U) & 63U];
    out += kAlphabet[(value >> 6U) & 63U];
    out += kAlphabet[value & 63U];
  }
  if (i < data.size()) {
    unsigned value = static_cast<unsigned char>(data[i]) << 16U;
    if (i + 1 < data.size()) value |= static_cast<unsigned char>(data[i + 1]) << 8U;
    out += kAlphabet[(value >> 18U) & 63U];
    out += kAlphabet[(value >> 12U) & 63U];
    out += i + 1 < data.size() ? kAlphabet[(value >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray
// continuation byte, so broken text still advances).
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Encoded-words of at most kWordBytes bytes each, never splitting a character.
std::vector<std::string> encoded_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size()) {
      const std::size_t next = end + sequence_length(static_cast<unsigned char>(text[end]));
      if (next - start > kWordBytes) break;
      end = std::min(next, text.size());
    }
    words.push_back("=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=");
    start = end;
  }
  return words;
}

// Folds ASCII text at spaces so that lines stay within 78 characters where
// the words allow it (RFC 5322 2.2.3). `used` is what the line already holds.
std::string fold_ascii(std::string_view value, std::size_t used) {
  std::string out;
  std::size_t line = used;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t space = value.find(' ', start);
    const std::string_view word = value.substr(
        start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (start > 0) {
      if (line + 1 + word.size() > 78) {
        out += "\r\n ";
        line = 1;
      } else {
        out += ' ';
        ++line;
      }
    }
    out += word;
    line += word.size();
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return out;
}

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string boundary(const Message& message, std::string_view kind) {
  return "=_zielwerk_" + sha256_hex(message.message_id).substr(0, 24) + "_" + std::string(kind);
}

std::string text_part(std::string_view content_type, std::string_view body) {
  std::string out = "Content-Type: " + std::string(content_type) + "\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(body);
  return out;
}

std::string base64_part(std::string_view headers, std::string_view body) {
  std::string out(headers);
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(body);
  return out;
}

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (is_atext(c) && c != '%' && c != '\'' && c != '*') {
      out += c;
    } else {
      std::array<char, 4> hex{};
      std::snprintf(hex.data(), hex.size(), "%%%02X", static_cast<unsigned char>(c));
      out += hex.data();
    }
  }
  return out;
}

std::string attachment_part(const Attachment& attachment) {
  std::string disposition;
  if (is_ascii(attachment.file_name) &&
      attachment.file_name.find_first_of("\"\\") == std::string::npos) {
    disposition = "attachment; filename=\"" + attachment.file_name + "\"";
  } else {
    disposition = "attachment; filename*=UTF-8''" + percent_encoded(attachment.file_name);
  }
  return base64_part("Content-Type: " + attachment.content_type +
                         "\r\nContent-Disposition: " + disposition + "\r\n",
                     attachment.content);
}

std::string multipart(std::string_view subtype, const std::string& separator,
                      const std::vector<std::string>& parts) {
  std::string out = "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" +
                    separator + "\"\r\n\r\n";
  // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1), so
  // each part keeps its own last line break.
  for (const auto& part : parts)
    out += "--" + separator + "\r\n" + part + "\r\n";
  out += "--" + separator + "--\r\n";
  return out;
}

// A mailbox in a header line that already holds `used` characters, its
// address on a continuation line when the whole would pass 78.
std::string folded_mailbox(const Mailbox& mailbox, std::size_t used) {
  std::string text = format_mailbox(mailbox);
  if (used + text.size() > 78 && !mailbox.name.empty()) {
    const std::size_t angle = text.rfind(" <");
    text.replace(angle, 1, "\r\n");
    text.insert(angle + 2, " ");
  }
  return text;
}

}  // namespace

std::string encode_header(std::string_view name, std::string_view value) {
  const std::size_t used = name.size() + 2;
  if (is_ascii(value)) return fold_ascii(value, used);
  std::string out;
  const auto words = encoded_words(value);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += "\r\n ";
    out += words[i];
  }
  return out;
}

std::string format_mailbox(const Mailbox& mailbox) {
  if (mailbox.name.empty()) return "<" + mailbox.address + ">";
  std::string name;
  if (!is_ascii(mailbox.name)) {
    const auto words = encoded_words(mailbox.name);
    for (std::size_t i = 0; i < words.size(); ++i)
      name += (i > 0 ? " " : "") + words[i];
  } else {
    bool plain = true;
    for (const char c : mailbox.name)
      plain = plain && (is_atext(c) || c == ' ');
    if (plain) {
      name = mailbox.name;
    } else {
      name = "\"";
      for (const char c : mailbox.name) {
        if (c == '"' || c == '\\') name += '\\';
        name += c;
      }
      name += "\"";
    }
  }
  return name + " <" + mailbox.address + ">";
}

std::string format_mail_date(Timestamp time) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::seconds>(time - day)};
  std::array<char, 40> out{};
  std::snprintf(out.data(), out.size(), "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[std::chrono::weekday{day}.c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return out.data();
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::size_t length = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      const bool at_end = i + 1 == line.size();
      std::string token;
      if ((byte >= 33 && byte <= 126 && byte != '=') ||
          ((byte == ' ' || byte == '\t') && !at_end)) {
        token = std::string(1, line[i]);
      } else {
        std::array<char, 4> hex{};
        std::snprintf(hex.data(), hex.size(), "=%02X", byte);
        token = hex.data();
      }
      // A soft break ("=") must fit too; the last token may use the 76th column.
      const std::size_t limit = at_end ? kMaxLine : kMaxLine - 1;
      if (length + token.size() > limit) {
        out += "=\r\n";
        length = 0;
      }
      out += token;
      length += token.size();
    }
    out += kCrlf;
    start = end + 1;
  }
  return out;
}

std::string base64_lines(std::string_view data) {
  const std::string encoded = base64(data);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += kMaxLine) {
    out += encoded.substr(i, kMaxLine);
    out += kCrlf;
  }
  return out;
}

std::string make_message_id(long long outbox_entry, std::string_view agreement_id) {
  std::string agreement;
  for (const char c : agreement_id)
    agreement += (is_atext(c) || c == '.') ? c : '-';
  if (agreement.empty()) agreement = "agreement";
  return "outbox-" + std::to_string(outbox_entry) + "." + agreement + "@zielwerk";
}

std::string render_message(const Message& message) {
  std::string out;
  out += "From: " + folded_mailbox(message.from, 6) + "\r\n";
  std::string to;
  for (std::size_t i = 0; i < message.to.size(); ++i) {
    to += (i > 0 ? ",\r\n " : "") + folded_mailbox(message.to[i], i > 0 ? 1 : 4);
  }
  out += "To: " + to + "\r\n";
  out += "Subject: " + encode_header("Subject", message.subject) + "\r\n";
  out += "Date: " + format_mail_date(message.date) + "\r\n";
  out += "Message-ID: <" + message.message_id + ">\r\n";
  // RFC 3834: mail programs and servers must not answer automatically.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";

  std::vector<std::string> alternatives;
  alternatives.push_back(text_part("text/plain; charset=UTF-8", message.text));
  if (!message.html.empty()) {
    alternatives.push_back(text_part("text/html; charset=UTF-8", message.html));
  }
  if (message.calendar) {
    alternatives.push_back(base64_part(
        "Content-Type: text/calendar; charset=UTF-8; method=" + message.calendar->method + "\r\n",
        message.calendar->text));
  }
  std::string body = alternatives.size() == 1
                         ? alternatives.front()
                         : multipart("alternative", boundary(message, "alt"), alternatives);
  if (!message.attachments.empty()) {
    std::vector<std::string> parts = {body};
    for (const auto& attachment : message.attachments)
      parts.push_back(attachment_part(attachment));
    body = multipart("mixed", boundary(message, "mixed"), parts);
  }
  out += body;
  return out;
}

}  // namespace zielwerk::notify
