// A list page: find the envelope, read its metadata, decode every item in
// place with the record decoder.
#include <campaign/decode.hpp>
#include <campaign/page.hpp>

#include "json_walk.hpp"
#include "parser_alloc.hpp"
#include "record_decode.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace campaign {
namespace {

namespace od = simdjson::ondemand;

Error invalid(std::string message) { return make_error(ErrorKind::invalid_response, std::move(message)); }

std::string item_name(std::size_t index) { return "item " + std::to_string(index); }

// The metadata members of both envelopes, by JSON name.
struct MetaName {
  std::string_view name;
  std::optional<std::int64_t> PageMeta::*member;
};
constexpr MetaName meta_names[] = {{"page", &PageMeta::page},
                                   {"limit", &PageMeta::limit},
                                   {"total", &PageMeta::total},
                                   {"totalPages", &PageMeta::total_pages}};

// A metadata member if `key` names one (prefix: "meta." inside "meta").
// True when the key was one of them; `error` set when its value was bad.
bool read_meta_member(std::string_view key, od::value& v, PageMeta& meta, std::string_view prefix,
                      std::optional<Error>& error) {
  for (const MetaName& m : meta_names) {
    if (key != m.name) continue;
    error = detail::read_integer(v, meta.*m.member, std::string(prefix) + std::string(m.name));
    return true;
  }
  return false;
}

}  // namespace

struct PageDecoder::Impl {
  od::parser envelope, items;
  std::vector<char> scratch;  // padded copy for callers without padding

  template <class T>
  Result<Page<T>> run(const char* data, std::size_t size, std::size_t capacity);
  // Every element of `array`, decoded; `end` is where the readable bytes end.
  template <class T>
  std::optional<Error> decode_items(od::array array, const char* end, std::vector<T>& out);
  std::optional<Error> read_meta(od::value& v, PageMeta& meta);
};

template <class T>
std::optional<Error> PageDecoder::Impl::decode_items(od::array array, const char* end, std::vector<T>& out) {
  std::size_t index = 0;
  for (auto element : array) {
    od::value item;
    if (auto e = std::move(element).get(item)) return detail::walk_error(e, item_name(index));
    od::object obj;
    std::string_view text;
    if (auto e = item.get_object().get(obj)) {
      if (e == simdjson::INCORRECT_TYPE) return invalid(item_name(index) + ": expected a JSON object");
      return detail::walk_error(e, item_name(index));
    }
    if (auto e = obj.raw_json().get(text)) return detail::walk_error(e, item_name(index));
    // The item is decoded where it lies: the page's bytes after it are readable.
    auto r = detail::decode_record<T>(items, text.data(), text.size(),
                                      static_cast<std::size_t>(end - text.data()));
    if (!r) {
      Error e = std::move(r.error());
      e.message.insert(0, item_name(index) + ": ");
      return e;
    }
    out.push_back(std::move(*r));
    ++index;
  }
  return std::nullopt;
}

std::optional<Error> PageDecoder::Impl::read_meta(od::value& v, PageMeta& meta) {
  std::string_view token = detail::scalar_token(v);
  if (token == "null") return std::nullopt;
  od::object obj;
  if (auto e = v.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE) return invalid("meta: expected object");
    return detail::walk_error(e, "meta");
  }
  for (auto f : obj) {
    if (auto e = f.error()) return detail::walk_error(e, "meta");
    od::field&& field = std::move(f).value_unsafe();
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return detail::walk_error(r, "meta");
    std::optional<Error> error;
    if (read_meta_member(key, field.value(), meta, "meta.", error)) {
      if (error) return error;
      continue;
    }
    if (auto r = detail::skip_value(field.value(), 3)) return detail::walk_error(r, "meta");
  }
  return std::nullopt;
}

template <class T>
Result<Page<T>> PageDecoder::Impl::run(const char* data, std::size_t size, std::size_t capacity) {
  if (size > max_page_bytes)
    return make_error(ErrorKind::too_large, "page body over " + std::to_string(max_page_bytes) + " bytes");
  if (!detail::reserve_parser(envelope, size))  // each item reserves its own
    return make_error(ErrorKind::internal, "out of memory");
  const char* end = data + capacity;
  od::document doc;
  if (auto e = envelope.iterate(data, size, capacity).get(doc)) return detail::walk_error(e);
  od::json_type type;
  if (auto e = doc.type().get(type)) return detail::walk_error(e);

  Page<T> page;
  if (type == od::json_type::array) {
    od::array array;
    if (auto e = doc.get_array().get(array)) return detail::walk_error(e);
    if (auto error = decode_items(array, end, page.items)) return std::move(*error);
    if (!detail::at_end(doc)) return invalid("trailing content after the page");
    return page;
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    if (e == simdjson::INCORRECT_TYPE)
      return invalid("expected a page: a JSON array, or an object with data or items");
    return detail::walk_error(e);
  }
  PageMeta top;       // the items envelope's members
  bool has_top = false, has_list = false;
  for (auto f : obj) {
    if (auto e = f.error()) return detail::walk_error(e);
    od::field&& field = std::move(f).value_unsafe();
    std::string_view key;
    if (auto r = detail::read_key(field, key)) return detail::walk_error(r);
    od::value& v = field.value();
    if (key == "data" || key == "items") {
      if (has_list) return invalid(std::string(key) + ": a page has one list (data or items)");
      has_list = true;
      od::array array;
      if (auto e = v.get_array().get(array)) {
        if (e == simdjson::INCORRECT_TYPE) return invalid(std::string(key) + ": expected array");
        return detail::walk_error(e, key);
      }
      if (auto error = decode_items(array, end, page.items)) return std::move(*error);
      continue;
    }
    if (key == "meta") {
      PageMeta meta;
      if (auto error = read_meta(v, meta)) return std::move(*error);
      page.meta = meta;
      continue;
    }
    std::optional<Error> error;
    if (read_meta_member(key, v, top, "", error)) {
      if (error) return std::move(*error);
      has_top = true;
      continue;
    }
    if (auto r = detail::skip_value(v, 2)) return detail::walk_error(r, key);
  }
  if (!detail::at_end(doc)) return invalid("trailing content after the page");
  if (!has_list) return invalid("expected a page: a JSON array, or an object with data or items");
  if (!page.meta && has_top) page.meta = top;
  return page;
}

PageDecoder::PageDecoder() : impl_(std::make_unique<Impl>()) {}
PageDecoder::~PageDecoder() = default;
PageDecoder::PageDecoder(PageDecoder&&) noexcept = default;
PageDecoder& PageDecoder::operator=(PageDecoder&&) noexcept = default;

template <class T>
Result<Page<T>> PageDecoder::decode(std::string_view body) try {
  if (body.size() > max_page_bytes) return impl_->run<T>(body.data(), body.size(), body.size());
  auto& scratch = impl_->scratch;
  scratch.resize(body.size() + decode_padding());
  if (!body.empty()) std::memcpy(scratch.data(), body.data(), body.size());
  std::memset(scratch.data() + body.size(), 0, decode_padding());
  return impl_->run<T>(scratch.data(), body.size(), scratch.size());
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::internal, "out of memory");
}

template <class T>
Result<Page<T>> PageDecoder::decode_padded(const char* data, std::size_t size, std::size_t capacity) try {
  if (capacity < size || capacity - size < decode_padding()) return decode<T>({data, size});
  return impl_->run<T>(data, size, capacity);
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::internal, "out of memory");
}

template Result<Page<Campaign>> PageDecoder::decode(std::string_view);
template Result<Page<CallLog>> PageDecoder::decode(std::string_view);
template Result<Page<Campaign>> PageDecoder::decode_padded(const char*, std::size_t, std::size_t);
template Result<Page<CallLog>> PageDecoder::decode_padded(const char*, std::size_t, std::size_t);

}  // namespace campaign
