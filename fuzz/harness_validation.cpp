// Checks of fuzz_validation: the same bytes as a campaign ID, a base URL, an
// HTTP date and a pair of retry headers (split at the first '\n').
#include "harness.hpp"

#include <campaign/id.hpp>

#include "client/request_target.hpp"
#include "client/retry_policy.hpp"
#include "net/endpoint.hpp"

#include <chrono>

namespace campaign_fuzz {
namespace {

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Bytes that must never reach a request line or a header (CR, LF, other
// controls, space, DEL): CVE-2014-8150-style injection.
bool header_clean(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int number_at(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Seconds since the epoch of a proleptic Gregorian date-time (independent of <chrono>).
long long epoch_seconds(long long y, int m, int d, int hh, int mm, int ss) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = era * 146097 + doe - 719468;
  return ((days * 24 + hh) * 60 + mm) * 60 + ss;
}

}  // namespace

void check_validation(std::string_view input) {
  auto in = printable(input);

  // is_valid_id: exactly ^[A-Za-z0-9_-]{1,128}$ (docs/api.md).
  bool expect = !input.empty() && input.size() <= 128;
  for (char c : input) expect = expect && id_char(c);
  bool valid = campaign::is_valid_id(input);
  check(valid == expect, valid ? "is_valid_id accepts an ID outside ^[A-Za-z0-9_-]{1,128}$"
                               : "is_valid_id refuses a well-formed ID", in);

  // request_target: only valid IDs make a target, exactly <prefix>/campaigns/<id>.
  for (std::string_view prefix : {std::string_view(), std::string_view("/v1")}) {
    auto target = campaign::detail::request_target(prefix, input);
    check(target.has_value() == valid, "request_target disagrees with is_valid_id", in);
    if (target) {
      check(*target == std::string(prefix) + "/campaigns/" + std::string(input), "request target is not exact", in);
      check(header_clean(*target), "request target would carry control characters or spaces", in);
    }
  }

  // parse_base_url: whatever it accepts is safe to put on the wire.
  auto ep = campaign::net::parse_base_url(input);
  if (ep) {
    if (auto target = campaign::detail::request_target(ep->prefix, "cmp_1"))
      check(header_clean(*target), "request target from this base URL would carry control characters",
            in + " -> " + printable(*target));
    check(!ep->host.empty(), "base URL accepted with an empty host", in);
    check(ep->port != 0, "base URL accepted with port 0", in);
    check(header_clean(ep->host_header), "Host header would carry control characters or spaces",
          in + " -> host_header " + printable(ep->host_header));
    check(header_clean(ep->prefix), "path prefix would carry control characters or spaces",
          in + " -> prefix " + printable(ep->prefix));
    check(ep->prefix.empty() || (ep->prefix.front() == '/' && ep->prefix.back() != '/'),
          "path prefix is not empty or '/...' without a trailing '/'", in + " -> " + printable(ep->prefix));
    check(ep->prefix.find_first_of("?#") == std::string::npos, "path prefix holds '?' or '#'", in);
    check(ep->host.find('\0') == std::string::npos, "host holds a NUL byte (resolver and TLS see less)",
          in + " -> " + printable(ep->host));
  } else {
    check(ep.error().kind == campaign::net::FailureKind::bad_config, "base URL error is not bad_config (invalid_argument)", in);
  }

  // parse_http_date: only an IMF-fixdate with digits where digits belong.
  using namespace std::chrono;
  auto date = campaign::detail::parse_http_date(input);
  if (date) {
    std::string_view s = input;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    bool digits = s.size() == 29;
    for (std::size_t i : {5u, 6u, 12u, 13u, 14u, 15u, 17u, 18u, 20u, 21u, 23u, 24u})
      digits = digits && is_digit(s[i]);
    check(digits, "parse_http_date accepts a date with non-digits in a numeric field", in);

    // The wait it gives is the date minus now, exactly (no overflow, whatever the year).
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    auto mon = static_cast<int>(months.find(s.substr(8, 3)) / 3 + 1);
    long long date_s = epoch_seconds(number_at(s, 12, 4), mon, number_at(s, 5, 2), number_at(s, 17, 2),
                                     number_at(s, 20, 2), number_at(s, 23, 2));
    constexpr long long now_s = 1700000000;
    long long expect_ms = date_s > now_s ? (date_s - now_s) * 1000 : 0;
    auto wait = campaign::detail::parse_retry_after({}, input, system_clock::time_point(seconds(now_s)));
    check(wait && wait->count() == expect_ms, "Retry-After date gives the wrong wait",
          in + " -> " + (wait ? std::to_string(wait->count()) : std::string("none")) + " ms, expected " +
              std::to_string(expect_ms));
  }

  // parse_retry_after: never negative, never absurd (clamped).
  auto nl = input.find('\n');
  std::string_view ms = nl == std::string_view::npos ? input : input.substr(0, nl);
  std::string_view after = nl == std::string_view::npos ? input : input.substr(nl + 1);
  auto now = system_clock::time_point(seconds(1700000000));
  for (auto [a, b] : {std::pair{ms, after}, std::pair{std::string_view{}, input}, std::pair{input, std::string_view{}}}) {
    if (auto wait = campaign::detail::parse_retry_after(a, b, now)) {
      check(wait->count() >= 0, "parse_retry_after is negative", in);
      check(wait->count() <= 1'000'000'000'000'000, "parse_retry_after above its clamp", in);
    }
  }
  (void)campaign::detail::parse_should_retry(input);
}

}  // namespace campaign_fuzz
