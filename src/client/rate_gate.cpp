#include "rate_gate.hpp"

#include "retry_policy.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <unordered_map>

namespace campaign::detail {

using namespace std::chrono;

namespace {

// A count: plain digits, at most 18 (no sign, no fraction).
std::optional<std::int64_t> parse_count(std::string_view s) noexcept {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

// Seconds, maybe with a fraction: "1767225600" or "1.5", into milliseconds.
std::optional<milliseconds> parse_seconds(std::string_view s) noexcept {
  auto dot = s.find('.');
  auto whole = parse_count(s.substr(0, dot));
  if (!whole) return std::nullopt;
  std::int64_t ms = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty() || frac.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  }
  return milliseconds(*whole * 1000 + ms);
}

// Resets under this are seconds from now, not Unix times (docs/api.md).
constexpr std::int64_t kRelativeBelow = 1'000'000'000;

// Two relative resets this close name the same window (they jitter by the
// time between responses). Absolute ones are compared exactly instead.
constexpr milliseconds kSameRelativeWindow{1000};

std::string gate_name(std::string_view origin, std::string_view key) {
  // A digest, so the registry holds no second copy of the key.
  std::string text;
  text.reserve(origin.size() + 1 + key.size());  // one buffer: no stray copies to wipe
  text.append(origin);
  text += '\n';
  text.append(key);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  OPENSSL_cleanse(text.data(), text.size());
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace

SeenRateLimit parse_rate_limit(std::string_view limit, std::string_view remaining, std::string_view reset,
                               std::string_view date, system_clock::time_point now) noexcept {
  SeenRateLimit seen;
  RateLimit& r = seen.shown;
  r.limit = parse_count(limit);
  r.remaining = parse_count(remaining);
  if (auto s = parse_seconds(reset)) {
    const auto local_now = time_point_cast<milliseconds>(now);
    if (s->count() < kRelativeBelow * 1000) {
      r.reset = local_now + *s;
    } else {
      seen.window = s->count();
      // On the server's clock: shift by how far ours is from its Date. Date
      // is whole seconds, cut down, so the shift errs late, never early.
      milliseconds offset{0};
      if (auto server_now = parse_http_date(date)) offset = local_now - time_point_cast<milliseconds>(*server_now);
      r.reset = Timestamp(*s) + offset;
    }
  }
  return seen;
}

std::shared_ptr<RateGate> RateGate::shared(std::string_view origin, std::string_view key) {
  static std::mutex registry_mutex;
  static std::unordered_map<std::string, std::weak_ptr<RateGate>> registry;
  std::string name = gate_name(origin, key);
  std::lock_guard lock(registry_mutex);
  std::erase_if(registry, [](const auto& e) { return e.second.expired(); });
  auto& slot = registry[name];
  auto gate = slot.lock();
  if (!gate) {
    gate = std::make_shared<RateGate>();
    slot = gate;
  }
  return gate;
}

std::optional<RateGate::Clock::time_point> RateGate::admit(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (wake_ && now >= *wake_) {  // the window is over: a full one is assumed until told
    wake_.reset();
    budget_ = seen_.limit;
  }
  if (budget_ && *budget_ - in_flight_ <= 0) {
    if (wake_) return *wake_;
    // No reset known: the answers in flight will bring one. With nothing
    // in flight nobody would, so the attempt goes (the server decides).
    if (in_flight_ > 0) return now + kUnknownResetPoll;
  }
  ++in_flight_;
  return std::nullopt;
}

std::optional<milliseconds> RateGate::settle(const std::optional<SeenRateLimit>& seen_now,
                                             std::optional<milliseconds> wait_429, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (in_flight_ > 0) --in_flight_;
  const RateLimit* seen = seen_now ? &seen_now->shown : nullptr;
  if (seen && (seen->limit || seen->remaining || seen->reset)) {
    any_ = true;
    if (seen->limit) seen_.limit = seen->limit;
    // Which window this answer is from, against the one we know.
    bool older = false, same = false;
    if (seen_now->window && window_) {
      older = *seen_now->window < *window_;
      same = *seen_now->window == *window_;
    } else if (seen->reset && seen_.reset && !seen_now->window && !window_) {
      older = *seen->reset < *seen_.reset - kSameRelativeWindow;
      same = !older && *seen->reset <= *seen_.reset + kSameRelativeWindow;
    }
    if (!older) {
      if (seen->remaining) {
        // Answers overtake each other: within a window the lowest count is the latest.
        const bool merge = same && seen_.remaining;
        seen_.remaining = merge ? std::min(*seen_.remaining, *seen->remaining) : *seen->remaining;
        budget_ = merge && budget_ ? std::min(*budget_, *seen->remaining) : *seen->remaining;
      }
      if (seen->reset) {
        // A Unix reset's every estimate errs late (Date is cut down to the
        // second, and the answer took time to arrive): the earliest is the
        // closest, still not early. A relative one may be rounded down by
        // the server: the latest is the safe one.
        const bool replace = !same || !seen_.reset ||
                             (seen_now->window ? *seen->reset < *seen_.reset : *seen->reset > *seen_.reset);
        if (replace) seen_.reset = seen->reset;
        if (!same) window_ = seen_now->window;
        const auto until = *seen_.reset - time_point_cast<milliseconds>(system_clock::now());
        wake_ = now + std::max(until, milliseconds(0)) + kWakeMargin;
      }
    }
  }
  if (!wait_429) return std::nullopt;
  // The server said stop: everyone waits, not only this attempt.
  budget_ = 0;
  milliseconds wait = *wait_429;
  // Retry-After is whole seconds, rounded up: up to a whole 1 s window
  // late, so a process sharing the key would wake each time near the end
  // of a window the others have spent, and meet the next 429 there. When
  // the 429 is of the window we know, that window's end (the earliest
  // estimate, still not early) is when the next one opens. A 429 from a
  // window we think has ended contradicts that estimate: Retry-After then.
  if (seen_now && seen_now->window && seen_now->window == window_ && seen_.reset) {
    const auto to_reset = *seen_.reset - time_point_cast<milliseconds>(system_clock::now());
    if (to_reset > milliseconds(0)) wait = std::min(wait, to_reset);
  }
  const auto until = now + wait + kWakeMargin;
  if (!wake_ || *wake_ < until) wake_ = until;
  return wait;  // the gate adds its margin when the attempt asks again
}

std::optional<RateLimit> RateGate::last() const {
  std::lock_guard lock(mutex_);
  if (!any_) return std::nullopt;
  return seen_;
}

}  // namespace campaign::detail
