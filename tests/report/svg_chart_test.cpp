#include "zielwerk/report/svg_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_support.h"

namespace zielwerk::report {
namespace {

using namespace zielwerk::locale;

using zielwerk::testing::count;

// Every element opened is closed, in order ("<x/>" closes itself). Enough to
// catch a broken string concatenation; not an XML parser.
bool balanced(const std::string& markup, std::string* problem) {
  std::vector<std::string> open;
  std::size_t pos = 0;
  while ((pos = markup.find('<', pos)) != std::string::npos) {
    const auto end = markup.find('>', pos);
    if (end == std::string::npos) {
      *problem = "unterminated tag at " + std::to_string(pos);
      return false;
    }
    const std::string tag = markup.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    if (tag.empty() || tag[0] == '!') continue;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) {
        *problem = "unexpected </" + tag.substr(1) + ">";
        return false;
      }
      open.pop_back();
      continue;
    }
    if (tag.back() == '/') continue;
    std::string name = tag.substr(0, tag.find_first_of(" \t\n"));
    open.push_back(name);
  }
  if (!open.empty()) {
    *problem = "unclosed <" + open.back() + ">";
    return false;
  }
  return true;
}

using zielwerk::testing::lower;

void expect_sane(const std::string& svg) {
  std::string problem;
  EXPECT_TRUE(balanced(svg, &problem)) << problem << "\n" << svg;
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_TRUE(svg.ends_with("</svg>"));
  const std::string text = lower(svg);
  EXPECT_EQ(text.find("nan"), std::string::npos) << svg;
  EXPECT_EQ(text.find("inf"), std::string::npos) << svg;
  EXPECT_EQ(text.find("<script"), std::string::npos);
  EXPECT_EQ(text.find("http"), std::string::npos);
  EXPECT_EQ(text.find("href"), std::string::npos);
}

// 24 months from July 2023 to June 2025, rising from 14.0 % by 0.05 each month.
Chart target_chart() {
  Chart chart;
  chart.goal_id = "iq-frauen";
  chart.title = "Integrationsquote Frauen";
  chart.kind = rules::GoalKind::target;
  chart.unit = rules::Unit::percent;
  for (int i = 0; i < 24; ++i) {
    chart.course.push_back({YearMonth(2023, 7).plus_months(i), 14.0 + 0.05 * i});
  }
  chart.course.back().value = 15.2;
  chart.target = 15.5;
  chart.op = rules::Comparison::at_least;
  chart.tolerance = 0.5;
  chart.forecast = ChartPoint{YearMonth(2025, 12), 15.4};
  return chart;
}

Chart monitoring_chart() {
  Chart chart;
  chart.goal_id = "elb-bestand";
  chart.title = "Bestand erwerbsfähige Leistungsberechtigte";
  chart.kind = rules::GoalKind::monitoring;
  chart.unit = rules::Unit::count;
  for (int m = 1; m <= 6; ++m) {
    chart.course.push_back({YearMonth(2025, m), 10000.0 + 100 * m});
    chart.previous_year.push_back({YearMonth(2024, m), 10500.0 + 50 * m});
  }
  return chart;
}

TEST(SvgChart, IsOneAccessibleSelfContainedSvgElement) {
  const std::string svg = render_chart_svg(target_chart(), Language::de);
  expect_sane(svg);
  EXPECT_NE(svg.find("class=\"chart\""), std::string::npos);
  EXPECT_NE(svg.find("data-goal=\"iq-frauen\""), std::string::npos);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg.find("width=\"100%\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"chart-iq-frauen-title\">Integrationsquote Frauen</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"chart-iq-frauen-title chart-iq-frauen-desc\""),
            std::string::npos);
}

TEST(SvgChart, DescriptionSaysTheLatestValueTargetAndForecastInWords) {
  const std::string svg = render_chart_svg(target_chart(), Language::de);
  const auto begin = svg.find("<desc");
  const auto end = svg.find("</desc>");
  ASSERT_NE(begin, std::string::npos);
  const std::string desc = svg.substr(begin, end - begin);
  EXPECT_NE(desc.find("Wert im Juni 2025: 15,2 %"), std::string::npos) << desc;
  EXPECT_NE(desc.find("Ziel: mindestens 15,5 %"), std::string::npos) << desc;
  EXPECT_NE(desc.find("Prognose für Dezember 2025: 15,4 %"), std::string::npos) << desc;

  const std::string english = render_chart_svg(target_chart(), Language::en);
  EXPECT_NE(english.find("Value in June 2025: 15.2 %"), std::string::npos);
  EXPECT_NE(english.find("Target: at least 15.5 %"), std::string::npos);
}

TEST(SvgChart, TargetLineToleranceBandAndDashedForecast) {
  const std::string svg = render_chart_svg(target_chart(), Language::de);
  EXPECT_NE(svg.find("class=\"target\""), std::string::npos);
  EXPECT_NE(svg.find("Ziel ≥ 15,5 %"), std::string::npos);
  EXPECT_NE(svg.find("class=\"tolerance\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"forecast\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 4\""), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline class=\"course\""), 1u);
  // Legend names every series.
  EXPECT_NE(svg.find(">Verlauf<"), std::string::npos);
  EXPECT_NE(svg.find(">Toleranzbereich<"), std::string::npos);
  EXPECT_NE(svg.find(">Prognose Dezember 2025<"), std::string::npos);

  const std::string english = render_chart_svg(target_chart(), Language::en);
  EXPECT_NE(english.find("target ≥ 15.5 %"), std::string::npos);
  EXPECT_NE(english.find(">forecast December 2025<"), std::string::npos);
}

TEST(SvgChart, TheSollPathRunsThroughTheAgreementYearWithTheBandAlongIt) {
  Chart chart = target_chart();
  // A year-to-date figure: the path grows to the target in December.
  for (int m = 1; m <= 12; ++m)
    chart.soll_path.push_back({YearMonth(2025, m), 15.5 * m / 12});
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_EQ(count(svg, "<g class=\"soll-path\">"), 1u);
  EXPECT_NE(svg.find("stroke-dasharray=\"3 3\""), std::string::npos);
  // The band follows the path (one polygon), not the target line (no full-width rect).
  EXPECT_EQ(count(svg, "<polygon class=\"tolerance\""), 1u);
  EXPECT_EQ(count(svg, "<rect class=\"tolerance\""), 0u);
  EXPECT_NE(svg.find(">Soll-Pfad<"), std::string::npos);
  // The description says the Soll of the latest month and whether the value is on it:
  // 15.2 % in June against 7.75 %.
  EXPECT_NE(svg.find("Soll-Pfad Juni 2025: 7,8 % (auf Soll)"), std::string::npos) << svg;
  chart.course.back().value = 7.7;
  EXPECT_NE(
      render_chart_svg(chart, Language::en).find("Soll path June 2025: 7.8 % (off the Soll path)"),
      std::string::npos);
  // Without a path the band lies along the target.
  const std::string plain = render_chart_svg(target_chart(), Language::de);
  EXPECT_EQ(count(plain, "<g class=\"soll-path\">"), 0u);
  EXPECT_EQ(count(plain, "<rect class=\"tolerance\""), 1u);
}

TEST(SvgChart, NoToleranceBandWithoutTolerance) {
  Chart chart = target_chart();
  chart.tolerance = 0;
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_EQ(svg.find("class=\"tolerance\""), std::string::npos);
  EXPECT_EQ(svg.find("Toleranzbereich"), std::string::npos);
}

TEST(SvgChart, XAxisRunsToTheForecastMonthWithQuarterLabels) {
  const std::string svg = render_chart_svg(target_chart(), Language::de);
  // July 2023 .. December 2025: quarters' first months, the year under January.
  EXPECT_NE(svg.find(">Jul<"), std::string::npos);
  EXPECT_NE(svg.find(">Okt<"), std::string::npos);  // October 2025 exists only through the forecast
  EXPECT_NE(svg.find(">Jan<"), std::string::npos);
  EXPECT_EQ(svg.find(">Feb<"), std::string::npos);
  EXPECT_NE(svg.find(">2024<"), std::string::npos);
  EXPECT_NE(svg.find(">2025<"), std::string::npos);
  EXPECT_EQ(count(svg, ">Okt<"), 3u);   // 2023, 2024 and 2025
  EXPECT_EQ(count(svg, ">2023<"), 1u);  // under the first label
}

TEST(SvgChart, YTicksAreFormattedPerLanguage) {
  Chart chart = monitoring_chart();
  const std::string german = render_chart_svg(chart, Language::de);
  const std::string english = render_chart_svg(chart, Language::en);
  // Values 10,100 .. 10,800: ticks on round hundreds.
  EXPECT_NE(german.find(">10.400<"), std::string::npos) << german;
  EXPECT_NE(english.find(">10,400<"), std::string::npos) << english;
  EXPECT_NE(german.find(">Anzahl<"), std::string::npos);
}

TEST(SvgChart, LargeEurValuesUseMillionsOnTheAxis) {
  Chart chart = target_chart();
  chart.unit = rules::Unit::eur;
  for (auto& point : chart.course)
    point.value = *point.value * 1e6;
  chart.target = 15.5e6;
  chart.tolerance = 0;
  chart.forecast->value = 15.4e6;
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_NE(svg.find(">Mio. €<"), std::string::npos);
  EXPECT_NE(svg.find("Ziel ≥ 15.500.000 €"), std::string::npos);
}

TEST(SvgChart, MonthsWithoutDataBreakTheLine) {
  Chart chart = target_chart();
  chart.course[10].value = std::nullopt;
  chart.course[11].value = std::nullopt;
  chart.course[20].value = std::nullopt;
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_EQ(count(svg, "<polyline class=\"course\""), 3u);
  // Every month with a value has its marker.
  EXPECT_EQ(count(svg, "<circle"), 21u + 1u);  // + the legend's sample
}

TEST(SvgChart, LonePointBetweenGapsIsStillDrawn) {
  Chart chart = target_chart();
  for (auto& point : chart.course)
    point.value = std::nullopt;
  chart.course[5].value = 14.2;
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_EQ(count(svg, "<polyline class=\"course\""), 0u);
  EXPECT_EQ(count(svg, "<circle"), 1u + 1u);
}

TEST(SvgChart, ForecastStartsAtTheLastKnownValue) {
  Chart chart = target_chart();
  chart.course.back().value = std::nullopt;
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  const auto forecast = svg.find("<g class=\"forecast\"><line");
  EXPECT_NE(forecast, std::string::npos);
  // Without data for the reporting month, the description says so.
  EXPECT_NE(svg.find("Für Juni 2025 liegen keine Daten vor"), std::string::npos);
  EXPECT_NE(svg.find("Wert im Mai 2025: 15,1 %"), std::string::npos);
}

TEST(SvgChart, MonitoringComparesWithTheYearBefore) {
  const std::string svg = render_chart_svg(monitoring_chart(), Language::de);
  expect_sane(svg);
  EXPECT_NE(svg.find("data-kind=\"monitoring\""), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline class=\"course\""), 1u);
  EXPECT_EQ(count(svg, "<polyline class=\"previous-year\""), 1u);
  // Told apart by dash pattern and marker, not only by colour.
  EXPECT_NE(
      svg.find("class=\"previous-year\" fill=\"none\" stroke=\"#595959\" stroke-width=\"2.5\" "
               "stroke-dasharray=\"5 4\""),
      std::string::npos);
  EXPECT_EQ(count(svg, "<rect x=") - 1 /* background */ - 1 /* legend sample */, 6u);
  EXPECT_NE(svg.find(">ein Jahr zuvor<"), std::string::npos);
  EXPECT_EQ(svg.find("class=\"target\""), std::string::npos);
  EXPECT_NE(svg.find("Ein Jahr zuvor: 10.800"), std::string::npos);
  EXPECT_NE(render_chart_svg(monitoring_chart(), Language::en).find(">a year earlier<"),
            std::string::npos);
}

TEST(SvgChart, EscapesTheTitle) {
  Chart chart = target_chart();
  chart.goal_id = "x\"><script>";
  chart.title = "<script>alert(1)</script> & \"Quote\"";
  const std::string svg = render_chart_svg(chart, Language::de);
  expect_sane(svg);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Quote&quot;"),
            std::string::npos);
  EXPECT_NE(svg.find("data-goal=\"x&quot;&gt;&lt;script&gt;\""), std::string::npos);
}

TEST(SvgChart, HostileNumbersNeverProduceNanOrInf) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Chart> charts;
  {
    Chart chart = target_chart();  // nothing at all
    chart.course.clear();
    chart.forecast.reset();
    chart.target.reset();
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // all missing
    for (auto& point : chart.course)
      point.value = std::nullopt;
    chart.forecast->value = std::nullopt;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // one point only, no target
    chart.course.resize(1);
    chart.target.reset();
    chart.forecast.reset();
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // identical values, equal to the target, no tolerance
    for (auto& point : chart.course)
      point.value = 15.5;
    chart.tolerance = 0;
    chart.forecast->value = 15.5;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // all zero
    for (auto& point : chart.course)
      point.value = 0;
    chart.target = 0;
    chart.forecast->value = 0;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // huge and negative
    chart.unit = rules::Unit::eur;
    chart.course[0].value = 1e300;
    chart.course[1].value = -1e300;
    chart.course[2].value = std::numeric_limits<double>::max();
    chart.course[3].value = -std::numeric_limits<double>::max();
    chart.target = -5e200;
    chart.tolerance = 1e308;
    chart.forecast->value = std::numeric_limits<double>::lowest();
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // NaN and infinity
    chart.course[0].value = nan;
    chart.course[1].value = inf;
    chart.course[2].value = -inf;
    chart.target = nan;
    chart.tolerance = inf;
    chart.forecast->value = inf;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // tiny differences
    for (std::size_t i = 0; i < chart.course.size(); ++i) {
      chart.course[i].value = 1e-300 * static_cast<double>(i);
    }
    chart.target = 5e-324;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // negative values around a ceiling
    for (std::size_t i = 0; i < chart.course.size(); ++i) {
      chart.course[i].value = -50.0 + static_cast<double>(i);
    }
    chart.op = rules::Comparison::at_most;
    chart.target = -30;
    chart.tolerance = 2;
    charts.push_back(chart);
  }
  {
    Chart chart = monitoring_chart();  // previous year shorter than the course, with gaps
    chart.previous_year.resize(2);
    chart.previous_year[0].value = nan;
    chart.course[3].value = std::nullopt;
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // forecast only
    chart.course.clear();
    charts.push_back(chart);
  }
  {
    Chart chart = target_chart();  // a very long range
    chart.course.clear();
    for (int i = 0; i < 1200; i += 7)
      chart.course.push_back({YearMonth(1950, 1).plus_months(i), i});
    charts.push_back(chart);
  }
  for (std::size_t i = 0; i < charts.size(); ++i) {
    SCOPED_TRACE("chart " + std::to_string(i));
    for (const Language language : {Language::de, Language::en}) {
      const std::string svg = render_chart_svg(charts[i], language);
      expect_sane(svg);
      EXPECT_NE(svg.find("data-goal="), std::string::npos);
      EXPECT_LT(svg.size(), 200000u);
    }
  }
}

TEST(SvgChart, NoDataSaysSo) {
  Chart chart = target_chart();
  for (auto& point : chart.course)
    point.value = std::nullopt;
  chart.forecast.reset();
  chart.target.reset();
  EXPECT_NE(render_chart_svg(chart, Language::de).find(">Keine Daten<"), std::string::npos);
  EXPECT_NE(render_chart_svg(chart, Language::en).find(">No data<"), std::string::npos);
  // A target line alone is no data either.
  chart.target = 1;
  EXPECT_NE(render_chart_svg(chart, Language::de).find(">Keine Daten<"), std::string::npos);
  EXPECT_EQ(render_chart_svg(target_chart(), Language::de).find(">Keine Daten<"),
            std::string::npos);
}

TEST(SvgChart, ShortRangesLabelEveryMonth) {
  const std::string svg = render_chart_svg(monitoring_chart(), Language::de);
  for (const std::string month : {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun"}) {
    EXPECT_EQ(count(svg, ">" + month + "<"), 1u) << month;
  }
  EXPECT_EQ(count(svg, ">2025<"), 1u);
}

}  // namespace
}  // namespace zielwerk::report
