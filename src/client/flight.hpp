// Private: coalescing (docs/decisions.md, "Coalescing"). Concurrent gets of
// one ID join one Flight: one RequestOp, many waiters. Each waiter keeps its
// own request number (cancel() drops only it) and its own deadline (a timer;
// the request runs to the latest of them, and stops when nobody waits).
#pragma once

#include "net/transport.hpp"

#include <campaign/client.hpp>

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace campaign {

struct Shard;

struct Flight {
  struct Waiter {
    std::uint64_t number;
    Client::Callback cb;
    net::Clock::time_point deadline;
    std::unique_ptr<boost::asio::steady_timer> timer;  // the waiter's own deadline
  };

  // Set under FlightTable's lock before anyone else can see the flight.
  std::string id;
  Shard* shard = nullptr;  // the request's shard: what follows is touched on its strand only
  std::uint64_t op_number = 0;

  std::vector<Waiter> waiters;
  std::optional<Result<Campaign>> result;  // once landed: for joiners already on their way
  bool abandoned = false;                  // every waiter left; the request is being cancelled
};

// Who is flying for which ID, and which flight each waiting request number
// is on. Only lookups happen under the lock; the waiters live on the strand.
struct FlightTable {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<Flight>> by_id;
  std::unordered_map<std::uint64_t, std::shared_ptr<Flight>> by_waiter;
};

}  // namespace campaign
