// Client::get_many: a bounded window of requests over a lazily read input.
//
// The caller's thread reads IDs and runs the sink; the I/O thread completes
// requests. Handing results over one at a time cost a wake-up (two context
// switches) per request, so hand-offs go in batches both ways: the I/O
// thread wakes the caller only when it is asleep and enough results are
// deliverable, and the caller refills every free slot with one post.
#include "client_impl.hpp"

#include <chrono>
#include <thread>

namespace campaign {

namespace {

using namespace std::chrono_literals;

// What the I/O thread's callbacks share with the caller, under `mutex`.
struct BatchState {
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t window = 1;
  bool ordered = true;
  const std::atomic<bool>* cancel = nullptr;
  // Client::cancel_all() (and so close()) bumps the epoch: the batch stops
  // submitting too, not only what is in flight.
  const std::atomic<std::uint64_t>* epoch = nullptr;
  std::uint64_t epoch_at_start = 0;

  bool stop_requested() const {
    return (cancel && cancel->load(std::memory_order_relaxed)) ||
           epoch->load(std::memory_order_acquire) != epoch_at_start;
  }
  std::vector<std::optional<Result<Campaign>>> results;  // per slot
  std::vector<std::size_t> done;   // unordered: completed slots, in completion order
  std::size_t head = 0;            // ordered: input index of the next item to deliver
  std::size_t ready_end = 0;       // ordered: [head, ready_end) have completed
  std::size_t outstanding = 0;     // submitted, callback not yet run
  std::size_t wake_at = 0;         // the caller sleeps until this many are deliverable (0: awake)
  std::atomic<int> notifying{0};   // callbacks between their unlock and their notify

  std::size_t deliverable() const { return ordered ? ready_end - head : done.size(); }

  // On the I/O thread. Slots are input index % window in ordered mode.
  void complete(std::size_t slot, Result<Campaign>&& r) {
    std::unique_lock lock(mutex);
    results[slot] = std::move(r);
    if (ordered) {
      while (ready_end < head + window && results[ready_end % window]) ++ready_end;
    } else {
      done.push_back(slot);  // reserved: never more than the window
    }
    --outstanding;
    if (wake_at && (deliverable() >= wake_at || outstanding == 0 || stop_requested())) {
      wake_at = 0;
      // Notify after the unlock, or the caller wakes only to block on the
      // mutex still held here. `notifying` keeps the state alive meanwhile
      // (see settle()).
      notifying.fetch_add(1, std::memory_order_relaxed);
      lock.unlock();
      cv.notify_one();
      notifying.fetch_sub(1, std::memory_order_release);
    }
  }

  // The caller, once outstanding is 0 and before the state goes away: a
  // callback may still be inside notify_one() (a few instructions).
  void settle() const {
    while (notifying.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  }
};

}  // namespace

BatchSummary Client::get_many(const std::function<std::optional<std::string>()>& next_id,
                              const std::function<bool(BatchItem&&)>& sink,
                              const BatchOptions& options) {
  BatchSummary summary;
  const std::size_t window = std::max<std::size_t>(options.concurrency, 1);
  BatchState st;
  st.epoch = &impl_->cancel_epoch;
  st.epoch_at_start = impl_->cancel_epoch.load(std::memory_order_acquire);
  st.cancel = options.cancel;
  auto stop_requested = [&] { return st.stop_requested(); };

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

  st.window = window;
  st.ordered = options.ordered;
  st.results.resize(window);
  st.done.reserve(window);

  // The caller's own bookkeeping per slot (never touched by callbacks).
  struct Slot {
    std::size_t index = 0;
    std::string id;
    std::uint64_t request = 0;
    bool busy = false;  // submitted, not yet delivered
  };
  std::vector<Slot> slots(window);
  std::vector<std::size_t> free_slots;  // unordered mode
  if (!options.ordered)
    for (std::size_t i = window; i-- > 0;) free_slots.push_back(i);
  std::size_t in_window = 0;  // busy slots
  // docs/api.md, "Rate limits": the window in use shrinks by half (not below
  // 1) when the server pushes back with a 429 or a 503, and grows back by one
  // per window of successes up to the configured concurrency.
  std::size_t limit = window;
  std::size_t successes = 0;  // since the last change of `limit`
  auto pushback = [&] { return impl_->responses_429.load() + impl_->responses_503.load(); };
  std::uint64_t pushback_seen = pushback();
  summary.smallest_window = window;
  std::size_t next_index = 0;
  bool input_done = false, stopping = false;
  bool muted = false;                          // the sink said stop: deliver no more
  // Wake up for a batch of results, not for each one; small windows wake per result.
  const std::size_t batch = std::max<std::size_t>(1, window / 4);

  std::vector<Impl::BatchRequest> requests;
  requests.reserve(window);
  std::vector<std::size_t> submitted;  // slot of each entry of `requests`
  submitted.reserve(window);
  struct Ready {
    std::size_t slot;
    Result<Campaign> result;
  };
  std::vector<Ready> ready;
  ready.reserve(window);

  auto cancel_pending = [&] {
    std::vector<std::uint64_t> numbers;
    {
      std::lock_guard g(st.mutex);
      for (std::size_t i = 0; i < window; ++i)
        if (slots[i].busy && slots[i].request && !st.results[i]) numbers.push_back(slots[i].request);
    }
    for (std::uint64_t n : numbers) impl_->cancel(n);
  };

  // On any exception (from next_id, the sink or an allocation), cancel what
  // is in flight and wait for its callbacks: they refer to `st`.
  struct Drain {
    BatchState& st;
    decltype(cancel_pending)& cancel;
    bool armed = true;
    ~Drain() {
      if (!armed) return;
      try {
        cancel();
      } catch (...) {
      }
      std::unique_lock lock(st.mutex);
      while (st.outstanding > 0) {
        st.wake_at = st.window + 1;  // only the last callback wakes us
        st.cv.wait(lock);
      }
      st.wake_at = 0;
      lock.unlock();
      st.settle();
    }
  } drain{st, cancel_pending};

  // Stopping: read no more IDs and cancel what is in flight (reported as cancelled).
  auto stop = [&] {
    if (stopping) return;
    stopping = true;
    cancel_pending();
  };

  for (;;) {
    // Fill every free slot, then start them all with one hand-off.
    if (!input_done && !stopping) {
      std::size_t room = limit > in_window ? limit - in_window : 0;
      bool stop_seen = false;
      while (room-- > 0) {
        if (stop_requested()) {
          stop_seen = true;  // cancelled below, once this batch has its request numbers
          break;
        }
        std::optional<std::string> id = next_id();
        if (!id) {
          input_done = true;
          break;
        }
        std::size_t slot_no;
        if (options.ordered) {
          slot_no = next_index % window;
        } else {
          slot_no = free_slots.back();
          free_slots.pop_back();
        }
        Slot& s = slots[slot_no];
        s.index = next_index++;
        s.id = std::move(*id);
        s.request = 0;
        s.busy = true;
        ++in_window;
        submitted.push_back(slot_no);
        BatchState* stp = &st;
        requests.push_back({s.id, [stp, slot_no](Result<Campaign> r) { stp->complete(slot_no, std::move(r)); }});
      }
      if (!requests.empty()) {
        {
          std::lock_guard g(st.mutex);
          st.outstanding += requests.size();
        }
        try {
          impl_->submit_batch(requests);
        } catch (...) {
          std::lock_guard g(st.mutex);
          for (std::size_t i = 0; i < requests.size(); ++i) {
            if (requests[i].started) slots[submitted[i]].request = requests[i].number;
            else --st.outstanding;  // its callback will never run
          }
          throw;
        }
        for (std::size_t i = 0; i < requests.size(); ++i) slots[submitted[i]].request = requests[i].number;
        requests.clear();
        submitted.clear();
      }
      if (stop_seen) stop();
    }
    if (in_window == 0 && (input_done || stopping)) break;
    if (stop_requested()) stop();

    // Wait for a batch of deliverable results (or the last ones), then take them.
    {
      std::unique_lock lock(st.mutex);
      std::size_t need = std::min(batch, in_window);
      auto slice = 5ms;
      for (;;) {
        if ((stop_requested() && !stopping) || st.deliverable() >= need || st.outstanding == 0) break;
        st.wake_at = need;
        bool timed_out = st.cv.wait_for(lock, slice) == std::cv_status::timeout;
        st.wake_at = 0;
        if (timed_out) {
          // Stragglers: deliver what is there rather than hold it back;
          // with nothing yet, sleep until one arrives (polling a cancel flag).
          if (st.deliverable() > 0) break;
          need = 1;
          slice = std::chrono::milliseconds(50);  // polls the cancel flag and the epoch
        }
      }
      if (options.ordered) {
        for (; st.head < st.ready_end; ++st.head) {
          std::size_t slot_no = st.head % window;
          ready.push_back({slot_no, std::move(*st.results[slot_no])});
          st.results[slot_no].reset();
        }
      } else {
        for (std::size_t slot_no : st.done) {
          ready.push_back({slot_no, std::move(*st.results[slot_no])});
          st.results[slot_no].reset();
        }
        st.done.clear();
      }
    }
    if (stop_requested()) stop();

    if (std::uint64_t now_seen = pushback(); now_seen != pushback_seen) {
      pushback_seen = now_seen;
      if (limit > 1) {
        limit /= 2;
        ++summary.window_decreases;
        summary.smallest_window = std::min(summary.smallest_window, limit);
      }
      successes = 0;
    }
    for (Ready& r : ready) {
      if (r.result && ++successes >= limit) {
        successes = 0;
        if (limit < window) ++limit;
      }
      Slot& s = slots[r.slot];
      s.busy = false;
      --in_window;
      if (!options.ordered) free_slots.push_back(r.slot);
      BatchItem item{s.index, std::move(s.id), std::move(r.result)};
      ++summary.total;
      if (item.result) {
        ++summary.succeeded;
      } else {
        ++summary.failed;
        ++summary.by_kind[static_cast<int>(item.result.error().kind) & 15];
      }
      if (!muted && !sink(std::move(item))) {
        muted = true;
        stop();
      }
    }
    ready.clear();
  }
  summary.final_window = limit;
  // Every result was delivered, so every callback has run.
  drain.armed = false;
  st.settle();
  return summary;
}

}  // namespace campaign
