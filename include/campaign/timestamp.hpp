// campaign/timestamp.hpp: RFC 3339 timestamps at millisecond precision.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace campaign {

// An instant in UTC, milliseconds since the Unix epoch.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Parses "2024-03-01T14:30:00.123+05:30" (RFC 3339 section 5.6: 'T' or 't',
// 'Z'/'z' or a numeric offset, any number of fraction digits). The instant is
// kept; fractions below a millisecond are truncated. A leap second (:60) is
// accepted and lands on the next second. nullopt for anything else.
std::optional<Timestamp> parse_rfc3339(std::string_view text) noexcept;

// "2024-03-01T09:00:00.000Z": the canonical form, always UTC with milliseconds.
std::string format_rfc3339(Timestamp t);
// Appends the canonical form to out (24 characters for years 0000-9999).
void append_rfc3339(std::string& out, Timestamp t);

}  // namespace campaign
