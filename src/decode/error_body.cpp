// The message of an API error body (docs/api.md "Errors": four shapes, first
// match wins; and the live API's {"statusCode", "message", "error"} envelope).
#include <campaign/decode.hpp>

#include "json_walk.hpp"
#include "parser_alloc.hpp"

namespace campaign {
namespace {

namespace od = simdjson::ondemand;

// Shapes in priority order.
enum Shape { error_object = 0, error_string, message_string, detail_string, shapes };

// `depth`: v's nesting level (the body object is level 1).
bool take_string(od::value& v, std::optional<std::string>& out, detail::WalkResult& err,
                 int depth = 2) {
  od::json_type t;
  if (auto e = v.type().get(t)) {
    err = detail::WalkResult::from(e);
    return false;
  }
  if (t != od::json_type::string) {
    err = detail::skip_value(v, depth);
    return false;
  }
  std::string_view s;
  bool in_input;
  err = detail::read_string(v, s, in_input);
  if (err) return false;
  out.emplace(s);
  return true;
}

// A message given as an array of strings (validation errors of the live
// API): the strings joined with "; "; other elements are skipped.
bool take_strings(od::value& v, std::optional<std::string>& out, detail::WalkResult& err) {
  od::array arr;
  if (auto e = v.get_array().get(arr)) {
    err = detail::WalkResult::from(e);
    return false;
  }
  std::string joined;
  bool any = false;
  for (auto item : arr) {
    od::value element;
    if (auto e = std::move(item).get(element)) {
      err = detail::WalkResult::from(e);
      return false;
    }
    std::optional<std::string> one;
    if (take_string(element, one, err, 3)) {
      if (any) joined += "; ";
      joined += *one;
      any = true;
    }
    if (err) return false;
  }
  if (any) out = std::move(joined);
  return true;
}

// An integer statusCode marks the live API's envelope.
bool is_integer(od::value& v, detail::WalkResult& err) {
  od::json_type t;
  if (auto e = v.type().get(t)) {
    err = detail::WalkResult::from(e);
    return false;
  }
  std::int64_t n;
  if (t == od::json_type::number &&
      detail::parse_int_token(detail::scalar_token(v), n) == detail::IntToken::ok)
    return true;
  err = detail::skip_value(v, 2);
  return false;
}

}  // namespace

std::optional<std::string> parse_error_message(std::string_view body) try {
  thread_local od::parser parser;
  if (!detail::reserve_parser(parser, body.size())) return std::nullopt;
  simdjson::padded_string padded(body);
  od::document doc;
  if (parser.iterate(padded).get(doc)) return std::nullopt;
  od::object obj;
  if (doc.get_object().get(obj)) return std::nullopt;

  std::optional<std::string> found[shapes];
  bool envelope = false;  // {"statusCode": 404, "message": ..., "error": "Not Found"}
  detail::WalkResult err;
  for (auto f : obj) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) || field.unescaped_key().get(key)) return std::nullopt;
    od::value v = field.value();
    if (key == "error") {
      od::json_type t;
      if (v.type().get(t)) return std::nullopt;
      if (t == od::json_type::object) {
        od::object inner;
        if (v.get_object().get(inner)) return std::nullopt;
        for (auto g : inner) {
          od::field f2;
          std::string_view k2;
          if (std::move(g).get(f2) || f2.unescaped_key().get(k2)) return std::nullopt;
          od::value v2 = f2.value();
          if (k2 == "message") take_string(v2, found[error_object], err);
          else err = detail::skip_value(v2, 3);
          if (err) return std::nullopt;
        }
      } else {
        take_string(v, found[error_string], err);
      }
    } else if (key == "message") {
      od::json_type t;
      if (v.type().get(t)) return std::nullopt;
      if (t == od::json_type::array) take_strings(v, found[message_string], err);
      else take_string(v, found[message_string], err);
    } else if (key == "statusCode") {
      envelope = is_integer(v, err);
    } else if (key == "detail") {
      take_string(v, found[detail_string], err);
    } else {
      err = detail::skip_value(v, 2);
    }
    if (err) return std::nullopt;
  }
  if (!detail::at_end(doc)) return std::nullopt;
  // In the envelope `error` is only the reason phrase: the message comes first.
  if (envelope && found[message_string]) return std::move(found[message_string]);
  for (auto& m : found)
    if (m) return std::move(m);
  return std::nullopt;
} catch (const std::bad_alloc&) {
  return std::nullopt;  // no message is better than none at all
}

}  // namespace campaign
