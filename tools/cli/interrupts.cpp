#include "interrupts.hpp"

#include "exit_codes.hpp"
#include "output.hpp"
#include "terminal.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <fcntl.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace campaign::cli {

std::atomic<bool> cursor_hidden{false};

namespace {
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

Interrupts::Interrupts() {
  sigset_t set = watched_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) throw std::runtime_error("pthread_sigmask");
  signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (signal_fd_ < 0 || stop_fd_ < 0 || ::pipe2(notify_, O_CLOEXEC) != 0)
    throw std::runtime_error("cannot set up signal handling");
  thread_ = std::thread([this] { run(); });
}

Interrupts::~Interrupts() {
  std::uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  for (int fd : {signal_fd_, stop_fd_, notify_[0], notify_[1]})
    if (fd >= 0) ::close(fd);
}

void Interrupts::run() {
  int received = 0;
  for (;;) {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
    if (++received > 1) {
      // Second signal: the user insists. Leave the terminal usable and go.
      if (cursor_hidden.load()) {
        std::string restore(ansi::show_cursor);
        restore += '\n';
        (void)write_all(STDOUT_FILENO, restore);
      }
      ::_exit(exit_code::interrupted);
    }
    triggered_.store(true);
    char byte = 1;
    (void)!::write(notify_[1], &byte, 1);
    std::lock_guard lock(hook_mutex_);
    if (hook_) hook_();
  }
}

bool Interrupts::wait_for(std::chrono::milliseconds d) const {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + d;
  for (;;) {
    if (triggered()) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) return triggered();
    pollfd pfd{notify_[0], POLLIN, 0};
    // Round up so a sub-millisecond remainder does not spin.
    int timeout = static_cast<int>(std::min<std::int64_t>(left.count() + 1, 1 << 30));
    int n = ::poll(&pfd, 1, timeout);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return triggered();
  }
}

void Interrupts::set_hook(std::function<void()> hook) {
  std::unique_lock lock(hook_mutex_);
  if (triggered()) {
    lock.unlock();
    hook();
    return;
  }
  hook_ = std::move(hook);
}

void Interrupts::clear_hook() {
  std::lock_guard lock(hook_mutex_);
  hook_ = nullptr;
}

}  // namespace campaign::cli
