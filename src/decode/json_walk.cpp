#include "json_walk.hpp"

#include <campaign/decode.hpp>

namespace campaign::detail {

WalkResult read_string(od::value& v, std::string_view& text, bool& in_input) noexcept {
  // The raw token starts at the opening quote; it is only peeked at.
  std::string_view raw = v.raw_json_token();
  std::string_view s;
  if (auto e = v.get_string().get(s)) return WalkResult::from(e);

  // One pass over the raw content: find the closing quote, note escapes,
  // refuse raw control characters (JSON requires them escaped).
  bool escaped = false;
  for (std::size_t i = 1; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\\') {
      escaped = true;
      ++i;
    } else if (c == '"') {
      break;
    } else if (c < 0x20) {
      return {WalkError::control_char, simdjson::SUCCESS};
    }
  }
  in_input = !escaped;
  text = in_input ? std::string_view(raw.data() + 1, s.size()) : s;
  return {};
}

WalkResult skip_value(od::value v, int depth) noexcept {
  od::json_type type;
  if (auto e = v.type().get(type)) return WalkResult::from(e);
  switch (type) {
    case od::json_type::object: {
      if (depth >= max_json_depth) return {WalkError::depth, simdjson::SUCCESS};
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
      if (depth >= max_json_depth) return {WalkError::depth, simdjson::SUCCESS};
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
      od::number n;
      return WalkResult::from(v.get_number().get(n));
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
