#include "zielwerk/web/dashboard.h"

#include <algorithm>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/meetings.h"
#include "zielwerk/engine/overview.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/build.h"
#include "zielwerk/report/html_parts.h"
#include "zielwerk/report/render.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::web {
namespace {

using locale::Language;
using locale::Phrase;
using nlohmann::json;
using report::html_escape;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  for (const char c : text) {
    if (c == separator) {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

// For query values in links: everything but unreserved characters (RFC 3986).
std::string percent_encode(const std::string& text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0F];
    }
  }
  return encoded;
}

// A request's parameters with their problems: the first bad one answers 400.
class Parameters {
 public:
  explicit Parameters(const HttpRequest& request) : request_(request) {}

  std::string text(const std::string& name) const {
    const auto it = request_.query.find(name);
    return it == request_.query.end() ? std::string() : it->second;
  }
  bool flag(const std::string& name) const {
    const std::string value = text(name);
    return value == "1" || value == "true" || value == "yes" || value == "on";
  }
  Result<Language> language() const {
    const std::string value = text("lang");
    if (value.empty()) return Language::de;
    const auto parsed = locale::parse_language(value);
    if (!parsed) return Error::usage("lang: '" + value + "' is not de or en");
    return *parsed;
  }
  Result<std::optional<YearMonth>> period(const std::string& name) const {
    const std::string value = text(name);
    if (value.empty()) return std::optional<YearMonth>();
    const auto parsed = YearMonth::parse(value);
    if (!parsed) return Error::usage(name + ": " + quote(value) + " " + month_problem(value));
    return std::optional<YearMonth>(*parsed);
  }
  Result<std::optional<std::chrono::year_month_day>> date(const std::string& name) const {
    const std::string value = text(name);
    if (value.empty()) return std::optional<std::chrono::year_month_day>();
    const auto parsed = parse_date(value);
    if (!parsed) return Error::usage(name + ": " + quote(value) + " " + date_problem(value));
    return std::optional<std::chrono::year_month_day>(*parsed);
  }

 private:
  const HttpRequest& request_;
};

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  if (!response.body.ends_with('\n')) response.body += '\n';
  return response;
}

bool is_api(const HttpRequest& request) {
  return request.path.starts_with("/api/");
}

std::string error_page(int status, const std::string& message) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>zielwerk: " +
         std::to_string(status) + "</title><style>" + report::document_css() +
         "</style></head><body><main><h1>" + std::to_string(status) + "</h1><p class=\"error\">" +
         html_escape(message) + "</p><p><a href=\"/\">zielwerk</a></p></main></body></html>\n";
}

HttpResponse error_response(const HttpRequest& request, int status, const std::string& message) {
  if (is_api(request))
    return json_response(
        status, json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace));
  HttpResponse response;
  response.status = status;
  response.body = error_page(status, message);
  return response;
}

int status_of(const Error& error) {
  switch (error.kind) {
    case ErrorKind::usage:
    case ErrorKind::invalid_input:
    case ErrorKind::check_failed:
      return 400;
    case ErrorKind::storage:
    case ErrorKind::io:
      return 503;
  }
  return 500;
}

// The dashboard's own words come from the one catalogue (locale/catalogue.h).
std::string word(Phrase phrase, Language language) {
  return std::string(locale::phrase(phrase, language));
}

std::string review_state_label(domain::ReviewState state, Language language) {
  switch (state) {
    case domain::ReviewState::prepared:
      return word(Phrase::review_agenda_ready, language);
    case domain::ReviewState::closed:
      return word(Phrase::review_minutes, language);
    case domain::ReviewState::missed:
      return word(Phrase::review_missed, language);
  }
  return "";
}

std::string lang_code(Language language) {
  return language == Language::en ? "en" : "de";
}

// A link within the dashboard, keeping the language. The token travels in a
// cookie the server set, never in links.
std::string link(const std::string& path, Language language,
                 const std::vector<std::pair<std::string, std::string>>& parameters = {}) {
  std::string url = path;
  char separator = '?';
  const auto add = [&](const std::string& name, const std::string& value) {
    url += separator + name + "=" + percent_encode(value);
    separator = '&';
  };
  for (const auto& [name, value] : parameters)
    add(name, value);
  if (language == Language::en) add("lang", "en");
  return html_escape(url);
}

std::string page(const engine::Project& project, Language language, const std::string& title,
                 const std::string& body) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"" + lang_code(language) +
                     "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n<title>" +
                     html_escape(title) + "</title>\n<style>" + report::document_css() +
                     "</style>\n</head>\n<body>\n<nav class=\"dashboard-nav\"><strong>" +
                     html_escape(project.rules.agreement.title) + "</strong> · <a href=\"" +
                     link("/", language) + "\">" + word(Phrase::dashboard_overview, language) +
                     "</a> · <a href=\"" + link("/region", language) + "\">" +
                     word(Phrase::dashboard_region, language) + "</a> · <a href=\"" +
                     link("/audit", language) + "\">" + word(Phrase::dashboard_audit, language) +
                     "</a> · <a href=\"" +
                     link("/", language == Language::en ? Language::de : Language::en) + "\">" +
                     (language == Language::en ? "Deutsch" : "English") + "</a></nav>\n<main>\n" +
                     body + "</main>\n<footer><p>" + word(Phrase::read_only, language) +
                     "</p></footer>\n</body>\n</html>\n";
  return html;
}

HttpResponse html_response(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

// The latest month with stored figures, not after the agreement's December:
// what the dashboard shows unless asked for another.
std::optional<YearMonth> latest_period(const engine::Project& project,
                                       const engine::EvaluationInputs& inputs) {
  const YearMonth last(project.rules.agreement.year, 12);
  std::optional<YearMonth> latest;
  for (const auto& observation : inputs.observations) {
    if (observation.period > last) continue;
    if (!latest || observation.period > *latest) latest = observation.period;
  }
  return latest;
}

Result<std::string> meetings_table(const engine::Project& project, storage::Database& database,
                                   std::chrono::year_month_day today, Language language) {
  engine::ScheduleRequest request;
  request.from = today;
  request.to =
      std::chrono::year_month_day(std::chrono::sys_days(today) + std::chrono::days(kUpcomingDays));
  const auto schedule = engine::project_schedule(project, request);
  if (!schedule || schedule.value().meetings.empty()) {
    return "<p class=\"empty\">" + word(Phrase::dashboard_no_meetings, language) + "</p>\n";
  }
  auto reviews = engine::list_reviews(project, database, {});
  if (!reviews) return reviews.error();
  std::map<std::string, domain::ReviewState> stored;
  for (const auto& summary : reviews.value())
    stored.emplace(summary.review.id, summary.review.state);
  std::string html =
      "<table class=\"meetings\"><thead><tr><th>" + word(Phrase::col_date, language) + "</th><th>" +
      word(Phrase::col_time, language) + "</th><th>" + word(Phrase::col_meeting, language) +
      "</th><th>" + word(Phrase::reporting_month, language) + "</th><th>" +
      word(Phrase::col_state, language) + "</th></tr></thead><tbody>\n";
  for (const auto& entry : schedule.value().meetings) {
    const auto& meeting = entry.meeting;
    if (meeting.skipped()) continue;
    const auto minutes = meeting.time_of_day.count();
    char clock[8];
    std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                  static_cast<int>(minutes % 60));
    std::string state = word(Phrase::meeting_planned, language);
    const auto review = stored.find(meeting.id());
    if (review != stored.end() && review->second == domain::ReviewState::missed) {
      state = review_state_label(review->second, language);  // no agenda to link to
    } else if (review != stored.end()) {
      state = "<a href=\"" + link("/report/review", language, {{"id", meeting.id()}}) + "\">" +
              review_state_label(review->second, language) + "</a>";
    }
    html += "<tr data-meeting=\"" + html_escape(meeting.id()) + "\"><td>" +
            locale::format_date(*meeting.date, language) + "</td><td>" + clock + "</td><td>" +
            html_escape(entry.workflow->title) + "</td><td>" +
            locale::format_month(meeting.reviews, language) + "</td><td>" + state + "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

HttpResponse overview(const engine::Project& project, storage::Database& database,
                      const Parameters& parameters, std::chrono::year_month_day today) {
  auto language = parameters.language();
  if (!language) return error_response({}, 400, language.error().message);
  auto requested = parameters.period("period");
  if (!requested) return error_response({}, 400, requested.error().message);
  const Language lang = language.value();

  std::string body;
  std::string title = project.rules.agreement.title;
  const Status read = database.snapshot([&]() -> Status {
    std::optional<YearMonth> period = requested.value();
    if (!period) {
      auto inputs = engine::load_evaluation_inputs(project, database, {});
      if (!inputs) return inputs.error();
      period = latest_period(project, inputs.value());
    }
    if (!period) {
      body += "<h1>" + html_escape(title) + "</h1>\n<p class=\"empty\">" +
              word(Phrase::no_figures, lang) + "</p>\n";
    } else {
      auto document = report::build_year_document(project, database, *period, {}, today);
      if (!document) return document.error();
      const report::Document& d = document.value();
      body += "<h1>" + html_escape(title) + "</h1>\n<p class=\"period\">" +
              word(Phrase::reporting_month, lang) + ": <span " + "data-period=\"" +
              period->to_string() + "\">" + locale::format_month(*period, lang) + "</span></p>\n";
      body += "<section id=\"goals\"><h2>" + word(Phrase::dashboard_goals, lang) + "</h2>\n" +
              report::html_status_table(d.goals, lang) + "</section>\n";
      body += "<section id=\"charts\"><h2>" + word(Phrase::dashboard_charts, lang) + "</h2>\n";
      for (const auto& chart : d.charts)
        body += report::html_chart_figure(chart, lang);
      body += "</section>\n";
    }
    auto meetings = meetings_table(project, database, today, lang);
    if (!meetings) return meetings.error();
    body += "<section id=\"meetings\"><h2>" + word(Phrase::dashboard_meetings, lang) + "</h2>\n" +
            meetings.value() + "</section>\n";
    auto measures = report::open_measure_lines(project, database, today);
    if (!measures) return measures.error();
    body += "<section id=\"measures\"><h2>" + word(Phrase::section_measures, lang) + "</h2>\n" +
            report::html_measures_table(measures.value(), lang) + "</section>\n";
    return Ok{};
  });
  if (!read) return error_response({}, status_of(read.error()), read.error().message);
  return html_response(page(project, lang, title, body));
}

// How urgent a status is for the region's sort: what is behind first.
int urgency(const engine::OverviewGoal* goal) {
  if (goal == nullptr) return 9;
  switch (goal->status) {
    case rules::GoalStatus::missed:
    case rules::GoalStatus::overdue:
      return 0;
    case rules::GoalStatus::at_risk:
      return 1;
    case rules::GoalStatus::open:
      return 2;
    case rules::GoalStatus::no_data:
      return 3;
    case rules::GoalStatus::observed:
      return 4;
    case rules::GoalStatus::met:
    case rules::GoalStatus::done:
      return 5;
  }
  return 9;
}

// The month a region looks at by default: the one reviewed in this month's
// meetings, the month before today.
YearMonth previous_month(std::chrono::year_month_day today) {
  const int year = static_cast<int>(today.year());
  const int month = static_cast<int>(static_cast<unsigned>(today.month()));
  return month == 1 ? YearMonth(year - 1, 12) : YearMonth(year, month - 1);
}

// Every agreement the connection may read as rows, its goals as columns, a
// traffic light per cell (docs/dashboard.md); `sort` is `agreement` or a goal
// (what is behind on it first). Server-side, so it works without scripts.
HttpResponse region_page(const engine::Project& project, storage::Database& database,
                         const Parameters& parameters, std::chrono::year_month_day today) {
  auto language = parameters.language();
  if (!language) return error_response({}, 400, language.error().message);
  auto requested = parameters.period("period");
  if (!requested) return error_response({}, 400, requested.error().message);
  const Language lang = language.value();
  const YearMonth period = requested.value().value_or(previous_month(today));
  auto overview = engine::regional_overview(database, period);
  if (!overview) return error_response({}, status_of(overview.error()), overview.error().message);
  engine::Overview& o = overview.value();
  const std::string sort = parameters.text("sort");
  if (!sort.empty() && sort != "agreement" &&
      std::find(o.goals.begin(), o.goals.end(), sort) == o.goals.end()) {
    return error_response({}, 400,
                          "sort: " + quote(sort) + " is not 'agreement' or a goal of the overview");
  }
  if (!sort.empty() && sort != "agreement") {
    std::stable_sort(o.rows.begin(), o.rows.end(),
                     [&](const engine::OverviewRow& a, const engine::OverviewRow& b) {
                       return urgency(a.find(sort)) < urgency(b.find(sort));
                     });
  }
  const std::string month = period.to_string();
  const std::string title = word(Phrase::dashboard_region, lang);
  std::string body = "<h1>" + html_escape(title) + "</h1>\n<p class=\"period\">" +
                     word(Phrase::reporting_month, lang) + ": <span data-period=\"" + month +
                     "\">" + locale::format_month(period, lang) + "</span> · " +
                     word(Phrase::region_sorted_by, lang) + " <span data-sort=\"" +
                     html_escape(sort.empty() ? "agreement" : sort) + "\">" +
                     html_escape(sort.empty() ? "agreement" : sort) + "</span></p>\n";
  body += "<table class=\"region\"><thead><tr><th><a href=\"" +
          link("/region", lang, {{"period", month}, {"sort", "agreement"}}) + "\">" +
          word(Phrase::col_agreement, lang) + "</a></th>";
  for (const auto& goal : o.goals) {
    body += "<th><a href=\"" + link("/region", lang, {{"period", month}, {"sort", goal}}) + "\">" +
            html_escape(goal) + "</a></th>";
  }
  body += "</tr></thead><tbody>\n";
  for (const auto& row : o.rows) {
    body += "<tr data-agreement=\"" + html_escape(row.agreement) + "\"><th>" +
            html_escape(row.agreement) + "</th>";
    if (row.review.empty()) {
      body += "<td colspan=\"" + std::to_string(std::max<std::size_t>(o.goals.size(), 1)) +
              "\" class=\"empty\">" + word(Phrase::region_no_review, lang) + "</td>";
    } else {
      for (const auto& goal : o.goals) {
        const engine::OverviewGoal* cell = row.find(goal);
        if (cell == nullptr) {
          body += "<td></td>";
          continue;
        }
        const std::string name = rules::to_string(cell->status);
        body += "<td class=\"status status-" + html_escape(name) + "\" data-status=\"" +
                html_escape(name) + "\">" + html_escape(locale::status_label(cell->status, lang));
        if (cell->value && cell->unit) {
          body += "<br><small>" +
                  html_escape(locale::format_quantity(*cell->value, *cell->unit, lang)) +
                  "</small>";
        }
        body += "</td>";
      }
    }
    body += "</tr>\n";
  }
  body += "</tbody></table>\n";
  return html_response(page(project, lang, title, body));
}

HttpResponse api_region(storage::Database& database, const Parameters& parameters,
                        const HttpRequest& request, std::chrono::year_month_day today) {
  auto requested = parameters.period("period");
  if (!requested) return error_response(request, 400, requested.error().message);
  auto overview =
      engine::regional_overview(database, requested.value().value_or(previous_month(today)));
  if (!overview) {
    return error_response(request, status_of(overview.error()), overview.error().message);
  }
  return json_response(200, engine::overview_json(overview.value()));
}

engine::AuditQueryRequest audit_request(const Parameters& parameters) {
  engine::AuditQueryRequest request;
  request.goal = parameters.text("goal");
  request.measure = parameters.text("measure");
  request.review = parameters.text("review");
  if (const std::string object = parameters.text("object"); !object.empty()) {
    request.objects.push_back(object);
  }
  request.actor = parameters.text("actor");
  if (const std::string operation = parameters.text("operation"); !operation.empty()) {
    for (const auto& part : split(operation, ','))
      request.operations.push_back(part);
  }
  request.since = parameters.text("since");
  request.until = parameters.text("until");
  // `all` is answered as the largest page (limit_of), never the whole trail.
  request.oldest_first = parameters.flag("oldest_first");
  return request;
}

// The most records one answer holds: the server answers one request at a
// time in the daemon's process, so no request may ask for the whole trail
// (`audit export` is the tool for that).
constexpr std::int64_t kMaxAuditRecords = 1000;

// `limit` as the CLI reads it, up to kMaxAuditRecords; `all=1` means that many.
Result<std::int64_t> limit_of(const Parameters& parameters, std::int64_t fallback) {
  const std::string text = parameters.text("limit");
  const std::string range =
      " from 1 to " + std::to_string(kMaxAuditRecords) + " (audit export gives the whole trail)";
  if (text.empty()) return parameters.flag("all") ? kMaxAuditRecords : fallback;
  if (text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Error::usage("limit: '" + text + "' is not a number" + range);
  }
  const std::int64_t value = std::stoll(text);
  if (value < 1 || value > kMaxAuditRecords) {
    return Error::usage("limit: " + text + " is not" + range);
  }
  return value;
}

std::string audit_form(const Parameters& parameters, Language language) {
  std::string html = "<form method=\"get\" action=\"/audit\" class=\"audit-filter\">";
  for (const char* name : {"goal", "measure", "review", "actor", "operation", "since", "until"}) {
    html += "<label>" + std::string(name) + " <input name=\"" + name + "\" value=\"" +
            html_escape(parameters.text(name)) + "\"></label> ";
  }
  if (language == Language::en) html += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  return html + "<button type=\"submit\">" + word(Phrase::filter, language) + "</button></form>\n";
}

HttpResponse audit_page(const engine::Project& project, storage::Database& database,
                        const Parameters& parameters) {
  auto language = parameters.language();
  if (!language) return error_response({}, 400, language.error().message);
  const Language lang = language.value();
  std::string body =
      "<h1>" + word(Phrase::dashboard_audit, lang) + "</h1>\n" + audit_form(parameters, lang);
  engine::AuditQueryRequest request = audit_request(parameters);
  auto limit = limit_of(parameters, 50);
  if (!limit) return error_response({}, 400, limit.error().message);
  request.limit = limit.value();
  auto query = engine::audit_query(project, request);
  if (!query) {
    body += "<p class=\"error\" role=\"alert\">" + html_escape(query.error().message) + "</p>\n";
    HttpResponse response =
        html_response(page(project, lang, word(Phrase::dashboard_audit, lang), body));
    response.status = 400;
    return response;
  }
  auto answer = engine::audit_page(database, query.value());
  if (!answer) return error_response({}, status_of(answer.error()), answer.error().message);
  const auto& entries = answer.value().entries;
  if (entries.empty()) {
    body += "<p class=\"empty\">" + word(Phrase::no_records, lang) + "</p>\n";
  } else {
    body += "<p>" + std::to_string(entries.size()) + " / " + std::to_string(answer.value().total) +
            " " + word(Phrase::records, lang) + "</p>\n";
    body += "<table class=\"audit\"><thead><tr><th>" + word(Phrase::col_number, lang) +
            "</th><th>" + word(Phrase::col_recorded_at, lang) + "</th><th>" +
            word(Phrase::col_who, lang) + "</th><th>" + word(Phrase::col_operation, lang) +
            "</th><th>" + word(Phrase::col_objects, lang) + "</th><th>" +
            word(Phrase::col_hash, lang) + "</th></tr></thead><tbody>\n";
    for (const auto& entry : entries) {
      const std::string seq = std::to_string(entry.record.seq);
      std::vector<std::string> objects;
      for (const auto& object : entry.objects)
        objects.push_back(object.kind + ":" + object.id);
      body += "<tr data-seq=\"" + seq + "\"><td>" + seq + "</td><td>" +
              html_escape(format_timestamp(entry.record.recorded_at)) + "</td><td>" +
              html_escape(entry.record.actor) + "</td><td>" + html_escape(entry.record.operation) +
              "</td><td>" + html_escape(join(objects, ", ")) + "</td><td><code>" +
              html_escape(entry.record.hash.substr(0, 12)) + "</code></td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  return html_response(page(project, lang, word(Phrase::dashboard_audit, lang), body));
}

HttpResponse review_report(const engine::Project& project, storage::Database& database,
                           const Parameters& parameters) {
  auto language = parameters.language();
  if (!language) return error_response({}, 400, language.error().message);
  const std::string id = parameters.text("id");
  if (id.empty()) return error_response({}, 400, "id: name the review, e.g. ?id=workflow/2025-06");
  auto document = report::build_review_document(project, database, id);
  if (!document) {
    const int status = document.error().kind == ErrorKind::usage ? 404 : 503;
    return error_response({}, status, document.error().message);
  }
  return html_response(report::render_html(document.value(), language.value()));
}

HttpResponse year_report(const engine::Project& project, storage::Database& database,
                         const Parameters& parameters, std::chrono::year_month_day today) {
  auto language = parameters.language();
  if (!language) return error_response({}, 400, language.error().message);
  auto period = parameters.period("period");
  if (!period) return error_response({}, 400, period.error().message);
  if (!period.value())
    return error_response({}, 400, "period: name the month, e.g. ?period=2025-06");
  auto document = report::build_year_document(project, database, *period.value(), {}, today);
  if (!document) return error_response({}, status_of(document.error()), document.error().message);
  return html_response(report::render_html(document.value(), language.value()));
}

HttpResponse api_status(const engine::Project& project, storage::Database& database,
                        const Parameters& parameters, const HttpRequest& request,
                        std::chrono::year_month_day today) {
  auto requested = parameters.period("period");
  if (!requested) return error_response(request, 400, requested.error().message);
  std::optional<Timestamp> known_at;
  if (const std::string text = parameters.text("known_at"); !text.empty()) {
    auto parsed = engine::parse_point_in_time(project, text, "known_at");
    if (!parsed) return error_response(request, 400, parsed.error().message);
    known_at = parsed.value();
  }
  std::string body;
  const Status read = database.snapshot([&]() -> Status {
    const auto inputs = engine::load_evaluation_inputs(project, database, known_at);
    if (!inputs) return inputs.error();
    std::optional<YearMonth> period = requested.value();
    if (!period) period = latest_period(project, inputs.value());
    if (!period) return Error::usage("no figures imported yet: no period to evaluate");
    body = engine::evaluation_json(
        engine::evaluate_period(project, inputs.value(), *period, known_at, today), 2);
    return Ok{};
  });
  if (!read) return error_response(request, status_of(read.error()), read.error().message);
  return json_response(200, std::move(body));
}

constexpr int kMaxMeetingDays = 3 * 366;

HttpResponse api_meetings(const engine::Project& project, const Parameters& parameters,
                          const HttpRequest& request, std::chrono::year_month_day today) {
  auto from = parameters.date("from");
  if (!from) return error_response(request, 400, from.error().message);
  auto to = parameters.date("to");
  if (!to) return error_response(request, 400, to.error().message);
  engine::ScheduleRequest schedule_request;
  schedule_request.from = from.value().value_or(today);
  schedule_request.to = to.value().value_or(std::chrono::year_month_day(
      std::chrono::sys_days(*schedule_request.from) + std::chrono::days(kUpcomingDays)));
  schedule_request.workflow = parameters.text("workflow");
  // Bounded like every answer: a few years of meetings, not a millennium.
  if (std::chrono::sys_days(*schedule_request.to) - std::chrono::sys_days(*schedule_request.from) >
      std::chrono::days(kMaxMeetingDays)) {
    return error_response(request, 400,
                          "from/to: at most " + std::to_string(kMaxMeetingDays) +
                              " days at once (zielwerk schedule gives any range)");
  }
  const auto schedule = engine::project_schedule(project, schedule_request);
  if (!schedule) return error_response(request, 400, schedule.error().message);
  return json_response(200, engine::schedule_json(schedule.value(), project));
}

HttpResponse api_measures(storage::Database& database, const Parameters& parameters,
                          const HttpRequest& request, std::chrono::year_month_day today) {
  engine::MeasureFilter filter;
  filter.goal = parameters.text("goal");
  filter.review_id = parameters.text("review");
  filter.open_only = parameters.flag("open");
  filter.overdue_only = parameters.flag("overdue");
  if (const std::string status = parameters.text("status"); !status.empty()) {
    filter.status = domain::parse_measure_status(status);
    if (!filter.status) {
      return error_response(
          request, 400,
          "status: '" + status + "' is not one of " + join(domain::measure_status_names(), ", "));
    }
  }
  const auto views = engine::list_measures(database, filter, today);
  if (!views) return error_response(request, status_of(views.error()), views.error().message);
  return json_response(200, engine::measures_json(views.value(), today));
}

HttpResponse api_audit(const engine::Project& project, storage::Database& database,
                       const Parameters& parameters, const HttpRequest& request) {
  engine::AuditQueryRequest audit = audit_request(parameters);
  auto limit = limit_of(parameters, 50);
  if (!limit) return error_response(request, 400, limit.error().message);
  audit.limit = limit.value();
  auto query = engine::audit_query(project, audit);
  if (!query) return error_response(request, 400, query.error().message);
  std::ostringstream out;
  const Status read =
      engine::write_audit_query_json(database, query.value(), audit.oldest_first, out);
  if (!read) return error_response(request, status_of(read.error()), read.error().message);
  return json_response(200, out.str());
}

}  // namespace

Result<std::unique_ptr<Dashboard>> Dashboard::open(std::shared_ptr<const engine::Project> project,
                                                   const std::filesystem::path& database,
                                                   Clock clock) {
  auto opened = engine::open_database(*project, database, engine::OpenMode::must_exist);
  if (!opened) return opened.error();
  opened.value()->forbid_writes();
  return std::unique_ptr<Dashboard>(
      new Dashboard(std::move(project), std::move(opened).value(), std::move(clock)));
}

Dashboard::Dashboard(std::shared_ptr<const engine::Project> project,
                     std::unique_ptr<storage::Database> database, Clock clock)
    : project_(std::move(project)), database_(std::move(database)), clock_(std::move(clock)) {}

void Dashboard::set_project(std::shared_ptr<const engine::Project> project) {
  const std::lock_guard lock(project_mutex_);
  project_ = std::move(project);
}

std::shared_ptr<const engine::Project> Dashboard::project() const {
  const std::lock_guard lock(project_mutex_);
  return project_;
}

HttpResponse Dashboard::handle(const HttpRequest& request) {
  try {
    const std::shared_ptr<const engine::Project> current = project();
    const engine::Project& p = *current;
    const Parameters parameters(request);
    const auto today = workflows::local_date(p.config.time_zone, clock_());
    storage::Database& database = *database_;
    const std::string& path = request.path;
    if (path == "/") return overview(p, database, parameters, today);
    if (path == "/audit") return audit_page(p, database, parameters);
    if (path == "/region") return region_page(p, database, parameters, today);
    if (path == "/api/region") return api_region(database, parameters, request, today);
    if (path == "/report/review") return review_report(p, database, parameters);
    if (path == "/report/year") return year_report(p, database, parameters, today);
    if (path == "/api/status") return api_status(p, database, parameters, request, today);
    if (path == "/api/meetings") return api_meetings(p, parameters, request, today);
    if (path == "/api/measures") return api_measures(database, parameters, request, today);
    if (path == "/api/audit") return api_audit(p, database, parameters, request);
    return error_response(request, 404, "no such page: " + path);
  } catch (const std::exception& error) {
    // A failing read outside a snapshot (SQLite busy, I/O): the next request
    // may succeed; the dashboard stays up.
    return error_response(request, 503, std::string("cannot answer now: ") + error.what());
  }
}

}  // namespace zielwerk::web
