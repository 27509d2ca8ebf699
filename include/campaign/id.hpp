// campaign/id.hpp: what a campaign ID may be. Pure: no JSON, no HTTP.
#pragma once

#include <string_view>

namespace campaign {

// True when id matches ^[A-Za-z0-9_-]{1,128}$ (docs/api.md): nothing else
// is put in a request path.
bool is_valid_id(std::string_view id) noexcept;

}  // namespace campaign
