// campaign/redact.hpp: the one redaction rule, used by every surface.
//
// The API key never leaves in text the project produces: the library's
// error messages, request IDs, error bodies and log lines, and the CLI's
// output all pass through redact(). A server that echoes the key (in a
// message, an X-Request-Id, a JSON body) is the case it is written for, so
// it masks the forms a server is likely to echo it in, not only the raw one.
#pragma once

#include <string>
#include <string_view>

namespace campaign {

// What a masked key is replaced with.
inline constexpr std::string_view redacted_mark = "***";

// Keys shorter than this are masked only as a whole word (not next to a
// letter, digit, '_' or '-'): masking a one-letter key everywhere would turn
// "asked" into "as***ed" and hide nothing worth hiding.
inline constexpr std::size_t redact_word_only_below = 8;

// `text` with every occurrence of `key` replaced by redacted_mark, where an
// occurrence may spell any of its bytes raw, JSON-escaped (\u00XX in either
// case, and \/ \" \\) or percent-encoded (%XX). For a `key_id:secret` key the
// secret half on its own is masked too (as a whole word only when shorter
// than redact_word_only_below). An empty key masks nothing.
std::string redact(std::string_view text, std::string_view key);

// Whether redact(text, key) would change anything.
bool contains_secret(std::string_view text, std::string_view key) noexcept;

// `text` on one line: every run of control characters (C0, DEL, and C1 as
// UTF-8, so CR, LF and ESC too) becomes a single space, so server text can
// neither start a new log line nor send terminal escapes.
std::string flatten_line(std::string_view text);

}  // namespace campaign
