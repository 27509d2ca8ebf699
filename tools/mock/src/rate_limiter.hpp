// Options::rate_limit: per API key, fixed windows that start at the key's
// first request (so a test never straddles a window it did not ask for).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "campaign_mock/server.hpp"

namespace campaign::mock::detail {

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  struct Decision {
    bool allowed = true;
    std::uint64_t limit = 0, remaining = 0;
    std::int64_t reset = 0;        // Unix seconds of the window's end
    std::int64_t retry_after = 0;  // whole seconds until then, at least 1
  };
  // Counts one request of `key` (empty: no key) at `now`.
  Decision take(std::string_view key, std::chrono::system_clock::time_point now);

 private:
  struct Window {
    std::int64_t end = 0;  // Unix seconds
    std::uint64_t used = 0;
  };
  // Distinct keys kept at most; past it expired windows go (then all), so a
  // client inventing keys cannot grow the table without bound.
  static constexpr std::size_t max_keys = 65536;

  const RateLimit limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;  // guarded by mutex_
};

}  // namespace campaign::mock::detail
