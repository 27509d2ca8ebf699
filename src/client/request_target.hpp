// Private: the only place a request target is built from an ID.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace campaign::detail {

// "<prefix>/campaigns/<id>" for an ID that passes is_valid_id(); nullopt
// otherwise. Valid IDs need no escaping, so the target is exact.
std::optional<std::string> request_target(std::string_view prefix, std::string_view id);

}  // namespace campaign::detail
