// interrupts.hpp: Ctrl-C (SIGINT), SIGTERM and SIGHUP without async handlers.
//
// The signals are blocked in every thread and read from a signalfd by one
// watcher thread. On the first one it marks the process interrupted, makes
// fd() readable for good (a pipe that is never drained, so a waiter cannot
// miss it), and runs the hook the command registered (cancelling requests in
// flight). A second signal restores the cursor if it is hidden and exits 130
// at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

namespace campaign::cli {

// True while a command has hidden the terminal cursor on stdout.
extern std::atomic<bool> cursor_hidden;

class Interrupts {
 public:
  // Blocks the signals in the calling thread: construct before any other
  // thread starts (they inherit the mask).
  Interrupts();
  ~Interrupts();
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

  bool triggered() const noexcept { return triggered_.load(); }
  // Readable once triggered (and from then on).
  int fd() const noexcept { return notify_[0]; }
  // Waits up to d, or until triggered; returns triggered().
  bool wait_for(std::chrono::milliseconds d) const;

  // Runs hook on the watcher thread at the first signal (at once, on this
  // thread, when that already happened). clear_hook() waits for a running
  // hook to finish, so what it captured may be destroyed afterwards.
  void set_hook(std::function<void()> hook);
  void clear_hook();

 private:
  void run();
  std::atomic<bool> triggered_{false};
  int signal_fd_ = -1;
  int stop_fd_ = -1;
  int notify_[2] = {-1, -1};
  std::mutex hook_mutex_;
  std::function<void()> hook_;
  std::thread thread_;
};

}  // namespace campaign::cli
