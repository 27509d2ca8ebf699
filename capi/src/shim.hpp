// Private to the C shim: what the opaque handles of campaign.h hold, and
// helpers every extern "C" function uses to keep C++ on this side.
#pragma once

#include <campaign.h>

#include <campaign/client.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>
#include <campaign/options.hpp>

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>

struct campaign_error {
  campaign::Error e;
};

struct campaign_record {
  campaign::Campaign c;
};

struct campaign_options {
  campaign::ClientOptions o;
};

struct campaign_client {
  explicit campaign_client(campaign::Client client) : c(std::move(client)) {}
  campaign::Client c;
  // campaign_client_destroy() may run while other threads are inside the
  // blocking calls (get, get_batch): it cancels them and waits for them to
  // leave before the client goes. Guarded by `mutex`.
  std::mutex mutex;
  std::condition_variable left;
  int blocking_calls = 0;
  bool closing = false;
};

namespace campaign::capi {

// A RateLimit as the C struct (struct_size left 0), and the copy of it into
// a caller's struct of any size: CAMPAIGN_E_ABSENT when there is none.
campaign_rate_limit c_rate_limit(const std::optional<campaign::RateLimit>& r) noexcept;
int copy_rate_limit(const std::optional<campaign::RateLimit>& r, campaign_rate_limit* out) noexcept;

// Held for the length of a blocking call; refused once destroy has begun.
class BlockingCall {
 public:
  explicit BlockingCall(campaign_client& c) : c_(c) {
    std::lock_guard lock(c_.mutex);
    admitted_ = !c_.closing;
    if (admitted_) ++c_.blocking_calls;
  }
  ~BlockingCall() {
    if (!admitted_) return;
    std::lock_guard lock(c_.mutex);
    if (--c_.blocking_calls == 0) c_.left.notify_all();
  }
  BlockingCall(const BlockingCall&) = delete;
  BlockingCall& operator=(const BlockingCall&) = delete;
  bool admitted() const noexcept { return admitted_; }

 private:
  campaign_client& c_;
  bool admitted_ = false;
};

}  // namespace campaign::capi

namespace campaign::capi {

struct QueueState;  // queue.cpp

}  // namespace campaign::capi

struct campaign_queue {
  // Shared with every request still to deliver into the queue, so that a
  // delivery after campaign_queue_free() finds live (closed) state.
  std::shared_ptr<campaign::capi::QueueState> state;
  int fd = -1;  // copied here so that wakeup needs no lock (signal handlers)
  // In a forked child: the parent's state, left untouched (never destroyed:
  // its lock may be held by a thread that does not exist in the child).
  std::shared_ptr<campaign::capi::QueueState>* forked_off = nullptr;
};

namespace campaign::capi {

// Runs f, turning any exception into CAMPAIGN_E_INTERNAL: nothing C++
// crosses the C boundary.
template <class F>
int guarded(F&& f) noexcept {
  try {
    return f();
  } catch (...) {
    return CAMPAIGN_E_INTERNAL;
  }
}

// Hands an error to the caller through the optional err out-parameter and
// returns its kind as the call's code.
inline int fail(campaign_error** err, Error e) {
  int code = static_cast<int>(e.kind);
  if (err) *err = new campaign_error{std::move(e)};
  return code;
}

// Overwrites a string's bytes (its whole capacity) before it is dropped.
inline void wipe(std::string& s) noexcept {
  s.resize(s.capacity());  // never reallocates: the buffer is reused
  explicit_bzero(s.data(), s.size());
  s.clear();
}

// Copies the members of a size-prefixed struct (campaign_fields,
// campaign_stats) that fit whole in `size` bytes, from `full` to `out`;
// `ends` lists each member's end offset in order. out's struct_size and
// anything past the copied members are left untouched.
void copy_prefix(void* out, const void* full, std::size_t size, const std::size_t* ends,
                 std::size_t n_ends) noexcept;

// A malloc'd NUL-terminated copy, for char ** outputs freed by campaign_free().
char* malloc_copy(std::string_view s, std::size_t* len);

// One request's result, converted without allocating: both C objects are
// made when the request starts, so the completion path cannot fail.
struct Outcome {
  std::unique_ptr<campaign_record> record = std::make_unique<campaign_record>();
  std::unique_ptr<campaign_error> error = std::make_unique<campaign_error>();

  // Keeps the one that applies; the other is released.
  void settle(Result<Campaign>&& r) noexcept {
    if (r) {
      record->c = std::move(*r);
      error.reset();
    } else {
      error->e = std::move(r.error());
      record.reset();
    }
  }
};

}  // namespace campaign::capi
