// Private: strict On-Demand helpers shared by the record and error-body decoders.
//
// On-Demand only checks what it visits, so skipped values are walked and
// validated here: the decoder accepts exactly what a validating parser would.
//
// Scalars are read from their raw token: stage 1 has already checked UTF-8,
// raw control characters in strings and where every token starts and ends,
// so a string without escapes, a number or an atom is checked here without
// simdjson copying or parsing it a second time. Numbers and atoms are left
// unconsumed (On-Demand skips them when the walk moves on, and then finds
// any stray token after them); strings are consumed (see read_string).
#pragma once

#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace campaign::detail {

namespace od = simdjson::ondemand;

// Our own error codes beside simdjson's, for messages that name the cause.
enum class WalkError { none, json, depth, control_char };

// One 32-bit word (returned in a register): composing a struct of separate
// fields through the stack costs a store-forwarding stall on every value.
class WalkResult {
 public:
  constexpr WalkResult() noexcept = default;
  constexpr WalkResult(WalkError kind, simdjson::error_code json) noexcept
      : bits_(static_cast<std::uint32_t>(kind) << 16 | static_cast<std::uint32_t>(json)) {}
  static constexpr WalkResult from(simdjson::error_code e) noexcept {
    return e ? WalkResult{WalkError::json, e} : WalkResult{};
  }
  static constexpr WalkResult from_bits(std::uint32_t bits) noexcept {
    WalkResult r;
    r.bits_ = bits;
    return r;
  }
  constexpr WalkError kind() const noexcept { return static_cast<WalkError>(bits_ >> 16); }
  constexpr simdjson::error_code json() const noexcept {
    return static_cast<simdjson::error_code>(bits_ & 0xffff);
  }
  constexpr std::uint32_t bits() const noexcept { return bits_; }
  constexpr explicit operator bool() const noexcept { return bits_ != 0; }

 private:
  std::uint32_t bits_ = 0;  // kind << 16 | json; 0: no error
};

inline bool is_json_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The value's token without the whitespace that runs to the next token.
inline std::string_view scalar_token(od::value& v) noexcept {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && is_json_space(t.back())) t.remove_suffix(1);
  return t;
}

// Whether c can start a JSON value (the type is known from it alone).
inline bool is_value_start(char c) noexcept {
  switch (c) {
    case '"': case '{': case '[': case 't': case 'f': case 'n': case '-':
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
      return true;
    default:
      return false;
  }
}

// The text between a string token's quotes (stage 1 found the closing one).
inline std::string_view string_body(std::string_view token) noexcept {
  return token.size() >= 2 ? token.substr(1, token.size() - 2) : std::string_view{};
}

// Whether a backslash occurs in s, a word at a time. The text lies inside
// a padded document (SIMDJSON_PADDING readable bytes after its end), so the
// last word may read past s; those bytes are masked out.
inline bool has_escape(std::string_view s) noexcept {
  static_assert(std::endian::native == std::endian::little, "the mask below assumes it");
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  constexpr std::uint64_t backslashes = 0x5c * ones;
  for (std::size_t i = 0; i < s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    std::uint64_t x = w ^ backslashes;           // a zero byte where s has '\\'
    std::uint64_t hit = (x - ones) & ~x & highs;  // exact for the lowest zero byte
    std::size_t left = s.size() - i;
    if (left < 8) hit &= (std::uint64_t{1} << (8 * left)) - 1;  // little-endian
    if (hit) return true;
  }
  return false;
}

// RFC 8259 number grammar.
bool is_json_number(std::string_view s) noexcept;

// An RFC 8259 integer token (no fraction or exponent) into 64 bits.
enum class IntToken { ok, not_integer, out_of_range, invalid };
IntToken parse_int_token(std::string_view token, std::int64_t& out) noexcept;

// Reads a JSON string value whose trimmed token (scalar_token) starts with
// '"'. `text` points into the input when the string has no escapes (in_input
// = true), else into the parser's buffer (valid until the parser's next
// document).
inline WalkResult read_string(od::value& v, std::string_view token, std::string_view& text,
                              bool& in_input) noexcept {
  std::string_view body = string_body(token);
  if (!has_escape(body)) {
    // Consumed, although nothing in it needs simdjson's string parser:
    // On-Demand skips a string followed by ':' as if it were a key, so an
    // unconsumed one would let `"a":"b":"c"` through.
    if (auto e = v.get_raw_json_string().error()) return WalkResult::from(e);
    text = body;
    in_input = true;
    return {};
  }
  in_input = false;
  return WalkResult::from(v.get_string().get(text));  // unescapes and checks the escapes
}
// The same for a value of unknown type: INCORRECT_TYPE unless a string.
WalkResult read_string(od::value& v, std::string_view& text, bool& in_input) noexcept;

// Consumes a value of any type, validating it completely; `depth` is the
// nesting level of v (the record object is level 1).
WalkResult skip_value(od::value& v, int depth) noexcept;

// The text of the object or array that starts at `open`, through its
// closing bracket. Only for a value skip_value() has already validated: the
// scan just balances brackets outside strings.
std::string_view container_text(const char* open) noexcept;

// The field's key: a view into the input when it has no escapes, else
// unescaped (and checked) by simdjson into the parser's buffer.
WalkResult read_key(od::field& field, std::string_view& key) noexcept;

// True when nothing but whitespace follows the value just consumed.
inline bool at_end(od::document& doc) noexcept {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

// A human message for a failed walk ("malformed JSON: ...").
std::string_view describe(WalkResult r) noexcept;

}  // namespace campaign::detail
