// Private: one HTTP request/response on a Transport, from waiting for a
// connection to the last body byte, under one deadline.
#pragma once

#include "connection.hpp"
#include "padded_body.hpp"
#include "transport.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/parser.hpp>

#include <optional>
#include <vector>

namespace campaign::net {

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<Transport> transport, std::string target, std::string extra_headers,
           Clock::time_point deadline, ExchangeHandler handler);

  void begin();
  void cancel();
  // A connection is ready (pooled or fresh): send on it.
  void send(std::shared_ptr<Connection> conn, bool reused);
  // Opening a connection for this exchange: resolve, connect, handshake.
  void connect(std::shared_ptr<Connection> conn);
  bool done() const noexcept { return done_; }
  // Completes with a failure (no-op when already complete).
  void fail(FailureKind kind, std::string message);

 private:
  using Parser = boost::beast::http::response_parser<PaddedBody>;
  using tcp = boost::asio::ip::tcp;

  // Runs one step; out of memory (or any exception) ends the exchange with
  // `internal` instead of unwinding through Asio and losing the callback.
  template <class F>
  void guarded(F&& step) noexcept {
    try {
      step();
    } catch (...) {
      fail_out_of_memory();
    }
  }
  void fail_out_of_memory() noexcept;
  void start_timer_and_acquire();
  void on_deadline(boost::system::error_code ec);
  // Resolves on a detached thread (Asio's resolver thread is joined when the
  // io_context goes, so a stuck getaddrinfo made destroying the client wait).
  void resolve();
  void on_resolved(int gai_error, int sys_error, std::vector<tcp::endpoint> endpoints);
  void on_connect_deadline(boost::system::error_code ec);
  void connect_next(std::size_t index);
  void on_connected(std::size_t index, boost::system::error_code ec);
  void on_handshake(boost::system::error_code ec);
  void write();
  void on_write(boost::system::error_code ec);
  void read();
  void on_read(boost::system::error_code ec);
  // At the top of every completion: true when the exchange had already
  // ended (then it only releases what the operation held).
  bool completed(bool was_io);
  void io_failed(boost::system::error_code ec, bool handshake);
  void deliver();
  void drop_connection();

  std::shared_ptr<Transport> transport_;
  std::string target_, extra_;
  Clock::time_point deadline_, connect_deadline_;
  ExchangeHandler handler_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer connect_timer_;  // connect_deadline_ while resolving
  std::shared_ptr<Connection> conn_;
  std::optional<Parser> parser_;
  tcp::resolver::results_type endpoints_;
  bool reused_ = false, resent_ = false, done_ = false;
  bool timed_out_ = false, cancelled_ = false, connecting_ = false, resolving_ = false;
  bool io_pending_ = false;  // a socket operation is in flight
};

}  // namespace campaign::net
