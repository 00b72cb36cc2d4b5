// Hands one rendered message to an SMTP server (libcurl; the only file that
// includes it is smtp.cpp). One attempt, no retries: when to try again is the
// outbox's decision, so the clock stays out of here.
//
// `accepted` means the server answered DATA with 250: only then may the
// caller mark the message sent. A 5xx answer is permanent (the server will
// not take this message or a recipient); anything else (no connection, a
// TLS failure, a time-out, a 4xx answer) is temporary.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "zielwerk/rules/project_config.h"

namespace zielwerk::notify {

struct SmtpServer {
  std::string host;
  int port = 587;
  rules::SmtpTls tls = rules::SmtpTls::starttls;
  std::string user;      // empty: no AUTH
  std::string password;  // from smtp.password_file
  std::chrono::seconds timeout{60};
};

enum class DeliveryOutcome { accepted, temporary_failure, permanent_failure };

struct Delivery {
  DeliveryOutcome outcome = DeliveryOutcome::temporary_failure;
  long smtp_code = 0;  // the server's last reply code; 0 when it gave none
  std::string detail;  // what went wrong, for the log and `notify list`
};

// Sends `message` (CRLF lines, as render_message writes it; dot-stuffing is
// done here) from `envelope_from` to every address of `recipients`. Every
// recipient must be accepted, or nothing is sent.
Delivery deliver(const SmtpServer& server, const std::string& envelope_from,
                 const std::vector<std::string>& recipients, const std::string& message);

}  // namespace zielwerk::notify
