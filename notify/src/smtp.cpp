#include "zielwerk/notify/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace zielwerk::notify {
namespace {

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

// libcurl reads the message through this; it escapes lines that start with
// a dot and ends DATA itself.
std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->data->size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Delivery deliver(const SmtpServer& server, const std::string& envelope_from,
                 const std::vector<std::string>& recipients, const std::string& message) {
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return {DeliveryOutcome::temporary_failure, 0, "libcurl could not start"};
  const std::string scheme = server.tls == rules::SmtpTls::tls ? "smtps" : "smtp";
  const std::string url = scheme + "://" + server.host + ":" + std::to_string(server.port);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(nullptr, &curl_slist_free_all);
  for (const auto& address : recipients) {
    const std::string bracketed = "<" + address + ">";
    rcpt.reset(curl_slist_append(rcpt.release(), bracketed.c_str()));
  }
  const std::string from = "<" + envelope_from + ">";
  Upload upload{&message};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   server.tls == rules::SmtpTls::starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                          : static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(server.timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(server.timeout.count()));
  if (!server.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, server.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, server.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_message);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  const CURLcode code = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (code == CURLE_OK) return {DeliveryOutcome::accepted, reply, {}};
  const std::string detail = std::string(curl_easy_strerror(code)) +
                             (reply != 0 ? " (server replied " + std::to_string(reply) + ")" : "");
  const bool permanent = reply >= 500 && reply < 600;
  return {permanent ? DeliveryOutcome::permanent_failure : DeliveryOutcome::temporary_failure,
          reply, detail};
}

}  // namespace zielwerk::notify
