// A year of the example played through the command line, as the controlling
// team would: the figures arrive month by month, `run` prepares each review at
// its preparation time, the reviews record attendance and assessment, agree a
// measure where the agenda demands one, follow it up at each later review,
// see it escalated once it is overdue, and close. The agreement's last review
// (January 2026) shows the December JFW against every target.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_support.h"
#include "zielwerk/common/calendar.h"

namespace zielwerk::testing {
namespace {

using nlohmann::json;

class YearPlayTest : public ::testing::Test {
 protected:
  std::string data_options() const {
    return "--project " + kExample + " --db " + (dir_.path() / "zielwerk.db").string();
  }

  CliRun as(const std::string& actor, const std::string& command) {
    return zielwerk(command + " " + data_options() + " --actor " + actor);
  }

  json json_of(const std::string& command) {
    const auto run = zielwerk(command + " " + data_options() + " --format json");
    EXPECT_EQ(run.exit_code, 0) << command << "\n" << run.err;
    return run.exit_code == 0 ? json::parse(run.out) : json();
  }

  // The rows of one month of the 2025 delivery (semicolons, decimal comma,
  // BOM and CRLF as the original), as the statistics office sends them monthly.
  std::filesystem::path month_file(int month) {
    std::istringstream original(read_file(source_dir() / "examples/me-aktiv-2025/data/2025.csv"));
    std::string line;
    std::getline(original, line);
    std::string content = line + "\n";
    const std::string period = YearMonth(2025, month).to_string() + ";";
    while (std::getline(original, line)) {
      if (line.rfind(period, 0) == 0) content += line + "\n";
    }
    const auto path = dir_.path() / ("2025-" + std::to_string(month) + ".csv");
    write_file(path, content);
    return path;
  }

  void import(const std::string& files) {
    const auto run = as("controlling-jc", "import " + files);
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }

  TempDir dir_;
};

TEST_F(YearPlayTest, AYearOfReviewsMeasuresAndEscalations) {
  const std::string data = kExample + "/data/";
  import(data + "2023.csv " + data + "2024.csv");

  int months_imported = 0;
  std::string now = "2025-01-01T00:00";
  std::set<std::string> prepared;
  std::int64_t measure_id = 0;           // the measure the play follows
  std::string measure_review;            // where it was agreed
  std::vector<std::string> followed_in;  // reviews that followed it up
  bool escalated_on_agenda = false;
  std::map<std::string, int> demanded;  // goal -> how often a review demanded a measure

  for (int turn = 0; turn < 40; ++turn) {
    // The figures of a month arrive on the 2nd of the next month.
    const auto today = parse_date(now.substr(0, 10)).value();
    while (months_imported < 12) {
      const YearMonth next_month(2025, months_imported + 1);
      const auto arrival = next_month.plus_months(1).last_day().year() /
                           next_month.plus_months(1).last_day().month() / 2;
      if (today < arrival) break;
      ++months_imported;
      import(month_file(months_imported).string() +
             (months_imported == 6 ? " " + data + "korrektur-2025.csv" : ""));
    }

    const auto run =
        zielwerk("run " + data_options() + " --actor zielwerk-dienst --format json --now " + now);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json report = json::parse(run.out);
    for (const auto& step : report["steps"]) {
      ASSERT_NE(step["kind"], "review_missed") << step.dump();
      if (step["kind"] != "review_prepared") continue;
      const std::string id = step["subject"];
      ASSERT_TRUE(prepared.insert(id).second) << id << " prepared twice";

      // The meeting: what the agenda asks for, then the minutes.
      const json review = json_of("review show " + id);
      ASSERT_FALSE(review["agenda"]["late"].get<bool>()) << id;
      const std::string workflow = review["agenda"]["workflow"];
      const std::string meeting_date = review["agenda"]["meeting_date"];
      std::string demand_args;
      for (const auto& escalation : review["agenda"]["escalations"]) {
        if (escalation["measure"].is_number() && escalation["measure"] == measure_id) {
          EXPECT_EQ(escalation["kind"], "measure_overdue");
          EXPECT_EQ(escalation["party"], "agentur");
          escalated_on_agenda = true;
        }
        if (escalation["kind"] != "measure_demanded") continue;
        const std::string goal = escalation["goal"];
        ++demanded[goal];
        if (measure_id == 0 && workflow == "ba-zielnachhaltedialog") {
          // Closing is refused while the demand is open.
          const auto refused = as("controlling-jc", "review close " + id);
          EXPECT_EQ(refused.exit_code, 2);
          EXPECT_NE(refused.err.find(goal), std::string::npos) << refused.err;
          // Due a month after the meeting: it will be late.
          const auto due = parse_date(meeting_date).value();
          const auto added =
              as("controlling-jc", "measure add --review " + id + " --goal " + goal +
                                       " --title 'Aktivierung von Frauen in Teilzeit' --owner "
                                       "jobcenter --assignee 'Teamleitung Markt und Integration' "
                                       "--due " +
                                       format_date(std::chrono::year_month_day(
                                           std::chrono::sys_days(due) + std::chrono::days(30))));
          ASSERT_EQ(added.exit_code, 0) << added.err;
          const json measures = json_of("measure list --goal " + goal)["measures"];
          ASSERT_EQ(measures.size(), 1U);
          measure_id = measures[0]["id"];
          measure_review = id;
        } else {
          demand_args += " --no-measure '" + goal +
                         "=Bereits in der Zielplanung berücksichtigt; Entwicklung abwarten'";
        }
      }
      // Follow up every open measure on the agenda; the play's measure runs
      // late and is done in the October review.
      for (const auto& measure : review["agenda"]["measures"]) {
        const std::int64_t id_on_agenda = measure["id"];
        const bool finish = id.find("/2025-09") != std::string::npos;
        const auto updated =
            as("controlling-jc", "measure update " + std::to_string(id_on_agenda) + " --review " +
                                     id + " --note 'Bericht in der Sitzung'" +
                                     (finish ? " --status done" : " --status in_progress"));
        ASSERT_EQ(updated.exit_code, 0) << updated.err;
        if (id_on_agenda == measure_id) followed_in.push_back(id);
      }
      const auto recorded =
          as("controlling-jc",
             "review record " + id + " --attended " +
                 review["agenda"]["participants"][0].get<std::string>() +
                 " --attended jobcenter --assessment 'Gemeinsame Einschätzung: Entwicklung wie "
                 "berichtet' --external-conditions 'Arbeitsmarkt im Kreis leicht rückläufig'" +
                 demand_args);
      ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
      const auto closed = as("controlling-jc", "review close " + id);
      ASSERT_EQ(closed.exit_code, 0) << id << "\n" << closed.err;
    }
    if (report["next_preparation"].is_null()) break;
    // The next step: the next preparation time, in UTC as the run reports it.
    now = report["next_preparation"].get<std::string>();
  }

  std::cout << "[ year play ] measure " << measure_id << " agreed in " << measure_review
            << ", followed up in " << followed_in.size() << " reviews; demanded:";
  for (const auto& [goal, count] : demanded)
    std::cout << ' ' << goal << " x" << count;
  std::cout << '\n';

  // A year of changes verifies: the chain, and every table against its records.
  const auto verified = zielwerk("audit verify " + data_options());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  // Every meeting of the agreement was prepared once: 12 BA and 4 municipal.
  EXPECT_EQ(prepared.size(), 16U);
  const json reviews = json_of("review list")["reviews"];
  ASSERT_EQ(reviews.size(), 16U);
  for (const auto& review : reviews)
    EXPECT_EQ(review["state"], "closed") << review.dump();

  // The measure: agreed, followed up in each later BA review until done,
  // escalated when overdue.
  ASSERT_NE(measure_id, 0) << "no review demanded a measure";
  EXPECT_TRUE(escalated_on_agenda);
  const json measures = json_of("measure list")["measures"];
  ASSERT_EQ(measures.size(), 1U);
  EXPECT_EQ(measures[0]["status"], "done");
  EXPECT_EQ(measures[0]["agreed_in"], measure_review);
  EXPECT_GE(followed_in.size(), 2U);
  EXPECT_EQ(measures[0]["follow_ups"].size(), followed_in.size());
  EXPECT_EQ(followed_in.back(), "ba-zielnachhaltedialog/2025-09");

  // The last review shows the December JFW of every target goal in its scope,
  // exactly as `evaluate` shows it on the same figures.
  const json last = json_of("review show ba-zielnachhaltedialog/2025-12");
  EXPECT_EQ(last["agenda"]["period"], "2025-12");
  EXPECT_EQ(last["agenda"]["meeting_date"], "2026-01-13");
  const json evaluation = json_of("evaluate --period 2025-12");
  std::map<std::string, json> evaluated;
  for (const auto& goal : evaluation["goals"])
    evaluated[goal["id"]] = goal;
  int targets = 0;
  for (const auto& goal : last["agenda"]["goals"]) {
    if (goal["kind"] != "target") continue;
    ++targets;
    EXPECT_TRUE(goal["actual"].is_number()) << goal.dump();
    EXPECT_NE(goal["status"], "no_data");
    EXPECT_EQ(goal["actual"], evaluated[goal["id"]]["actual"]) << goal["id"];
    EXPECT_EQ(goal["status"], evaluated[goal["id"]]["status"]) << goal["id"];
  }
  EXPECT_EQ(targets, 8);  // iq x3, lzb x3, fbw, consultations
  const json municipal = json_of("review show kommunal-zielnachhaltedialog/2025-12");
  ASSERT_EQ(municipal["agenda"]["goals"][0]["id"], "kdu-kostensenkung");
  EXPECT_EQ(municipal["agenda"]["goals"][0]["actual"], evaluated["kdu-kostensenkung"]["actual"]);
}

}  // namespace
}  // namespace zielwerk::testing
