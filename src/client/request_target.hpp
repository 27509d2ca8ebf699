// Private: the only place a request target is built from an ID or a query.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace campaign::detail {

// Why an ID was refused, for the error.
inline constexpr std::string_view invalid_id_message =
    "invalid campaign ID (expected 1-128 characters of A-Z a-z 0-9 _ -)";

// "<prefix>/campaigns/<id>" for an ID that passes is_valid_id(); nullopt
// otherwise. Valid IDs need no escaping, so the target is exact.
std::optional<std::string> request_target(std::string_view prefix, std::string_view id);

// "/call-logs/campaign/<id>" (the list's path below the prefix) for a valid
// ID; nullopt otherwise.
std::optional<std::string> call_logs_path(std::string_view id);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// "<prefix><path>?page=P&limit=L&k=v...": names and values percent-encoded
// (everything but RFC 3986's unreserved characters), params in their order.
std::string list_target(std::string_view prefix, std::string_view path, std::uint64_t page,
                        std::uint64_t limit, const QueryParams& params);

}  // namespace campaign::detail
