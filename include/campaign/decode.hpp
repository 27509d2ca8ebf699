// campaign/decode.hpp: bytes of a response body -> Campaign (or CallLog), with simdjson On-Demand.
//
// A Decoder holds a reusable parser: keep one per thread (or per connection)
// and reuse it; it is not safe to share one between threads at once. The
// free function parse() uses one per calling thread.
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace campaign {

// Bytes a buffer must have readable past the end of the JSON text for
// decode_padded() (simdjson's SIMDJSON_PADDING).
std::size_t decode_padding() noexcept;

// Deepest nesting of arrays/objects accepted anywhere in a record; deeper
// input is invalid_response (never a stack overflow).
inline constexpr int max_json_depth = 64;

class Decoder {
 public:
  Decoder();
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // Decodes a 200 body. Errors are invalid_response, with a message that
  // names the field ("max_concurrent_calls: expected integer").
  Result<Campaign> decode(std::string_view json);
  // Same, decoding in place: data[size .. capacity) must be readable and
  // capacity - size >= decode_padding(); otherwise this copies, like decode().
  Result<Campaign> decode_padded(const char* data, std::size_t size, std::size_t capacity);
  // Same, without copying: the Campaign shares ownership of `body` and its
  // views point into it (a record whose strings had escapes still gets one
  // allocation for them). Keep body's bytes unchanged while records use it.
  // A buffer without the padding is copied, like decode().
  Result<Campaign> decode_shared(std::shared_ptr<const char[]> body, std::size_t size,
                                 std::size_t capacity);
  // A call log (docs/api.md, "Calls by campaign"), by the same rules.
  Result<CallLog> decode_call_log(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes with a parser kept per calling thread.
Result<Campaign> parse(std::string_view json);
Result<CallLog> decode_call_log(std::string_view json);

// The JSON text of the value at an RFC 6901 pointer in the record as
// received ("/retry_config/max_retries", "" for the whole record), e.g. "3"
// or "\"text\"" or "{...}". Errors: invalid_argument for a malformed
// pointer, not_found (http_status 0) when nothing is there.
Result<std::string> at_pointer(const Campaign& record, std::string_view json_pointer);
Result<std::string> at_pointer(const CallLog& log, std::string_view json_pointer);

// The message of an error body, from the first of docs/api.md's shapes that
// matches: {"error":{"message":..}}, {"error":".."}, {"message":".."},
// {"detail":".."}. nullopt when the body is not JSON or has none of them.
std::optional<std::string> parse_error_message(std::string_view body);

}  // namespace campaign
