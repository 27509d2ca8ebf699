#include "rate_limiter.hpp"

#include <algorithm>

namespace campaign::mock::detail {

RateLimiter::Decision RateLimiter::take(std::string_view key, std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const std::int64_t now_ns = duration_cast<nanoseconds>(now.time_since_epoch()).count();
  const std::int64_t now_s = floor<seconds>(now).time_since_epoch().count();
  std::lock_guard lock(mutex_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys)
      std::erase_if(windows_, [&](const auto& w) { return w.second.end <= now_s; });
    if (windows_.size() >= max_keys) windows_.clear();
    it = windows_.emplace(std::string(key), Window{}).first;
  }
  Window& w = it->second;
  if (now_s >= w.end) w = {now_s + std::max<std::int64_t>(1, limit_.window.count()), 0};
  ++w.used;
  Decision d;
  d.limit = limit_.limit;
  d.allowed = w.used <= limit_.limit;
  d.remaining = limit_.limit - std::min(w.used, limit_.limit);
  d.reset = w.end;
  const std::int64_t left_ns = w.end * 1000000000 - now_ns;
  d.retry_after = std::max<std::int64_t>(1, (left_ns + 999999999) / 1000000000);
  return d;
}

}  // namespace campaign::mock::detail
