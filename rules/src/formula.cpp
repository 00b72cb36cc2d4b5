#include "zielwerk/rules/formula.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "zielwerk/common/text.h"

namespace zielwerk::rules {

struct Formula::Expression {
  enum class Kind {
    number,
    metric,
    negate,
    add,
    subtract,
    multiply,
    divide,
    rolling_sum,
    rolling_mean,
    ytd_sum,
    lag,
    previous_december,
    window_sum,
    window_mean,
  };
  // A month of a window: an anchor relative to the reporting month M, plus an offset.
  enum class Anchor { reporting_month, january, previous_december };
  struct Bound {
    Anchor anchor = Anchor::reporting_month;
    int offset = 0;
    YearMonth at(YearMonth month) const {
      switch (anchor) {
        case Anchor::reporting_month:
          return month.plus_months(offset);
        case Anchor::january:
          return YearMonth(month.year(), 1).plus_months(offset);
        case Anchor::previous_december:
          return YearMonth(month.year() - 1, 12).plus_months(offset);
      }
      return month;
    }
  };
  Kind kind = Kind::number;
  double value = 0;                   // number
  std::string metric;                 // metric
  int months = 0;                     // rolling_*, lag
  Bound first;                        // window_*
  Bound last;                         // window_*
  std::string window;                 // window_*: as written, normalised ("Dec(Y-1)..M-1")
  std::unique_ptr<Expression> left;   // operand of unary operators and functions
  std::unique_ptr<Expression> right;  // binary operators
};

namespace {

using Expression = Formula::Expression;
using Kind = Expression::Kind;

using Anchor = Expression::Anchor;
using Bound = Expression::Bound;

enum class Argument { none, months, window };  // what follows the operand

struct FunctionSpec {
  std::string_view name;
  Kind kind;
  Argument second;
  int min_months;  // Argument::months
};

constexpr FunctionSpec kFunctions[] = {
    {"sum", Kind::window_sum, Argument::window, 0},
    {"mean", Kind::window_mean, Argument::window, 0},
    {"rolling_sum", Kind::rolling_sum, Argument::months, 1},
    {"rolling_mean", Kind::rolling_mean, Argument::months, 1},
    {"ytd_sum", Kind::ytd_sum, Argument::none, 0},
    {"lag", Kind::lag, Argument::months, 0},
    {"previous_december", Kind::previous_december, Argument::none, 0},
};

// The anchors as written, longest first so that `Dec(Y-1)` is not read as a prefix.
constexpr std::pair<std::string_view, Anchor> kAnchors[] = {
    {"Dec(Y-1)", Anchor::previous_december},
    {"Jan", Anchor::january},
    {"M", Anchor::reporting_month},
};

std::string bound_text(const Bound& bound) {
  std::string text;
  for (const auto& [word, anchor] : kAnchors) {
    if (anchor == bound.anchor) text = std::string(word);
  }
  if (bound.offset > 0) text += "+" + std::to_string(bound.offset);
  if (bound.offset < 0) text += "-" + std::to_string(-bound.offset);
  return text;
}

// The earliest month a bound can name relative to M, over every M of a year:
// `Jan` lies at most 11 months before M (in December), `Dec(Y-1)` 12.
int earliest_offset(const Bound& bound) {
  switch (bound.anchor) {
    case Anchor::reporting_month:
      return bound.offset;
    case Anchor::january:
      return bound.offset - 11;
    case Anchor::previous_december:
      return bound.offset - 12;
  }
  return bound.offset;
}

struct ParseFailure {
  FormulaError error;
};

bool is_identifier_start(char c) {
  return std::islower(static_cast<unsigned char>(c)) || c == '_';
}
bool is_identifier_char(char c) {
  return is_identifier_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Recursive descent over the grammar
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := '-' unary | primary
//   primary := number | metric | function '(' arguments ')' | '(' sum ')'
// Failures throw ParseFailure, caught in Formula::parse: the first error ends parsing.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::unique_ptr<Expression> parse_all() {
    skip_space();
    if (at_end()) fail(0, "the formula is empty");
    auto root = parse_sum();
    skip_space();
    if (!at_end()) fail(pos_, "unexpected " + describe_here() + " after a complete expression");
    return root;
  }

  std::vector<MetricReference> take_references() { return std::move(references_); }

 private:
  [[noreturn]] void fail(std::size_t offset, std::string message) {
    throw ParseFailure{{offset, std::move(message)}};
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  // Built by appending: `"'" + std::string(...)` trips a false -Wrestrict of GCC 12 at -O3.
  static std::string quoted(std::string_view word) {
    std::string out;
    out.reserve(word.size() + 2);
    out.append(1, '\'').append(word).append(1, '\'');
    return out;
  }
  std::string describe_here() const {
    if (at_end()) return "end of formula";
    const auto is_word_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    if (is_word_char(peek())) {
      std::size_t end = pos_;
      while (end < text_.size() && is_word_char(text_[end]))
        ++end;
      return quoted(text_.substr(pos_, end - pos_));
    }
    return quoted(text_.substr(pos_, 1));
  }
  void expect(char c, std::string_view context) {
    skip_space();
    if (peek() != c) {
      fail(pos_, "expected '" + std::string(1, c) + "' " + std::string(context) + ", found " +
                     describe_here());
    }
    ++pos_;
  }

  struct DepthGuard {
    explicit DepthGuard(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > kMaxFormulaDepth) {
        parser_.fail(parser_.pos_, "the formula nests deeper than " +
                                       std::to_string(kMaxFormulaDepth) + " levels");
      }
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Parser& parser_;
  };

  static std::unique_ptr<Expression> binary(Kind kind, std::unique_ptr<Expression> left,
                                            std::unique_ptr<Expression> right) {
    auto node = std::make_unique<Expression>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  std::unique_ptr<Expression> parse_sum() {
    DepthGuard guard(*this);
    auto left = parse_product();
    for (;;) {
      skip_space();
      if (peek() == '+' || peek() == '-') {
        const Kind kind = peek() == '+' ? Kind::add : Kind::subtract;
        ++pos_;
        left = binary(kind, std::move(left), parse_product());
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<Expression> parse_product() {
    auto left = parse_unary();
    for (;;) {
      skip_space();
      if (peek() == '*' || peek() == '/') {
        const Kind kind = peek() == '*' ? Kind::multiply : Kind::divide;
        ++pos_;
        left = binary(kind, std::move(left), parse_unary());
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<Expression> parse_unary() {
    DepthGuard guard(*this);
    skip_space();
    if (peek() == '-') {
      ++pos_;
      auto node = std::make_unique<Expression>();
      node->kind = Kind::negate;
      node->left = parse_unary();
      return node;
    }
    return parse_primary();
  }

  std::unique_ptr<Expression> parse_primary() {
    skip_space();
    const std::size_t start = pos_;
    if (at_end()) fail(pos_, "unexpected end of formula, expected a number, a metric or '('");
    if (peek() == '(') {
      ++pos_;
      auto inner = parse_sum();
      expect(')', "to close the '(' at column " + std::to_string(start + 1) + " of the formula");
      return inner;
    }
    if (is_digit(peek()) || peek() == '.') {
      auto node = std::make_unique<Expression>();
      node->value = parse_number_literal();
      return node;
    }
    if (is_identifier_start(peek())) {
      while (!at_end() && is_identifier_char(peek()))
        ++pos_;
      std::string name(text_.substr(start, pos_ - start));
      skip_space();
      if (peek() == '(') return parse_call(name, start);
      references_.push_back({name, start});
      auto node = std::make_unique<Expression>();
      node->kind = Kind::metric;
      node->metric = std::move(name);
      return node;
    }
    if (std::isupper(static_cast<unsigned char>(peek()))) {
      fail(pos_, "metric ids and functions are lower case, found " + describe_here());
    }
    fail(pos_, "unexpected " + describe_here() + ", expected a number, a metric or '('");
  }

  double parse_number_literal() {
    const std::size_t start = pos_;
    while (!at_end() && is_digit(peek()))
      ++pos_;
    if (peek() == '.') {
      ++pos_;
      if (!is_digit(peek())) fail(pos_, "expected a digit after the decimal point");
      while (!at_end() && is_digit(peek()))
        ++pos_;
    }
    if (!at_end() && (is_identifier_char(peek()) || peek() == '.')) {
      fail(pos_, "unexpected " + describe_here() + " in a number");
    }
    double value = 0;
    const auto* begin = text_.data() + start;
    const auto result = std::from_chars(begin, text_.data() + pos_, value);
    if (result.ec != std::errc() || !std::isfinite(value)) {
      fail(start, "the number is out of range");
    }
    return value;
  }

  std::unique_ptr<Expression> parse_call(const std::string& name, std::size_t name_offset) {
    const FunctionSpec* spec = nullptr;
    for (const auto& candidate : kFunctions) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      fail(name_offset, "unknown function '" + name + "'" +
                            did_you_mean(name, formula_functions()) + "; functions are " +
                            join(formula_functions(), ", "));
    }
    const std::string signature = name + (spec->second == Argument::months   ? "(x, months)"
                                          : spec->second == Argument::window ? "(x, window)"
                                                                             : "(x)");
    ++pos_;  // '('
    auto node = std::make_unique<Expression>();
    node->kind = spec->kind;
    skip_space();
    if (peek() == ')') fail(pos_, name + " needs an argument: " + signature);
    node->left = parse_sum();
    skip_space();
    if (spec->second == Argument::window) {
      if (peek() != ',') {
        fail(pos_, signature + " needs its second argument, the window of months, e.g. Jan..M, " +
                       "Dec(Y-1)..M-1 or M-11..M");
      }
      ++pos_;
      parse_window(*node);
      skip_space();
    }
    if (spec->second == Argument::months) {
      if (peek() != ',') {
        fail(pos_, signature + " needs its second argument, the number of months");
      }
      ++pos_;
      skip_space();
      const std::size_t months_offset = pos_;
      if (!is_digit(peek())) {
        fail(months_offset, "the months of " + name +
                                " must be a whole number written out, found " + describe_here());
      }
      const double months = parse_number_literal();
      if (months != std::floor(months) || months < spec->min_months || months > kMaxWindowMonths) {
        fail(months_offset, "the months of " + name + " must be a whole number from " +
                                std::to_string(spec->min_months) + " to " +
                                std::to_string(kMaxWindowMonths));
      }
      node->months = static_cast<int>(months);
      skip_space();
    }
    if (peek() == ',') fail(pos_, "too many arguments: " + signature);
    expect(')', "to close " + name + "(");
    return node;
  }

  // A bound: an anchor and an optional signed whole number of months.
  Bound parse_bound() {
    skip_space();
    const std::size_t start = pos_;
    Bound bound;
    bool found = false;
    for (const auto& [word, anchor] : kAnchors) {
      if (text_.substr(pos_, word.size()) == word &&
          (pos_ + word.size() >= text_.size() || !is_identifier_char(text_[pos_ + word.size()]))) {
        bound.anchor = anchor;
        pos_ += word.size();
        found = true;
        break;
      }
    }
    if (!found) {
      fail(start,
           "expected a month of the window (M, M-1, Jan or Dec(Y-1)), found " + describe_here());
    }
    skip_space();
    if (peek() == '+' || peek() == '-') {
      const int sign = peek() == '+' ? 1 : -1;
      ++pos_;
      skip_space();
      const std::size_t digits = pos_;
      while (!at_end() && is_digit(peek()))
        ++pos_;
      if (digits == pos_) fail(digits, "expected a whole number of months after the sign");
      int months = 0;
      std::from_chars(text_.data() + digits, text_.data() + pos_, months);
      if (pos_ - digits > 3 || months > kMaxWindowMonths) {
        fail(digits, "a window reaches at most " + std::to_string(kMaxWindowMonths) +
                         " months from its anchor");
      }
      bound.offset = sign * months;
    }
    return bound;
  }

  // FIRST..LAST, checked so that every reporting month gets a window that
  // ends with M or before it and spans at most kMaxWindowMonths.
  void parse_window(Expression& node) {
    skip_space();
    const std::size_t start = pos_;
    node.first = parse_bound();
    skip_space();
    if (text_.substr(pos_, 2) != "..") {
      fail(pos_, "expected '..' between the first and the last month of the window, found " +
                     describe_here());
    }
    pos_ += 2;
    skip_space();
    const std::size_t last_offset = pos_;
    node.last = parse_bound();
    if (node.last.anchor != Anchor::reporting_month || node.last.offset > 0) {
      fail(last_offset,
           "a window ends with the reporting month M or a month before it (M-1, " +
               std::string("M-2, ...): later months are not known when M is reviewed"));
    }
    if (node.first.anchor == Anchor::reporting_month && node.first.offset > 0) {
      fail(start, "the window starts after the reporting month M");
    }
    if (node.first.anchor == Anchor::reporting_month && node.first.offset > node.last.offset) {
      fail(start, "the window " + bound_text(node.first) + ".." + bound_text(node.last) +
                      " starts after it ends");
    }
    // `Jan+12..M` or `Dec(Y-1)..M-13` would hold no month in any month of the
    // year: a window that can never be computed is a rule error, not no_data.
    if (node.first.anchor != Anchor::reporting_month &&
        earliest_offset(node.first) > node.last.offset) {
      fail(start, "the window " + bound_text(node.first) + ".." + bound_text(node.last) +
                      " holds no month in any month of the year");
    }
    const int longest = node.last.offset - earliest_offset(node.first) + 1;
    if (longest > kMaxWindowMonths) {
      fail(start, "the window spans up to " + std::to_string(longest) + " months; at most " +
                      std::to_string(kMaxWindowMonths) + " are allowed");
    }
    node.window = bound_text(node.first) + ".." + bound_text(node.last);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<MetricReference> references_;
};

MonthValue evaluate_at(const Expression& node, YearMonth month, const MetricLookup& lookup);

// Sum of `node` over the months [first, last]; missing if any month is.
MonthValue sum_over(const Expression& node, YearMonth first, YearMonth last,
                    const MetricLookup& lookup) {
  double total = 0;
  bool provisional = false;
  for (YearMonth m = first; m <= last; m = m.plus_months(1)) {
    MonthValue value = evaluate_at(node, m, lookup);
    if (!value.number) return value;
    total += *value.number;
    provisional = provisional || value.provisional;
  }
  return MonthValue::of(total, provisional);
}

// sum(x, window) / mean(x, window) at `month`.
MonthValue over_window(const Expression& node, YearMonth month, const MetricLookup& lookup) {
  const YearMonth first = node.first.at(month);
  const YearMonth last = node.last.at(month);
  if (last < first) {
    return MonthValue::missing("the window " + node.window + " holds no month at " +
                               month.to_string());
  }
  MonthValue sum = sum_over(*node.left, first, last, lookup);
  if (sum.number && node.kind == Kind::window_mean) {
    *sum.number /= last.months_since(first) + 1;
  }
  return sum;
}

MonthValue evaluate_at(const Expression& node, YearMonth month, const MetricLookup& lookup) {
  switch (node.kind) {
    case Kind::number:
      return MonthValue::of(node.value);
    case Kind::metric:
      return lookup(node.metric, month);
    case Kind::negate: {
      MonthValue value = evaluate_at(*node.left, month, lookup);
      if (value.number) *value.number = -*value.number;
      return value;
    }
    case Kind::add:
    case Kind::subtract:
    case Kind::multiply:
    case Kind::divide: {
      MonthValue left = evaluate_at(*node.left, month, lookup);
      if (!left.number) return left;
      MonthValue right = evaluate_at(*node.right, month, lookup);
      if (!right.number) return right;
      const double a = *left.number;
      const double b = *right.number;
      const bool provisional = left.provisional || right.provisional;
      switch (node.kind) {
        case Kind::add:
          return MonthValue::of(a + b, provisional);
        case Kind::subtract:
          return MonthValue::of(a - b, provisional);
        case Kind::multiply:
          return MonthValue::of(a * b, provisional);
        default:
          if (b == 0) return MonthValue::missing("division by zero at " + month.to_string());
          return MonthValue::of(a / b, provisional);
      }
    }
    case Kind::rolling_sum:
      return sum_over(*node.left, month.plus_months(1 - node.months), month, lookup);
    case Kind::rolling_mean: {
      MonthValue sum = sum_over(*node.left, month.plus_months(1 - node.months), month, lookup);
      if (sum.number) *sum.number /= node.months;
      return sum;
    }
    case Kind::ytd_sum:
      return sum_over(*node.left, YearMonth(month.year(), 1), month, lookup);
    case Kind::lag:
      return evaluate_at(*node.left, month.plus_months(-node.months), lookup);
    case Kind::previous_december:
      return evaluate_at(*node.left, YearMonth(month.year() - 1, 12), lookup);
    case Kind::window_sum:
    case Kind::window_mean:
      return over_window(node, month, lookup);
  }
  return MonthValue::missing("unknown expression");  // unreachable: the switch is exhaustive
}

}  // namespace

std::variant<Formula, FormulaError> Formula::parse(std::string_view text) {
  if (text.size() > kMaxFormulaLength) {
    return FormulaError{
        0, "the formula is longer than " + std::to_string(kMaxFormulaLength) + " characters"};
  }
  Parser parser(text);
  try {
    auto root = parser.parse_all();
    Formula formula;
    formula.text_ = std::string(text);
    formula.references_ = parser.take_references();
    formula.root_ = std::move(root);
    return formula;
  } catch (const ParseFailure& failure) {
    return failure.error;
  }
}

MonthValue Formula::evaluate(YearMonth month, const MetricLookup& lookup) const {
  return evaluate_at(*root_, month, lookup);
}

const std::vector<std::string>& formula_functions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& spec : kFunctions)
      result.emplace_back(spec.name);
    return result;
  }();
  return names;
}

}  // namespace zielwerk::rules
