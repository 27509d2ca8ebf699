// The record decoder: one forward pass over the object with simdjson On-Demand.
#include <campaign/decode.hpp>

#include "campaign_builder.hpp"
#include "json_walk.hpp"
#include "parser_alloc.hpp"

#include <cstdint>
#include <cstring>
#include <iterator>
#include <vector>

namespace campaign {
namespace {

using detail::CampaignBuilder;
using detail::WalkError;
using detail::WalkResult;
namespace od = simdjson::ondemand;

// The record's fields, in docs/api.md order: the index is also the bit in `seen`.
enum Field : int {
  f_id, f_org_id, f_name, f_agent_id, f_from_phone_number, f_status, f_max_concurrent_calls,
  f_scheduled_at, f_retry_config, f_total_leads, f_completed_calls, f_pending_calls,
  f_created_at, f_unknown
};
constexpr std::string_view field_names[] = {
    "id", "org_id", "name", "agent_id", "from_phone_number", "status", "max_concurrent_calls",
    "scheduled_at", "retry_config", "total_leads", "completed_calls", "pending_calls",
    "created_at"};
static_assert(int{f_id} == CampaignBuilder::id && int{f_org_id} == CampaignBuilder::org_id &&
              int{f_name} == CampaignBuilder::name && int{f_agent_id} == CampaignBuilder::agent_id &&
              int{f_from_phone_number} == CampaignBuilder::from_phone_number &&
              int{f_status} == CampaignBuilder::status);

// The names again, zero-padded to three words for same_key().
struct PaddedName {
  char text[24];
};
constexpr PaddedName padded_names[] = {
    {"id"}, {"org_id"}, {"name"}, {"agent_id"}, {"from_phone_number"}, {"status"},
    {"max_concurrent_calls"}, {"scheduled_at"}, {"retry_config"}, {"total_leads"},
    {"completed_calls"}, {"pending_calls"}, {"created_at"}};

// key == name for a key of at most 20 bytes, three words compared without a
// branch. The key lies in a padded document (or the parser's larger string
// buffer), so reading 24 bytes from it stays in bounds; bytes past the key
// are masked out.
bool same_key(std::string_view key, const PaddedName& name) noexcept {
  std::uint64_t k[3], n[3];
  std::memcpy(k, key.data(), sizeof k);
  std::memcpy(n, name.text, sizeof n);
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    std::size_t left = key.size() > 8 * i ? key.size() - 8 * i : 0;
    std::uint64_t mask = left >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * left)) - 1;
    diff |= (k[i] ^ n[i]) & mask;
  }
  return diff == 0;
}

// Field by key: the length picks one candidate (two for lengths 6 and 12),
// then one comparison. Field order in a record is arbitrary, so a table
// beats a chain of comparisons that mispredicts on every field.
Field field_of(std::string_view key) noexcept {
  static constexpr signed char by_length[21] = {
      -1, -1, f_id, -1, f_name, -1, f_org_id, -1, f_agent_id, -1, f_created_at,
      f_total_leads, f_scheduled_at, f_pending_calls, -1, f_completed_calls, -1,
      f_from_phone_number, -1, -1, f_max_concurrent_calls};
  if (key.size() >= std::size(by_length)) return f_unknown;
  int f = by_length[key.size()];
  if (f < 0) return f_unknown;
  if (f == f_org_id && key[0] == 's') f = f_status;
  else if (f == f_scheduled_at && key[0] == 'r') f = f_retry_config;
  return same_key(key, padded_names[f]) ? static_cast<Field>(f) : f_unknown;
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
  const simdjson::error_code json = r.json();
  if (r.kind() == WalkError::json && json == simdjson::MEMALLOC) return out_of_memory();
  std::string m;
  if (!field.empty()) {
    m += field;
    m += ": ";
  }
  if (r.kind() == WalkError::json && json != simdjson::UTF8_ERROR &&
      json != simdjson::STRING_ERROR && json != simdjson::NUMBER_ERROR &&
      json != simdjson::DEPTH_ERROR && json != simdjson::EMPTY &&
      json != simdjson::UNESCAPED_CHARS) {
    m += "malformed JSON (";
    m += simdjson::error_message(json);
    m += ")";
  } else {
    m += detail::describe(r);
  }
  return invalid(std::move(m));
}

// What went wrong, kept small and trivially copyable while walking; the
// Error (with its message) is made once, on the way out.
enum class Problem : std::uint8_t {
  none, walk, expected_integer, out_of_range, expected_string, expected_time, expected_object,
  duplicate
};
// One word, like WalkResult: the problem above the walk's bits.
class Outcome {
 public:
  constexpr Outcome() noexcept = default;
  constexpr Outcome(Problem p, WalkResult walk) noexcept
      : bits_(static_cast<std::uint32_t>(p) << 24 | walk.bits()) {}
  constexpr Problem problem() const noexcept { return static_cast<Problem>(bits_ >> 24); }
  constexpr WalkResult walk() const noexcept { return WalkResult::from_bits(bits_ & 0xffffff); }
  constexpr explicit operator bool() const noexcept { return bits_ != 0; }

 private:
  std::uint32_t bits_ = 0;
};
Outcome walk_failed(WalkResult r) noexcept { return {Problem::walk, r}; }
Outcome failed(Problem p) noexcept { return {p, {}}; }

Error to_error(Outcome o, std::string_view field) {
  switch (o.problem()) {
    case Problem::none:
    case Problem::walk: return from_walk(o.walk(), field);
    case Problem::expected_integer: return invalid_field(field, "expected integer");
    case Problem::out_of_range: return invalid_field(field, "integer out of range");
    case Problem::expected_string: return invalid_field(field, "expected string");
    case Problem::expected_time: return invalid_field(field, "expected RFC 3339 timestamp");
    case Problem::expected_object: return invalid_field(field, "expected object");
    case Problem::duplicate: return invalid_field(field, "duplicate field");
  }
  return from_walk(o.walk(), field);
}

bool is_null_token(std::string_view token) noexcept { return token == "null"; }

// A null token other than "null" ("nul", "nullx") is malformed JSON.
Outcome bad_null() noexcept { return walk_failed(WalkResult::from(simdjson::N_ATOM_ERROR)); }

// Readers leave `out` as it is for null.
Outcome read_int(od::value& v, std::optional<std::int64_t>& out) noexcept {
  std::string_view token = detail::scalar_token(v);
  std::int64_t n;
  switch (detail::parse_int_token(token, n)) {
    case detail::IntToken::ok: out = n; return {};
    case detail::IntToken::not_integer: return failed(Problem::expected_integer);
    case detail::IntToken::out_of_range: return failed(Problem::out_of_range);
    case detail::IntToken::invalid: break;
  }
  char c = token.empty() ? '\0' : token[0];
  if (c == 'n') return is_null_token(token) ? Outcome{} : bad_null();
  if (c == '-' || (c >= '0' && c <= '9')) return walk_failed(WalkResult::from(simdjson::NUMBER_ERROR));
  if (detail::is_value_start(c)) return failed(Problem::expected_integer);
  return walk_failed(WalkResult::from(simdjson::TAPE_ERROR));
}

// Non-string, non-null values get `not_string`.
Outcome read_str(od::value& v, detail::FoundString& out, Problem not_string = Problem::expected_string) noexcept {
  std::string_view token = detail::scalar_token(v);
  char c = token.empty() ? '\0' : token[0];
  if (c != '"') {
    if (c == 'n') return is_null_token(token) ? Outcome{} : bad_null();
    if (detail::is_value_start(c)) return failed(not_string);
    return walk_failed(WalkResult::from(simdjson::TAPE_ERROR));
  }
  if (auto r = detail::read_string(v, token, out.text, out.in_input)) return walk_failed(r);
  out.present = true;
  return {};
}

Outcome read_time(od::value& v, std::optional<Timestamp>& out) noexcept {
  detail::FoundString s;
  if (auto o = read_str(v, s, Problem::expected_time)) return o;
  if (!s.present) return {};
  out = parse_rfc3339(s.text);
  return out ? Outcome{} : failed(Problem::expected_time);
}

// retry_config's own fields; errors name them.
struct RetryOutcome {
  Outcome outcome;
  std::string_view field = "retry_config";
};

RetryOutcome read_retry_config(od::value& v, std::optional<RetryConfig>& out) noexcept {
  std::string_view token = detail::scalar_token(v);
  char c = token.empty() ? '\0' : token[0];
  if (c != '{') {
    if (c == 'n') return {is_null_token(token) ? Outcome{} : bad_null()};
    if (detail::is_value_start(c)) return {failed(Problem::expected_object)};
    return {walk_failed(WalkResult::from(simdjson::TAPE_ERROR))};
  }
  od::object obj;
  if (auto e = v.get_object().get(obj)) return {walk_failed(WalkResult::from(e))};
  RetryConfig rc;
  bool seen_retries = false, seen_interval = false;
  for (auto f : obj) {
    if (auto e = f.error()) return {walk_failed(WalkResult::from(e))};
    od::field&& field = std::move(f).value_unsafe();
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return {walk_failed(r)};
    od::value& value = field.value();
    if (key == "max_retries") {
      constexpr std::string_view name = "retry_config.max_retries";
      if (seen_retries) return {failed(Problem::duplicate), name};
      seen_retries = true;
      if (auto o = read_int(value, rc.max_retries)) return {o, name};
    } else if (key == "retry_interval_minutes") {
      constexpr std::string_view name = "retry_config.retry_interval_minutes";
      if (seen_interval) return {failed(Problem::duplicate), name};
      seen_interval = true;
      if (auto o = read_int(value, rc.retry_interval_minutes)) return {o, name};
    } else if (auto r = detail::skip_value(value, 3)) {
      return {walk_failed(r)};
    }
  }
  out = rc;
  return {};
}

}  // namespace

struct Decoder::Impl {
  od::parser parser;
  std::vector<char> scratch;  // padded copy for callers without padding

  // With an owner, the record shares it instead of copying data.
  Result<Campaign> run(const char* data, std::size_t size, std::size_t capacity,
                       std::shared_ptr<const char[]>* owner = nullptr);
  bool reserve(std::size_t size);
};

bool Decoder::Impl::reserve(std::size_t size) { return detail::reserve_parser(parser, size); }

Result<Campaign> Decoder::Impl::run(const char* data, std::size_t size, std::size_t capacity,
                                    std::shared_ptr<const char[]>* owner) {
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
    if (auto e = f.error()) return from_walk(WalkResult::from(e));
    od::field&& field = std::move(f).value_unsafe();  // a reference: no copy of the field
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return from_walk(r);
    od::value& v = field.value();
    Field which = field_of(key);
    if (which == f_unknown) {
      if (auto r = detail::skip_value(v, 2)) return from_walk(r);
      continue;
    }
    std::string_view name = field_names[which];
    if (seen & (1u << which)) return invalid_field(name, "duplicate field");
    seen |= 1u << which;

    Outcome o;
    switch (which) {
      case f_id: case f_org_id: case f_name: case f_agent_id: case f_from_phone_number:
      case f_status:
        // These fields' numbers are their slots in the builder.
        o = read_str(v, b.strings[which]);
        break;
      case f_max_concurrent_calls: o = read_int(v, b.max_concurrent_calls); break;
      case f_total_leads: o = read_int(v, b.total_leads); break;
      case f_completed_calls: o = read_int(v, b.completed_calls); break;
      case f_pending_calls: o = read_int(v, b.pending_calls); break;
      case f_scheduled_at: o = read_time(v, b.scheduled_at); break;
      case f_created_at: o = read_time(v, b.created_at); break;
      case f_retry_config: {
        auto r = read_retry_config(v, b.retry_config);
        if (r.outcome) return to_error(r.outcome, r.field);  // names retry_config's own field
        break;
      }
      case f_unknown: break;
    }
    if (o) return to_error(o, name);
  }
  if (!detail::at_end(doc)) return invalid("trailing content after the record");
  if (!b.strings[CampaignBuilder::id].present) {
    return invalid((seen & (1u << f_id)) ? "id: expected string" : "id: missing required field");
  }
  if (owner) return b.adopt(std::move(*owner), data, size, simdjson::SIMDJSON_PADDING);
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

Result<Campaign> Decoder::decode_shared(std::shared_ptr<const char[]> body, std::size_t size,
                                        std::size_t capacity) try {
  if (!body || capacity < size || capacity - size < simdjson::SIMDJSON_PADDING)
    return decode({body.get(), body ? size : 0});
  const char* data = body.get();
  return impl_->run(data, size, capacity, &body);
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
