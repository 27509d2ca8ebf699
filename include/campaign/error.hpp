// campaign/error.hpp: the one error model of the whole project.
//
// Every fallible call returns campaign::Result<T>: a value or an Error. The
// same kinds travel unchanged through the C ABI, the bindings and the CLI.
#pragma once

#include <campaign/rate_limit.hpp>

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace campaign {

// Append-only: the numeric values are part of the C ABI (campaign_error_kind).
enum class ErrorKind : std::uint8_t {
  invalid_argument = 1,  // refused before anything was sent
  not_found = 2,         // HTTP 404
  unauthorized = 3,      // HTTP 401
  forbidden = 4,         // HTTP 403
  rate_limited = 5,      // HTTP 429
  server_error = 6,      // HTTP 5xx
  http_error = 7,        // any other non-2xx status (408 included)
  timeout = 8,           // a deadline passed
  network = 9,           // connect, reset, EOF before the response was complete
  tls = 10,              // handshake or certificate verification
  too_large = 11,        // body over the configured limit
  invalid_response = 12, // not HTTP, bad JSON, wrong types
  cancelled = 13,        // cancelled by the caller
  internal = 14,         // a bug or resource exhaustion inside the library
};

// "not_found", "rate_limited", ...: the wire names of docs/api.md.
std::string_view to_string(ErrorKind kind) noexcept;
std::optional<ErrorKind> error_kind_from_string(std::string_view name) noexcept;
// The kind an HTTP status maps to (404 -> not_found, 503 -> server_error, ...).
ErrorKind error_kind_for_status(int http_status) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::internal;
  int http_status = 0;      // status line's code, 0 when no response came
  std::string message;      // human-readable; never contains the API key
  std::string request_id;   // X-Request-Id of the response, if any
  std::string body;         // raw error body as received (bounded), if any
  int attempts = 0;         // attempts made (0 when nothing was sent)
  // The wait the server asked for (retry-after-ms / Retry-After), if it did.
  std::optional<std::chrono::milliseconds> retry_after;
  // The key's rate limit as last seen (absent when the server sent none of
  // the X-RateLimit headers to this process for this key).
  std::optional<RateLimit> rate_limit;

  // "not_found (HTTP 404): campaign not found [request_id=req_1]"
  std::string describe() const;
};

Error make_error(ErrorKind kind, std::string message);

// Thrown only by the throwing conveniences (Result::value(), blocking helpers
// that document it); the library's own paths never throw.
class Exception : public std::runtime_error {
 public:
  explicit Exception(Error error);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

template <class T>
using Result = boost::system::result<T, Error>;

// Lets Result<T>::value() throw campaign::Exception (found by ADL).
[[noreturn]] void throw_exception_from_error(const Error& error,
                                             const boost::source_location& loc);

}  // namespace campaign
