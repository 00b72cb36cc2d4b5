// Import and evaluation through the database, on the example's rules: the
// contract's formulas on hand-computed figures, revisions and --known-at,
// all-or-nothing imports and their audit records.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/milestones.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_verify.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::example;

using rules::GoalStatus;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

using zielwerk::testing::example_files::kExample;
// The day release lags are counted to when no known-at is given.
constexpr std::chrono::year_month_day kToday{std::chrono::year{2025}, std::chrono::August,
                                             std::chrono::day{15}};

// Figures worked out by hand, by the definitions of docs/evaluation.md
// (JFW = year to date, the stock one month earlier, Soll from the previous year):
//   iq-frauen at 2025-06: integrations January..June 2025 100, 110, ..., 150 (sum 750)
//              over the mean eLb stock December 2024..May 2025: (13000 + 5 × 12000) / 6 =
//              12166.67 (June's 99999 is not read): 100 × 750 / 12166.67 = 6.1644.
//              2024 (120 integrations a month, stock 12000 from December 2023): JFW June
//              100 × 720 / 12000 = 6.0, December 100 × 1440 / 12000 = 12.0, so the Soll
//              for June is 15.5 × 6.0 / 12.0 = 7.75 with the band 0.5 × 7.75 / 15.5 = 0.25:
//              6.1644 < 7.5 -> missed
//   lzb-frauen: 2025 stock 10000, 10010, ..., 10050: mean January..June 10025; 2024 flat, so
//              the Soll is the target 10154 -> met
//   persoenliche-beratungen: 600 of 1000 each month = exactly 60 %, not "> 60" -> missed
//   fbw-absolventenmanagement: 41 of 50 each month = 82 % (flat Soll 80) -> met
//   kdu-kostensenkung: 6 × 30 completed since January over the December base 400 = 45 %
//                      (December's 999 does not count); the declared Soll for June is 25
//                      -> met
//   llu-monitoring: 1,030,000 against 1,000,000 a year before: +3 %
std::string hand_computed_csv() {
  std::ostringstream csv;
  csv << "metric,period,value\n";
  for (YearMonth m(2023, 12); m <= YearMonth(2025, 6); m = m.plus_months(1)) {
    const std::string period = m.to_string();
    const bool this_year = m.year() == 2025;
    const int elb = m == YearMonth(2024, 12) ? 13000 : m == YearMonth(2025, 6) ? 99999 : 12000;
    csv << "elb_frauen," << period << ',' << elb << '\n';
    if (m.year() == 2023) continue;
    csv << "integrationen_frauen," << period << ','
        << (this_year ? 100 + 10 * (m.month() - 1) : 120) << '\n';
    csv << "lzb_frauen," << period << ',' << (this_year ? 10000 + 10 * (m.month() - 1) : 10000)
        << '\n';
    if (m == YearMonth(2024, 12)) csv << "kdu_verfahren_abgearbeitet," << period << ",999\n";
    if (!this_year) continue;
    csv << "beratungen_gesamt," << period << ",1000\n";
    csv << "beratungen_persoenlich," << period << ",600\n";
    csv << "fbw_absolventen," << period << ",50\n";
    csv << "fbw_absolventen_betreut," << period << ",41\n";
    csv << "kdu_verfahren_abgearbeitet," << period << ",30\n";
  }
  csv << "kdu_faelle_karenzende,2024-12,400\n";
  csv << "llu_summe,2024-06,1000000\nllu_summe,2025-06,1030000\n";
  return csv.str();
}

class ImportEvaluateTest : public ::testing::Test {
 protected:
  std::filesystem::path file(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    write_file(path, content);
    return path;
  }

  std::unique_ptr<storage::Database> open() {
    auto database = open_database(example(), db_path_, OpenMode::create_if_missing);
    EXPECT_TRUE(database.ok()) << database.error().message;
    return std::move(database).value();
  }

  Result<ImportResult> import(const std::vector<std::filesystem::path>& files, Timestamp now,
                              Diagnostics& diagnostics) {
    auto database = open();
    ImportRequest request;
    for (const auto& path : files)
      request.files.push_back(path.string());
    request.actor = "controlling-jc";
    request.now = now;
    return import_observations(example(), *database, request, diagnostics);
  }

  ImportResult import_ok(const std::vector<std::filesystem::path>& files, Timestamp now) {
    Diagnostics diagnostics;
    auto result = import(files, now, diagnostics);
    EXPECT_TRUE(result.ok()) << ::testing::PrintToString(lines(diagnostics));
    return result.ok() ? result.value() : ImportResult{};
  }

  EvaluationReport evaluate(YearMonth period, std::optional<Timestamp> known_at = std::nullopt,
                            std::chrono::year_month_day today = kToday) {
    auto database = open();
    const auto inputs = load_evaluation_inputs(example(), *database, known_at);
    EXPECT_TRUE(inputs.ok()) << inputs.error().message;
    return evaluate_period(example(), inputs.value(), period, known_at, today);
  }

  // A copy, so that goal(evaluate(...), id) is safe to keep.
  static GoalEvaluation goal(const EvaluationReport& report, const std::string& id) {
    for (const auto& evaluation : report.goals) {
      if (evaluation.result.goal->id == id) return evaluation;
    }
    throw std::runtime_error("no goal " + id);
  }

  TempDir dir_;
  std::filesystem::path db_path_ = dir_.path() / "zielwerk.db";
};

TEST_F(ImportEvaluateTest, EvaluatesTheContractFormulasOnHandComputedFigures) {
  const auto counts =
      import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z")).total;
  EXPECT_EQ(counts.rows_read, 89u);
  EXPECT_EQ(counts.added, 89u);

  const auto report = evaluate(YearMonth(2025, 6));
  EXPECT_EQ(report.agreement, "me-aktiv-2025");
  EXPECT_EQ(report.rule_set_version, example().rules.version);

  const auto& iq = goal(report, "iq-frauen").result;
  EXPECT_NEAR(iq.actual.value(), 100.0 * 750 / (73000.0 / 6), 1e-9);
  EXPECT_NEAR(iq.previous_year.value(), 12.0, 1e-9);
  EXPECT_NEAR(iq.previous.value(), 6.0, 1e-9);
  EXPECT_NEAR(iq.soll.value(), 7.75, 1e-9);
  EXPECT_NEAR(iq.band, 0.25, 1e-9);
  EXPECT_EQ(iq.judged_against, rules::Reference::soll);
  EXPECT_EQ(iq.status, GoalStatus::missed);

  const auto& lzb = goal(report, "lzb-frauen").result;
  EXPECT_NEAR(lzb.actual.value(), 10025.0, 1e-9);
  EXPECT_NEAR(lzb.soll.value(), 10154.0, 1e-9);
  EXPECT_EQ(lzb.status, GoalStatus::met);

  const auto& beratungen = goal(report, "persoenliche-beratungen").result;
  EXPECT_NEAR(beratungen.actual.value(), 60.0, 1e-9);
  EXPECT_NEAR(beratungen.soll.value(), 60.0, 1e-9);
  EXPECT_EQ(beratungen.status, GoalStatus::missed);

  const auto& fbw = goal(report, "fbw-absolventenmanagement").result;
  EXPECT_NEAR(fbw.actual.value(), 82.0, 1e-9);
  EXPECT_EQ(fbw.status, GoalStatus::met);

  const auto& kdu = goal(report, "kdu-kostensenkung").result;
  EXPECT_NEAR(kdu.actual.value(), 45.0, 1e-9);
  EXPECT_NEAR(kdu.soll.value(), 25.0, 1e-9);
  EXPECT_EQ(kdu.status, GoalStatus::met);

  const auto& llu = goal(report, "llu-monitoring").result;
  EXPECT_EQ(llu.status, GoalStatus::observed);
  EXPECT_NEAR(llu.actual.value(), 1030000.0, 1e-9);
  EXPECT_NEAR(llu.previous.value(), 1000000.0, 1e-9);
  EXPECT_NEAR(llu.change_pct.value(), 3.0, 1e-9);

  // No men's figures were imported: no value, and the reason names the first gap.
  const auto& maenner = goal(report, "iq-maenner").result;
  EXPECT_EQ(maenner.status, GoalStatus::no_data);
  EXPECT_FALSE(maenner.actual.has_value());
  EXPECT_NE(maenner.why_missing.find("integrationen_maenner"), std::string::npos)
      << maenner.why_missing;
}

TEST(ReleaseLag, AMonthIsFinalFromTheFirstDayAfterItsLag) {
  using std::chrono::year;
  // June with three months: final from 1 October.
  EXPECT_FALSE(is_final(YearMonth(2025, 6), 3, year(2025) / 9 / 30));
  EXPECT_TRUE(is_final(YearMonth(2025, 6), 3, year(2025) / 10 / 1));
  // Without a lag: final once the month is over.
  EXPECT_FALSE(is_final(YearMonth(2025, 6), 0, year(2025) / 6 / 30));
  EXPECT_TRUE(is_final(YearMonth(2025, 6), 0, year(2025) / 7 / 1));
  // Across the year end.
  EXPECT_FALSE(is_final(YearMonth(2025, 11), 3, year(2026) / 2 / 28));
  EXPECT_TRUE(is_final(YearMonth(2025, 11), 3, year(2026) / 3 / 1));
}

TEST_F(ImportEvaluateTest, ValuesReadingFiguresWithinTheirReleaseLagAreProvisional) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  // On 15 August the BA figures of June (final from 1 October) are provisional; the
  // internal figures (release_lag_months: 0) are final.
  const auto august = evaluate(YearMonth(2025, 6));
  EXPECT_EQ(august.figures_judged_on, kToday);
  EXPECT_TRUE(goal(august, "iq-frauen").result.provisional);
  EXPECT_TRUE(goal(august, "llu-monitoring").result.provisional);
  EXPECT_FALSE(goal(august, "fbw-absolventenmanagement").result.provisional);
  EXPECT_FALSE(goal(august, "kdu-kostensenkung").result.provisional);
  // March's value reads only months that are final by then.
  EXPECT_FALSE(goal(evaluate(YearMonth(2025, 3)), "iq-frauen").result.provisional);
  // In October June is final.
  const auto october = evaluate(YearMonth(2025, 6), std::nullopt, parse_date("2025-10-01").value());
  EXPECT_FALSE(goal(october, "iq-frauen").result.provisional);
  // With a known-at, the lags count to its date, whatever today is: what a review
  // prepared then saw.
  const auto then =
      evaluate(YearMonth(2025, 6), at("2025-07-20T08:00:00Z"), parse_date("2027-01-01").value());
  EXPECT_EQ(then.figures_judged_on, parse_date("2025-07-20").value());
  EXPECT_TRUE(goal(then, "iq-frauen").result.provisional);
  // The JSON says so.
  const auto json = nlohmann::json::parse(evaluation_json(august));
  for (const auto& g : json["goals"]) {
    if (g["id"] == "iq-frauen") {
      EXPECT_EQ(g["provisional"], true);
    }
    if (g["id"] == "fbw-absolventenmanagement") {
      EXPECT_EQ(g["provisional"], false);
    }
  }
}

TEST_F(ImportEvaluateTest, AMissingMonthInTheWindowGivesNoData) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  // July 2025 has no figures: every JFW value ending in July is missing.
  const auto report = evaluate(YearMonth(2025, 7));
  const auto& iq = goal(report, "iq-frauen").result;
  EXPECT_EQ(iq.status, GoalStatus::no_data);
  EXPECT_NE(iq.why_missing.find("2025-07 is missing"), std::string::npos) << iq.why_missing;
}

TEST_F(ImportEvaluateTest, ARevisedMonthChangesTheValueAndKnownAtGoesBack) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  // The June integrations are corrected from 150 to 335: sum 935, 100 * 935 / 12166.67 =
  // 7.685, within the band below the Soll 7.75.
  const auto revised =
      import_ok({file("korrektur.csv", "metric,period,value\nintegrationen_frauen,2025-06,335\n")},
                at("2025-08-05T09:30:00Z"));
  EXPECT_EQ(revised.total.revised, 1u);
  EXPECT_EQ(revised.total.added, 0u);
  const double corrected = 100.0 * 935 / (73000.0 / 6);
  const double first = 100.0 * 750 / (73000.0 / 6);

  const auto latest = goal(evaluate(YearMonth(2025, 6)), "iq-frauen").result;
  EXPECT_NEAR(latest.actual.value(), corrected, 1e-9);
  EXPECT_EQ(latest.status, GoalStatus::at_risk);

  const auto before =
      goal(evaluate(YearMonth(2025, 6), at("2025-08-05T09:29:59.999Z")), "iq-frauen").result;
  EXPECT_NEAR(before.actual.value(), first, 1e-9);
  EXPECT_EQ(before.status, GoalStatus::missed);

  const auto after =
      goal(evaluate(YearMonth(2025, 6), at("2025-08-05T09:30:00Z")), "iq-frauen").result;
  EXPECT_NEAR(after.actual.value(), corrected, 1e-9);

  const auto nothing_yet =
      goal(evaluate(YearMonth(2025, 6), at("2025-07-01T00:00:00Z")), "iq-frauen").result;
  EXPECT_EQ(nothing_yet.status, GoalStatus::no_data);

  // Both revisions stay, each with its file and time.
  auto database = open();
  const auto revisions =
      storage::load_revisions(*database, "integrationen_frauen", "", YearMonth(2025, 6));
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].value, 150);
  EXPECT_EQ(revisions[1].value, 335);
  EXPECT_EQ(revisions[1].revision, 2);
  EXPECT_EQ(format_timestamp(revisions[1].imported_at), "2025-08-05T09:30:00.000Z");
  EXPECT_EQ(revisions[1].file_name, (dir_.path() / "korrektur.csv").string());
  EXPECT_EQ(revisions[1].line, 2);
}

TEST_F(ImportEvaluateTest, ExplainNamesTheSeriesMonthsAndRevisions) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  import_ok({file("korrektur.csv", "metric,period,value\nintegrationen_frauen,2025-06,335\n")},
            at("2025-08-05T09:30:00Z"));
  auto database = open();
  const auto explanation =
      explain_goal(example(), *database, "iq-frauen", YearMonth(2025, 6), std::nullopt, kToday);
  ASSERT_TRUE(explanation.ok()) << explanation.error().message;
  ASSERT_EQ(explanation.value().metrics.size(), 3u);
  EXPECT_EQ(explanation.value().metrics[0]->id, "iq_frauen");
  // The value reads integrations January..June 2025 and the stock December 2024..May
  // 2025; its Soll reads the same windows through 2024: integrations 2024-01..2025-06
  // and stock 2023-12..2025-05, 18 months each (June's stock is not read).
  ASSERT_EQ(explanation.value().inputs.size(), 36u);
  EXPECT_EQ(explanation.value().inputs.front().metric, "elb_frauen");
  EXPECT_EQ(explanation.value().inputs.front().month, YearMonth(2023, 12));
  for (const auto& input : explanation.value().inputs)
    EXPECT_FALSE(input.metric == "elb_frauen" && input.month == YearMonth(2025, 6));
  const auto& june = explanation.value().inputs.back();
  EXPECT_EQ(june.metric, "integrationen_frauen");
  EXPECT_EQ(june.month, YearMonth(2025, 6));
  ASSERT_TRUE(june.used.has_value());
  EXPECT_EQ(june.used->revision, 2);
  EXPECT_EQ(june.history.size(), 2u);
  const auto unknown =
      explain_goal(example(), *database, "iq-frauwn", YearMonth(2025, 6), {}, kToday);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::usage);
  EXPECT_EQ(unknown.error().message, "unknown goal 'iq-frauwn' (did you mean 'iq-frauen'?)");
}

TEST_F(ImportEvaluateTest, ReimportingChangesNothingNotEvenTheFile) {
  const auto figures = file("figures.csv", hand_computed_csv());
  import_ok({figures}, at("2025-07-10T08:00:00Z"));
  const std::string before = read_file(db_path_);
  const auto again = import_ok({figures}, at("2025-07-11T08:00:00Z"));
  EXPECT_EQ(again.total.added, 0u);
  EXPECT_EQ(again.total.revised, 0u);
  EXPECT_EQ(again.total.unchanged, 89u);
  EXPECT_FALSE(again.files[0].import_id.has_value());
  EXPECT_TRUE(read_file(db_path_) == before);  // not EXPECT_EQ: it would print the file
}

TEST_F(ImportEvaluateTest, ReimportingAnOldDeliveryNeverRevertsACorrection) {
  const auto figures = file("figures.csv", hand_computed_csv());
  import_ok({figures}, at("2025-07-10T08:00:00Z"));
  const auto correction =
      file("korrektur.csv", "metric,period,value\nintegrationen_frauen,2025-06,335\n");
  const auto corrected = import_ok({correction}, at("2025-08-05T09:30:00Z"));
  const std::string before = read_file(db_path_);
  // The original delivery again, alone and together with the correction.
  const auto again = import_ok({figures, correction}, at("2025-09-01T07:00:00Z"));
  ASSERT_EQ(again.files.size(), 2u);
  ASSERT_TRUE(again.files[0].imported_before.has_value());
  EXPECT_EQ(format_timestamp(again.files[0].imported_before->imported_at),
            "2025-07-10T08:00:00.000Z");
  EXPECT_EQ(again.files[1].imported_before->id, *corrected.files[0].import_id);
  EXPECT_EQ(again.total.added + again.total.revised, 0u);
  EXPECT_EQ(again.total.unchanged, 90u);
  EXPECT_TRUE(read_file(db_path_) == before);
  EXPECT_NEAR(goal(evaluate(YearMonth(2025, 6)), "iq-frauen").result.actual.value(),
              100.0 * 935 / (73000.0 / 6), 1e-9);
}

TEST_F(ImportEvaluateTest, ABrokenFileLeavesTheDatabaseByteForByteUnchanged) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  const std::string before = read_file(db_path_);
  ASSERT_FALSE(before.empty());
  // Valid rows before and after the broken ones: none of them may be stored.
  const auto good = file("good.csv", "metric,period,value\nelb_maenner,2025-06,12000\n");
  const auto broken = file("broken.csv",
                           "metric,period,value\n"
                           "integrationen_maenner,2025-06,300\n"
                           "integrationen_mäner,2025-06,300\n"
                           "elb_maenner,2025-13,12000\n"
                           "integrationen_frauen,2025-06,12x\n"
                           "lzb_maenner,2025-06,8000\n");
  Diagnostics diagnostics;
  const auto result = import({good, broken}, at("2025-07-11T08:00:00Z"), diagnostics);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(result.error().message, "3 errors; nothing was imported");
  const std::string name = broken.string();
  EXPECT_EQ(lines(diagnostics),
            (std::vector<std::string>{
                name + ":3:1: error: unknown metric 'integrationen_mäner' (did you mean "
                       "'integrationen_maenner'?)",
                name + ":4:13: error: period '2025-13' is not a month YYYY-MM (e.g. 2025-06)",
                name + ":5:30: error: value '12x' is not a number",
            }));
  EXPECT_TRUE(read_file(db_path_) == before);  // not EXPECT_EQ: it would print the file
  auto database = open();
  // Only the first import, with the rule set and configuration it noted before.
  const auto records = storage::read_audit_records(*database);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].operation, "rules.change");
  EXPECT_EQ(records[1].operation, "project.change");
  EXPECT_EQ(records[2].operation, "workflow.change");
  EXPECT_EQ(records[3].operation, "observations.import");
}

TEST_F(ImportEvaluateTest, RowsOfOneFileThatDisagreeAreRejected) {
  Diagnostics diagnostics;
  const auto path = file("twice.csv",
                         "metric;period;value\n"
                         "elb_frauen;2025-06;12000\n"
                         "elb_frauen;2025-06;12000\n"
                         "elb_frauen;2025-06;12500,5\n");
  const auto result = import({path}, at("2025-07-10T08:00:00Z"), diagnostics);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{path.string() +
                                     ":4: error: elb_frauen 2025-06: value 12500.5 disagrees "
                                     "with line 2 of this file (12000)"});
  EXPECT_FALSE(std::filesystem::exists(db_path_) && !storage::read_audit_records(*open()).empty());
}

TEST_F(ImportEvaluateTest, EveryImportedFileHasAnAuditRecordWithItsHash) {
  const auto figures = file("figures.csv", hand_computed_csv());
  const auto more = file("more.csv", "metric,period,value\nelb_maenner,2025-06,12000\n");
  const auto result = import_ok({figures, more}, at("2025-07-10T08:00:00Z"));
  auto database = open();
  auto records = storage::read_audit_records(*database);
  ASSERT_EQ(records.size(), 5u);
  // The first change of a database notes the rule set and the configuration
  // it is made under.
  EXPECT_EQ(records[0].operation, "rules.change");
  EXPECT_EQ(records[1].operation, "project.change");
  EXPECT_EQ(records[2].operation, "workflow.change");
  records.erase(records.begin(), records.begin() + 3);
  const auto payload = nlohmann::json::parse(records[0].payload);
  EXPECT_EQ(records[0].actor, "controlling-jc");
  EXPECT_EQ(records[0].operation, "observations.import");
  EXPECT_EQ(records[0].rule_set_version, example().rules.version);
  EXPECT_EQ(payload["file_hash"], sha256_hex(read_file(figures)));
  EXPECT_EQ(payload["recorded_at"], "2025-07-10T08:00:00.000Z");
  EXPECT_EQ(payload["details"]["added"], 89);
  EXPECT_EQ(payload["objects"][0]["kind"], "import");
  EXPECT_EQ(payload["objects"][0]["id"], std::to_string(*result.files[0].import_id));
  EXPECT_EQ(records[1].previous_hash, records[0].hash);
  EXPECT_EQ(nlohmann::json::parse(records[1].payload)["file_hash"], sha256_hex(read_file(more)));
}

// The trail's times never go back: a change more than five minutes before the
// last record is a wrong clock and refused, storing nothing; a few seconds
// before is two writers racing for the lock, and the record carries its
// predecessor's time.
TEST_F(ImportEvaluateTest, AChangeBeforeTheLastRecordIsRefusedOrStampedAfterIt) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  const auto before = storage::read_audit_records(*open());

  Diagnostics refused_diagnostics;
  const auto refused =
      import({file("more.csv", "metric,period,value\nelb_maenner,2025-06,12000\n")},
             at("2025-07-10T07:54:59Z"), refused_diagnostics);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::usage);
  EXPECT_NE(refused.error().message.find("never go back in time"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(storage::read_audit_records(*open()).size(), before.size());

  import_ok({dir_.path() / "more.csv"}, at("2025-07-10T07:59:58Z"));
  const auto after = storage::read_audit_records(*open());
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(format_timestamp(after.back().recorded_at), "2025-07-10T08:00:00.000Z");
  EXPECT_EQ(nlohmann::json::parse(after.back().payload)["recorded_at"], "2025-07-10T08:00:00.000Z");
  auto verified_database = open();
  EXPECT_TRUE(storage::verify_audit_trail(*verified_database).ok());
}

TEST_F(ImportEvaluateTest, AMissingFileIsReportedAndNothingStored) {
  Diagnostics diagnostics;
  const auto result = import({file("figures.csv", hand_computed_csv()), dir_.path() / "nope.csv"},
                             at("2025-07-10T08:00:00Z"), diagnostics);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{(dir_.path() / "nope.csv").string() +
                                     ": error: cannot open the file for reading"});
  EXPECT_TRUE(storage::read_audit_records(*open()).empty());
}

TEST_F(ImportEvaluateTest, MilestonesAreRecordedInOrderAndJudgedAtThePeriodEnd) {
  const auto record = [&](const std::string& milestone, const char* date) {
    auto database = open();
    return record_milestone_done(
        example(), *database,
        {"kommunale-eingliederung-schulungen", milestone, parse_date(date).value(),
         "sozialamt-kreis", at("2025-07-20T10:00:00Z")});
  };
  // Ordered: the second before the first is refused.
  const auto out_of_order = record("erste-schulung", "2025-05-02");
  ASSERT_FALSE(out_of_order.ok());
  EXPECT_EQ(out_of_order.error().kind, ErrorKind::usage);
  EXPECT_NE(out_of_order.error().message.find("'schulungsplan' comes before 'erste-schulung'"),
            std::string::npos)
      << out_of_order.error().message;

  ASSERT_TRUE(record("schulungsplan", "2025-05-15").ok());
  const auto earlier = record("erste-schulung", "2025-05-14");
  ASSERT_FALSE(earlier.ok());
  EXPECT_NE(earlier.error().message.find("was done on 2025-05-15, after 2025-05-14"),
            std::string::npos);
  ASSERT_TRUE(record("erste-schulung", "2025-07-01").ok());
  const auto twice = record("erste-schulung", "2025-07-02");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("already recorded as done on 2025-07-01"),
            std::string::npos);
  const auto future = record("schulungen-abgeschlossen", "2025-07-21");
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("is in the future"), std::string::npos);

  // April: schulungsplan (due 2025-04-30) not done yet -> open; May: done late but done.
  const GoalEvaluation april =
      goal(evaluate(YearMonth(2025, 4)), "kommunale-eingliederung-schulungen");
  EXPECT_EQ(april.result.status, GoalStatus::open);
  const GoalEvaluation june =
      goal(evaluate(YearMonth(2025, 6)), "kommunale-eingliederung-schulungen");
  EXPECT_EQ(june.result.status, GoalStatus::open);  // erste-schulung due 06-30, done 07-01
  ASSERT_EQ(june.milestones.size(), 3u);
  EXPECT_EQ(june.milestones[0].status, GoalStatus::done);
  EXPECT_EQ(june.milestones[1].status, GoalStatus::open);
  const GoalEvaluation july =
      goal(evaluate(YearMonth(2025, 7)), "kommunale-eingliederung-schulungen");
  EXPECT_EQ(july.milestones[1].status, GoalStatus::done);
  const GoalEvaluation december =
      goal(evaluate(YearMonth(2025, 12)), "kommunale-eingliederung-schulungen");
  EXPECT_EQ(december.result.status, GoalStatus::overdue);  // abgeschlossen due 2025-11-30

  auto database = open();
  auto records = storage::read_audit_records(*database);
  ASSERT_EQ(records.size(), 5u);  // the refused attempts left nothing
  EXPECT_EQ(records[0].operation, "rules.change");
  records.erase(records.begin(), records.begin() + 3);  // and the configuration
  EXPECT_EQ(records[0].operation, "milestone.done");
  EXPECT_EQ(records[0].actor, "sozialamt-kreis");
}

TEST_F(ImportEvaluateTest, ADatabaseOfAnotherAgreementIsRefused) {
  import_ok({file("figures.csv", hand_computed_csv())}, at("2025-07-10T08:00:00Z"));
  Project other = example();
  other.rules.agreement.id = "other-2025";
  const auto opened = open_database(other, db_path_, OpenMode::must_exist);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::usage);
  EXPECT_NE(opened.error().message.find("belongs to the agreement 'me-aktiv-2025'"),
            std::string::npos);
  const auto missing = open_database(example(), dir_.path() / "none.db", OpenMode::must_exist);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no database yet"), std::string::npos);
}

TEST(PointInTimeTest, ReadsDatesAndTimesInTheProjectsZone) {
  const auto parse = [](const char* text) {
    const auto result = parse_point_in_time(example(), text, "--known-at");
    return result.ok() ? format_timestamp(result.value()) : "error: " + result.error().message;
  };
  EXPECT_EQ(parse("2025-07-15"), "2025-07-15T21:59:59.999Z");  // end of the day, CEST
  EXPECT_EQ(parse("2025-01-15"), "2025-01-15T22:59:59.999Z");  // CET
  EXPECT_EQ(parse("2025-07-15T09:30"), "2025-07-15T07:30:00.000Z");
  // The days the clocks change: the offset of the instant; a time that names
  // two instants or none is refused with what the clocks did.
  EXPECT_EQ(parse("2025-10-26T12:00"), "2025-10-26T11:00:00.000Z");
  EXPECT_EQ(parse("2025-03-30T12:00"), "2025-03-30T10:00:00.000Z");
  EXPECT_EQ(parse("2025-10-26T02:30:00"),
            "error: --known-at: '2025-10-26T02:30:00' occurs twice in Europe/Berlin (the clocks "
            "went back): at UTC+02:00 it is 2025-10-26T00:30:00Z, at UTC+01:00 "
            "2025-10-26T01:30:00Z; give the one you mean in UTC");
  EXPECT_EQ(parse("2025-03-30T02:30"),
            "error: --known-at: '2025-03-30T02:30' does not exist in Europe/Berlin: the clocks "
            "went forward from UTC+01:00 to UTC+02:00 at 2025-03-30T01:00:00Z; give a time that "
            "exists, or UTC like 2025-03-30T01:00:00Z");
  EXPECT_EQ(parse("2025-07-15T07:30:00Z"), "2025-07-15T07:30:00.000Z");
  EXPECT_EQ(parse("2025-02-30"),
            "error: --known-at: '2025-02-30' is not a date or time; use YYYY-MM-DD, "
            "YYYY-MM-DDTHH:MM (Europe/Berlin) or a UTC time like 2025-07-15T07:30:00Z");
  EXPECT_EQ(parse("2025-07-15T25:00").rfind("error: ", 0), 0u);
}

}  // namespace
}  // namespace zielwerk::engine
