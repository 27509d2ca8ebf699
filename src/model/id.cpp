#include <campaign/id.hpp>

namespace campaign {

bool is_valid_id(std::string_view id) noexcept {
  // 128: the longest ID the API documents; longer ones never reach a path.
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace campaign
