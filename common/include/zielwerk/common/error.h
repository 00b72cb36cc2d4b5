// Errors as values. Every module reports failures as an Error inside a Result;
// exceptions from third-party libraries are caught in the module that uses the
// library. The CLI maps ErrorKind to the exit codes fixed in the contracts.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace zielwerk {

enum class ErrorKind {
  usage,          // the command line is wrong (exit 2)
  invalid_input,  // a rule, workflow, test or data file is wrong (exit 3)
  storage,        // the database failed (exit 4)
  check_failed,   // a check or verification found a problem (exit 1)
  io,             // a file could not be read or written (exit 3: it is the user's input)
};

struct Error {
  ErrorKind kind;
  std::string message;

  static Error usage(std::string m) { return {ErrorKind::usage, std::move(m)}; }
  static Error invalid_input(std::string m) { return {ErrorKind::invalid_input, std::move(m)}; }
  static Error storage(std::string m) { return {ErrorKind::storage, std::move(m)}; }
  static Error check_failed(std::string m) { return {ErrorKind::check_failed, std::move(m)}; }
  static Error io(std::string m) { return {ErrorKind::io, std::move(m)}; }
};

// Result<T> holds either a T or an Error. Accessing the wrong alternative is a
// programming error (asserted), not a runtime condition.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Status is a Result without a value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace zielwerk
