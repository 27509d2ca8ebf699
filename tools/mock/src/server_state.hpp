// State shared by the server object and its connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "campaign_mock/server.hpp"
#include "rate_limiter.hpp"
#include "record_store.hpp"
#include "request_log.hpp"

namespace campaign::mock::detail {

// Per-id fault queues. The hot path reads one atomic while nothing is scripted.
class FaultScripts {
 public:
  void add(std::string id, std::vector<Fault> faults);
  std::optional<Fault> pop(std::string_view id);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Fault>> queues_;  // guarded by mutex_
  std::atomic<std::size_t> pending_{0};
};

struct Shared {
  explicit Shared(Options o) : options(std::move(o)), store(options.advance, options.dialect) {
    if (!options.request_log_file.empty()) file_log.emplace(options.request_log_file);
    if (options.rate_limit.limit > 0) limiter.emplace(options.rate_limit);
  }

  const Options options;
  RecordStore store;
  FaultScripts scripts;
  std::optional<boost::asio::ssl::context> tls;
  std::optional<RequestFileLog> file_log;
  std::optional<RateLimiter> limiter;
  std::atomic<std::uint64_t> requests{0}, connections{0}, active{0}, faults{0};

  std::chrono::system_clock::time_point now() const {
    return options.now ? options.now() : std::chrono::system_clock::now();
  }

  // A scripted fault for `id`, else a random one for request number `n`, else null.
  const Fault* pick_fault(std::string_view id, std::uint64_t n, std::optional<Fault>& scripted);
  // The random fault (if any) for request number `n`.
  const Fault* pick_random(std::uint64_t n) const;
  // ListFaults::fail_once_page: true the first time for this list path.
  bool fail_once(std::string_view path);

  std::mutex fail_once_mutex;
  std::unordered_set<std::string> failed_paths;  // guarded by fail_once_mutex
};

// One io thread: its own event loop, snapshot of the records and request log.
struct Worker {
  Worker(Shared& s, std::size_t log_capacity) : shared(s), log(log_capacity) {}

  Shared& shared;
  std::optional<boost::asio::io_context> ioc{std::in_place, 1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  RecordStore::View view;  // touched only on this worker's thread
  RequestLogRing log;
  std::thread thread;
};

// Runs one connection on `worker` (call on the worker's thread).
void start_session(Worker& worker, boost::asio::ip::tcp::socket socket, std::uint64_t connection_id);

}  // namespace campaign::mock::detail
