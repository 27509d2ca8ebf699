#include "text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace campaign::cli {

std::string group_thousands(std::int64_t n) {
  // Work on the unsigned magnitude so INT64_MIN is fine.
  bool negative = n < 0;
  std::uint64_t m = negative ? 0u - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  std::string digits = std::to_string(m);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++count) {
    if (count != 0 && count % 3 == 0) out += ',';
    out += *it;
  }
  std::reverse(out.begin(), out.end());
  return negative ? "-" + out : out;
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(fraction * 1000.0) / 10.0);
  return buf;
}

std::string human_duration(std::chrono::milliseconds d) {
  using namespace std::chrono;
  if (d.count() <= 0) return "0s";
  // Round up to whole seconds: an ETA of 0.4 s is "1s", not "0s".
  std::int64_t s = (d.count() + 999) / 1000;
  std::int64_t days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60, secs = s % 60;
  auto part = [](std::int64_t v, const char* unit) { return std::to_string(v) + unit; };
  if (days > 0) return hours ? part(days, "d ") + part(hours, "h") : part(days, "d");
  if (hours > 0) return minutes ? part(hours, "h ") + part(minutes, "m") : part(hours, "h");
  if (minutes > 0) return secs ? part(minutes, "m ") + part(secs, "s") : part(minutes, "m");
  return part(secs, "s");
}

std::string seconds_text(std::chrono::milliseconds d) {
  char buf[48];
  if (d.count() % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
  else
    std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

std::string utc_time(Timestamp t) {
  std::string s = format_rfc3339(t);  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (s.size() != 24) return s;       // years outside 0000..9999: keep it exact
  return s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
}

std::string rate_text(double per_second) {
  if (!std::isfinite(per_second) || per_second < 0) return "-";
  if (per_second >= 10) return group_thousands(std::llround(per_second)) + "/s";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f/s", per_second);
  return buf;
}

}  // namespace campaign::cli
