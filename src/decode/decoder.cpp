// The record decoder: one forward pass over the object with simdjson On-Demand.
#include <campaign/decode.hpp>

#include "campaign_builder.hpp"
#include "json_walk.hpp"

#include <cstring>
#include <vector>

namespace campaign {
namespace {

using detail::CampaignBuilder;
using detail::WalkError;
using detail::WalkResult;
namespace od = simdjson::ondemand;

// The record's fields, in api.md order: the index is also the bit in `seen`.
enum Field : int {
  f_id, f_org_id, f_name, f_agent_id, f_from_phone_number, f_status, f_max_concurrent_calls,
  f_scheduled_at, f_retry_config, f_total_leads, f_completed_calls, f_pending_calls,
  f_created_at, f_unknown
};
constexpr std::string_view field_names[] = {
    "id", "org_id", "name", "agent_id", "from_phone_number", "status", "max_concurrent_calls",
    "scheduled_at", "retry_config", "total_leads", "completed_calls", "pending_calls",
    "created_at"};

Field field_of(std::string_view key) noexcept {
  for (int i = 0; i < f_unknown; ++i)
    if (field_names[i] == key) return static_cast<Field>(i);
  return f_unknown;
}

// Short enough for the small-string buffer: reporting it allocates nothing.
Error out_of_memory() { return make_error(ErrorKind::internal, "out of memory"); }

Error invalid(std::string message) { return make_error(ErrorKind::invalid_response, std::move(message)); }

Error invalid_field(std::string_view field, std::string_view what) {
  std::string m(field);
  m += ": ";
  m += what;
  return invalid(std::move(m));
}

Error from_walk(WalkResult r, std::string_view field = {}) {
  if (r.kind == WalkError::json && r.json == simdjson::MEMALLOC) return out_of_memory();
  std::string m;
  if (!field.empty()) {
    m += field;
    m += ": ";
  }
  if (r.kind == WalkError::json && r.json != simdjson::UTF8_ERROR &&
      r.json != simdjson::STRING_ERROR && r.json != simdjson::NUMBER_ERROR &&
      r.json != simdjson::DEPTH_ERROR && r.json != simdjson::EMPTY &&
      r.json != simdjson::UNESCAPED_CHARS) {
    m += "malformed JSON (";
    m += simdjson::error_message(r.json);
    m += ")";
  } else {
    m += detail::describe(r);
  }
  return invalid(std::move(m));
}

// The value's type, consuming it if it is null. nullopt: the value was null.
// Errors leave `err` set.
std::optional<od::json_type> type_or_null(od::value& v, WalkResult& err) {
  od::json_type t;
  if (auto e = v.type().get(t)) {
    err = WalkResult::from(e);
    return std::nullopt;
  }
  if (t != od::json_type::null) return t;
  bool is_null = false;
  if (auto e = v.is_null().get(is_null)) err = WalkResult::from(e);
  else if (!is_null) err = WalkResult::from(simdjson::N_ATOM_ERROR);
  return std::nullopt;
}

// Each reader returns an empty optional on success.
using Failure = std::optional<Error>;

Failure read_int(od::value& v, std::string_view name, std::optional<std::int64_t>& out) {
  WalkResult err;
  auto t = type_or_null(v, err);
  if (err) return from_walk(err, name);
  if (!t) return std::nullopt;
  if (*t != od::json_type::number) return invalid_field(name, "expected integer");
  std::string_view token = v.raw_json_token();
  std::int64_t n;
  auto e = v.get_int64().get(n);
  if (!e) {
    out = n;
    return std::nullopt;
  }
  // Tell "a number, but not an integer" from "an integer too big for 64 bits".
  bool digits_only = true;
  for (char c : token) {
    if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
    if (c == '.' || c == 'e' || c == 'E') return invalid_field(name, "expected integer");
    if (c != '-' && (c < '0' || c > '9')) digits_only = false;
  }
  if (digits_only && (e == simdjson::NUMBER_OUT_OF_RANGE || e == simdjson::INCORRECT_TYPE))
    return invalid_field(name, "integer out of range");
  return from_walk(WalkResult::from(e), name);
}

Failure read_str(od::value& v, std::string_view name, detail::FoundString& out,
                 std::string_view expected = "expected string") {
  WalkResult err;
  auto t = type_or_null(v, err);
  if (err) return from_walk(err, name);
  if (!t) return std::nullopt;
  if (*t != od::json_type::string) return invalid_field(name, expected);
  if (auto r = detail::read_string(v, out.text, out.in_input)) return from_walk(r, name);
  out.present = true;
  return std::nullopt;
}

Failure read_time(od::value& v, std::string_view name, std::optional<Timestamp>& out) {
  detail::FoundString s;
  constexpr std::string_view expected = "expected RFC 3339 timestamp";
  if (auto f = read_str(v, name, s, expected)) return f;
  if (!s.present) return std::nullopt;
  out = parse_rfc3339(s.text);
  if (!out) return invalid_field(name, expected);
  return std::nullopt;
}

Failure read_retry_config(od::value& v, std::optional<RetryConfig>& out) {
  constexpr std::string_view name = "retry_config";
  WalkResult err;
  auto t = type_or_null(v, err);
  if (err) return from_walk(err, name);
  if (!t) return std::nullopt;
  if (*t != od::json_type::object) return invalid_field(name, "expected object");
  od::object obj;
  if (auto e = v.get_object().get(obj)) return from_walk(WalkResult::from(e), name);
  RetryConfig rc;
  bool seen_retries = false, seen_interval = false;
  for (auto f : obj) {
    od::field field;
    if (auto e = std::move(f).get(field)) return from_walk(WalkResult::from(e), name);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return from_walk(WalkResult::from(e), name);
    od::value value = field.value();
    if (key == "max_retries") {
      if (seen_retries) return invalid("retry_config.max_retries: duplicate field");
      seen_retries = true;
      if (auto fl = read_int(value, "retry_config.max_retries", rc.max_retries)) return fl;
    } else if (key == "retry_interval_minutes") {
      if (seen_interval) return invalid("retry_config.retry_interval_minutes: duplicate field");
      seen_interval = true;
      if (auto fl = read_int(value, "retry_config.retry_interval_minutes", rc.retry_interval_minutes))
        return fl;
    } else if (auto r = detail::skip_value(value, 3)) {
      return from_walk(r, name);
    }
  }
  out = rc;
  return std::nullopt;
}

// simdjson 3.0.1's ondemand::parser::allocate() does not check that its
// string buffer (a nothrow new) was allocated and reports SUCCESS; the next
// string then writes through a null pointer. The decoder grows the parser
// itself and checks the buffer, reached through the standard's explicit-
// instantiation access rule (the member is private).
using StringBuf = std::unique_ptr<std::uint8_t[]> od::parser::*;
StringBuf string_buf_member();
template <StringBuf Member>
struct StringBufAccess {
  friend StringBuf string_buf_member() { return Member; }
};
template struct StringBufAccess<&od::parser::string_buf>;

}  // namespace

struct Decoder::Impl {
  od::parser parser;
  std::vector<char> scratch;  // padded copy for callers without padding

  Result<Campaign> run(const char* data, std::size_t size, std::size_t capacity);
  bool reserve(std::size_t size);
};

bool Decoder::Impl::reserve(std::size_t size) {
  if (size <= parser.capacity() && parser.*string_buf_member()) return true;
  if (parser.allocate(std::max<std::size_t>(size, 4096)) != simdjson::SUCCESS || !(parser.*string_buf_member())) {
    parser = od::parser{};  // drop the half-made state
    return false;
  }
  return true;
}

Result<Campaign> Decoder::Impl::run(const char* data, std::size_t size, std::size_t capacity) {
  if (!reserve(size)) return out_of_memory();
  od::document doc;
  if (auto e = parser.iterate(data, size, capacity).get(doc))
    return from_walk(WalkResult::from(e));
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE) return invalid("expected a JSON object");
    return from_walk(WalkResult::from(e));
  }

  CampaignBuilder b;
  std::uint32_t seen = 0;
  for (auto f : obj) {
    od::field field;
    if (auto e = std::move(f).get(field)) return from_walk(WalkResult::from(e));
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return from_walk(WalkResult::from(e));
    od::value v = field.value();
    Field which = field_of(key);
    if (which == f_unknown) {
      if (auto r = detail::skip_value(v, 2)) return from_walk(r);
      continue;
    }
    std::string_view name = field_names[which];
    if (seen & (1u << which)) return invalid_field(name, "duplicate field");
    seen |= 1u << which;

    Failure fail;
    switch (which) {
      case f_id: fail = read_str(v, name, b.strings[CampaignBuilder::id]); break;
      case f_org_id: fail = read_str(v, name, b.strings[CampaignBuilder::org_id]); break;
      case f_name: fail = read_str(v, name, b.strings[CampaignBuilder::name]); break;
      case f_agent_id: fail = read_str(v, name, b.strings[CampaignBuilder::agent_id]); break;
      case f_from_phone_number:
        fail = read_str(v, name, b.strings[CampaignBuilder::from_phone_number]);
        break;
      case f_status: fail = read_str(v, name, b.strings[CampaignBuilder::status]); break;
      case f_max_concurrent_calls: fail = read_int(v, name, b.max_concurrent_calls); break;
      case f_scheduled_at: fail = read_time(v, name, b.scheduled_at); break;
      case f_retry_config: fail = read_retry_config(v, b.retry_config); break;
      case f_total_leads: fail = read_int(v, name, b.total_leads); break;
      case f_completed_calls: fail = read_int(v, name, b.completed_calls); break;
      case f_pending_calls: fail = read_int(v, name, b.pending_calls); break;
      case f_created_at: fail = read_time(v, name, b.created_at); break;
      case f_unknown: break;
    }
    if (fail) return std::move(*fail);
  }
  if (!detail::at_end(doc)) return invalid("trailing content after the record");
  if (!b.strings[CampaignBuilder::id].present) {
    return invalid((seen & (1u << f_id)) ? "id: expected string" : "id: missing required field");
  }
  return b.build(data, size, simdjson::SIMDJSON_PADDING);
}

std::size_t decode_padding() noexcept { return simdjson::SIMDJSON_PADDING; }

Decoder::Decoder() : impl_(std::make_unique<Impl>()) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Result<Campaign> Decoder::decode(std::string_view json) try {
  auto& scratch = impl_->scratch;
  if (scratch.size() < json.size() + simdjson::SIMDJSON_PADDING) scratch.resize(json.size() + simdjson::SIMDJSON_PADDING);
  if (!json.empty()) std::memcpy(scratch.data(), json.data(), json.size());
  std::memset(scratch.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return impl_->run(scratch.data(), json.size(), scratch.size());
} catch (const std::bad_alloc&) {
  return out_of_memory();
}

Result<Campaign> Decoder::decode_padded(const char* data, std::size_t size, std::size_t capacity) try {
  if (capacity < size || capacity - size < simdjson::SIMDJSON_PADDING) return decode({data, size});
  return impl_->run(data, size, capacity);
} catch (const std::bad_alloc&) {
  return out_of_memory();
}

Result<Campaign> parse(std::string_view json) try {
  thread_local Decoder decoder;
  return decoder.decode(json);
} catch (const std::bad_alloc&) {  // the thread's decoder itself could not be made
  return out_of_memory();
}

}  // namespace campaign
