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
  };
  Kind kind = Kind::number;
  double value = 0;                   // number
  std::string metric;                 // metric
  int months = 0;                     // rolling_*, lag
  std::unique_ptr<Expression> left;   // operand of unary operators and functions
  std::unique_ptr<Expression> right;  // binary operators
};

namespace {

using Expression = Formula::Expression;
using Kind = Expression::Kind;

struct FunctionSpec {
  std::string_view name;
  Kind kind;
  bool takes_months;  // second argument: a whole number of months
  int min_months;
};

constexpr FunctionSpec kFunctions[] = {
    {"rolling_sum", Kind::rolling_sum, true, 1},
    {"rolling_mean", Kind::rolling_mean, true, 1},
    {"ytd_sum", Kind::ytd_sum, false, 0},
    {"lag", Kind::lag, true, 0},
    {"previous_december", Kind::previous_december, false, 0},
};

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
    const std::string signature = name + (spec->takes_months ? "(x, months)" : "(x)");
    ++pos_;  // '('
    auto node = std::make_unique<Expression>();
    node->kind = spec->kind;
    skip_space();
    if (peek() == ')') fail(pos_, name + " needs an argument: " + signature);
    node->left = parse_sum();
    skip_space();
    if (spec->takes_months) {
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
  for (YearMonth m = first; m <= last; m = m.plus_months(1)) {
    MonthValue value = evaluate_at(node, m, lookup);
    if (!value.number) return value;
    total += *value.number;
  }
  return MonthValue::of(total);
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
      switch (node.kind) {
        case Kind::add:
          return MonthValue::of(a + b);
        case Kind::subtract:
          return MonthValue::of(a - b);
        case Kind::multiply:
          return MonthValue::of(a * b);
        default:
          if (b == 0) return MonthValue::missing("division by zero at " + month.to_string());
          return MonthValue::of(a / b);
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
