// Shared setup for the client tests: a mock API on loopback, client options
// pointing at it, and a recorder that keeps every message and log line the
// client produced so the canary key can be searched for at the end.
#pragma once

#include <campaign/campaign.hpp>
#include <campaign/client.hpp>
#include <campaign_mock/server.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace campaign::test {

inline constexpr const char* canary_key = "sk_canary_7f3a9c1e";

// Every error message and log line seen by any test in this process.
class Transcript {
 public:
  static Transcript& get();
  void add(std::string line);
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Records an error's text fields in the transcript and returns it.
const Error& seen(const Error& e);
template <class T>
const Result<T>& seen(const Result<T>& r) {
  if (!r) seen(r.error());
  return r;
}

ClientOptions options_for(const std::string& base_url, std::string key = canary_key);
Client make_client(ClientOptions o);

struct MockFixture {
  MockFixture();
  explicit MockFixture(mock::Options o);
  mock::Server server;
  std::string base_url() const { return server.base_url(); }
  ClientOptions options() const { return options_for(base_url()); }
  std::size_t requests_for(const std::string& id) const;
};

mock::Options mock_options();


// Open descriptors and threads of this process (from /proc). Sockets whose
// local port is `server_port` (a server's accepted ends) are not counted.
std::size_t open_fds(std::uint16_t server_port = 0);
std::size_t thread_count();

// Polls `condition` (every millisecond) until it holds or `timeout` passes;
// true if it held. Every wait in these tests is bounded: use this, never an
// unbounded spin, and fail with a message when it returns false.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace campaign::test
