// An import profile: how to read a file whose layout is not zielwerk's own (a
// BA statistics workbook, a controlling export). A small YAML file in the
// project, decoded with rules::ObjectReader like every project file:
//
//   sheet: "Eckwerte"              # the sheet to read (default: every sheet)
//   header_row: 4                  # the header's row/line (default: first non-blank)
//   encoding: windows-1252         # CSV only (default: detected)
//   columns:                       # header texts of the file, by role
//     metric: "Merkmal"
//     period: "Berichtsmonat"      # period and value, or neither: then the
//     value: "Wert"                #   columns named by a month are the months
//     region: "JC-Nr."
//   metrics:                       # the file's labels -> metric ids
//     "Integrationen Frauen": integrationen_frauen
//   regions: ["05158"]             # keep only rows of these regions
//   scale: 1000                    # values are in thousands
//
// With `metrics`, a label that is neither mapped nor a metric id is an error:
// a renamed row in next month's file must not vanish silently.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::observations {

struct ImportProfile {
  std::string sheet;   // empty: every sheet
  int header_row = 0;  // 1-based; 0: the first non-blank row
  std::optional<TextEncoding> encoding;
  // Header texts (compared without regard to case and surrounding spaces);
  // empty: found by the usual names.
  std::string metric_column, period_column, value_column, region_column, source_column;
  std::map<std::string, std::string, std::less<>> metrics;  // label -> metric id
  std::vector<std::string> regions;                         // empty: every region
  double scale = 1;
};

// nullopt with the reasons in `diagnostics` when the file is not a valid
// profile (unknown keys, wrong types, a metric id that is not a base series
// of `rules`, a scale that is not a positive number).
std::optional<ImportProfile> load_import_profile(const std::filesystem::path& path,
                                                 const std::string& display_name,
                                                 const rules::RuleSet& rules,
                                                 Diagnostics& diagnostics);

}  // namespace zielwerk::observations
