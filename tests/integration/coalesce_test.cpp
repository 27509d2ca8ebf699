// Coalescing (docs/decisions.md, "Coalescing"): concurrent gets of one ID
// share one request; each caller keeps its own cancellation and deadline.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <latch>
#include <thread>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;

namespace {

// Answers after `latency`, so that gets started together overlap.
mock::Options slow(milliseconds latency) {
  auto o = mock_options();
  o.latency = latency;
  return o;
}

struct Outcome {
  std::optional<Result<Campaign>> result;
  steady_clock::time_point started, ended;
  milliseconds took() const { return duration_cast<milliseconds>(ended - started); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(coalesce)

BOOST_AUTO_TEST_CASE(concurrent_gets_of_one_id_send_one_request_and_all_get_the_record) {
  MockFixture f(slow(milliseconds(300)));
  Client c = make_client(f.options());
  constexpr int n = 200;
  std::latch done(n);
  std::vector<Outcome> out(n);
  for (int i = 0; i < n; ++i)
    c.submit("cmp_000007", [&, i](Result<Campaign> r) {
      out[i].result.emplace(std::move(r));
      done.count_down();
    });
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }, seconds(20)));
  for (auto& o : out) {
    BOOST_REQUIRE(seen(*o.result).has_value());
    BOOST_TEST(o.result->value().id() == "cmp_000007");
  }
  BOOST_TEST(f.requests_for("cmp_000007") == 1u);
  auto s = c.stats();
  BOOST_TEST(s.requests == 1u);
  BOOST_TEST(s.coalesced == std::uint64_t(n - 1));
  // Landed: the next get is a request of its own, not a stale answer.
  BOOST_REQUIRE(c.get("cmp_000007").has_value());
  BOOST_TEST(f.requests_for("cmp_000007") == 2u);
}

BOOST_AUTO_TEST_CASE(different_ids_are_not_coalesced) {
  MockFixture f(slow(milliseconds(100)));
  Client c = make_client(f.options());
  std::latch done(2);
  c.submit("cmp_000001", [&](Result<Campaign> r) { BOOST_TEST(r.has_value()); done.count_down(); });
  c.submit("cmp_000002", [&](Result<Campaign> r) { BOOST_TEST(r.has_value()); done.count_down(); });
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  BOOST_TEST(f.requests_for("cmp_000001") == 1u);
  BOOST_TEST(f.requests_for("cmp_000002") == 1u);
  BOOST_TEST(c.stats().coalesced == 0u);
}

BOOST_AUTO_TEST_CASE(one_caller_cancelled_the_others_served) {
  MockFixture f(slow(milliseconds(400)));
  Client c = make_client(f.options());
  constexpr int n = 5;
  std::latch done(n);
  std::vector<Outcome> out(n);
  std::vector<std::uint64_t> numbers;
  for (int i = 0; i < n; ++i)
    numbers.push_back(c.submit("cmp_000003", [&, i](Result<Campaign> r) {
      out[i].result.emplace(std::move(r));
      out[i].ended = steady_clock::now();
      done.count_down();
    }));
  const auto cancelled_at = steady_clock::now();
  c.cancel(numbers[0]);  // the first, whose get started the request
  c.cancel(numbers[3]);
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  for (int i : {0, 3}) {
    BOOST_REQUIRE(!out[i].result->has_value());
    BOOST_TEST(to_string(out[i].result->error().kind) == "cancelled");
    // Cancelled at once, not when the shared answer came 400 ms later.
    BOOST_TEST(duration_cast<milliseconds>(out[i].ended - cancelled_at).count() < 300);
  }
  for (int i : {1, 2, 4}) BOOST_TEST(seen(*out[i].result).has_value());
  BOOST_TEST(f.requests_for("cmp_000003") == 1u);
}

BOOST_AUTO_TEST_CASE(when_every_caller_cancels_the_request_stops_and_the_next_get_starts_afresh) {
  MockFixture f(slow(milliseconds(500)));
  auto o = f.options();
  Client c = make_client(o);
  std::latch done(2);
  std::vector<Outcome> out(2);
  auto a = c.submit("cmp_000004", [&](Result<Campaign> r) { out[0].result.emplace(std::move(r)); done.count_down(); });
  auto b = c.submit("cmp_000004", [&](Result<Campaign> r) { out[1].result.emplace(std::move(r)); done.count_down(); });
  c.cancel(a);
  c.cancel(b);
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  for (auto& x : out) {
    BOOST_REQUIRE(!x.result->has_value());
    BOOST_TEST(to_string(x.result->error().kind) == "cancelled");
  }
  auto r = c.get("cmp_000004");  // not the cancelled flight's answer
  BOOST_REQUIRE(seen(r).has_value());
  BOOST_TEST(r->id() == "cmp_000004");
}

BOOST_AUTO_TEST_CASE(each_caller_keeps_its_own_deadline) {
  // The server answers after 1.5 s; every caller allows 600 ms in total.
  MockFixture f(slow(milliseconds(1500)));
  auto o = f.options();
  o.total_timeout = milliseconds(600);
  o.timeout = seconds(10);
  o.max_retries = 0;
  Client c = make_client(o);
  std::latch done(2);
  std::vector<Outcome> out(2);
  auto start = [&](int i) {
    out[i].started = steady_clock::now();
    c.submit("cmp_000005", [&, i](Result<Campaign> r) {
      out[i].result.emplace(std::move(r));
      out[i].ended = steady_clock::now();
      done.count_down();
    });
  };
  start(0);
  // A gap, not a synchronisation: the second caller arrives 300 ms into the
  // first one's request, so its own deadline lies 300 ms after the first's.
  std::this_thread::sleep_for(milliseconds(300));
  start(1);
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  for (auto& x : out) {
    BOOST_REQUIRE(!x.result->has_value());
    BOOST_TEST(to_string(x.result->error().kind) == "timeout");
    // Each ends at its own deadline: not before (the second is not cut at
    // the first's), and well before the answer would have come.
    BOOST_TEST(x.took().count() >= 590);
    BOOST_TEST(x.took().count() < 1200);
  }
  BOOST_TEST(f.requests_for("cmp_000005") == 1u);
}

BOOST_AUTO_TEST_CASE(a_get_after_cancel_all_does_not_join_the_request_it_cancels) {
  MockFixture f(slow(milliseconds(300)));
  Client c = make_client(f.options());
  std::latch done(1);
  std::optional<Result<Campaign>> first;
  c.submit("cmp_000009", [&](Result<Campaign> r) {
    first.emplace(std::move(r));
    done.count_down();
  });
  c.cancel_all();
  auto r = c.get("cmp_000009");  // made after cancel_all(): a request of its own
  BOOST_TEST(seen(r).has_value());
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  BOOST_REQUIRE(!first->has_value());
  BOOST_TEST(to_string(first->error().kind) == "cancelled");
}

BOOST_AUTO_TEST_CASE(off_every_get_is_a_request_of_its_own) {
  MockFixture f(slow(milliseconds(200)));
  auto o = f.options();
  o.coalesce = false;
  Client c = make_client(o);
  constexpr int n = 6;
  std::latch done(n);
  for (int i = 0; i < n; ++i)
    c.submit("cmp_000006", [&](Result<Campaign> r) {
      BOOST_TEST(r.has_value());
      done.count_down();
    });
  BOOST_REQUIRE(eventually([&] { return done.try_wait(); }));
  BOOST_TEST(f.requests_for("cmp_000006") == std::size_t(n));
  BOOST_TEST(c.stats().coalesced == 0u);
}

BOOST_AUTO_TEST_CASE(destroying_the_client_ends_every_waiter_with_cancelled) {
  MockFixture f(slow(milliseconds(5000)));
  constexpr int n = 10;
  std::latch done(n);
  std::atomic<int> cancelled{0};
  const auto t0 = steady_clock::now();
  {
    Client c = make_client(f.options());
    for (int i = 0; i < n; ++i)
      c.submit("cmp_000008", [&](Result<Campaign> r) {
        if (!r && r.error().kind == ErrorKind::cancelled) ++cancelled;
        done.count_down();
      });
  }
  BOOST_TEST(done.try_wait());  // ~Client returned after every callback ran
  BOOST_TEST(cancelled.load() == n);
  BOOST_TEST(duration_cast<milliseconds>(steady_clock::now() - t0).count() < 2000);
}

BOOST_AUTO_TEST_SUITE_END()
