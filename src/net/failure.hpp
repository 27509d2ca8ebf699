// Private: what went wrong in the transport, in its own words. It knows
// nothing of campaigns: the client maps each kind to an ErrorKind in one
// place (src/client/net_failure.hpp).
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace campaign::net {

enum class FailureKind {
  bad_config,        // a base URL or CA path that cannot be used
  network,           // resolve, connect, read or write failed
  timeout,           // a deadline passed
  tls,               // handshake, certificate or trust store
  cancelled,         // cancel() or teardown
  invalid_response,  // not HTTP/1.x, or framing over a limit
  too_large,         // the body over its limit
  out_of_memory,
};

inline std::string_view to_string(FailureKind kind) noexcept {
  switch (kind) {
    case FailureKind::bad_config: return "bad_config";
    case FailureKind::network: return "network";
    case FailureKind::timeout: return "timeout";
    case FailureKind::tls: return "tls";
    case FailureKind::cancelled: return "cancelled";
    case FailureKind::invalid_response: return "invalid_response";
    case FailureKind::too_large: return "too_large";
    case FailureKind::out_of_memory: return "out_of_memory";
  }
  return "unknown";
}

struct Failure {
  FailureKind kind = FailureKind::network;
  std::string message;
  int http_status = 0;  // set when a status line had been read
};

template <class T>
using Outcome = boost::system::result<T, Failure>;

inline Failure make_failure(FailureKind kind, std::string message) { return {kind, std::move(message), 0}; }

// Outcome<T>::value() on a failure throws this (found by ADL).
[[noreturn]] inline void throw_exception_from_error(const Failure& f, const boost::source_location&) {
  throw std::runtime_error(f.message);
}

}  // namespace campaign::net
