// The retry rules: which responses are retried, how many attempts, which
// waits are honoured, and that no wait runs past the deadline.
#include "fixture.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using Kind = mock::Fault::Kind;
namespace bdata = boost::unit_test::data;

namespace {

mock::Fault status(int code) { return mock::Fault{.kind = Kind::status, .status = code}; }

// The X-Campaign-Retry-Count values the server saw for one ID, in order.
std::vector<std::string> retry_counts(const mock::Server& s, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& r : s.requests())
    if (r.target.ends_with("/" + id)) out.push_back(r.header("X-Campaign-Retry-Count").value_or("?"));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retry)

BOOST_DATA_TEST_CASE(retried_statuses_get_max_retries_plus_one_attempts,
                     bdata::make({408, 429, 500, 502, 503, 504}), code) {
  MockFixture f;
  f.server.script("cmp_000001", std::vector<mock::Fault>(10, status(code)));
  Client c = make_client(f.options());  // max_retries = 2
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(seen(r.error()).attempts == 3);
  BOOST_TEST(f.requests_for("cmp_000001") == 3u);
  BOOST_TEST((retry_counts(f.server, "cmp_000001") == std::vector<std::string>{"0", "1", "2"}));
}

BOOST_DATA_TEST_CASE(final_statuses_get_one_attempt, bdata::make({400, 401, 403, 404, 409, 501}), code) {
  MockFixture f;
  f.server.script("cmp_000001", std::vector<mock::Fault>(10, status(code)));
  Client c = make_client(f.options());
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST(f.requests_for("cmp_000001") == 1u);
}

BOOST_AUTO_TEST_CASE(success_after_transient_failures) {
  MockFixture f;
  f.server.script("cmp_000001", {status(503), status(502)});
  Client c = make_client(f.options());
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(f.requests_for("cmp_000001") == 3u);
  BOOST_TEST(c.stats().retries == 2u);
}

BOOST_AUTO_TEST_CASE(max_retries_zero_disables_retries) {
  MockFixture f;
  f.server.script("cmp_000001", {status(503)});
  auto o = f.options();
  o.max_retries = 0;
  Client c = make_client(o);
  BOOST_TEST(c.get("cmp_000001").error().attempts == 1);
  BOOST_TEST(f.requests_for("cmp_000001") == 1u);
}

BOOST_AUTO_TEST_CASE(resets_and_timeouts_are_retried) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::reset_before_headers}, mock::Fault{.kind = Kind::hang}});
  auto o = f.options();
  o.timeout = milliseconds(300);
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE_MESSAGE(r.has_value(), seen(r.error()).describe());
  BOOST_TEST(f.requests_for("cmp_000001") == 3u);
}

BOOST_AUTO_TEST_CASE(retry_after_seconds_is_honoured) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 429, .retry_after = "0.3"}});
  auto o = f.options();
  o.backoff_initial = seconds(30);  // were backoff used instead, this would time out
  o.backoff_max = seconds(30);
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = c.get("cmp_000001");
  auto took = steady_clock::now() - start;
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST((took >= milliseconds(300)));
  BOOST_TEST((took < seconds(5)));
}

BOOST_AUTO_TEST_CASE(retry_after_ms_takes_precedence) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "30",
                                             .retry_after_ms = "150"}});
  Client c = make_client(f.options());
  auto start = steady_clock::now();
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  auto took = steady_clock::now() - start;
  BOOST_TEST((took >= milliseconds(150)));
  BOOST_TEST((took < seconds(5)));
}

BOOST_AUTO_TEST_CASE(retry_after_http_date_is_honoured) {
  MockFixture f;
  // A date in the past means "now".
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503,
                                             .retry_after = "Sun, 06 Nov 1994 08:49:37 GMT"}});
  auto o = f.options();
  o.backoff_initial = seconds(30);
  o.backoff_max = seconds(30);
  Client c = make_client(o);
  auto start = steady_clock::now();
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  BOOST_TEST((steady_clock::now() - start < seconds(5)));
}

BOOST_AUTO_TEST_CASE(retry_after_past_the_deadline_gives_up_early_and_reports_the_wait) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 429, .retry_after = "5"}});
  auto o = f.options();
  o.total_timeout = seconds(2);
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((steady_clock::now() - start < seconds(1)));  // did not sleep 5 s
  BOOST_TEST(seen(r.error()).attempts == 1);
  BOOST_REQUIRE(r.error().retry_after.has_value());
  BOOST_TEST(r.error().retry_after->count() == 5000);
  BOOST_TEST(to_string(r.error().kind) == "rate_limited");
}

BOOST_AUTO_TEST_CASE(retry_after_over_the_cap_is_not_waited_for) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "7200"}});
  auto o = f.options();
  o.total_timeout = hours(24);  // the longest allowed: 2 h fits, only the cap refuses it
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST(r.error().retry_after->count() == 7200000);
  BOOST_TEST(r.error().message.find("over the limit") != std::string::npos, r.error().message);
}

BOOST_DATA_TEST_CASE(garbage_or_negative_retry_after_falls_back_to_backoff,
                     bdata::make({"soon", "-5", "", "1e3", "Sun, 99 Nov 1994 08:49:37 GMT"}), value) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503, .retry_after = std::string(value)}});
  Client c = make_client(f.options());  // backoff of a few ms
  auto start = steady_clock::now();
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  BOOST_TEST((steady_clock::now() - start < seconds(5)));
}

BOOST_AUTO_TEST_CASE(should_retry_false_stops_a_retryable_status) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 503, .should_retry = "false"}});
  Client c = make_client(f.options());
  BOOST_TEST(c.get("cmp_000001").error().attempts == 1);
}

BOOST_AUTO_TEST_CASE(should_retry_true_retries_an_otherwise_final_status) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 409, .should_retry = "true"}});
  Client c = make_client(f.options());
  BOOST_TEST(c.get("cmp_000001").has_value());
  BOOST_TEST(f.requests_for("cmp_000001") == 2u);
}

BOOST_AUTO_TEST_CASE(should_retry_true_never_retries_404) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 404, .should_retry = "true"}});
  Client c = make_client(f.options());
  BOOST_TEST(c.get("cmp_000001").error().attempts == 1);
}

BOOST_AUTO_TEST_CASE(total_timeout_bounds_all_attempts) {
  MockFixture f;
  f.server.script("cmp_000001", std::vector<mock::Fault>(10, mock::Fault{.kind = Kind::hang}));
  auto o = f.options();
  o.timeout = seconds(5);
  o.total_timeout = milliseconds(700);
  o.max_retries = 5;
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = c.get("cmp_000001");
  auto took = steady_clock::now() - start;
  BOOST_TEST(to_string(seen(r.error()).kind) == "timeout");
  BOOST_TEST((took >= milliseconds(700)));
  BOOST_TEST((took < seconds(3)));
}

BOOST_AUTO_TEST_CASE(retry_budget_caps_a_503_storm) {
  mock::Options mo = mock_options();
  mo.random_faults = {{status(503), 1.0}};
  MockFixture f(mo);
  auto o = f.options();
  o.retry_budget_ratio = 0.1;
  o.retry_budget_burst = 10;
  o.backoff_initial = milliseconds(1);
  o.backoff_max = milliseconds(2);
  Client c = make_client(o);
  const std::size_t n = 1000;
  std::size_t i = 0;
  BatchOptions bo;
  bo.concurrency = 16;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (i == n) return std::nullopt;
        char id[16];
        std::snprintf(id, sizeof id, "cmp_%06zu", i++ % 2000);
        return std::string(id);
      },
      [](BatchItem&&) { return true; }, bo);
  BOOST_TEST(summary.failed == n);
  auto sent = f.server.stats().requests;
  BOOST_TEST_MESSAGE("requests sent for " << n << " IDs: " << sent);
  BOOST_TEST(sent <= static_cast<std::uint64_t>(1.1 * n + 10 + 1));  // not 3 x N
  BOOST_TEST(c.stats().budget_denied > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
