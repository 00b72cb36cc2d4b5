// A target goal's figures in words, the same in Markdown and HTML (and so in
// the dashboard): the value with the digits that tell it apart from every edge
// of its status, the Soll and the gap to it, and what the target is made of.
// Plain text; each renderer escapes it.
#pragma once

#include <string>

#include "zielwerk/locale/catalogue.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/document.h"

namespace zielwerk::report {

// "7,57 %", never rounded onto an edge it differs from; empty without a value.
std::string actual_text(const GoalRow& goal, locale::Language language);

// The Soll of the month ("7,92 %"); empty when the goal has none.
std::string soll_text(const GoalRow& goal, locale::Language language);

// actual − Soll ("−0,35 Pp."), or actual − target when the status was judged
// against the target; empty when either value is missing.
std::string reference_gap_text(const GoalRow& goal, locale::Language language);

// Under the Soll: where the path comes from ("nach Vorjahresverlauf"), or
// "gemessen am Zielwert" when there was no Soll to judge against.
std::string soll_detail(const GoalRow& goal, locale::Language language);

// "≥ 15,5 %"; empty without a target.
std::string target_text(const GoalRow& goal, locale::Language language);

// Under the target: what it is made of and how the year compares, e.g.
// "Vorjahr 18.283 · +14,0 %" (a relative target) or "geplante Veränderung
// −1,3 % · Veränderung ggü. Vorjahr −4,6 %" (a planned change); empty when
// there is nothing to say.
std::string target_detail(const GoalRow& goal, locale::Language language);

}  // namespace zielwerk::report
