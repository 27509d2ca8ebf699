#include "json_walk.hpp"

#include <campaign/decode.hpp>

namespace campaign::detail {

bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') ++i;
  else while (digit(i)) ++i;
  if (i < s.size() && s[i] == '.') {
    if (!digit(++i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

IntToken parse_int_token(std::string_view s, std::int64_t& out) noexcept {
  const bool negative = !s.empty() && s[0] == '-';
  std::size_t i = negative;
  std::uint64_t n = 0;
  const std::size_t first = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    // 19 digits always fit in 64 unsigned bits; more are checked below.
    if (i - first < 19) n = n * 10 + static_cast<unsigned>(s[i] - '0');
    ++i;
  }
  const std::size_t digits = i - first;
  if (i != s.size() || digits == 0 || (s[first] == '0' && digits > 1))
    return is_json_number(s) ? IntToken::not_integer : IntToken::invalid;
  const std::uint64_t limit = negative ? 9223372036854775808ull : 9223372036854775807ull;
  if (digits > 19 || n > limit) return IntToken::out_of_range;
  out = negative ? static_cast<std::int64_t>(0 - n) : static_cast<std::int64_t>(n);
  return IntToken::ok;
}

WalkResult read_string(od::value& v, std::string_view& text, bool& in_input) noexcept {
  std::string_view token = scalar_token(v);
  if (token.empty() || token[0] != '"') return WalkResult::from(simdjson::INCORRECT_TYPE);
  return read_string(v, token, text, in_input);
}

WalkResult read_key(od::field& field, std::string_view& key) noexcept {
  // The key ends at the quote before the ':' in front of the value.
  const char* start = field.key().raw();
  const char* p = field.value().raw_json_token().data();
  do --p; while (is_json_space(*p));  // the ':'
  do --p; while (is_json_space(*p));  // the closing quote
  std::string_view raw(start, static_cast<std::size_t>(p - start));
  if (!has_escape(raw)) {
    key = raw;
    return {};
  }
  return WalkResult::from(field.unescaped_key().get(key));
}

std::string_view container_text(const char* open) noexcept {
  std::size_t depth = 0;
  const char* p = open;
  for (;; ++p) {
    switch (*p) {
      case '"':
        while (*++p != '"')
          if (*p == '\\') ++p;  // the escaped byte cannot close the string
        break;
      case '{': case '[': ++depth; break;
      case '}': case ']':
        if (--depth == 0) return {open, static_cast<std::size_t>(p + 1 - open)};
        break;
      default: break;
    }
  }
}

WalkResult skip_value(od::value& v, int depth) noexcept {
  std::string_view token = scalar_token(v);
  switch (token.empty() ? '\0' : token[0]) {
    case '{': {
      if (depth > max_json_depth) return {WalkError::depth, simdjson::SUCCESS};
      od::object obj;
      if (auto e = v.get_object().get(obj)) return WalkResult::from(e);
      for (auto f : obj) {
        if (auto e = f.error()) return WalkResult::from(e);
        od::field&& field = std::move(f).value_unsafe();
        std::string_view key;
        if (auto r = read_key(field, key)) return r;
        if (auto r = skip_value(field.value(), depth + 1)) return r;
      }
      return {};
    }
    case '[': {
      if (depth > max_json_depth) return {WalkError::depth, simdjson::SUCCESS};
      od::array arr;
      if (auto e = v.get_array().get(arr)) return WalkResult::from(e);
      for (auto element : arr) {
        od::value item;
        if (auto e = std::move(element).get(item)) return WalkResult::from(e);
        if (auto r = skip_value(item, depth + 1)) return r;
      }
      return {};
    }
    case '"': {
      std::string_view s;
      bool in_input;
      return read_string(v, token, s, in_input);
    }
    case 't': return token == "true" ? WalkResult{} : WalkResult::from(simdjson::T_ATOM_ERROR);
    case 'f': return token == "false" ? WalkResult{} : WalkResult::from(simdjson::F_ATOM_ERROR);
    case 'n': return token == "null" ? WalkResult{} : WalkResult::from(simdjson::N_ATOM_ERROR);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      // Any valid number: its magnitude does not matter here (1e400, 2^70).
      return is_json_number(token) ? WalkResult{} : WalkResult::from(simdjson::NUMBER_ERROR);
    default: return WalkResult::from(simdjson::TAPE_ERROR);
  }
}

std::string_view describe(WalkResult r) noexcept {
  switch (r.kind()) {
    case WalkError::none: return "ok";
    case WalkError::depth: return "nesting too deep";
    case WalkError::control_char: return "unescaped control character in a string";
    case WalkError::json: break;
  }
  switch (r.json()) {
    case simdjson::EMPTY: return "empty body";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::UNESCAPED_CHARS: return "unescaped control character in a string";
    case simdjson::STRING_ERROR: return "invalid string (bad escape or surrogate)";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::DEPTH_ERROR: return "nesting too deep";
    case simdjson::CAPACITY: return "document too large";
    default: return "malformed JSON";
  }
}

}  // namespace campaign::detail
