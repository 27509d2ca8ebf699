// campaign_record: a campaign::Campaign behind a C handle. Every string a
// getter returns points into the record's shared, immutable storage.
#include "shim.hpp"

#include <campaign/decode.hpp>
#include <campaign/encode.hpp>

#include <chrono>
#include <cstddef>
#include <iterator>
#include <optional>

using campaign::capi::guarded;

namespace {

using campaign::Campaign;

std::optional<std::string_view> str_field(const Campaign& c, int field, bool& is_str) {
  is_str = true;
  switch (field) {
    case CAMPAIGN_FIELD_ID: return c.id();
    case CAMPAIGN_FIELD_ORG_ID: return c.org_id();
    case CAMPAIGN_FIELD_NAME: return c.name();
    case CAMPAIGN_FIELD_AGENT_ID: return c.agent_id();
    case CAMPAIGN_FIELD_FROM_PHONE_NUMBER: return c.from_phone_number();
    case CAMPAIGN_FIELD_STATUS: return c.status_text();
    default: is_str = false; return std::nullopt;
  }
}

std::optional<std::int64_t> millis(std::optional<campaign::Timestamp> t) {
  if (!t) return std::nullopt;
  return t->time_since_epoch().count();
}

std::optional<std::int64_t> int_field(const Campaign& c, int field, bool& is_int) {
  is_int = true;
  auto retry = c.retry_config();
  switch (field) {
    case CAMPAIGN_FIELD_MAX_CONCURRENT_CALLS: return c.max_concurrent_calls();
    case CAMPAIGN_FIELD_TOTAL_LEADS: return c.total_leads();
    case CAMPAIGN_FIELD_COMPLETED_CALLS: return c.completed_calls();
    case CAMPAIGN_FIELD_PENDING_CALLS: return c.pending_calls();
    case CAMPAIGN_FIELD_SCHEDULED_AT: return millis(c.scheduled_at());
    case CAMPAIGN_FIELD_CREATED_AT: return millis(c.created_at());
    case CAMPAIGN_FIELD_RETRY_MAX_RETRIES: return retry ? retry->max_retries : std::nullopt;
    case CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES:
      return retry ? retry->retry_interval_minutes : std::nullopt;
    default: is_int = false; return std::nullopt;
  }
}

bool has_field(const Campaign& c, int field) {
  if (field == CAMPAIGN_FIELD_RETRY_CONFIG) return c.retry_config().has_value();
  bool known = false;
  if (auto s = str_field(c, field, known); known) return s.has_value();
  if (auto i = int_field(c, field, known); known) return i.has_value();
  return false;
}

campaign_strview view(std::optional<std::string_view> s) {
  if (!s) return {nullptr, 0};
  return {s->data(), s->size()};
}

std::int64_t value_or_zero(std::optional<std::int64_t> v) { return v.value_or(0); }

// End offset of each member of campaign_fields, in order: an older caller's
// smaller struct_size gets exactly the members that fit whole.
constexpr std::size_t field_ends[] = {
#define END(m) offsetof(campaign_fields, m) + sizeof(campaign_fields::m)
    END(present),           END(status),          END(reserved0),       END(id),
    END(org_id),            END(name),            END(agent_id),        END(from_phone_number),
    END(status_text),       END(max_concurrent_calls), END(scheduled_at_ms), END(total_leads),
    END(completed_calls),   END(pending_calls),   END(created_at_ms),   END(retry_max_retries),
    END(retry_interval_minutes),
#undef END
};
static_assert(field_ends[std::size(field_ends) - 1] == sizeof(campaign_fields),
              "every member of campaign_fields is listed");

}  // namespace

namespace campaign::capi {

void copy_prefix(void* out, const void* full, std::size_t size, const std::size_t* ends,
                 std::size_t n_ends) noexcept {
  std::size_t fit = sizeof(std::uint32_t);
  for (std::size_t i = 0; i < n_ends && ends[i] <= size; ++i) fit = ends[i];
  std::memcpy(static_cast<char*>(out) + sizeof(std::uint32_t),
              static_cast<const char*>(full) + sizeof(std::uint32_t), fit - sizeof(std::uint32_t));
}

}  // namespace campaign::capi

extern "C" {

int campaign_record_parse(const char* json, size_t len, campaign_record** out,
                          campaign_error** err) noexcept {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  if (!out || (!json && len != 0)) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    auto r = campaign::parse(std::string_view(json ? json : "", len));
    if (!r) return campaign::capi::fail(err, std::move(r.error()));
    *out = new campaign_record{std::move(*r)};
    return CAMPAIGN_OK;
  });
}

void campaign_record_free(campaign_record* rec) noexcept { delete rec; }

int campaign_record_has(const campaign_record* rec, int field) noexcept {
  return rec && has_field(rec->c, field) ? 1 : 0;
}

int campaign_record_get_str(const campaign_record* rec, int field, const char** ptr,
                            size_t* len) noexcept {
  if (!rec || !ptr || !len) return CAMPAIGN_E_NULL_ARGUMENT;
  bool is_str = false;
  auto s = str_field(rec->c, field, is_str);
  if (!is_str) return CAMPAIGN_E_INVALID_ARGUMENT;
  if (!s) return CAMPAIGN_E_ABSENT;
  *ptr = s->data();
  *len = s->size();
  return CAMPAIGN_OK;
}

int campaign_record_get_int(const campaign_record* rec, int field, int64_t* out) noexcept {
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  bool is_int = false;
  auto v = int_field(rec->c, field, is_int);
  if (!is_int) return CAMPAIGN_E_INVALID_ARGUMENT;
  if (!v) return CAMPAIGN_E_ABSENT;
  *out = *v;
  return CAMPAIGN_OK;
}

int campaign_record_status(const campaign_record* rec, int* out) noexcept {
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  auto s = rec->c.status();
  if (!s) return CAMPAIGN_E_ABSENT;
  *out = static_cast<int>(*s);
  return CAMPAIGN_OK;
}

int campaign_record_fields(const campaign_record* rec, campaign_fields* out) noexcept {
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  // struct_size and present are the least any version of the struct has.
  if (out->struct_size < field_ends[0]) return CAMPAIGN_E_INVALID_ARGUMENT;
  const Campaign& c = rec->c;
  campaign_fields f{};
  for (int i = CAMPAIGN_FIELD_ID; i <= CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES; ++i)
    if (has_field(c, i)) f.present |= 1u << i;
  f.status = static_cast<std::int32_t>(c.status().value_or(campaign::Status::unknown));
  f.id = view(c.id());
  f.org_id = view(c.org_id());
  f.name = view(c.name());
  f.agent_id = view(c.agent_id());
  f.from_phone_number = view(c.from_phone_number());
  f.status_text = view(c.status_text());
  bool known = false;
  f.max_concurrent_calls = value_or_zero(c.max_concurrent_calls());
  f.scheduled_at_ms = value_or_zero(int_field(c, CAMPAIGN_FIELD_SCHEDULED_AT, known));
  f.total_leads = value_or_zero(c.total_leads());
  f.completed_calls = value_or_zero(c.completed_calls());
  f.pending_calls = value_or_zero(c.pending_calls());
  f.created_at_ms = value_or_zero(int_field(c, CAMPAIGN_FIELD_CREATED_AT, known));
  f.retry_max_retries = value_or_zero(int_field(c, CAMPAIGN_FIELD_RETRY_MAX_RETRIES, known));
  f.retry_interval_minutes =
      value_or_zero(int_field(c, CAMPAIGN_FIELD_RETRY_INTERVAL_MINUTES, known));
  campaign::capi::copy_prefix(out, &f, out->struct_size, field_ends, std::size(field_ends));
  return CAMPAIGN_OK;
}

int campaign_record_progress(const campaign_record* rec, double* out) noexcept {
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  auto p = rec->c.progress();
  if (!p) return CAMPAIGN_E_ABSENT;
  *out = *p;
  return CAMPAIGN_OK;
}

int campaign_record_eta_ms(const campaign_record* rec, int64_t avg_call_ms, int64_t* out) noexcept {
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  auto eta = rec->c.eta(std::chrono::milliseconds(avg_call_ms));
  if (!eta) return CAMPAIGN_E_ABSENT;
  *out = static_cast<int64_t>(eta->count());
  return CAMPAIGN_OK;
}

int campaign_record_to_json(const campaign_record* rec, char** out, size_t* len) noexcept {
  if (out) *out = nullptr;
  if (!rec || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    *out = campaign::capi::malloc_copy(campaign::to_json(rec->c), len);
    return CAMPAIGN_OK;
  });
}

const char* campaign_record_raw_json(const campaign_record* rec, size_t* len) noexcept {
  std::string_view j = rec ? rec->c.json() : std::string_view();
  if (len) *len = j.size();
  return j.data() ? j.data() : "";
}

int campaign_record_at_pointer(const campaign_record* rec, const char* pointer, char** out,
                               size_t* len) noexcept {
  if (out) *out = nullptr;
  if (!rec || !pointer || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    auto r = campaign::at_pointer(rec->c, pointer);
    if (!r) {
      switch (r.error().kind) {
        case campaign::ErrorKind::invalid_argument: return CAMPAIGN_E_INVALID_ARGUMENT;
        case campaign::ErrorKind::not_found: return CAMPAIGN_E_ABSENT;
        default: return CAMPAIGN_E_INTERNAL;
      }
    }
    *out = campaign::capi::malloc_copy(*r, len);
    return CAMPAIGN_OK;
  });
}

}  // extern "C"
