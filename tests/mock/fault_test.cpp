// Fault injection: scripted (FIFO), random (seeded), each kind, latency, advance.
#include <chrono>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;
using Kind = Fault::Kind;

namespace {

Fault make(Kind kind) {
  Fault f;
  f.kind = kind;
  return f;
}

Fault status(int code) {
  Fault f;
  f.status = code;
  return f;
}

const char* target = "/v1/campaigns/cmp_000000";

bool is_reset(const error_code& ec) {
  return ec == asio::error::connection_reset || ec == http::error::partial_message ||
         ec == http::error::end_of_stream || ec == asio::error::eof;
}

} // namespace

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(scripted_faults_are_consumed_in_order_then_normal) {
  Server s(Options{});
  s.generate(2);
  Fault busy = status(503);
  busy.retry_after = "1";
  Fault limited = status(429);
  limited.retry_after_ms = "250";
  limited.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT";
  limited.should_retry = "false";
  s.script("cmp_000000", {busy, limited});

  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  BOOST_TEST(c.get("/v1/campaigns/cmp_000001").status == 200); // other ids are not affected
  auto r1 = c.get(target);
  BOOST_TEST(r1.status == 503);
  BOOST_TEST(r1.header("Retry-After").value_or("") == "1");
  BOOST_TEST(!r1.header("retry-after-ms"));
  auto e1 = json::parse(r1.body).at("error");
  BOOST_TEST(e1.at("type").as_string() == "server_error");
  BOOST_TEST(r1.header("X-Request-Id").has_value());

  auto r2 = c.get(target);
  BOOST_TEST(r2.status == 429);
  BOOST_TEST(r2.header("retry-after-ms").value_or("") == "250");
  BOOST_TEST(r2.header("Retry-After").value_or("") == "Wed, 21 Oct 2015 07:28:00 GMT");
  BOOST_TEST(r2.header("x-should-retry").value_or("") == "false");
  BOOST_TEST(json::parse(r2.body).at("error").at("type").as_string() == "rate_limited");

  BOOST_TEST(c.get(target).status == 200);
  BOOST_TEST(s.stats().faults == 2u);
}

BOOST_AUTO_TEST_CASE(fault_body_override) {
  Server s(Options{});
  Fault f = status(500);
  f.body = R"({"detail":"boom"})";
  s.script("cmp_000000", {f});
  auto r = fetch(s.port(), target);
  BOOST_TEST(r.status == 500);
  BOOST_TEST(r.body == R"({"detail":"boom"})");
}

BOOST_AUTO_TEST_CASE(random_faults_are_reproducible_with_a_seed) {
  auto run = [](std::uint64_t seed) {
    Options o;
    o.seed = seed;
    o.random_faults = {{status(503), 0.3}, {status(429), 0.2}};
    Server s(o);
    s.generate(1);
    Client c(s.port());
    BOOST_REQUIRE(!c.connect());
    std::vector<int> seen;
    for (int k = 0; k < 60; ++k) seen.push_back(c.get(target).status);
    return seen;
  };
  auto a = run(42), b = run(42), other = run(43);
  BOOST_TEST(a == b);
  BOOST_TEST(a != other);
  auto count = [&](int code) { return std::count(a.begin(), a.end(), code); };
  BOOST_TEST(count(503) > 5);
  BOOST_TEST(count(429) > 3);
  BOOST_TEST(count(200) > 10);
}

BOOST_AUTO_TEST_CASE(reset_before_headers) {
  Server s(Options{});
  s.generate(1);
  s.script("cmp_000000", {make(Kind::reset_before_headers)});
  auto r = fetch(s.port(), target);
  BOOST_TEST(r.status == 0);
  BOOST_TEST((r.error == asio::error::connection_reset), r.error.message());
  BOOST_TEST(fetch(s.port(), target).status == 200);
}

BOOST_AUTO_TEST_CASE(reset_after_headers_and_mid_body) {
  Server s(Options{});
  s.generate(1);
  s.script("cmp_000000", {make(Kind::reset_after_headers), make(Kind::reset_mid_body)});
  const std::string full = campaign::mock::generated_record(0);

  auto r1 = fetch(s.port(), target);
  BOOST_TEST(r1.status == 200);
  BOOST_TEST(is_reset(r1.error));
  BOOST_TEST(r1.header("Content-Length").value_or("") == std::to_string(full.size()));
  BOOST_TEST(r1.body.empty());

  auto r2 = fetch(s.port(), target);
  BOOST_TEST(r2.status == 200);
  BOOST_TEST(is_reset(r2.error));
  BOOST_TEST(r2.body.size() < full.size());
  BOOST_TEST(full.starts_with(r2.body));
}

BOOST_AUTO_TEST_CASE(truncate_body_closes_short_of_content_length) {
  Server s(Options{});
  s.generate(1);
  s.script("cmp_000000", {make(Kind::truncate_body)});
  const std::string full = campaign::mock::generated_record(0);
  auto r = fetch(s.port(), target);
  BOOST_TEST(r.status == 200);
  BOOST_TEST((r.error == http::error::partial_message), r.error.message());
  BOOST_TEST(r.header("Content-Length").value_or("") == std::to_string(full.size()));
  BOOST_TEST(r.body == full.substr(0, full.size() / 2));
}

BOOST_AUTO_TEST_CASE(slow_body_trickles_the_real_body) {
  Server s(Options{});
  s.add_record(R"({"id":"cmp_s","n":1})");
  Fault slow = make(Kind::slow_body);
  slow.delay = 5ms;
  s.script("cmp_s", {slow});
  auto t0 = std::chrono::steady_clock::now();
  auto r = fetch(s.port(), "/v1/campaigns/cmp_s");
  auto took = std::chrono::steady_clock::now() - t0;
  BOOST_TEST(!r.error);
  BOOST_TEST(r.body == R"({"id":"cmp_s","n":1})");
  BOOST_TEST((took >= 20 * 5ms)); // 20 bytes, each after a 5 ms gap
}

BOOST_AUTO_TEST_CASE(hang_never_answers) {
  Server s(Options{});
  s.generate(1);
  s.script("cmp_000000", {make(Kind::hang)});
  Client c(s.port(), 200ms);
  BOOST_REQUIRE(!c.connect());
  auto r = c.get(target);
  BOOST_TEST(r.status == 0);
  BOOST_TEST((r.error == beast::error::timeout), r.error.message());
}

BOOST_AUTO_TEST_CASE(garbage_redirect_and_oversized) {
  Server s(Options{});
  s.generate(1);
  Fault redirect = make(Kind::redirect);
  redirect.status = 307;
  redirect.location = "http://127.0.0.1:1/v1/campaigns/cmp_000000";
  Fault big = make(Kind::oversized_body);
  big.size = 3u << 20;
  Fault tiny = make(Kind::oversized_body);
  tiny.size = 5;
  s.script("cmp_000000", {make(Kind::garbage), redirect, big, tiny});
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());

  auto g = c.get(target);
  BOOST_TEST(g.status == 200);
  BOOST_TEST(g.body == "<html>oops</html>");

  auto r = c.get(target);
  BOOST_TEST(r.status == 307);
  BOOST_TEST(r.header("Location").value_or("") == redirect.location);

  auto o = c.get(target);
  BOOST_TEST(!o.error);
  BOOST_TEST(o.status == 200);
  BOOST_TEST(o.header("Content-Length").value_or("") == std::to_string(3u << 20));
  BOOST_REQUIRE(o.body.size() == (3u << 20));
  BOOST_TEST(json::parse(o.body).at("id").as_string() == "cmp_000000");

  BOOST_TEST(c.get(target).body.size() == 5u); // the same connection still works after streaming
  BOOST_TEST(c.get(target).status == 200);
}

BOOST_AUTO_TEST_CASE(latency_delays_every_response) {
  Options o;
  o.latency = 60ms;
  Server s(o);
  s.generate(1);
  Fault late = status(503);
  late.delay = 60ms; // adds to the latency
  s.script("cmp_000000", {late});
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto t0 = std::chrono::steady_clock::now();
  BOOST_TEST(c.get(target).status == 503);
  auto t1 = std::chrono::steady_clock::now();
  BOOST_TEST(c.get(target).status == 200);
  auto t2 = std::chrono::steady_clock::now();
  BOOST_TEST((t1 - t0 >= 120ms));
  BOOST_TEST((t2 - t1 >= 60ms));
}

BOOST_AUTO_TEST_CASE(advance_moves_counters_and_ends_completed) {
  Options o;
  o.advance = 100;
  Server s(o);
  s.add_record(R"({"id":"cmp_w","status":"running","total_leads":300,"completed_calls":50,"pending_calls":250})");
  s.add_record(R"({"id":"cmp_c","status":"cancelled","completed_calls":5,"pending_calls":5})");
  s.add_record(R"({"id":"cmp_n","status":"running"})");
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  std::vector<std::pair<std::int64_t, std::int64_t>> seen;
  std::string last_status;
  for (int k = 0; k < 4; ++k) {
    auto v = json::parse(c.get("/v1/campaigns/cmp_w").body).as_object();
    seen.emplace_back(v.at("completed_calls").as_int64(), v.at("pending_calls").as_int64());
    last_status = v.at("status").as_string();
    BOOST_TEST(v.at("total_leads").as_int64() == 300);
    if (k < 2) BOOST_TEST(v.at("status").as_string() == "running");
  }
  BOOST_TEST((seen[0] == std::pair<std::int64_t, std::int64_t>{150, 150}));
  BOOST_TEST((seen[1] == std::pair<std::int64_t, std::int64_t>{250, 50}));
  BOOST_TEST((seen[2] == std::pair<std::int64_t, std::int64_t>{300, 0}));
  BOOST_TEST((seen[3] == std::pair<std::int64_t, std::int64_t>{300, 0}));
  BOOST_TEST(last_status == "completed");
  // Cancelled campaigns and records without counters are served as given.
  BOOST_TEST(c.get("/v1/campaigns/cmp_c").body == R"({"id":"cmp_c","status":"cancelled","completed_calls":5,"pending_calls":5})");
  BOOST_TEST(c.get("/v1/campaigns/cmp_n").body == R"({"id":"cmp_n","status":"running"})");
}

BOOST_AUTO_TEST_CASE(advance_applies_to_generated_records) {
  Options o;
  o.advance = 1000000;
  Server s(o);
  s.generate(3);
  auto v = json::parse(fetch(s.port(), "/v1/campaigns/cmp_000002").body).as_object(); // running
  BOOST_TEST(v.at("pending_calls").as_int64() == 0);
  BOOST_TEST(v.at("status").as_string() == "completed");
}

BOOST_AUTO_TEST_SUITE_END()
