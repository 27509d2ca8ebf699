// Time as text: the HTTP Date header and RFC 3339 timestamps of records.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace campaign::mock::detail {

// "Date: Thu, 03 Dec 2026 16:51:50 GMT" value (IMF-fixdate).
void append_http_date(std::string& out, std::chrono::system_clock::time_point t);

// "YYYY-MM-DDTHH:MM:SS" of a Unix time.
void append_civil(std::string& out, std::int64_t unix_seconds);

// Nanoseconds since the epoch of an RFC 3339 timestamp (fraction and offset
// honoured); nullopt if it is not one. Sorts records by created_at.
std::optional<std::int64_t> parse_rfc3339_ns(std::string_view s);

}  // namespace campaign::mock::detail
