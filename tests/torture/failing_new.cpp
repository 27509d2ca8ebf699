#include "failing_new.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> countdown{0};  // 0: disarmed
std::atomic<bool> failed{false};

void* allocate(std::size_t n) {
  std::size_t c = countdown.load(std::memory_order_relaxed);
  while (c != 0) {
    if (countdown.compare_exchange_weak(c, c - 1)) {
      if (c == 1) {
        failed.store(true);
        throw std::bad_alloc();
      }
      break;
    }
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

namespace campaign::test {
void fail_allocation(std::size_t nth) noexcept {
  failed.store(false);
  countdown.store(nth);
}
bool allocation_failed() noexcept { return failed.load(); }
}  // namespace campaign::test

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
