#include "fault_injection.h"

#if defined(ZIELWERK_FAULT_INJECTION)
#include <signal.h>

#include <cstdlib>
#include <optional>
#include <string_view>
#endif

namespace zielwerk::storage::fault_injection {

#if defined(ZIELWERK_FAULT_INJECTION)
namespace {

enum class Point { before_commit, after_commit };

struct Target {
  Point point;
  long ordinal;
};

// ZIELWERK_FAULT_INJECTION=POINT:N; anything else (or nothing) aims at no point.
std::optional<Target> parse_target() {
  const char* text = std::getenv("ZIELWERK_FAULT_INJECTION");
  if (text == nullptr) return std::nullopt;
  const std::string_view value(text);
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto name = value.substr(0, colon);
  Point point;
  if (name == "before-commit") {
    point = Point::before_commit;
  } else if (name == "after-commit") {
    point = Point::after_commit;
  } else {
    return std::nullopt;
  }
  char* end = nullptr;
  const long ordinal = std::strtol(text + colon + 1, &end, 10);
  if (end == text + colon + 1 || *end != '\0' || ordinal < 1) return std::nullopt;
  return Target{point, ordinal};
}

long transactions = 0;  // write transactions of this process that reached COMMIT

void reached(Point point) {
  // Read once: the variable belongs to the process, not to a transaction.
  static const std::optional<Target> target = parse_target();
  if (target && target->point == point && target->ordinal == transactions) raise(SIGKILL);
}

}  // namespace

void before_commit() {
  ++transactions;
  reached(Point::before_commit);
}

void after_commit() {
  reached(Point::after_commit);
}
#else
void before_commit() {}
void after_commit() {}
#endif

}  // namespace zielwerk::storage::fault_injection
