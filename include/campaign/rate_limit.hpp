// campaign/rate_limit.hpp: what the server said about the API key's rate
// limit (docs/api.md, "Rate limits"), as last seen for that key.
#pragma once

#include <campaign/timestamp.hpp>

#include <cstdint>
#include <optional>

namespace campaign {

struct RateLimit {
  std::optional<std::int64_t> limit;      // X-RateLimit-Limit: requests per window
  std::optional<std::int64_t> remaining;  // X-RateLimit-Remaining, in the current window
  // X-RateLimit-Reset: when the window resets, on this machine's clock (the
  // server's Date header, when sent, gives the offset between the clocks).
  std::optional<Timestamp> reset;
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

}  // namespace campaign
