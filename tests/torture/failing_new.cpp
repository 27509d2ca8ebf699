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

// simdjson allocates its buffers with the nothrow forms: fail those too, and
// keep every new paired with this file's delete (sanitizers check the pairs).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
