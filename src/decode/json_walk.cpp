#include "json_walk.hpp"

#include <campaign/decode.hpp>

namespace campaign::detail {
namespace {

// RFC 8259 number grammar. raw_json_token() runs to the next token, so
// trailing whitespace is dropped first.
bool is_json_number(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
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

}  // namespace

WalkResult read_string(od::value& v, std::string_view& text, bool& in_input) noexcept {
  // The raw token starts at the opening quote; it is only peeked at.
  std::string_view raw = v.raw_json_token();
  std::string_view s;
  if (auto e = v.get_string().get(s)) return WalkResult::from(e);
  // Stage 1 already refused raw control characters (UNESCAPED_CHARS) and
  // invalid UTF-8. Every escape makes the text shorter than its source, so
  // the source had none exactly when its closing quote sits right after the
  // n unescaped bytes and is not itself escaped: then the text is a view
  // into the input, found in O(1).
  std::size_t n = s.size();
  in_input = raw.size() >= n + 2 && raw[n + 1] == '"' && raw[n] != '\\';
  text = in_input ? std::string_view(raw.data() + 1, n) : s;
  return {};
}

WalkResult skip_value(od::value v, int depth) noexcept {
  od::json_type type;
  if (auto e = v.type().get(type)) return WalkResult::from(e);
  switch (type) {
    case od::json_type::object: {
      if (depth > max_json_depth) return {WalkError::depth, simdjson::SUCCESS};
      od::object obj;
      if (auto e = v.get_object().get(obj)) return WalkResult::from(e);
      for (auto f : obj) {
        od::field field;
        if (auto e = std::move(f).get(field)) return WalkResult::from(e);
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return WalkResult::from(e);
        if (auto r = skip_value(field.value(), depth + 1)) return r;
      }
      return {};
    }
    case od::json_type::array: {
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
    case od::json_type::string: {
      std::string_view s;
      bool in_input;
      return read_string(v, s, in_input);
    }
    case od::json_type::number: {
      // A skipped number's magnitude does not matter: get_number() refuses
      // valid JSON that fits neither a double nor 64 bits (1e400, 2^70).
      std::string_view token = v.raw_json_token();
      od::number n;
      auto e = v.get_number().get(n);
      return e && !is_json_number(token) ? WalkResult::from(e) : WalkResult{};
    }
    case od::json_type::boolean: {
      bool b;
      return WalkResult::from(v.get_bool().get(b));
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return WalkResult::from(e);
      return is_null ? WalkResult{} : WalkResult::from(simdjson::N_ATOM_ERROR);
    }
  }
  return WalkResult::from(simdjson::TAPE_ERROR);
}

std::string_view describe(WalkResult r) noexcept {
  switch (r.kind) {
    case WalkError::none: return "ok";
    case WalkError::depth: return "nesting too deep";
    case WalkError::control_char: return "unescaped control character in a string";
    case WalkError::json: break;
  }
  switch (r.json) {
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
