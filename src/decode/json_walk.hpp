// Private: strict On-Demand helpers shared by the record and error-body decoders.
//
// On-Demand only checks what it visits, so skipped values are walked and
// validated here: the decoder accepts exactly what a validating parser would.
#pragma once

#include <simdjson.h>

#include <string_view>

namespace campaign::detail {

namespace od = simdjson::ondemand;

// Our own error codes beside simdjson's, for messages that name the cause.
enum class WalkError { none, json, depth, control_char };

struct WalkResult {
  WalkError kind = WalkError::none;
  simdjson::error_code json = simdjson::SUCCESS;
  explicit operator bool() const noexcept { return kind != WalkError::none; }
  static WalkResult from(simdjson::error_code e) noexcept {
    return e ? WalkResult{WalkError::json, e} : WalkResult{};
  }
};

// Reads a JSON string value. `text` points into the input when the string
// has no escapes (in_input = true), else into the parser's buffer (valid
// until the parser's next document). Rejects raw control characters.
WalkResult read_string(od::value& v, std::string_view& text, bool& in_input) noexcept;

// Consumes a value of any type, validating it completely; `depth` is the
// nesting level of v (the record object is level 1).
WalkResult skip_value(od::value v, int depth) noexcept;

// True when nothing but whitespace follows the value just consumed.
inline bool at_end(od::document& doc) noexcept {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

// A human message for a failed walk ("malformed JSON: ...").
std::string_view describe(WalkResult r) noexcept;

}  // namespace campaign::detail
