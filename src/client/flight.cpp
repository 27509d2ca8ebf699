// Coalescing: concurrent gets of one ID share one request (flight.hpp).
#include "client_impl.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace campaign {

namespace asio = boost::asio;

void Client::Impl::enqueue(std::uint64_t n, std::string_view id, Callback cb, net::Clock::time_point deadline) {
  request_started();  // the waiter; its callback runs exactly once from here on
  std::shared_ptr<Flight> flight;
  bool lead = false;
  try {
    auto fresh = std::make_shared<Flight>();  // allocated outside the lock
    {
      std::lock_guard lock(flights->mutex);
      auto [it, inserted] = flights->by_id.try_emplace(std::string(id), fresh);
      if (inserted) {
        lead = true;
        fresh->id = it->first;
        fresh->op_number = next_request.fetch_add(1, std::memory_order_relaxed);
        fresh->shard = &shard_for(fresh->op_number);
      }
      flight = it->second;
      try {
        flights->by_waiter.emplace(n, flight);
      } catch (...) {
        if (inserted) flights->by_id.erase(it);
        throw;
      }
    }
    if (lead) {
      try {
        submit_direct(
            flight->op_number, flight->id,
            [self = shared_from_this(), flight](Result<Campaign> r) { self->land(flight, std::move(r)); },
            true);
      } catch (...) {
        std::lock_guard lock(flights->mutex);
        flights->by_id.erase(flight->id);
        flights->by_waiter.erase(n);
        throw;
      }
    } else {
      coalesced.fetch_add(1, std::memory_order_relaxed);
    }
    asio::post(flight->shard->strand, [self = shared_from_this(), flight, n, cb = std::move(cb), deadline]() mutable {
      self->join(flight, n, std::move(cb), deadline);
    });
  } catch (...) {
    // Not joined: the callback will not run. A request already started for
    // the flight lands with nobody waiting, which is harmless.
    if (flight) {
      std::lock_guard lock(flights->mutex);
      flights->by_waiter.erase(n);
      // A request started for nobody must not be joined by later gets.
      auto it = flights->by_id.find(flight->id);
      if (lead && it != flights->by_id.end() && it->second == flight) flights->by_id.erase(it);
    }
    request_finished();
    throw;
  }
}

void Client::Impl::join(const std::shared_ptr<Flight>& f, std::uint64_t n, Callback cb,
                        net::Clock::time_point deadline) {
  if (f->result) {  // landed while this waiter was on its way: same answer
    deliver(n, cb, *f->result);
    return;
  }
  if (f->abandoned) {  // everyone else left and the request was cancelled: start afresh
    {
      std::lock_guard lock(flights->mutex);
      flights->by_waiter.erase(n);
    }
    request_finished();
    Callback keep;  // enqueue() consumes the callback even when it throws
    try {
      keep = cb;
      enqueue(n, f->id, std::move(cb), deadline);
    } catch (...) {
      request_started();
      deliver(n, keep ? keep : cb, Result<Campaign>(make_error(ErrorKind::internal, "out of memory")));
    }
    return;
  }
  try {
    f->waiters.push_back({n, std::move(cb), deadline, nullptr});
    auto& shard = *f->shard;
    if (auto it = shard.active.find(f->op_number); it != shard.active.end()) it->second->extend_deadline(deadline);
    // The request runs to the latest waiter's deadline; each waiter's own
    // ends it for that waiter alone (and the last one's stops the request).
    auto& w = f->waiters.back();
    w.timer = std::make_unique<asio::steady_timer>(shard.strand, deadline);
    w.timer->async_wait([self = shared_from_this(), f, n](boost::system::error_code ec) {
      if (ec) return;  // delivered or dropped first
      self->drop(f, n, make_error(ErrorKind::timeout, "total timeout passed while the request for this ID was still running"));
    });
  } catch (...) {
    // Out of memory: this waiter ends now; the others are unaffected.
    auto it = std::find_if(f->waiters.begin(), f->waiters.end(), [n](const auto& w) { return w.number == n; });
    Callback mine;
    if (it != f->waiters.end()) {
      mine = std::move(it->cb);
      f->waiters.erase(it);
    } else {
      mine = std::move(cb);
    }
    deliver(n, mine, Result<Campaign>(make_error(ErrorKind::internal, "out of memory")));
  }
}

void Client::Impl::land(const std::shared_ptr<Flight>& f, Result<Campaign> result) {
  {
    std::lock_guard lock(flights->mutex);
    auto it = flights->by_id.find(f->id);
    if (it != flights->by_id.end() && it->second == f) flights->by_id.erase(it);  // later gets fly anew
  }
  auto waiters = std::move(f->waiters);
  f->waiters.clear();
  try {
    f->result = result;
  } catch (...) {
    // No copy for late joiners: they find the flight abandoned and start afresh.
    f->abandoned = true;
  }
  for (std::size_t i = 0; i < waiters.size(); ++i) {
    auto& w = waiters[i];
    if (w.timer) w.timer->cancel();
    if (i + 1 == waiters.size()) {
      deliver(w.number, w.cb, std::move(result));
    } else {
      try {
        deliver(w.number, w.cb, result);
      } catch (...) {  // the copy failed
        deliver(w.number, w.cb, Result<Campaign>(make_error(ErrorKind::internal, "out of memory")));
      }
    }
  }
}

void Client::Impl::drop(const std::shared_ptr<Flight>& f, std::uint64_t n, Error why) {
  auto it = std::find_if(f->waiters.begin(), f->waiters.end(), [n](const auto& w) { return w.number == n; });
  if (it == f->waiters.end()) return;  // already delivered
  if (it->timer) it->timer->cancel();
  Callback cb = std::move(it->cb);
  f->waiters.erase(it);
  deliver(n, cb, Result<Campaign>(std::move(why)));
  if (!f->waiters.empty() || f->result) return;
  // Nobody is waiting any more: stop the request, and let later gets start
  // their own rather than join one that is ending as cancelled.
  f->abandoned = true;
  {
    std::lock_guard lock(flights->mutex);
    auto at = flights->by_id.find(f->id);
    if (at != flights->by_id.end() && at->second == f) flights->by_id.erase(at);
  }
  if (auto op = f->shard->active.find(f->op_number); op != f->shard->active.end()) {
    auto keep = op->second;
    keep->cancel();
  }
}

void Client::Impl::deliver(std::uint64_t n, Callback& cb, Result<Campaign> result) noexcept {
  {
    std::lock_guard lock(flights->mutex);
    flights->by_waiter.erase(n);
  }
  if (cb) {
    try {
      try {
        cb(std::move(result));
      } catch (const std::exception& ex) {
        log(LogLevel::error, std::string("a request callback threw: ") + ex.what());
      } catch (...) {
        log(LogLevel::error, "a request callback threw");
      }
    } catch (...) {  // the log line itself could not be built
    }
  }
  request_finished();
}

bool Client::Impl::cancel_waiter(std::uint64_t n) {
  std::shared_ptr<Flight> f;
  {
    std::lock_guard lock(flights->mutex);
    auto it = flights->by_waiter.find(n);
    if (it == flights->by_waiter.end()) return false;
    f = it->second;
  }
  asio::post(f->shard->strand, [self = shared_from_this(), f, n] {
    self->drop(f, n, make_error(ErrorKind::cancelled, "request cancelled"));
  });
  return true;
}

}  // namespace campaign
