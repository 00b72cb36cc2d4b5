#include "zielwerk/observations/observation_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
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

}  // namespace

const std::vector<std::string>& observation_columns() {
  static const std::vector<std::string> columns = {"metric", "period", "value", "region", "source"};
  return columns;
}

ObservationReader::ObservationReader(std::istream& input, std::string display_name,
                                     const rules::RuleSet& rules)
    : csv_(input), display_name_(std::move(display_name)), rules_(rules) {
  for (const auto& metric : rules.metrics) {
    metric_is_base_.emplace(metric.id, metric.is_base_series());
    if (metric.is_base_series()) base_series_ids_.push_back(metric.id);
  }
}

SourceLocation ObservationReader::at(int column) const {
  return {display_name_, csv_.line(), column};
}

bool ObservationReader::read_header(Diagnostics& diagnostics) {
  CsvError error;
  if (!csv_.next(fields_, error)) {
    diagnostics.error({display_name_, 0, 0},
                      "the file is empty; expected a header row with the columns metric, "
                      "period, value");
    return false;
  }
  if (!error.message.empty()) {
    diagnostics.error({display_name_, error.line, error.column}, error.message);
    return false;
  }
  // Spreadsheets often end every line with a separator: empty trailing
  // columns are not columns.
  while (fields_.size() > 1 && fields_.back().text.empty())
    fields_.pop_back();
  const auto& known = observation_columns();
  bool ok = true;
  std::map<std::string, int, std::less<>> seen;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    // Spreadsheet users capitalise headers ("Metric"); the names are ASCII.
    std::string name = fields_[i].text;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto column = static_cast<int>(i);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      diagnostics.error(at(csv_.column_of(fields_[i])),
                        "unknown column " + quote(name) + did_you_mean(name, known) +
                            "; the columns are " + join(known, ", "));
      ok = false;
      continue;
    }
    if (!seen.emplace(name, column).second) {
      diagnostics.error(at(csv_.column_of(fields_[i])), "column '" + name + "' appears twice");
      ok = false;
    }
  }
  for (const char* required : {"metric", "period", "value"}) {
    if (seen.find(required) == seen.end()) {
      diagnostics.error(at(0), std::string("the header has no column '") + required +
                                   "'; required are metric, period, value");
      ok = false;
    }
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

std::optional<double> ObservationReader::parse_value(const CsvField& field,
                                                     Diagnostics& diagnostics) const {
  const std::string& text = field.text;
  if (text.empty()) {
    diagnostics.error(at(csv_.column_of(field)),
                      "the value is empty; leave out the row when there is no figure");
    return std::nullopt;
  }
  std::optional<double> value;
  if (csv_.separator() == ';') {
    if (const auto plain = from_german_notation(text)) value = parse_plain_number(*plain);
    if (!value) {
      diagnostics.error(at(csv_.column_of(field)),
                        "value " + quote(text) +
                            " is not a number; with ';' as separator the decimal mark is ',' "
                            "and '.' may only group thousands (e.g. 10.154,5)");
    }
    return value;
  }
  value = parse_plain_number(text);
  if (!value) {
    std::string hint;
    if (text.find(',') != std::string::npos) {
      hint = "; with ',' as separator the decimal mark is '.'";
    }
    diagnostics.error(at(csv_.column_of(field)),
                      "value " + quote(text) + " is not a number" + hint);
  }
  return value;
}

std::optional<ObservationRow> ObservationReader::next(Diagnostics& diagnostics) {
  CsvError error;
  while (csv_.next(fields_, error)) {
    ++rows_read_;
    if (!error.message.empty()) {
      diagnostics.error({display_name_, error.line, error.column}, error.message);
      continue;
    }
    while (fields_.size() > expected_fields_ && fields_.back().text.empty())
      fields_.pop_back();
    if (fields_.size() != expected_fields_) {
      std::string hint;
      if (fields_.size() == expected_fields_ + 1 && csv_.separator() == ',') {
        hint = " (a decimal comma? with ',' as separator the decimal mark is '.')";
      }
      diagnostics.error(at(0), "expected " + std::to_string(expected_fields_) + " fields, got " +
                                   std::to_string(fields_.size()) + hint);
      continue;
    }
    bool ok = true;
    const CsvField& metric = fields_[static_cast<std::size_t>(metric_column_)];
    const auto known = metric_is_base_.find(metric.text);
    if (metric.text.empty()) {
      diagnostics.error(at(csv_.column_of(metric)), "the metric is empty");
      ok = false;
    } else if (known == metric_is_base_.end()) {
      diagnostics.error(
          at(csv_.column_of(metric)),
          "unknown metric " + quote(metric.text) + did_you_mean(metric.text, base_series_ids_));
      ok = false;
    } else if (!known->second) {
      diagnostics.error(at(csv_.column_of(metric)),
                        "metric '" + metric.text +
                            "' is derived by a formula in the rules; import its base series "
                            "instead");
      ok = false;
    }
    const CsvField& period_field = fields_[static_cast<std::size_t>(period_column_)];
    const auto period = YearMonth::parse(period_field.text);
    if (!period) {
      diagnostics.error(
          at(csv_.column_of(period_field)),
          "period " + quote(period_field.text) + " " + month_problem(period_field.text));
      ok = false;
    }
    const auto value = parse_value(fields_[static_cast<std::size_t>(value_column_)], diagnostics);
    ok = ok && value.has_value();
    std::string_view region;
    if (region_column_ >= 0) {
      const CsvField& field = fields_[static_cast<std::size_t>(region_column_)];
      if (const std::string problem = utf8_problem(field.text); !problem.empty()) {
        diagnostics.error(at(csv_.column_of(field)), "the region " + problem);
        ok = false;
      } else if (longer_than(field.text, kMaxRegionLength)) {
        diagnostics.error(
            at(csv_.column_of(field)),
            "the region is longer than " + std::to_string(kMaxRegionLength) + " characters");
        ok = false;
      }
      region = field.text;
    }
    std::string_view source;
    if (source_column_ >= 0) {
      const CsvField& field = fields_[static_cast<std::size_t>(source_column_)];
      if (const std::string problem = utf8_problem(field.text); !problem.empty()) {
        diagnostics.error(at(csv_.column_of(field)), "the source " + problem);
        ok = false;
      } else if (longer_than(field.text, kMaxSourceLength)) {
        diagnostics.error(
            at(csv_.column_of(field)),
            "the source is longer than " + std::to_string(kMaxSourceLength) + " characters");
        ok = false;
      }
      source = field.text;
    }
    if (!ok) continue;
    return ObservationRow{metric.text, region, source, *period, *value, csv_.line()};
  }
  return std::nullopt;
}

}  // namespace zielwerk::observations
