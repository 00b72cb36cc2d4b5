#include "zielwerk/observations/import_profile.h"

#include <algorithm>

#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/rules/object_reader.h"
#include "zielwerk/rules/yaml_document.h"

namespace zielwerk::observations {
namespace {

const std::vector<std::string> kProfileKeys = {"sheet",   "header_row", "encoding", "columns",
                                               "metrics", "regions",    "scale"};
const std::vector<std::string> kColumnKeys = {"metric", "period", "value", "region", "source"};

}  // namespace

std::optional<ImportProfile> load_import_profile(const std::filesystem::path& path,
                                                 const std::string& display_name,
                                                 const rules::RuleSet& rules,
                                                 Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  const auto document = rules::load_yaml_file(path, display_name, diagnostics);
  if (!document) return std::nullopt;
  rules::ObjectReader reader(document->root(), "", kProfileKeys, diagnostics);
  if (!reader.is_map()) return std::nullopt;
  ImportProfile profile;
  if (auto sheet = reader.text("sheet", false)) profile.sheet = *sheet;
  if (auto row = reader.integer("header_row", false, 1, 1'000'000)) {
    profile.header_row = static_cast<int>(*row);
  }
  if (reader.has("encoding")) {
    if (auto name = reader.text("encoding", true)) {
      profile.encoding = parse_text_encoding(*name);
      if (!profile.encoding) {
        reader.error("encoding", "unknown encoding " + quote(*name) + "; known are " +
                                     std::string(kEncodingNames));
      }
    }
  }
  if (const rules::Node* columns = reader.get("columns")) {
    rules::ObjectReader c(*columns, reader.child_path("columns"), kColumnKeys, diagnostics);
    if (c.is_map()) {
      profile.metric_column = c.text("metric", false).value_or("");
      profile.period_column = c.text("period", false).value_or("");
      profile.value_column = c.text("value", false).value_or("");
      profile.region_column = c.text("region", false).value_or("");
      profile.source_column = c.text("source", false).value_or("");
      if (profile.period_column.empty() != profile.value_column.empty()) {
        c.error(profile.period_column.empty() ? "period" : "value",
                "name both the period and the value column, or neither (then the columns "
                "headed by a month hold the values)");
      }
    }
  }
  std::vector<std::string> base_series;
  for (const auto& metric : rules.metrics) {
    if (metric.is_base_series()) base_series.push_back(metric.id);
  }
  if (const rules::Node* metrics = reader.get("metrics")) {
    if (!metrics->is_map()) {
      reader.error("metrics", "expected a map from the file's labels to metric ids, got " +
                                  metrics->describe());
    } else {
      for (const auto& entry : metrics->entries()) {
        const std::string where = reader.child_path("metrics") + "." + quote(entry.key);
        if (!entry.value->is_scalar()) {
          diagnostics.error(entry.value->location(),
                            where + ": expected a metric id, got " + entry.value->describe());
          continue;
        }
        const std::string& id = entry.value->text();
        if (std::find(base_series.begin(), base_series.end(), id) == base_series.end()) {
          diagnostics.error(entry.value->location(), where + ": " + quote(id) +
                                                         " is not a base series of the rules" +
                                                         did_you_mean(id, base_series));
          continue;
        }
        profile.metrics.emplace(std::string(trim_blanks(entry.key)), id);
      }
    }
  }
  if (const rules::Node* regions = reader.list("regions", false)) {
    for (const rules::Node* item : regions->items()) {
      if (!item->is_scalar() || item->text().empty()) {
        diagnostics.error(item->location(), reader.child_path("regions") +
                                                ": expected a region key, got " + item->describe());
        continue;
      }
      profile.regions.push_back(item->text());
    }
  }
  if (auto scale = reader.number("scale", false)) {
    if (*scale <= 0) {
      reader.error("scale", "the scale must be a positive number (e.g. 1000 for thousands)");
    } else {
      profile.scale = *scale;
    }
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return profile;
}

}  // namespace zielwerk::observations
