#include "clock_text.hpp"

#include <cstdio>

namespace campaign::mock::detail {
namespace {

using namespace std::chrono;

// Digits s[at, at + n) as a number, or -1.
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t k = at; k < at + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

}  // namespace

void append_http_date(std::string& out, system_clock::time_point t) {
  static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto secs = floor<seconds>(t);
  // One answer per second per thread: formatting is not on the hot path.
  thread_local sys_seconds cached{seconds{-1}};
  thread_local std::string text;
  if (secs != cached) {
    auto day = floor<days>(secs);
    year_month_day ymd{day};
    hh_mm_ss hms{secs - day};
    char buf[40];
    int n = std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                          weekdays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                          months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                          static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                          static_cast<int>(hms.seconds().count()));
    text.assign(buf, static_cast<std::size_t>(n));
    cached = secs;
  }
  out += text;
}

void append_civil(std::string& out, std::int64_t unix_seconds) {
  sys_seconds tp{seconds{unix_seconds}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                        static_cast<int>(hms.seconds().count()));
  out.append(buf, static_cast<std::size_t>(n));
}

std::optional<std::int64_t> parse_rfc3339_ns(std::string_view s) {
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
    return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':')
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  std::size_t k = 19;
  std::int64_t ns = 0;
  if (k < s.size() && s[k] == '.') {
    std::int64_t scale = 100000000;
    for (++k; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k, scale /= 10) ns += (s[k] - '0') * scale;
  }
  int offset = 0;  // minutes east of UTC
  if (k < s.size() && (s[k] == 'Z' || s[k] == 'z')) {
    ++k;
  } else if (k < s.size() && (s[k] == '+' || s[k] == '-')) {
    int oh = digits(s, k + 1, 2), om = digits(s, k + 4, 2);
    if (oh < 0 || om < 0 || s[k + 3] != ':') return std::nullopt;
    offset = (s[k] == '-' ? -1 : 1) * (oh * 60 + om);
    k += 6;
  } else {
    return std::nullopt;
  }
  if (k != s.size()) return std::nullopt;
  std::int64_t secs =
      sys_days{ymd}.time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + se - offset * 60;
  return secs * 1000000000 + ns;
}

}  // namespace campaign::mock::detail
