#include "request_target.hpp"

#include <campaign/id.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace campaign::detail {

std::optional<std::string> request_target(std::string_view prefix, std::string_view id) {
  if (!is_valid_id(id)) return std::nullopt;
  std::string target;
  target.reserve(prefix.size() + 11 + id.size());
  target.append(prefix).append("/campaigns/").append(id);
  return target;
}

std::optional<std::string> call_logs_path(std::string_view id) {
  if (!is_valid_id(id)) return std::nullopt;
  return "/call-logs/campaign/" + std::string(id);
}

std::string list_target(std::string_view prefix, std::string_view path, std::uint64_t page,
                        std::uint64_t limit, const QueryParams& params) {
  std::string target;
  target.append(prefix).append(path);
  target.append("?page=").append(std::to_string(page));
  target.append("&limit=").append(std::to_string(limit));
  for (const auto& [name, value] : params) {
    target += '&';
    target += boost::urls::encode(name, boost::urls::unreserved_chars);
    target += '=';
    target += boost::urls::encode(value, boost::urls::unreserved_chars);
  }
  return target;
}

}  // namespace campaign::detail
