// Private: the state behind campaign::Client.
//
// The client is split into shards: each has one strand, one Transport (its
// own keep-alive pool), one Decoder and the requests assigned to it, so a
// shard's state is only ever touched on its strand and needs no lock.
// Owned clients run one thread per shard; attached ones run on a strand of
// the caller's io_context.
#pragma once

#include "flight.hpp"
#include "net/transport.hpp"
#include "rate_gate.hpp"
#include "retry_policy.hpp"

#include <campaign/client.hpp>
#include <campaign/decode.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>

#include <sys/types.h>

namespace campaign {

class RequestOp;

namespace detail {
// What a request that is not a get of one campaign does with its 200 body:
// reads it while it is valid (it is the connection's buffer: padded, see
// net::Response); an Error makes the request fail like a bad record would.
using BodySink = std::function<std::optional<Error>(const char* body, std::size_t size, std::size_t capacity)>;
// A GET of any target under the endpoint (a list page): its callback gets
// an empty Campaign on success, the sink having taken the body.
struct RawRequest {
  std::string target;  // path and query, with the endpoint's prefix
  BodySink sink;
};
}  // namespace detail

struct Shard {
  Shard(boost::asio::io_context& ioc, std::size_t fd_slots)
      : strand(boost::asio::make_strand(ioc)), fds(std::make_shared<net::FdRegistry>(fd_slots)) {}

  std::unique_ptr<boost::asio::io_context> own_ioc;  // owned mode only
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  net::Executor strand;
  std::shared_ptr<net::FdRegistry> fds;  // shared with the transport and its connections
  std::shared_ptr<net::Transport> transport;
  Decoder decoder;
  std::unordered_map<std::uint64_t, std::shared_ptr<RequestOp>> active;  // on the strand
  std::thread thread;
};

class Client::Impl : public std::enable_shared_from_this<Client::Impl> {
 public:
  Impl(ClientOptions opts, net::Endpoint ep, std::shared_ptr<boost::asio::ssl::context> tls);
  ~Impl();

  // Builds the shards: owned threads, or one strand on `attached`.
  void start(boost::asio::io_context* attached);
  std::uint64_t submit(std::string_view id, Callback cb);
  // A GET of request.target through the same attempts, retries, rate gate
  // and error handling as a get (never coalesced). Returns its number for
  // cancel(). Throws std::bad_alloc only when it could not start.
  std::uint64_t submit_request(detail::RawRequest request, Callback cb);
  // One request of submit_batch(); `number` and `started` are filled in.
  struct BatchRequest {
    std::string_view id;
    Callback cb;
    std::uint64_t number = 0;
    bool started = false;
  };
  // Starts every request with one hand-off per shard instead of one each
  // (get_many refills its window this way). Throws std::bad_alloc when some
  // could not be started: those have started == false and their callbacks
  // never run; the started ones run as usual.
  void submit_batch(std::span<BatchRequest> batch);
  void cancel(std::uint64_t request);
  void cancel_all();
  void shutdown();  // ~Client
  bool on_own_thread() const;
  void log(LogLevel level, const std::string& message) const;

  // Bookkeeping of callbacks still to run (for a bounded, complete shutdown).
  void request_started(std::size_t n = 1);
  void request_finished(std::size_t n = 1);

  ClientOptions options;
  net::Endpoint endpoint;
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::string fixed_headers;  // Host, Authorization, Accept, User-Agent lines
  detail::RetryBudget budget;
  std::shared_ptr<net::TransportCounters> transport_counters = std::make_shared<net::TransportCounters>();
  std::atomic<std::uint64_t> requests{0}, retries{0}, budget_denied{0};
  std::shared_ptr<detail::RateGate> gate;  // shared per origin and key
  std::atomic<std::uint64_t> responses_429{0}, responses_503{0}, rate_limit_waits{0}, rate_limit_wait_ms{0};
  std::atomic<std::uint64_t> next_request{1};
  std::atomic<std::uint64_t> coalesced{0};
  std::unique_ptr<FlightTable> flights = std::make_unique<FlightTable>();
  std::atomic<std::uint64_t> cancel_epoch{0};  // bumped by cancel_all(): running batches stop

 private:
  void make_shards(boost::asio::io_context* attached);
  // One request of its own (coalescing off, or a flight's request).
  std::uint64_t submit_direct(std::uint64_t n, std::string_view id, Callback cb, bool flight = false);
  // Makes request n's op with make(shard) and posts its start to the shard.
  template <class Make>
  std::uint64_t launch(std::uint64_t n, Make&& make);
  // Coalescing (flight.cpp): waiter `n` joins the flight for `id`, starting one if none.
  void enqueue(std::uint64_t n, std::string_view id, Callback cb, net::Clock::time_point deadline);
  void join(const std::shared_ptr<Flight>& f, std::uint64_t n, Callback cb, net::Clock::time_point deadline);
  void land(const std::shared_ptr<Flight>& f, Result<Campaign> result);
  void drop(const std::shared_ptr<Flight>& f, std::uint64_t n, Error why);
  void deliver(std::uint64_t n, Callback& cb, Result<Campaign> result) noexcept;
  bool cancel_waiter(std::uint64_t n);
  void after_fork();
  // Cheap fork check for every submit: a pthread_atfork child handler bumps
  // a process-wide generation, so no getpid() system call per request.
  bool forked() const noexcept;
  Shard& shard_for(std::uint64_t request) { return *shards_[request % shards_.size()]; }

  std::vector<std::unique_ptr<Shard>> shards_;
  bool owned_ = true;
  boost::asio::io_context* attached_ = nullptr;
  pid_t pid_;
  std::atomic<unsigned> fork_generation_;
  std::mutex fork_mutex_;
  std::mutex flight_mutex_;
  std::condition_variable flight_cv_;
  std::size_t in_flight_ = 0;
};

// One logical get: attempts, waits between them, and the final callback.
// Lives on its shard's strand.
class RequestOp : public std::enable_shared_from_this<RequestOp> {
 public:
  // A flight's request (`flight`) serves waiters that each keep their own
  // deadline: an attempt is then bounded by the per-attempt timeout only,
  // never cut at a deadline a later waiter extends.
  RequestOp(std::shared_ptr<Client::Impl> impl, Shard& shard, std::uint64_t number, std::string id,
            Client::Callback cb, bool flight = false);
  // A raw request: its target as given, its 200 body to the sink.
  RequestOp(std::shared_ptr<Client::Impl> impl, Shard& shard, std::uint64_t number,
            detail::RawRequest request, Client::Callback cb);
  void start();
  void cancel();
  // A coalesced waiter with a later deadline joined: the request may run to it.
  void extend_deadline(net::Clock::time_point t) noexcept { deadline_ = std::max(deadline_, t); }
  std::uint64_t number() const noexcept { return number_; }
  // Runs one step; an exception (out of memory) finishes the request with
  // `internal` rather than unwinding through Asio and losing the callback.
  template <class F>
  void guarded(F&& step) noexcept {
    try {
      step();
    } catch (...) {
      finish_out_of_memory();
    }
  }

 private:
  void finish_out_of_memory() noexcept;
  void attempt();
  // Holds the attempt back until the key's window resets (true: waiting or finished).
  bool wait_for_gate();
  // Tells the gate what the attempt's response (or its absence) said.
  void settle_gate(const net::Response* r);
  void on_response(const net::Response& r);
  // The 200 of a get (decode, check the ID) or of a raw request (the sink).
  Result<Campaign> on_ok(const net::Response& r);
  void on_failure(const net::Failure& f);
  // Retries if the rules, the budget and the deadline allow; else finishes.
  void retry_or_finish(Error error, bool retryable, std::optional<std::chrono::milliseconds> server_wait);
  void finish(Result<Campaign> result);

  std::shared_ptr<Client::Impl> impl_;
  Shard& shard_;
  std::uint64_t number_;
  std::string id_, target_;  // a raw request's id_ is its target (for logs)
  Client::Callback cb_;
  detail::BodySink sink_;  // raw requests only
  net::Clock::time_point deadline_ = net::Clock::time_point::min();  // extend_deadline() may come first
  std::optional<boost::asio::steady_timer> wait_timer_;  // made on the first retry: most requests never wait
  std::shared_ptr<net::Exchange> exchange_;
  int attempts_ = 0;
  bool finished_ = false, waiting_ = false, flight_ = false;
  std::optional<net::Clock::time_point> gate_wait_since_;  // held back by the gate since then
  std::optional<std::chrono::milliseconds> retry_wait_429_;  // the last 429's hold, as the gate set it
};

}  // namespace campaign
