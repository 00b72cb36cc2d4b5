#include "zielwerk/observations/observation_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>

#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"

namespace zielwerk::observations {
namespace {

// Whether `text` is longer than `limit` characters, as the limits are
// documented (a region "Düsseldorf" is ten): counting every byte that does not
// continue a UTF-8 sequence (the text was checked to be UTF-8 before).
bool longer_than(std::string_view text, std::size_t limit) {
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return static_cast<std::size_t>(characters) > limit || text.size() > 4 * limit;
}

// Parses a decimal number written with `.` as the decimal mark, the whole text.
std::optional<double> parse_plain_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;  // "+-5"
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "10.154,5" -> "10154.5"; nullopt when a '.' is not a thousands separator.
std::optional<std::string> from_german_notation(std::string_view text) {
  const std::size_t comma = text.find(',');
  if (comma != std::string_view::npos && text.find(',', comma + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view whole = text.substr(0, comma);
  std::string out;
  out.reserve(text.size());
  if (whole.find('.') != std::string_view::npos) {
    // Groups of three digits after the first group: 1.234.567
    std::size_t start = (!whole.empty() && (whole[0] == '-' || whole[0] == '+')) ? 1 : 0;
    const std::size_t first_dot = whole.find('.');
    if (first_dot == start || first_dot - start > 3) return std::nullopt;
    for (std::size_t dot = first_dot; dot != std::string_view::npos;) {
      const std::size_t next = whole.find('.', dot + 1);
      const std::size_t group_end = next == std::string_view::npos ? whole.size() : next;
      if (group_end - dot - 1 != 3) return std::nullopt;
      dot = next;
    }
  }
  for (const char c : whole) {
    if (c != '.') out += c;
  }
  if (comma != std::string_view::npos) {
    out += '.';
    out += text.substr(comma + 1);
  }
  return out;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The column a header name stands for, German names included; empty when none.
std::string role_of_header(std::string_view name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 14> kNames = {{
      {"metric", "metric"},
      {"kennzahl", "metric"},
      {"merkmal", "metric"},
      {"period", "period"},
      {"monat", "period"},
      {"berichtsmonat", "period"},
      {"value", "value"},
      {"wert", "value"},
      {"region", "region"},
      {"jobcenter", "region"},
      {"source", "source"},
      {"quelle", "source"},
  }};
  const std::string lower = lower_ascii(name);
  for (const auto& [header, role] : kNames) {
    if (!header.empty() && header == lower) return std::string(role);
  }
  return {};
}

std::optional<int> digits(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<YearMonth> make_month(int year, int month) {
  if (month < 1 || month > 12 || year < kFirstYear || year > kLastYear) return std::nullopt;
  return YearMonth(year, month);
}

// "25" is 2025, "2025" is 2025.
std::optional<int> year_of(std::string_view text) {
  const auto year = digits(text);
  if (!year) return std::nullopt;
  if (text.size() == 2) return 2000 + *year;
  if (text.size() == 4) return *year;
  return std::nullopt;
}

// German month names and their abbreviations (with or without a dot).
std::optional<int> month_of_name(std::string_view name) {
  static const std::array<std::pair<std::string_view, int>, 28> kMonths = {{
      {"januar", 1},   {"jan", 1},       {"februar", 2},   {"feb", 2},   {"m\u00e4rz", 3},
      {"maerz", 3},    {"m\u00e4r", 3},  {"mrz", 3},       {"april", 4}, {"apr", 4},
      {"mai", 5},      {"juni", 6},      {"jun", 6},       {"juli", 7},  {"jul", 7},
      {"august", 8},   {"aug", 8},       {"september", 9}, {"sep", 9},   {"sept", 9},
      {"oktober", 10}, {"okt", 10},      {"november", 11}, {"nov", 11},  {"dezember", 12},
      {"dez", 12},     {"m\u00c4rz", 3}, {"m\u00c4r", 3},
  }};
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  const std::string lower = lower_ascii(name);
  for (const auto& [month_name, month] : kMonths) {
    if (month_name == lower) return month;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> missing_reason(std::string_view text) {
  if (text.size() > 3) return std::nullopt;  // every placeholder is one character
  for (const auto& [placeholder, reason] : kMissingReasons) {
    if (text == placeholder) return reason;
  }
  if (text == "X") return std::string_view("not_meaningful");
  return std::nullopt;
}

std::optional<YearMonth> parse_month_notation(std::string_view text) {
  if (auto month = YearMonth::parse(text)) return month;
  // YYYYMM
  if (text.size() == 6 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_month(*digits(text.substr(0, 4)), *digits(text.substr(4)));
  }
  // MM/YYYY, MM.YYYY, DD.MM.YYYY, YYYY-MM-DD
  if (const auto date = parse_date(text)) {
    return make_month(static_cast<int>(date->year()), static_cast<int>(unsigned(date->month())));
  }
  for (const char separator : {'/', '.'}) {
    const std::size_t first = text.find(separator);
    if (first == std::string_view::npos) continue;
    const std::size_t second = text.find(separator, first + 1);
    if (second == std::string_view::npos) {
      const auto month = digits(text.substr(0, first));
      const std::string_view year_text = text.substr(first + 1);
      if (month && text.substr(0, first).size() <= 2 && year_text.size() == 4) {
        return make_month(*digits(year_text), *month);
      }
    } else if (separator == '.') {
      const auto day = digits(text.substr(0, first));
      const auto month = digits(text.substr(first + 1, second - first - 1));
      const std::string_view year_text = text.substr(second + 1);
      if (day && month && year_text.size() == 4 && digits(year_text)) {
        const std::chrono::year_month_day date{std::chrono::year(*digits(year_text)),
                                               std::chrono::month(static_cast<unsigned>(*month)),
                                               std::chrono::day(static_cast<unsigned>(*day))};
        if (date.ok()) return make_month(*digits(year_text), *month);
      }
    }
  }
  // "Juni 2025", "Jun 25", "Jun. 2025", "Jun-25"
  const std::size_t split = text.find_first_of(" -");
  if (split != std::string_view::npos) {
    std::string_view rest = text.substr(split + 1);
    while (!rest.empty() && rest.front() == ' ')
      rest.remove_prefix(1);
    const auto month = month_of_name(text.substr(0, split));
    const auto year = year_of(rest);
    if (month && year) return make_month(*year, *month);
  }
  return std::nullopt;
}

std::optional<YearMonth> month_of_number(double number) {
  if (!std::isfinite(number) || number < 1 || number > 299912) return std::nullopt;
  const double whole = std::floor(number);
  if (whole >= 100001) {
    if (whole != number) return std::nullopt;
    const auto n = static_cast<int>(whole);
    return make_month(n / 100, n % 100);
  }
  if (whole >= 100000) return std::nullopt;
  // Excel's day 60 is the 29 February 1900 that never was; days after it
  // count one too many, which day 0 on 1899-12-30 absorbs.
  using namespace std::chrono;
  const int serial = static_cast<int>(whole);
  const sys_days origin = sys_days(year(1899) / December / 30) + days(serial < 60 ? 1 : 0);
  const year_month_day date(origin + days(serial));
  return make_month(static_cast<int>(date.year()), static_cast<int>(unsigned(date.month())));
}

const std::vector<std::string>& observation_columns() {
  static const std::vector<std::string> columns = {"metric", "period", "value", "region", "source"};
  return columns;
}

namespace {

// A CSV file as a record source.
class CsvSource final : public RecordSource {
 public:
  CsvSource(std::istream& input, std::string display_name, TextEncoding encoding)
      : reader_(input, encoding), display_name_(std::move(display_name)) {}
  bool next(std::vector<CsvField>& fields, CsvError& error) override {
    return reader_.next(fields, error);
  }
  SourceLocation at(const CsvField* field) const override {
    return {display_name_, reader_.line(), field == nullptr ? 0 : reader_.column_of(*field)};
  }
  SourceLocation at(const CsvError& error) const override {
    return {display_name_, error.line, error.column};
  }
  int row() const override { return reader_.line(); }
  bool decimal_comma() const override { return reader_.separator() == ';'; }
  std::uint64_t bytes_read() const override { return reader_.bytes_read(); }
  std::string content_hash() override { return reader_.content_hash(); }
  CsvReader& reader() { return reader_; }

 private:
  CsvReader reader_;
  std::string display_name_;
};

}  // namespace

ObservationReader::ObservationReader(std::istream& input, const std::string& display_name,
                                     const rules::RuleSet& rules, ReadOptions options)
    : ObservationReader(std::make_unique<CsvSource>(input, display_name, options.encoding),
                        display_name, rules, options) {
  csv_ = &static_cast<CsvSource&>(*source_).reader();
  if (options.profile != nullptr) csv_->detect_separator_at(options.profile->header_row);
}

ObservationReader::ObservationReader(std::unique_ptr<RecordSource> source, std::string display_name,
                                     const rules::RuleSet& rules, ReadOptions options)
    : source_(std::move(source)), display_name_(std::move(display_name)), options_(options) {
  for (const auto& metric : rules.metrics) {
    metric_is_base_.emplace(metric.id, metric.is_base_series());
    if (metric.is_base_series()) base_series_ids_.push_back(metric.id);
  }
  if (options_.profile != nullptr && !options_.profile->metrics.empty()) {
    for (const auto& [label, id] : options_.profile->metrics)
      label_candidates_.push_back(label);
    label_candidates_.insert(label_candidates_.end(), base_series_ids_.begin(),
                             base_series_ids_.end());
  }
}

ObservationReader::~ObservationReader() = default;

bool ObservationReader::read_record(Diagnostics& /*diagnostics*/) {
  return source_->next(fields_, error_);
}

bool ObservationReader::read_header(Diagnostics& diagnostics) {
  const int header_row = options_.profile != nullptr ? options_.profile->header_row : 0;
  for (;;) {
    if (!read_record(diagnostics)) {
      diagnostics.error({display_name_, 0, 0},
                        header_row > 0
                            ? "the file ends before the header row " + std::to_string(header_row)
                            : std::string("the file is empty; expected a header row with the "
                                          "columns metric, period, value"));
      return false;
    }
    if (source_->row() >= header_row) break;
  }
  if (!error_.message.empty()) {
    diagnostics.error(source_->at(error_), error_.message);
    return false;
  }
  return take_header(diagnostics);
}

bool ObservationReader::take_header(Diagnostics& diagnostics) {
  // Spreadsheets often end every line with a separator: empty trailing
  // columns are not columns.
  while (fields_.size() > 1 && fields_.back().text.empty())
    fields_.pop_back();
  const ImportProfile* profile = options_.profile;
  const auto& known = observation_columns();
  bool ok = true;
  std::map<std::string, int, std::less<>> seen;
  month_columns_.clear();
  const auto named_by_profile = [&](std::string_view header) -> std::string {
    if (profile == nullptr) return {};
    const std::string lower = lower_ascii(header);
    const std::pair<const std::string*, const char*> roles[] = {
        {&profile->metric_column, "metric"},
        {&profile->period_column, "period"},
        {&profile->value_column, "value"},
        {&profile->region_column, "region"},
        {&profile->source_column, "source"}};
    for (const auto& [label, role] : roles) {
      if (!label->empty() && lower_ascii(trim_blanks(*label)) == lower) return role;
    }
    return {};
  };
  const auto named_elsewhere = [&](const std::string& role) {
    if (profile == nullptr) return false;
    if (role == "metric") return !profile->metric_column.empty();
    if (role == "period") return !profile->period_column.empty();
    if (role == "value") return !profile->value_column.empty();
    if (role == "region") return !profile->region_column.empty();
    return !profile->source_column.empty();
  };
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const CsvField& field = fields_[i];
    const auto column = static_cast<int>(i);
    std::string role = named_by_profile(field.text);
    if (role.empty() && field.kind == CellKind::text) {
      role = role_of_header(field.text);
      if (named_elsewhere(role)) role.clear();
    }
    if (role.empty()) {
      const auto month = field.kind == CellKind::text ? parse_month_notation(field.text)
                                                      : month_of_number(field.number);
      if (month) {
        month_columns_.push_back({i, *month});
        continue;
      }
      if (profile != nullptr) continue;  // a profile ignores the columns it does not name
      const std::string name = lower_ascii(field.text);
      diagnostics.error(at(field), "unknown column " + quote(field.text) +
                                       did_you_mean(name, known) + "; the columns are " +
                                       join(known, ", ") +
                                       " (or Kennzahl, Monat, Wert, Region, Quelle), or months");
      ok = false;
      continue;
    }
    if (!seen.emplace(role, column).second) {
      diagnostics.error(at(field), "column '" + role + "' appears twice");
      ok = false;
    }
  }
  const bool long_layout = seen.count("period") > 0 || seen.count("value") > 0;
  if (long_layout) {
    if (!month_columns_.empty() && profile == nullptr) {
      diagnostics.error(at(fields_[month_columns_.front().index]),
                        "a column headed by a month beside a period or value column; use one "
                        "layout: metric, period, value or a column per month");
      ok = false;
    }
    month_columns_.clear();
  }
  std::vector<std::string> required = {"metric"};
  if (long_layout || month_columns_.empty()) {
    required.emplace_back("period");
    required.emplace_back("value");
  }
  for (const auto& role : required) {
    if (seen.find(role) == seen.end()) {
      std::string label;
      if (profile != nullptr) {
        if (role == "metric") label = profile->metric_column;
        if (role == "period") label = profile->period_column;
        if (role == "value") label = profile->value_column;
      }
      diagnostics.error(
          at_row(), label.empty() ? "the header has no column '" + role +
                                        "'; required are metric, period, value, or metric and a "
                                        "column per month"
                                  : "the header has no column " + quote(label) +
                                        " (the profile's columns." + role + ")");
      ok = false;
    }
  }
  if (profile != nullptr && !profile->regions.empty() && seen.count("region") == 0) {
    diagnostics.error(at_row(),
                      "the profile keeps only some regions, but the header has no "
                      "region column");
    ok = false;
  }
  if (!ok) return false;
  auto column_of = [&](std::string_view name) {
    const auto it = seen.find(name);
    return it == seen.end() ? -1 : it->second;
  };
  metric_column_ = column_of("metric");
  period_column_ = column_of("period");
  value_column_ = column_of("value");
  region_column_ = column_of("region");
  source_column_ = column_of("source");
  expected_fields_ = fields_.size();
  return true;
}

std::optional<std::string_view> ObservationReader::metric_of(const CsvField& field,
                                                             Diagnostics& diagnostics) {
  const ImportProfile* profile = options_.profile;
  std::string_view id = field.text;
  if (profile != nullptr) {
    if (const auto mapped = profile->metrics.find(field.text); mapped != profile->metrics.end()) {
      id = mapped->second;
    }
  }
  const auto known = metric_is_base_.find(id);
  if (field.text.empty()) {
    diagnostics.error(at(field), "the metric is empty");
    return std::nullopt;
  }
  if (known == metric_is_base_.end()) {
    if (!label_candidates_.empty()) {
      diagnostics.error(at(field), "unknown label " + quote(field.text) +
                                       did_you_mean(field.text, label_candidates_) +
                                       "; map it to a metric in the profile's metrics");
    } else {
      diagnostics.error(at(field), "unknown metric " + quote(field.text) +
                                       did_you_mean(field.text, base_series_ids_));
    }
    return std::nullopt;
  }
  if (!known->second) {
    diagnostics.error(at(field), "metric '" + known->first +
                                     "' is derived by a formula in the rules; import its base "
                                     "series instead");
    return std::nullopt;
  }
  return std::string_view(known->first);
}

std::optional<YearMonth> ObservationReader::period_of(const CsvField& field,
                                                      Diagnostics& diagnostics) const {
  if (field.kind != CellKind::text) {
    if (auto month = month_of_number(field.number)) return month;
    diagnostics.error(at(field), "period " + quote(field.text) +
                                     " is neither a date, an Excel day number nor YYYYMM");
    return std::nullopt;
  }
  if (auto month = parse_month_notation(field.text)) return month;
  const std::string_view text = field.text;
  if (text.size() >= 5 && digits(text.substr(0, 4)) && text[4] == '-') {
    diagnostics.error(at(field), "period " + quote(field.text) + " " + month_problem(field.text));
  } else {
    diagnostics.error(at(field), "period " + quote(field.text) +
                                     " is not a month (e.g. 2025-06, 06/2025, Juni 2025)");
  }
  return std::nullopt;
}

bool ObservationReader::value_of(const CsvField& field, double& value, std::string_view& missing,
                                 Diagnostics& diagnostics) const {
  const double scale = options_.profile != nullptr ? options_.profile->scale : 1;
  missing = {};
  if (field.kind != CellKind::text) {
    if (field.kind == CellKind::date || !std::isfinite(field.number)) {
      diagnostics.error(at(field), "value " + quote(field.text) + " is a date, not a number");
      return false;
    }
    value = field.number * scale;
    return true;
  }
  const std::string& text = field.text;
  if (const auto reason = missing_reason(text)) {
    missing = *reason;
    value = 0;
    return true;
  }
  std::optional<double> parsed;
  if (source_->decimal_comma()) {
    if (const auto plain = from_german_notation(text)) parsed = parse_plain_number(*plain);
    if (!parsed) {
      diagnostics.error(at(field),
                        "value " + quote(text) +
                            (csv_ != nullptr ? " is not a number; with ';' as separator the "
                                               "decimal mark is ','"
                                             : " is not a number; in a text cell the decimal "
                                               "mark is ','") +
                            " and '.' may only group thousands (e.g. 10.154,5)");
      return false;
    }
  } else {
    parsed = parse_plain_number(text);
    if (!parsed) {
      std::string hint;
      if (text.find(',') != std::string::npos) {
        hint = "; with ',' as separator the decimal mark is '.'";
      }
      diagnostics.error(at(field), "value " + quote(text) + " is not a number" + hint);
      return false;
    }
  }
  value = *parsed * scale;
  if (!std::isfinite(value)) {
    diagnostics.error(at(field), "value " + quote(text) + " is too large");
    return false;
  }
  return true;
}

bool ObservationReader::text_column(int column, const char* what, std::size_t limit,
                                    std::string_view& text, Diagnostics& diagnostics) const {
  text = {};
  if (column < 0) return true;
  const CsvField& field = fields_[static_cast<std::size_t>(column)];
  // is_valid_utf8 first: utf8_problem builds its message even for valid text.
  if (!is_valid_utf8(field.text)) {
    diagnostics.error(at(field), std::string("the ") + what + " " + utf8_problem(field.text));
    return false;
  }
  if (longer_than(field.text, limit)) {
    diagnostics.error(at(field), std::string("the ") + what + " is longer than " +
                                     std::to_string(limit) + " characters");
    return false;
  }
  text = field.text;
  return true;
}

std::optional<ObservationRow> ObservationReader::next_month(Diagnostics& diagnostics) {
  while (next_month_ < month_columns_.size()) {
    const MonthColumn& column = month_columns_[next_month_++];
    if (column.index >= fields_.size()) continue;
    const CsvField& field = fields_[column.index];
    if (field.kind == CellKind::text && field.text.empty()) continue;  // no figure
    ObservationRow row{wide_metric_, wide_region_,  wide_source_, column.period, 0,
                       {},           source_->row()};
    if (!value_of(field, row.value, row.missing, diagnostics)) continue;
    return row;
  }
  in_wide_row_ = false;
  return std::nullopt;
}

std::optional<ObservationRow> ObservationReader::next(Diagnostics& diagnostics) {
  if (in_wide_row_) {
    if (auto row = next_month(diagnostics)) return row;
  }
  const ImportProfile* profile = options_.profile;
  const int header_row = profile != nullptr ? profile->header_row : 0;
  bool awaiting_header = false;
  while (read_record(diagnostics)) {
    if (source_->starts_table()) awaiting_header = true;
    if (awaiting_header) {
      if (source_->row() < header_row) continue;
      awaiting_header = false;
      if (!error_.message.empty()) {
        diagnostics.error(source_->at(error_), error_.message);
        table_usable_ = false;
      } else {
        table_usable_ = take_header(diagnostics);
      }
      continue;
    }
    if (!table_usable_) continue;
    ++rows_read_;
    if (!error_.message.empty()) {
      diagnostics.error(source_->at(error_), error_.message);
      continue;
    }
    if (csv_ == nullptr && fields_.size() < expected_fields_) fields_.resize(expected_fields_);
    while (fields_.size() > expected_fields_ && fields_.back().text.empty())
      fields_.pop_back();
    if (fields_.size() != expected_fields_ && (csv_ != nullptr || profile == nullptr)) {
      if (csv_ == nullptr) {
        diagnostics.error(at(fields_[expected_fields_]),
                          "a cell right of the header's last column");
        continue;
      }
      std::string hint;
      if (fields_.size() == expected_fields_ + 1 && csv_->separator() == ',') {
        hint = " (a decimal comma? with ',' as separator the decimal mark is '.')";
      }
      diagnostics.error(at_row(), "expected " + std::to_string(expected_fields_) + " fields, got " +
                                      std::to_string(fields_.size()) + hint);
      continue;
    }
    std::string_view region;
    std::string_view source;
    bool ok = text_column(region_column_, "region", kMaxRegionLength, region, diagnostics);
    if (profile != nullptr && !profile->regions.empty() &&
        std::find(profile->regions.begin(), profile->regions.end(), region) ==
            profile->regions.end()) {
      continue;  // another jobcenter's row
    }
    ok = text_column(source_column_, "source", kMaxSourceLength, source, diagnostics) && ok;
    const auto metric = metric_of(fields_[static_cast<std::size_t>(metric_column_)], diagnostics);
    ok = ok && metric.has_value();
    if (!month_columns_.empty()) {
      if (!ok) continue;
      wide_metric_ = *metric;
      wide_region_ = region;
      wide_source_ = source;
      next_month_ = 0;
      in_wide_row_ = true;
      if (auto row = next_month(diagnostics)) return row;
      continue;
    }
    const auto period = period_of(fields_[static_cast<std::size_t>(period_column_)], diagnostics);
    ok = ok && period.has_value();
    ObservationRow row;
    ok = value_of(fields_[static_cast<std::size_t>(value_column_)], row.value, row.missing,
                  diagnostics) &&
         ok;
    if (!ok) continue;
    row.metric = *metric;
    row.region = region;
    row.source = source;
    row.period = *period;
    row.line = source_->row();
    return row;
  }
  return std::nullopt;
}

}  // namespace zielwerk::observations
