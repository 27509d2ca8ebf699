// Private: the one place a transport failure becomes a campaign Error.
#pragma once

#include "net/failure.hpp"

#include <campaign/error.hpp>

namespace campaign::detail {

constexpr ErrorKind error_kind(net::FailureKind kind) noexcept {
  switch (kind) {
    case net::FailureKind::bad_config: return ErrorKind::invalid_argument;
    case net::FailureKind::network: return ErrorKind::network;
    case net::FailureKind::timeout: return ErrorKind::timeout;
    case net::FailureKind::tls: return ErrorKind::tls;
    case net::FailureKind::cancelled: return ErrorKind::cancelled;
    case net::FailureKind::invalid_response: return ErrorKind::invalid_response;
    case net::FailureKind::too_large: return ErrorKind::too_large;
    case net::FailureKind::out_of_memory: return ErrorKind::internal;
  }
  return ErrorKind::internal;
}

inline Error to_error(const net::Failure& f) {
  Error e = make_error(error_kind(f.kind), f.message);
  e.http_status = f.http_status;
  return e;
}

}  // namespace campaign::detail
