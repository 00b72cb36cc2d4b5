#include "zielwerk/rules/rule_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <set>

#include "zielwerk/common/sha256.h"
#include "zielwerk/common/text.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/limits.h"
#include "zielwerk/rules/object_reader.h"

namespace zielwerk::rules {
namespace {

// --- the shape of rule files ------------------------------------------------

const std::vector<std::string> kRuleFileKeys = {"agreement", "metrics", "goals", "goal_groups"};
const std::vector<std::string> kAgreementKeys = {"id",      "title",     "year", "planning_basis",
                                                 "parties", "signatures"};
const std::vector<std::string> kPartyKeys = {"id", "name", "carrier", "acts_on"};
const std::vector<std::string> kSignatureKeys = {"party", "name", "function", "date", "place"};
const std::vector<std::string> kMetricKeys = {
    "id", "title", "unit", "source", "formula", "kind", "release_lag_months"};
const std::vector<std::string> kMetricKinds = {"observed", "plan"};
const std::vector<std::string> kGoalGroupKeys = {"title", "description", "defaults", "goals"};
const std::vector<std::string> kGoalDefaultsKeys = {"section",   "responsibility", "binding",
                                                    "tolerance", "unit",           "kind"};
const std::vector<std::string> kGoalCommonKeys = {
    "id", "title", "description", "section", "binding", "responsibility", "kind"};
const std::vector<std::string> kTargetKeys = {
    "metric", "op", "target", "unit", "tolerance", "planned_change_pct", "soll_path"};
const std::vector<std::string> kTargetChangeKeys = {"change_pct"};
const std::vector<std::string> kSollPathSeriesKeys = {"series"};
const std::vector<std::string> kSollPathWords = {"previous_year", "flat"};
const std::vector<std::string> kMonitoringKeys = {"metric", "unit", "compare"};
const std::vector<std::string> kMilestoneGoalKeys = {"ordered", "milestones"};
const std::vector<std::string> kMilestoneKeys = {"id", "title", "due"};

// In the order of rules::Carrier.
const std::vector<std::string> kCarriers = {"BA", "kommunal", "gE", "zkT", "Land", "BMAS"};
const std::vector<std::string> kGoalKinds = {"target", "monitoring", "milestone"};
const std::vector<std::string> kComparisons = {">=", ">", "<=", "<"};
const std::vector<std::string> kUnits = {"count", "percent", "eur"};
const std::vector<std::string> kMonitoringComparisons = {"previous_year"};

std::vector<std::string> concat(std::initializer_list<const std::vector<std::string>*> parts) {
  std::vector<std::string> all;
  for (const auto* part : parts) {
    all.insert(all.end(), part->begin(), part->end());
  }
  return all;
}

template <typename Enum>
Enum enum_at(const std::vector<std::string>& words, const std::string& word) {
  return static_cast<Enum>(std::find(words.begin(), words.end(), word) - words.begin());
}

std::string where(const SourceLocation& location) {
  return location.file + ":" + std::to_string(location.line) + ":" +
         std::to_string(location.column);
}

// A side label: what a goal's `responsibility` and a party's `acts_on` name.
// Letters (either case), digits, '-' and '_', starting with a letter or digit,
// at most 32 characters: "BA", "kommunal", "zkT", "Land".
bool is_side_label(const std::string& text) {
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (text.empty() || text.size() > 32 || !word(text.front())) return false;
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return word(c) || c == '-' || c == '_'; });
}

std::optional<std::string> side_label(ObjectReader& reader, std::string_view key, bool required) {
  auto value = reader.text(key, required);
  if (value && !is_side_label(*value)) {
    reader.error(key, "'" + *value +
                          "' is not a side label (letters, digits, '-' and '_', at most 32 "
                          "characters, e.g. BA, kommunal, zkT)");
    return std::nullopt;
  }
  return value;
}

bool is_roman_numeral(const std::string& text) {
  return !text.empty() && text.size() <= 8 && text.find_first_not_of("IVXL") == std::string::npos;
}

// Everything the files declared, before cross-file validation.
struct Fragments {
  std::vector<Agreement> agreements;
  std::vector<Metric> metrics;
  std::vector<Goal> goals;
};

// Defaults of a goal group, decoded once (so an error in them is reported once).
struct GoalDefaults {
  std::optional<std::string> section;
  std::optional<std::string> responsibility;
  std::optional<bool> binding;
  std::optional<double> tolerance;
  std::optional<std::string> unit;
  std::optional<std::string> kind;
  std::map<std::string, SourceLocation, std::less<>> locations;
};

class RuleFileDecoder {
 public:
  RuleFileDecoder(Fragments& out, Diagnostics& diagnostics)
      : out_(out), diagnostics_(diagnostics) {}

  void decode(const Document& document) {
    ObjectReader file(document.root(), "", kRuleFileKeys, diagnostics_);
    if (!file.is_map()) {
      return;
    }
    // In file order, so goals keep the order the agreement lists them in.
    for (const auto& entry : file.node().entries()) {
      if (entry.key == "agreement" && file.get("agreement") != nullptr) {
        decode_agreement(*entry.value);
      } else if (entry.key == "metrics") {
        if (const Node* metrics = file.list("metrics", false)) {
          for (std::size_t i = 0; i < metrics->items().size(); ++i) {
            decode_metric(*metrics->items()[i], file.child_path("metrics", i));
          }
        }
      } else if (entry.key == "goals") {
        if (const Node* goals = file.list("goals", false)) {
          for (std::size_t i = 0; i < goals->items().size(); ++i) {
            decode_goal(*goals->items()[i], file.child_path("goals", i), nullptr);
          }
        }
      } else if (entry.key == "goal_groups") {
        if (const Node* groups = file.list("goal_groups", false)) {
          for (std::size_t i = 0; i < groups->items().size(); ++i) {
            decode_group(*groups->items()[i], file.child_path("goal_groups", i));
          }
        }
      }
    }
    if (!file.has("agreement") && !file.has("metrics") && !file.has("goals") &&
        !file.has("goal_groups") && file.node().entries().empty()) {
      file.error_at(file.node().location(), "the file declares nothing");
    }
  }

 private:
  void decode_agreement(const Node& node) {
    ObjectReader reader(node, "agreement", kAgreementKeys, diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    Agreement agreement;
    agreement.location = node.location();
    agreement.id = reader.id("id", true).value_or("");
    agreement.title = reader.text("title", true).value_or("");
    agreement.year = static_cast<int>(reader.integer("year", true, 1990, 2100).value_or(0));
    agreement.planning_basis = reader.text("planning_basis", false).value_or("");
    if (const Node* parties = reader.list("parties", true)) {
      if (parties->items().size() < 2) {
        reader.error("parties", "an agreement has at least two parties");
      }
      for (std::size_t i = 0; i < parties->items().size(); ++i) {
        decode_party(*parties->items()[i], reader.child_path("parties", i), agreement);
      }
    }
    if (const Node* signatures = reader.list("signatures", false)) {
      for (std::size_t i = 0; i < signatures->items().size(); ++i) {
        decode_signature(*signatures->items()[i], reader.child_path("signatures", i), agreement);
      }
    }
    out_.agreements.push_back(std::move(agreement));
  }

  void decode_party(const Node& node, const std::string& path, Agreement& agreement) {
    ObjectReader reader(node, path, kPartyKeys, diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    Party party;
    party.location = node.location();
    const auto id = reader.id("id", true);
    if (id) {
      reader.name_object(*id);
      if (const Party* first = agreement.find_party(*id)) {
        reader.error("id", "duplicate party id '" + *id + "' (first declared at " +
                               where(first->location) + ")");
      }
    }
    party.id = id.value_or("");
    party.name = reader.text("name", true).value_or("");
    if (const auto carrier = reader.choice("carrier", true, kCarriers)) {
      party.carrier = enum_at<Carrier>(kCarriers, *carrier);
    }
    party.acts_on = default_sides(party.carrier);
    if (const Node* sides = reader.list("acts_on", false)) {
      // Declared: exactly these sides, possibly none (a party that only takes
      // part in reviews, such as a supervising ministry).
      party.acts_on.clear();
      for (std::size_t i = 0; i < sides->items().size(); ++i) {
        const Node* item = sides->items()[i];
        const std::string at = reader.child_path("acts_on", i);
        if (!item->is_scalar() || !is_side_label(item->text())) {
          diagnostics_.error(item->location(), at +
                                                   ": expected a side label such as BA, "
                                                   "kommunal or zkT, got " +
                                                   item->describe());
        } else if (party.acts_on_side(item->text())) {
          diagnostics_.error(item->location(), at + ": '" + item->text() + "' is listed twice");
        } else {
          party.acts_on.push_back(item->text());
        }
      }
    }
    if (id) {
      agreement.parties.push_back(std::move(party));
    }
  }

  void decode_signature(const Node& node, const std::string& path, Agreement& agreement) {
    ObjectReader reader(node, path, kSignatureKeys, diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    Signature signature;
    signature.location = node.location();
    const auto party = reader.id("party", true);
    if (party) {
      if (agreement.find_party(*party) == nullptr) {
        std::vector<std::string> ids;
        for (const auto& p : agreement.parties) {
          ids.push_back(p.id);
        }
        reader.error("party", "unknown party '" + *party + "'" + did_you_mean(*party, ids));
      }
      for (const auto& earlier : agreement.signatures) {
        if (earlier.party == *party) {
          reader.error("party", "party '" + *party + "' has signed already (at " +
                                    where(earlier.location) + ")");
        }
      }
    }
    signature.party = party.value_or("");
    signature.name = reader.text("name", true).value_or("");
    signature.function = reader.text("function", false).value_or("");
    signature.place = reader.text("place", false).value_or("");
    const auto date = reader.date("date", true);
    if (party && date) {
      signature.date = *date;
      agreement.signatures.push_back(std::move(signature));
    }
  }

  void decode_metric(const Node& node, const std::string& path) {
    ObjectReader reader(node, path, kMetricKeys, diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    Metric metric;
    metric.location = node.location();
    const auto id = reader.id("id", true);
    if (id) {
      reader.name_object(*id);
      if (id->find('-') != std::string::npos) {
        reader.error("id", "a metric id is used in formulas and may not contain '-'; use '_'");
      } else if (std::isdigit(static_cast<unsigned char>(id->front()))) {
        reader.error("id", "a metric id is used in formulas and must start with a letter");
      }
    }
    metric.id = id.value_or("");
    metric.object_path = reader.path();
    metric.title = reader.text("title", true).value_or("");
    metric.source = reader.text("source", false).value_or("");
    if (const auto unit = reader.choice("unit", true, kUnits)) {
      metric.unit = enum_at<Unit>(kUnits, *unit);
    }
    metric.plan = reader.choice("kind", false, kMetricKinds).value_or("observed") == "plan";
    if (const auto lag = reader.integer("release_lag_months", false, 0, kMaxReleaseLagMonths)) {
      metric.release_lag_months = static_cast<int>(*lag);
    }
    if (reader.has("formula") && metric.plan) {
      reader.error("kind", "a plan series is imported and cannot have a formula");
    }
    if (reader.has("formula") && reader.has("release_lag_months")) {
      reader.error("release_lag_months",
                   "applies to imported series; a derived metric is as final as the figures "
                   "it reads");
    }
    if (const auto text = reader.text("formula", false)) {
      const Node& formula_node = *reader.get("formula");
      auto parsed = Formula::parse(*text);
      if (auto* error = std::get_if<FormulaError>(&parsed)) {
        reader.error_at(formula_node.location_of_offset(error->offset),
                        "formula: " + error->message);
      } else {
        metric.formula = std::get<Formula>(std::move(parsed));
        for (const auto& reference : metric.formula->references()) {
          metric.reference_locations.push_back(formula_node.location_of_offset(reference.offset));
        }
      }
    }
    // A metric whose formula is broken is still declared: goals that read it
    // must not get a second, misleading "unknown metric" error. The rule set is
    // rejected anyway because of the formula error.
    if (id) {
      out_.metrics.push_back(std::move(metric));
    }
  }

  void decode_group(const Node& node, const std::string& path) {
    ObjectReader reader(node, path, kGoalGroupKeys, diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    reader.text("title", false);
    reader.text("description", false);
    GoalDefaults defaults;
    if (const Node* defaults_node = reader.get("defaults")) {
      ObjectReader d(*defaults_node, reader.child_path("defaults"), kGoalDefaultsKeys,
                     diagnostics_);
      if (d.is_map()) {
        defaults.section = d.text("section", false);
        if (defaults.section && !is_roman_numeral(*defaults.section)) {
          d.error("section",
                  "expected a roman numeral such as I or IV, got '" + *defaults.section + "'");
          defaults.section.reset();
        }
        defaults.responsibility = side_label(d, "responsibility", false);
        defaults.binding = d.boolean("binding", false);
        defaults.tolerance = d.number("tolerance", false);
        if (defaults.tolerance && *defaults.tolerance < 0) {
          d.error("tolerance", "must not be negative");
          defaults.tolerance.reset();
        }
        defaults.unit = d.choice("unit", false, kUnits);
        defaults.kind = d.choice("kind", false, kGoalKinds);
        for (const auto& key : kGoalDefaultsKeys) {
          defaults.locations[key] = d.location_of(key);
        }
      }
    }
    const Node* goals = reader.list("goals", true);
    if (goals == nullptr) {
      return;
    }
    if (goals->items().empty()) {
      reader.error("goals", "a goal group needs at least one goal");
    }
    for (std::size_t i = 0; i < goals->items().size(); ++i) {
      decode_goal(*goals->items()[i], reader.child_path("goals", i), &defaults);
    }
  }

  // Reads the goal's own value or else the group default, recording where it came from.
  template <typename T, typename Read>
  std::optional<T> field(ObjectReader& reader, const GoalDefaults* defaults,
                         const std::optional<T> GoalDefaults::*member, const std::string& key,
                         Goal& goal, Read read) {
    if (reader.has(key) || defaults == nullptr || !(defaults->*member)) {
      goal.field_locations[key] = reader.location_of(key);
      return read();
    }
    goal.field_locations[key] = defaults->locations.at(key);
    return defaults->*member;
  }

  void decode_goal(const Node& node, const std::string& path, const GoalDefaults* defaults) {
    // The kind decides which keys apply, so it is read before the key check.
    std::string kind_word = "target";
    if (defaults != nullptr && defaults->kind) {
      kind_word = *defaults->kind;
    }
    if (node.is_map()) {
      if (const MapEntry* kind = node.find("kind");
          kind != nullptr && kind->value->is_scalar() &&
          std::find(kGoalKinds.begin(), kGoalKinds.end(), kind->value->text()) !=
              kGoalKinds.end()) {
        kind_word = kind->value->text();
      }
    }
    const auto kind = enum_at<GoalKind>(kGoalKinds, kind_word);
    const std::vector<std::string>* kind_keys = kind == GoalKind::target ? &kTargetKeys
                                                : kind == GoalKind::monitoring
                                                    ? &kMonitoringKeys
                                                    : &kMilestoneGoalKeys;
    std::vector<std::string> foreign;
    for (const auto& key : concat({&kTargetKeys, &kMonitoringKeys, &kMilestoneGoalKeys})) {
      if (std::find(kind_keys->begin(), kind_keys->end(), key) == kind_keys->end()) {
        foreign.push_back(key);
      }
    }
    ObjectReader reader(node, path, concat({&kGoalCommonKeys, kind_keys}), foreign,
                        "a " + kind_word + " goal", diagnostics_);
    if (!reader.is_map()) {
      return;
    }
    Goal goal;
    goal.location = node.location();
    const auto id = reader.id("id", true);
    if (id) {
      reader.name_object(*id);
    }
    goal.id = id.value_or("");
    goal.object_path = reader.path();
    goal.title = reader.text("title", true).value_or("");
    goal.description = reader.text("description", false).value_or("");
    reader.choice("kind", false, kGoalKinds);

    const auto section = field(reader, defaults, &GoalDefaults::section, "section", goal, [&] {
      auto value = reader.text("section", true);
      if (value && !is_roman_numeral(*value)) {
        reader.error("section", "expected a roman numeral such as I or IV, got '" + *value + "'");
        value.reset();
      }
      return value;
    });
    goal.section = section.value_or("");
    const auto responsibility =
        field(reader, defaults, &GoalDefaults::responsibility, "responsibility", goal,
              [&] { return side_label(reader, "responsibility", true); });
    if (responsibility) {
      goal.responsibility = *responsibility;
    }
    goal.binding = field(reader, defaults, &GoalDefaults::binding, "binding", goal, [&] {
                     return reader.boolean("binding", false);
                   }).value_or(true);

    switch (kind) {
      case GoalKind::target:
        goal.spec = decode_target(reader, defaults, goal);
        break;
      case GoalKind::monitoring:
        goal.spec = decode_monitoring(reader, defaults, goal);
        break;
      case GoalKind::milestone:
        goal.spec = decode_milestones(reader, goal);
        break;
    }
    if (id) {
      out_.goals.push_back(std::move(goal));
    }
  }

  std::optional<Unit> unit_field(ObjectReader& reader, const GoalDefaults* defaults, Goal& goal) {
    const auto unit = field(reader, defaults, &GoalDefaults::unit, "unit", goal,
                            [&] { return reader.choice("unit", true, kUnits); });
    if (!unit) {
      return std::nullopt;
    }
    return enum_at<Unit>(kUnits, *unit);
  }

  TargetSpec decode_target(ObjectReader& reader, const GoalDefaults* defaults, Goal& goal) {
    TargetSpec spec;
    spec.metric = reader.id("metric", true).value_or("");
    goal.field_locations["metric"] = reader.location_of("metric");
    if (const auto op = reader.choice("op", true, kComparisons)) {
      spec.op = enum_at<Comparison>(kComparisons, *op);
    }
    goal.field_locations["op"] = reader.location_of("op");
    decode_target_value(reader, goal, spec);
    spec.unit = unit_field(reader, defaults, goal).value_or(Unit::count);
    const auto tolerance =
        field(reader, defaults, &GoalDefaults::tolerance, "tolerance", goal, [&] {
          auto value = reader.number("tolerance", false);
          if (value && *value < 0) {
            reader.error("tolerance", "must not be negative");
            value.reset();
          }
          return value;
        });
    spec.tolerance = tolerance.value_or(0);
    spec.planned_change_pct = reader.number("planned_change_pct", false);
    goal.field_locations["planned_change_pct"] = reader.location_of("planned_change_pct");
    decode_soll_path(reader, goal, spec);
    return spec;
  }

  // `target: 15.5`, or `target: {change_pct: -6.9}` against the previous year.
  void decode_target_value(ObjectReader& reader, Goal& goal, TargetSpec& spec) {
    goal.field_locations["target"] = reader.location_of("target");
    const Node* node = reader.get("target");
    if (node == nullptr || !node->is_map()) {
      spec.target = reader.number("target", true);
      return;
    }
    ObjectReader change(*node, reader.child_path("target"), kTargetChangeKeys, diagnostics_);
    spec.target_change_pct = change.number("change_pct", true);
    goal.field_locations["target.change_pct"] = change.location_of("change_pct");
    if (spec.target_change_pct && *spec.target_change_pct <= -100) {
      change.error("change_pct", "a change of -100 % or less leaves no target");
      spec.target_change_pct.reset();
    }
    if (!spec.target_change_pct) {
      // Reported above; keep the goal relative so no "missing target" follows.
      spec.target_change_pct = 0;
    }
  }

  // `soll_path: previous_year | flat`, twelve numbers, or `{series: ID}`.
  void decode_soll_path(ObjectReader& reader, Goal& goal, TargetSpec& spec) {
    goal.field_locations["soll_path"] = reader.location_of("soll_path");
    const Node* node = reader.get("soll_path");
    if (node == nullptr) return;
    if (node->is_sequence()) {
      spec.soll_path.source = SollPathSpec::Source::declared;
      const auto& items = node->items();
      if (items.size() != 12) {
        reader.error("soll_path", "a declared Soll path has 12 values, January to December; got " +
                                      std::to_string(items.size()));
      }
      for (std::size_t i = 0; i < items.size() && i < 12; ++i) {
        const auto value = items[i]->is_scalar() && items[i]->is_plain()
                               ? parse_number(items[i]->text())
                               : std::nullopt;
        if (!value) {
          diagnostics_.error(items[i]->location(), reader.child_path("soll_path", i) +
                                                       ": expected a number, got " +
                                                       items[i]->describe());
        }
        spec.soll_path.values.push_back(value.value_or(std::nan("")));
        goal.field_locations["soll_path[" + std::to_string(i) + "]"] = items[i]->location();
      }
      return;
    }
    if (node->is_map()) {
      ObjectReader path(*node, reader.child_path("soll_path"), kSollPathSeriesKeys, diagnostics_);
      spec.soll_path.source = SollPathSpec::Source::plan;
      spec.soll_path.series = path.id("series", true).value_or("");
      goal.field_locations["soll_path"] = path.location_of("series");
      return;
    }
    const auto word = reader.text("soll_path", false);
    if (!word) return;
    if (std::find(kSollPathWords.begin(), kSollPathWords.end(), *word) == kSollPathWords.end()) {
      reader.error("soll_path", "'" + *word +
                                    "' is not a Soll path; write previous_year, flat, the 12 "
                                    "monthly values or {series: ID}" +
                                    did_you_mean(*word, kSollPathWords));
      return;
    }
    spec.soll_path.source =
        *word == "flat" ? SollPathSpec::Source::flat : SollPathSpec::Source::previous_year;
  }

  MonitoringSpec decode_monitoring(ObjectReader& reader, const GoalDefaults* defaults, Goal& goal) {
    MonitoringSpec spec;
    spec.metric = reader.id("metric", true).value_or("");
    goal.field_locations["metric"] = reader.location_of("metric");
    spec.unit = unit_field(reader, defaults, goal).value_or(Unit::count);
    reader.choice("compare", false, kMonitoringComparisons);
    return spec;
  }

  MilestoneSpec decode_milestones(ObjectReader& reader, Goal& goal) {
    MilestoneSpec spec;
    spec.ordered = reader.boolean("ordered", false).value_or(false);
    const Node* list = reader.list("milestones", true);
    if (list == nullptr) {
      return spec;
    }
    if (list->items().empty()) {
      reader.error("milestones", "a milestone goal needs at least one milestone");
    }
    if (list->items().size() > kMaxMilestonesPerGoal) {
      reader.error("milestones", "has " + std::to_string(list->items().size()) +
                                     " milestones; at most " +
                                     std::to_string(kMaxMilestonesPerGoal) + " are allowed");
      return spec;
    }
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      ObjectReader m(*list->items()[i], reader.child_path("milestones", i), kMilestoneKeys,
                     diagnostics_);
      if (!m.is_map()) {
        continue;
      }
      Milestone milestone;
      milestone.location = m.node().location();
      const auto id = m.id("id", true);
      if (id) {
        m.name_object(*id);
        if (const Milestone* first = spec.find(*id)) {
          m.error("id", "duplicate milestone id '" + *id + "' (first declared at " +
                            where(first->location) + ")");
        }
      }
      milestone.title = m.text("title", true).value_or("");
      const auto due = m.date("due", true);
      if (!id || !due) {
        continue;
      }
      milestone.id = *id;
      milestone.due = *due;
      if (spec.ordered && !spec.milestones.empty() && *due < spec.milestones.back().due) {
        m.error("due", "due " + format_date(*due) + ", before '" + spec.milestones.back().id +
                           "' (due " + format_date(spec.milestones.back().due) +
                           "), which it follows in an ordered goal");
      }
      spec.milestones.push_back(std::move(milestone));
    }
    goal.field_locations["milestones"] = reader.location_of("milestones");
    return spec;
  }

  Fragments& out_;
  Diagnostics& diagnostics_;
};

// --- validation across files ----------------------------------------------

class RuleSetValidator {
 public:
  RuleSetValidator(const RuleSet& rules, Diagnostics& diagnostics)
      : rules_(rules), diagnostics_(diagnostics) {}

  void validate() {
    check_metric_references();
    check_cycles();
    for (const auto& goal : rules_.goals) {
      check_goal(goal);
    }
    warn_unused_metrics();
  }

 private:
  void error(const SourceLocation& where, const std::string& path, const std::string& message) {
    diagnostics_.error(where, path + ": " + message);
  }

  std::string unknown_metric(const std::string& id) const {
    return "unknown metric '" + id + "'" + did_you_mean(id, rules_.metric_ids());
  }

  void check_metric_references() {
    for (const auto& metric : rules_.metrics) {
      if (!metric.formula) {
        continue;
      }
      const auto& references = metric.formula->references();
      for (std::size_t i = 0; i < references.size(); ++i) {
        const Metric* read = rules_.find_metric(references[i].id);
        if (read == nullptr) {
          error(metric.reference_locations[i], metric.object_path,
                "formula: " + unknown_metric(references[i].id));
        } else if (read->plan) {
          error(metric.reference_locations[i], metric.object_path,
                "formula: '" + read->id +
                    "' is a plan series (kind: plan); formulas read observed figures only");
        }
      }
    }
  }

  // Depth-first search over derived metrics; each cycle is reported once, at
  // the metric where the search entered it.
  void check_cycles() {
    enum class Mark { unvisited, active, done };
    std::map<std::string, Mark, std::less<>> marks;
    std::vector<const Metric*> stack;
    std::function<void(const Metric&)> visit = [&](const Metric& metric) {
      marks[metric.id] = Mark::active;
      stack.push_back(&metric);
      if (metric.formula) {
        for (const auto& reference : metric.formula->references()) {
          const Metric* next = rules_.find_metric(reference.id);
          if (next == nullptr) {
            continue;
          }
          if (marks[next->id] == Mark::active) {
            const auto start = std::find(stack.begin(), stack.end(), next);
            std::vector<std::string> names;
            for (auto it = start; it != stack.end(); ++it) {
              names.push_back((*it)->id);
            }
            names.push_back(next->id);
            error(next->location, next->object_path,
                  "the formula depends on itself: " + join(names, " -> "));
          } else if (marks[next->id] == Mark::unvisited) {
            visit(*next);
          }
        }
      }
      stack.pop_back();
      marks[metric.id] = Mark::done;
    };
    for (const auto& metric : rules_.metrics) {
      if (marks[metric.id] == Mark::unvisited) {
        visit(metric);
      }
    }
  }

  void check_goal(const Goal& goal) {
    check_responsibility(goal);
    const std::string& metric_id = goal.metric();
    if (goal.kind() == GoalKind::milestone || metric_id.empty()) {
      return;
    }
    const Metric* metric = rules_.find_metric(metric_id);
    if (metric == nullptr) {
      error(goal.location_of("metric"), goal.object_path + ".metric", unknown_metric(metric_id));
      return;
    }
    const Unit unit = std::visit(
        [](const auto& spec) {
          if constexpr (std::is_same_v<std::decay_t<decltype(spec)>, MilestoneSpec>) {
            return Unit::count;
          } else {
            return spec.unit;
          }
        },
        goal.spec);
    if (unit != metric->unit) {
      error(goal.location_of("unit"), goal.object_path + ".unit",
            "'" + to_string(unit) + "' contradicts the metric '" + metric->id +
                "', whose unit is '" + to_string(metric->unit) + "'");
    }
    if (metric->plan) {
      error(goal.location_of("metric"), goal.object_path + ".metric",
            "'" + metric->id +
                "' is a plan series (kind: plan); a goal is judged on observed figures (a plan "
                "series can be its soll_path)");
    }
    if (const auto* target = std::get_if<TargetSpec>(&goal.spec)) {
      check_target_plausibility(goal, *target);
      check_soll_path(goal, *target);
    }
  }

  // A goal's side must be one some party acts on, or nobody could follow it up.
  void check_responsibility(const Goal& goal) {
    if (rules_.agreement.parties.empty()) return;  // reported with the agreement
    const auto sides = rules_.agreement.sides();
    if (std::find(sides.begin(), sides.end(), goal.responsibility) != sides.end()) return;
    error(goal.location_of("responsibility"), goal.object_path + ".responsibility",
          "no party of the agreement acts on '" + goal.responsibility + "' goals" +
              did_you_mean(goal.responsibility, sides) + " (sides of the parties: " +
              (sides.empty() ? std::string("none") : join(sides, ", ")) + ")");
  }

  void check_target_plausibility(const Goal& goal, const TargetSpec& spec) {
    if (spec.is_relative() && spec.planned_change_pct) {
      error(goal.location_of("planned_change_pct"), goal.object_path + ".planned_change_pct",
            "a relative target is itself the change against the previous year; "
            "planned_change_pct goes with a declared target");
    }
    if (!spec.target) {
      return;
    }
    const double target = *spec.target;
    const std::string path = goal.object_path + ".target";
    // Percentages may lie above 100 (a degree of achievement) or below 0 (a
    // change); a count cannot be negative.
    if (spec.unit == Unit::count && target < 0) {
      error(goal.location_of("target"), path,
            "a count target cannot be negative, got " + fmt_number(target));
    }
    if (target != 0 && spec.tolerance >= std::fabs(target)) {
      error(goal.location_of("tolerance"), goal.object_path + ".tolerance",
            "the tolerance " + fmt_number(spec.tolerance) + " is not smaller than the target " +
                fmt_number(target) + ", so the at_risk band would reach zero");
    }
  }

  void check_soll_path(const Goal& goal, const TargetSpec& spec) {
    const std::string path = goal.object_path + ".soll_path";
    const SollPathSpec& soll = spec.soll_path;
    if (soll.source == SollPathSpec::Source::declared) {
      if (spec.is_relative()) {
        error(goal.location_of("soll_path"), path,
              "a declared path needs a declared target (a relative target is known only with "
              "the previous year's value); use previous_year, flat or a plan series");
        return;
      }
      for (std::size_t i = 0; i < soll.values.size(); ++i) {
        const std::string item = "soll_path[" + std::to_string(i) + "]";
        if (spec.unit == Unit::count && soll.values[i] < 0) {
          error(goal.location_of(item), goal.object_path + "." + item,
                "a count cannot be negative, got " + fmt_number(soll.values[i]));
        }
      }
      if (soll.values.size() == 12 && spec.target && !std::isnan(soll.values[11]) &&
          std::fabs(soll.values[11] - *spec.target) > kComparisonPrecision) {
        error(goal.location_of("soll_path[11]"), goal.object_path + ".soll_path[11]",
              "the path ends at the yearly target: December must be " + fmt_number(*spec.target) +
                  ", got " + fmt_number(soll.values[11]));
      }
    }
    if (soll.source == SollPathSpec::Source::plan && !soll.series.empty()) {
      const Metric* series = rules_.find_metric(soll.series);
      if (series == nullptr) {
        error(goal.location_of("soll_path"), path + ".series", unknown_metric(soll.series));
      } else if (!series->plan) {
        error(goal.location_of("soll_path"), path + ".series",
              "'" + series->id + "' is not a plan series; declare it with kind: plan");
      } else if (series->unit != spec.unit) {
        error(goal.location_of("soll_path"), path + ".series",
              "the plan series '" + series->id + "' is in '" + to_string(series->unit) +
                  "', the goal in '" + to_string(spec.unit) + "'");
      }
    }
  }

  static std::string fmt_number(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') {
      text.pop_back();
    }
    return text;
  }

  void warn_unused_metrics() {
    std::set<std::string, std::less<>> used;
    for (const auto& goal : rules_.goals) {
      used.insert(goal.metric());
      if (const auto* target = std::get_if<TargetSpec>(&goal.spec)) {
        used.insert(target->soll_path.series);
      }
    }
    for (const auto& metric : rules_.metrics) {
      if (metric.formula) {
        for (const auto& reference : metric.formula->references()) {
          used.insert(reference.id);
        }
      }
    }
    for (const auto& metric : rules_.metrics) {
      if (!used.contains(metric.id)) {
        diagnostics_.warning(metric.location,
                             metric.object_path + ": the metric is used by no goal and no formula");
      }
    }
  }

  const RuleSet& rules_;
  Diagnostics& diagnostics_;
};

// Keeps the first `limit` of `objects` (metrics or goals); beyond it, one
// error at the first object too many and the rest dropped. Whether any was.
template <typename Object>
bool keep_at_most(std::vector<Object>& objects, std::size_t limit, const char* plural,
                  Diagnostics& diagnostics) {
  if (objects.size() <= limit) return false;
  const Object& first_beyond = objects[limit];
  diagnostics.error(first_beyond.location, first_beyond.object_path + ": the rule files declare " +
                                               std::to_string(objects.size()) + " " + plural +
                                               "; at most " + std::to_string(limit) +
                                               " are allowed");
  objects.erase(objects.begin() + static_cast<std::ptrdiff_t>(limit), objects.end());
  return true;
}

// Merges the fragments; reports duplicates across files and the agreement count.
// `beyond_bounds` is set when more goals or metrics than the limits were
// declared and the rest dropped.
std::optional<RuleSet> assemble(Fragments fragments, const SourceLocation& project_location,
                                std::string version, Diagnostics& diagnostics,
                                bool& beyond_bounds) {
  RuleSet rules;
  rules.version = std::move(version);
  if (fragments.agreements.empty()) {
    diagnostics.error(project_location, "no rule file declares the agreement");
  } else {
    rules.agreement = std::move(fragments.agreements.front());
    for (std::size_t i = 1; i < fragments.agreements.size(); ++i) {
      diagnostics.error(fragments.agreements[i].location,
                        "agreement: a second agreement (the first is declared at " +
                            where(rules.agreement.location) + "); a project holds exactly one");
    }
  }
  // Beyond the bounds, the rest is dropped after one error: the checks below
  // compare objects with each other, and must stay quick whatever a file holds.
  const bool too_many_metrics =
      keep_at_most(fragments.metrics, kMaxMetrics, "metrics", diagnostics);
  const bool too_many_goals = keep_at_most(fragments.goals, kMaxGoals, "goals", diagnostics);
  beyond_bounds = too_many_metrics || too_many_goals;
  for (auto& metric : fragments.metrics) {
    if (const Metric* first = rules.find_metric(metric.id)) {
      diagnostics.error(metric.location, metric.object_path + ": duplicate metric id '" +
                                             metric.id + "' (first declared at " +
                                             where(first->location) + ")");
      continue;
    }
    rules.metrics.push_back(std::move(metric));
  }
  for (auto& goal : fragments.goals) {
    if (const Goal* first = rules.find_goal(goal.id)) {
      diagnostics.error(goal.location, goal.object_path + ": duplicate goal id '" + goal.id +
                                           "' (first declared at " + where(first->location) + ")");
      continue;
    }
    rules.goals.push_back(std::move(goal));
  }
  return rules;
}

std::optional<RuleSet> finish(std::vector<std::optional<Document>>& documents,
                              const SourceLocation& project_location, std::string version,
                              Diagnostics& diagnostics) {
  Fragments fragments;
  RuleFileDecoder decoder(fragments, diagnostics);
  for (const auto& document : documents) {
    if (document) {
      decoder.decode(*document);
    }
  }
  bool beyond_bounds = false;
  auto rules = assemble(std::move(fragments), project_location, std::move(version), diagnostics,
                        beyond_bounds);
  // Cross-file checks run even after local errors, so one pass reports all it
  // can; but not beyond a bound: with objects dropped, every reference to one
  // of them would be a follow-up error of the one already reported.
  if (!beyond_bounds) RuleSetValidator(*rules, diagnostics).validate();
  if (diagnostics.has_errors()) {
    return std::nullopt;
  }
  return rules;
}

}  // namespace

std::optional<RuleSet> load_rule_set(const std::vector<FileReference>& files,
                                     Diagnostics& diagnostics, const YamlLimits& limits) {
  const std::size_t errors_before = diagnostics.error_count();
  std::vector<std::optional<Document>> documents;
  std::string fingerprint;
  std::vector<RuleSet::File> hashes;
  for (const auto& file : files) {
    documents.push_back(load_yaml_file(file.path, file.display_name, diagnostics, limits));
    if (documents.back()) {
      const std::string& name =
          file.name_in_project.empty() ? file.display_name : file.name_in_project;
      hashes.push_back({name, sha256_hex(documents.back()->source())});
      fingerprint += name + '\n' + hashes.back().sha256 + '\n';
    }
  }
  const SourceLocation project_location =
      files.empty() ? SourceLocation{} : files.front().referenced_at;
  Diagnostics local;
  auto rules = finish(documents, project_location, sha256_hex(fingerprint), local);
  diagnostics.append(local);
  if (diagnostics.error_count() > errors_before) {
    return std::nullopt;
  }
  rules->files = std::move(hashes);
  return rules;
}

std::optional<RuleSet> load_rule_set_from_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, Diagnostics& diagnostics,
    const YamlLimits& limits) {
  const std::size_t errors_before = diagnostics.error_count();
  std::vector<std::optional<Document>> documents;
  std::string fingerprint;
  std::vector<RuleSet::File> hashes;
  for (const auto& [name, text] : sources) {
    hashes.push_back({name, sha256_hex(text)});
    fingerprint += name + '\n' + hashes.back().sha256 + '\n';
    documents.push_back(parse_yaml(text, name, diagnostics, limits));
  }
  Diagnostics local;
  auto rules = finish(documents, SourceLocation{}, sha256_hex(fingerprint), local);
  diagnostics.append(local);
  if (diagnostics.error_count() > errors_before) {
    return std::nullopt;
  }
  rules->files = std::move(hashes);
  return rules;
}

std::map<std::string, std::vector<std::string>> rule_file_keys() {
  return {
      {"ruleFile", kRuleFileKeys},
      {"agreement", kAgreementKeys},
      {"party", kPartyKeys},
      {"signature", kSignatureKeys},
      {"metric", kMetricKeys},
      {"goalGroup", kGoalGroupKeys},
      {"goalDefaults", kGoalDefaultsKeys},
      {"goal", concat({&kGoalCommonKeys, &kTargetKeys, &kMonitoringKeys, &kMilestoneGoalKeys})},
      {"milestone", kMilestoneKeys},
      {"targetChange", kTargetChangeKeys},
      {"sollPathSeries", kSollPathSeriesKeys},
  };
}

}  // namespace zielwerk::rules
