// Private: one socket (plain or TLS) and the buffers that live as long as it.
#pragma once

#include "padded_buffer.hpp"
#include "transport.hpp"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <sys/socket.h>

#include <cerrno>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace campaign::net {

// Most the read buffer may hold beyond the header limit. Beast's parser
// consumes body bytes as they arrive, so the buffer only ever holds what the
// parser cannot consume yet: a header block (bounded by header_limit), a
// chunk-size line with its extensions, or a trailer block (neither bounded by
// Beast), plus one read (Beast reads at most 64 KiB at a time). A server
// sending a chunk extension or trailers that never end would otherwise grow
// the buffer until the deadline (256 MiB sent: 530 MB RSS); with this cap
// Beast reports http::error::buffer_overflow instead. 4 KiB of slack covers
// the "\r\n" and chunk-size digits around a block at the limit.
inline constexpr std::size_t read_buffer_slack = (64u << 10) + (4u << 10);

inline std::size_t read_buffer_limit(std::size_t max_header) noexcept {
  return max_header > SIZE_MAX - read_buffer_slack ? SIZE_MAX : max_header + read_buffer_slack;
}

class Connection {
 public:
  using Tcp = boost::beast::tcp_stream;
  using Tls = boost::asio::ssl::stream<Tcp>;

  Connection(Executor ex, boost::asio::ssl::context* tls, std::size_t padding, std::size_t max_header,
             std::shared_ptr<FdRegistry> fds)
      : fds_(std::move(fds)), read_buffer(read_buffer_limit(max_header)), body(padding) {
    if (tls) tls_.emplace(ex, *tls);
    else tcp_.emplace(ex);
    // Room for typical response heads up front: then reads inside Beast's
    // composed operation need no allocation (which could not be reported).
    read_buffer.reserve(16 * 1024);
  }
  ~Connection() {
    close();
    if (!request.empty()) OPENSSL_cleanse(request.data(), request.size());  // held the key
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Tcp& tcp() noexcept { return tls_ ? tls_->next_layer() : *tcp_; }
  Tls* tls() noexcept { return tls_ ? &*tls_ : nullptr; }

  // Calls f with the stream to read and write (the TLS one when TLS).
  template <class F>
  void with_stream(F&& f) {
    if (tls_) f(*tls_);
    else f(*tcp_);
  }

  // Records the descriptor once the socket is open (close-on-exec is set).
  void opened(int fd) {
    fd_ = fd;
    fds_->add(fd);
  }
  // Closes without a TLS close_notify: a pooled or failed connection has
  // nothing to say, and waiting for the peer could hang (beast#2807).
  void close() noexcept {
    if (fd_ >= 0) {
      fds_->remove(fd_);
      fd_ = -1;
    }
    boost::system::error_code ec;
    tcp().socket().close(ec);
  }

  bool is_open() noexcept { return tcp().socket().is_open(); }

  // True when nothing arrived while the connection sat idle: no bytes (an
  // unsolicited response, a TLS alert), no EOF, no error. A pooled
  // connection that is not quiet cannot be trusted with the next request:
  // whatever came first would be read as its response.
  bool quiet() noexcept {
    if (!is_open() || read_buffer.size() != 0) return false;
    if (tls_ && ::SSL_pending(tls_->native_handle()) > 0) return false;
    char c;
    for (;;) {
      ssize_t n = ::recv(tcp().socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }

  // Going back to the pool: a connection keeps its buffers for the next
  // response, but not ones a rare big response left behind (the body buffer
  // grows to twice the largest body read; 64 pooled connections each holding
  // one would pin hundreds of MiB).
  static constexpr std::size_t kept_body_capacity = 256u << 10;
  static constexpr std::size_t kept_read_capacity = 64u << 10;
  void trim_buffers() noexcept {
    body.release_if_over(kept_body_capacity);
    if (read_buffer.size() == 0 && read_buffer.capacity() > kept_read_capacity) read_buffer.shrink_to_fit();
  }

  std::shared_ptr<FdRegistry> fds_;  // may outlive the transport in a pending handler
  int fd_ = -1;
  boost::beast::flat_buffer read_buffer;  // must persist between reads
  PaddedBuffer body;
  std::string request;
  Clock::time_point idle_since{};
  std::uint64_t uses = 0;

 private:
  std::optional<Tcp> tcp_;
  std::optional<Tls> tls_;
};

}  // namespace campaign::net
