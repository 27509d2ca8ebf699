#include "request_target.hpp"

#include <campaign/id.hpp>

namespace campaign::detail {

std::optional<std::string> request_target(std::string_view prefix, std::string_view id) {
  if (!is_valid_id(id)) return std::nullopt;
  std::string target;
  target.reserve(prefix.size() + 11 + id.size());
  target.append(prefix).append("/campaigns/").append(id);
  return target;
}

}  // namespace campaign::detail
