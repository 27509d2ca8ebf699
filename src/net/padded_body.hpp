// Private: a Beast Body that writes the response body into a PaddedBuffer
// owned by the connection (reused from one response to the next).
#pragma once

#include "padded_buffer.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace campaign::net {

// The most a declared Content-Length reserves before any byte of the body has
// arrived. Records and pages are far smaller, so they still land in one
// allocation; a larger body grows as its bytes come in, so a server that
// declares a length it never sends (up to the body limit, or 2^63 under a
// limit of SIZE_MAX) costs nothing until it does send it.
inline constexpr std::size_t kMaxBodyPrereserve = std::size_t{1} << 20;

struct PaddedBody {
  struct value_type {
    PaddedBuffer* buffer = nullptr;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    // Out of memory becomes an error code: an exception here would unwind
    // through Beast's composed read and lose the operation.
    void init(const boost::optional<std::uint64_t>& length, boost::system::error_code& ec) {
      body_.buffer->clear();
      ec = {};
      try {
        // The parser already refused a Content-Length over the body limit.
        if (length)
          body_.buffer->reserve(static_cast<std::size_t>(
              std::min<std::uint64_t>(*length, kMaxBodyPrereserve)));
      } catch (const std::bad_alloc&) {
        ec = make_error_code(boost::system::errc::not_enough_memory);
      }
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      std::size_t n = 0;
      ec = {};
      try {
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
          boost::asio::const_buffer b = *it;
          body_.buffer->append(b.data(), b.size());
          n += b.size();
        }
      } catch (const std::bad_alloc&) {
        ec = make_error_code(boost::system::errc::not_enough_memory);
      }
      return n;
    }
    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace campaign::net
