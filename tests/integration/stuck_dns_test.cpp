// A resolver that never answers, without a stuck DNS server: this test
// executable defines getaddrinfo itself. Calls for "stuck.invalid" block
// until released (at most 20 s, so a regression ends); every other name goes
// to the C library's getaddrinfo (dlsym(RTLD_NEXT)). The library is linked
// statically into this executable, so its calls bind to this definition.
#include "fixture.hpp"
#include "stuck_dns.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>

#include <dlfcn.h>
#include <netdb.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;

namespace {

struct StuckDns {
  std::mutex mutex;
  std::condition_variable cv;
  bool released = false;
  std::atomic<int> entered{0}, returned{0};
};
StuckDns& stuck() {
  static StuckDns* s = new StuckDns;  // never destroyed: a blocked call may outlive main's statics
  return *s;
}

}  // namespace

namespace campaign::test {
void stuck_dns_arm() {
  std::lock_guard lock(stuck().mutex);
  stuck().released = false;
}
void stuck_dns_release() {
  {
    std::lock_guard lock(stuck().mutex);
    stuck().released = true;
  }
  stuck().cv.notify_all();
}
int stuck_dns_entered() { return stuck().entered.load(); }
int stuck_dns_returned() { return stuck().returned.load(); }
}  // namespace campaign::test

extern "C" int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                           struct addrinfo** res) {
  if (node && std::strcmp(node, "stuck.invalid") == 0) {
    auto& s = stuck();
    ++s.entered;
    {
      std::unique_lock lock(s.mutex);
      s.cv.wait_for(lock, seconds(20), [&] { return s.released; });
    }
    ++s.returned;
    return EAI_NONAME;
  }
  using Fn = int (*)(const char*, const char*, const struct addrinfo*, struct addrinfo**);
  static Fn next = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "getaddrinfo"));
  if (!next) return EAI_FAIL;
  return next(node, service, hints, res);
}

BOOST_AUTO_TEST_SUITE(stuck_dns)

// Item 4: connect_timeout is documented to cover DNS; it was not checked
// while resolving (the attempt timed out at its own, later deadline), and a
// stuck getaddrinfo made destroying the client wait for it (Asio joins its
// resolver thread when the io_context goes).
BOOST_AUTO_TEST_CASE(connect_timeout_covers_a_stuck_resolution_and_destroy_does_not_wait_for_it) {
  auto& s = stuck();
  stuck_dns_arm();
  const int entered_before = s.entered.load();
  auto o = options_for("http://stuck.invalid:8080/v1");
  o.connect_timeout = milliseconds(300);
  o.timeout = seconds(5);
  o.max_retries = 0;
  std::optional<Client> c(make_client(o));

  auto start = steady_clock::now();
  auto r = seen(c->get("cmp_000001"));
  auto took = steady_clock::now() - start;
  BOOST_TEST_MESSAGE("resolution stuck: " << (r ? "ok" : r.error().message) << " after "
                                          << duration_cast<milliseconds>(took).count() << " ms");
  BOOST_TEST_REQUIRE(!r);
  BOOST_TEST(to_string(r.error().kind) == "timeout");
  BOOST_TEST(took >= milliseconds(250));
  BOOST_TEST(took < milliseconds(2500));  // the attempt's own deadline is 5 s

  // Another request stuck in getaddrinfo while the client is destroyed.
  std::atomic<bool> called{false};
  c->submit("cmp_000002", [&](Result<Campaign>) { called = true; });
  BOOST_REQUIRE(eventually([&] { return s.entered.load() >= entered_before + 2; }, seconds(10)));
  start = steady_clock::now();
  c.reset();
  took = steady_clock::now() - start;
  BOOST_TEST_MESSAGE("client destroyed in " << duration_cast<milliseconds>(took).count()
                                            << " ms with getaddrinfo still blocked");
  BOOST_TEST(called.load());  // cancelled by the destruction
  BOOST_TEST(took < milliseconds(2000));
  BOOST_TEST(s.returned.load() < s.entered.load());  // still blocked: nothing waited for it

  stuck_dns_release();
  // The detached lookups end on their own, posting nowhere.
  BOOST_TEST(eventually([&] { return s.returned.load() == s.entered.load(); }, seconds(10)));
}

BOOST_AUTO_TEST_SUITE_END()
