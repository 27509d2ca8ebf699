// Checks of fuzz_decode, fuzz_differential and fuzz_error_body.
#include "harness.hpp"
#include "reference_decoder.hpp"

#include <campaign/decode.hpp>
#include <campaign/encode.hpp>

#include <chrono>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace campaign_fuzz {
namespace {

using campaign::Campaign;
using campaign::ErrorKind;
using campaign::Result;
using std::chrono::milliseconds;

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    unsigned cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

std::string_view trim_ws(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

// Out of memory (ErrorKind::internal) is no verdict on the input.
bool out_of_memory(const Result<Campaign>& r) {
  return !r && r.error().kind == ErrorKind::internal && r.error().message == "out of memory";
}

std::string describe(const Result<Campaign>& r) {
  if (r) return "ok " + campaign::to_json(*r);
  return "error " + std::string(campaign::to_string(r.error().kind)) + ": " + r.error().message;
}

// The same input decoded in place with exactly decode_padding() bytes after it,
// the padding filled with `fill` (the contract only asks that it be readable).
Result<Campaign> decode_in_place(campaign::Decoder& d, std::string_view in, char fill) {
  std::size_t pad = campaign::decode_padding();
  std::unique_ptr<char[]> buf(new char[in.size() + pad]);
  if (!in.empty()) std::memcpy(buf.get(), in.data(), in.size());
  std::memset(buf.get() + in.size(), fill, pad);
  auto r = d.decode_padded(buf.get(), in.size(), in.size() + pad);
  // The record must own its bytes: scribble over the caller's buffer.
  std::memset(buf.get(), 'X', in.size() + pad);
  return r;
}

void check_record(const Campaign& c, std::string_view input) {
  auto in = printable(input);
  // Strings are valid UTF-8 (docs/api.md: invalid UTF-8 is invalid_response; \u
  // escapes must not produce lone surrogates).
  for (auto s : {std::optional<std::string_view>(c.id()), c.org_id(), c.name(), c.agent_id(),
                 c.from_phone_number(), c.status_text()})
    if (s) check(valid_utf8(*s), "decoded string is not valid UTF-8", in);

  auto st = c.status();
  check(st.has_value() == c.status_text().has_value(), "status() presence differs from status_text()", in);
  if (st) check(*st == campaign::status_from_string(*c.status_text()), "status() != status_from_string(text)", in);
  check(c.is_finished() == (st && (*st == campaign::Status::completed || *st == campaign::Status::cancelled)),
        "is_finished() inconsistent", in);

  if (auto p = c.progress()) check(*p >= 0.0 && *p <= 1.0, "progress() outside [0, 1]", in);
  for (auto avg : {milliseconds(0), milliseconds(1), milliseconds(180000),
                   milliseconds(std::numeric_limits<std::int64_t>::max())}) {
    auto eta = c.eta(avg);
    if (eta) check(eta->count() >= 0, "eta() negative", in);
  }
  check(!c.eta(milliseconds(-1)), "eta() with a negative call duration", in);

  // Raw access.
  auto whole = at_pointer(c, "");
  check(whole && *whole == trim_ws(input), "at_pointer(\"\") is not the whole record", in);
  for (const char* p : {"/id", "/retry_config/max_retries", "/name", "/x/0", "/~1/~0", "/a~2", "/0"})
    (void)at_pointer(c, p);
  auto bad = at_pointer(c, "no-slash");
  check(!bad && bad.error().kind == ErrorKind::invalid_argument, "at_pointer without '/' accepted", in);

  // Copies share one immutable allocation that outlives the original.
  std::string canonical = campaign::to_json(c);
  auto copy = std::make_unique<Campaign>(c);
  Campaign moved = std::move(*copy);
  copy.reset();
  check(campaign::to_json(moved) == canonical, "copy of a record differs", in);
}

}  // namespace

void check_decode(std::string_view input) {
  auto in = printable(input);
  auto r = campaign::parse(input);
  if (out_of_memory(r)) return;
  if (!r) {
    const auto& e = r.error();
    check(e.kind == ErrorKind::invalid_response, "decode failed with a kind other than invalid_response",
          in + " -> " + describe(r));
    check(!e.message.empty(), "decode error without a message", in);
  }

  // Every way in gives the same answer.
  thread_local campaign::Decoder decoder;
  for (char fill : {'\0', '"', '1'}) {
    auto p = decode_in_place(decoder, input, fill);
    if (out_of_memory(p)) return;
    check(describe(p) == describe(r), "decode_padded() differs from parse()",
          in + "\n  parse: " + describe(r) + "\n  padded: " + describe(p));
  }
  campaign::Decoder fresh;
  auto f = fresh.decode(input);
  check(describe(f) == describe(r), "a fresh Decoder differs from parse()", in);
  auto short_capacity = fresh.decode_padded(input.data(), input.size(), input.size());
  check(describe(short_capacity) == describe(r), "decode_padded() without padding differs", in);
  {
    // decode_shared(): the record keeps the buffer alive and views into it.
    const std::size_t pad = campaign::decode_padding();
    std::shared_ptr<char[]> buf(new char[input.size() + pad]());
    if (!input.empty()) std::memcpy(buf.get(), input.data(), input.size());
    auto s = fresh.decode_shared(buf, input.size(), input.size() + pad);
    if (out_of_memory(s)) return;
    buf.reset();  // the record's reference is the only one left
    check(describe(s) == describe(r), "decode_shared() differs from parse()",
          in + "\n  parse: " + describe(r) + "\n  shared: " + describe(s));
    if (s && r) check(campaign::to_json(*s) == campaign::to_json(*r), "decode_shared() record differs", in);
  }

  if (!r) return;
  check_record(*r, input);

  // Round trip: the canonical JSON decodes to itself.
  std::string canonical = campaign::to_json(*r);
  auto again = campaign::parse(canonical);
  if (out_of_memory(again)) return;
  check(again.has_value(), "canonical JSON of a record does not decode",
        in + "\n  canonical: " + printable(canonical) + "\n  -> " + describe(again));
  std::string canonical2 = campaign::to_json(*again);
  check(canonical2 == canonical, "round trip changed the record",
        in + "\n  first:  " + printable(canonical) + "\n  second: " + printable(canonical2));
}

void check_differential(std::string_view input) {
  auto r = campaign::parse(input);
  if (out_of_memory(r)) return;
  auto ref = reference_decode(input);
  std::string lib = describe(r);
  std::string refd = ref.ok ? "ok " + ref.canonical : "error: " + ref.error;
  auto report = printable(input) + "\n  library:   " + printable(lib) + "\n  reference: " + printable(refd);
  if (r && ref.ok) {
    check(campaign::to_json(*r) == ref.canonical, "decoders disagree on the record", report);
  } else if (!r && !ref.ok) {
    check(r.error().kind == ErrorKind::invalid_response, "library error is not invalid_response", report);
  } else {
    fail(std::string(r ? "library accepts what the reference rejects"
                       : "library rejects what the reference accepts") + ": " + report);
  }
}

void check_error_body(std::string_view input) {
  auto msg = campaign::parse_error_message(input);
  auto ref = reference_error_message(input);
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false
  // positive) on the temporaries of `"\"" + printable(...) + "\""` here.
  std::string report = printable(input);
  auto add = [&report](std::string_view label, const std::optional<std::string>& m) {
    report.append(label);
    if (m)
      report.append("\"").append(printable(*m)).append("\"");
    else
      report.append("none");
  };
  add("\n  library:   ", msg);
  add("\n  reference: ", ref.message);
  if (!ref.json_ok) report.append(" (not a JSON object)");
  if (msg) {
    check(valid_utf8(*msg), "error message is not valid UTF-8", report);
    check(ref.json_ok, "message taken from a body that is not valid JSON", report);
  }
  if (ref.json_ok && ref.comparable)
    check(msg == ref.message, "error message differs from the reference", report);
}

}  // namespace campaign_fuzz
