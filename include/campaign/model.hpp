// campaign/model.hpp: the campaign record of GET /campaigns/{id}.
//
// A Campaign is an immutable value. It owns the JSON text it was decoded
// from in one shared, read-only allocation; its string fields are views into
// that allocation, so copying a Campaign is cheap and every view stays valid
// for as long as any copy lives. Presence is part of the type: an absent or
// null field is std::nullopt, never 0 or "".
#pragma once

#include <campaign/error.hpp>
#include <campaign/timestamp.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace campaign {

// The lifecycle states of docs/api.md. A state the API adds later decodes as
// unknown, and the record keeps its text (Campaign::status_text()).
enum class Status : std::uint8_t {
  unknown = 0,
  draft = 1,
  active = 2,
  running = 3,
  paused = 4,
  completed = 5,
  cancelled = 6,
};

// "draft", ..., "cancelled"; "unknown" for Status::unknown.
std::string_view to_string(Status status) noexcept;
// Status::unknown for any text that is not one of the six states.
Status status_from_string(std::string_view text) noexcept;

struct RetryConfig {
  std::optional<std::int64_t> max_retries;
  std::optional<std::int64_t> retry_interval_minutes;
  friend bool operator==(const RetryConfig&, const RetryConfig&) = default;
};

namespace detail {
struct CampaignBuilder;
}

class Campaign {
 public:
  // An empty record (id() is ""); real ones come from the decoder.
  Campaign() = default;

  std::string_view id() const noexcept { return id_; }
  std::optional<std::string_view> org_id() const noexcept { return opt(org_id_); }
  std::optional<std::string_view> name() const noexcept { return opt(name_); }
  std::optional<std::string_view> agent_id() const noexcept { return opt(agent_id_); }
  std::optional<std::string_view> from_phone_number() const noexcept {
    return opt(from_phone_number_);
  }
  // The decoded state; Status::unknown with status_text() for new states.
  std::optional<Status> status() const noexcept;
  // The status exactly as the server sent it.
  std::optional<std::string_view> status_text() const noexcept { return opt(status_text_); }
  std::optional<std::int64_t> max_concurrent_calls() const noexcept {
    return max_concurrent_calls_;
  }
  std::optional<Timestamp> scheduled_at() const noexcept { return scheduled_at_; }
  std::optional<RetryConfig> retry_config() const noexcept { return retry_config_; }
  std::optional<std::int64_t> total_leads() const noexcept { return total_leads_; }
  std::optional<std::int64_t> completed_calls() const noexcept { return completed_calls_; }
  std::optional<std::int64_t> pending_calls() const noexcept { return pending_calls_; }
  std::optional<Timestamp> created_at() const noexcept { return created_at_; }

  // --- Derived values for dashboards and runbooks ---

  // completed_calls / total_leads, clamped to [0, 1]; nullopt when either is
  // absent or total_leads <= 0.
  std::optional<double> progress() const noexcept;
  // How long the pending calls take at the current concurrency, given an
  // average call duration: ceil(pending / concurrency) waves of avg_call.
  // 0 when nothing is pending; nullopt when pending_calls or
  // max_concurrent_calls is absent, concurrency <= 0, or avg_call < 0.
  std::optional<std::chrono::milliseconds> eta(std::chrono::milliseconds avg_call) const noexcept;
  // completed or cancelled: the campaign will not change any more.
  bool is_finished() const noexcept;

  // --- Raw access ---

  // The JSON text exactly as received (campaign::at_pointer(), in
  // <campaign/decode.hpp>, reads any value of it).
  std::string_view json() const noexcept { return json_; }

 private:
  friend struct detail::CampaignBuilder;
  static std::optional<std::string_view> opt(std::string_view v) noexcept {
    return v.data() ? std::optional<std::string_view>(v) : std::nullopt;
  }

  std::shared_ptr<const char[]> storage_;  // body + padding + unescaped strings
  std::string_view json_;
  std::string_view id_, org_id_, name_, agent_id_, from_phone_number_, status_text_;
  std::optional<std::int64_t> max_concurrent_calls_, total_leads_, completed_calls_,
      pending_calls_;
  std::optional<Timestamp> scheduled_at_, created_at_;
  std::optional<RetryConfig> retry_config_;
  Status status_ = Status::unknown;
};

}  // namespace campaign
