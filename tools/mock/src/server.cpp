// The server object: listener, io threads (one event loop each, so no
// connection ever crosses threads), fault choice, and a quick stop.
#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "campaign_mock/server.hpp"
#include "json_text.hpp"
#include "server_state.hpp"

namespace campaign::mock {
namespace detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void FaultScripts::add(std::string id, std::vector<Fault> faults) {
  if (faults.empty()) return;
  std::lock_guard lock(mutex_);
  auto& q = queues_[std::move(id)];
  pending_.fetch_add(faults.size(), std::memory_order_relaxed);
  for (auto& f : faults) q.push_back(std::move(f));
}

std::optional<Fault> FaultScripts::pop(std::string_view id) {
  if (pending_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = queues_.find(std::string(id));
  if (it == queues_.end()) return std::nullopt;
  Fault f = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) queues_.erase(it);
  pending_.fetch_sub(1, std::memory_order_relaxed);
  return f;
}

const Fault* Shared::pick_fault(std::string_view id, std::uint64_t n, std::optional<Fault>& scripted) {
  if ((scripted = scripts.pop(id))) return &*scripted;
  return pick_random(n);
}

bool Shared::fail_once(std::string_view path) {
  std::lock_guard lock(fail_once_mutex);
  return failed_paths.emplace(path).second;
}

const Fault* Shared::pick_random(std::uint64_t n) const {
  if (options.random_faults.empty()) return nullptr;
  // Depends only on the seed and the request number: the same traffic gets
  // the same faults on every run, whichever thread serves it.
  double u = unit_interval(mix64(options.seed ^ mix64(n)));
  double edge = 0;
  for (const auto& [fault, rate] : options.random_faults) {
    edge += rate;
    if (u < edge) return &fault;
  }
  return nullptr;
}

}  // namespace detail

namespace {

Options normalized(Options o) {
  if (o.threads < 1) o.threads = 1;
  if (!o.prefix.empty() && o.prefix.front() != '/') o.prefix.insert(o.prefix.begin(), '/');
  while (!o.prefix.empty() && o.prefix.back() == '/') o.prefix.pop_back();
  if (o.tls_cert_file.empty() != o.tls_key_file.empty())
    throw std::invalid_argument("campaign-mock: TLS needs both a certificate and a key file");
  for (const auto& [fault, rate] : o.random_faults)
    if (!(rate >= 0 && rate <= 1)) throw std::invalid_argument("campaign-mock: fault rate must be in [0, 1]");
  return o;
}

}  // namespace

struct Server::Impl {
  explicit Impl(Options options);
  ~Impl() { stop(); }
  void accept();
  void stop();

  detail::Shared shared;
  std::vector<std::unique_ptr<detail::Worker>> workers;
  std::optional<detail::tcp::acceptor> acceptor;     // on workers[0]
  std::optional<boost::asio::steady_timer> backoff;  // on workers[0]
  std::size_t next_worker = 0;                       // touched on workers[0]'s thread
  std::uint64_t connections = 0;                     // touched on workers[0]'s thread
  std::uint16_t port = 0;
  std::string origin;
  std::mutex stop_mutex;
  bool stopped = false;
};

Server::Impl::Impl(Options options) : shared(normalized(std::move(options))) {
  namespace asio = boost::asio;
  namespace ssl = asio::ssl;
  const Options& o = shared.options;
  if (!o.tls_cert_file.empty()) {
    shared.tls.emplace(ssl::context::tls_server);
    shared.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    shared.tls->use_certificate_chain_file(o.tls_cert_file);
    shared.tls->use_private_key_file(o.tls_key_file, ssl::context::pem);
  }

  const auto threads = static_cast<std::size_t>(o.threads);
  const std::size_t per_worker_log = o.log_limit == 0 ? 0 : (o.log_limit + threads - 1) / threads;
  for (std::size_t k = 0; k < threads; ++k) {
    workers.push_back(std::make_unique<detail::Worker>(shared, per_worker_log));
    workers.back()->work.emplace(workers.back()->ioc->get_executor());
  }

  asio::io_context& main = *workers[0]->ioc;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (ec) {  // a host name: take its first address
    detail::tcp::resolver resolver(main);
    address = resolver.resolve(o.host, "")->endpoint().address();
  }
  detail::tcp::endpoint endpoint(address, o.port);
  acceptor.emplace(main);
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(endpoint);
  acceptor->listen(asio::socket_base::max_listen_connections);
  backoff.emplace(main);
  port = acceptor->local_endpoint().port();

  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : o.host;
  origin = (shared.tls ? "https://" : "http://") + host + ":" + std::to_string(port);

  accept();
  for (auto& w : workers) {
    w->thread = std::thread([ioc = &*w->ioc] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& e) {  // keep serving: one bad request must not end the mock
          std::cerr << "campaign-mock: " << e.what() << '\n';
        }
      }
    });
  }
}

void Server::Impl::accept() {
  detail::Worker& target = *workers[next_worker++ % workers.size()];
  acceptor->async_accept(target.ioc->get_executor(),
                         [this, &target](boost::system::error_code ec, detail::tcp::socket socket) {
                           if (ec == boost::asio::error::operation_aborted || !acceptor->is_open()) return;
                           if (ec) {  // out of descriptors or similar: back off instead of spinning
                             backoff->expires_after(std::chrono::milliseconds(10));
                             backoff->async_wait([this](boost::system::error_code e) {
                               if (!e) accept();
                             });
                             return;
                           }
                           const std::uint64_t id = ++connections;
                           shared.connections.fetch_add(1, std::memory_order_relaxed);
                           boost::asio::post(*target.ioc, [&target, id, s = std::move(socket)]() mutable {
                             detail::start_session(target, std::move(s), id);
                           });
                           accept();
                         });
}

void Server::Impl::stop() {
  std::lock_guard lock(stop_mutex);
  if (stopped) return;
  stopped = true;
  for (auto& w : workers) w->ioc->stop();
  for (auto& w : workers)
    if (w->thread.joinable()) w->thread.join();
  boost::system::error_code ec;
  acceptor->close(ec);
  acceptor.reset();
  backoff.reset();
  // Destroying a loop destroys its pending handlers, which own the
  // connections: every socket closes here. Loop 0 first: it may hold
  // accepts that refer to the others.
  for (auto& w : workers) {
    w->work.reset();
    w->ioc.reset();
  }
}

Server::Server(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;

std::uint16_t Server::port() const { return impl_->port; }
std::string Server::origin() const { return impl_->origin; }
std::string Server::base_url() const { return impl_->origin + impl_->shared.options.prefix; }

void Server::add_record(std::string json) { impl_->shared.store.add(std::move(json)); }
void Server::generate(std::size_t n) { impl_->shared.store.generate(n); }
void Server::script(std::string id, std::vector<Fault> faults) {
  impl_->shared.scripts.add(std::move(id), std::move(faults));
}

Stats Server::stats() const {
  const auto& s = impl_->shared;
  return {s.requests.load(), s.connections.load(), s.active.load(), s.faults.load()};
}

std::vector<RequestLog> Server::requests() const {
  std::vector<RequestLog> out;
  for (const auto& w : impl_->workers) w->log.append_to(out);
  std::sort(out.begin(), out.end(),
            [](const RequestLog& a, const RequestLog& b) { return a.request < b.request; });
  const std::size_t limit = impl_->shared.options.log_limit;
  if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

void Server::clear_log() {
  for (const auto& w : impl_->workers) w->log.clear();
}

void Server::stop() { impl_->stop(); }

}  // namespace campaign::mock
