// The fuzz targets' entry functions (fuzz_entries.h) and the invariants they
// check on every input.
#include "fuzz_entries.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "arguments.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/observations/observation_reader.h"
#include "zielwerk/observations/workbook_reader.h"
#include "zielwerk/rules/project_config.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/workflows/schedule.h"
#include "zielwerk/workflows/time_zone.h"
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

// UTF-8 by its definition, independent of common/utf8.cpp's table: a code
// point read from the lead byte's bit pattern must be a Unicode scalar value
// whose shortest encoding is exactly the bytes it was read from.
bool reference_is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (lead < 0x80U) {
      length = 1;
    } else if ((lead >> 5U) == 0x6U) {
      length = 2;
    } else if ((lead >> 4U) == 0xEU) {
      length = 3;
    } else if ((lead >> 3U) == 0x1EU) {
      length = 4;
    }
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code_point = length == 1 ? lead : (lead & (0x7FU >> length));
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) return false;
      code_point = (code_point << 6U) | (next & 0x3FU);
    }
    const std::size_t shortest = code_point < 0x80U      ? 1
                                 : code_point < 0x800U   ? 2
                                 : code_point < 0x10000U ? 3
                                                         : 4;
    if (shortest != length || code_point > 0x10FFFFU ||
        (code_point >= 0xD800U && code_point <= 0xDFFFU))
      return false;
    i += length;
  }
  return true;
}

// Whether well-formed UTF-8 `text` holds what may not reach a terminal: a C0
// control (but a line feed when `line_feed_allowed`), DEL, a C1 control or a
// bidirectional formatting character (utf8.h's list).
bool holds_control(std::string_view text, bool line_feed_allowed = false) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n' && line_feed_allowed) continue;
    if (byte < 0x20U || byte == 0x7FU) return true;
    const auto next = [&](std::size_t k) {
      return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U;
    };
    if (byte == 0xC2U && next(1) >= 0x80U && next(1) <= 0x9FU) return true;  // U+0080..U+009F
    if (byte == 0xE2U && next(1) == 0x80U && next(2) >= 0xAAU && next(2) <= 0xAEU)
      return true;  // U+202A..U+202E
    if (byte == 0xE2U && next(1) == 0x81U && next(2) >= 0xA6U && next(2) <= 0xA9U)
      return true;  // U+2066..U+2069
  }
  return false;
}

// Text a person reads (a message, a log line): UTF-8 without controls.
void check_shown(std::string_view text, const std::string& what) {
  check(reference_is_utf8(text), what + " is not UTF-8: " + escape_controls(text));
  check(!holds_control(text), what + " holds a control character: " + escape_controls(text));
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
    check_shown(text, "a rendered diagnostic");
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
        check(is_valid_utf8(row->region) && is_valid_utf8(row->source),
              "a region or source that is not UTF-8 text");
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

namespace {

// The commands the global options may stand before, as the CLI declares them
// (main.cpp's command_tree): enough of them to reach every branch of
// hoist_global_options (a command without --db, nested commands).
const cli::CommandTree& command_tree() {
  static const cli::CommandTree tree = [] {
    const std::set<std::string, std::less<>> all = {"--project", "--db", "--actor"};
    const std::set<std::string, std::less<>> reading = {"--project", "--db"};
    cli::CommandTree root;
    root.subcommands["check"].global_options = {"--project"};
    root.subcommands["import"].global_options = all;
    root.subcommands["evaluate"].global_options = reading;
    for (const char* name : {"query", "verify", "checkpoint", "export"})
      root.subcommands["audit"].subcommands[name].global_options = reading;
    root.subcommands["measure"].subcommands["add"].global_options = all;
    root.subcommands["measure"].subcommands["list"].global_options = reading;
    return root;
  }();
  return tree;
}

std::vector<std::string> sorted(std::vector<std::string> arguments) {
  std::sort(arguments.begin(), arguments.end());
  return arguments;
}

// One argument as text: the UTF-8 check against the reference, and every
// way a message shows it.
void check_argument_text(const std::string& argument) {
  const bool valid = reference_is_utf8(argument);
  check(is_valid_utf8(argument) == valid, "is_valid_utf8 disagrees with the definition");
  const std::size_t invalid = first_invalid_utf8(argument);
  check(valid == (invalid == std::string::npos) &&
            (valid || (invalid < argument.size() &&
                       reference_is_utf8(std::string_view(argument).substr(0, invalid)))),
        "first_invalid_utf8 does not point at the first ill-formed byte");
  const std::string problem = utf8_problem(argument);
  check(problem.empty() == valid, "utf8_problem disagrees with is_valid_utf8");
  if (!valid) check_shown(problem, "utf8_problem");

  const std::string repaired = to_valid_utf8(argument);
  check(reference_is_utf8(repaired) && (!valid || repaired == argument),
        "to_valid_utf8 did not give UTF-8, or changed UTF-8 text");

  const std::string escaped = escape_controls(argument);
  check_shown(escaped, "escape_controls");
  check(escape_controls(escaped) == escaped, "escaping twice changed the text");
  check(!valid || holds_control(argument) || escaped == argument,
        "escape_controls changed text without a control");
  const std::string lines = escape_controls(argument, LineFeeds::keep);
  check(reference_is_utf8(lines) && !holds_control(lines, true),
        "escape_controls with line feeds kept more than line feeds");

  const std::string quoted = quote(argument);
  check_shown(quoted, "quote");
  // Each quoted character escapes to at most 8 bytes (\u{NNNN}).
  check(quoted.size() >= 2 && quoted.front() == '\'' && quoted.back() == '\'' &&
            quoted.size() <= 2 + 3 + 8 * kQuoteLength,
        "quote is not short and in quotes: " + quoted);
}

// One argument as the value of --period, --due, --now or --known-at.
void check_argument_values(const std::string& argument) {
  if (const auto month = YearMonth::parse(argument)) {
    check(
        month->year() >= kFirstYear && month->year() <= kLastYear && month->to_string() == argument,
        "a month outside the range or not as written: " + argument);
  } else {
    check_shown(month_problem(argument), "month_problem");
  }
  if (const auto date = parse_date(argument)) {
    check(date->ok() && format_date(*date) == argument, "a date not as written: " + argument);
  } else {
    check_shown(date_problem(argument), "date_problem");
  }
  if (const auto time = parse_timestamp(argument))
    check(parse_timestamp(format_timestamp(*time)) == time, "a UTC time that does not round-trip");
  const auto local = parse_local_date_time(argument);
  if (!local) return;
  // The project's zone: a local --now names one instant, or is refused with
  // the clock change that makes it none or two.
  const std::string zone = "Europe/Berlin";
  const auto match = workflows::match_local_time(zone, *local);
  switch (match.kind) {
    case workflows::LocalTimeMatch::Kind::unique:
      check(workflows::to_local_time(zone, match.first) == *local,
            "a unique local time does not convert back: " + argument);
      break;
    case workflows::LocalTimeMatch::Kind::ambiguous:
      check(match.first < match.second && match.first_offset != match.second_offset &&
                workflows::to_local_time(zone, match.first) == *local &&
                workflows::to_local_time(zone, match.second) == *local,
            "a repeated local time is not both of its instants: " + argument);
      break;
    case workflows::LocalTimeMatch::Kind::nonexistent:
      check(match.first_offset < match.second_offset &&
                workflows::to_local_time(zone, match.first) > *local &&
                workflows::to_local_time(zone, match.first - std::chrono::milliseconds{1}) < *local,
            "a skipped local time is not inside the clock change: " + argument);
      break;
  }
  check(workflows::local_to_utc(zone, *local) == match.first,
        "local_to_utc disagrees with match_local_time: " + argument);
}

}  // namespace

void run_cli_text(std::string_view input) {
  std::vector<std::string> arguments;
  std::size_t start = 0;
  while (start <= input.size()) {
    const std::size_t end = std::min(input.find('\0', start), input.size());
    arguments.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }

  const bool all_valid = std::all_of(arguments.begin(), arguments.end(), reference_is_utf8);
  const auto refused = cli::non_utf8_argument(arguments);
  check(refused.has_value() != all_valid, "non_utf8_argument disagrees with the definition");
  if (refused) {
    check_shown(*refused, "the message of non_utf8_argument");
    check(refused->rfind("argument ", 0) == 0 || refused->rfind('-', 0) == 0,
          "the message names neither an argument nor an option: " + *refused);
  }

  std::string problem;
  const auto hoisted = cli::hoist_global_options(arguments, command_tree(), problem);
  if (hoisted) {
    check(sorted(*hoisted) == sorted(arguments), "hoisting lost or added an argument");
    const bool starts_with_global =
        !arguments.empty() && arguments.front().rfind("--", 0) == 0 && [&] {
          const std::string_view name =
              std::string_view(arguments.front()).substr(0, arguments.front().find('='));
          const auto& names = cli::global_option_names();
          return std::find(names.begin(), names.end(), name) != names.end();
        }();
    check(starts_with_global || *hoisted == arguments,
          "hoisting changed a command line that starts with no global option");
    std::string again_problem;
    const auto again = cli::hoist_global_options(*hoisted, command_tree(), again_problem);
    check(again && *again == *hoisted, "hoisting a hoisted command line changed it");
  } else {
    check(!problem.empty(), "hoisting refused without saying why");
  }

  for (const auto& argument : arguments) {
    check_argument_text(argument);
    if (is_valid_utf8(argument)) check_argument_values(argument);
  }
}

void run_xlsx_import(std::string_view input) {
  const Example& project = example();
  for (const auto kind : {observations::WorkbookKind::xlsx, observations::WorkbookKind::ods}) {
    const std::string name =
        kind == observations::WorkbookKind::xlsx ? "figures.xlsx" : "figures.ods";
    Diagnostics diagnostics;
    auto source = observations::read_workbook(input, kind, name, "", diagnostics);
    check((source != nullptr) != diagnostics.has_errors(),
          source ? "a workbook was returned with an error" : "no workbook and no error to say why");
    if (source) {
      check(source->content_hash() == sha256_hex(input), "the content hash is not the file's");
      observations::ObservationReader reader(std::move(source), name, project.rules);
      if (reader.read_header(diagnostics)) {
        while (const auto row = reader.next(diagnostics)) {
          check(row->line >= 1, "a row without its row number");
          check(std::isfinite(row->value) && (row->missing.empty() || row->value == 0),
                "a row with a value that is not finite, or a missing one with a value");
          const rules::Metric* metric = project.rules.find_metric(row->metric);
          check(metric != nullptr && !metric->formula,
                "a row of a metric that is not a base series: " + std::string(row->metric));
          check(row->region.size() <= 4 * observations::kMaxRegionLength &&
                    row->source.size() <= 4 * observations::kMaxSourceLength,
                "a region or source longer than the limit");
          check(is_valid_utf8(row->region) && is_valid_utf8(row->source) &&
                    is_valid_utf8(row->metric),
                "a text of a row that is not UTF-8");
        }
      } else {
        check(diagnostics.has_errors(), "the header was refused without an error");
      }
    }
    // Workbook messages name cells (`figures.xlsx:Sheet!B17`), not lines.
    for (const auto& diagnostic : diagnostics.items()) {
      const std::string text = format_diagnostic(diagnostic);
      check_shown(text, "a rendered diagnostic");
      check(diagnostic.location.file.starts_with(name) && diagnostic.location.line == 0,
            "a diagnostic that does not name the workbook: " + text);
    }
  }
}

Entry entry_by_name(std::string_view target) {
  if (target == "xlsx_import") return &run_xlsx_import;
  if (target == "rule_loader") return &run_rule_loader;
  if (target == "workflow_loader") return &run_workflow_loader;
  if (target == "csv_import") return &run_csv_import;
  if (target == "cli_text") return &run_cli_text;
  return nullptr;
}

}  // namespace zielwerk::fuzz
