// zielwerk report review ID | report year --period YYYY-MM
//   [--format md|html] [--lang de|en] [--output FILE]
#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "commands.h"
#include "output_file.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/build.h"
#include "zielwerk/report/render.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {
namespace {

struct ReportOptions : DataOptions {
  std::string format;  // empty: from --output's extension, else md
  std::string lang = "de";
  std::optional<std::filesystem::path> output;
  bool force = false;
};

struct ReviewReportOptions : ReportOptions {
  std::string review;
};

struct YearReportOptions : ReportOptions {
  std::string period;
  std::string known_at;
  std::string today;
};

void add_report_options(Command command, ReportOptions& options) {
  add_data_options(command, options, false);
  command
      .option("--format", options.format,
              "md or html (default: md on stdout; with --output from its extension .md or "
              ".html, another one is refused)")
      .type_name("FORMAT")
      .one_of({"md", "html"});
  command.option("--lang", options.lang, "language of the document: de or en")
      .type_name("LANG")
      .one_of({"de", "en"})
      .show_default();
  command
      .option("--output", options.output,
              "write the document to this new file instead of stdout (.md or .html; in place "
              "only when complete)")
      .type_name("FILE");
  command.flag("--force", options.force,
               "let --output replace an existing file (never a link, a device or a "
               "read-only file)");
}

// The format: --format, else --output's extension; an extension zielwerk
// does not write (x.pdf) is a usage error, not Markdown under another name.
Result<std::string> format_of(const ReportOptions& options) {
  if (!options.format.empty()) return options.format;
  if (!options.output) return std::string("md");
  std::string extension = options.output->extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".html" || extension == ".htm") return std::string("html");
  if (extension == ".md" || extension == ".markdown") return std::string("md");
  return Error::usage("--output: cannot tell the format from " +
                      (extension.empty() ? std::string("a name without extension")
                                         : "the extension " + quote(extension)) +
                      "; name the file .md or .html, or give --format md|html");
}

int emit(const ReportOptions& options, const report::Document& document,
         const std::filesystem::path& database) {
  const auto format = format_of(options);
  if (!format) return report_error(format.error());
  const locale::Language language =
      locale::parse_language(options.lang).value_or(locale::Language::de);
  const std::string text = format.value() == "html" ? report::render_html(document, language)
                                                    : report::render_markdown(document, language);
  if (!options.output) {
    std::cout << text;
    return kSuccess;  // main checks that stdout took it
  }
  const Status written = write_output_file({*options.output, options.force, database}, text);
  if (!written) return report_error(written.error());
  std::cerr << "zielwerk: wrote " << escape_controls(options.output->string()) << '\n';
  return kSuccess;
}

}  // namespace

Action register_report(Command app, const Clock& clock) {
  Command command = app.subcommand("report", "Meeting documents: agenda, minutes, year overview");
  command.require_subcommand(1);
  command.set_help_flag("-h,--help", "print this help and exit");
  command.footer(
      std::string(
          "Documents for the people in a review meeting, in German (default) or English, as "
          "Markdown or as one self-contained HTML file with charts that prints on A4 "
          "(docs/reports.md).\n"
          "  report review ID   the agenda of a prepared review, the minutes of a closed one\n"
          "  report year        the whole agreement at one reporting month") +
      "\n\n" + kExitCodesHelp);

  auto review_options = std::make_shared<ReviewReportOptions>();
  Command review = command.subcommand(
      "review", "The agenda of a prepared review, or the minutes of a closed one");
  review.footer(
      "Shows what the meeting saw: the goals in its workflow's scope as frozen when the review "
      "was prepared (value, target, gap, year-end forecast), one chart per goal with its course "
      "over the last 24 months drawn from the figures known then, milestones, open and overdue "
      "measures, escalations; for a closed review also attendance, the joint assessment, "
      "external conditions, decisions and the measures agreed and followed up in it. The same "
      "review always gives the same document, whatever was imported or corrected later.");
  add_report_options(review, *review_options);
  review.option("ID", review_options->review, "the review, e.g. ba-zielnachhaltedialog/2025-06")
      .required();

  auto year_options = std::make_shared<YearReportOptions>();
  Command year = command.subcommand("year", "The whole agreement at one reporting month");
  year.footer(
      "Every goal of the agreement at --period with its chart, the milestones as of the "
      "period's last day, the measures open on --today (overdue flagged) and every escalation "
      "raised. --known-at uses the figures as they were known then.");
  add_report_options(year, *year_options);
  year.option("--period", year_options->period, "reporting month, YYYY-MM")
      .type_name("YYYY-MM")
      .required();
  year.option("--known-at", year_options->known_at,
              "use the figures as known then: YYYY-MM-DD (end of that day) or "
              "YYYY-MM-DDTHH:MM in the project's time zone")
      .type_name("DATE");
  year.option("--today", year_options->today,
              "the day open measures are judged overdue on, YYYY-MM-DD (default: today)")
      .type_name("DATE");

  return [=] {
    if (review.parsed()) {
      auto opened = open_for_reading(*review_options);
      if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
      auto& context = std::get<ReadContext>(opened);
      auto document =
          report::build_review_document(context.project, *context.database, review_options->review);
      if (!document) return report_error(document.error());
      return emit(*review_options, document.value(), context.database->path());
    }
    const auto period = YearMonth::parse(year_options->period);
    if (!period) {
      return report_error(Error::usage("--period: " + quote(year_options->period) + " " +
                                       month_problem(year_options->period)));
    }
    std::optional<std::chrono::year_month_day> today;
    if (!year_options->today.empty()) {
      auto parsed = date_option("--today", year_options->today);
      if (!parsed) return report_error(parsed.error());
      today = parsed.value();
    }
    auto opened = open_for_reading(*year_options);
    if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
    auto& context = std::get<ReadContext>(opened);
    std::optional<Timestamp> known_at;
    if (!year_options->known_at.empty()) {
      auto parsed =
          engine::parse_point_in_time(context.project, year_options->known_at, "--known-at");
      if (!parsed) return report_error(parsed.error());
      known_at = parsed.value();
    }
    if (!today) today = workflows::local_date(context.project.config.time_zone, clock());
    auto document =
        report::build_year_document(context.project, *context.database, *period, known_at, *today);
    if (!document) return report_error(document.error());
    return emit(*year_options, document.value(), context.database->path());
  };
}

}  // namespace zielwerk::cli
