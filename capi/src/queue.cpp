// campaign_queue: completions for an event loop, signalled on an eventfd.
//
// The eventfd is readable while results wait: every delivery adds 1 after
// linking its result in, and a campaign_queue_next() that finds the list
// empty (under the lock) reads the counter back to 0. A delivery's write
// always follows its result, so readiness can be spurious but never lost.
// campaign_queue_wakeup() only writes (no lock): async-signal-safe.
#include "shim.hpp"

#include <cerrno>
#include <chrono>
#include <list>
#include <mutex>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

using campaign::capi::guarded;
using campaign::capi::Outcome;

namespace campaign::capi {

struct Item {
  std::uint64_t tag = 0;
  Outcome outcome;
};

// Shared by the handle and every request that delivers into the queue: the
// eventfd is closed only when the last of them is gone, so a delivery never
// writes to a descriptor number that was closed and reused.
struct QueueState {
  std::mutex mutex;
  std::list<Item> items;  // a list: a delivery splices a node made in advance
  int fd = -1;
  bool closed = false;    // campaign_queue_free() ran: drop late deliveries
  const pid_t pid = ::getpid();

  ~QueueState() {
    if (fd >= 0) ::close(fd);
  }

  void signal() const noexcept {
    std::uint64_t one = 1;
    // Fails only when the counter is near 2^64: it is readable anyway.
    [[maybe_unused]] auto n = ::write(fd, &one, sizeof one);
  }

  void drain() const noexcept {
    std::uint64_t count;
    [[maybe_unused]] auto n = ::read(fd, &count, sizeof count);  // resets to 0
  }

  // Runs on an I/O thread; never allocates, never throws.
  void deliver(std::list<Item>& node) noexcept {
    {
      std::lock_guard lock(mutex);
      if (closed) return;  // the node (and its result) dies with the request
      items.splice(items.end(), node);
    }
    signal();  // outside the lock: a fork() now never inherits it held
  }
};

int new_eventfd() noexcept { return ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

// The queue's state as this process sees it. In a forked child the state is
// the parent's: its eventfd is shared with the parent, and its lock or list
// may have been in use by a thread that does not exist here. So the child
// abandons it untouched (deliberately leaked) and starts afresh, on the same
// descriptor number in case the host registered it already.
QueueState& live(campaign_queue* q) {
  if (q->state->pid == ::getpid()) return *q->state;
  auto fresh = std::make_shared<QueueState>();
  int fd = new_eventfd();
  if (fd < 0) throw std::bad_alloc();
  ::dup3(fd, q->fd, O_CLOEXEC);
  ::close(fd);
  fresh->fd = q->fd;
  // Kept reachable from the handle, never destroyed (a grandchild's older
  // generation is simply leaked).
  q->forked_off = new std::shared_ptr<QueueState>(std::move(q->state));
  q->state = std::move(fresh);
  return *q->state;
}

}  // namespace campaign::capi

using campaign::capi::Item;
using campaign::capi::live;
using campaign::capi::QueueState;

extern "C" {

int campaign_queue_create(campaign_queue** out) noexcept {
  if (!out) return CAMPAIGN_E_NULL_ARGUMENT;
  *out = nullptr;
  return guarded([&]() -> int {
    auto state = std::make_shared<QueueState>();
    state->fd = campaign::capi::new_eventfd();
    if (state->fd < 0) return CAMPAIGN_E_INTERNAL;  // out of descriptors
    *out = new campaign_queue{state, state->fd};
    return CAMPAIGN_OK;
  });
}

void campaign_queue_free(campaign_queue* queue) noexcept {
  if (!queue) return;
  std::list<Item> left;
  if (queue->state->pid == ::getpid()) {
    std::lock_guard lock(queue->state->mutex);
    queue->state->closed = true;
    left.swap(queue->state->items);
  } else {
    // A child freeing what it never used: the parent's state is not ours.
    queue->forked_off = new std::shared_ptr<QueueState>(std::move(queue->state));
    ::close(queue->fd);
  }
  delete queue;  // `left` frees its results; the fd closes with the last reference
}

int campaign_queue_fd(const campaign_queue* queue) noexcept {
  if (!queue) return -1;
  // The number never changes, even across fork(); make the child's state.
  guarded([&]() -> int {
    live(const_cast<campaign_queue*>(queue));
    return CAMPAIGN_OK;
  });
  return queue->fd;
}

int campaign_client_submit_to_queue(campaign_client* client, const char* id, campaign_queue* queue,
                                    uint64_t tag, uint64_t* request) noexcept {
  if (request) *request = 0;
  if (!client || !id || !queue) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    live(queue);
    // The node and both possible results exist before the request does.
    auto node = std::make_shared<std::list<Item>>(1);
    node->front().tag = tag;
    std::uint64_t n = client->c.submit(
        id, [node, state = queue->state](campaign::Result<campaign::Campaign> r) {
          node->front().outcome.settle(std::move(r));
          state->deliver(*node);
        });
    if (request) *request = n;
    return CAMPAIGN_OK;
  });
}

int campaign_queue_next(campaign_queue* queue, uint64_t* tag, campaign_record** record,
                        campaign_error** error) noexcept {
  if (record) *record = nullptr;
  if (error) *error = nullptr;
  if (!queue || !record || !error) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    QueueState& s = live(queue);
    std::list<Item> taken;
    {
      std::lock_guard lock(s.mutex);
      if (s.items.empty()) {
        s.drain();  // consumes wakeups too: the fd goes quiet until the next event
        return CAMPAIGN_E_AGAIN;
      }
      taken.splice(taken.end(), s.items, s.items.begin());
    }
    Item& it = taken.front();
    if (tag) *tag = it.tag;
    *record = it.outcome.record.release();
    *error = it.outcome.error.release();
    return CAMPAIGN_OK;
  });
}

int campaign_queue_wait(campaign_queue* queue, int timeout_ms) noexcept {
  if (!queue) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    live(queue);
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
    int wait = timeout_ms;
    for (;;) {
      pollfd p{queue->fd, POLLIN, 0};
      int n = ::poll(&p, 1, wait);
      if (n > 0) return CAMPAIGN_OK;
      if (n == 0) return CAMPAIGN_E_AGAIN;
      if (errno != EINTR) return CAMPAIGN_E_INTERNAL;
      // A signal (Go's runtime sends many): wait for what is left.
      if (timeout_ms >= 0) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        wait = left > 0 ? static_cast<int>(left) : 0;
      }
    }
  });
}

int campaign_queue_wakeup(campaign_queue* queue) noexcept {
  if (!queue) return CAMPAIGN_E_NULL_ARGUMENT;
  // Async-signal-safe: one write(2), no lock, no allocation; errno kept.
  int saved = errno;
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(queue->fd, &one, sizeof one);
  errno = saved;
  return CAMPAIGN_OK;
}

}  // extern "C"
