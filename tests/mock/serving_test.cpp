// What the mock answers: records, generated records, errors, auth, routing.
#include <set>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;

namespace {

const std::string example = R"({"id":"cmp_xyz789","org_id":"org_xyz","name":"Q2 Lead Re-engagement",)"
                            R"("agent_id":"agt_abc123","from_phone_number":"+912234567890","status":"running",)"
                            R"("max_concurrent_calls":5,"scheduled_at":null,)"
                            R"("retry_config":{"max_retries":3,"retry_interval_minutes":120},)"
                            R"("total_leads":1200,"completed_calls":450,"pending_calls":750,)"
                            R"("created_at":"2024-03-01T09:00:00.000Z"})";

Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

} // namespace

BOOST_AUTO_TEST_SUITE(serving)

BOOST_AUTO_TEST_CASE(serves_a_record_byte_for_byte) {
  Server s(Options{});
  s.add_record(example);
  auto r = fetch(s.port(), "/v1/campaigns/cmp_xyz789");
  BOOST_TEST(!r.error);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == example);
  BOOST_TEST(r.header("Content-Type").value_or("") == "application/json");
  BOOST_TEST(r.header("X-Request-Id").value_or("") == "req_1");
  BOOST_TEST(s.base_url() == "http://127.0.0.1:" + std::to_string(s.port()) + "/v1");
}

BOOST_AUTO_TEST_CASE(odd_numbers_reach_the_client_unchanged) {
  Server s(Options{});
  const std::string odd = R"({"max_concurrent_calls":5.0,"total_leads":1e400, "id" : "cmp_odd"})";
  s.add_record(odd);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_odd").body == odd);
}

BOOST_AUTO_TEST_CASE(add_record_refuses_what_it_cannot_key) {
  Server s(Options{});
  BOOST_CHECK_THROW(s.add_record("not json"), std::invalid_argument);
  BOOST_CHECK_THROW(s.add_record("[1]"), std::invalid_argument);
  BOOST_CHECK_THROW(s.add_record(R"({"id":7})"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(later_record_replaces_earlier) {
  Server s(Options{});
  s.add_record(R"({"id":"cmp_a","name":"one"})");
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_a").body == R"({"id":"cmp_a","name":"one"})");
  s.add_record(R"({"id":"cmp_a","name":"two"})");
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_a").body == R"({"id":"cmp_a","name":"two"})");
}

BOOST_AUTO_TEST_CASE(unknown_id_is_404_in_api_shape) {
  Server s(Options{});
  auto r = fetch(s.port(), "/v1/campaigns/cmp_missing");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(r.body == R"({"error":{"type":"not_found","message":"campaign cmp_missing not found"}})");
  BOOST_TEST(r.header("Content-Type").value_or("") == "application/json");
}

BOOST_AUTO_TEST_CASE(hostile_ids_still_get_valid_json) {
  Server s(Options{});
  auto r = fetch(s.port(), "/v1/campaigns/a%22b\\c");
  BOOST_TEST(r.status == 404);
  auto v = json::parse(r.body);
  BOOST_TEST(v.at("error").at("message").as_string() == "campaign a%22b\\c not found");
}

BOOST_AUTO_TEST_CASE(routing_other_paths_and_methods) {
  Server s(Options{});
  s.generate(1);
  BOOST_TEST(fetch(s.port(), "/v2/campaigns/cmp_000000").status == 404);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/").status == 404);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000/calls").status == 404);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000?expand=all").status == 200);
  auto r = fetch(s.port(), "/v1/other");
  BOOST_TEST(json::parse(r.body).at("error").at("type").as_string() == "not_found");

  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto post = c.send(Request{"POST", "/v1/campaigns/cmp_000000", {}, 11});
  BOOST_TEST(post.status == 405);
  BOOST_TEST(post.header("Allow").value_or("") == "GET");
  BOOST_TEST(json::parse(post.body).at("error").at("type").as_string() == "method_not_allowed");
}

BOOST_AUTO_TEST_CASE(custom_prefix) {
  Options o;
  o.prefix = "api/v9/";
  Server s(o);
  s.generate(1);
  BOOST_TEST(s.base_url().ends_with("/api/v9"));
  BOOST_TEST(fetch(s.port(), "/api/v9/campaigns/cmp_000000").status == 200);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000").status == 404);
}

BOOST_AUTO_TEST_CASE(api_keys_401_and_forbidden_keys_403) {
  Options o;
  o.api_keys = {"sk_good"};
  o.forbidden_keys = {"sk_other_workspace"};
  Server s(o);
  s.add_record(example);
  const std::string target = "/v1/campaigns/cmp_xyz789";
  const std::string unauthorized = R"({"error":{"type":"unauthorized","message":"invalid API key"}})";

  auto none = fetch(s.port(), target);
  BOOST_TEST(none.status == 401);
  BOOST_TEST(none.body == unauthorized);
  BOOST_TEST(none.header("WWW-Authenticate").value_or("") == "Bearer");
  BOOST_TEST(fetch(s.port(), target, bearer("sk_bad")).status == 401);
  BOOST_TEST(fetch(s.port(), target, {{"Authorization", "Basic sk_good"}}).status == 401);
  BOOST_TEST(fetch(s.port(), target, bearer("sk_good")).status == 200);
  BOOST_TEST(fetch(s.port(), target, {{"Authorization", "bearer   sk_good "}}).status == 200);

  auto forbidden = fetch(s.port(), target, bearer("sk_other_workspace"));
  BOOST_TEST(forbidden.status == 403);
  BOOST_TEST(json::parse(forbidden.body).at("error").at("type").as_string() == "forbidden");
  // "every campaign": even one that does not exist.
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_nope", bearer("sk_other_workspace")).status == 403);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_nope", bearer("sk_good")).status == 404);
}

BOOST_AUTO_TEST_CASE(no_keys_configured_accepts_anything) {
  Server s(Options{});
  s.add_record(example);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_xyz789").status == 200);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_xyz789", bearer("whatever")).status == 200);
}

BOOST_AUTO_TEST_CASE(request_ids_count_up_and_log_records_requests) {
  Server s(Options{});
  s.add_record(example);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  for (int k = 1; k <= 3; ++k) {
    auto r = c.get("/v1/campaigns/cmp_xyz789", {{"Authorization", "Bearer sk_x"}, {"User-Agent", "campaign/0.1.0"}});
    BOOST_TEST(r.header("X-Request-Id").value_or("") == "req_" + std::to_string(k));
  }
  auto log = s.requests();
  BOOST_REQUIRE(log.size() == 3u);
  BOOST_TEST(log[0].method == "GET");
  BOOST_TEST(log[0].target == "/v1/campaigns/cmp_xyz789");
  BOOST_TEST(log[0].connection == 1u);
  BOOST_TEST(log[2].request == 3u);
  BOOST_TEST(log[1].header("authorization").value_or("") == "Bearer sk_x");
  BOOST_TEST(log[1].header("USER-AGENT").value_or("") == "campaign/0.1.0");
  BOOST_TEST(!log[1].header("X-Missing"));
  s.clear_log();
  BOOST_TEST(s.requests().empty());
  c.get("/v1/campaigns/cmp_xyz789");
  BOOST_TEST(s.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(log_keeps_only_the_newest) {
  Options o;
  o.log_limit = 2;
  Server s(o);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  for (int k = 0; k < 5; ++k) c.get("/v1/campaigns/x" + std::to_string(k));
  auto log = s.requests();
  BOOST_REQUIRE(log.size() == 2u);
  BOOST_TEST(log[0].target == "/v1/campaigns/x3");
  BOOST_TEST(log[1].target == "/v1/campaigns/x4");
}

BOOST_AUTO_TEST_CASE(generated_records_are_varied_and_valid) {
  Server s(Options{});
  const std::size_t n = 120;
  s.generate(n);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  std::set<std::string> statuses;
  int null_scheduled = 0, offset_scheduled = 0, null_retry = 0, absent_agent = 0, extras = 0, id_not_first = 0,
      escaped_names = 0, raw_utf8_names = 0, no_counters = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "cmp_%06zu", i);
    auto r = c.get(std::string("/v1/campaigns/") + id);
    BOOST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body == campaign::mock::generated_record(i)); // deterministic
    json::object o = json::parse(r.body).as_object();           // valid JSON and UTF-8
    BOOST_TEST(o.at("id").as_string() == id);
    statuses.insert(std::string(o.at("status").as_string()));
    BOOST_TEST(std::string_view(o.at("created_at").as_string()).ends_with(".000Z"));
    if (o.at("scheduled_at").is_null()) ++null_scheduled;
    else if (!std::string_view(o.at("scheduled_at").as_string()).ends_with("Z")) ++offset_scheduled;
    if (o.at("retry_config").is_null()) ++null_retry;
    if (!o.contains("agent_id")) ++absent_agent;
    if (o.contains("metadata") || o.contains("x_beta_flags") || o.contains("dialing_window")) ++extras;
    if (!r.body.starts_with(R"({"id")")) ++id_not_first;
    if (r.body.find("\\u") != std::string::npos || r.body.find("\\\"") != std::string::npos) ++escaped_names;
    if (std::any_of(r.body.begin(), r.body.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; }))
      ++raw_utf8_names;
    if (o.contains("total_leads")) {
      BOOST_TEST(o.at("total_leads").as_int64() ==
                 o.at("completed_calls").as_int64() + o.at("pending_calls").as_int64());
      if (o.at("status").as_string() == "completed") BOOST_TEST(o.at("pending_calls").as_int64() == 0);
    } else {
      ++no_counters;
    }
  }
  BOOST_TEST(statuses.size() == 6u);
  BOOST_TEST(null_scheduled > 0);
  BOOST_TEST(offset_scheduled > 0);
  BOOST_TEST(null_retry > 0);
  BOOST_TEST(absent_agent > 0);
  BOOST_TEST(extras > 0);
  BOOST_TEST(id_not_first > 0);
  BOOST_TEST(escaped_names > 0);
  BOOST_TEST(raw_utf8_names > 0);
  BOOST_TEST(no_counters > 0);
}

BOOST_AUTO_TEST_SUITE_END()
