#include "dialect.hpp"

#include <cstddef>
#include <optional>

namespace campaign::mock::detail {
namespace {

// Start offsets of the top-level keys of the object `t`.
template <class F>
void for_each_top_level_key(std::string_view t, F&& f) {
  int depth = 0;
  bool expect_key = false;
  for (std::size_t k = 0; k < t.size(); ++k) {
    char c = t[k];
    if (c == '"') {
      std::size_t start = k;
      for (++k; k < t.size() && t[k] != '"'; ++k)
        if (t[k] == '\\') ++k;
      if (depth == 1 && expect_key) {
        expect_key = false;
        if (!f(start, k + 1)) return;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
      if (depth == 1 && c == '{') expect_key = true;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
  }
}

}  // namespace

std::string rename_top_level_key(std::string text, std::string_view from, std::string_view to) {
  std::optional<std::size_t> at;
  bool has_to = false;
  for_each_top_level_key(text, [&](std::size_t begin, std::size_t end) {
    std::string_view key = std::string_view(text).substr(begin + 1, end - begin - 2);
    if (key == from && !at) at = begin;
    if (key == to) has_to = true;
    return true;
  });
  if (!at || has_to) return text;
  text.replace(*at + 1, from.size(), to);
  return text;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

}  // namespace campaign::mock::detail
