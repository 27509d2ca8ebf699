// campaign/schema.hpp: the fields of the campaign record and the call log, listed once.
//
// Everything that walks the record's fields is generated from these lists:
// the Campaign members and accessors (model.hpp), the decoder's key dispatch
// and slots, the canonical JSON order, and the C ABI's field tables (whose
// campaign_field numbers are static_asserted against CampaignField). Adding
// a field is one line here, then a CAMPAIGN_FIELD_x and a campaign_fields
// member appended in campaign.h and each binding's accessor.
//
// X(member, kind, "JSON name", "other JSON name or empty", C suffix)
//   member  the accessor's name (and the campaign_fields member's)
//   kind    a tag of campaign::schema below: how the value is typed
//   names   the name of docs/api.md, and the live API's spelling of the same
//           field (api.md, "Dialect"): either fills the member; both with
//           different values is invalid_response naming the first
//   suffix  the C enum CAMPAIGN_FIELD_<suffix>
// The order is docs/api.md's: canonical JSON and the C enum follow it.
#pragma once

#include <cstdint>

#define CAMPAIGN_RECORD_FIELDS(X)                                                             \
  X(id, key, "id", "", ID)                                                                    \
  X(org_id, text, "org_id", "organization_id", ORG_ID)                                        \
  X(name, text, "name", "", NAME)                                                             \
  X(agent_id, text, "agent_id", "", AGENT_ID)                                                 \
  X(from_phone_number, text, "from_phone_number", "", FROM_PHONE_NUMBER)                      \
  X(status_text, text, "status", "", STATUS) /* raw; Campaign::status() decodes it */         \
  X(max_concurrent_calls, integer, "max_concurrent_calls", "", MAX_CONCURRENT_CALLS)          \
  X(scheduled_at, timestamp, "scheduled_at", "", SCHEDULED_AT)                                \
  X(retry_config, retry, "retry_config", "", RETRY_CONFIG) /* CAMPAIGN_RETRY_FIELDS */        \
  X(total_leads, integer, "total_leads", "", TOTAL_LEADS)                                     \
  X(completed_calls, integer, "completed_calls", "", COMPLETED_CALLS)                         \
  X(pending_calls, integer, "pending_calls", "", PENDING_CALLS)                               \
  X(created_at, timestamp, "created_at", "", CREATED_AT)

// A call log of GET /call-logs/campaign/{id} (docs/api.md, "Calls by
// campaign"), the same columns. The C suffixes are reserved for a C ABI.
#define CAMPAIGN_CALL_LOG_FIELDS(X)                                                          \
  X(id, key, "id", "", ID)                                                                   \
  X(call_id, text, "call_id", "", CALL_ID)                                                   \
  X(campaign_id, text, "campaign_id", "", CAMPAIGN_ID)                                       \
  X(agent_id, text, "agent_id", "", AGENT_ID)                                                \
  X(status_text, text, "status", "", STATUS) /* raw; CallLog::status() decodes it */         \
  X(end_reason, text, "end_reason", "", END_REASON)                                          \
  X(sentiment, text, "sentiment", "", SENTIMENT)                                             \
  X(duration_seconds, integer, "duration_seconds", "duration_sec", DURATION_SECONDS)         \
  X(recording_url, text, "recording_url", "", RECORDING_URL)                                 \
  X(analysis, raw, "analysis", "", ANALYSIS)                                                 \
  X(created_at, timestamp, "created_at", "", CREATED_AT)

// retry_config's own fields, the same columns; their C enums
// (CAMPAIGN_FIELD_RETRY_<suffix>) follow the record's.
#define CAMPAIGN_RETRY_FIELDS(X)                       \
  X(max_retries, integer, "max_retries", "", MAX_RETRIES) \
  X(retry_interval_minutes, integer, "retry_interval_minutes", "", INTERVAL_MINUTES)

namespace campaign {

// The kinds of field. Each layer maps a kind to its own type: the model to
// the value it returns, the decoder to its reader, the C ABI to its member.
namespace schema {
struct key {};        // a required string (the record's identity)
struct text {};       // an optional string
struct integer {};    // an optional int64, strict (no fractions, no strings)
struct timestamp {};  // an optional RFC 3339 time
struct retry {};      // an optional RetryConfig object
struct raw {};        // any JSON value, kept as its text (null: absent)
}  // namespace schema

// One number per field, in list order (the C enum's values).
enum class CampaignField : std::uint8_t {
#define CAMPAIGN_SCHEMA_ENUM_(member, ...) member,
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_SCHEMA_ENUM_)
#undef CAMPAIGN_SCHEMA_ENUM_
      count
};

enum class CallLogField : std::uint8_t {
#define CAMPAIGN_SCHEMA_ENUM_(member, ...) member,
  CAMPAIGN_CALL_LOG_FIELDS(CAMPAIGN_SCHEMA_ENUM_)
#undef CAMPAIGN_SCHEMA_ENUM_
      count
};

enum class RetryField : std::uint8_t {
#define CAMPAIGN_SCHEMA_ENUM_(member, ...) member,
  CAMPAIGN_RETRY_FIELDS(CAMPAIGN_SCHEMA_ENUM_)
#undef CAMPAIGN_SCHEMA_ENUM_
      count
};

}  // namespace campaign
