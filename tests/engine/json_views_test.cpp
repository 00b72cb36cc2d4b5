// The JSON documents the CLI prints and the dashboard serves
// (engine/json_views.h): their fields, the layout the CLI's output pins, and
// how an audit query given as text is checked, on the example project.
#include "zielwerk/engine/json_views.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/engine/meetings.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::example;

using nlohmann::json;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;

using zielwerk::testing::date;

using zielwerk::testing::contains;

// ---- The schedule --------------------------------------------------------

TEST(ScheduleJson, DocumentHasTheDocumentedFields) {
  ScheduleRequest request;
  request.workflow = "ba-zielnachhaltedialog";
  request.from = std::chrono::year{2025} / 1 / 1;
  request.to = std::chrono::year{2025} / 12 / 31;
  const auto schedule = project_schedule(example(), request);
  ASSERT_TRUE(schedule.ok()) << schedule.error().message;
  const std::string text = schedule_json(schedule.value(), example());
  EXPECT_NE(text.back(), '\n');  // the caller adds the newline
  EXPECT_TRUE(text.starts_with("{\n  \"agreement\": \"me-aktiv-2025\",\n")) << text;

  const json document = json::parse(text);
  EXPECT_EQ(document["from"], "2025-01-01");
  EXPECT_EQ(document["to"], "2025-12-31");
  EXPECT_EQ(document["time_zone"], "Europe/Berlin");
  EXPECT_EQ(document["holiday_region"], "DE-NW");
  ASSERT_EQ(document["meetings"].size(), schedule.value().meetings.size());
  ASSERT_FALSE(document["meetings"].empty());
  const json& first = document["meetings"][0];
  EXPECT_EQ(first["id"], "ba-zielnachhaltedialog/2024-12");
  EXPECT_EQ(first["workflow"], "ba-zielnachhaltedialog");
  EXPECT_EQ(first["reviews"], "2024-12");
  EXPECT_EQ(first["date"], "2025-01-14");
  EXPECT_EQ(first["rule_date"], "2025-01-14");
  EXPECT_EQ(first["time"], "10:00");
  EXPECT_EQ(first["starts_at"], "2025-01-14T09:00:00.000Z");
  EXPECT_EQ(first["moved"], false);
  EXPECT_EQ(first["skipped"], false);
  EXPECT_TRUE(first["holiday"].is_null());
  EXPECT_EQ(first["participants"], json::array({"agentur", "jobcenter"}));
  EXPECT_TRUE(first["title"].is_string());
  ASSERT_TRUE(first["goals"].is_array());
  EXPECT_EQ(first["goals"][0], "iq-gesamt");
}

TEST(ScheduleJson, SkippedMeetingHasNoDateAndNamesItsHoliday) {
  const workflows::Workflow& workflow = example().workflows.front();
  workflows::Meeting meeting;
  meeting.workflow = workflow.id;
  meeting.reviews = YearMonth(2025, 11);
  meeting.rule_date = date("2025-12-25");
  meeting.time_of_day = std::chrono::minutes(9 * 60 + 5);
  meeting.starts_at = at("2025-12-25T08:05:00Z");
  meeting.holiday = "1. Weihnachtstag";
  ProjectSchedule schedule{date("2025-12-01"), date("2025-12-31"), {{meeting, &workflow}}};

  const json document = json::parse(schedule_json(schedule, example()));
  const json& skipped = document["meetings"][0];
  EXPECT_TRUE(skipped["date"].is_null());
  EXPECT_EQ(skipped["skipped"], true);
  EXPECT_EQ(skipped["moved"], false);
  EXPECT_EQ(skipped["holiday"], "1. Weihnachtstag");
  EXPECT_EQ(skipped["time"], "09:05");
  EXPECT_EQ(skipped["goals"], json(scope_goal_ids(workflow, example().rules)));
}

TEST(ScheduleJson, TimeOfDayAndScopeGoals) {
  EXPECT_EQ(time_of_day_text(std::chrono::minutes(0)), "00:00");
  EXPECT_EQ(time_of_day_text(std::chrono::minutes(23 * 60 + 59)), "23:59");
  for (const auto& workflow : example().workflows) {
    const auto ids = scope_goal_ids(workflow, example().rules);
    EXPECT_FALSE(ids.empty()) << workflow.id;
    for (const auto& id : ids)
      EXPECT_NE(example().rules.find_goal(id), nullptr) << id;
  }
}

// ---- Measures ------------------------------------------------------------

MeasureView measure_view() {
  MeasureView view;
  view.measure.id = 7;
  view.measure.goal = "iq-frauen";
  view.measure.review_id = "ba-zielnachhaltedialog/2025-06";
  view.measure.title = "Teilzeitstellen akquirieren";
  view.measure.owner_party = "jobcenter";
  view.measure.assignee = "Team Arbeitgeberservice";
  view.measure.due_on = date("2025-09-30");
  view.measure.status = domain::MeasureStatus::in_progress;
  view.measure.created_at = at("2025-07-08T08:00:00Z");
  view.measure.created_by = "controlling-jc";
  view.measure.updated_at = at("2025-07-09T08:00:00Z");
  view.workflow = "ba-zielnachhaltedialog";
  view.overdue = true;
  domain::MeasureFollowUp follow_up;
  follow_up.id = 3;
  follow_up.measure_id = 7;
  follow_up.recorded_at = at("2025-07-09T08:00:00Z");
  follow_up.actor = "controlling-jc";
  follow_up.status = domain::MeasureStatus::in_progress;
  follow_up.note = "läuft";
  follow_up.changes = {{domain::MeasureField::status, "agreed", "in_progress"}};
  view.follow_ups.push_back(follow_up);
  return view;
}

TEST(MeasuresJson, DocumentHasTheDocumentedFields) {
  const std::string text = measures_json({measure_view()}, date("2025-10-01"));
  EXPECT_TRUE(text.starts_with("{\n  \"measures\": [\n    {\n")) << text;
  EXPECT_NE(text.back(), '\n');
  const json document = json::parse(text);
  EXPECT_EQ(document["today"], "2025-10-01");
  ASSERT_EQ(document["measures"].size(), 1u);
  const json& measure = document["measures"][0];
  EXPECT_EQ(measure["id"], 7);
  EXPECT_EQ(measure["goal"], "iq-frauen");
  EXPECT_EQ(measure["agreed_in"], "ba-zielnachhaltedialog/2025-06");
  EXPECT_EQ(measure["owner"], "jobcenter");
  EXPECT_EQ(measure["assignee"], "Team Arbeitgeberservice");
  EXPECT_EQ(measure["due"], "2025-09-30");
  EXPECT_TRUE(measure["follow_up"].is_null());
  EXPECT_EQ(measure["status"], "in_progress");
  EXPECT_TRUE(measure["reason"].is_null());
  EXPECT_EQ(measure["created_at"], "2025-07-08T08:00:00.000Z");
  EXPECT_EQ(measure["created_by"], "controlling-jc");
  EXPECT_EQ(measure["updated_at"], "2025-07-09T08:00:00.000Z");
  EXPECT_EQ(measure["workflow"], "ba-zielnachhaltedialog");
  EXPECT_EQ(measure["overdue"], true);
  ASSERT_EQ(measure["follow_ups"].size(), 1u);
  const json& follow_up = measure["follow_ups"][0];
  EXPECT_EQ(follow_up["id"], 3);
  EXPECT_EQ(follow_up["measure"], 7);
  EXPECT_TRUE(follow_up["review"].is_null());
  EXPECT_EQ(follow_up["note"], "läuft");
  EXPECT_EQ(follow_up["changes"], json::parse(R"({"status":["agreed","in_progress"]})"));
}

TEST(MeasuresJson, NoMeasuresIsAnEmptyList) {
  EXPECT_EQ(measures_json({}, date("2025-10-01")),
            "{\n  \"measures\": [],\n  \"today\": \"2025-10-01\"\n}");
}

TEST(MeasuresJson, SingleMeasureAndFollowUpAreCompactAndMatchTheList) {
  MeasureView view = measure_view();
  view.measure.follow_up_on = date("2025-08-15");
  view.measure.status = domain::MeasureStatus::dropped;
  view.measure.reason = "kein Budget";
  view.follow_ups[0].review_id = "ba-zielnachhaltedialog/2025-07";
  const std::string measure = measure_json(view.measure);
  const std::string follow_up = measure_follow_up_json(view.follow_ups[0]);
  EXPECT_FALSE(contains(measure, "\n") || contains(measure, ": ")) << measure;
  EXPECT_FALSE(contains(follow_up, "\n")) << follow_up;

  const json parsed = json::parse(measure);
  EXPECT_EQ(parsed["follow_up"], "2025-08-15");
  EXPECT_EQ(parsed["reason"], "kein Budget");
  EXPECT_EQ(json::parse(follow_up)["review"], "ba-zielnachhaltedialog/2025-07");
  EXPECT_EQ(json::parse(follow_up)["changes"],
            json::parse(R"({"status":["agreed","in_progress"]})"));

  // The list shows each measure the same way, plus its view's fields.
  json listed = json::parse(measures_json({view}, date("2025-10-01")))["measures"][0];
  EXPECT_EQ(listed["follow_ups"][0], json::parse(follow_up));
  listed.erase("workflow");
  listed.erase("overdue");
  listed.erase("follow_ups");
  EXPECT_EQ(listed, parsed);
}

// ---- Audit queries -------------------------------------------------------

Result<storage::AuditQuery> query_of(const AuditQueryRequest& request,
                                     std::string_view prefix = "--") {
  return audit_query(example(), request, prefix);
}

std::string error_of(const AuditQueryRequest& request, std::string_view prefix = "--") {
  const auto query = query_of(request, prefix);
  EXPECT_FALSE(query.ok());
  if (query.ok()) return "";
  EXPECT_EQ(query.error().kind, ErrorKind::usage);
  return query.error().message;
}

TEST(AuditQuery, DefaultsAreTheNewestFiftyOfEverything) {
  const auto query = query_of({});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_TRUE(query.value().objects.empty());
  EXPECT_FALSE(query.value().actor.has_value());
  EXPECT_TRUE(query.value().operations.empty());
  EXPECT_FALSE(query.value().since.has_value());
  EXPECT_FALSE(query.value().until.has_value());
  EXPECT_TRUE(query.value().newest_first);
  EXPECT_EQ(query.value().limit, kAuditQueryDefaultLimit);
  EXPECT_EQ(kAuditQueryDefaultLimit, 50);
}

TEST(AuditQuery, EveryFilterBecomesPartOfTheQuery) {
  AuditQueryRequest request;
  request.goal = "iq-frauen";
  request.measure = "3";
  request.review = "ba-zielnachhaltedialog/2025-06";
  request.objects = {"import:2"};
  request.actor = "controlling-jc";
  request.operations = {"measure.*", "review.prepare"};
  request.since = "2025-07-01";        // from the start of that day, Berlin time
  request.until = "2025-07-02T10:00";  // that minute, Berlin time
  request.all = true;
  request.oldest_first = true;
  const auto query = query_of(request);
  ASSERT_TRUE(query.ok()) << query.error().message;
  const auto& objects = query.value().objects;
  ASSERT_EQ(objects.size(), 4u);
  EXPECT_EQ(objects[0].kind + ":" + objects[0].id, "goal:iq-frauen");
  EXPECT_EQ(objects[1].kind + ":" + objects[1].id, "measure:3");
  EXPECT_EQ(objects[2].kind + ":" + objects[2].id, "review:ba-zielnachhaltedialog/2025-06");
  EXPECT_EQ(objects[3].kind + ":" + objects[3].id, "import:2");
  EXPECT_EQ(query.value().actor, "controlling-jc");
  EXPECT_EQ(query.value().operations, request.operations);
  EXPECT_EQ(query.value().since, at("2025-06-30T22:00:00Z"));
  // Up to and including that millisecond: the storage bound is exclusive.
  EXPECT_EQ(query.value().until, at("2025-07-02T08:00:00.001Z"));
  EXPECT_EQ(query.value().limit, INT64_MAX);
  EXPECT_FALSE(query.value().newest_first);
}

TEST(AuditQuery, UntilADateIncludesThatWholeDay) {
  AuditQueryRequest request;
  request.since = "2025-07-01";
  request.until = "2025-07-01";  // the same day: from its start to its end
  const auto query = query_of(request);
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query.value().since, at("2025-06-30T22:00:00Z"));
  EXPECT_EQ(query.value().until, at("2025-07-01T22:00:00Z"));
}

TEST(AuditQuery, UnknownObjectKindIsRefusedWithDidYouMean) {
  AuditQueryRequest request;
  request.objects = {"goa:iq-frauen"};
  const std::string message = error_of(request);
  EXPECT_TRUE(
      message.starts_with("--object: unknown kind 'goa' (did you mean 'goal'?); kinds: "
                          "goal, "))
      << message;
}

TEST(AuditQuery, ObjectWithoutKindOrIdIsRefused) {
  for (const char* text : {"goal", ":iq-frauen", "goal:"}) {
    AuditQueryRequest request;
    request.objects = {text};
    EXPECT_TRUE(error_of(request).starts_with("--object: '" + std::string(text) +
                                              "' is not KIND:ID (e.g. goal:iq-frauen); kinds: "))
        << text;
  }
}

TEST(AuditQuery, UnknownOperationIsRefusedWithDidYouMean) {
  AuditQueryRequest request;
  request.operations = {"measure.ad"};
  const std::string message = error_of(request);
  EXPECT_TRUE(message.starts_with(
      "--operation: unknown operation 'measure.ad' (did you mean 'measure.add'?); operations: "))
      << message;
  EXPECT_TRUE(message.ends_with(" (or a prefix such as measure.*)")) << message;
}

TEST(AuditQuery, PrefixMustMatchAnOperation) {
  AuditQueryRequest request;
  request.operations = {"escalation.*"};
  EXPECT_TRUE(query_of(request).ok());
  for (const char* operation : {"foo.*", ".*", "*"}) {
    request.operations = {operation};
    EXPECT_TRUE(
        error_of(request).starts_with("--operation: unknown operation '" + std::string(operation)))
        << operation;
  }
}

TEST(AuditQuery, UntilMustBeAfterSince) {
  AuditQueryRequest request;
  request.since = "2025-07-02";
  request.until = "2025-07-01";
  EXPECT_EQ(error_of(request), "--until must be after --since");
  request.since = "2025-07-02T10:00";
  request.until = "2025-07-02T10:00";  // includes that minute's first millisecond
  EXPECT_TRUE(query_of(request).ok());
  request.since = "2025-07-02T08:00:00.001Z";
  request.until = "2025-07-02T10:00";  // 08:00:00.000Z
  EXPECT_EQ(error_of(request), "--until must be after --since");
}

TEST(AuditQuery, TimeThatDoesNotParseIsRefused) {
  AuditQueryRequest request;
  request.since = "2025-13-01";
  EXPECT_TRUE(error_of(request).starts_with("--since: '2025-13-01' is not a date or time; "))
      << error_of(request);
  request.since.clear();
  request.until = "bogus";
  EXPECT_TRUE(error_of(request).starts_with("--until: 'bogus' is not a date or time; "));
}

TEST(AuditQuery, LimitMustBeAtLeastOneEvenWithAll) {
  AuditQueryRequest request;
  request.limit = 0;
  EXPECT_EQ(error_of(request), "--limit must be at least 1");
  request.limit = -3;
  request.all = true;
  EXPECT_EQ(error_of(request), "--limit must be at least 1");
  request.limit = 1;
  request.all = false;
  ASSERT_TRUE(query_of(request).ok());
  EXPECT_EQ(query_of(request).value().limit, 1);
}

TEST(AuditQuery, MessagesNameUrlParametersByDefault) {
  AuditQueryRequest request;
  request.limit = 0;
  const auto query = audit_query(example(), request);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().message, "limit must be at least 1");
}

TEST(AuditQuery, MessagesNameTheOptionAsTheCallerSpellsIt) {
  AuditQueryRequest request;
  request.limit = 0;
  EXPECT_EQ(error_of(request, ""), "limit must be at least 1");
  request.limit = 5;
  request.since = "2025-07-02";
  request.until = "2025-07-01";
  EXPECT_EQ(error_of(request, ""), "until must be after since");
  request.until = "x";
  EXPECT_TRUE(error_of(request, "").starts_with("until: 'x' is not")) << error_of(request, "");
  request.until.clear();
  request.objects = {"goa:x"};
  EXPECT_TRUE(error_of(request, "").starts_with("object: unknown kind 'goa'"));
  request.objects.clear();
  request.operations = {"measure.ad"};
  EXPECT_TRUE(error_of(request, "").starts_with("operation: unknown operation 'measure.ad'"));
}

// ---- Audit records and the query document ---------------------------------

storage::AuditRecord record_with_payload(std::string payload) {
  storage::AuditRecord record;
  record.seq = 4;
  record.recorded_at = at("2025-07-03T08:00:00Z");
  record.actor = "controlling-jc";
  record.operation = "measure.add";
  record.rule_set_version = "d117ab8a672d";
  record.payload = std::move(payload);
  record.previous_hash = std::string(64, '0');
  record.hash = std::string(64, 'a');
  return record;
}

TEST(AuditRecordJson, PayloadFieldsAndHashes) {
  const std::string text =
      audit_record_json(record_with_payload(R"({"actor":"controlling-jc","details":{"title":"T"},)"
                                            R"("objects":[{"id":"1","kind":"measure"}],"seq":4})"));
  EXPECT_EQ(text, R"({"actor":"controlling-jc","details":{"title":"T"},"hash":")" +
                      std::string(64, 'a') +
                      R"(","objects":[{"id":"1","kind":"measure"}],"previous_hash":")" +
                      std::string(64, '0') + R"(","seq":4})");
}

TEST(AuditRecordJson, UnreadablePayloadIsShownByItsColumns) {
  for (const char* payload : {"{broken", "[1,2]", ""}) {
    const json record = json::parse(audit_record_json(record_with_payload(payload)));
    EXPECT_EQ(record["unreadable_payload"], true) << payload;
    EXPECT_EQ(record["seq"], 4);
    EXPECT_EQ(record["recorded_at"], "2025-07-03T08:00:00.000Z");
    EXPECT_EQ(record["actor"], "controlling-jc");
    EXPECT_EQ(record["operation"], "measure.add");
    EXPECT_EQ(record["rule_set_version"], "d117ab8a672d");
    EXPECT_EQ(record["objects"], json::array());
    EXPECT_EQ(record["details"], json::object());
    EXPECT_EQ(record["hash"], std::string(64, 'a'));
  }
}

TEST(AuditRecordJson, TextThatIsNotUtf8IsReplacedNotRefused) {
  storage::AuditRecord record = record_with_payload("{broken");
  record.actor = "bad\xff";
  const json parsed = json::parse(audit_record_json(record));
  EXPECT_EQ(parsed["actor"], "bad\xef\xbf\xbd");
}

class AuditQueryJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        open_database(example(), dir_.path() / "zielwerk.db", OpenMode::create_if_missing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(opened).value();
  }

  void append(const char* time, const char* actor, const char* goal) {
    const Status written = db_->write([&]() -> Status {
      storage::AuditEvent event;
      event.recorded_at = at(time);
      event.actor = actor;
      event.operation = "rules.change";
      event.objects = {{"goal", goal}};
      event.rule_set_version = example().rules.version;
      storage::append_audit_record(*db_, event);
      return Ok{};
    });
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  std::string written(const AuditQueryRequest& request) {
    const auto query = audit_query(example(), request, "--");
    EXPECT_TRUE(query.ok());
    std::ostringstream out;
    const Status status = write_audit_query_json(*db_, query.value(), request.oldest_first, out);
    EXPECT_TRUE(status.ok()) << status.error().message;
    return out.str();
  }

  TempDir dir_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(AuditQueryJsonTest, OrderThatContradictsTheQueryIsAProgrammingError) {
  const auto query = audit_query(example(), {});  // newest first
  ASSERT_TRUE(query.ok());
  std::ostringstream out;
  EXPECT_THROW((void)write_audit_query_json(*db_, query.value(), true, out), std::logic_error);
  EXPECT_EQ(out.str(), "");
}

TEST_F(AuditQueryJsonTest, NoRecordIsAnEmptyList) {
  EXPECT_EQ(written({}),
            "{\n  \"order\": \"newest_first\",\n  \"total\": 0,\n  \"records\": []\n}");
}

TEST_F(AuditQueryJsonTest, RecordsOneALineWithTheTotalBeyondTheLimit) {
  append("2025-07-01T08:00:00Z", "controlling-jc", "iq-frauen");
  append("2025-07-02T08:00:00Z", "sozialamt-kreis", "kdu-kostensenkung");
  append("2025-07-03T08:00:00Z", "controlling-jc", "iq-frauen");
  AuditQueryRequest request;
  request.limit = 2;
  request.oldest_first = true;
  const std::string text = written(request);
  EXPECT_TRUE(
      text.starts_with("{\n  \"order\": \"oldest_first\",\n  \"total\": 3,\n"
                       "  \"records\": [\n    {"))
      << text;
  EXPECT_TRUE(text.ends_with("}\n  ]\n}")) << text;
  const json document = json::parse(text);
  ASSERT_EQ(document["records"].size(), 2u);
  EXPECT_EQ(document["records"][0]["seq"], 1);
  EXPECT_EQ(document["records"][1]["seq"], 2);

  // Each line is the record as audit_record_json shows it.
  const auto records = storage::read_audit_records(*db_, 0, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(contains(text, "\n    " + audit_record_json(records[0]) + ",\n")) << text;

  request = {};
  request.goal = "iq-frauen";
  const json newest = json::parse(written(request));
  EXPECT_EQ(newest["order"], "newest_first");
  EXPECT_EQ(newest["total"], 2);
  EXPECT_EQ(newest["records"][0]["seq"], 3);
  EXPECT_EQ(newest["records"][1]["seq"], 1);
  EXPECT_EQ(newest["records"][0]["actor"], "controlling-jc");
  EXPECT_EQ(newest["records"][0]["operation"], "rules.change");
  EXPECT_TRUE(newest["records"][0]["hash"].is_string());
  EXPECT_EQ(newest["records"][1]["previous_hash"], std::string(64, '0'));
}

}  // namespace
}  // namespace zielwerk::engine
