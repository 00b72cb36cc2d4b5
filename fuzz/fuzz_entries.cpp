// The fuzz targets' entry functions (fuzz_entries.h) and the invariants they
// check on every input.
#include "fuzz_entries.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/observations/observation_reader.h"
#include "zielwerk/rules/project_config.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/workflows/schedule.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::fuzz {
namespace {

using Sources = std::vector<std::pair<std::string, std::string>>;

// A broken invariant: says which and aborts, so libFuzzer saves the input as a
// crash and the replay test fails with the reason on stderr.
[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "zielwerk fuzz invariant broken: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void check(bool condition, const std::string& what) {
  if (!condition) fail(what);
}

std::size_t line_count(std::string_view text) {
  std::size_t lines = 1;
  for (const char c : text)
    if (c == '\n') ++lines;
  return lines;
}

// Every diagnostic names one of the input files, or none for a problem of the
// project as a whole; points at a line that exists (or just past the end, where
// a parser reports an unexpected end of file); and renders with its file name
// first, so a user can find the place.
void check_diagnostics(const Diagnostics& diagnostics, const Sources& sources) {
  // ZIELWERK_FUZZ_PRINT=1 prints them, to see what an input (a seed, a crash
  // being minimised) reaches; read once, as the fuzzer calls this per input.
  static const bool print = std::getenv("ZIELWERK_FUZZ_PRINT") != nullptr;
  if (print) {
    for (const auto& diagnostic : diagnostics.items())
      std::fprintf(stderr, "%s\n", format_diagnostic(diagnostic).c_str());
  }
  // Counted once: an input can have thousands of diagnostics.
  std::map<std::string, std::size_t, std::less<>> line_counts;
  for (const auto& [name, content] : sources)
    line_counts[name] = line_count(content);
  for (const auto& diagnostic : diagnostics.items()) {
    const SourceLocation& at = diagnostic.location;
    const std::string text = format_diagnostic(diagnostic);
    check(at.line >= 0 && at.column >= 0, "negative line or column: " + text);
    check(!diagnostic.message.empty(), "a diagnostic without a message: " + text);
    if (at.file.empty()) {
      check(at.line == 0, "a line without a file: " + text);
      continue;
    }
    check(text.compare(0, at.file.size(), at.file) == 0,
          "the rendered diagnostic does not start with its file: " + text);
    const auto lines = line_counts.find(at.file);
    check(lines != line_counts.end(), "a diagnostic names a file that is not an input: " + text);
    check(static_cast<std::size_t>(at.line) <= lines->second + 1,
          "a diagnostic points past the end of its file: " + text);
  }
}

// The example project, loaded once: the rule set workflows and observation
// files are checked against, and its calendar for scheduling. A fuzzer cannot
// run without it, so a failure here aborts at start-up with the diagnostics.
struct Example {
  rules::RuleSet rules;
  workflows::CalendarSettings calendar;
};

const Example& example() {
  static const Example loaded = [] {
    const std::filesystem::path directory =
        std::filesystem::path(ZIELWERK_SOURCE_DIR) / "examples" / "me-aktiv-2025";
    Diagnostics diagnostics;
    auto config = rules::load_project_config(directory, diagnostics);
    std::optional<rules::RuleSet> rules;
    if (config) rules = rules::load_rule_set(config->rule_files, diagnostics);
    if (!rules || diagnostics.has_errors()) {
      std::string messages;
      for (const auto& diagnostic : diagnostics.items())
        messages += "\n  " + format_diagnostic(diagnostic);
      fail("cannot load the example project " + directory.string() + messages);
    }
    workflows::CalendarSettings calendar;
    calendar.time_zone = config->time_zone;
    calendar.holidays.region = config->holiday_region;
    return Example{std::move(*rules), calendar};
  }();
  return loaded;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> split_files(std::string_view input,
                                                             std::string_view stem) {
  Sources files;
  std::string current;
  auto finish_file = [&] {
    files.emplace_back(std::string(stem) + "-" + std::to_string(files.size() + 1) + ".yaml",
                       std::move(current));
    current.clear();
  };
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    const std::string_view with_end =
        end == std::string_view::npos ? input : input.substr(0, end + 1);
    if (line == kNextFileMarker) {
      finish_file();
    } else {
      current.append(with_end);
    }
    input.remove_prefix(with_end.size());
  }
  finish_file();
  return files;
}

std::string join_files(const std::vector<std::string>& contents) {
  std::string joined;
  for (std::size_t i = 0; i < contents.size(); ++i) {
    if (i > 0) {
      if (!joined.empty() && joined.back() != '\n') joined += '\n';
      joined.append(kNextFileMarker);
      joined += '\n';
    }
    joined += contents[i];
  }
  return joined;
}

void run_rule_loader(std::string_view input) {
  const Sources sources = split_files(input, "rules");
  Diagnostics diagnostics;
  const auto rules = rules::load_rule_set_from_sources(sources, diagnostics);
  check_diagnostics(diagnostics, sources);
  check(rules.has_value() == !diagnostics.has_errors(),
        rules ? "a RuleSet was returned although there are errors"
              : "no RuleSet and no error to say why");
  if (!rules) return;
  check(rules->files.size() == sources.size() && !rules->version.empty(),
        "the RuleSet's version does not cover every file");
  // Cheap walks over what the loader validated: a reference cycle or a dangling
  // reference it let through shows up here as a crash or endless recursion.
  for (const auto& metric : rules->metrics) {
    check(rules->find_metric(metric.id) != nullptr, "metric " + metric.id + " cannot be found");
    (void)rules->metrics_read_by(metric.id);
  }
  for (const auto& goal : rules->goals)
    check(rules->find_goal(goal.id) != nullptr, "goal " + goal.id + " cannot be found");
}

void run_workflow_loader(std::string_view input) {
  const Example& project = example();
  const Sources sources = split_files(input, "workflows");
  Diagnostics diagnostics;
  const auto loaded = workflows::load_workflows_from_sources(sources, project.rules, diagnostics);
  check_diagnostics(diagnostics, sources);
  check(loaded.has_value() == !diagnostics.has_errors(),
        loaded ? "workflows were returned although there are errors"
               : "no workflows and no error to say why");
  if (!loaded) return;
  for (const auto& workflow : *loaded)
    (void)workflows::goals_in_scope(workflow.scope, project.rules);
  // A year of meetings: the meeting rules' values reach the calendar code.
  using namespace std::chrono;
  const auto meetings =
      workflows::schedule(*loaded, 2025y / January / 1, 2025y / December / 31, project.calendar);
  for (const auto& meeting : meetings) {
    check(meeting.rule_date.ok() && (!meeting.date || meeting.date->ok()),
          "meeting " + meeting.id() + " has an invalid date");
  }
}

void run_csv_import(std::string_view input) {
  const Example& project = example();
  const std::string name = "observations.csv";
  const std::string content(input);
  {
    std::istringstream stream(content);
    observations::ObservationReader reader(stream, name, project.rules);
    Diagnostics diagnostics;
    if (reader.read_header(diagnostics)) {
      int last_line = 0;
      while (const auto row = reader.next(diagnostics)) {
        check(row->line > last_line, "rows out of line order");
        last_line = row->line;
        check(std::isfinite(row->value), "a row with a value that is not finite");
        const rules::Metric* metric = project.rules.find_metric(row->metric);
        check(metric != nullptr && !metric->formula,
              "a row of a metric that is not a base series: " + std::string(row->metric));
        // Limits in characters; a character has at most four bytes.
        check(row->region.size() <= 4 * observations::kMaxRegionLength &&
                  row->source.size() <= 4 * observations::kMaxSourceLength,
              "a region or source longer than the limit");
      }
    } else {
      check(diagnostics.has_errors(), "the header was refused without an error");
    }
    check(reader.content_hash() == sha256_hex(content), "the content hash is not the file's");
    check(reader.bytes_read() == content.size(), "not every byte was read for the hash");
    check_diagnostics(diagnostics, {{name, content}});
  }
  // The raw records and their fields' columns, which only messages compute.
  std::istringstream stream(content);
  observations::CsvReader csv(stream);
  std::vector<observations::CsvField> fields;
  observations::CsvError error;
  while (csv.next(fields, error)) {
    check(fields.size() <= observations::kMaxFields, "more fields than the limit");
    // First and last field only: column_of counts characters from the line's
    // start, so every field of a 64 KiB line would cost more than the rest.
    if (!fields.empty()) {
      const int first = csv.column_of(fields.front());
      check(first >= 1 && csv.column_of(fields.back()) >= first, "fields' columns out of order");
    }
    error = {};
  }
}

Entry entry_by_name(std::string_view target) {
  if (target == "rule_loader") return &run_rule_loader;
  if (target == "workflow_loader") return &run_workflow_loader;
  if (target == "csv_import") return &run_csv_import;
  return nullptr;
}

}  // namespace zielwerk::fuzz
