// Private: pacing by the server's X-RateLimit headers (docs/api.md, "Rate
// limits"), shared by every client of one key and origin in the process.
#pragma once

#include "net/transport.hpp"

#include <campaign/rate_limit.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace campaign::detail {

// What one response said about the key's window.
struct SeenRateLimit {
  RateLimit shown;  // as exposed: the reset on this machine's clock
  // The server's own Unix reset (ms), which names the window exactly; the
  // shifted reset cannot, as Date's whole seconds jitter it by up to 1 s,
  // as much as a short window. nullopt for a relative reset.
  std::optional<std::int64_t> window;
};

// Malformed values are left out, never an error. `now` is this machine's
// clock when the response arrived.
SeenRateLimit parse_rate_limit(std::string_view limit, std::string_view remaining,
                               std::string_view reset, std::string_view date,
                               std::chrono::system_clock::time_point now) noexcept;

// The gate of one key: attempts ask admit() before they are sent; when the
// window's Remaining, less the attempts already in flight, is 0, they wait
// for the reset instead of running into 429s. Thread-safe (clients on
// several threads share it); a server that sends no headers never makes
// anyone wait.
class RateGate {
 public:
  using Clock = net::Clock;
  // The gate shared by every client of this origin and key in the process.
  static std::shared_ptr<RateGate> shared(std::string_view origin, std::string_view key);

  // nullopt: go (counted in flight until settle()); else wait until then and ask again.
  std::optional<Clock::time_point> admit(Clock::time_point now);
  // An admitted attempt ended: with what its response said (nullopt for no
  // response), and a 429's Retry-After, if any, which holds everyone back
  // too. Returns how long a 429 holds them: Retry-After, or less when the
  // answer named the current window and its end is known sooner.
  std::optional<std::chrono::milliseconds> settle(const std::optional<SeenRateLimit>& seen,
                                                  std::optional<std::chrono::milliseconds> wait_429,
                                                  Clock::time_point now);
  // The state as last seen; nullopt until a response carried a header.
  std::optional<RateLimit> last() const;

 private:
  // Woken this long after the reset: "a little after it, never before".
  static constexpr std::chrono::milliseconds kWakeMargin{20};
  // Between a window's end and the first response of the next one the
  // count says nothing; attempts over it look again this often.
  static constexpr std::chrono::milliseconds kUnknownResetPoll{100};

  mutable std::mutex mutex_;
  RateLimit seen_;  // reset on the system clock, as exposed
  std::optional<std::int64_t> window_;  // the server's reset naming seen_'s window, when absolute
  bool any_ = false;
  std::optional<std::int64_t> budget_;     // what the window has left, as far as known
  std::optional<Clock::time_point> wake_;  // the reset on the steady clock, plus the margin
  std::int64_t in_flight_ = 0;
};

}  // namespace campaign::detail
