// A parsed YAML file as a tree of located nodes. This is the only view of YAML
// the rest of zielwerk sees: no yaml-cpp type crosses this header.
//
// Unlike a plain YAML load, parsing here
//  - keeps the file:line:col of every node and map key,
//  - rejects duplicate map keys and non-text keys,
//  - distinguishes plain scalars (numbers, booleans) from quoted ones,
//  - bounds file size, nesting depth and the size after alias expansion, so a
//    malicious file ends in a diagnostic instead of a crash or a hang.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/diagnostics.h"

namespace zielwerk::rules {

struct YamlLimits {
  std::size_t max_file_bytes = 4 * 1024 * 1024;  // a rule file is text written by people
  std::size_t max_nodes = 100'000;               // counted after alias expansion
  int max_depth = 64;                            // nesting of maps and lists
};

class Node;

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  const Node* value = nullptr;
};

class Node {
 public:
  enum class Kind { null, scalar, sequence, map };

  Kind kind() const { return kind_; }
  const SourceLocation& location() const { return location_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  // Scalars: the text, and whether it was written plain (unquoted, not a block).
  const std::string& text() const { return text_; }
  bool is_plain() const { return plain_; }

  const std::vector<const Node*>& items() const { return items_; }   // sequences
  const std::vector<MapEntry>& entries() const { return entries_; }  // maps
  const MapEntry* find(std::string_view key) const;                  // maps; nullptr if absent

  // The location of the character at `offset` inside this scalar's text, when
  // the text stands verbatim on one line of the file; the node's own location
  // otherwise (escapes, folded or block scalars).
  SourceLocation location_of_offset(std::size_t offset) const;

  // "a map", "a list", "text", "nothing": for "expected X, got Y" messages.
  std::string describe() const;

 private:
  friend class DocumentBuilder;
  Kind kind_ = Kind::null;
  SourceLocation location_;
  std::size_t source_offset_ = 0;        // byte offset of the node in the file
  const std::string* source_ = nullptr;  // the file's text, owned by the Document
  std::string text_;
  bool plain_ = false;
  std::vector<const Node*> items_;
  std::vector<MapEntry> entries_;
  std::size_t expanded_size_ = 1;  // nodes in this subtree, aliases expanded
  bool complete_ = false;
};

// Owns the nodes of one parsed file. Node pointers stay valid while the
// Document lives (also across moves).
class Document {
 public:
  const Node& root() const { return *root_; }
  const std::string& file() const { return file_; }
  const std::string& source() const { return *source_; }

 private:
  friend class DocumentBuilder;
  friend std::optional<Document> parse_yaml(std::string source, const std::string& file,
                                            Diagnostics& diagnostics, const YamlLimits& limits);
  std::string file_;
  std::unique_ptr<std::string> source_;
  std::vector<std::unique_ptr<Node>> nodes_;
  const Node* root_ = nullptr;
};

// Parses `source` (named `file` in diagnostics). Returns nullopt after adding at
// least one error to `diagnostics` when the text is not exactly one valid YAML
// document within the limits.
std::optional<Document> parse_yaml(std::string source, const std::string& file,
                                   Diagnostics& diagnostics, const YamlLimits& limits = {});

// Reads and parses a file; unreadable, over-size or binary files are diagnostics.
// `display_name` is how the file is named in diagnostics.
std::optional<Document> load_yaml_file(const std::filesystem::path& path,
                                       const std::string& display_name, Diagnostics& diagnostics,
                                       const YamlLimits& limits = {});

}  // namespace zielwerk::rules
