// The record decoder: one forward pass over the object with simdjson On-Demand.
#include <campaign/decode.hpp>

#include "record_builder.hpp"
#include "record_decode.hpp"
#include "json_walk.hpp"
#include "parser_alloc.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace campaign {
namespace {

using detail::WalkError;
using detail::WalkResult;
namespace od = simdjson::ondemand;

// The key dispatch, generated from each record's field list: every spelling
// of every field, bucketed by length (a record's fields come in any order, so
// a table beats a chain of comparisons that mispredicts on every field).
struct FieldNames {
  std::string_view name, alias;  // alias empty: none
};

// A name zero-padded to three words for same_key(); names are shorter.
struct PaddedName {
  char text[24] = {};
};
constexpr std::size_t kMaxKey = sizeof(PaddedName::text) - 1;

struct Spelling {
  PaddedName name;
  std::uint8_t size = 0;
  std::uint8_t field = 0;
  bool alias = false;  // the schema's second name
  std::string_view text() const noexcept { return {name.text, size}; }
};
// Lengths shared by more names than this fail to compile (add room here).
constexpr std::size_t kMaxPerLength = 3;
struct Bucket {
  std::uint8_t count = 0;
  Spelling spellings[kMaxPerLength];
};
using SpellingTable = std::array<Bucket, kMaxKey + 1>;

template <std::size_t N>
constexpr SpellingTable make_spellings(const FieldNames (&names)[N]) {
  static_assert(N <= 32, "seen keeps one bit per field and spelling in 64 bits");
  SpellingTable table{};
  auto add = [&](std::string_view name, std::size_t field, bool alias) {
    if (name.empty()) return;
    if (name.size() > kMaxKey) throw "field name too long for same_key()";
    Bucket& b = table[name.size()];
    if (b.count == kMaxPerLength) throw "too many names of one length: raise kMaxPerLength";
    Spelling& s = b.spellings[b.count++];
    for (std::size_t i = 0; i < name.size(); ++i) s.name.text[i] = name[i];
    s.size = static_cast<std::uint8_t>(name.size());
    s.field = static_cast<std::uint8_t>(field);
    s.alias = alias;
  };
  for (std::size_t f = 0; f < N; ++f) {
    add(names[f].name, f, false);
    add(names[f].alias, f, true);
  }
  return table;
}

// key == name for a key of at most kMaxKey bytes, three words compared
// without a branch. The key lies in a padded document (or the parser's
// larger string buffer), so reading 24 bytes from it stays in bounds; bytes
// past the key are masked out.
// Always inlined: it is called once per field of every record, and with two
// record types GCC would otherwise keep it out of line.
[[gnu::always_inline]] inline bool same_key(std::string_view key, const PaddedName& name) noexcept {
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

// What the walk needs of a record (below): its names and key table.
template <class Record>
struct Schema;

// The spelling a key is, or nullptr for an unknown key: the length picks a
// bucket (one name for most lengths), the first byte the candidate. One
// function per record, so that its one call site inlines it.
template <class Record>
const Spelling* spelling_of(std::string_view key) noexcept {
  const SpellingTable& by_length = Schema<Record>::spellings;
  if (key.size() >= by_length.size()) return nullptr;
  const Bucket& b = by_length[key.size()];
  for (std::size_t i = 0; i < b.count; ++i) {
    const Spelling& s = b.spellings[i];
    if (s.name.text[0] == key[0] && same_key(key, s.name)) return &s;
  }
  return nullptr;
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

// One reader per slot type. `where` is left empty, or names the nested
// field at fault ("retry_config.max_retries").
Outcome read(od::value& v, detail::FoundString& out, std::string_view&) noexcept {
  return read_str(v, out);
}
Outcome read(od::value& v, std::optional<std::int64_t>& out, std::string_view&) noexcept {
  return read_int(v, out);
}
Outcome read(od::value& v, std::optional<Timestamp>& out, std::string_view&) noexcept {
  return read_time(v, out);
}

// retry_config, an object of CAMPAIGN_RETRY_FIELDS.
Outcome read(od::value& v, std::optional<RetryConfig>& out, std::string_view& where) noexcept {
  where = "retry_config";
  std::string_view token = detail::scalar_token(v);
  char c = token.empty() ? '\0' : token[0];
  if (c != '{') {
    if (c == 'n') return is_null_token(token) ? Outcome{} : bad_null();
    if (detail::is_value_start(c)) return failed(Problem::expected_object);
    return walk_failed(WalkResult::from(simdjson::TAPE_ERROR));
  }
  od::object obj;
  if (auto e = v.get_object().get(obj)) return walk_failed(WalkResult::from(e));
  RetryConfig rc;
  std::uint32_t seen = 0;
  for (auto f : obj) {
    where = "retry_config";
    if (auto e = f.error()) return walk_failed(WalkResult::from(e));
    od::field&& field = std::move(f).value_unsafe();
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return walk_failed(r);
    od::value& value = field.value();
    std::string_view inner;
#define CAMPAIGN_DECODE_RETRY_(member, kind, name, ...)                   \
  if (key == name) {                                                      \
    constexpr auto bit = 1u << static_cast<int>(RetryField::member);      \
    where = "retry_config." name;                                         \
    if (seen & bit) return failed(Problem::duplicate);                    \
    seen |= bit;                                                          \
    if (auto o = read(value, rc.member, inner)) return o;                 \
    continue;                                                             \
  }
    CAMPAIGN_RETRY_FIELDS(CAMPAIGN_DECODE_RETRY_)
#undef CAMPAIGN_DECODE_RETRY_
    if (auto r = detail::skip_value(value, 3)) return walk_failed(r);
  }
  out = rc;
  return {};
}

// A value of kind raw: any JSON, validated, kept as its text; null is absent.
Outcome read(od::value& v, detail::FoundRaw& out, std::string_view&) noexcept {
  std::string_view token = detail::scalar_token(v);
  if (auto r = detail::skip_value(v, 2)) return walk_failed(r);
  if (is_null_token(token)) return {};
  const char c = token[0];  // skip_value refused an empty token
  out.text = c == '{' || c == '[' ? detail::container_text(token.data()) : token;
  out.present = out.in_input = true;
  return {};
}

// A required field (kind key) that the walk did not fill.
template <class Kind, class Slot>
constexpr bool missing_required(const Slot& slot) noexcept {
  if constexpr (std::is_same_v<Kind, schema::key>) return !slot.present;
  else return false;
}

// A field under its second spelling (or the first, after the second): read
// into a scratch slot; equal values are fine, different ones an error.
template <class Slot>
Outcome merge(od::value& v, Slot& slot, std::string_view& where, bool& differ) noexcept {
  Slot other{};
  if (auto o = read(v, other, where)) return o;
  differ = !(other == slot);
  return {};
}

// What the walk needs of a record, generated from its field list: the
// names, the key table, the read of field f into its slot, and the first
// required field left unfilled (or Field::count).

#define CAMPAIGN_DECODE_NAMES_(member, kind, name, alias, ...) FieldNames{name, alias},
#define CAMPAIGN_DECODE_CASE_(member, ...)                                   \
  case Field::member:                                                        \
    return both ? merge(v, b.member, where, differ) : read(v, b.member, where);
#define CAMPAIGN_DECODE_REQUIRED_(member, kind, ...) \
  if (missing_required<schema::kind>(b.member)) return Field::member;
#define CAMPAIGN_DECODE_SCHEMA_(FIELDS, Record, FieldEnum)                                    \
  template <>                                                                                 \
  struct Schema<Record> {                                                                     \
    using Field = FieldEnum;                                                                  \
    static constexpr FieldNames names[] = {FIELDS(CAMPAIGN_DECODE_NAMES_)};                   \
    static constexpr SpellingTable spellings = make_spellings(names);                         \
    static Outcome read_field(Field f, od::value& v, detail::RecordBuilder<Record>& b,        \
                              bool both, std::string_view& where, bool& differ) noexcept {    \
      switch (f) {                                                                            \
        FIELDS(CAMPAIGN_DECODE_CASE_)                                                         \
        case Field::count: break;                                                             \
      }                                                                                       \
      return {};                                                                              \
    }                                                                                         \
    static Field missing(const detail::RecordBuilder<Record>& b) noexcept {                   \
      FIELDS(CAMPAIGN_DECODE_REQUIRED_)                                                       \
      return Field::count;                                                                    \
    }                                                                                         \
  };
CAMPAIGN_DECODE_SCHEMA_(CAMPAIGN_RECORD_FIELDS, Campaign, CampaignField)
CAMPAIGN_DECODE_SCHEMA_(CAMPAIGN_CALL_LOG_FIELDS, CallLog, CallLogField)
#undef CAMPAIGN_DECODE_SCHEMA_
#undef CAMPAIGN_DECODE_REQUIRED_
#undef CAMPAIGN_DECODE_CASE_
#undef CAMPAIGN_DECODE_NAMES_

}  // namespace

namespace detail {

template <class Record>
Result<Record> decode_record(od::parser& parser, const char* data, std::size_t size, std::size_t capacity,
                             std::shared_ptr<const char[]>* owner) {
  using S = Schema<Record>;
  if (!detail::reserve_parser(parser, size)) return out_of_memory();
  od::document doc;
  if (auto e = parser.iterate(data, size, capacity).get(doc))
    return from_walk(WalkResult::from(e));
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE) return invalid("expected a JSON object");
    return from_walk(WalkResult::from(e));
  }

  RecordBuilder<Record> b;
  std::uint64_t seen = 0;  // bit f: the field's name; bit 32 + f: its alias
  for (auto f : obj) {
    if (auto e = f.error()) return from_walk(WalkResult::from(e));
    od::field&& field = std::move(f).value_unsafe();  // a reference: no copy of the field
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return from_walk(r);
    od::value& v = field.value();
    const Spelling* spelling = spelling_of<Record>(key);
    if (!spelling) {
      if (auto r = detail::skip_value(v, 2)) return from_walk(r);
      continue;
    }
    const std::string_view name = spelling->text();
    const std::uint64_t bit = std::uint64_t{1} << (spelling->field + (spelling->alias ? 32 : 0));
    const std::uint64_t other = std::uint64_t{1} << (spelling->field + (spelling->alias ? 0 : 32));
    if (seen & bit) return invalid_field(name, "duplicate field");
    const bool both = (seen & other) != 0;
    seen |= bit;

    std::string_view where;
    bool differ = false;
    Outcome o = S::read_field(static_cast<typename S::Field>(spelling->field), v, b, both, where, differ);
    if (o) return to_error(o, where.empty() ? name : where);
    if (differ) {
      const FieldNames& names = S::names[spelling->field];
      std::string m(names.alias);
      m += " differs from ";
      m += names.name;
      return invalid_field(names.name, m);
    }
  }
  if (!detail::at_end(doc)) return invalid("trailing content after the record");
  // Required fields (kind key): present, and a string.
  if (auto f = S::missing(b); f != S::Field::count) {
    const auto i = static_cast<std::size_t>(f);
    const auto bits = (std::uint64_t{1} << i) * (1 + (std::uint64_t{1} << 32));
    return invalid_field(S::names[i].name, (seen & bits) ? "expected string" : "missing required field");
  }
  if (owner) return b.adopt(std::move(*owner), data, size, simdjson::SIMDJSON_PADDING);
  return b.build(data, size, simdjson::SIMDJSON_PADDING);
}

Error walk_error(WalkResult r, std::string_view where) { return from_walk(r, where); }

std::optional<Error> read_integer(od::value& v, std::optional<std::int64_t>& out, std::string_view where) {
  if (auto o = read_int(v, out)) return to_error(o, where);
  return std::nullopt;
}

template Result<Campaign> decode_record(od::parser&, const char*, std::size_t, std::size_t,
                                        std::shared_ptr<const char[]>*);
template Result<CallLog> decode_record(od::parser&, const char*, std::size_t, std::size_t,
                                       std::shared_ptr<const char[]>*);

}  // namespace detail

struct Decoder::Impl {
  od::parser parser;
  std::vector<char> scratch;  // padded copy for callers without padding

  // With an owner, the record shares it instead of copying data.
  template <class Record = Campaign>
  Result<Record> run(const char* data, std::size_t size, std::size_t capacity,
                     std::shared_ptr<const char[]>* owner = nullptr) {
    return detail::decode_record<Record>(parser, data, size, capacity, owner);
  }
  // json copied into the padded scratch buffer, then decoded.
  template <class Record>
  Result<Record> run_copy(std::string_view json) {
    if (scratch.size() < json.size() + simdjson::SIMDJSON_PADDING)
      scratch.resize(json.size() + simdjson::SIMDJSON_PADDING);
    if (!json.empty()) std::memcpy(scratch.data(), json.data(), json.size());
    std::memset(scratch.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    return run<Record>(scratch.data(), json.size(), scratch.size());
  }
};

std::size_t decode_padding() noexcept { return simdjson::SIMDJSON_PADDING; }

Decoder::Decoder() : impl_(std::make_unique<Impl>()) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Result<Campaign> Decoder::decode(std::string_view json) try {
  return impl_->run_copy<Campaign>(json);
} catch (const std::bad_alloc&) {
  return out_of_memory();
}

Result<CallLog> Decoder::decode_call_log(std::string_view json) try {
  return impl_->run_copy<CallLog>(json);
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

Result<CallLog> decode_call_log(std::string_view json) try {
  thread_local Decoder decoder;
  return decoder.decode_call_log(json);
} catch (const std::bad_alloc&) {
  return out_of_memory();
}

}  // namespace campaign
