// Private: when to retry, how long to wait, and the retry budget.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace campaign::detail {

// 408, 429, 500, 502, 503, 504 (docs/api.md); 501 and the rest are final.
bool is_retryable_status(int status) noexcept;
// 400, 401, 403, 404: never retried, whatever the server's x-should-retry says.
bool is_never_retried_status(int status) noexcept;

// "true"/"false" (case-insensitive); nullopt for anything else.
std::optional<bool> parse_should_retry(std::string_view value) noexcept;

// The wait a response asks for: retry-after-ms (milliseconds) first, then
// Retry-After as seconds (fractions allowed) or an HTTP date. Negative,
// garbage or absent values give nullopt; a date in the past gives 0.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view retry_after_ms, std::string_view retry_after,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) noexcept;

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, RFC 9110). In seconds: any
// four-digit year fits (system_clock's nanoseconds end in 2262).
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s) noexcept;

// Full-jitter exponential backoff: uniform in [0, min(max, initial * 2^(retry-1))].
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds max) noexcept;

// A token bucket in the spirit of gRPC's retry throttling: first attempts
// earn `ratio` tokens (up to `burst`), a retry spends one. Thread-safe.
class RetryBudget {
 public:
  RetryBudget(double ratio, double burst) noexcept;
  void on_first_attempt() noexcept;
  bool try_spend() noexcept;

 private:
  static constexpr std::int64_t unit = 1000;  // milli-tokens
  std::int64_t earn_, cap_;
  std::atomic<std::int64_t> tokens_;
};

}  // namespace campaign::detail
