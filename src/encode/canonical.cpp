// The canonical JSON form (docs/interfaces.md): fixed field order, compact, nulls.
#include <campaign/encode.hpp>

#include <charconv>

namespace campaign {
namespace {

void append_int(std::string& out, const std::optional<std::int64_t>& v) {
  if (!v) {
    out += "null";
    return;
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, *v);
  out.append(buf, r.ptr);
}

void append_str(std::string& out, const std::optional<std::string_view>& v) {
  if (v) append_json_string(out, *v);
  else out += "null";
}

void append_time(std::string& out, const std::optional<Timestamp>& t) {
  if (!t) {
    out += "null";
    return;
  }
  out += '"';
  append_rfc3339(out, *t);
  out += '"';
}

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
  out += "{\"id\":";
  append_json_string(out, r.id());
  out += ",\"org_id\":";
  append_str(out, r.org_id());
  out += ",\"name\":";
  append_str(out, r.name());
  out += ",\"agent_id\":";
  append_str(out, r.agent_id());
  out += ",\"from_phone_number\":";
  append_str(out, r.from_phone_number());
  out += ",\"status\":";
  append_str(out, r.status_text());
  out += ",\"max_concurrent_calls\":";
  append_int(out, r.max_concurrent_calls());
  out += ",\"scheduled_at\":";
  append_time(out, r.scheduled_at());
  out += ",\"retry_config\":";
  if (auto rc = r.retry_config()) {
    out += "{\"max_retries\":";
    append_int(out, rc->max_retries);
    out += ",\"retry_interval_minutes\":";
    append_int(out, rc->retry_interval_minutes);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"total_leads\":";
  append_int(out, r.total_leads());
  out += ",\"completed_calls\":";
  append_int(out, r.completed_calls());
  out += ",\"pending_calls\":";
  append_int(out, r.pending_calls());
  out += ",\"created_at\":";
  append_time(out, r.created_at());
  out += '}';
}

std::string to_json(const Campaign& record) {
  std::string out;
  out.reserve(record.json().size() + 64);
  append_json(out, record);
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
