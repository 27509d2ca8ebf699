// campaign/page.hpp: one page of a list endpoint (docs/api.md, "List
// Campaigns", "Calls by campaign") -> its items and its paging metadata.
//
// Every envelope the vendor uses is accepted:
//   {"data": [...], "meta": {"page", "limit", "total", "totalPages"}}
//   {"items": [...], "total", "page", "limit"}
//   [...]
// and each item is decoded by the record's own rules (campaign/decode.hpp).
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace campaign {

// The paging metadata as sent; a member is absent when the page did not say.
struct PageMeta {
  std::optional<std::int64_t> page, limit, total, total_pages;
  friend bool operator==(const PageMeta&, const PageMeta&) = default;
};

template <class T>  // Campaign or CallLog
struct Page {
  std::vector<T> items;
  std::optional<PageMeta> meta;  // absent for a bare array (and a "data" page without "meta")
};

// The largest page body decoded. A page holds up to 200 call logs (the
// server's largest limit), each with a free-form analysis of a few KiB at
// most: 8 MiB leaves room for that many times over, and matches the default
// body limit of ClientOptions, so a page the transport accepts is decoded.
inline constexpr std::size_t max_page_bytes = std::size_t{8} << 20;

// Holds reusable parsers (one for the envelope, one for its items): keep one
// per thread; not safe to share between threads at once.
class PageDecoder {
 public:
  PageDecoder();
  ~PageDecoder();
  PageDecoder(PageDecoder&&) noexcept;
  PageDecoder& operator=(PageDecoder&&) noexcept;

  // Errors: too_large over max_page_bytes; invalid_response for anything
  // else, naming the place ("meta.total: expected integer") or the item by
  // its index from 0 ("item 3: id: missing required field"). Every item is
  // copied into a record of its own: nothing refers to `body` afterwards.
  template <class T>
  Result<Page<T>> decode(std::string_view body);
  // Same, in place: data[size .. capacity) must be readable and capacity -
  // size >= decode_padding(); otherwise this copies, like decode().
  template <class T>
  Result<Page<T>> decode_padded(const char* data, std::size_t size, std::size_t capacity);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

extern template Result<Page<Campaign>> PageDecoder::decode(std::string_view);
extern template Result<Page<CallLog>> PageDecoder::decode(std::string_view);
extern template Result<Page<Campaign>> PageDecoder::decode_padded(const char*, std::size_t, std::size_t);
extern template Result<Page<CallLog>> PageDecoder::decode_padded(const char*, std::size_t, std::size_t);

}  // namespace campaign
