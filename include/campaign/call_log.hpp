// campaign/call_log.hpp: one call log of GET /call-logs/campaign/{id}.
//
// A CallLog is an immutable value held like a Campaign (campaign/model.hpp):
// one shared allocation with its JSON text, string fields as views into it,
// absent and null fields as std::nullopt.
#pragma once

#include <campaign/model.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace campaign {

// The call states of docs/api.md. A state the API adds later decodes as
// unknown, and the log keeps its text (CallLog::status_text()).
enum class CallStatus : std::uint8_t {
  created,
  initiated,
  sent,
  received,
  completed,
  did_not_pick,
  busy,
  no_answer,
  failed,
  cancelled,
  retry_expired,
  unknown,
};

// "created", ..., "retry_expired"; "unknown" for CallStatus::unknown.
std::string_view to_string(CallStatus status) noexcept;
// CallStatus::unknown for any text that is not one of the eleven states.
CallStatus call_status_from_string(std::string_view text) noexcept;

class CallLog {
 public:
  // An empty log (id() is ""); real ones come from the decoder.
  CallLog() = default;

  // One accessor per field of CAMPAIGN_CALL_LOG_FIELDS (campaign/schema.hpp):
  //   std::string_view id();  optional<string_view> call_id(), campaign_id(),
  //   agent_id(), status_text() (exactly as sent), end_reason(), sentiment(),
  //   recording_url(), analysis() (its JSON text as sent; null is absent);
  //   optional<int64_t> duration_seconds(); optional<Timestamp> created_at().
  CAMPAIGN_CALL_LOG_FIELDS(CAMPAIGN_DETAIL_ACCESSOR)

  // The decoded state; CallStatus::unknown (with status_text()) for new states.
  std::optional<CallStatus> status() const noexcept {
    if (!status_text_.data()) return std::nullopt;
    return status_;
  }

  // The JSON text exactly as received (campaign::at_pointer(), in
  // <campaign/decode.hpp>, reads any value of it: "/analysis/summary").
  std::string_view json() const noexcept { return json_; }

 private:
  CAMPAIGN_DETAIL_RECORD_STORAGE
  CAMPAIGN_CALL_LOG_FIELDS(CAMPAIGN_DETAIL_MEMBER)
  CallStatus status_ = CallStatus::unknown;
};

}  // namespace campaign
