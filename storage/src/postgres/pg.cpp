#include "pg.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace zielwerk::storage::pg {
namespace {

// Type OIDs of pg_type (fixed in every PostgreSQL).
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

std::string trimmed(const char* message) {
  std::string text = message == nullptr ? std::string() : std::string(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

// Returns when the result succeeded (the caller still owns it); otherwise
// clears it and throws Failure with the server's message.
void check(PGconn* conn, PGresult* result) {
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) return;
  std::string message = trimmed(result != nullptr ? PQresultErrorMessage(result) : nullptr);
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state == nullptr ? std::string() : std::string(state);
  if (result != nullptr) PQclear(result);
  // libpq's messages start with "ERROR:  "; the storage error says what failed.
  if (message.rfind("ERROR:  ", 0) == 0) message.erase(0, 8);
  throw Failure(message.empty() ? "the PostgreSQL server failed" : message, std::move(sqlstate));
}

ValueType value_type(Oid type) {
  switch (type) {
    case kBool:
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
      return ValueType::integer;
    case kFloat4:
    case kFloat8:
      return ValueType::real;
    case kNumeric:
      return ValueType::integer;  // sum() and the like; a fraction reads as real
    case kBytea:
      return ValueType::blob;
    default:
      return ValueType::text;
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Rows::Rows(pg_result* result) : result_(result) {
  const int count = PQnfields(result_);
  types_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    types_.push_back(value_type(PQftype(result_, i)));
}

Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

Rows::Rows(Rows&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)), types_(std::move(other.types_)) {}

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
    types_ = std::move(other.types_);
  }
  return *this;
}

int Rows::rows() const {
  return PQntuples(result_);
}

int Rows::columns() const {
  return PQnfields(result_);
}

int Rows::affected() const {
  const char* count = PQcmdTuples(result_);
  return count == nullptr || *count == '\0' ? 0 : std::atoi(count);
}

bool Rows::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

ValueType Rows::type(int row, int column) const {
  if (is_null(row, column)) return ValueType::null;
  const ValueType type = types_[static_cast<std::size_t>(column)];
  if (type == ValueType::integer && PQftype(result_, column) == kNumeric &&
      text(row, column).find_first_of(".eE") != std::string_view::npos) {
    return ValueType::real;
  }
  return type;
}

std::string_view Rows::text(int row, int column) const {
  if (is_null(row, column)) return {};
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t Rows::integer(int row, int column) const {
  const std::string_view value = text(row, column);
  if (value == "t") return 1;
  if (value == "f") return 0;
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    // A real or numeric read as an integer, as SQLite converts it.
    return static_cast<std::int64_t>(real(row, column));
  }
  return number;
}

double Rows::real(int row, int column) const {
  const std::string value(text(row, column));
  if (value.empty()) return 0;
  return std::strtod(value.c_str(), nullptr);
}

std::string Rows::blob(int row, int column) const {
  const std::string_view value = text(row, column);
  if (types_[static_cast<std::size_t>(column)] != ValueType::blob) return std::string(value);
  std::string bytes;
  if (value.size() < 2 || value[0] != '\\' || value[1] != 'x') return bytes;
  bytes.reserve((value.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < value.size(); i += 2) {
    const int high = hex_digit(value[i]);
    const int low = hex_digit(value[i + 1]);
    if (high < 0 || low < 0) break;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

Connection::Connection(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
  if (conn_ == nullptr) throw Failure("cannot connect: out of memory", "");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Failure("cannot connect: " + message, "");
  }
  // Notices (e.g. "relation already exists, skipping") are not for users.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void Connection::exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  check(conn_, result);  // clears the result when it throws
  PQclear(result);
}

Rows Connection::query(const std::string& sql, const std::vector<Value>& params) {
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<std::string> numbers;  // the text of numeric values, kept alive
  numbers.reserve(params.size());
  for (const Value& value : params) {
    switch (value.type) {
      case ValueType::null:
        types.push_back(0);
        values.push_back(nullptr);
        lengths.push_back(0);
        formats.push_back(0);
        break;
      case ValueType::integer:
        numbers.push_back(std::to_string(value.integer));
        types.push_back(kInt8);
        values.push_back(numbers.back().c_str());
        lengths.push_back(0);
        formats.push_back(0);
        break;
      case ValueType::real: {
        // The shortest text that reads back as the same double.
        char buffer[40];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, value.real).ptr;
        numbers.emplace_back(buffer, end);
        types.push_back(kFloat8);
        values.push_back(numbers.back().c_str());
        lengths.push_back(0);
        formats.push_back(0);
        break;
      }
      case ValueType::text:
        types.push_back(kText);
        values.push_back(value.bytes.c_str());
        lengths.push_back(static_cast<int>(value.bytes.size()));
        formats.push_back(0);
        break;
      case ValueType::blob:
        // Binary: the bytes as they are, not an escaped form of them.
        types.push_back(kBytea);
        values.push_back(value.bytes.data());
        lengths.push_back(static_cast<int>(value.bytes.size()));
        formats.push_back(1);
        break;
    }
  }
  PGresult* result = PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), types.data(),
                                  values.data(), lengths.data(), formats.data(), 0);
  check(conn_, result);
  return Rows(result);
}

bool Connection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void Connection::rollback() noexcept {
  if (!in_transaction()) return;
  PGresult* result = PQexec(conn_, "ROLLBACK");
  if (result != nullptr) PQclear(result);
}

std::string translate_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t end = i + 1;
    while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9')
      ++end;
    int number = 0;
    if (end > i + 1) {
      std::from_chars(sql.data() + i + 1, sql.data() + end, number);
    } else {
      number = largest + 1;
    }
    if (number > largest) largest = number;
    out += '$';
    out += std::to_string(number);
    i = end - 1;
  }
  return out;
}

Statement::Statement(Connection& connection, std::string_view sqlite_sql)
    : connection_(connection), sql_(translate_placeholders(sqlite_sql)) {}

Value& Statement::slot(int index) {
  if (index < 1) throw Failure("bind index " + std::to_string(index) + " out of range", "");
  if (static_cast<std::size_t>(index) > params_.size())
    params_.resize(static_cast<std::size_t>(index));
  return params_[static_cast<std::size_t>(index - 1)];
}

void Statement::bind_null(int index) {
  slot(index) = Value{};
}

void Statement::bind(int index, std::int64_t value) {
  Value& v = slot(index);
  v.type = ValueType::integer;
  v.integer = value;
}

void Statement::bind(int index, double value) {
  Value& v = slot(index);
  v.type = ValueType::real;
  v.real = value;
}

void Statement::bind_text(int index, std::string_view text) {
  Value& v = slot(index);
  v.type = ValueType::text;
  v.bytes.assign(text);
}

void Statement::bind_blob(int index, const void* data, std::size_t size) {
  Value& v = slot(index);
  v.type = ValueType::blob;
  v.bytes.assign(static_cast<const char*>(data), size);
}

void Statement::execute() {
  result_.emplace(connection_.query(sql_, params_));
  row_ = -1;
}

bool Statement::step() {
  if (!result_) execute();
  if (row_ + 1 >= result_->rows()) {
    row_ = result_->rows();
    return false;
  }
  ++row_;
  return true;
}

int Statement::run() {
  execute();
  return result_->affected();
}

void Statement::reset() {
  result_.reset();
  row_ = -1;
}

}  // namespace zielwerk::storage::pg
