#include "transport.hpp"

#include "connection.hpp"
#include "exchange.hpp"

#include <openssl/crypto.h>

#include <unistd.h>

namespace campaign::net {

FdRegistry::FdRegistry(std::size_t slots)
    : slots_(std::make_unique<std::atomic<int>[]>(slots)), count_(slots) {
  for (std::size_t i = 0; i < count_; ++i) slots_[i].store(-1);
}

void FdRegistry::add(int fd) noexcept {
  for (std::size_t i = 0; i < count_; ++i) {
    int expected = -1;
    if (slots_[i].compare_exchange_strong(expected, fd)) return;
  }
}

void FdRegistry::remove(int fd) noexcept {
  for (std::size_t i = 0; i < count_; ++i) {
    int expected = fd;
    if (slots_[i].compare_exchange_strong(expected, -1)) return;
  }
}

void FdRegistry::close_all_in_child() noexcept {
  for (std::size_t i = 0; i < count_; ++i) {
    int fd = slots_[i].exchange(-1);
    if (fd >= 0) ::close(fd);  // only our copy: the parent's connection is untouched
  }
}

Transport::Transport(Executor ex, TransportOptions options,
                     std::shared_ptr<boost::asio::ssl::context> tls,
                     std::shared_ptr<TransportCounters> counters, std::shared_ptr<FdRegistry> fds)
    : executor_(ex),
      options_(std::move(options)),
      tls_(std::move(tls)),
      counters_(std::move(counters)),
      fds_(std::move(fds)),
      resolve_gate_(std::make_shared<ResolveGate>()) {
  resolve_gate_->executor.emplace(ex);
}

Transport::~Transport() {
  close_idle();
  if (!fixed_headers_.empty()) OPENSSL_cleanse(fixed_headers_.data(), fixed_headers_.size());
}

void Transport::set_fixed_headers(std::string lines) {
  if (!fixed_headers_.empty()) OPENSSL_cleanse(fixed_headers_.data(), fixed_headers_.size());
  fixed_headers_ = std::move(lines);
}

std::shared_ptr<Exchange> Transport::start(std::string target, std::string extra_headers,
                                           Clock::time_point deadline, ExchangeHandler handler) {
  auto ex = std::make_shared<Exchange>(shared_from_this(), std::move(target),
                                       std::move(extra_headers), deadline, std::move(handler));
  ex->begin();
  return ex;
}

void Transport::cancel(const std::shared_ptr<Exchange>& exchange) {
  if (exchange) exchange->cancel();
}

bool Transport::expired(const Connection& conn, Clock::time_point now) const noexcept {
  return now >= saturating_add(conn.idle_since, options_.idle_timeout);
}

void Transport::reap(Clock::time_point now) {
  while (!idle_.empty()) {
    auto& conn = *idle_.front();
    if (!expired(conn, now)) {
      if (conn.quiet()) return;
      ++counters_->dropped_unquiet;
    }
    conn.close();
    --open_;
    idle_.pop_front();
  }
}

void Transport::acquire(const std::shared_ptr<Exchange>& ex) {
  auto now = Clock::now();
  reap(now);
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (expired(*conn, now) || !conn->is_open()) {
      conn->close();
      --open_;
      continue;
    }
    if (!conn->quiet()) {
      ++counters_->dropped_unquiet;
      conn->close();
      --open_;
      continue;
    }
    ex->send(std::move(conn), true);
    return;
  }
  if (open_ < options_.max_connections) {
    open(ex);
    return;
  }
  waiting_.push_back(ex);
}

void Transport::open(const std::shared_ptr<Exchange>& ex) {
  ++open_;
  ++counters_->opened;
  auto conn = std::make_shared<Connection>(executor_, tls_ ? tls_.get() : nullptr,
                                           options_.body_padding, options_.max_header, fds_);
  ex->connect(std::move(conn));
}

void Transport::release(std::shared_ptr<Connection> conn, bool reusable) {
  if (!reusable || !conn->is_open()) {
    conn->close();
    connection_closed();
    return;
  }
  auto now = Clock::now();
  conn->idle_since = now;
  ++conn->uses;
  conn->trim_buffers();
  reap(now);
  while (!waiting_.empty()) {
    auto next = waiting_.front().lock();
    waiting_.pop_front();
    if (next && !next->done()) {
      next->send(std::move(conn), true);
      return;
    }
  }
  idle_.push_back(std::move(conn));
}

void Transport::connection_closed() {
  --open_;
  while (!waiting_.empty()) {
    auto next = waiting_.front().lock();
    waiting_.pop_front();
    if (next && !next->done()) {
      open(next);
      return;
    }
  }
}

void Transport::close_idle() {
  {
    // Teardown: a resolution still running (a stuck getaddrinfo) must not post
    // to an executor about to go; its thread ends on its own, unjoined.
    std::lock_guard lock(resolve_gate_->mutex);
    resolve_gate_->executor.reset();
  }
  for (auto& conn : idle_) conn->close();
  open_ -= idle_.size();
  idle_.clear();
}

}  // namespace campaign::net
