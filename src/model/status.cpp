#include <campaign/model.hpp>

#include <array>

namespace campaign {
namespace {
constexpr std::array<std::string_view, 7> status_names = {
    "unknown", "draft", "active", "running", "paused", "completed", "cancelled"};
}

std::string_view to_string(Status status) noexcept {
  auto i = static_cast<std::size_t>(status);
  return i < status_names.size() ? status_names[i] : status_names[0];
}

Status status_from_string(std::string_view text) noexcept {
  for (std::size_t i = 1; i < status_names.size(); ++i)
    if (status_names[i] == text) return static_cast<Status>(i);
  return Status::unknown;
}

}  // namespace campaign
