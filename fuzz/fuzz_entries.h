// The functions the libFuzzer targets in fuzz/ run on each input, kept out of
// the targets so the GoogleTest suite (tests/fuzz/fuzz_regression_test.cpp)
// replays seeds and every crash ever found through exactly the same code.
//
// Each function returns normally for any input. A broken invariant (e.g. a
// RuleSet returned although the diagnostics hold an error) prints what broke
// to stderr and aborts, which libFuzzer reports like a crash and which fails
// the replay test.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zielwerk::fuzz {

// A line with exactly this text (without line end) in a YAML input starts the
// next file: one fuzz input can carry a whole project's rule or workflow
// files, so mutations reach the cross-file reference checks. It is a YAML
// comment, so every part is still plain YAML.
inline constexpr std::string_view kNextFileMarker = "#--- next file";

// Splits `input` at marker lines into (display name, content) pairs named
// "<stem>-1.yaml", "<stem>-2.yaml", ...; at least one (possibly empty) file.
std::vector<std::pair<std::string, std::string>> split_files(std::string_view input,
                                                             std::string_view stem);

// Joins files with marker lines between them: the inverse of split_files for
// contents that hold no marker line. Seeds for whole rule sets are built so.
std::string join_files(const std::vector<std::string>& contents);

// The input as rule files (split_files) loaded into one RuleSet.
void run_rule_loader(std::string_view input);

// The input as workflow files (split_files) checked against the rule set of
// examples/me-aktiv-2025; scheduled for a year when they load.
void run_workflow_loader(std::string_view input);

// The input as one observation file imported against the example's rule set:
// header, every row and the content hash, as `zielwerk import` reads a file
// (without a database); then the raw CSV records with every field's column.
void run_csv_import(std::string_view input);

// The input as a workbook, read as XLSX and as ODS (workbook_reader.h: the zip
// archive, the XML parts, the cells) and imported against the example's rule
// set: every sheet's header and rows, the content hash, and messages that
// name the workbook's cells.
void run_xlsx_import(std::string_view input);

// The input as a command line, arguments separated by NUL bytes (as in
// /proc/PID/cmdline; a real argument cannot hold one): the checks zielwerk
// runs before CLI11 parses (every argument UTF-8 text, global options moved
// behind the command), the quoting of arguments in messages, and each
// argument read as the values of --period, --due, --now and --known-at are.
void run_cli_text(std::string_view input);

// The entry function of a target by its name ("rule_loader", "workflow_loader",
// "csv_import", "cli_text", "xlsx_import", the names of the directories under fuzz/regressions/),
// or nullptr for an unknown name.
using Entry = void (*)(std::string_view);
Entry entry_by_name(std::string_view target);

}  // namespace zielwerk::fuzz
