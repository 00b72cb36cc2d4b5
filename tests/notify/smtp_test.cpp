#include "zielwerk/notify/smtp.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "notify/parse_mail.h"
#include "test_support.h"
#include "zielwerk/notify/mime.h"

namespace zielwerk::notify {
namespace {

using testing::TempDir;

// tests/notify/smtp_sink.py on 127.0.0.1, a free port, writing what it
// accepts into a directory. Debian's aiosmtpd is a module of the system's
// Python, hence /usr/bin/python3 rather than whichever python3 is first on PATH.
class Sink {
 public:
  explicit Sink(const std::string& options = "") {
    const std::string command = "/usr/bin/python3 " +
                                (testing::source_dir() / "tests/notify/smtp_sink.py").string() +
                                " " + dir_.path().string() + " " + options;
    pipe_ = ::popen(command.c_str(), "r");
    std::array<char, 128> line{};
    // Blocks until the sink listens (it prints its port then), so no waiting on time.
    if (pipe_ == nullptr || std::fgets(line.data(), line.size(), pipe_) == nullptr) {
      ADD_FAILURE() << "the SMTP sink did not start: " << command;
      return;
    }
    std::istringstream in(line.data());
    std::string word;
    in >> word >> port_ >> word >> pid_;
  }
  ~Sink() { stop(); }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  // Ends the sink and waits for it, so its port is closed afterwards.
  void stop() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    pid_ = 0;
    if (pipe_ != nullptr) ::pclose(pipe_);
    pipe_ = nullptr;
  }

  SmtpServer server() const {
    SmtpServer s;
    s.host = "127.0.0.1";
    s.port = port_;
    s.tls = rules::SmtpTls::none;
    s.timeout = std::chrono::seconds{20};
    return s;
  }

  std::size_t received() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      n += entry.path().extension() == ".eml" ? 1 : 0;
    }
    return n;
  }
  std::string message(int n) const {
    return testing::read_file(dir_.path() / (std::to_string(n) + ".eml"));
  }
  nlohmann::json envelope(int n) const {
    return nlohmann::json::parse(testing::read_file(dir_.path() / (std::to_string(n) + ".json")));
  }

 private:
  TempDir dir_;
  FILE* pipe_ = nullptr;
  int port_ = 0;
  pid_t pid_ = 0;
};

std::string sample_message() {
  Message m;
  m.from = {"zielwerk", "zielwerk@jobcenter.example"};
  m.to = {{"Jana Groß", "jana@jobcenter.example"}, {"", "amir@ba.example"}};
  m.subject = "Ihre Maßnahmen – Zielvereinbarung 2025";
  m.message_id = make_message_id(5, "me-aktiv-2025");
  m.date = testing::at("2025-07-01T06:00:00Z");
  // A line of a lone dot would end DATA early if the transport did not escape it.
  m.text = "Guten Tag,\n.\nÜberfällig: Nr. 3\n";
  m.html = "<p>Überfällig</p>\n";
  return render_message(m);
}

TEST(Smtp, TheSinkReceivesTheMessageForEveryRecipient) {
  Sink sink;
  const std::string message = sample_message();
  const Delivery delivery = deliver(sink.server(), "zielwerk@jobcenter.example",
                                    {"jana@jobcenter.example", "amir@ba.example"}, message);
  EXPECT_EQ(delivery.outcome, DeliveryOutcome::accepted) << delivery.detail;
  EXPECT_EQ(delivery.smtp_code, 250);
  ASSERT_EQ(sink.received(), 1U);
  EXPECT_EQ(sink.envelope(1)["mail_from"], "zielwerk@jobcenter.example");
  EXPECT_EQ(sink.envelope(1)["rcpt_tos"],
            nlohmann::json::array({"jana@jobcenter.example", "amir@ba.example"}));
  EXPECT_EQ(sink.message(1), message);
  const auto parsed = parse_with_python(sink.message(1));
  EXPECT_EQ(parsed["subject"], "Ihre Maßnahmen – Zielvereinbarung 2025");
  EXPECT_EQ(parsed["parts"][1]["text"], "Guten Tag,\n.\nÜberfällig: Nr. 3\n");
}

TEST(Smtp, ARefusingServerIsATemporaryFailureAndTheNextTryGoesThrough) {
  Sink sink("--refuse 1");
  const std::string message = sample_message();
  const Delivery first =
      deliver(sink.server(), "zielwerk@jobcenter.example", {"jana@jobcenter.example"}, message);
  EXPECT_EQ(first.outcome, DeliveryOutcome::temporary_failure);
  EXPECT_EQ(first.smtp_code, 451);
  EXPECT_EQ(sink.received(), 0U);
  const Delivery second =
      deliver(sink.server(), "zielwerk@jobcenter.example", {"jana@jobcenter.example"}, message);
  EXPECT_EQ(second.outcome, DeliveryOutcome::accepted) << second.detail;
  EXPECT_EQ(sink.received(), 1U);
}

TEST(Smtp, ARejectingServerIsPermanent) {
  Sink sink("--reject");
  const Delivery delivery = deliver(sink.server(), "zielwerk@jobcenter.example",
                                    {"jana@jobcenter.example"}, sample_message());
  EXPECT_EQ(delivery.outcome, DeliveryOutcome::permanent_failure);
  EXPECT_EQ(delivery.smtp_code, 550);
  EXPECT_TRUE(testing::contains(delivery.detail, "550")) << delivery.detail;
  EXPECT_EQ(sink.received(), 0U);
}

TEST(Smtp, NoServerIsATemporaryFailure) {
  Sink sink;
  const SmtpServer server = sink.server();
  sink.stop();  // the port is closed now
  const Delivery delivery =
      deliver(server, "zielwerk@jobcenter.example", {"jana@jobcenter.example"}, sample_message());
  EXPECT_EQ(delivery.outcome, DeliveryOutcome::temporary_failure);
  EXPECT_FALSE(delivery.detail.empty());
}

TEST(Smtp, StarttlsIsRequiredWhenAsked) {
  Sink sink;  // offers no STARTTLS
  SmtpServer server = sink.server();
  server.tls = rules::SmtpTls::starttls;
  const Delivery delivery =
      deliver(server, "zielwerk@jobcenter.example", {"jana@jobcenter.example"}, sample_message());
  EXPECT_NE(delivery.outcome, DeliveryOutcome::accepted);
  EXPECT_EQ(sink.received(), 0U);
}

}  // namespace
}  // namespace zielwerk::notify
