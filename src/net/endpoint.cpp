#include "endpoint.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace campaign::net {

Outcome<Endpoint> parse_base_url(std::string_view text) {
  auto bad = [](std::string why) {
    return make_failure(FailureKind::bad_config, "base URL: " + why);
  };
  if (text.empty()) return bad("missing");
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return bad("not an absolute http(s) URL");
  boost::urls::url_view u = *parsed;

  Endpoint ep;
  if (u.scheme_id() == boost::urls::scheme::https) ep.tls = true;
  else if (u.scheme_id() != boost::urls::scheme::http) return bad("scheme must be http or https");
  if (!u.has_authority() || u.encoded_host().empty()) return bad("no host");
  if (u.has_userinfo()) return bad("user-info is not allowed (pass the key separately)");
  if (u.has_query() || u.has_fragment()) return bad("query and fragment are not allowed");

  if (u.host_type() == boost::urls::host_type::ipvfuture) return bad("unsupported host");
  ep.host = std::string(u.encoded_host_address());
  if (u.host_type() == boost::urls::host_type::ipv6) {
    ep.host = std::string(u.encoded_host_address());  // without brackets
  } else if (u.host_type() == boost::urls::host_type::name) {
    ep.host = u.host();  // percent-decoded registered name
    for (unsigned char c : ep.host)
      if (c <= 0x20 || c == 0x7f || c == '%' || c == '/') return bad("invalid host name");
  }
  boost::system::error_code ec;
  boost::asio::ip::make_address(ep.host, ec);
  ep.host_is_ip = !ec;

  if (u.has_port()) {
    if (u.port().empty() || u.port_number() == 0) return bad("invalid port");
    ep.port = u.port_number();
  } else {
    ep.port = ep.tls ? 443 : 80;
  }
  std::string authority_host = u.host_type() == boost::urls::host_type::ipv6
                                   ? "[" + ep.host + "]"
                                   : ep.host;
  bool default_port = ep.port == (ep.tls ? 443 : 80);
  ep.host_header = default_port ? authority_host : authority_host + ":" + std::to_string(ep.port);

  std::string path(u.encoded_path());
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.find_first_of(" \r\n?#") != std::string::npos) return bad("invalid path");
  // Boost.URL 1.81 takes "http://[::1]x/v1" and "http://h:80x" (a path without
  // its leading '/', against RFC 3986): the request line would be "GET x/v1/...".
  if (!path.empty() && path.front() != '/') return bad("invalid path");
  ep.prefix = path;
  return ep;
}

}  // namespace campaign::net
