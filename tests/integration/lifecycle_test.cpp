// Teardown, cancellation and fork: nothing left behind, nothing written to
// connections that are not ours.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <future>

#include <sys/wait.h>
#include <unistd.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using Kind = mock::Fault::Kind;

BOOST_AUTO_TEST_SUITE(lifecycle)

BOOST_AUTO_TEST_CASE(destroy_with_100_requests_in_flight_is_quick_and_clean) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::hang}, 1.0}};
  MockFixture f(mo);
  std::size_t fds_before = open_fds(f.server.port()), threads_before = thread_count();
  std::atomic<int> cancelled{0}, other{0};
  duration<double, std::milli> took{};
  {
    auto o = f.options();
    o.max_connections = 100;
    // Were destroy to wait for the requests to end by themselves, it would
    // take the full minute; a bound in seconds holds on a loaded machine.
    o.timeout = minutes(1);
    o.total_timeout = minutes(2);
    std::optional<Client> c = make_client(o);
    for (int i = 0; i < 100; ++i)
      c->submit("cmp_000" + std::to_string(100 + i), [&](Result<Campaign> r) {
        if (!r && r.error().kind == ErrorKind::cancelled) ++cancelled;
        else ++other;
      });
    BOOST_REQUIRE_MESSAGE(eventually([&] { return f.server.requests().size() >= 100; }),  // all on the wire
                          "only " << f.server.requests().size() << " of 100 requests reached the server in 10 s");
    auto start = steady_clock::now();
    c.reset();
    took = steady_clock::now() - start;
  }
  BOOST_TEST_MESSAGE("destroy took " << took.count() << " ms");
  BOOST_TEST(took.count() < 10000.0);  // cancels, does not wait out the 60 s timeout
  BOOST_TEST(cancelled.load() == 100);  // every callback ran, with `cancelled`
  BOOST_TEST(other.load() == 0);
  BOOST_TEST(thread_count() == threads_before);
  BOOST_TEST(open_fds(f.server.port()) == fds_before);
  if (open_fds(f.server.port()) != fds_before) {
    for (auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      BOOST_TEST_MESSAGE(e.path() << " -> " << std::filesystem::read_symlink(e.path(), ec));
    }
  }
}

BOOST_AUTO_TEST_CASE(cancel_one_request) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::hang}});
  Client c = make_client(f.options());
  std::promise<Result<Campaign>> p;
  auto n = c.submit("cmp_000001", [&](Result<Campaign> r) { p.set_value(std::move(r)); });
  BOOST_REQUIRE_MESSAGE(eventually([&] { return !f.server.requests().empty(); }),
                        "the request did not reach the server in 10 s");
  c.cancel(n);
  auto r = p.get_future().get();
  BOOST_TEST(to_string(r.error().kind) == "cancelled");
  c.cancel(n);        // already finished: ignored
  c.cancel(999999);   // unknown: ignored
  BOOST_TEST(c.get("cmp_000002").has_value());
}

BOOST_AUTO_TEST_CASE(cancel_during_backoff_wait) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "30"}});
  auto o = f.options();
  o.total_timeout = minutes(5);
  Client c = make_client(o);
  std::promise<Result<Campaign>> p;
  auto n = c.submit("cmp_000001", [&](Result<Campaign> r) { p.set_value(std::move(r)); });
  BOOST_REQUIRE_MESSAGE(eventually([&] { return !f.server.requests().empty(); }),
                        "the request did not reach the server in 10 s");
  c.cancel(n);
  auto fut = p.get_future();
  BOOST_REQUIRE(fut.wait_for(seconds(5)) == std::future_status::ready);
  BOOST_TEST(to_string(fut.get().error().kind) == "cancelled");
}

BOOST_AUTO_TEST_CASE(moved_client_keeps_working) {
  MockFixture f;
  Client a = make_client(f.options());
  Client b = std::move(a);
  BOOST_TEST(b.get("cmp_000001").has_value());
}

BOOST_AUTO_TEST_CASE(child_after_fork_drops_inherited_connections) {
  MockFixture f;
  Client c = make_client(f.options());
  BOOST_REQUIRE(c.get("cmp_000001").has_value());  // one pooled connection
  BOOST_REQUIRE_EQUAL(f.server.stats().connections, 1u);
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    // Child: a fresh connection, never the parent's.
    auto r = c.get("cmp_000002");
    ::_exit(r.has_value() && r->id() == "cmp_000002" ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST(f.server.stats().connections == 2u);  // the child opened its own
  // The parent's pooled connection was not disturbed: reused, no new one.
  BOOST_TEST(c.get("cmp_000003").has_value());
  BOOST_TEST(f.server.stats().connections == 2u);
  for (const auto& r : f.server.requests())
    if (r.target.ends_with("cmp_000002")) BOOST_TEST(r.connection == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
