#include "zielwerk/rules/yaml_document.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "zielwerk/common/utf8.h"

namespace zielwerk::rules {
namespace {

// The line and column (in characters) of byte `offset` of `source`.
SourceLocation location_of_byte(const std::string& source, std::size_t offset,
                                const std::string& file) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
    const auto byte = static_cast<unsigned char>(source[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  return {file, line, column};
}

}  // namespace

const MapEntry* Node::find(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) {
      return &entry;
    }
  }
  return nullptr;
}

SourceLocation Node::location_of_offset(std::size_t offset) const {
  if (source_ == nullptr || offset > text_.size() || source_offset_ >= source_->size()) {
    return location_;
  }
  const char first = (*source_)[source_offset_];
  if (first == '|' || first == '>') {
    return location_;
  }
  const std::size_t quote = (first == '"' || first == '\'') ? 1 : 0;
  const std::size_t start = source_offset_ + quote;
  const std::string_view before = std::string_view(text_).substr(0, offset);
  if (start + offset > source_->size() || source_->compare(start, offset, before) != 0 ||
      before.find('\n') != std::string_view::npos) {
    return location_;
  }
  SourceLocation where = location_;
  where.column += static_cast<int>(quote + offset);
  return where;
}

std::string Node::describe() const {
  switch (kind_) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return quote(text_, 40);
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a map";
  }
  return "?";
}

namespace {

// Thrown from inside yaml-cpp's event callbacks to abandon a document that
// exceeds a limit; caught in parse_yaml and turned into one diagnostic.
struct LimitExceeded {
  SourceLocation where;
  std::string message;
};

bool is_plain_null(const std::string& tag, const std::string& value) {
  return tag == "?" && (value == "~" || value == "null" || value == "Null" || value == "NULL");
}

}  // namespace

// Builds the located tree from yaml-cpp's events for one document.
class DocumentBuilder final : public YAML::EventHandler {
 public:
  DocumentBuilder(Document& document, Diagnostics& diagnostics, const YamlLimits& limits)
      : document_(document), diagnostics_(diagnostics), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node& node = make(Node::Kind::null, mark, anchor);
    finish(node);
    attach(node);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end() || !found->second->complete_) {
      throw LimitExceeded{location(mark), "an alias refers to the node that contains it"};
    }
    count(found->second->expanded_size_, mark);
    attach(*found->second, location(mark));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const bool null = is_plain_null(tag, value);
    Node& node = make(null ? Node::Kind::null : Node::Kind::scalar, mark, anchor);
    if (!null) {
      node.text_ = value;
      node.plain_ = tag == "?";
    }
    finish(node);
    attach(node);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(Node::Kind::sequence, mark, anchor));
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(Node::Kind::map, mark, anchor));
  }
  void OnMapEnd() override { close(); }

  const Node* root() const { return root_; }

 private:
  struct Frame {
    Node* node;
    bool expecting_key = true;
    MapEntry pending;            // the key read, waiting for its value
    bool pending_valid = false;  // false when the key was rejected
  };

  SourceLocation location(const YAML::Mark& mark) const {
    return {document_.file_, mark.line + 1, mark.column + 1};
  }

  void count(std::size_t nodes, const YAML::Mark& mark) {
    total_nodes_ += nodes;
    if (total_nodes_ > limits_.max_nodes) {
      throw LimitExceeded{location(mark), "the document has more than " +
                                              std::to_string(limits_.max_nodes) +
                                              " nodes (counting aliases expanded)"};
    }
  }

  Node& make(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(1, mark);
    auto node = std::make_unique<Node>();
    node->kind_ = kind;
    node->location_ = location(mark);
    node->source_offset_ = mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
    node->source_ = document_.source_.get();
    Node& ref = *node;
    document_.nodes_.push_back(std::move(node));
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = &ref;
    }
    return ref;
  }

  static void finish(Node& node) { node.complete_ = true; }

  void open(Node& node) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      throw LimitExceeded{node.location_, "the document is nested deeper than " +
                                              std::to_string(limits_.max_depth) + " levels"};
    }
    stack_.push_back(Frame{&node, true, {}, false});
  }

  void close() {
    Node& node = *stack_.back().node;
    stack_.pop_back();
    for (const Node* item : node.items_) {
      node.expanded_size_ += item->expanded_size_;
    }
    for (const auto& entry : node.entries_) {
      node.expanded_size_ += entry.value->expanded_size_ + 1;
    }
    finish(node);
    attach(node);
  }

  void attach(const Node& node) { attach(node, node.location_); }

  // Places a finished node (or an alias target) into its parent.
  void attach(const Node& node, const SourceLocation& where) {
    if (stack_.empty()) {
      root_ = &node;
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node->kind_ == Node::Kind::sequence) {
      parent.node->items_.push_back(&node);
      return;
    }
    if (parent.expecting_key) {
      parent.expecting_key = false;
      parent.pending = MapEntry{node.text_, where, nullptr};
      parent.pending_valid = node.kind_ == Node::Kind::scalar;
      if (!parent.pending_valid) {
        diagnostics_.error(where, "a map key must be text, got " + node.describe());
      } else if (const MapEntry* first = parent.node->find(node.text_)) {
        parent.pending_valid = false;
        diagnostics_.error(where, "duplicate key " + quote(node.text_) + " (first at line " +
                                      std::to_string(first->key_location.line) + ")");
      }
      return;
    }
    parent.expecting_key = true;
    if (parent.pending_valid) {
      parent.pending.value = &node;
      parent.node->entries_.push_back(std::move(parent.pending));
    }
  }

  Document& document_;
  Diagnostics& diagnostics_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Node*> anchors_;
  std::size_t total_nodes_ = 0;
  const Node* root_ = nullptr;
};

std::optional<Document> parse_yaml(std::string source, const std::string& file,
                                   Diagnostics& diagnostics, const YamlLimits& limits) {
  Document document;
  document.file_ = file;
  document.source_ = std::make_unique<std::string>(std::move(source));
  if (document.source_->size() > limits.max_file_bytes) {
    diagnostics.error({file, 0, 0}, "the file is larger than the limit of " +
                                        std::to_string(limits.max_file_bytes) + " bytes");
    return std::nullopt;
  }
  if (document.source_->find('\0') != std::string::npos) {
    diagnostics.error({file, 0, 0}, "not a text file (it contains a NUL byte)");
    return std::nullopt;
  }
  // yaml-cpp reads UTF-8 without checking it; a stray byte (a file saved as
  // Latin-1) would end up in names, titles and the database.
  if (const std::size_t invalid = first_invalid_utf8(*document.source_);
      invalid != std::string::npos) {
    const auto byte = static_cast<unsigned char>((*document.source_)[invalid]);
    constexpr std::string_view kHex = "0123456789ABCDEF";
    diagnostics.error(location_of_byte(*document.source_, invalid, file),
                      std::string("not UTF-8 text: byte 0x") + kHex[byte >> 4U] +
                          kHex[byte & 0xFU] +
                          " is not part of a UTF-8 character; save the file as UTF-8");
    return std::nullopt;
  }

  const std::size_t errors_before = diagnostics.error_count();
  std::istringstream stream(*document.source_);
  try {
    YAML::Parser parser(stream);
    DocumentBuilder builder(document, diagnostics, limits);
    if (!parser.HandleNextDocument(builder) || builder.root() == nullptr) {
      diagnostics.error({file, 1, 1}, "the file is empty");
      return std::nullopt;
    }
    document.root_ = builder.root();
    DocumentBuilder rest(document, diagnostics, limits);
    if (parser.HandleNextDocument(rest) && rest.root() != nullptr) {
      diagnostics.error(rest.root()->location(),
                        "a second YAML document; zielwerk files hold exactly one");
    }
  } catch (const LimitExceeded& limit) {
    diagnostics.error(limit.where, limit.message);
    return std::nullopt;
  } catch (const YAML::DeepRecursion& deep) {
    diagnostics.error({file, deep.mark.line + 1, deep.mark.column + 1},
                      "the document is nested too deeply");
    return std::nullopt;
  } catch (const YAML::Exception& invalid) {
    SourceLocation where{file, 1, 1};
    if (!invalid.mark.is_null()) {
      where = {file, invalid.mark.line + 1, invalid.mark.column + 1};
    }
    diagnostics.error(where, "invalid YAML: " + invalid.msg);
    return std::nullopt;
  }
  if (diagnostics.error_count() > errors_before) {
    return std::nullopt;
  }
  return document;
}

std::optional<Document> load_yaml_file(const std::filesystem::path& path,
                                       const std::string& display_name, Diagnostics& diagnostics,
                                       const YamlLimits& limits) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    diagnostics.error({display_name, 0, 0}, "cannot read the file: it does not exist");
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(status)) {
    diagnostics.error({display_name, 0, 0}, "cannot read the file: it is not a regular file");
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits.max_file_bytes) {
    diagnostics.error({display_name, 0, 0}, "the file is larger than the limit of " +
                                                std::to_string(limits.max_file_bytes) + " bytes");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) {
    // An empty file makes `content << rdbuf` fail too; that is "empty", not unreadable.
    if (in && size == 0) {
      diagnostics.error({display_name, 1, 1}, "the file is empty");
    } else {
      diagnostics.error({display_name, 0, 0}, "cannot read the file");
    }
    return std::nullopt;
  }
  return parse_yaml(content.str(), display_name, diagnostics, limits);
}

}  // namespace zielwerk::rules
