// The canonical JSON form (docs/interfaces.md): fixed field order, compact, nulls.
#include <campaign/encode.hpp>

#include <charconv>
#include <type_traits>

namespace campaign {
namespace {

void append_value(std::string& out, const std::optional<std::int64_t>& v) {
  if (!v) {
    out += "null";
    return;
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, *v);
  out.append(buf, r.ptr);
}

void append_value(std::string& out, std::string_view v) { append_json_string(out, v); }

void append_value(std::string& out, const std::optional<std::string_view>& v) {
  if (v) append_json_string(out, *v);
  else out += "null";
}

void append_value(std::string& out, const std::optional<Timestamp>& t) {
  if (!t) {
    out += "null";
    return;
  }
  out += '"';
  append_rfc3339(out, *t);
  out += '"';
}

void append_value(std::string& out, const std::optional<RetryConfig>& rc) {
  if (!rc) {
    out += "null";
    return;
  }
  char sep = '{';
#define CAMPAIGN_ENCODE_RETRY_(member, kind, name, ...) \
  out += sep;                                           \
  out += std::string_view("\"" name "\":");           \
  append_value(out, rc->member);                        \
  sep = ',';
  CAMPAIGN_RETRY_FIELDS(CAMPAIGN_ENCODE_RETRY_)
#undef CAMPAIGN_ENCODE_RETRY_
  out += '}';
}

// A raw value (kind raw): already valid JSON, written compact (whitespace
// outside strings dropped) so that canonical output stays one line.
void append_raw(std::string& out, const std::optional<std::string_view>& raw) {
  if (!raw) {
    out += "null";
    return;
  }
  bool in_string = false;
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const char c = (*raw)[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < raw->size()) out += (*raw)[++i];
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    }
  }
}

// The writer of each kind: a raw value is not a string, though stored as one.
template <class Kind, class Value>
void append_field(std::string& out, const Value& v) {
  if constexpr (std::is_same_v<Kind, schema::raw>) append_raw(out, v);
  else append_value(out, v);
}

// CAMPAIGN_*_FIELDS order, each under its first name.
#define CAMPAIGN_ENCODE_FIELD_(member, kind, name, ...) \
  out += sep;                                           \
  out += std::string_view("\"" name "\":");           \
  append_field<schema::kind>(out, r.member());          \
  sep = ',';

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_json(std::string& out, const Campaign& r) {
  char sep = '{';
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_ENCODE_FIELD_)
  out += '}';
}

void append_json(std::string& out, const CallLog& r) {
  char sep = '{';
  CAMPAIGN_CALL_LOG_FIELDS(CAMPAIGN_ENCODE_FIELD_)
  out += '}';
}

std::string to_json(const Campaign& record) {
  std::string out;
  out.reserve(record.json().size() + 64);
  append_json(out, record);
  return out;
}

std::string to_json(const CallLog& log) {
  std::string out;
  out.reserve(log.json().size() + 64);
  append_json(out, log);
  return out;
}

void append_json(std::string& out, const Error& e) {
  out += "{\"kind\":";
  append_json_string(out, to_string(e.kind));
  out += ",\"http_status\":";
  if (e.http_status) out += std::to_string(e.http_status);
  else out += "null";
  out += ",\"message\":";
  append_json_string(out, e.message);
  out += '}';
}

}  // namespace campaign

#undef CAMPAIGN_ENCODE_FIELD_
