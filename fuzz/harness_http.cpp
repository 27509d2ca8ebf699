// Checks of fuzz_http_response: the client's HTTP reading path, on bytes.
//
// Mirrors net::Exchange::read()/on_read()/deliver() and RequestOp::on_response():
// a Beast response_parser<PaddedBody> with the client's default limits, reading
// with http::read() (the synchronous twin of the async_read the client uses:
// the same parser, buffer and read loop) from a Beast test stream that holds
// the bytes and then reports EOF, like a server closing the connection.
#include "harness.hpp"

#include <campaign/decode.hpp>
#include <campaign/encode.hpp>
#include <campaign/options.hpp>

#include "client/retry_policy.hpp"
#include "net/padded_body.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <optional>

namespace campaign_fuzz {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

std::string_view header(const http::fields& f, std::string_view name) {
  auto it = f.find(beast::string_view(name.data(), name.size()));
  if (it == f.end()) return {};
  auto v = it->value();
  return {v.data(), v.size()};
}

}  // namespace

void check_http_response(std::string_view input) {
  // The first byte picks how many bytes each read returns (0: no limit), so
  // messages split at every position are tried.
  std::size_t read_size = 0;
  if (!input.empty()) {
    static constexpr std::size_t sizes[] = {0, 1, 2, 3, 7, 16, 64, 512};
    read_size = sizes[static_cast<unsigned char>(input[0]) % std::size(sizes)];
    input.remove_prefix(1);
  }
  auto in = printable(input);

  const campaign::ClientOptions defaults;  // max_body_bytes, max_header_bytes
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc, beast::string_view(input.data(), input.size()));
  if (read_size) stream.read_size(read_size);
  stream.close_remote();  // EOF once the bytes are read

  beast::flat_buffer read_buffer;  // persists between the interim and the final response
  campaign::net::PaddedBuffer body(campaign::decode_padding());

  for (int response = 0; response < 64; ++response) {
    http::response_parser<campaign::net::PaddedBody> parser;
    parser.body_limit(defaults.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(defaults.max_header_bytes));
    parser.get().result(0u);
    parser.get().body().buffer = &body;
    boost::system::error_code ec;
    http::read(stream, read_buffer, parser, ec);
    if (ec) {
      // Exchange::io_failed maps these to too_large, invalid_response, network.
      if (ec == http::error::body_limit) check(body.size() <= defaults.max_body_bytes, "body grew past the limit", in);
      return;
    }
    check(parser.is_done(), "read() returned without a complete message", in);
    auto& msg = parser.get();
    unsigned status = msg.result_int();
    // Beast takes any three digits ("000", "020", "999"); the client maps
    // codes outside 100-599 to http_error (docs/fuzzing.md, finding F6).
    check(status <= 999, "parsed status code has more than three digits", in);
    if (status >= 100 && status < 200) {
      if (status == 101) return;  // refused by the client
      continue;                    // interim: the real response follows
    }

    // deliver()
    char* data = body.seal();
    std::size_t size = body.size(), capacity = body.capacity();
    check(capacity >= size && capacity - size >= campaign::decode_padding(),
          "body buffer without the decoder's padding", in);
    check(size <= defaults.max_body_bytes, "body over the limit accepted", in);
    (void)msg.keep_alive();
    (void)parser.need_eof();
    (void)msg.version();
    (void)header(msg, "X-Request-Id");
    (void)header(msg, "Location");
    (void)campaign::detail::parse_should_retry(header(msg, "x-should-retry"));
    if (auto wait = campaign::detail::parse_retry_after(header(msg, "retry-after-ms"), header(msg, "Retry-After")))
      check(wait->count() >= 0, "negative Retry-After wait", in);

    // RequestOp::on_response()
    if (status == 200) {
      thread_local campaign::Decoder decoder;
      auto r = decoder.decode_padded(data, size, capacity);
      auto copy = campaign::parse(std::string_view(data, size));
      check(r.has_value() == copy.has_value(), "decode_padded() of a body differs from parse()", in);
      if (r) check(campaign::to_json(*r) == campaign::to_json(*copy), "decode_padded() record differs", in);
      else check(r.error().kind == campaign::ErrorKind::invalid_response, "body error is not invalid_response", in);
    } else {
      std::string_view error_body(data, std::min<std::size_t>(size, 64 * 1024));
      (void)campaign::parse_error_message(error_body);
    }
    return;
  }
}

}  // namespace campaign_fuzz
