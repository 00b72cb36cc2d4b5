// The dashboard's answers without the network: pages and JSON for the
// example's figures, the CLI's refusals as 400, unknown paths as 404, a
// reload taking effect, and no write ever reaching the database.
#include "zielwerk/web/dashboard.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "example_project.h"
#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workflow_run.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_query.h"

namespace zielwerk::web {
namespace {

// The dashboard holds its project shared.
std::shared_ptr<const engine::Project> example() {
  return zielwerk::testing::shared_example();
}

using nlohmann::json;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;

const std::filesystem::path kExample = source_dir() / "examples/me-aktiv-2025";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

HttpRequest request(const std::string& path,
                    std::map<std::string, std::string, std::less<>> query = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.query = std::move(query);
  r.raw_target = path;
  return r;
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = engine::open_database(*example(), db_path_, engine::OpenMode::create_if_missing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    engine::ImportRequest import;
    for (const char* file : {"2024.csv", "2025.csv"})
      import.files.push_back((kExample / "data" / file).string());
    import.actor = "controlling-jc";
    import.now = at("2025-07-01T08:00:00Z");
    Diagnostics diagnostics;
    ASSERT_TRUE(engine::import_observations(*example(), *opened.value(), import, diagnostics).ok());
    engine::RunRequest run;
    run.actor = "zielwerk-dienst";
    run.now = at("2025-07-03T08:00:00Z");
    ASSERT_TRUE(engine::run_due_steps(*example(), *opened.value(), run).ok());
    writer_ = std::move(opened).value();
    auto dashboard = Dashboard::open(example(), db_path_, fixed_clock(at("2025-07-04T08:00:00Z")));
    ASSERT_TRUE(dashboard.ok()) << dashboard.error().message;
    dashboard_ = std::move(dashboard).value();
  }

  std::int64_t records() { return storage::count_audit_records(*writer_, storage::AuditQuery{}); }

  TempDir dir_;
  std::filesystem::path db_path_ = dir_.path() / "zielwerk.db";
  std::unique_ptr<storage::Database> writer_;
  std::unique_ptr<Dashboard> dashboard_;
};

TEST_F(DashboardTest, TheOverviewShowsTheLatestMonthWithChartsMeetingsAndMeasures) {
  const HttpResponse page = dashboard_->handle(request("/"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(page.content_type.starts_with("text/html"));
  EXPECT_TRUE(contains(page.body, "<html lang=\"de\">"));
  // 2025.csv reaches December 2025.
  EXPECT_TRUE(contains(page.body, "data-period=\"2025-12\"")) << page.body.substr(0, 3000);
  EXPECT_TRUE(contains(page.body, "Dezember 2025"));
  EXPECT_TRUE(contains(page.body, "data-goal=\"iq-frauen\""));
  EXPECT_TRUE(contains(page.body, "id=\"meetings\""));
  // The June review was prepared: its meeting on 8 July links to its agenda.
  EXPECT_TRUE(contains(page.body, "data-meeting=\"ba-zielnachhaltedialog/2025-06\""));
  EXPECT_TRUE(contains(page.body, "/report/review?id=ba-zielnachhaltedialog%2F2025-06"));
  EXPECT_FALSE(contains(page.body, "<script"));
  // The Soll of the month beside the yearly target, and the path in each target chart.
  EXPECT_TRUE(contains(page.body, "Soll (Monat)"));
  EXPECT_TRUE(contains(page.body, "<td class=\"num soll\">"));
  EXPECT_TRUE(contains(page.body, "<g class=\"soll-path\">")) << "no Soll path in the charts";

  const HttpResponse english =
      dashboard_->handle(request("/", {{"lang", "en"}, {"period", "2025-06"}}));
  ASSERT_EQ(english.status, 200);
  EXPECT_TRUE(contains(english.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(english.body, "June 2025"));
}

TEST_F(DashboardTest, TheStatusApiIsTheEvaluationDocument) {
  const HttpResponse answer = dashboard_->handle(request("/api/status", {{"period", "2025-06"}}));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.content_type, "application/json");
  const auto inputs = engine::load_evaluation_inputs(*example(), *writer_, std::nullopt);
  ASSERT_TRUE(inputs.ok()) << inputs.error().message;
  const std::string expected = engine::evaluation_json(
      // The dashboard's clock says 2025-07-04: release lags count to that day.
      engine::evaluate_period(*example(), inputs.value(), YearMonth(2025, 6), std::nullopt,
                              parse_date("2025-07-04").value()),
      2);
  EXPECT_EQ(json::parse(answer.body), json::parse(expected));
}

TEST_F(DashboardTest, TheRegionPageShowsEveryAgreementWithTrafficLightsAndSorts) {
  // A file holds one agreement: one row, its June review's goals as columns.
  const HttpResponse page = dashboard_->handle(request("/region", {{"period", "2025-06"}}));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "<tr data-agreement=\"me-aktiv-2025\">"));
  EXPECT_TRUE(contains(page.body, "<td class=\"status status-missed\" data-status=\"missed\">"));
  EXPECT_TRUE(contains(page.body, "/region?period=2025-06&amp;sort=iq-frauen"));
  EXPECT_TRUE(contains(page.body, "data-sort=\"agreement\""));
  EXPECT_FALSE(contains(page.body, "<script"));
  const HttpResponse sorted =
      dashboard_->handle(request("/region", {{"period", "2025-06"}, {"sort", "iq-frauen"}}));
  ASSERT_EQ(sorted.status, 200);
  EXPECT_TRUE(contains(sorted.body, "data-sort=\"iq-frauen\""));
  // The JSON is the CLI's `overview --format json`.
  const HttpResponse api = dashboard_->handle(request("/api/region", {{"period", "2025-06"}}));
  ASSERT_EQ(api.status, 200) << api.body;
  const json document = json::parse(api.body);
  ASSERT_EQ(document["agreements"].size(), 1U);
  EXPECT_EQ(document["agreements"][0]["review"], "ba-zielnachhaltedialog/2025-06");
  // A month without a review lists the agreement without goals.
  const HttpResponse none = dashboard_->handle(request("/region", {{"period", "2025-09"}}));
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(contains(none.body, "keine Vorlage"));
  EXPECT_EQ(
      dashboard_->handle(request("/region", {{"sort", "no-such-goal"}, {"period", "2025-06"}}))
          .status,
      400);
  EXPECT_EQ(dashboard_->handle(request("/region", {{"period", "2025-13"}})).status, 400);
}

TEST_F(DashboardTest, BadParametersAre400UnknownPaths404) {
  EXPECT_EQ(dashboard_->handle(request("/api/status", {{"period", "2025-13"}})).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/", {{"lang", "fr"}})).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/api/meetings", {{"from", "2025-02-30"}})).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/api/measures", {{"status", "finished"}})).status, 400);
  const HttpResponse audit = dashboard_->handle(request("/api/audit", {{"object", "goall:x"}}));
  EXPECT_EQ(audit.status, 400);
  EXPECT_TRUE(contains(audit.body, "did you mean 'goal'")) << audit.body;
  EXPECT_EQ(dashboard_->handle(request("/api/audit", {{"limit", "0"}})).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/api/audit", {{"limit", "x"}})).status, 400);
  // One answer is bounded: the whole trail is `audit export`'s job.
  EXPECT_EQ(dashboard_->handle(request("/api/audit", {{"limit", "10000009"}})).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/api/audit", {{"limit", "1000"}})).status, 200);
  EXPECT_EQ(
      dashboard_->handle(request("/api/meetings", {{"from", "1900-01-01"}, {"to", "2999-12-31"}}))
          .status,
      400);
  const HttpResponse missing = dashboard_->handle(request("/report/review", {{"id", "nope"}}));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(dashboard_->handle(request("/report/review")).status, 400);
  EXPECT_EQ(dashboard_->handle(request("/etc/passwd")).status, 404);
  const HttpResponse api_404 = dashboard_->handle(request("/api/nothing"));
  EXPECT_EQ(api_404.status, 404);
  EXPECT_EQ(api_404.content_type, "application/json");
}

TEST_F(DashboardTest, TheAuditPageFiltersAndEscapes) {
  const HttpResponse page = dashboard_->handle(request(
      "/audit", {{"operation", "review.prepare,review.missed"}, {"goal", "<script>x</script>"}}));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(contains(page.body, "<script>"));
  EXPECT_TRUE(contains(page.body, "&lt;script&gt;"));
  const HttpResponse prepared =
      dashboard_->handle(request("/audit", {{"operation", "review.prepare"}}));
  EXPECT_TRUE(contains(prepared.body, "review:ba-zielnachhaltedialog/2025-06"));
}

TEST_F(DashboardTest, NothingTheDashboardAnswersWritesAndAReloadTakesEffect) {
  const std::int64_t before = records();
  const auto head = storage::audit_head(*writer_);
  for (const char* path : {"/", "/audit", "/api/status", "/api/meetings", "/api/measures",
                           "/api/audit", "/report/year"}) {
    const HttpResponse answer = dashboard_->handle(request(path, {{"period", "2025-06"}}));
    EXPECT_EQ(answer.status, 200) << path << "\n" << answer.body.substr(0, 500);
  }
  const HttpResponse agenda =
      dashboard_->handle(request("/report/review", {{"id", "ba-zielnachhaltedialog/2025-06"}}));
  EXPECT_EQ(agenda.status, 200);
  EXPECT_TRUE(contains(agenda.body, "Tagesordnung"));
  EXPECT_EQ(records(), before);
  EXPECT_EQ(storage::audit_head(*writer_).hash, head.hash);

  // A project whose agreement has another title: the next page shows it.
  auto renamed = std::make_shared<engine::Project>(*example());
  renamed->rules.agreement.title = "Umbenannte Vereinbarung";
  dashboard_->set_project(renamed);
  EXPECT_TRUE(contains(dashboard_->handle(request("/")).body, "Umbenannte Vereinbarung"));
}

TEST_F(DashboardTest, ATamperedAuditRecordShowsOnTheAuditPageInsteadOfFailingIt) {
  ASSERT_EQ(
      zielwerk::testing::exec_raw(
          db_path_,
          "DROP TRIGGER audit_record_is_append_only_update; UPDATE audit_record SET payload = "
          "'{\"actor\":5,\"objects\":[{\"kind\":1,\"id\":2}],\"seq\":\"x\"}' WHERE seq = 1"),
      "");
  const HttpResponse page = dashboard_->handle(request("/audit", {{"all", "1"}}));
  EXPECT_EQ(page.status, 200) << page.body.substr(0, 500);
  EXPECT_TRUE(contains(page.body, "1:2"));
}

TEST(DashboardOpenTest, AMissingDatabaseIsRefusedNotCreated) {
  TempDir dir;
  const auto path = dir.path() / "none.db";
  auto dashboard = Dashboard::open(example(), path, fixed_clock(at("2025-07-04T08:00:00Z")));
  ASSERT_FALSE(dashboard.ok());
  EXPECT_EQ(dashboard.error().kind, ErrorKind::usage);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace zielwerk::web
