// One chart of a meeting document as a self-contained inline SVG element: no
// scripts, no external fonts or images, so the HTML file prints and archives
// as it is.
//
// Target goals: the course as a solid line with filled circles (broken where a
// month has no data), the target as a horizontal line labelled "Ziel"/"target",
// the Soll path of the agreement year (when there is one) as a dotted line with
// hollow squares, the tolerance band (the at-risk side) shaded along the path
// (or along the target without one), and the year-end forecast
// as a dashed line from the last known value to a hollow diamond at its month;
// the x axis runs to that month. Monitoring goals: this year's course solid
// with circles against the same months a year earlier dashed with hollow
// squares. Series differ in dash pattern and marker, not only in colour, and a
// legend names them.
//
// The element is `<svg class="chart" data-goal="ID" role="img" viewBox=...
// width="100%">` with a `<title>` (the goal) and a `<desc>` (the latest value,
// the target and the forecast in words) for screen readers. Whatever the
// input (no values, one value, equal values, NaN, huge or negative values),
// the output holds only finite coordinates; values beyond ±1e15 are drawn at
// that bound.
#pragma once

#include <string>

#include "zielwerk/locale/catalogue.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/document.h"

namespace zielwerk::report {

std::string render_chart_svg(const Chart& chart, locale::Language language);

}  // namespace zielwerk::report
