// Private: HTTP/1.1 GET exchanges with one origin over a keep-alive pool.
//
// Knows nothing of campaigns: it sends a request head and hands back the
// status, a few headers and the body (in a padded buffer, valid only during
// the callback). One Transport belongs to one strand; every member function
// must be called on it, and every callback runs on it.
#pragma once

#include "endpoint.hpp"
#include "failure.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace campaign::net {

using Clock = std::chrono::steady_clock;
using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;

// t + d, saturating at the clock's end instead of overflowing (a timeout of
// milliseconds::max() is about 292 million years, far past what the clock's
// nanoseconds can hold); a negative d counts as zero.
inline Clock::time_point saturating_add(Clock::time_point t, std::chrono::milliseconds d) noexcept {
  if (d <= std::chrono::milliseconds::zero()) return t;
  auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - t);
  if (d >= room) return Clock::time_point::max();
  return t + std::chrono::duration_cast<Clock::duration>(d);
}

struct TransportOptions {
  Endpoint endpoint;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds idle_timeout{30000};
  std::size_t max_body = 8u << 20;
  std::size_t max_header = 64u << 10;
  std::size_t max_connections = 64;
  std::size_t body_padding = 64;
  bool tls_verify = true;
};

struct TransportCounters {
  std::atomic<std::uint64_t> attempts{0}, opened{0}, reused{0}, stale_resends{0};
  // Pooled connections dropped instead of reused because something (bytes,
  // EOF, an error) had arrived while they were idle.
  std::atomic<std::uint64_t> dropped_unquiet{0};
};

// A response, borrowed for the duration of the callback.
struct Response {
  unsigned status = 0;
  unsigned version = 11;
  std::string_view request_id, retry_after, retry_after_ms, should_retry, location;
  std::string_view date, rate_limit, rate_remaining, rate_reset;  // Date, X-RateLimit-*
  const char* body = nullptr;
  std::size_t body_size = 0;
  std::size_t body_capacity = 0;  // body_capacity - body_size >= body_padding
};

// Exactly one of the two pointers is set.
using ExchangeHandler = std::function<void(const Failure*, const Response*)>;

class Exchange;
class Connection;

// Descriptors the transport has open, in lock-free slots, so a forked child
// can close its inherited copies without touching any other state.
class FdRegistry {
 public:
  explicit FdRegistry(std::size_t slots);
  void add(int fd) noexcept;
  void remove(int fd) noexcept;
  void close_all_in_child() noexcept;

 private:
  std::unique_ptr<std::atomic<int>[]> slots_;
  std::size_t count_;
};

// Lets a resolution running on its own detached thread hand its result back
// only while the transport's executor can still take it: closed at teardown
// (close_idle) and in ~Transport, under the mutex the resolving thread posts
// under. A stuck getaddrinfo then holds nothing but this gate.
struct ResolveGate {
  std::mutex mutex;
  std::optional<Executor> executor;  // empty once closed
};

class Transport : public std::enable_shared_from_this<Transport> {
 public:
  Transport(Executor ex, TransportOptions options, std::shared_ptr<boost::asio::ssl::context> tls,
            std::shared_ptr<TransportCounters> counters, std::shared_ptr<FdRegistry> fds);
  ~Transport();

  // Sends "GET <target> HTTP/1.1" with the fixed headers set below plus
  // `extra_headers` (complete "Name: value\r\n" lines). `deadline` bounds
  // everything, queueing and connecting included.
  std::shared_ptr<Exchange> start(std::string target, std::string extra_headers,
                                  Clock::time_point deadline, ExchangeHandler handler);
  // The callback then runs with `cancelled` (unless it already ran).
  void cancel(const std::shared_ptr<Exchange>& exchange);
  // "Host", "Authorization", "Accept", "User-Agent" lines; wiped on destruction.
  void set_fixed_headers(std::string lines);
  // Closes idle connections and refuses nothing; used at teardown.
  void close_idle();

  const TransportOptions& options() const noexcept { return options_; }

 private:
  friend class Exchange;
  void acquire(const std::shared_ptr<Exchange>& ex);
  void open(const std::shared_ptr<Exchange>& ex);
  void release(std::shared_ptr<Connection> conn, bool reusable);
  void connection_closed();
  // Closes idle connections from the coldest end: idle past idle_timeout, or
  // not quiet (the peer closed, reset or wrote). Stops at the first healthy
  // one, so it costs one check when nothing is to be reaped.
  void reap(Clock::time_point now);
  bool expired(const Connection& conn, Clock::time_point now) const noexcept;

  Executor executor_;
  TransportOptions options_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  // Shared, not borrowed: handlers left on a caller's io_context can keep the
  // transport (and its connections) alive after the client is gone.
  std::shared_ptr<TransportCounters> counters_;
  std::shared_ptr<FdRegistry> fds_;
  std::string fixed_headers_;
  std::shared_ptr<ResolveGate> resolve_gate_;
  std::deque<std::shared_ptr<Connection>> idle_;  // LIFO: the warmest at the back, the coldest at the front
  std::deque<std::weak_ptr<Exchange>> waiting_;    // for a connection slot
  std::size_t open_ = 0;                            // connections open or opening
};

}  // namespace campaign::net
