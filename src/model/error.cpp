#include <campaign/error.hpp>

#include <array>

namespace campaign {
namespace {
constexpr std::array<std::string_view, 15> kind_names = {
    "",          "invalid_argument", "not_found", "unauthorized",    "forbidden",
    "rate_limited", "server_error",  "http_error", "timeout",         "network",
    "tls",       "too_large",        "invalid_response", "cancelled", "internal",
};
}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
  auto i = static_cast<std::size_t>(kind);
  return i > 0 && i < kind_names.size() ? kind_names[i] : std::string_view("internal");
}

std::optional<ErrorKind> error_kind_from_string(std::string_view name) noexcept {
  for (std::size_t i = 1; i < kind_names.size(); ++i)
    if (kind_names[i] == name) return static_cast<ErrorKind>(i);
  return std::nullopt;
}

ErrorKind error_kind_for_status(int s) noexcept {
  switch (s) {
    case 401: return ErrorKind::unauthorized;
    case 403: return ErrorKind::forbidden;
    case 404: return ErrorKind::not_found;
    case 429: return ErrorKind::rate_limited;
    default: return s >= 500 && s <= 599 ? ErrorKind::server_error : ErrorKind::http_error;
  }
}

std::string Error::describe() const {
  std::string out(to_string(kind));
  if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
  if (!message.empty()) out += ": " + message;
  if (!request_id.empty()) out += " [request_id=" + request_id + "]";
  return out;
}

Error make_error(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

Exception::Exception(Error error) : std::runtime_error(error.describe()), error_(std::move(error)) {}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw Exception(error);
}

}  // namespace campaign
