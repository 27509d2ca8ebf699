// The message of an API error body (docs/api.md "Errors": four shapes, first match wins).
#include <campaign/decode.hpp>

#include "json_walk.hpp"
#include "parser_alloc.hpp"

namespace campaign {
namespace {

namespace od = simdjson::ondemand;

// Shapes in priority order.
enum Shape { error_object = 0, error_string, message_string, detail_string, shapes };

bool take_string(od::value& v, std::optional<std::string>& out, detail::WalkResult& err) {
  od::json_type t;
  if (auto e = v.type().get(t)) {
    err = detail::WalkResult::from(e);
    return false;
  }
  if (t != od::json_type::string) {
    err = detail::skip_value(v, 2);
    return false;
  }
  std::string_view s;
  bool in_input;
  err = detail::read_string(v, s, in_input);
  if (err) return false;
  out.emplace(s);
  return true;
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
      take_string(v, found[message_string], err);
    } else if (key == "detail") {
      take_string(v, found[detail_string], err);
    } else {
      err = detail::skip_value(v, 2);
    }
    if (err) return std::nullopt;
  }
  if (!detail::at_end(doc)) return std::nullopt;
  for (auto& m : found)
    if (m) return std::move(m);
  return std::nullopt;
} catch (const std::bad_alloc&) {
  return std::nullopt;  // no message is better than none at all
}

}  // namespace campaign
