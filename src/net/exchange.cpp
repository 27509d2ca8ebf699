// This is the one translation unit that instantiates Beast's response parser
// (basic_parser<false>). Beast 1.81's parse_chunk_header asserts `n >= 5`
// when it resumes a final chunk that was also the first one ("0\r\n", an
// empty body) with one byte more ("0\r\n\r"): the assertion is wrong and the
// code after it asks for more input correctly (boostorg/beast#2861, fixed in
// later Boost). In a build without NDEBUG (Debug, the asan preset) a server
// could abort the host with that split, so Boost's assertions are off here,
// before any Boost header is seen; other translation units keep theirs.
// tests/integration/hostile_server_test.cpp splits a reply exactly there.
#ifndef NDEBUG
#ifndef BOOST_DISABLE_ASSERTS
#define BOOST_DISABLE_ASSERTS
#endif
#endif

#include "exchange.hpp"

#include "tls_context.hpp"

#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace campaign::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

std::string_view header(const http::fields& f, std::string_view name) {
  auto it = f.find(beast::string_view(name.data(), name.size()));
  if (it == f.end()) return {};
  auto v = it->value();
  return {v.data(), v.size()};
}

// Errors meaning "the server had closed this idle connection".
bool is_stale(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == http::error::end_of_stream || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

Exchange::Exchange(std::shared_ptr<Transport> transport, std::string target,
                   std::string extra_headers, Clock::time_point deadline, ExchangeHandler handler)
    : transport_(std::move(transport)),
      target_(std::move(target)),
      extra_(std::move(extra_headers)),
      deadline_(deadline),
      handler_(std::move(handler)),
      timer_(transport_->executor_),
      connect_timer_(transport_->executor_) {}

void Exchange::begin() {
  guarded([&] { start_timer_and_acquire(); });
}

void Exchange::start_timer_and_acquire() {
  timer_.expires_at(deadline_);
  timer_.async_wait([self = shared_from_this()](error_code ec) { self->guarded([&] { self->on_deadline(ec); }); });
  transport_->acquire(shared_from_this());
}

void Exchange::on_deadline(error_code ec) {
  if (ec || done_) return;
  timed_out_ = true;
  // Ends now, whatever is pending (a resolve cannot even be cancelled); the
  // pending operation's completion only releases the connection.
  const char* what = !connecting_ ? (conn_ ? "timed out before the response was complete"
                                           : "timed out waiting for a connection")
                     : (conn_ && conn_->is_open() ? "timed out connecting" : "timed out resolving the host");
  fail(FailureKind::timeout, what);
}

void Exchange::cancel() {
  if (done_) return;
  cancelled_ = true;
  fail(FailureKind::cancelled, "request cancelled");
}

bool Exchange::completed(bool was_io) {
  if (was_io) io_pending_ = false;
  if (!done_) return false;
  if (was_io) conn_.reset();  // the exchange already ended: just let go of the socket
  return true;
}

void Exchange::fail(FailureKind kind, std::string message) {
  if (done_) return;
  done_ = true;
  timer_.cancel();
  connect_timer_.cancel();
  Failure f{kind, std::move(message), 0};
  if (parser_ && parser_->get().result_int() != 0) f.http_status = static_cast<int>(parser_->get().result_int());
  if (conn_) drop_connection();
  auto handler = std::move(handler_);
  handler(&f, nullptr);
}

void Exchange::fail_out_of_memory() noexcept {
  try {
    fail(FailureKind::out_of_memory, "out of memory");  // short: no allocation for the text
  } catch (...) {
    done_ = true;  // nothing more can be done; the request's own guard reports it
  }
}

void Exchange::drop_connection() {
  conn_->close();  // aborts any pending operation
  transport_->connection_closed();
  // A pending operation still refers to the socket and buffers: its
  // completion releases them (see completed()).
  if (!io_pending_) conn_.reset();
}

void Exchange::connect(std::shared_ptr<Connection> conn) {
  conn_ = std::move(conn);
  connecting_ = true;
  const auto& ep = transport_->options_.endpoint;
  connect_deadline_ = std::min(deadline_, saturating_add(Clock::now(), transport_->options_.connect_timeout));
  if (ep.host_is_ip) {
    error_code ec;
    auto address = asio::ip::make_address(ep.host, ec);
    endpoints_ = tcp::resolver::results_type::create(tcp::endpoint(address, ep.port), ep.host,
                                                     std::to_string(ep.port));
    connect_next(0);
    return;
  }
  resolve();
}

void Exchange::resolve() {
  resolving_ = true;
  // connect_timeout covers the resolution too (the attempt's timer covers
  // only deadline_, often later).
  if (connect_deadline_ < deadline_) {
    connect_timer_.expires_at(connect_deadline_);
    connect_timer_.async_wait([self = shared_from_this()](error_code ec) {
      self->guarded([&] { self->on_connect_deadline(ec); });
    });
  }
  const auto& ep = transport_->options_.endpoint;
  // The thread holds the gate and a weak reference only: an exchange that
  // ended (timeout, cancel, teardown) is not kept alive by a stuck lookup.
  std::weak_ptr<Exchange> weak = shared_from_this();
  std::thread([gate = transport_->resolve_gate_, weak, host = ep.host, port = std::to_string(ep.port)] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_ADDRCONFIG;  // as Asio's resolver does by default
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list);
    int sys = rc == EAI_SYSTEM ? errno : 0;
    std::vector<tcp::endpoint> endpoints;
    try {
      for (addrinfo* a = list; a; a = a->ai_next) {
        if (a->ai_family == AF_INET && a->ai_addrlen >= sizeof(sockaddr_in)) {
          const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
          asio::ip::address_v4::bytes_type b;
          std::memcpy(b.data(), &in->sin_addr, b.size());
          endpoints.emplace_back(asio::ip::address_v4(b), ntohs(in->sin_port));
        } else if (a->ai_family == AF_INET6 && a->ai_addrlen >= sizeof(sockaddr_in6)) {
          const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
          asio::ip::address_v6::bytes_type b;
          std::memcpy(b.data(), &in6->sin6_addr, b.size());
          endpoints.emplace_back(asio::ip::address_v6(b, in6->sin6_scope_id), ntohs(in6->sin6_port));
        }
      }
    } catch (...) {
      endpoints.clear();
      rc = EAI_MEMORY;
    }
    if (list) ::freeaddrinfo(list);
    std::lock_guard lock(gate->mutex);
    if (!gate->executor) return;  // the transport is being torn down: nobody to tell
    try {
      asio::post(*gate->executor, [weak, rc, sys, endpoints = std::move(endpoints)]() mutable {
        if (auto self = weak.lock())
          self->guarded([&] { self->on_resolved(rc, sys, std::move(endpoints)); });
      });
    } catch (...) {
      // Out of memory: the exchange's deadline ends it.
    }
  }).detach();
}

void Exchange::on_connect_deadline(error_code ec) {
  if (ec || done_ || !resolving_) return;
  timed_out_ = true;
  fail(FailureKind::timeout, "timed out resolving the host");
}

void Exchange::on_resolved(int gai_error, int sys_error, std::vector<tcp::endpoint> endpoints) {
  if (completed(false)) return;
  resolving_ = false;
  connect_timer_.cancel();
  const auto& ep = transport_->options_.endpoint;
  if (Clock::now() >= connect_deadline_) {
    timed_out_ = true;
    fail(FailureKind::timeout, "timed out resolving the host");
    return;
  }
  if (gai_error != 0 || endpoints.empty()) {
    std::string why = gai_error == EAI_SYSTEM ? std::strerror(sys_error)
                      : gai_error != 0        ? ::gai_strerror(gai_error)
                                              : "no addresses";
    fail(FailureKind::network, "cannot resolve host '" + ep.host + "': " + why);
    return;
  }
  endpoints_ = tcp::resolver::results_type::create(endpoints.begin(), endpoints.end(), ep.host,
                                                   std::to_string(ep.port));
  connect_next(0);
}

void Exchange::connect_next(std::size_t index) {
  auto it = endpoints_.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(index));
  tcp::endpoint target = it->endpoint();
  auto& socket = conn_->tcp().socket();
  conn_->close();
  // Children the host forks (PBXs run scripts) must not inherit our sockets:
  // close-on-exec from the start, since setting it afterwards leaves a window
  // in which another thread's fork+exec inherits the descriptor.
  int fd = ::socket(target.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) {
    fail(FailureKind::network, std::string("cannot open a socket: ") + std::strerror(errno));
    return;
  }
  error_code ec;
  socket.assign(target.protocol(), fd, ec);
  if (ec) {
    ::close(fd);
    fail(FailureKind::network, "cannot open a socket: " + ec.message());
    return;
  }
  conn_->opened(socket.native_handle());
  conn_->tcp().expires_at(connect_deadline_);
  io_pending_ = true;
  conn_->tcp().async_connect(target, [self = shared_from_this(), index](error_code e) {
    self->guarded([&] { self->on_connected(index, e); });
  });
}

void Exchange::on_connected(std::size_t index, error_code ec) {
  if (completed(true)) return;
  if (ec) {
    if (!timed_out_ && !cancelled_ && ec != beast::error::timeout && index + 1 < endpoints_.size()) {
      connect_next(index + 1);
      return;
    }
    if (timed_out_ || cancelled_ || ec == beast::error::timeout) {
      io_failed(ec, false);
      return;
    }
    const auto& ep = transport_->options_.endpoint;
    fail(FailureKind::network,
         "cannot connect to " + ep.host + ":" + std::to_string(ep.port) + ": " + ec.message());
    return;
  }
  conn_->tcp().expires_never();
  conn_->tcp().socket().set_option(tcp::no_delay(true), ec);
  if (auto* tls = conn_->tls()) {
    const auto& ep = transport_->options_.endpoint;
    if (!configure_tls_peer(tls->native_handle(), ep.host, ep.host_is_ip, transport_->options_.tls_verify)) {
      fail(FailureKind::tls, "cannot set up TLS host verification");
      return;
    }
    conn_->tcp().expires_at(connect_deadline_);
    io_pending_ = true;
    tls->async_handshake(asio::ssl::stream_base::client,
                         [self = shared_from_this()](error_code e) { self->guarded([&] { self->on_handshake(e); }); });
    return;
  }
  connecting_ = false;
  write();
}

void Exchange::on_handshake(error_code ec) {
  if (completed(true)) return;
  if (ec) {
    io_failed(ec, true);
    return;
  }
  conn_->tcp().expires_never();
  connecting_ = false;
  write();
}

void Exchange::send(std::shared_ptr<Connection> conn, bool reused) {
  conn_ = std::move(conn);
  reused_ = reused;
  if (reused) ++transport_->counters_->reused;
  write();
}

void Exchange::write() {
  ++transport_->counters_->attempts;
  auto& req = conn_->request;
  // The request holds the API key (fixed_headers_): wipe the last one before
  // reuse, and size the buffer before writing so appends never reallocate
  // (a reallocation would free a copy of the key unwiped).
  constexpr std::string_view get = "GET ", version = " HTTP/1.1\r\n", end = "\r\n";
  const std::size_t size = get.size() + target_.size() + version.size() +
                           transport_->fixed_headers_.size() + extra_.size() + end.size();
  if (!req.empty()) OPENSSL_cleanse(req.data(), req.size());
  req.clear();
  if (req.capacity() < size) {
    std::string fresh;
    fresh.reserve(size);
    req.swap(fresh);  // the old storage, wiped above, goes with `fresh`
  }
  req.append(get).append(target_).append(version);
  req.append(transport_->fixed_headers_).append(extra_).append(end);
  io_pending_ = true;
  conn_->with_stream([&](auto& stream) {
    asio::async_write(stream, asio::buffer(req),
                      [self = shared_from_this()](error_code ec, std::size_t) { self->guarded([&] { self->on_write(ec); }); });
  });
}

void Exchange::on_write(error_code ec) {
  if (completed(true)) return;
  if (ec) {
    io_failed(ec, false);
    return;
  }
  read();
}

void Exchange::read() {
  parser_.emplace();
  parser_->body_limit(transport_->options_.max_body);
  parser_->header_limit(static_cast<std::uint32_t>(transport_->options_.max_header));
  parser_->get().result(0u);  // stays 0 until a status line is parsed
  parser_->get().body().buffer = &conn_->body;
  io_pending_ = true;
  conn_->with_stream([&](auto& stream) {
    http::async_read(stream, conn_->read_buffer, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->guarded([&] { self->on_read(ec); }); });
  });
}

void Exchange::on_read(error_code ec) {
  if (completed(true)) return;
  if (ec) {
    io_failed(ec, false);
    return;
  }
  unsigned status = parser_->get().result_int();
  if (status < 100 || status > 599) {
    // RFC 9110 section 15: codes outside 100-599 are invalid (Beast takes any
    // three digits, "000" and "020" included).
    fail(FailureKind::invalid_response, "invalid HTTP status code " + std::to_string(status));
    return;
  }
  if (status >= 100 && status < 200) {
    if (status == 101) {
      fail(FailureKind::invalid_response, "unexpected 101 Switching Protocols");
      return;
    }
    read();  // an interim response (100 Continue, 103 Early Hints): the real one follows
    return;
  }
  deliver();
}

void Exchange::deliver() {
  done_ = true;
  timer_.cancel();
  auto& msg = parser_->get();
  Response r;
  r.status = msg.result_int();
  r.version = msg.version();
  r.request_id = header(msg, "X-Request-Id");
  r.retry_after = header(msg, "Retry-After");
  r.retry_after_ms = header(msg, "retry-after-ms");
  r.should_retry = header(msg, "x-should-retry");
  r.location = header(msg, "Location");
  r.date = header(msg, "Date");
  r.rate_limit = header(msg, "X-RateLimit-Limit");
  r.rate_remaining = header(msg, "X-RateLimit-Remaining");
  r.rate_reset = header(msg, "X-RateLimit-Reset");
  r.body = conn_->body.seal();
  r.body_size = conn_->body.size();
  r.body_capacity = conn_->body.capacity();
  // Reuse only a connection whose message ended cleanly and that holds no
  // stray bytes beyond it.
  bool reusable = msg.keep_alive() && !parser_->need_eof() && conn_->read_buffer.size() == 0;

  auto handler = std::move(handler_);
  handler(nullptr, &r);

  parser_.reset();
  transport_->release(std::move(conn_), reusable);
}

void Exchange::io_failed(error_code ec, bool handshake) {
  if (cancelled_) return fail(FailureKind::cancelled, "request cancelled");
  if (timed_out_ || ec == beast::error::timeout) {
    return fail(FailureKind::timeout, connecting_ ? "timed out connecting"
                                                : "timed out before the response was complete");
  }
  bool nothing_received = !parser_ || (!parser_->got_some() && conn_->read_buffer.size() == 0);
  if (reused_ && !resent_ && nothing_received && is_stale(ec)) {
    // The server closed the pooled connection while it was idle: re-send
    // once on a fresh connection; it does not count as a retry.
    resent_ = true;
    reused_ = false;
    ++transport_->counters_->stale_resends;
    conn_->close();
    conn_.reset();
    parser_.reset();
    --transport_->open_;
    transport_->open(shared_from_this());
    return;
  }
  if (handshake) return fail(FailureKind::tls, describe_tls_failure(conn_->tls()->native_handle(), ec));
  if (ec == boost::system::errc::not_enough_memory) return fail(FailureKind::out_of_memory, "out of memory");
  if (ec == http::error::body_limit) {
    return fail(FailureKind::too_large, "response body over the limit of " +
                                          std::to_string(transport_->options_.max_body) + " bytes");
  }
  if (ec == http::error::header_limit) return fail(FailureKind::invalid_response, "response header block over the limit");
  if (ec == http::error::buffer_overflow) {
    // A chunk-size line, its extensions or the trailers never ended within
    // the read buffer's bound (connection.hpp, read_buffer_slack).
    return fail(FailureKind::invalid_response, "malformed HTTP response: framing line or trailers over the limit");
  }
  if (ec == http::error::end_of_stream) return fail(FailureKind::network, "connection closed before a response");
  if (ec == http::error::partial_message) return fail(FailureKind::network, "connection closed before the response was complete");
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category())
    return fail(FailureKind::invalid_response, "malformed HTTP response: " + ec.message());
  if (ec == asio::ssl::error::stream_truncated)
    return fail(FailureKind::network, "connection closed in the middle of the TLS stream");
  if (ec.category() == asio::error::get_ssl_category())
    return fail(FailureKind::tls, "TLS error: " + ec.message());
  return fail(FailureKind::network, "connection failed: " + ec.message());
}

}  // namespace campaign::net
