// RFC 3339 (section 5.6 "date-time") parsing and canonical formatting.
#include <campaign/timestamp.hpp>

namespace campaign {
namespace {

using namespace std::chrono;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// Two digits at p; `bad` collects any non-digit without a branch per byte.
inline int two(const char* p, unsigned& bad) noexcept {
  unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
  bad |= (a > 9) | (b > 9);
  return static_cast<int>(a * 10 + b);
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view s) noexcept {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|+HH:MM|-HH:MM): the first 19 bytes have fixed places.
  if (s.size() < 20) return std::nullopt;
  const char* p = s.data();
  unsigned bad = 0;
  int y = two(p, bad) * 100 + two(p + 2, bad);
  int mo = two(p + 5, bad), d = two(p + 8, bad), h = two(p + 11, bad), mi = two(p + 14, bad),
      sec = two(p + 17, bad);
  bad |= (p[4] != '-') | (p[7] != '-') | ((p[10] | 0x20) != 't') | (p[13] != ':') | (p[16] != ':');
  if (bad) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;  // truncates below a millisecond
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;

  minutes offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours{oh} + minutes{om};
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;

  auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{millis};
  auto t = time_point_cast<milliseconds>(local - offset);
  // The canonical form has four-digit years: refuse an instant (after the
  // offset or a leap second) that it cannot write.
  if (t < sys_days{year{0} / 1 / 1} || t >= sys_days{year{10000} / 1 / 1}) return std::nullopt;
  return t;
}

void append_rfc3339(std::string& out, Timestamp t) {
  auto day_point = floor<days>(t);
  year_month_day ymd{day_point};
  auto ms = (t - day_point).count();  // 0 .. 86'399'999
  int y = static_cast<int>(ymd.year());
  unsigned parts[] = {static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<unsigned>(ms / 3'600'000), static_cast<unsigned>(ms / 60'000 % 60),
                      static_cast<unsigned>(ms / 1000 % 60)};
  char buf[32];
  char* p = buf;
  if (y < 0 || y > 9999) {  // outside RFC 3339's range: keep the instant readable
    auto n = std::to_string(y);
    out += n;
  } else {
    *p++ = static_cast<char>('0' + y / 1000);
    *p++ = static_cast<char>('0' + y / 100 % 10);
    *p++ = static_cast<char>('0' + y / 10 % 10);
    *p++ = static_cast<char>('0' + y % 10);
  }
  const char seps[] = {'-', '-', 'T', ':', ':'};
  for (int i = 0; i < 5; ++i) {
    *p++ = seps[i];
    *p++ = static_cast<char>('0' + parts[i] / 10);
    *p++ = static_cast<char>('0' + parts[i] % 10);
  }
  unsigned frac = static_cast<unsigned>(ms % 1000);
  *p++ = '.';
  *p++ = static_cast<char>('0' + frac / 100);
  *p++ = static_cast<char>('0' + frac / 10 % 10);
  *p++ = static_cast<char>('0' + frac % 10);
  *p++ = 'Z';
  out.append(buf, p);
}

std::string format_rfc3339(Timestamp t) {
  std::string out;
  out.reserve(24);
  append_rfc3339(out, t);
  return out;
}

}  // namespace campaign
