// Options::rate_limit: per-key fixed windows on the server's clock, the
// X-RateLimit-* headers on every response, 429 with Retry-After past the limit.
#include <atomic>
#include <chrono>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Dialect;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;

namespace {

// A clock the test moves: windows expire without waiting.
struct FakeClock {
  std::atomic<std::int64_t> ms{1000250};  // Unix time 1000.25 s
  Options options(std::uint64_t limit, std::chrono::seconds window) {
    Options o;
    o.rate_limit = {limit, window};
    o.now = [this] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.load())); };
    return o;
  }
};

Headers key(const std::string& k) { return {{"Authorization", "Bearer " + k}}; }

std::string h(const Response& r, std::string_view name) { return r.header(name).value_or("<none>"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limit)

BOOST_AUTO_TEST_CASE(counts_down_then_429_until_the_window_ends) {
  FakeClock clock;
  Server s(clock.options(3, 60s));
  s.generate(1);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  for (int k = 1; k <= 3; ++k) {
    auto r = c.get("/v1/campaigns/cmp_000000", key("sk_a"));
    BOOST_TEST(r.status == 200);
    BOOST_TEST(h(r, "X-RateLimit-Limit") == "3");
    BOOST_TEST(h(r, "X-RateLimit-Remaining") == std::to_string(3 - k));
    BOOST_TEST(h(r, "X-RateLimit-Reset") == "1060");  // the window starts at the first request's second
    BOOST_TEST(!r.header("Retry-After"));
  }
  auto limited = c.get("/v1/campaigns/cmp_000000", key("sk_a"));
  BOOST_TEST(limited.status == 429);
  BOOST_TEST(h(limited, "Retry-After") == "60");  // 59.75 s left, rounded up
  BOOST_TEST(h(limited, "X-RateLimit-Remaining") == "0");
  BOOST_TEST(h(limited, "X-RateLimit-Reset") == "1060");
  BOOST_TEST(h(limited, "Date") == "Thu, 01 Jan 1970 00:16:40 GMT");
  BOOST_TEST(limited.body == R"({"error":{"type":"rate_limited","message":"rate limit exceeded: 3 requests per 60 s"}})");

  // Another key has its own window.
  auto other = c.get("/v1/campaigns/cmp_000000", key("sk_b"));
  BOOST_TEST(other.status == 200);
  BOOST_TEST(h(other, "X-RateLimit-Remaining") == "2");

  clock.ms = 1059900;
  auto late = c.get("/v1/campaigns/cmp_000000", key("sk_a"));
  BOOST_TEST(late.status == 429);
  BOOST_TEST(h(late, "Retry-After") == "1");  // at least 1
  clock.ms = 1060000;
  auto fresh = c.get("/v1/campaigns/cmp_000000", key("sk_a"));
  BOOST_TEST(fresh.status == 200);
  BOOST_TEST(h(fresh, "X-RateLimit-Remaining") == "2");
  BOOST_TEST(h(fresh, "X-RateLimit-Reset") == "1120");
}

BOOST_AUTO_TEST_CASE(every_response_carries_the_headers) {
  FakeClock clock;
  Options o = clock.options(100, 10s);
  o.api_keys = {"sk_good"};
  Server s(o);
  s.generate(50);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  const char* targets[] = {"/v1/campaigns/cmp_000001",  "/v1/campaigns/cmp_nope", "/v1/elsewhere",
                           "/v1/campaigns?page=2",      "/v1/campaigns?limit=101",
                           "/v1/call-logs/campaign/cmp_000049", "/v1/call-logs/campaign/cmp_nope"};
  int remaining = 100;
  for (const char* t : targets) {
    auto r = c.get(t, key("sk_good"));
    BOOST_TEST(h(r, "X-RateLimit-Remaining") == std::to_string(--remaining), t);
    BOOST_TEST(h(r, "X-RateLimit-Limit") == "100");
    BOOST_TEST(h(r, "X-RateLimit-Reset") == "1010");
  }
  // Refused keys are counted under the key they sent.
  auto unauthorized = c.get("/v1/campaigns/cmp_000001", key("sk_bad"));
  BOOST_TEST(unauthorized.status == 401);
  BOOST_TEST(h(unauthorized, "X-RateLimit-Remaining") == "99");
  auto post = c.send(Request{"POST", "/v1/campaigns", key("sk_good"), 11});
  BOOST_TEST(post.status == 405);
  BOOST_TEST(h(post, "X-RateLimit-Remaining") == std::to_string(--remaining));
  BOOST_REQUIRE(!c.write_raw("GET /v1/campaigns HTTP/1.1\r\nAuthorization: Bearer sk_good\r\nBad Header\r\n\r\n"));
  auto malformed = c.read();
  BOOST_TEST(malformed.status == 400);
  BOOST_TEST(malformed.header("X-RateLimit-Limit").has_value());
}

BOOST_AUTO_TEST_CASE(list_endpoints_are_limited_too_and_live_429_shape) {
  FakeClock clock;
  Options o = clock.options(1, 5s);
  o.dialect = Dialect::live;
  Server s(o);
  s.generate(3);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns").status == 200);  // no key: one shared window
  auto r = fetch(s.port(), "/v1/call-logs/campaign/cmp_000001");
  BOOST_TEST(r.status == 429);
  BOOST_TEST(r.body ==
             R"({"statusCode":429,"message":"ThrottlerException: Too Many Requests","error":"Too Many Requests"})");
  BOOST_TEST(h(r, "Retry-After") == "5");
  BOOST_TEST(h(r, "X-RateLimit-Reset") == "1005");
}

BOOST_AUTO_TEST_CASE(no_rate_limit_no_headers) {
  Server s(Options{});
  s.generate(1);
  auto r = fetch(s.port(), "/v1/campaigns/cmp_000000");
  BOOST_TEST(!r.header("X-RateLimit-Limit"));
  BOOST_TEST(!r.header("X-RateLimit-Remaining"));
  BOOST_TEST(r.header("Date").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
