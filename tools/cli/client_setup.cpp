#include "client_setup.hpp"

#include "exit_codes.hpp"
#include "output.hpp"

#include <algorithm>

namespace campaign::cli {

ClientOptions client_options(const Settings& s) {
  using std::chrono::milliseconds;
  ClientOptions o;
  o.base_url = s.base_url;
  o.api_key = s.api_key;
  o.timeout = s.timeout;
  o.connect_timeout = std::min(o.connect_timeout, s.timeout);
  o.max_retries = s.retries;
  // Room for every attempt and the backoff between them, so --timeout and
  // --retries (not a hidden overall cap) decide when a request gives up.
  auto needed = s.timeout * (s.retries + 1) + o.backoff_max * s.retries + milliseconds(1000);
  o.total_timeout = std::max(o.total_timeout, needed);
  o.max_connections = std::max<std::size_t>(o.max_connections, static_cast<std::size_t>(s.concurrency));
  o.tls.ca_file = s.ca_file;
  o.rate_limit_gate = s.rate_limit_gate;
  if (s.verbose) {
    o.log = [](LogLevel level, std::string_view message) {
      static constexpr const char* names[] = {"debug", "info", "warning", "error"};
      auto i = static_cast<std::size_t>(level);
      std::string line = i < 4 ? names[i] : "log";
      line += ": ";
      line += message;
      print_error(line);
    };
  }
  return o;
}

std::optional<Client> make_client(const Settings& settings, int* exit_code) {
  auto client = Client::create(client_options(settings));
  if (!client) {
    print_error(client.error().describe());
    *exit_code = exit_code_for(client.error().kind);
    return std::nullopt;
  }
  return std::move(*client);
}

}  // namespace campaign::cli
