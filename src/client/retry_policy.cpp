#include "retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>

namespace campaign::detail {

using namespace std::chrono;

bool is_retryable_status(int s) noexcept {
  return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

bool is_never_retried_status(int s) noexcept { return s == 400 || s == 401 || s == 403 || s == 404; }

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-negative decimal number ("2", "0.25"); nullopt otherwise.
std::optional<double> parse_number(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

milliseconds clamp_ms(double ms) noexcept {
  constexpr double max = 1e15;  // ~31,000 years: far past any deadline
  return milliseconds(static_cast<std::int64_t>(std::min(ms, max)));
}

}  // namespace

std::optional<bool> parse_should_retry(std::string_view v) noexcept {
  v = trim(v);
  if (iequals(v, "true")) return true;
  if (iequals(v, "false")) return false;
  return std::nullopt;
}

std::optional<sys_seconds> parse_http_date(std::string_view s) noexcept {
  s = trim(s);
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
      s[16] != ' ' || s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t n, int& out) {
    for (std::size_t i = pos; i < pos + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;  // from_chars would take "-1"
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
    return ec == std::errc() && p == s.data() + pos + n;
  };
  int d, y, h, mi, sec;
  if (!num(5, 2, d) || !num(12, 4, y) || !num(17, 2, h) || !num(20, 2, mi) || !num(23, 2, sec))
    return std::nullopt;
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (s.substr(8, 3) == months[i]) m = i + 1;
  year_month_day ymd{year{y}, month{m}, day{static_cast<unsigned>(d)}};
  if (!m || !ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

std::optional<milliseconds> parse_retry_after(std::string_view retry_after_ms,
                                              std::string_view retry_after,
                                              system_clock::time_point now) noexcept {
  if (!retry_after_ms.empty())
    if (auto v = parse_number(retry_after_ms)) return clamp_ms(*v);
  if (!retry_after.empty()) {
    if (auto v = parse_number(retry_after)) return clamp_ms(*v * 1000.0);
    if (auto date = parse_http_date(retry_after))
      // In milliseconds: system_clock's nanoseconds overflow past 2262.
      return std::max(milliseconds(0), duration_cast<milliseconds>(date->time_since_epoch()) -
                                           duration_cast<milliseconds>(now.time_since_epoch()));
  }
  return std::nullopt;
}

milliseconds backoff_delay(int retry, milliseconds initial, milliseconds max) noexcept {
  thread_local std::minstd_rand rng{std::random_device{}()};
  double cap = static_cast<double>(initial.count()) * std::ldexp(1.0, std::clamp(retry - 1, 0, 30));
  cap = std::min(cap, static_cast<double>(max.count()));
  std::uniform_real_distribution<double> dist(0.0, std::max(cap, 0.0));
  return milliseconds(static_cast<std::int64_t>(dist(rng)));
}

RetryBudget::RetryBudget(double ratio, double burst) noexcept
    : earn_(static_cast<std::int64_t>(std::max(ratio, 0.0) * unit)),
      cap_(static_cast<std::int64_t>(std::max(burst, 0.0) * unit)),
      tokens_(cap_) {}

void RetryBudget::on_first_attempt() noexcept {
  auto t = tokens_.load(std::memory_order_relaxed);
  while (t < cap_ && !tokens_.compare_exchange_weak(t, std::min(cap_, t + earn_))) {
  }
}

bool RetryBudget::try_spend() noexcept {
  auto t = tokens_.load(std::memory_order_relaxed);
  while (t >= unit) {
    if (tokens_.compare_exchange_weak(t, t - unit)) return true;
  }
  return false;
}

}  // namespace campaign::detail
