// Client::get_many: a bounded window of requests over a lazily read input.
#include "client_impl.hpp"

#include <deque>

namespace campaign {

BatchSummary Client::get_many(const std::function<std::optional<std::string>()>& next_id,
                              const std::function<bool(BatchItem&&)>& sink,
                              const BatchOptions& options) {
  BatchSummary summary;
  const std::size_t window = std::max<std::size_t>(options.concurrency, 1);
  auto stop_requested = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };

  if (impl_->on_own_thread()) {
    // Blocking here would wait on ourselves: report every ID as an error.
    while (auto id = next_id()) {
      Error e = make_error(ErrorKind::internal, "get_many() called from the client's own thread");
      ++summary.total;
      ++summary.failed;
      ++summary.by_kind[static_cast<int>(e.kind)];
      if (!sink(BatchItem{summary.total - 1, std::move(*id), std::move(e)})) break;
    }
    return summary;
  }

  struct Slot {
    std::size_t index = 0;
    std::string id;
    std::uint64_t request = 0;
    std::optional<Result<Campaign>> result;
  };
  // Shared with the callbacks, which may outlive an early return otherwise.
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<Slot> slots;
    std::deque<std::size_t> done;  // slot numbers, in completion order
    std::size_t outstanding = 0;   // submitted, callback not yet run
  };
  auto st = std::make_shared<State>();
  st->slots.resize(window);
  std::vector<std::size_t> free_slots;
  for (std::size_t i = window; i-- > 0;) free_slots.push_back(i);
  std::deque<std::size_t> order;  // slot numbers in input order (ordered mode)

  std::size_t next_index = 0;
  bool input_done = false, stopping = false;  // stopping: read no more, cancel the rest
  bool muted = false;                          // the sink said stop: deliver no more

  auto deliver = [&](std::size_t slot_no, std::unique_lock<std::mutex>& lock) {
    Slot& s = st->slots[slot_no];
    BatchItem item{s.index, std::move(s.id), std::move(*s.result)};
    s.result.reset();
    free_slots.push_back(slot_no);
    lock.unlock();
    ++summary.total;
    if (item.result) {
      ++summary.succeeded;
    } else {
      ++summary.failed;
      ++summary.by_kind[static_cast<int>(item.result.error().kind) & 15];
    }
    if (!muted && !sink(std::move(item))) muted = true;
    lock.lock();
    return !muted;
  };

  std::unique_lock lock(st->mutex);
  for (;;) {
    // Fill the window.
    while (!input_done && !stopping && !free_slots.empty()) {
      if (stop_requested()) {
        stopping = true;
        break;
      }
      lock.unlock();
      std::optional<std::string> id = next_id();
      lock.lock();
      if (!id) {
        input_done = true;
        break;
      }
      std::size_t slot_no = free_slots.back();
      free_slots.pop_back();
      Slot& s = st->slots[slot_no];
      s.index = next_index++;
      s.id = std::move(*id);
      s.result.reset();
      order.push_back(slot_no);
      ++st->outstanding;
      std::string id_copy = s.id;
      lock.unlock();
      std::uint64_t n = submit(id_copy, [st, slot_no](Result<Campaign> r) {
        std::lock_guard g(st->mutex);
        st->slots[slot_no].result = std::move(r);
        st->done.push_back(slot_no);
        --st->outstanding;
        st->cv.notify_all();
      });
      lock.lock();
      st->slots[slot_no].request = n;
    }
    if (order.empty() && (input_done || stopping)) break;

    if (stop_requested() && !stopping) {
      stopping = true;
      for (std::size_t slot_no : order)
        if (!st->slots[slot_no].result) impl_->cancel(st->slots[slot_no].request);
    }

    // Wait for something deliverable.
    st->cv.wait(lock, [&] {
      if (stop_requested() && !stopping) return true;
      return options.ordered ? st->slots[order.front()].result.has_value() : !st->done.empty();
    });
    if (stop_requested() && !stopping) continue;

    if (options.ordered) {
      while (!order.empty() && st->slots[order.front()].result) {
        std::size_t slot_no = order.front();
        order.pop_front();
        if (!deliver(slot_no, lock) && !stopping) {
          stopping = true;
          for (std::size_t s2 : order)
            if (!st->slots[s2].result) impl_->cancel(st->slots[s2].request);
        }
      }
      st->done.clear();
    } else {
      while (!st->done.empty()) {
        std::size_t slot_no = st->done.front();
        st->done.pop_front();
        order.erase(std::find(order.begin(), order.end(), slot_no));
        if (!deliver(slot_no, lock) && !stopping) {
          stopping = true;
          for (std::size_t s2 : order)
            if (!st->slots[s2].result) impl_->cancel(st->slots[s2].request);
        }
      }
    }
  }
  // Every callback has run: nothing refers to this call's state any more.
  st->cv.wait(lock, [&] { return st->outstanding == 0; });
  return summary;
}

}  // namespace campaign
