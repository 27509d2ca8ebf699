// An independent reference decoder for the campaign record, built on
// Boost.JSON's SAX parser (boost::json::basic_parser): the oracle of
// fuzz_differential and of tests/regression.
//
// It implements docs/api.md's decoding rules on its own — its own field
// rules, its own integer classification, its own RFC 3339 parser and its own
// canonical encoder — and shares no code with src/decode or src/encode, so a
// bug has to be made twice to go unnoticed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace campaign_fuzz {

struct ReferenceResult {
  bool ok = false;
  std::string canonical;  // the record's canonical JSON (campaign::to_json's format) when ok
  std::string error;      // why not, when !ok (free text, for reports only)
};

// Deepest nesting accepted: the record object is level 1 (docs/api.md cap: 64).
inline constexpr int reference_max_depth = 64;

ReferenceResult reference_decode(std::string_view json);

}  // namespace campaign_fuzz

namespace campaign_fuzz {

// The reference for parse_error_message(): docs/api.md's four shapes, first match
// in priority order. `comparable` is false when the body repeats one of the
// keys that matter ("error", "message", "detail", or "message" inside the
// error object): which repetition wins is not specified, so no answer is
// checked then.
struct ReferenceErrorMessage {
  bool json_ok = false;       // a JSON object within the depth cap
  bool comparable = true;
  std::optional<std::string> message;
};
ReferenceErrorMessage reference_error_message(std::string_view body);

}  // namespace campaign_fuzz
