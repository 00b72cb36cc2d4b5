#include "zielwerk/report/svg_chart.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "zielwerk/report/html_parts.h"

namespace zielwerk::report {

// The documents speak through the catalogue and formats of locale/.
using namespace zielwerk::locale;
namespace {

// The drawing area in viewBox units; the SVG scales to its container's width.
constexpr double kWidth = 720;
constexpr double kHeight = 300;
constexpr double kLeft = 78;  // room for the y ticks
constexpr double kRight = 20;
constexpr double kTop = 40;     // room for the legend and the unit
constexpr double kBottom = 44;  // month labels and, below them, the years
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

// Values beyond this are drawn at it, so the arithmetic below stays finite.
constexpr double kValueBound = 1e15;

constexpr std::string_view kCourseColour = "#1f4e79";
constexpr std::string_view kTargetColour = "#1b5e20";
constexpr std::string_view kBandColour = "#f6d776";
constexpr std::string_view kPreviousColour = "#595959";
constexpr std::string_view kGridColour = "#d9d9d9";
constexpr std::string_view kTextColour = "#333333";

// A coordinate with one decimal, locale-independent; never "nan" or "inf".
std::string coord(double value) {
  if (!std::isfinite(value)) value = 0;
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, 1);
  std::string text(buffer.data(), result.ptr);
  if (text == "-0.0") text = "0.0";
  return text;
}

std::optional<double> usable(std::optional<double> value) {
  if (!value || std::isnan(*value)) return std::nullopt;
  return std::clamp(*value, -kValueBound, kValueBound);
}

// Rough width of text at 11px, for laying out the legend (UTF-8 aware).
double text_width(std::string_view text) {
  const auto code_points = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return static_cast<double>(code_points) * 6.2;
}

// Pieces of the chart in one place: the x range in months, the y scale.
struct Frame {
  YearMonth first;
  int months = 1;  // number of months on the x axis
  double low = 0;
  double high = 1;

  double x(YearMonth month) const {
    if (months <= 1) return kLeft + kPlotWidth / 2;
    return kLeft + kPlotWidth * month.months_since(first) / (months - 1);
  }
  double y(double value) const {
    const double v = std::clamp(value, low, high);
    return kTop + kPlotHeight * (high - v) / (high - low);
  }
};

// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) for about five intervals.
double nice_step(double range) {
  const double rough = range / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
    if (rough <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

int step_decimals(double step) {
  int decimals = 0;
  while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) -
                                  std::round(step * std::pow(10.0, decimals))) > 1e-9) {
    ++decimals;
  }
  return decimals;
}

struct Scale {
  double divisor = 1;
  std::string_view de;
  std::string_view en;
};

// Millions and billions keep tick labels short ("14,5" with "Mio. €" above the axis).
Scale scale_for(double magnitude) {
  if (magnitude >= 1e9) return {1e9, "Mrd.", "bn"};
  if (magnitude >= 1e6) return {1e6, "Mio.", "m"};
  return {};
}

std::string unit_caption(rules::Unit unit, const Scale& scale, Language language) {
  const bool de = language == Language::de;
  std::string prefix(de ? scale.de : scale.en);
  switch (unit) {
    case rules::Unit::percent:
      return "%";
    case rules::Unit::eur:
      if (de) return prefix.empty() ? "€" : prefix + " €";
      return prefix.empty() ? "EUR" : "EUR " + prefix;
    case rules::Unit::count:
      if (prefix.empty()) return de ? "Anzahl" : "count";
      return de ? "Anzahl in " + prefix : "count, " + prefix;
  }
  return "";
}

std::string dash_attributes(std::string_view colour, double width, std::string_view dash) {
  std::string out = " stroke=\"" + std::string(colour) + "\" stroke-width=\"" + coord(width) + "\"";
  if (!dash.empty()) out += " stroke-dasharray=\"" + std::string(dash) + "\"";
  return out;
}

enum class Marker { circle, diamond, square };

std::string marker(Marker kind, double x, double y, std::string_view colour) {
  switch (kind) {
    case Marker::circle:
      return "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"3\" fill=\"" +
             std::string(colour) + "\"/>";
    case Marker::diamond:
      return "<path d=\"M" + coord(x) + " " + coord(y - 6) + "L" + coord(x + 6) + " " + coord(y) +
             "L" + coord(x) + " " + coord(y + 6) + "L" + coord(x - 6) + " " + coord(y) +
             "Z\" fill=\"#ffffff\" stroke=\"" + std::string(colour) + "\" stroke-width=\"2\"/>";
    case Marker::square:
      return "<rect x=\"" + coord(x - 3.5) + "\" y=\"" + coord(y - 3.5) +
             "\" width=\"7\" height=\"7\" fill=\"#ffffff\" stroke=\"" + std::string(colour) +
             "\" stroke-width=\"1.5\"/>";
  }
  return "";
}

struct Point {
  YearMonth month;
  std::optional<double> value;
};

// A series as polylines broken where a month has no value, with a marker on
// every point (a lone point between gaps is then still visible).
std::string series(const Frame& frame, const std::vector<Point>& points, std::string_view colour,
                   std::string_view dash, Marker kind, std::string_view css_class) {
  std::string lines;
  std::string markers;
  std::string current;
  int in_segment = 0;
  auto flush = [&] {
    if (in_segment >= 2) {
      lines += "<polyline class=\"" + std::string(css_class) + "\" fill=\"none\"" +
               dash_attributes(colour, 2.5, dash) + " stroke-linejoin=\"round\" points=\"" +
               current + "\"/>";
    }
    current.clear();
    in_segment = 0;
  };
  for (const Point& point : points) {
    if (!point.value) {
      flush();
      continue;
    }
    const double x = frame.x(point.month);
    const double y = frame.y(*point.value);
    if (!current.empty()) current += ' ';
    current += coord(x) + "," + coord(y);
    ++in_segment;
    markers += marker(kind, x, y, colour);
  }
  flush();
  return "<g class=\"" + std::string(css_class) + "\">" + lines + markers + "</g>";
}

std::string text_element(double x, double y, std::string_view anchor, std::string_view text,
                         std::string_view extra = {}) {
  return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" text-anchor=\"" +
         std::string(anchor) + "\"" + std::string(extra) + ">" + html_escape(text) + "</text>";
}

// An id usable in `aria-labelledby`: the goal id with anything unusual replaced.
std::string element_id(std::string_view goal_id) {
  std::string id = "chart-";
  for (const char c : goal_id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    id += plain ? c : '_';
  }
  return id;
}

struct LegendItem {
  std::string label;
  std::string sample;  // drawn in a 24 x 12 box at the origin
};

std::string legend(const std::vector<LegendItem>& items) {
  std::string out =
      "<g class=\"legend\" font-size=\"11\" fill=\"" + std::string(kTextColour) + "\">";
  double x = kLeft;
  const double y = 14;
  for (const LegendItem& item : items) {
    out +=
        "<g transform=\"translate(" + coord(x) + " " + coord(y - 6) + ")\">" + item.sample + "</g>";
    out += text_element(x + 30, y + 4, "start", item.label);
    x += 30 + text_width(item.label) + 18;
  }
  return out + "</g>";
}

std::string line_sample(std::string_view colour, std::string_view dash,
                        std::optional<Marker> kind) {
  std::string out =
      "<line x1=\"0\" y1=\"6\" x2=\"24\" y2=\"6\"" + dash_attributes(colour, 2.5, dash) + "/>";
  if (kind) out += marker(*kind, 12, 6, colour);
  return out;
}

// The course's latest value in words, for <desc>.
std::string describe(const Chart& chart, const std::vector<Point>& course,
                     const std::vector<Point>& previous, Language language) {
  const bool de = language == Language::de;
  std::string text = chart.title + ": ";
  if (course.empty()) {
    return text + (de ? "keine Daten." : "no data.");
  }
  const YearMonth last_month = course.back().month;
  text += de ? "Verlauf über " + std::to_string(course.size()) + " Monate bis " +
                   format_month(last_month, language) + ". "
             : "course over " + std::to_string(course.size()) + " months up to " +
                   format_month(last_month, language) + ". ";
  const auto latest = std::find_if(course.rbegin(), course.rend(),
                                   [](const Point& point) { return point.value.has_value(); });
  if (latest == course.rend()) {
    text += de ? "Keine Werte. " : "No values. ";
  } else {
    if (latest->month != last_month) {
      text += de ? "Für " + format_month(last_month, language) + " liegen keine Daten vor. "
                 : "No data for " + format_month(last_month, language) + ". ";
    }
    text += (de ? "Wert im " : "Value in ") + format_month(latest->month, language) + ": " +
            format_quantity(*latest->value, chart.unit, language, usable(chart.target)) + ". ";
  }
  if (chart.kind == rules::GoalKind::monitoring && latest != course.rend()) {
    const auto index = static_cast<std::size_t>(std::distance(course.begin(), latest.base()) - 1);
    if (index < previous.size() && previous[index].value) {
      text += (de ? "Ein Jahr zuvor: " : "A year earlier: ") +
              format_quantity(*previous[index].value, chart.unit, language) + ". ";
    }
  }
  if (latest != course.rend() && chart.kind == rules::GoalKind::target) {
    for (const ChartPoint& point : chart.soll_path) {
      if (point.month != latest->month || !usable(point.value)) continue;
      const bool on =
          rules::judge(chart.op.value_or(rules::Comparison::at_least), *usable(point.value), 0,
                       latest->value) == rules::GoalStatus::met;
      text += std::string(phrase(Phrase::soll_path, language)) + " " +
              format_month(point.month, language) + ": " +
              format_quantity(*usable(point.value), chart.unit, language, latest->value) + " (" +
              std::string(phrase(on ? Phrase::on_soll : Phrase::off_soll, language)) + "). ";
    }
  }
  if (const auto target = usable(chart.target)) {
    text += (de ? "Ziel: " : "Target: ") +
            (chart.op ? comparison_word(*chart.op, language) + " " : std::string()) +
            format_quantity(*target, chart.unit, language) + ". ";
  }
  if (chart.forecast && usable(chart.forecast->value)) {
    text += (de ? "Prognose für " : "Forecast for ") +
            format_month(chart.forecast->month, language) + ": " +
            format_quantity(*usable(chart.forecast->value), chart.unit, language,
                            usable(chart.target)) +
            ".";
  }
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

}  // namespace

std::string render_chart_svg(const Chart& chart, Language language) {
  const bool de = language == Language::de;
  const bool monitoring = chart.kind == rules::GoalKind::monitoring;

  // The course in month order, each point with its value a year earlier.
  std::vector<std::size_t> order(chart.course.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return chart.course[a].month < chart.course[b].month;
  });
  std::vector<Point> course;
  std::vector<Point> previous;
  for (const std::size_t i : order) {
    course.push_back({chart.course[i].month, usable(chart.course[i].value)});
    if (monitoring) {
      previous.push_back({chart.course[i].month, i < chart.previous_year.size()
                                                     ? usable(chart.previous_year[i].value)
                                                     : std::nullopt});
    }
  }
  const std::optional<double> target = monitoring ? std::nullopt : usable(chart.target);
  const double tolerance =
      std::isfinite(chart.tolerance) ? std::clamp(std::abs(chart.tolerance), 0.0, kValueBound) : 0;
  std::optional<Point> forecast;
  if (!monitoring && chart.forecast && usable(chart.forecast->value)) {
    forecast = Point{chart.forecast->month, usable(chart.forecast->value)};
  }
  // The Soll path through the agreement year.
  std::vector<Point> soll;
  if (!monitoring) {
    for (const ChartPoint& point : chart.soll_path)
      soll.push_back({point.month, usable(point.value)});
    std::sort(soll.begin(), soll.end(),
              [](const Point& a, const Point& b) { return a.month < b.month; });
  }
  const bool has_soll =
      std::any_of(soll.begin(), soll.end(), [](const Point& p) { return p.value.has_value(); });
  const bool floor = !chart.op || rules::is_floor(*chart.op);
  // The tolerance band lies on the wrong side of the target, or, with a Soll
  // path, of the path, as wide there as the evaluation judges it
  // (tolerance × |Soll| ÷ |target|).
  std::optional<std::pair<double, double>> band;
  if (target && tolerance > 0 && !has_soll) {
    band = floor ? std::pair{std::max(*target - tolerance, -kValueBound), *target}
                 : std::pair{*target, std::min(*target + tolerance, kValueBound)};
  }
  std::vector<std::pair<YearMonth, std::pair<double, double>>> soll_band;
  if (target && tolerance > 0 && has_soll) {
    for (const Point& point : soll) {
      if (!point.value) continue;
      const double width =
          *target == 0 ? tolerance : tolerance * std::abs(*point.value) / std::abs(*target);
      const double edge = std::clamp(floor ? *point.value - width : *point.value + width,
                                     -kValueBound, kValueBound);
      soll_band.push_back(
          {point.month, floor ? std::pair{edge, *point.value} : std::pair{*point.value, edge}});
    }
  }

  Frame frame;
  bool has_months = false;
  YearMonth last;
  auto extend = [&](YearMonth month) {
    if (!has_months) {
      frame.first = month;
      last = month;
      has_months = true;
    }
    frame.first = std::min(frame.first, month);
    last = std::max(last, month);
  };
  for (const Point& point : course)
    extend(point.month);
  if (forecast) extend(forecast->month);
  if (has_soll) {
    for (const Point& point : soll) {
      if (point.value) extend(point.month);
    }
  }
  frame.months = has_months ? last.months_since(frame.first) + 1 : 1;

  std::vector<double> values;
  for (const Point& point : course) {
    if (point.value) values.push_back(*point.value);
  }
  for (const Point& point : previous) {
    if (point.value) values.push_back(*point.value);
  }
  if (target) values.push_back(*target);
  if (band) {
    values.push_back(band->first);
    values.push_back(band->second);
  }
  if (forecast) values.push_back(*forecast->value);
  for (const Point& point : soll) {
    if (point.value) values.push_back(*point.value);
  }
  for (const auto& [month, edges] : soll_band) {
    values.push_back(edges.first);
    values.push_back(edges.second);
  }

  double low = 0;
  double high = 1;
  if (!values.empty()) {
    low = *std::min_element(values.begin(), values.end());
    high = *std::max_element(values.begin(), values.end());
    const double span = high - low;
    if (span <= std::max(std::abs(low), std::abs(high)) * 1e-9 || span < 1e-9) {
      const double pad = std::max(std::abs(low) * 0.05, 1.0);
      low -= pad;
      high += pad;
    } else {
      low -= span * 0.08;
      high += span * 0.08;
    }
  }
  const double step = nice_step(high - low);
  frame.low = std::floor(low / step) * step;
  frame.high = std::ceil(high / step) * step;
  if (!(frame.high > frame.low)) frame.high = frame.low + step;

  const Scale scale = scale_for(std::max(std::abs(frame.low), std::abs(frame.high)));
  const int decimals = step_decimals(step / scale.divisor);

  const std::string id = element_id(chart.goal_id);
  std::string svg = "<svg class=\"chart\" data-goal=\"" + html_escape(chart.goal_id) +
                    "\" data-kind=\"" + rules::to_string(chart.kind) +
                    "\" role=\"img\" viewBox=\"0 0 " + coord(kWidth) + " " + coord(kHeight) +
                    "\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" aria-labelledby=\"" +
                    id + "-title " + id +
                    "-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, "
                    "'Helvetica Neue', Arial, sans-serif\" font-size=\"11\">";
  svg += "<title id=\"" + id + "-title\">" + html_escape(chart.title) + "</title>";
  svg += "<desc id=\"" + id + "-desc\">" +
         html_escape(describe(chart, course, previous, language)) + "</desc>";
  svg += "<rect x=\"0\" y=\"0\" width=\"" + coord(kWidth) + "\" height=\"" + coord(kHeight) +
         "\" fill=\"#ffffff\"/>";

  // Tolerance band below everything else.
  if (band) {
    const double top = frame.y(band->second);
    const double bottom = frame.y(band->first);
    svg += "<rect class=\"tolerance\" x=\"" + coord(kLeft) + "\" y=\"" + coord(top) +
           "\" width=\"" + coord(kPlotWidth) + "\" height=\"" + coord(std::max(bottom - top, 0.0)) +
           "\" fill=\"" + std::string(kBandColour) + "\" fill-opacity=\"0.55\"/>";
  }

  // The band along the Soll path: one polygon per run of months with a Soll.
  if (!soll_band.empty()) {
    auto flush_band = [&](std::size_t begin, std::size_t end) {
      if (begin >= end) return;
      std::string points;
      for (std::size_t i = begin; i < end; ++i) {
        points += coord(frame.x(soll_band[i].first)) + "," +
                  coord(frame.y(soll_band[i].second.second)) + " ";
      }
      for (std::size_t i = end; i-- > begin;) {
        points += coord(frame.x(soll_band[i].first)) + "," +
                  coord(frame.y(soll_band[i].second.first)) + " ";
      }
      points.pop_back();
      svg += "<polygon class=\"tolerance\" points=\"" + points + "\" fill=\"" +
             std::string(kBandColour) + "\" fill-opacity=\"0.55\"/>";
    };
    std::size_t run = 0;
    for (std::size_t i = 1; i <= soll_band.size(); ++i) {
      if (i == soll_band.size() || soll_band[i].first.months_since(soll_band[i - 1].first) != 1) {
        // A single month is drawn as a short bar so it stays visible.
        if (i - run == 1) {
          const double x = frame.x(soll_band[run].first);
          const double top = frame.y(soll_band[run].second.second);
          const double bottom = frame.y(soll_band[run].second.first);
          svg += "<rect class=\"tolerance\" x=\"" + coord(x - 4) + "\" y=\"" + coord(top) +
                 "\" width=\"8\" height=\"" + coord(std::max(bottom - top, 0.0)) + "\" fill=\"" +
                 std::string(kBandColour) + "\" fill-opacity=\"0.55\"/>";
        } else {
          flush_band(run, i);
        }
        run = i;
      }
    }
  }

  // Grid and y ticks.
  svg += "<g class=\"y-axis\" fill=\"" + std::string(kTextColour) + "\">";
  for (int i = 0; i <= 40; ++i) {
    const double tick = frame.low + step * i;
    if (tick > frame.high + step / 2) break;
    const double y = frame.y(tick);
    svg += "<line x1=\"" + coord(kLeft) + "\" y1=\"" + coord(y) + "\" x2=\"" +
           coord(kLeft + kPlotWidth) + "\" y2=\"" + coord(y) + "\" stroke=\"" +
           std::string(kGridColour) + "\" stroke-width=\"1\"/>";
    svg += text_element(kLeft - 6, y + 4, "end",
                        format_number(tick / scale.divisor, decimals, language));
  }
  svg += text_element(kLeft - 6, kTop - 12, "end", unit_caption(chart.unit, scale, language));
  svg += "</g>";

  // X axis: every quarter's first month (fewer on long ranges), the year
  // under the first label and under each January.
  svg += "<g class=\"x-axis\" fill=\"" + std::string(kTextColour) + "\">";
  const double axis_y = kTop + kPlotHeight;
  svg += "<line x1=\"" + coord(kLeft) + "\" y1=\"" + coord(axis_y) + "\" x2=\"" +
         coord(kLeft + kPlotWidth) + "\" y2=\"" + coord(axis_y) + "\" stroke=\"" +
         std::string(kTextColour) + "\" stroke-width=\"1\"/>";
  if (has_months) {
    // Every month up to a year, quarters up to three years, half years up to six, then Januaries
    // (every n-th year on very long ranges).
    const int month_step = frame.months <= 12   ? 1
                           : frame.months <= 36 ? 3
                           : frame.months <= 72 ? 6
                                                : 12;
    const int year_step = std::max(1, (frame.months / 12 + 11) / 12);
    bool first_label = true;
    for (int i = 0; i < frame.months; ++i) {
      const YearMonth month = frame.first.plus_months(i);
      if (frame.months > 1) {
        if ((month.month() - 1) % month_step != 0) continue;
        if (month_step == 12 && month.year() % year_step != 0) continue;
      }
      const double x = frame.x(month);
      svg += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(axis_y) + "\" x2=\"" + coord(x) +
             "\" y2=\"" + coord(axis_y + 4) + "\" stroke=\"" + std::string(kTextColour) +
             "\" stroke-width=\"1\"/>";
      svg += text_element(x, axis_y + 16, "middle", month_abbreviation(month.month(), language));
      if (first_label || month.month() == 1) {
        svg += text_element(x, axis_y + 30, "middle", std::to_string(month.year()));
      }
      first_label = false;
    }
  }
  svg += "</g>";

  const bool any_series_value = std::any_of(course.begin(), course.end(),
                                            [](const Point& p) { return p.value.has_value(); }) ||
                                std::any_of(previous.begin(), previous.end(),
                                            [](const Point& p) { return p.value.has_value(); }) ||
                                forecast.has_value();
  std::string no_data;  // drawn last, over the target line
  if (!any_series_value) {
    no_data = text_element(kLeft + kPlotWidth / 2, kTop + kPlotHeight / 2, "middle",
                           de ? "Keine Daten" : "No data",
                           " font-size=\"14\" fill=\"" + std::string(kTextColour) +
                               "\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\"");
  }

  // Target line with its label at the left end.
  if (target) {
    const double y = frame.y(*target);
    svg += "<g class=\"target\"><line x1=\"" + coord(kLeft) + "\" y1=\"" + coord(y) + "\" x2=\"" +
           coord(kLeft + kPlotWidth) + "\" y2=\"" + coord(y) + "\"" +
           dash_attributes(kTargetColour, 2, "") + "/>";
    const std::string label =
        std::string(de ? "Ziel " : "target ") +
        (chart.op ? std::string(comparison_symbol(*chart.op)) + " " : std::string()) +
        format_quantity(*target, chart.unit, language);
    svg += text_element(kLeft + 4, y - 5, "start", label,
                        " fill=\"" + std::string(kTargetColour) +
                            "\" font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" "
                            "paint-order=\"stroke\"");
    svg += "</g>";
  }

  if (monitoring) {
    svg += series(frame, previous, kPreviousColour, "5 4", Marker::square, "previous-year");
  }
  if (has_soll) {
    svg += series(frame, soll, kTargetColour, "3 3", Marker::square, "soll-path");
  }

  // Forecast: dashed from the last known value to the year-end point.
  if (forecast) {
    const auto last_known = std::find_if(
        course.rbegin(), course.rend(), [](const Point& point) { return point.value.has_value(); });
    const double fx = frame.x(forecast->month);
    const double fy = frame.y(*forecast->value);
    svg += "<g class=\"forecast\">";
    if (last_known != course.rend() && last_known->month < forecast->month) {
      svg += "<line x1=\"" + coord(frame.x(last_known->month)) + "\" y1=\"" +
             coord(frame.y(*last_known->value)) + "\" x2=\"" + coord(fx) + "\" y2=\"" + coord(fy) +
             "\"" + dash_attributes(kCourseColour, 2, "6 4") + "/>";
    }
    svg += marker(Marker::diamond, fx, fy, kCourseColour);
    svg += text_element(fx >= kLeft + kPlotWidth / 2 ? fx - 8 : fx + 8, fy - 9,
                        fx >= kLeft + kPlotWidth / 2 ? "end" : "start",
                        format_quantity(*forecast->value, chart.unit, language, target),
                        " fill=\"" + std::string(kCourseColour) +
                            "\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"");
    svg += "</g>";
  }

  svg += series(frame, course, kCourseColour, "", Marker::circle, "course");
  svg += no_data;

  std::vector<LegendItem> items;
  items.push_back({de ? "Verlauf" : "course", line_sample(kCourseColour, "", Marker::circle)});
  if (monitoring) {
    items.push_back({de ? "ein Jahr zuvor" : "a year earlier",
                     line_sample(kPreviousColour, "5 4", Marker::square)});
  }
  if (target) items.push_back({de ? "Ziel" : "target", line_sample(kTargetColour, "", {})});
  if (has_soll) {
    items.push_back({std::string(phrase(Phrase::soll_path, language)),
                     line_sample(kTargetColour, "3 3", Marker::square)});
  }
  if (band || !soll_band.empty()) {
    items.push_back({de ? "Toleranzbereich" : "tolerance band",
                     "<rect x=\"0\" y=\"0\" width=\"24\" height=\"12\" fill=\"" +
                         std::string(kBandColour) + "\" stroke=\"#b08d00\" stroke-width=\"1\"/>"});
  }
  if (forecast) {
    items.push_back({(de ? "Prognose " : "forecast ") + format_month(forecast->month, language),
                     line_sample(kCourseColour, "6 4", Marker::diamond)});
  }
  svg += legend(items);
  svg += "</svg>";
  return svg;
}

}  // namespace zielwerk::report
