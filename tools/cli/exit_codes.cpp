#include "exit_codes.hpp"

namespace campaign::cli {

int exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_argument: return exit_code::usage;
    case ErrorKind::not_found: return exit_code::not_found;
    case ErrorKind::unauthorized:
    case ErrorKind::forbidden: return exit_code::auth;
    case ErrorKind::rate_limited:
    case ErrorKind::server_error:
    case ErrorKind::http_error: return exit_code::server;
    case ErrorKind::timeout:
    case ErrorKind::network:
    case ErrorKind::tls: return exit_code::transport;
    case ErrorKind::too_large:
    case ErrorKind::invalid_response: return exit_code::bad_response;
    case ErrorKind::cancelled: return exit_code::interrupted;
    case ErrorKind::internal: return exit_code::internal;
  }
  return exit_code::internal;
}

}  // namespace campaign::cli
