// Private: the API key never leaves in text the library produces.
#pragma once

#include <string>

namespace campaign::detail {

// Replaces every occurrence of `secret` in s with "***".
inline void redact(std::string& s, const std::string& secret) {
  if (secret.empty()) return;
  for (auto pos = s.find(secret); pos != std::string::npos; pos = s.find(secret, pos + 3))
    s.replace(pos, secret.size(), "***");
}

}  // namespace campaign::detail
