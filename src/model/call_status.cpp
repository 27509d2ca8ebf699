#include <campaign/call_log.hpp>

#include <array>

namespace campaign {
namespace {
// Indexed by CallStatus; unknown last.
constexpr std::array<std::string_view, 12> call_status_names = {
    "created", "initiated", "sent",      "received",  "completed",     "did_not_pick",
    "busy",    "no_answer", "failed",    "cancelled", "retry_expired", "unknown"};
constexpr auto unknown_index = static_cast<std::size_t>(CallStatus::unknown);
static_assert(unknown_index + 1 == call_status_names.size());
}  // namespace

std::string_view to_string(CallStatus status) noexcept {
  auto i = static_cast<std::size_t>(status);
  return i < call_status_names.size() ? call_status_names[i] : call_status_names[unknown_index];
}

CallStatus call_status_from_string(std::string_view text) noexcept {
  for (std::size_t i = 0; i < unknown_index; ++i)
    if (call_status_names[i] == text) return static_cast<CallStatus>(i);
  return CallStatus::unknown;
}

}  // namespace campaign
