#include "terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>

namespace campaign::cli {
namespace {

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

bool mentions_utf8(const char* v) {
  if (v == nullptr) return false;
  std::string s(v);
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s.find("utf-8") != std::string::npos || s.find("utf8") != std::string::npos;
}

// Length of the ANSI escape sequence starting at text[i] (0 if none).
std::size_t escape_length(std::string_view text, std::size_t i) {
  if (text[i] != '\x1b' || i + 1 >= text.size()) return 0;
  std::size_t j = i + 1;
  if (text[j] != '[') return 2;
  ++j;
  while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e)) ++j;
  return j < text.size() ? j - i + 1 : text.size() - i;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

}  // namespace

bool is_terminal(int fd) noexcept { return ::isatty(fd) == 1; }

bool color_enabled(int fd) noexcept {
  if (!is_terminal(fd) || env_set("NO_COLOR")) return false;
  const char* term = std::getenv("TERM");
  return !(term != nullptr && std::strcmp(term, "dumb") == 0);
}

bool unicode_enabled(int fd) noexcept {
  if (!is_terminal(fd)) return false;
  // The first of LC_ALL, LC_CTYPE, LANG that is set decides (POSIX order).
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    if (env_set(name)) return mentions_utf8(std::getenv(name));
  }
  return false;
}

int terminal_width(int fd, int fallback) noexcept {
  winsize ws{};
  if (is_terminal(fd) && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return fallback;
}

namespace ansi {
std::string lines_up(std::size_t n) {
  if (n == 0) return "\r";
  return "\x1b[" + std::to_string(n) + "F";
}
}  // namespace ansi

std::string Style::wrap(std::string_view sgr, std::string_view s) const {
  if (!color_ || s.empty()) return std::string(s);
  std::string out = "\x1b[";
  out += sgr;
  out += 'm';
  out += s;
  out += "\x1b[0m";
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t n = escape_length(text, i)) {
      i += n;
      continue;
    }
    if (!is_continuation(text[i])) ++width;
    ++i;
  }
  return width;
}

std::string fit_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  std::string out;
  std::size_t used = 0;
  bool had_escape = false;
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t n = escape_length(text, i)) {
      out.append(text.substr(i, n));
      had_escape = true;
      i += n;
      continue;
    }
    if (!is_continuation(text[i])) {
      if (used == width) break;
      ++used;
    }
    out += text[i];
    ++i;
  }
  if (had_escape) out += "\x1b[0m";
  return out;
}

}  // namespace campaign::cli
