// Client construction, threads, submission, cancellation and teardown.
#include "client_impl.hpp"

#include "net/endpoint.hpp"
#include "net/tls_context.hpp"
#include "net_failure.hpp"

#include <campaign/redact.hpp>
#include <campaign/version.hpp>

#include <boost/asio/post.hpp>

#include <openssl/crypto.h>

#include <future>

#include <pthread.h>
#include <unistd.h>

namespace campaign {

namespace asio = boost::asio;

namespace {

thread_local const Client::Impl* current_io_client = nullptr;

// Bumped in every forked child (pthread_atfork), read on every submit.
std::atomic<unsigned> fork_generation{0};
bool atfork_registered = false;

unsigned current_fork_generation() {
  static const bool once = [] {
    atfork_registered =
        ::pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1, std::memory_order_relaxed); }) == 0;
    return true;
  }();
  (void)once;
  return fork_generation.load(std::memory_order_relaxed);
}

// Option bounds, each far above any real use (a 1 GiB record, 4096 sockets
// per thread, 100 retries) and far below where arithmetic would wrap.
constexpr int max_retries_limit = 100;
constexpr std::size_t max_connections_limit = 4096;
constexpr std::size_t max_body_limit = std::size_t{1} << 30;
constexpr std::size_t max_header_limit = std::size_t{16} << 20;
constexpr double max_budget_value = 1e6;

bool header_safe(std::string_view s, bool allow_space) {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) {
      if (!(allow_space && c == ' ')) return false;
    }
  return true;
}

Result<std::shared_ptr<Client::Impl>> make_impl(ClientOptions options) {
  auto bad = [](std::string m) { return make_error(ErrorKind::invalid_argument, std::move(m)); };
  auto ep = net::parse_base_url(options.base_url);
  if (!ep) return detail::to_error(ep.error());
  if (options.api_key.empty()) return bad("API key is missing");
  if (!header_safe(options.api_key, false))
    return bad("API key contains characters not allowed in an HTTP header");
  if (!header_safe(options.user_agent_suffix, true)) return bad("user agent suffix contains invalid characters");
  // Bounds (docs/decisions.md): wide enough for any real use, narrow enough
  // that no deadline sum, buffer doubling or float-to-int cast can overflow.
  using std::chrono::milliseconds;
  constexpr milliseconds day = std::chrono::hours(24);  // "no timeout" idioms land here
  auto within = [](milliseconds v, milliseconds lo, milliseconds hi) { return v >= lo && v <= hi; };
  if (!within(options.timeout, milliseconds(1), day) || !within(options.connect_timeout, milliseconds(1), day) ||
      !within(options.total_timeout, milliseconds(1), day))
    return bad("timeouts must be 1 ms to 24 h (there is no 'wait forever')");
  if (!within(options.idle_timeout, milliseconds(0), day) || !within(options.backoff_initial, milliseconds(0), day) ||
      !within(options.backoff_max, milliseconds(0), day) || !within(options.max_retry_after, milliseconds(0), day))
    return bad("idle_timeout, backoff and max_retry_after must be 0 to 24 h");
  if (options.max_retries < 0 || options.max_retries > max_retries_limit) return bad("max_retries must be 0..100");
  if (options.max_connections == 0 || options.max_connections > max_connections_limit)
    return bad("max_connections must be 1..4096");
  if (options.io_threads < 1 || options.io_threads > 64) return bad("io_threads must be 1..64");
  if (options.max_body_bytes == 0 || options.max_body_bytes > max_body_limit)
    return bad("max_body_bytes must be 1 byte to 1 GiB");
  if (options.max_header_bytes < 1024 || options.max_header_bytes > max_header_limit)
    return bad("max_header_bytes must be 1 KiB to 16 MiB");
  // `!(x >= lo && x <= hi)` so that NaN fails too.
  for (double v : {options.retry_budget_ratio, options.retry_budget_burst})
    if (!(v >= 0.0 && v <= max_budget_value)) return bad("retry budget values must be 0..1e6 (and not NaN)");

  std::shared_ptr<asio::ssl::context> tls;
  if (ep->tls) {
    auto ctx = net::make_tls_context(net::TlsSettings{options.tls.ca_file, options.tls.ca_dir,
                                                      !options.tls.insecure_skip_verify});
    if (!ctx) return detail::to_error(ctx.error());
    tls = *ctx;
  }
  return std::make_shared<Client::Impl>(std::move(options), std::move(*ep), std::move(tls));
}

}  // namespace

ClientOptions ClientOptions::fail_fast(std::string base_url, std::string api_key) {
  ClientOptions o;
  o.base_url = std::move(base_url);
  o.api_key = std::move(api_key);
  o.timeout = std::chrono::milliseconds(1500);
  o.connect_timeout = std::chrono::milliseconds(500);
  o.total_timeout = std::chrono::milliseconds(2000);
  o.max_retries = 1;
  o.backoff_initial = std::chrono::milliseconds(100);
  o.backoff_max = std::chrono::milliseconds(250);
  o.max_retry_after = std::chrono::milliseconds(250);
  return o;
}

// --- Impl ---

Client::Impl::Impl(ClientOptions opts, net::Endpoint ep, std::shared_ptr<asio::ssl::context> ctx)
    : options(std::move(opts)),
      endpoint(std::move(ep)),
      tls(std::move(ctx)),
      budget(options.retry_budget_ratio, options.retry_budget_burst),
      pid_(::getpid()),
      fork_generation_(current_fork_generation()) {
  // Off, the client keeps a gate of its own: it still records what the
  // server says, and its attempts never count against the shared one.
  gate = options.rate_limit_gate
             ? detail::RateGate::shared(std::string(endpoint.tls ? "https://" : "http://") + endpoint.host_header,
                                        options.api_key)
             : std::make_shared<detail::RateGate>();
  std::string ua = std::string("campaign/") + CAMPAIGN_VERSION_STRING;
  if (!options.user_agent_suffix.empty()) ua += " " + options.user_agent_suffix;
  // Built in one buffer reserved up front: string concatenation would leave
  // copies of the key in freed temporaries; this one is wiped in ~Impl.
  constexpr std::string_view parts[] = {"Host: ", "\r\nAuthorization: Bearer ", "\r\nAccept: application/json\r\nUser-Agent: ", "\r\n"};
  std::size_t size = endpoint.host_header.size() + options.api_key.size() + ua.size();
  for (auto p : parts) size += p.size();
  fixed_headers.reserve(size);
  fixed_headers.append(parts[0]).append(endpoint.host_header).append(parts[1]).append(options.api_key);
  fixed_headers.append(parts[2]).append(ua).append(parts[3]);
}

Client::Impl::~Impl() {
  OPENSSL_cleanse(fixed_headers.data(), fixed_headers.size());
  OPENSSL_cleanse(options.api_key.data(), options.api_key.size());
}

void Client::Impl::make_shards(asio::io_context* attached) {
  int n = attached ? 1 : options.io_threads;
  net::TransportOptions to;
  to.endpoint = endpoint;
  to.connect_timeout = options.connect_timeout;
  to.idle_timeout = options.idle_timeout;
  to.max_body = options.max_body_bytes;
  to.max_header = options.max_header_bytes;
  to.max_connections = options.max_connections;
  to.body_padding = decode_padding();
  to.tls_verify = !options.tls.insecure_skip_verify;

  std::vector<std::unique_ptr<Shard>> shards;
  for (int i = 0; i < n; ++i) {
    std::unique_ptr<asio::io_context> own;
    if (!attached) own = std::make_unique<asio::io_context>(1);
    auto& ioc = attached ? *attached : *own;
    auto shard = std::make_unique<Shard>(ioc, options.max_connections + 8);
    shard->own_ioc = std::move(own);
    shard->transport = std::make_shared<net::Transport>(shard->strand, to, tls, transport_counters, shard->fds);
    shard->transport->set_fixed_headers(fixed_headers);
    if (shard->own_ioc) {
      shard->work.emplace(shard->own_ioc->get_executor());
      shard->thread = std::thread([this, ioc = shard->own_ioc.get()] {
        current_io_client = this;
        // Handlers guard themselves; this is the last line of defence so an
        // escaped exception never takes the host process down.
        for (;;) {
          try {
            ioc->run();
            return;
          } catch (const std::exception& e) {
            log(LogLevel::error, std::string("I/O handler failed: ") + e.what());
          } catch (...) {
            log(LogLevel::error, "I/O handler failed");
          }
        }
      });
    }
    shards.push_back(std::move(shard));
  }
  shards_ = std::move(shards);
}

void Client::Impl::start(asio::io_context* attached) {
  owned_ = attached == nullptr;
  attached_ = attached;
  make_shards(attached);
}

bool Client::Impl::on_own_thread() const {
  if (current_io_client == this) return true;
  for (const auto& s : shards_)
    if (s->strand.running_in_this_thread()) return true;
  return false;
}

void Client::Impl::log(LogLevel level, const std::string& message) const {
  if (!options.log) return;
  // Lines may quote IDs or server text: whatever they hold, never the key.
  options.log(level, flatten_line(redact(message, options.api_key)));
}

void Client::Impl::request_started(std::size_t n) {
  std::lock_guard lock(flight_mutex_);
  in_flight_ += n;
}

void Client::Impl::request_finished(std::size_t n) {
  std::lock_guard lock(flight_mutex_);
  if ((in_flight_ -= n) == 0) flight_cv_.notify_all();
}

bool Client::Impl::forked() const noexcept {
  if (!atfork_registered) return pid_ != ::getpid();
  return fork_generation_.load(std::memory_order_relaxed) != current_fork_generation();
}

void Client::Impl::after_fork() {
  // In a forked child only the forking thread exists: the old I/O threads,
  // their io_contexts and locks are gone or frozen. Close our copies of the
  // inherited sockets (never writing to them: they are the parent's
  // connections), abandon the old shards on purpose, and start fresh.
  std::lock_guard lock(fork_mutex_);
  fork_generation_.store(current_fork_generation(), std::memory_order_relaxed);
  if (pid_ == ::getpid()) return;
  for (auto& s : shards_) {
    s->fds->close_all_in_child();
    (void)s.release();  // deliberately leaked: destroying it could deadlock
  }
  shards_.clear();
  {
    std::lock_guard flight(flight_mutex_);
    in_flight_ = 0;  // the parent's requests are not ours
  }
  // A gate of its own: the parent's attempts will never settle here, and a
  // parent thread may have held the shared gate's lock at the fork.
  gate = std::make_shared<detail::RateGate>();
  // Likewise the flights: the parent's will never land here.
  (void)flights.release();
  flights = std::make_unique<FlightTable>();
  pid_ = ::getpid();
  if (owned_) make_shards(nullptr);
  else make_shards(attached_);
  log(LogLevel::warning, "client used after fork(): inherited connections dropped");
}

std::uint64_t Client::Impl::submit(std::string_view id, Callback cb) {
  if (forked()) after_fork();
  std::uint64_t n = next_request.fetch_add(1, std::memory_order_relaxed);
  if (options.coalesce) {
    enqueue(n, id, std::move(cb), net::saturating_add(net::Clock::now(), options.total_timeout));
    return n;
  }
  return submit_direct(n, id, std::move(cb));
}

template <class Make>
std::uint64_t Client::Impl::launch(std::uint64_t n, Make&& make) {
  Shard& shard = shard_for(n);
  request_started();
  try {
    auto op = make(shard);
    asio::post(shard.strand, [op, &shard, n] {
      op->guarded([&] {
        shard.active.emplace(n, op);
        op->start();
      });
    });
  } catch (...) {
    request_finished();  // nothing was started: the callback will not run
    throw;
  }
  return n;
}

std::uint64_t Client::Impl::submit_direct(std::uint64_t n, std::string_view id, Callback cb, bool flight) {
  return launch(n, [&](Shard& shard) {
    return std::make_shared<RequestOp>(shared_from_this(), shard, n, std::string(id), std::move(cb), flight);
  });
}

std::uint64_t Client::Impl::submit_request(detail::RawRequest request, Callback cb) {
  if (forked()) after_fork();
  const std::uint64_t n = next_request.fetch_add(1, std::memory_order_relaxed);
  return launch(n, [&](Shard& shard) {
    return std::make_shared<RequestOp>(shared_from_this(), shard, n, std::move(request), std::move(cb));
  });
}


void Client::Impl::submit_batch(std::span<BatchRequest> batch) {
  if (batch.empty()) return;
  if (forked()) after_fork();
  const std::size_t n = batch.size();
  const std::uint64_t first = next_request.fetch_add(n, std::memory_order_relaxed);
  const std::size_t nshards = shards_.size();
  request_started(n);
  std::size_t posted = 0;
  try {
    // Request first + k goes to shard (first + k) % nshards, as submit() would send it.
    for (std::size_t s = 0; s < std::min(nshards, n); ++s) {
      Shard& shard = shard_for(first + s);
      std::vector<std::shared_ptr<RequestOp>> ops;
      ops.reserve((n - s + nshards - 1) / nshards);
      for (std::size_t k = s; k < n; k += nshards)
        ops.push_back(std::make_shared<RequestOp>(shared_from_this(), shard, first + k, std::string(batch[k].id),
                                                  std::move(batch[k].cb)));
      asio::post(shard.strand, [&shard, ops = std::move(ops)] {
        for (const auto& op : ops)
          op->guarded([&] {
            shard.active.emplace(op->number(), op);
            op->start();
          });
      });
      for (std::size_t k = s; k < n; k += nshards) {
        batch[k].number = first + k;
        batch[k].started = true;
        ++posted;
      }
    }
  } catch (...) {
    request_finished(n - posted);  // those were not started: their callbacks will not run
    throw;
  }
}

void Client::Impl::cancel(std::uint64_t request) {
  if (shards_.empty()) return;
  if (cancel_waiter(request)) return;
  Shard& shard = shard_for(request);
  asio::post(shard.strand, [&shard, request] {
    auto it = shard.active.find(request);
    if (it != shard.active.end()) {
      auto op = it->second;
      op->cancel();
    }
  });
}

void Client::Impl::cancel_all() {
  cancel_epoch.fetch_add(1, std::memory_order_acq_rel);  // before the cancels: no batch refills after them
  {
    // Gets made after this call must not join a request it is cancelling.
    std::lock_guard lock(flights->mutex);
    flights->by_id.clear();
  }
  for (auto& s : shards_) {
    Shard* shard = s.get();
    asio::post(shard->strand, [shard] {
      std::vector<std::shared_ptr<RequestOp>> ops;
      ops.reserve(shard->active.size());
      for (auto& [n, op] : shard->active) ops.push_back(op);
      for (auto& op : ops) op->cancel();
    });
  }
}

void Client::Impl::shutdown() {
  if (pid_ != ::getpid()) {
    // A child that never used the client: nothing of the parent's is ours to stop.
    for (auto& s : shards_) {
      s->fds->close_all_in_child();
      (void)s.release();
    }
    shards_.clear();
    return;
  }
  // ~Client is noexcept: under memory exhaustion a cancel that cannot be
  // posted lets requests run to their deadlines instead of terminating.
  try {
    cancel_all();
  } catch (...) {
  }
  if (!owned_) return;  // callbacks run on the caller's io_context, later
  if (on_own_thread()) {
    // Destroyed from one of its own callbacks: it cannot join itself, so the
    // rest of the teardown finishes on a helper thread.
    try {
      std::thread([self = shared_from_this()] { self->shutdown(); }).detach();
    } catch (...) {
      // No thread to be had: stop the loops and leak the state rather than
      // terminate (the I/O threads still refer to it as they return).
      for (auto& sh : shards_) sh->own_ioc->stop();
      (void)new std::shared_ptr<Impl>(shared_from_this());
    }
    return;
  }
  {
    std::unique_lock lock(flight_mutex_);
    flight_cv_.wait(lock, [&] { return in_flight_ == 0; });
  }
  for (auto& s : shards_) {
    Shard* shard = s.get();
    try {
      asio::post(shard->strand, [shard] {
        shard->transport->close_idle();
        shard->own_ioc->stop();
      });
    } catch (...) {
      shard->own_ioc->stop();  // thread-safe; the sockets close with the shard
    }
  }
  for (auto& s : shards_)
    if (s->thread.joinable()) s->thread.join();
  shards_.clear();
}

// --- Client ---

Result<Client> Client::create(ClientOptions options) {
  auto impl = make_impl(std::move(options));
  if (!impl) return impl.error();
  (*impl)->start(nullptr);
  return Client(std::move(*impl));
}

Result<Client> Client::create(asio::io_context& ioc, ClientOptions options) {
  auto impl = make_impl(std::move(options));
  if (!impl) return impl.error();
  (*impl)->start(&ioc);
  return Client(std::move(*impl));
}

Client::Client(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->shutdown();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
Client::~Client() {
  if (impl_) impl_->shutdown();
}

std::uint64_t Client::submit(std::string_view id, Callback callback) {
  return impl_->submit(id, std::move(callback));
}
std::uint64_t Client::submit_to(const std::shared_ptr<Impl>& impl, std::string_view id, Callback callback) {
  return impl->submit(id, std::move(callback));
}
void Client::cancel(std::uint64_t request) { impl_->cancel(request); }
void Client::cancel_in(const std::weak_ptr<Impl>& impl, std::uint64_t request) {
  if (auto p = impl.lock()) p->cancel(request);
}
void Client::cancel_all() { impl_->cancel_all(); }

Result<Campaign> Client::get(std::string_view id) {
  if (impl_->on_own_thread())
    return make_error(ErrorKind::internal, "blocking get() called from the client's own thread");
  try {
    std::promise<Result<Campaign>> promise;
    auto future = promise.get_future();
    impl_->submit(id, [&promise](Result<Campaign> r) { promise.set_value(std::move(r)); });
    return future.get();
  } catch (const std::bad_alloc&) {
    return make_error(ErrorKind::internal, "out of memory");
  }
}

ClientStats Client::stats() const {
  ClientStats s;
  s.requests = impl_->requests.load();
  s.attempts = impl_->transport_counters->attempts.load();
  s.retries = impl_->retries.load();
  s.budget_denied = impl_->budget_denied.load();
  s.connections_opened = impl_->transport_counters->opened.load();
  s.connections_reused = impl_->transport_counters->reused.load();
  s.stale_resends = impl_->transport_counters->stale_resends.load();
  s.responses_429 = impl_->responses_429.load();
  s.rate_limit_waits = impl_->rate_limit_waits.load();
  s.rate_limit_wait_ms = impl_->rate_limit_wait_ms.load();
  s.rate_limit = impl_->gate->last();
  s.coalesced = impl_->coalesced.load();
  return s;
}

const ClientOptions& Client::options() const noexcept { return impl_->options; }

}  // namespace campaign
