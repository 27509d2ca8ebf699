// Derived values of the record; everything else is inline in model.hpp.
#include <campaign/model.hpp>

#include <algorithm>
#include <limits>

namespace campaign {

std::optional<Status> Campaign::status() const noexcept {
  if (!status_text_.data()) return std::nullopt;
  return status_;
}

std::optional<double> Campaign::progress() const noexcept {
  if (!completed_calls_ || !total_leads_ || *total_leads_ <= 0) return std::nullopt;
  double p = static_cast<double>(*completed_calls_) / static_cast<double>(*total_leads_);
  return std::clamp(p, 0.0, 1.0);
}

std::optional<std::chrono::milliseconds> Campaign::eta(
    std::chrono::milliseconds avg_call) const noexcept {
  if (!pending_calls_ || !max_concurrent_calls_ || *max_concurrent_calls_ <= 0 ||
      avg_call.count() < 0)
    return std::nullopt;
  std::int64_t pending = std::max<std::int64_t>(*pending_calls_, 0);
  std::int64_t conc = *max_concurrent_calls_;
  std::int64_t waves = pending / conc + (pending % conc != 0 ? 1 : 0);
  // Saturate rather than overflow for absurd inputs.
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (avg_call.count() != 0 && waves > max / avg_call.count())
    return std::chrono::milliseconds(max);
  return std::chrono::milliseconds(waves * avg_call.count());
}

bool Campaign::is_finished() const noexcept {
  auto s = status();
  return s && (*s == Status::completed || *s == Status::cancelled);
}

}  // namespace campaign
