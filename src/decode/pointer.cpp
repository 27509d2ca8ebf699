// Raw access: any value of the record by JSON pointer, re-parsed in place
// from the record's padded body.
#include <campaign/decode.hpp>

#include "record_builder.hpp"
#include "parser_alloc.hpp"

#include <simdjson.h>

namespace campaign {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}

// The record's json() is padded when has_padded (every decoded record).
Result<std::string> pointer_in(std::string_view json, bool has_padded, std::string_view pointer) try {
  namespace od = simdjson::ondemand;
  if (pointer.empty()) return std::string(trim(json));
  if (pointer.front() != '/')
    return make_error(ErrorKind::invalid_argument, "JSON pointer must be empty or start with '/'");
  if (!has_padded) return make_error(ErrorKind::not_found, "nothing at that JSON pointer");

  thread_local od::parser parser;
  if (!detail::reserve_parser(parser, json.size())) return make_error(ErrorKind::internal, "out of memory");
  od::document doc;
  // The storage holds the body followed by decode_padding() zero bytes.
  if (auto e = parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(doc))
    return make_error(ErrorKind::internal, e == simdjson::MEMALLOC ? "out of memory" : simdjson::error_message(e));
  od::value v;
  auto e = doc.at_pointer(pointer).get(v);
  if (e == simdjson::INVALID_JSON_POINTER)
    return make_error(ErrorKind::invalid_argument, "malformed JSON pointer");
  if (e) return make_error(ErrorKind::not_found, "nothing at that JSON pointer");

  od::json_type t;
  if (v.type().get(t)) return make_error(ErrorKind::internal, "unreadable value");
  std::string_view raw;
  if (t == od::json_type::object) {
    od::object o;
    if (v.get_object().get(o) || o.raw_json().get(raw))
      return make_error(ErrorKind::internal, "unreadable object");
  } else if (t == od::json_type::array) {
    od::array a;
    if (v.get_array().get(a) || a.raw_json().get(raw))
      return make_error(ErrorKind::internal, "unreadable array");
  } else {
    raw = v.raw_json_token();
  }
  return std::string(trim(raw));
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::internal, "out of memory");
}

}  // namespace

Result<std::string> at_pointer(const Campaign& record, std::string_view pointer) {
  return pointer_in(record.json(), detail::CampaignBuilder::has_padded_json(record), pointer);
}

Result<std::string> at_pointer(const CallLog& log, std::string_view pointer) {
  return pointer_in(log.json(), detail::CallLogBuilder::has_padded_json(log), pointer);
}

}  // namespace campaign
