// Private: where requests go. Parsed once from the configured base URL.
#pragma once

#include "failure.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace campaign::net {

struct Endpoint {
  bool tls = false;
  std::string host;         // without brackets for IPv6
  std::uint16_t port = 0;
  std::string prefix;       // path prefix without a trailing '/', e.g. "/v1"
  std::string host_header;  // "host[:port]" as sent in Host:
  bool host_is_ip = false;
};

// http(s)://host[:port][/prefix]; no user-info, query or fragment.
Outcome<Endpoint> parse_base_url(std::string_view url);

}  // namespace campaign::net
