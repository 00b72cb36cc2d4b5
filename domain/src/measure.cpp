#include "zielwerk/domain/measure.h"

#include <array>

namespace zielwerk::domain {
namespace {

constexpr std::array<std::string_view, 5> kFieldNames = {"status", "reason", "due", "follow_up",
                                                         "assignee"};

}  // namespace

const std::vector<std::string>& measure_status_names() {
  static const std::vector<std::string> names = {"agreed", "in_progress", "done", "dropped"};
  return names;
}

std::string to_string(MeasureStatus status) {
  return measure_status_names()[static_cast<std::size_t>(status)];
}

std::optional<MeasureStatus> parse_measure_status(std::string_view text) {
  const auto& names = measure_status_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i]) return static_cast<MeasureStatus>(i);
  }
  return std::nullopt;
}

bool allowed_transition(MeasureStatus from, MeasureStatus to) {
  switch (from) {
    case MeasureStatus::agreed:
      return to != MeasureStatus::agreed;
    case MeasureStatus::in_progress:
      return to == MeasureStatus::done || to == MeasureStatus::dropped;
    case MeasureStatus::done:
    case MeasureStatus::dropped:
      return false;
  }
  return false;
}

std::string to_string(MeasureField field) {
  return std::string(kFieldNames[static_cast<std::size_t>(field)]);
}

std::optional<MeasureField> parse_measure_field(std::string_view text) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (text == kFieldNames[i]) return static_cast<MeasureField>(i);
  }
  return std::nullopt;
}

}  // namespace zielwerk::domain
