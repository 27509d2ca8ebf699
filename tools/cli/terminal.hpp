// terminal.hpp: what the terminal can do, and the few ANSI sequences we use.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace campaign::cli {

bool is_terminal(int fd) noexcept;
// Colour on fd: a terminal, NO_COLOR unset or empty, TERM not "dumb".
bool color_enabled(int fd) noexcept;
// Unicode box/bar glyphs on fd: a terminal whose locale (LC_ALL, LC_CTYPE,
// LANG) says UTF-8. Otherwise plain ASCII, which is also what pipes and files
// get, so table output there is stable.
bool unicode_enabled(int fd) noexcept;
// Columns of the terminal on fd, or `fallback` when it is not a terminal.
int terminal_width(int fd, int fallback = 80) noexcept;

namespace ansi {
inline constexpr std::string_view hide_cursor = "\x1b[?25l";
inline constexpr std::string_view show_cursor = "\x1b[?25h";
inline constexpr std::string_view clear_line = "\r\x1b[2K";
inline constexpr std::string_view clear_below = "\x1b[J";
// Moves the cursor to the start of the line n lines up.
std::string lines_up(std::size_t n);
}  // namespace ansi

// Wraps text in an SGR sequence when enabled; plain text otherwise.
class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  bool color() const { return color_; }
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string blue(std::string_view s) const { return wrap("34", s); }
  std::string cyan(std::string_view s) const { return wrap("36", s); }

 private:
  std::string wrap(std::string_view sgr, std::string_view s) const;
  bool color_;
};

// Columns text takes: ANSI escape sequences count 0, every UTF-8 code point 1
// (good enough for names; wide CJK glyphs are undercounted).
std::size_t display_width(std::string_view text);
// text cut to at most `width` columns (ANSI sequences kept, colour reset
// appended when something was cut).
std::string fit_width(std::string_view text, std::size_t width);

}  // namespace campaign::cli
