// campaign/model.hpp: the campaign record of GET /campaigns/{id}.
//
// A Campaign is an immutable value. It owns the JSON text it was decoded
// from in one shared, read-only allocation; its string fields are views into
// that allocation, so copying a Campaign is cheap and every view stays valid
// for as long as any copy lives. Presence is part of the type: an absent or
// null field is std::nullopt, never 0 or "".
#pragma once

#include <campaign/error.hpp>
#include <campaign/rate_limit.hpp>
#include <campaign/schema.hpp>
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

namespace detail {
// How the model holds and returns a field of each kind (campaign/schema.hpp).
// Strings are views into the record's storage; data() == nullptr is absent.
template <class Kind>
struct FieldType;
template <>
struct FieldType<schema::key> {
  using stored = std::string_view;
  static std::string_view get(std::string_view v) noexcept { return v; }
};
template <>
struct FieldType<schema::text> {
  using stored = std::string_view;
  static std::optional<std::string_view> get(std::string_view v) noexcept {
    return v.data() ? std::optional<std::string_view>(v) : std::nullopt;
  }
};
template <class T>
struct OptionalField {
  using stored = std::optional<T>;
  static std::optional<T> get(const std::optional<T>& v) noexcept { return v; }
};
template <>
struct FieldType<schema::integer> : OptionalField<std::int64_t> {};
template <>
struct FieldType<schema::timestamp> : OptionalField<Timestamp> {};
// The value's JSON text as sent (whitespace included), a view like text.
template <>
struct FieldType<schema::raw> : FieldType<schema::text> {};
template <class Record>
struct RecordBuilder;
template <class Record>
struct Slots;
struct ResponseMeta;
}  // namespace detail

// retry_config: the members of CAMPAIGN_RETRY_FIELDS, max_retries and
// retry_interval_minutes.
struct RetryConfig {
#define CAMPAIGN_MODEL_MEMBER_(member, kind, ...) detail::FieldType<schema::kind>::stored member;
  CAMPAIGN_RETRY_FIELDS(CAMPAIGN_MODEL_MEMBER_)
#undef CAMPAIGN_MODEL_MEMBER_
  friend bool operator==(const RetryConfig&, const RetryConfig&) = default;
};

template <>
struct detail::FieldType<schema::retry> : detail::OptionalField<RetryConfig> {};

// The parts every record class (Campaign, CallLog) generates from its field
// list: one accessor and one member per field, and the storage the decoder
// fills. Kept defined for <campaign/call_log.hpp>.
#define CAMPAIGN_DETAIL_ACCESSOR(member, kind, ...)         \
  auto member() const noexcept {                            \
    return detail::FieldType<schema::kind>::get(member##_); \
  }
#define CAMPAIGN_DETAIL_MEMBER(member, kind, ...) detail::FieldType<schema::kind>::stored member##_;
#define CAMPAIGN_DETAIL_RECORD_STORAGE                               \
  template <class Record>                                            \
  friend struct detail::RecordBuilder;                               \
  template <class Record>                                            \
  friend struct detail::Slots;                                       \
  std::shared_ptr<const char[]> storage_; /* body + padding + unescaped strings */ \
  std::string_view json_;

class Campaign {
 public:
  // An empty record (id() is ""); real ones come from the decoder.
  Campaign() = default;

  // One accessor per field of CAMPAIGN_RECORD_FIELDS (campaign/schema.hpp):
  //   std::string_view id();  optional<string_view> org_id(), name(),
  //   agent_id(), from_phone_number(), status_text() (the status exactly as
  //   sent); optional<int64_t> max_concurrent_calls(), total_leads(),
  //   completed_calls(), pending_calls(); optional<Timestamp> scheduled_at(),
  //   created_at(); optional<RetryConfig> retry_config().
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_DETAIL_ACCESSOR)

  // The decoded state; Status::unknown (with status_text()) for new states.
  std::optional<Status> status() const noexcept;

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

  // --- Of the response it came in ---

  // The key's rate limit as last seen when this record arrived; absent for
  // a parsed record and when the server sends no X-RateLimit headers.
  std::optional<RateLimit> rate_limit() const noexcept { return rate_limit_; }

  // --- Raw access ---

  // The JSON text exactly as received (campaign::at_pointer(), in
  // <campaign/decode.hpp>, reads any value of it).
  std::string_view json() const noexcept { return json_; }

 private:
  CAMPAIGN_DETAIL_RECORD_STORAGE
  friend struct detail::ResponseMeta;
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_DETAIL_MEMBER)
  Status status_ = Status::unknown;
  std::optional<RateLimit> rate_limit_;
};

namespace detail {
// The client attaches what the response said beside the record.
struct ResponseMeta {
  static void set_rate_limit(Campaign& c, std::optional<RateLimit> r) noexcept { c.rate_limit_ = r; }
};
}  // namespace detail

}  // namespace campaign
