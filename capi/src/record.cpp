// campaign_record: a campaign::Campaign behind a C handle. Every string a
// getter returns points into the record's shared, immutable storage.
#include "shim.hpp"

#include <campaign/decode.hpp>
#include <campaign/encode.hpp>

#include <chrono>
#include <cstddef>
#include <algorithm>
#include <array>
#include <iterator>
#include <optional>

using campaign::capi::guarded;

namespace {

using campaign::Campaign;

// The C view of each field, generated from CAMPAIGN_RECORD_FIELDS and
// CAMPAIGN_RETRY_FIELDS (campaign/schema.hpp); campaign_field's numbers are
// static_asserted equal to the schema's in enums.cpp.

std::optional<std::int64_t> millis(std::optional<campaign::Timestamp> t) {
  if (!t) return std::nullopt;
  return t->time_since_epoch().count();
}

// Each model value as a C string, a C integer (timestamps as Unix ms), or
// neither (is_* false).
std::optional<std::string_view> as_str(std::string_view v, bool& is) { return is = true, v; }
std::optional<std::string_view> as_str(std::optional<std::string_view> v, bool& is) {
  return is = true, v;
}
template <class T>
std::optional<std::string_view> as_str(const T&, bool& is) {
  return is = false, std::nullopt;
}
std::optional<std::int64_t> as_int(std::optional<std::int64_t> v, bool& is) { return is = true, v; }
std::optional<std::int64_t> as_int(std::optional<campaign::Timestamp> t, bool& is) {
  return is = true, millis(t);
}
template <class T>
std::optional<std::int64_t> as_int(const T&, bool& is) {
  return is = false, std::nullopt;
}
bool present(std::string_view) { return true; }
template <class T>
bool present(const std::optional<T>& v) {
  return v.has_value();
}

std::optional<std::string_view> str_field(const Campaign& c, int field, bool& is_str) {
  switch (field) {
#define CAMPAIGN_C_STR_(member, kind, name, alias, C) \
  case CAMPAIGN_FIELD_##C: return as_str(c.member(), is_str);
    CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_STR_)
#undef CAMPAIGN_C_STR_
    default: is_str = false; return std::nullopt;
  }
}

std::optional<std::int64_t> int_field(const Campaign& c, int field, bool& is_int) {
  switch (field) {
#define CAMPAIGN_C_INT_(member, kind, name, alias, C) \
  case CAMPAIGN_FIELD_##C: return as_int(c.member(), is_int);
    CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_INT_)
#undef CAMPAIGN_C_INT_
#define CAMPAIGN_C_RETRY_INT_(member, kind, name, alias, C)                     \
  case CAMPAIGN_FIELD_RETRY_##C: {                                              \
    auto retry = c.retry_config();                                              \
    return as_int(retry ? retry->member : std::optional<std::int64_t>(), is_int); \
  }
    CAMPAIGN_RETRY_FIELDS(CAMPAIGN_C_RETRY_INT_)
#undef CAMPAIGN_C_RETRY_INT_
    default: is_int = false; return std::nullopt;
  }
}

bool has_field(const Campaign& c, int field) {
  switch (field) {
#define CAMPAIGN_C_HAS_(member, kind, name, alias, C) \
  case CAMPAIGN_FIELD_##C: return present(c.member());
    CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_HAS_)
#undef CAMPAIGN_C_HAS_
    default: {
      bool known = false;
      return int_field(c, field, known).has_value();  // retry_config's own
    }
  }
}

// Every campaign_field value, for the `present` bits.
constexpr int c_fields[] = {
#define CAMPAIGN_C_ENUM_(member, kind, name, alias, C) CAMPAIGN_FIELD_##C,
    CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_ENUM_)
#undef CAMPAIGN_C_ENUM_
#define CAMPAIGN_C_ENUM_(member, kind, name, alias, C) CAMPAIGN_FIELD_RETRY_##C,
    CAMPAIGN_RETRY_FIELDS(CAMPAIGN_C_ENUM_)
#undef CAMPAIGN_C_ENUM_
};

campaign_strview view(std::optional<std::string_view> s) {
  if (!s) return {nullptr, 0};
  return {s->data(), s->size()};
}

// campaign_fields' members by kind: strings and integers under the member's
// own name, timestamps as <member>_ms, retry_config as retry_<member>.
#define CAMPAIGN_C_FILL_key(f, c, member) f.member = view(c.member());
#define CAMPAIGN_C_FILL_text(f, c, member) f.member = view(c.member());
#define CAMPAIGN_C_FILL_integer(f, c, member) f.member = c.member().value_or(0);
#define CAMPAIGN_C_FILL_timestamp(f, c, member) f.member##_ms = millis(c.member()).value_or(0);
#define CAMPAIGN_C_FILL_retry(f, c, member) fill_retry(f, c.member());
#define CAMPAIGN_C_END_(m) offsetof(campaign_fields, m) + sizeof(campaign_fields::m),
#define CAMPAIGN_C_END_key(member) CAMPAIGN_C_END_(member)
#define CAMPAIGN_C_END_text(member) CAMPAIGN_C_END_(member)
#define CAMPAIGN_C_END_integer(member) CAMPAIGN_C_END_(member)
#define CAMPAIGN_C_END_timestamp(member) CAMPAIGN_C_END_(member##_ms)
#define CAMPAIGN_C_END_retry(member) CAMPAIGN_RETRY_FIELDS(CAMPAIGN_C_END_RETRY_)
#define CAMPAIGN_C_END_RETRY_(member, ...) CAMPAIGN_C_END_(CAMPAIGN_C_RETRY_MEMBER_(member))
// retry_config's members in campaign_fields, by the model's names.
#define CAMPAIGN_C_RETRY_MEMBER_(member) CAMPAIGN_C_RETRY_MEMBER_##member
#define CAMPAIGN_C_RETRY_MEMBER_max_retries retry_max_retries
#define CAMPAIGN_C_RETRY_MEMBER_retry_interval_minutes retry_interval_minutes

void fill_retry(campaign_fields& f, const std::optional<campaign::RetryConfig>& rc) {
#define CAMPAIGN_C_FILL_RETRY_(member, ...) \
  f.CAMPAIGN_C_RETRY_MEMBER_(member) = rc ? rc->member.value_or(0) : 0;
  CAMPAIGN_RETRY_FIELDS(CAMPAIGN_C_FILL_RETRY_)
#undef CAMPAIGN_C_FILL_RETRY_
}

// End offset of each member of campaign_fields, ascending: an older caller's
// smaller struct_size gets exactly the members that fit whole.
constexpr auto field_ends = [] {
  std::array ends{
      CAMPAIGN_C_END_(present) CAMPAIGN_C_END_(status) CAMPAIGN_C_END_(reserved0)
#define CAMPAIGN_C_END_FIELD_(member, kind, ...) CAMPAIGN_C_END_##kind(member)
          CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_END_FIELD_)
#undef CAMPAIGN_C_END_FIELD_
  };
  std::sort(ends.begin(), ends.end());
  return ends;
}();
static_assert(field_ends.back() == sizeof(campaign_fields),
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
  for (int i : c_fields)
    if (has_field(c, i)) f.present |= 1u << i;
  f.status = static_cast<std::int32_t>(c.status().value_or(campaign::Status::unknown));
#define CAMPAIGN_C_FILL_FIELD_(member, kind, ...) CAMPAIGN_C_FILL_##kind(f, c, member)
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_FILL_FIELD_)
#undef CAMPAIGN_C_FILL_FIELD_
  campaign::capi::copy_prefix(out, &f, out->struct_size, field_ends.data(), field_ends.size());
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
