// The checks of every fuzz target, shared by the libFuzzer entry points
// (fuzz/fuzz_*.cpp) and the regression test (tests/regression), so a corpus
// file or a regression input is judged by exactly the same properties.
#pragma once

#include <string>
#include <string_view>

namespace campaign_fuzz {

// A property failed. The handler must not return: the fuzzers' default
// prints the message and aborts (libFuzzer saves the input); the regression
// test's throws.
using FailHandler = void (*)(const std::string& message);
void set_fail_handler(FailHandler handler);
[[noreturn]] void fail(const std::string& message);

inline void check(bool ok, std::string_view what, std::string_view detail = {}) {
  if (!ok) {
    std::string m(what);
    if (!detail.empty()) m.append(": ").append(detail);
    fail(m);
  }
}

// A printable rendition of arbitrary bytes for reports (C-style escapes).
std::string printable(std::string_view bytes, std::size_t max = 400);

// fuzz_decode: parse() never crashes; failures are invalid_response; a
// record round-trips through to_json() -> parse() to the same canonical
// JSON; decode(), decode_padded() and parse() agree; the accessors hold.
void check_decode(std::string_view input);

// fuzz_differential: the library decoder and the Boost.JSON reference
// decoder agree: both succeed with the same canonical JSON, or both fail
// (the library with invalid_response).
void check_differential(std::string_view input);

// fuzz_error_body: parse_error_message() never crashes; a message it finds
// is valid UTF-8 and comes from a body that is valid JSON (per Boost.JSON).
void check_error_body(std::string_view input);

// fuzz_validation: is_valid_id(), net::parse_base_url(), parse_retry_after(),
// parse_http_date() on the same bytes; see harness_validation.cpp.
void check_validation(std::string_view input);

// fuzz_http_response: the bytes as a server's reply, read exactly as the
// client reads it (Beast response_parser<PaddedBody>, same limits, interim
// 1xx responses skipped); a 200 body goes to Decoder::decode_padded(), any
// other to parse_error_message(). The first byte picks the read size.
void check_http_response(std::string_view input);

}  // namespace campaign_fuzz
