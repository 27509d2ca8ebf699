// Pacing by the server's X-RateLimit headers (docs/api.md, "Rate limits"):
// requests wait for the key's window instead of collecting 429s, never past
// their deadline, cancellably, and the state shows on results and errors.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <future>
#include <latch>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;

namespace {

mock::Options rate_limited(std::uint64_t limit, seconds window) {
  auto o = mock_options();
  o.rate_limit = {.limit = limit, .window = window};
  return o;
}

std::string id_of(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "cmp_%06d", i);
  return buf;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limit)

BOOST_AUTO_TEST_CASE(results_and_stats_carry_the_limit_as_last_seen) {
  MockFixture f(rate_limited(50, seconds(60)));
  Client c = make_client(f.options());
  auto r = seen(c.get("cmp_000001"));
  BOOST_REQUIRE(r.has_value());
  auto rl = r->rate_limit();
  BOOST_REQUIRE(rl.has_value());
  BOOST_TEST(rl->limit.value_or(-1) == 50);
  BOOST_TEST(rl->remaining.value_or(-1) == 49);
  BOOST_REQUIRE(rl->reset.has_value());
  const auto in = *rl->reset - time_point_cast<milliseconds>(system_clock::now());
  BOOST_TEST((in > seconds(0)));
  BOOST_TEST((in <= seconds(62)));  // the window, plus Date's whole second
  auto e = c.get("cmp_999999");  // a 404 carries the headers too
  BOOST_REQUIRE(!e.has_value());
  BOOST_REQUIRE(e.error().rate_limit.has_value());
  BOOST_TEST(e.error().rate_limit->remaining.value_or(-1) == 48);
  auto s = c.stats();
  BOOST_REQUIRE(s.rate_limit.has_value());
  BOOST_TEST(s.rate_limit->remaining.value_or(-1) == 48);
  BOOST_TEST(s.responses_429 == 0u);
  BOOST_TEST(s.rate_limit_waits == 0u);
}

BOOST_AUTO_TEST_CASE(a_server_without_headers_shows_none) {
  MockFixture f;
  Client c = make_client(f.options());
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(!r->rate_limit().has_value());
  BOOST_TEST(!c.stats().rate_limit.has_value());
}

BOOST_AUTO_TEST_CASE(concurrent_requests_wait_for_the_window_instead_of_collecting_429s) {
  MockFixture f(rate_limited(4, seconds(1)));
  auto o = f.options();
  o.max_retries = 0;  // a 429 would be an error
  o.total_timeout = seconds(60);
  Client c = make_client(o);
  BOOST_REQUIRE(seen(c.get("cmp_000001")).has_value());  // learns the window
  constexpr int n = 12;
  std::latch done(n);
  std::vector<std::optional<Result<Campaign>>> results(n);
  for (int i = 0; i < n; ++i)
    c.submit(id_of(i + 2), [&, i](Result<Campaign> r) {
      results[i].emplace(std::move(r));
      done.count_down();
    });
  done.wait();
  for (auto& r : results) {
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(seen(*r).has_value());
  }
  auto s = c.stats();
  BOOST_TEST(s.responses_429 == 0u);
  BOOST_TEST(s.rate_limit_waits >= 1u);
  BOOST_TEST(s.rate_limit_wait_ms > 0u);
  BOOST_TEST(f.server.requests().size() == std::size_t{n + 1});  // nothing was sent twice
}

// Short windows, many in flight: every window is used up, the gate waits
// for each reset and follows each new window from its first answers (how
// it tells windows apart exactly is in tests/unit/rate_gate_test.cpp). Any
// 429 fails a get (no retries).
BOOST_AUTO_TEST_CASE(many_in_flight_across_one_second_windows_meet_no_429) {
  MockFixture f(rate_limited(40, seconds(1)));
  auto o = f.options();
  o.max_retries = 0;
  o.max_connections = 64;
  o.total_timeout = seconds(60);
  Client c = make_client(o);
  BOOST_REQUIRE(seen(c.get("cmp_000000")).has_value());  // learns the window
  constexpr int n = 200;  // five windows at least
  std::latch done(n);
  std::vector<std::optional<Result<Campaign>>> results(n);
  const auto start = steady_clock::now();
  for (int i = 0; i < n; ++i)
    c.submit(id_of(i + 1), [&, i](Result<Campaign> r) {
      results[i].emplace(std::move(r));
      done.count_down();
    });
  done.wait();
  int failed = 0;
  for (auto& r : results)
    if (!r || !r->has_value()) ++failed;
  BOOST_TEST(failed == 0);
  auto s = c.stats();
  BOOST_TEST(s.responses_429 == 0u);
  BOOST_TEST(f.server.requests().size() == std::size_t{n + 1});  // nothing sent twice
  // Five windows need four resets; waiting a whole extra second at each
  // (a window read as the last one) would take nine.
  BOOST_TEST((steady_clock::now() - start < seconds(8)));
}

BOOST_AUTO_TEST_CASE(a_wait_past_the_deadline_fails_at_once_carrying_the_wait) {
  MockFixture f(rate_limited(1, seconds(30)));
  auto o = f.options();
  o.total_timeout = seconds(3);
  Client c = make_client(o);
  BOOST_REQUIRE(c.get("cmp_000001").has_value());  // the window's only request
  const auto start = steady_clock::now();
  auto r = c.get("cmp_000002");
  BOOST_TEST((steady_clock::now() - start < milliseconds(1500)));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(seen(r.error()).kind) == "rate_limited");
  BOOST_TEST(r.error().attempts == 0);
  BOOST_REQUIRE(r.error().retry_after.has_value());
  BOOST_TEST((*r.error().retry_after > seconds(3)));
  BOOST_REQUIRE(r.error().rate_limit.has_value());
  BOOST_TEST(r.error().rate_limit->remaining.value_or(-1) == 0);
  BOOST_TEST(f.requests_for("cmp_000002") == 0u);
}

BOOST_AUTO_TEST_CASE(with_the_gate_off_attempts_are_sent_and_meet_the_429) {
  MockFixture f(rate_limited(1, seconds(30)));
  auto o = f.options();
  o.total_timeout = seconds(3);
  o.max_retries = 0;
  o.rate_limit_gate = false;
  Client c = make_client(o);
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  auto r = c.get("cmp_000002");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(seen(r.error()).kind) == "rate_limited");
  BOOST_TEST(r.error().http_status == 429);
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST(f.requests_for("cmp_000002") == 1u);  // sent, not held back
  auto s = c.stats();
  BOOST_TEST(s.responses_429 == 1u);
  BOOST_TEST(s.rate_limit_waits == 0u);
  BOOST_REQUIRE(s.rate_limit.has_value());  // still recorded
  BOOST_TEST(s.rate_limit->remaining.value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(the_gate_is_shared_by_every_client_of_the_key) {
  auto mo = rate_limited(1, seconds(30));
  mo.api_keys.push_back("sk_other_key_123");
  MockFixture f(mo);
  auto o = f.options();
  o.total_timeout = seconds(3);
  Client a = make_client(o);
  BOOST_REQUIRE(a.get("cmp_000001").has_value());
  Client b = make_client(o);  // has sent nothing yet
  auto r = b.get("cmp_000002");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(seen(r.error()).kind) == "rate_limited");
  BOOST_TEST(f.requests_for("cmp_000002") == 0u);
  // Another key has a window (and a gate) of its own.
  auto other = o;
  other.api_key = "sk_other_key_123";
  Client c = make_client(other);
  BOOST_TEST(seen(c.get("cmp_000003")).has_value());
}

BOOST_AUTO_TEST_CASE(a_waiting_request_can_be_cancelled) {
  MockFixture f(rate_limited(1, seconds(30)));
  auto o = f.options();
  o.total_timeout = seconds(60);
  Client c = make_client(o);
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  std::promise<Result<Campaign>> p;
  auto fut = p.get_future();
  auto n = c.submit("cmp_000002", [&](Result<Campaign> r) { p.set_value(std::move(r)); });
  BOOST_TEST((fut.wait_for(milliseconds(200)) == std::future_status::timeout));  // held back
  const auto start = steady_clock::now();
  c.cancel(n);
  BOOST_REQUIRE((fut.wait_for(seconds(5)) == std::future_status::ready));
  BOOST_TEST((steady_clock::now() - start < seconds(2)));
  auto r = fut.get();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "cancelled");
  BOOST_TEST(f.requests_for("cmp_000002") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
