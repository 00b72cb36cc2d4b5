// End-to-end: `zielwerk report` on a copy of the example after the README's
// first command (figures imported, the process run as of 3 July 2025): the
// June review's agenda and minutes in German and English, Markdown and HTML,
// the year overview, the HTML as headless Chromium renders it, and refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "browser_support.h"
#include "cli/cli_support.h"
#include "test_support.h"

namespace zielwerk {
namespace {

using zielwerk::testing::CliRun;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::TempDir;
using zielwerk::testing::zielwerk;

using zielwerk::testing::kJune;
// The goals in the BA dialogue's scope; all but llu-monitoring are target goals.
const std::vector<std::string> kBaGoals = {"iq-gesamt",
                                           "iq-frauen",
                                           "iq-maenner",
                                           "lzb-gesamt",
                                           "lzb-frauen",
                                           "lzb-maenner",
                                           "llu-monitoring",
                                           "fbw-absolventenmanagement",
                                           "persoenliche-beratungen"};

using zielwerk::testing::contains;
using zielwerk::testing::count;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ZIELWERK_ACTOR");
    unsetenv("ZIELWERK_PROJECT");
    std::filesystem::copy(kExample, project_, std::filesystem::copy_options::recursive);
    std::filesystem::remove(project_ / "zielwerk.db");
    const auto data = project_ / "data";
    ASSERT_EQ(as("controlling-jc", "import",
                 (data / "2023.csv").string() + " " + (data / "2024.csv").string() + " " +
                     (data / "2025.csv").string() + " " + (data / "korrektur-2025.csv").string())
                  .exit_code,
              0);
    ASSERT_EQ(as("zielwerk-dienst", "run", "--now 2025-07-03T10:00").exit_code, 0);
  }

  CliRun run(const std::string& command, const std::string& args = "") {
    return zielwerk(command + " --project " + project_.string() + " " + args);
  }
  CliRun as(const std::string& actor, const std::string& command, const std::string& args) {
    return run(command, "--actor " + actor + " " + args);
  }
  std::string ok(const std::string& command, const std::string& args = "") {
    const CliRun result = run(command, args);
    EXPECT_EQ(result.exit_code, 0) << command << " " << args << "\n" << result.err;
    return result.out;
  }
  // "audit trail verified: N records, head ...": N.
  std::size_t audit_records() {
    const std::string out = ok("audit verify");
    const auto digits = out.find_first_of("0123456789");
    if (digits == std::string::npos) return 0;
    return static_cast<std::size_t>(std::stoul(out.substr(digits)));
  }

  TempDir dir_;
  std::filesystem::path project_ = dir_.path() / "me-aktiv-2025";
};

TEST_F(ReportTest, TheJuneAgendaInGermanMarkdownNamesEveryGoalWithGermanNumbers) {
  const std::string md = ok("report review", kJune);
  EXPECT_TRUE(md.starts_with("# Tagesordnung")) << md.substr(0, 200);
  EXPECT_TRUE(contains(md, "Juni 2025"));
  EXPECT_TRUE(contains(md, "8. Juli 2025, 10:00 Uhr")) << "the meeting in local time";
  for (const auto& goal : kBaGoals)
    EXPECT_TRUE(contains(md, "(" + goal + ")")) << goal;
  // Only goals in the BA dialogue's scope: the municipal goals are not on it.
  EXPECT_FALSE(contains(md, "kdu-kostensenkung"));
  // German numbers: IQ women 7.6 % (the JFW of June) against its Soll 7.9 % for June
  // and the yearly target 15.5 %, LZB women 10,636 against 9,904 and 10,154.
  EXPECT_TRUE(contains(md, "| 7,6 % | 7,9 %<br>*nach Vorjahresverlauf* | −0,3 Pp. | ≥ 15,5 %"));
  EXPECT_TRUE(contains(md, "| 10.636 | 9.904<br>*nach Vorjahresverlauf* | +732 | ≤ 10.154"));
  EXPECT_TRUE(contains(md, "| Ist | Soll (Monat) | Abstand zum Soll | Zielwert (Jahr) |"));
  // The course table shows the Soll path below each target goal's course.
  EXPECT_TRUE(contains(md, "| ↳ Soll-Pfad | 1,1 % | 2,3 % | 3,7 % | 5,2 % | 6,6 % | 7,9 % |"));
  // Status as symbol and word, readable without colour.
  EXPECT_TRUE(contains(md, "▲ gefährdet"));
  EXPECT_TRUE(contains(md, "✖ verfehlt"));
  EXPECT_TRUE(contains(md, "✔ erreicht"));
  EXPECT_TRUE(contains(md, "Keine offenen Maßnahmen"));
  // An agenda has no minutes.
  EXPECT_FALSE(contains(md, "Teilnahme"));
}

TEST_F(ReportTest, EnglishUsesEnglishWordsAndNumbers) {
  const std::string md = ok("report review", kJune + " --lang en");
  EXPECT_TRUE(md.starts_with("# Agenda")) << md.substr(0, 200);
  EXPECT_TRUE(contains(md, "June 2025"));
  EXPECT_TRUE(contains(md, "| 7.6 % | 7.9 %<br>*from the previous year's course* |"));
  EXPECT_TRUE(contains(md, "10,154"));
  EXPECT_TRUE(contains(md, "| Soll (month) | Gap to Soll | Target (year) |"));
  EXPECT_TRUE(contains(md, "at risk"));
  EXPECT_FALSE(contains(md, "gefährdet"));
}

TEST_F(ReportTest, AClosedReviewGivesMinutesWithWhatWasRecordedAndAgreed) {
  const std::string review = " --review " + kJune;
  ASSERT_EQ(as("traegercontrolling-agentur", "review record",
               kJune + " --attended agentur --attended jobcenter"
                       " --assessment 'IQ der Frauen knapp unter Ziel <Teilzeit & Kinderbetreuung>'"
                       " --decision 'Teilzeitvermittlung verstärken'")
                .exit_code,
            0);
  const CliRun added =
      as("controlling-jc", "measure add",
         review +
             " --goal iq-frauen --title 'Teilzeitstellen akquirieren' --owner jobcenter"
             " --assignee 'Team Arbeitgeberservice' --due 2025-09-30");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const CliRun closed = as("traegercontrolling-agentur", "review close", kJune);
  ASSERT_EQ(closed.exit_code, 0) << closed.err;

  const std::string md = ok("report review", kJune);
  EXPECT_TRUE(md.starts_with("# Protokoll")) << md.substr(0, 200);
  EXPECT_TRUE(contains(md, "Teilzeitvermittlung verstärken"));
  EXPECT_TRUE(contains(md, "Teilzeitstellen akquirieren"));
  EXPECT_TRUE(contains(md, "30. September 2025"));
  EXPECT_TRUE(contains(md, "Team Arbeitgeberservice"));
  // Text from the minutes is escaped, never markup.
  const std::string html = ok("report review", kJune + " --format html");
  EXPECT_TRUE(contains(html, "&lt;Teilzeit &amp; Kinderbetreuung&gt;"));
  EXPECT_FALSE(contains(html, "<Teilzeit"));
}

TEST_F(ReportTest, TheHtmlFileIsSelfContainedAndWrittenOnlyWhenComplete) {
  const auto file = dir_.path() / "juni.html";
  const std::size_t records = audit_records();
  const CliRun written = run("report review", kJune + " --output " + file.string());
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(written.out, "");
  const std::string html = read_file(file);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << "--output .html chooses HTML";
  EXPECT_TRUE(contains(html, "<html lang=\"de\">"));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "@import"));
  EXPECT_FALSE(contains(html, "url("));
  EXPECT_FALSE(contains(html, "src="));
  EXPECT_TRUE(contains(html, "@page"));
  EXPECT_EQ(count(html, "<svg"), 9u);  // 8 target goals and the monitoring goal
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  // Reading changes nothing: no audit record, the trail still verifies.
  EXPECT_EQ(audit_records(), records);
}

TEST_F(ReportTest, ChromiumRendersTheAgendaWithEveryGoalAndItsChart) {
  ASSERT_TRUE(zielwerk::testing::chromium_available());
  const auto file = dir_.path() / "juni.html";
  ASSERT_EQ(run("report review", kJune + " --output " + file.string()).exit_code, 0);
  const auto dom = zielwerk::testing::dump_dom(zielwerk::testing::file_url(file));
  ASSERT_TRUE(dom.ok()) << dom;
  std::set<std::string> charted;
  const std::regex chart("<svg[^>]*data-goal=\"([a-z0-9-]+)\"");
  for (auto it = std::sregex_iterator(dom.out.begin(), dom.out.end(), chart);
       it != std::sregex_iterator(); ++it) {
    charted.insert((*it)[1]);
  }
  EXPECT_EQ(charted, std::set<std::string>(kBaGoals.begin(), kBaGoals.end()));
  for (const auto& goal : kBaGoals) {
    EXPECT_TRUE(contains(dom.out, "data-goal=\"" + goal + "\"")) << goal;
  }
  EXPECT_TRUE(contains(dom.out, "data-status=\"at_risk\""));
  // Printing gives an A4 PDF (595 x 842 points).
  const auto pdf = dir_.path() / "juni.pdf";
  const auto printed = zielwerk::testing::print_to_pdf(zielwerk::testing::file_url(file), pdf);
  ASSERT_TRUE(printed.ok()) << printed;
  const std::string bytes = read_file(pdf);
  EXPECT_TRUE(bytes.starts_with("%PDF-"));
  EXPECT_TRUE(std::regex_search(bytes, std::regex("/MediaBox \\[0 0 59[45](\\.[0-9]+)? 84[12]")))
      << "not A4";
}

TEST_F(ReportTest, TheYearOverviewCoversTheWholeAgreement) {
  const std::string md = ok("report year", "--period 2025-09 --today 2025-10-15");
  EXPECT_TRUE(md.starts_with("# Jahresübersicht")) << md.substr(0, 200);
  EXPECT_TRUE(contains(md, "September 2025"));
  EXPECT_TRUE(contains(md, "(kdu-kostensenkung)"));
  EXPECT_TRUE(contains(md, "kommunale-eingliederung-schulungen"));
  EXPECT_TRUE(contains(md, "Schulungsplan"));  // a milestone with its date
  EXPECT_TRUE(contains(md, "30. April 2025"));
  const std::string html = ok("report year", "--period 2025-09 --format html");
  EXPECT_EQ(count(html, "<svg"), 10u);  // 9 target goals and the monitoring goal
}

TEST_F(ReportTest, BadRequestsAreRefusedWithAReasonAndWriteNothing) {
  const CliRun unknown = run("report review", "ba-zielnachhaltedialog/2025-6");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "did you mean 'ba-zielnachhaltedialog/2025-06'"))
      << unknown.err;
  const CliRun missed = run("report review", "ba-zielnachhaltedialog/2025-01");
  EXPECT_EQ(missed.exit_code, 2);
  EXPECT_TRUE(contains(missed.err, "missed")) << missed.err;
  EXPECT_EQ(run("report review", kJune + " --lang fr").exit_code, 2);
  EXPECT_EQ(run("report review", kJune + " --format pdf").exit_code, 2);
  const CliRun period = run("report year", "--period 2025-13");
  EXPECT_EQ(period.exit_code, 2);
  EXPECT_TRUE(contains(period.err, "--period")) << period.err;
  EXPECT_EQ(run("report year", "--period 2025-06 --today 2025-02-30").exit_code, 2);
  // The database is not a document's place.
  const CliRun onto_db =
      run("report review", kJune + " --output " + (project_ / "zielwerk.db").string());
  EXPECT_EQ(onto_db.exit_code, 2) << onto_db.err;
  EXPECT_TRUE(contains(ok("audit verify"), "audit trail verified"));
  // A directory that does not exist: an error, nothing left behind.
  const auto nowhere = dir_.path() / "missing" / "x.html";
  const CliRun unwritable = run("report review", kJune + " --output " + nowhere.string());
  EXPECT_EQ(unwritable.exit_code, 3) << unwritable.err;
  EXPECT_FALSE(std::filesystem::exists(nowhere.parent_path()));
  // Without a database there is nothing to report, and none is created.
  const CliRun no_db =
      run("report year", "--period 2025-06 --db " + (dir_.path() / "none.db").string());
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "none.db"));
}

}  // namespace
}  // namespace zielwerk
