// The reference decoder: Boost.JSON basic_parser + the rules of docs/api.md.
//
// Rules (docs/api.md "The campaign record" and "Decoding rules"; RFC 8259):
// - the text is one JSON value, an object (the record), with only JSON
//   whitespace around it; strings are valid UTF-8 with valid escapes (lone
//   surrogates are errors);
// - nesting deeper than 64 levels (the record is level 1) is an error;
// - known fields: a wrong JSON type is an error; null or absent = not present;
//   a known field twice is an error (also inside retry_config);
// - integers: -?(0|[1-9][0-9]*) within int64; a fraction or an exponent is an
//   error ("a fraction where an integer belongs");
// - timestamps: RFC 3339 date-time (T/t, Z/z or +-HH:MM, any number of
//   fraction digits truncated to milliseconds, second 60 lands on the next
//   second), whose UTC instant is representable in the canonical form
//   (years 0000-9999);
// - `id` is required and must be a string;
// - unknown fields (any value) are skipped; unknown status text is kept.
//
// Implementation-defined corners (RFC 8259 sections 6, 8.1, 9; JSONTestSuite i_),
// documented in docs/fuzzing.md:
// - a skipped number may have any magnitude (1e400, 2^70, 1e-400): docs/api.md skips
//   "any JSON value", and its value is never needed;
// - a UTF-8 byte order mark before the value is an error (as in simdjson);
// - a number in a known integer field must be an integer within int64 (above).
//
// Boost.JSON 1.81 refuses valid numbers whose exponent overflows its counter
// ("1e99999999999999999999": error::exponent_overflow). Such a number can only
// be skipped (an exponent is an error in an integer field), so its exponent
// digits are shortened before parsing: see tame_exponents().
#include "reference_decoder.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <charconv>
#include <cstdio>
#include <chrono>
#include <cstdint>
#include <optional>

namespace campaign_fuzz {
namespace {

namespace json = boost::json;
using std::int64_t;

// ---------------------------------------------------------------- RFC 3339

bool two(std::string_view s, std::size_t at, int& out) {
  if (at + 2 > s.size()) return false;
  char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return true;
}

// Milliseconds since 1970-01-01T00:00:00Z, or nullopt.
std::optional<int64_t> parse_timestamp(std::string_view s) {
  using namespace std::chrono;
  // date-fullyear "-" date-month "-" date-mday
  if (s.size() < 10) return std::nullopt;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return std::nullopt;
    year = year * 10 + (s[static_cast<std::size_t>(i)] - '0');
  }
  int mon, mday, hour, minute, second;
  if (s[4] != '-' || !two(s, 5, mon) || s[7] != '-' || !two(s, 8, mday)) return std::nullopt;
  if (s.size() < 19 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  if (!two(s, 11, hour) || s[13] != ':' || !two(s, 14, minute) || s[16] != ':' || !two(s, 17, second))
    return std::nullopt;
  if (mon < 1 || mon > 12 || mday < 1) return std::nullopt;
  static constexpr int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = mdays[mon - 1] + (mon == 2 && leap ? 1 : 0);
  if (mday > max_day || hour > 23 || minute > 59 || second > 60) return std::nullopt;

  std::size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t d = digits; d < 3; ++d) millis *= 10;
  }
  // time-offset = "Z" / time-numoffset
  if (pos >= s.size()) return std::nullopt;
  int64_t offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!two(s, pos + 1, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !two(s, pos + 4, om))
      return std::nullopt;
    if (oh > 23 || om > 59) return std::nullopt;
    offset_minutes = oh * 60 + om;
    if (s[pos] == '-') offset_minutes = -offset_minutes;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;

  // Days from civil (H. Hinnant's algorithm, written out independently of <chrono>).
  int64_t y = year - (mon <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (mon + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + mday - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  int64_t local = ((days * 24 + hour) * 60 + minute) * 60 + second;
  int64_t utc_ms = (local - offset_minutes * 60) * 1000 + millis;

  // The canonical form has four-digit years: 0000-01-01 .. 9999-12-31 (UTC).
  constexpr int64_t min_ms = -62167219200000;  // 0000-01-01T00:00:00.000Z
  constexpr int64_t max_ms = 253402300799999;  // 9999-12-31T23:59:59.999Z
  if (utc_ms < min_ms || utc_ms > max_ms) return std::nullopt;
  return utc_ms;
}

void append_timestamp(std::string& out, int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  int64_t in_day = ms - days * 86400000;
  // Civil from days (inverse of the above).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[192];  // room for any int64 fields (gcc's -Wformat-truncation)
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(in_day / 3600000), static_cast<long long>(in_day / 60000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  out += buf;
}

// ---------------------------------------------------------------- encoder

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// ---------------------------------------------------------------- the record

enum Kind { k_string, k_int, k_time, k_retry };

struct FieldSpec {
  std::string_view name;
  Kind kind;
};

// docs/api.md order: also the canonical output order.
constexpr FieldSpec fields[] = {
    {"id", k_string},           {"org_id", k_string},
    {"name", k_string},         {"agent_id", k_string},
    {"from_phone_number", k_string}, {"status", k_string},
    {"max_concurrent_calls", k_int}, {"scheduled_at", k_time},
    {"retry_config", k_retry},  {"total_leads", k_int},
    {"completed_calls", k_int}, {"pending_calls", k_int},
    {"created_at", k_time},
};
constexpr int field_count = static_cast<int>(std::size(fields));
constexpr int f_id = 0;
constexpr int no_field = -1;

// The live API's second names (docs/api.md, "Dialect"): read into slots of
// their own past the fields, merged into the field at the end.
struct AliasSpec {
  std::string_view name;
  int field;
};
constexpr AliasSpec aliases[] = {{"organization_id", 1}};
constexpr int slot_count = field_count + static_cast<int>(std::size(aliases));

int field_index(std::string_view key) {
  for (int i = 0; i < field_count; ++i)
    if (fields[i].name == key) return i;
  for (int i = 0; i < static_cast<int>(std::size(aliases)); ++i)
    if (aliases[i].name == key) return field_count + i;
  return no_field;
}
// The spec of a slot (an alias has its field's kind, under its own name).
FieldSpec spec_of(int slot) {
  if (slot < field_count) return fields[slot];
  const AliasSpec& a = aliases[slot - field_count];
  return {a.name, fields[a.field].kind};
}

struct Value {
  bool present = false;  // false: absent or null
  std::string text;      // strings
  int64_t number = 0;    // integers; timestamps (ms)
  std::optional<int64_t> retries, interval;  // retry_config members
};

// Classifies a complete number token as an int64 integer.
bool integer_of(std::string_view tok, int64_t& out, std::string& why) {
  std::size_t i = tok.size() && tok[0] == '-' ? 1 : 0;
  if (i == tok.size()) {
    why = "bad number";
    return false;
  }
  for (std::size_t j = i; j < tok.size(); ++j) {
    if (tok[j] < '0' || tok[j] > '9') {
      why = "expected integer (fraction or exponent)";
      return false;
    }
  }
  auto r = std::from_chars(tok.data(), tok.data() + tok.size(), out);
  if (r.ec != std::errc() || r.ptr != tok.data() + tok.size()) {
    why = "integer out of range";
    return false;
  }
  return true;
}

class Handler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  Value values[slot_count];
  bool seen[slot_count] = {};
  std::string error;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code& ec) {
    if (!enter(ec)) return false;
    if (depth_ == 1) return true;  // the record
    if (depth_ == 2 && field_ != no_field) {
      if (spec_of(field_).kind != k_retry) return fail(ec, "expected a scalar");
      in_retry_ = true;
      values[field_].present = true;
      retry_seen_[0] = retry_seen_[1] = false;
    }
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    if (depth_ == 2 && in_retry_) in_retry_ = false;
    leave();
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    if (!enter(ec)) return false;
    if (depth_ == 1) return fail(ec, "expected a JSON object");
    if (depth_ == 2 && field_ != no_field) return fail(ec, "known field: wrong type (array)");
    if (depth_ == 3 && in_retry_ && member_ != no_member) return fail(ec, "retry member: array");
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    leave();
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ <= 2) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    if (depth_ > 2) return true;
    key_.append(s.data(), s.size());
    std::string key = std::move(key_);
    key_.clear();
    if (depth_ == 1) {
      field_ = field_index(key);
      if (field_ != no_field) {
        if (seen[field_]) return fail(ec, std::string(spec_of(field_).name) + ": duplicate field");
        seen[field_] = true;
      }
    } else if (depth_ == 2 && in_retry_) {
      member_ = key == "max_retries" ? 0 : key == "retry_interval_minutes" ? 1 : no_member;
      if (member_ != no_member) {
        if (retry_seen_[member_]) return fail(ec, "retry_config: duplicate field");
        retry_seen_[member_] = true;
      }
    }
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    if (wants_text()) text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    if (!scalar_allowed(ec)) return false;
    if (!wants_text()) return true;
    text_.append(s.data(), s.size());
    std::string text = std::move(text_);
    text_.clear();
    if (depth_ == 2 && in_retry_) return fail(ec, "retry member: expected integer");
    Value& v = values[field_];
    switch (spec_of(field_).kind) {
      case k_string:
        v.present = true;
        v.text = std::move(text);
        return true;
      case k_time:
        if (auto t = parse_timestamp(text)) {
          v.present = true;
          v.number = *t;
          return true;
        }
        return fail(ec, std::string(spec_of(field_).name) + ": not an RFC 3339 timestamp");
      default:
        return fail(ec, std::string(spec_of(field_).name) + ": unexpected string");
    }
  }

  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  // Boost.JSON gives 1e400 as inf and 2^70 as a double: the text decides.
  bool on_double(double, json::string_view s, json::error_code& ec) { return number(s, ec); }

  bool on_bool(bool, json::error_code& ec) {
    if (!scalar_allowed(ec)) return false;
    if (targets_known()) return fail(ec, "known field: unexpected boolean");
    return true;
  }
  bool on_null(json::error_code& ec) {
    if (!scalar_allowed(ec)) return false;
    // null = not present, for fields and retry_config members alike.
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  static constexpr int no_member = -1;
  int depth_ = 0;
  int field_ = no_field;   // the known field whose value is being read (depth 1 key)
  int member_ = no_member; // the retry_config member being read (depth 2 key)
  bool in_retry_ = false;
  bool retry_seen_[2] = {};
  std::string key_, text_, number_;

  bool fail(json::error_code& ec, std::string why) {
    if (error.empty()) error = std::move(why);
    ec = json::error::syntax;  // any error: parsing stops
    return false;
  }
  bool enter(json::error_code& ec) {
    if (++depth_ > reference_max_depth) return fail(ec, "nesting too deep");
    // A container value at depth 3 inside retry_config for a known member.
    if (depth_ == 3 && in_retry_ && member_ != no_member) return fail(ec, "retry member: wrong type");
    return true;
  }
  void leave() {
    --depth_;
    if (depth_ == 1) field_ = no_field;
    if (depth_ == 2) member_ = no_member;
  }
  bool scalar_allowed(json::error_code& ec) {
    if (depth_ == 0) return fail(ec, "expected a JSON object");
    return true;
  }
  // The scalar being read is a known field's value or a retry_config member's.
  bool targets_known() const {
    return (depth_ == 1 && field_ != no_field) || (depth_ == 2 && in_retry_ && member_ != no_member);
  }
  bool wants_text() const { return targets_known(); }

  bool number(json::string_view last, json::error_code& ec) {
    number_.append(last.data(), last.size());
    std::string tok = std::move(number_);
    number_.clear();
    if (!scalar_allowed(ec)) return false;
    if (!targets_known()) return true;
    int64_t n;
    std::string why;
    if (depth_ == 2) {  // retry_config member
      if (!integer_of(tok, n, why)) return fail(ec, "retry_config: " + why);
      (member_ == 0 ? values[field_].retries : values[field_].interval) = n;
      return true;
    }
    if (spec_of(field_).kind != k_int) return fail(ec, std::string(spec_of(field_).name) + ": unexpected number");
    if (!integer_of(tok, n, why)) return fail(ec, std::string(spec_of(field_).name) + ": " + why);
    values[field_].present = true;
    values[field_].number = n;
    return true;
  }
};

// Replaces every run of 10+ exponent digits outside strings by one digit:
// the text stays valid or invalid exactly as before, and Boost.JSON no longer
// overflows on it. Returns the input unchanged (no copy) when there is none.
std::string_view tame_exponents(std::string_view in, std::string& storage) {
  bool in_string = false, changed = false;
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      if (c == '\\') {
        out += c;
        if (++i < in.size()) out += in[i];
        continue;
      }
      if (c == '"') in_string = false;
      out += c;
      continue;
    }
    if (c == '"') in_string = true;
    out += c;
    if ((c == 'e' || c == 'E') && i > 0 && in[i - 1] >= '0' && in[i - 1] <= '9') {
      std::size_t j = i + 1;
      if (j < in.size() && (in[j] == '+' || in[j] == '-')) out += in[j++];
      std::size_t start = j;
      while (j < in.size() && in[j] >= '0' && in[j] <= '9') ++j;
      if (j - start >= 10) {
        out += '1';
        changed = true;
      } else {
        out.append(in.substr(start, j - start));
      }
      i = j - 1;
    }
  }
  if (!changed) return in;
  storage = std::move(out);
  return storage;
}

void append_int(std::string& out, bool present, int64_t n) {
  out += present ? std::to_string(n) : "null";
}

}  // namespace

ReferenceResult reference_decode(std::string_view input) {
  std::string storage;
  std::string_view text = tame_exponents(input, storage);
  ReferenceResult r;
  json::parse_options opt;
  opt.max_depth = 1000;  // our own cap (64) is enforced by the handler
  json::basic_parser<Handler> p(opt);
  json::error_code ec;
  std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n != text.size()) ec = json::error::extra_data;
  if (ec) {
    r.error = p.handler().error.empty() ? "malformed JSON: " + ec.message() : p.handler().error;
    return r;
  }
  Handler& h = p.handler();
  for (int i = 0; i < static_cast<int>(std::size(aliases)); ++i) {
    const int alias = field_count + i, field = aliases[i].field;
    if (!h.seen[alias]) continue;
    if (h.seen[field]) {
      const Value &a = h.values[alias], &b = h.values[field];
      if (a.present != b.present || (a.present && (a.text != b.text || a.number != b.number))) {
        r.error = std::string(fields[field].name) + ": values differ under its two names";
        return r;
      }
    }
    h.values[field] = h.values[alias];
    h.seen[field] = true;
  }
  if (!h.values[f_id].present) {
    r.error = h.seen[f_id] ? "id: expected string" : "id: missing required field";
    return r;
  }
  std::string& out = r.canonical;
  out += '{';
  for (int i = 0; i < field_count; ++i) {
    const Value& v = h.values[i];
    if (i) out += ',';
    append_string(out, fields[i].name);
    out += ':';
    switch (fields[i].kind) {
      case k_string:
        if (v.present) append_string(out, v.text);
        else out += "null";
        break;
      case k_int: append_int(out, v.present, v.number); break;
      case k_time:
        if (v.present) {
          out += '"';
          append_timestamp(out, v.number);
          out += '"';
        } else {
          out += "null";
        }
        break;
      case k_retry:
        if (v.present) {
          out += "{\"max_retries\":";
          append_int(out, v.retries.has_value(), v.retries.value_or(0));
          out += ",\"retry_interval_minutes\":";
          append_int(out, v.interval.has_value(), v.interval.value_or(0));
          out += '}';
        } else {
          out += "null";
        }
        break;
    }
  }
  out += '}';
  r.ok = true;
  return r;
}

}  // namespace campaign_fuzz

namespace campaign_fuzz {
namespace {

// SAX handler for error bodies: remembers the string values of the keys of
// docs/api.md's shapes.
class ErrorHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  enum Slot { error_object, error_string, message_string, detail_string, slots, none = slots };
  std::optional<std::string> found[slots];
  bool duplicate = false;
  bool envelope = false;  // an integer statusCode (docs/api.md, "Dialect")

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code& ec) {
    status_value(false);
    if (!enter(ec)) return false;
    if (depth_ == 2 && key_is_error_) in_error_object_ = true;
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    if (depth_ == 2) in_error_object_ = false;
    leave();
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    status_value(false);
    if (!enter(ec)) return false;
    if (depth_ == 1) return fail(ec);
    if (depth_ == 2 && slot_ == message_string) {
      in_message_array_ = true;
      joined_.clear();
      joined_any_ = false;
    }
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    if (depth_ == 2 && in_message_array_) {
      in_message_array_ = false;
      if (joined_any_) found[message_string] = joined_;
    }
    leave();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    slot_ = none;
    if (depth_ == 1) {
      key_is_status_ = key_ == "statusCode";
      if (key_is_status_ && !seen_.insert(key_).second) duplicate = true;
      key_is_error_ = key_ == "error";
      slot_ = key_ == "error" ? error_string : key_ == "message" ? message_string
            : key_ == "detail" ? detail_string : none;
      if (slot_ != none && !seen_.insert(key_).second) duplicate = true;
    } else if (depth_ == 2 && in_error_object_ && key_ == "message") {
      slot_ = error_object;
      if (seen_inner_++) duplicate = true;
    }
    key_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    if (depth_ == 0) return fail(ec);
    status_value(false);
    text_.append(s.data(), s.size());
    if (depth_ == 2 && in_message_array_) {
      if (joined_any_) joined_ += "; ";
      joined_ += text_;
      joined_any_ = true;
    } else if (slot_ != none && ((depth_ == 1) || (depth_ == 2 && in_error_object_))) {
      found[slot_] = std::move(text_);
    }
    text_.clear();
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_double(double, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_bool(bool, json::error_code& ec) { return status_value(false), scalar(ec); }
  bool on_null(json::error_code& ec) { return status_value(false), scalar(ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  int depth_ = 0;
  int slot_ = none;
  bool key_is_error_ = false, in_error_object_ = false;
  bool key_is_status_ = false, in_message_array_ = false, joined_any_ = false;
  int seen_inner_ = 0;
  std::string key_, text_, number_, joined_;
  struct Keys {
    std::string keys[4];
    int n = 0;
    std::pair<int, bool> insert(const std::string& k) {
      for (int i = 0; i < n; ++i)
        if (keys[i] == k) return {i, false};
      keys[n] = k;
      return {n++, true};
    }
  } seen_;

  bool fail(json::error_code& ec) {
    ec = json::error::syntax;
    return false;
  }
  bool scalar(json::error_code& ec) { return depth_ == 0 ? fail(ec) : true; }
  // The value of a depth-1 statusCode decides the envelope (the last one wins).
  void status_value(bool is_integer) {
    if (depth_ == 1 && key_is_status_) envelope = is_integer;
  }
  bool number(json::string_view last, json::error_code& ec) {
    number_.append(last.data(), last.size());
    int64_t n;
    std::string why;
    status_value(integer_of(number_, n, why));
    number_.clear();
    return scalar(ec);
  }
  bool enter(json::error_code& ec) { return ++depth_ > reference_max_depth ? fail(ec) : true; }
  void leave() {
    --depth_;
    if (depth_ == 1) {
      key_is_error_ = false;
      key_is_status_ = false;
      slot_ = none;
    }
  }
};

}  // namespace

ReferenceErrorMessage reference_error_message(std::string_view input) {
  std::string storage;
  std::string_view body = tame_exponents(input, storage);
  ReferenceErrorMessage r;
  json::parse_options opt;
  opt.max_depth = 1000;
  json::basic_parser<ErrorHandler> p(opt);
  json::error_code ec;
  std::size_t n = p.write_some(false, body.data(), body.size(), ec);
  if (ec || n != body.size()) return r;
  r.json_ok = true;
  auto& h = p.handler();
  r.comparable = !h.duplicate;
  if (h.envelope && h.found[ErrorHandler::message_string]) {
    r.message = h.found[ErrorHandler::message_string];
    return r;
  }
  for (auto& m : h.found)
    if (m) {
      r.message = m;
      break;
    }
  return r;
}

}  // namespace campaign_fuzz
