// GET {prefix}/call-logs/campaign/{id}: generated logs, paging, limits, 404, dialect.
#include <set>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Dialect;
using campaign::mock::Envelope;
using campaign::mock::Options;
using campaign::mock::Server;
using campaign::mock::generated_call_log;
using campaign::mock::generated_call_log_count;
using namespace campaign::mock::testing;

BOOST_AUTO_TEST_SUITE(call_logs)

BOOST_AUTO_TEST_CASE(counts_follow_the_documented_rule) {
  BOOST_TEST(generated_call_log_count(0) == 0u);
  BOOST_TEST(generated_call_log_count(6) == 6u);
  BOOST_TEST(generated_call_log_count(7) == 0u);
  BOOST_TEST(generated_call_log_count(49) == 250u);
  BOOST_TEST(generated_call_log_count(99) == 250u);
}

BOOST_AUTO_TEST_CASE(pages_of_one_campaign_newest_first) {
  Server s(Options{});
  s.generate(50);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  std::vector<std::string> seen;
  for (int page = 1; page <= 2; ++page) {
    auto r = c.get("/v1/call-logs/campaign/cmp_000049?limit=200&page=" + std::to_string(page));
    BOOST_REQUIRE(r.status == 200);
    json::object o = json::parse(r.body).as_object();
    BOOST_TEST(o.at("meta").at("total").as_int64() == 250);
    BOOST_TEST(o.at("meta").at("totalPages").as_int64() == 2);
    for (const auto& log : o.at("data").as_array()) seen.emplace_back(log.at("id").as_string());
  }
  BOOST_REQUIRE(seen.size() == 250u);
  BOOST_TEST(std::set<std::string>(seen.begin(), seen.end()).size() == 250u);
  BOOST_TEST(seen.front() == "log_000049_000");
  // The items are the generated logs, deterministic.
  auto one = c.get("/v1/call-logs/campaign/cmp_000049?page=3&limit=2");
  BOOST_TEST(one.body.find(generated_call_log(49, 4)) != std::string::npos);
  BOOST_TEST(json::parse(c.get("/v1/call-logs/campaign/cmp_000049").body).at("data").as_array().size() == 20u);
}

BOOST_AUTO_TEST_CASE(busy_call_logs_sets_the_busy_campaigns_count) {
  BOOST_TEST(generated_call_log_count(49, 100000) == 100000u);
  BOOST_TEST(generated_call_log_count(48, 100000) == 48u % 7);
  Options o;
  o.busy_call_logs = 100000;
  Server s(o);
  s.generate(50);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto last = c.get("/v1/call-logs/campaign/cmp_000049?limit=200&page=500");
  BOOST_REQUIRE(last.status == 200);
  json::object page = json::parse(last.body).as_object();
  BOOST_TEST(page.at("meta").at("total").as_int64() == 100000);
  BOOST_TEST(page.at("meta").at("totalPages").as_int64() == 500);
  const auto& items = page.at("data").as_array();
  BOOST_REQUIRE(items.size() == 200u);
  BOOST_TEST(items.back().at("id").as_string() == "log_000049_99999");
  BOOST_TEST(last.body.find(generated_call_log(49, 99999, Dialect::reference, 100000)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(logs_have_the_api_fields_with_variety) {
  std::set<std::string> statuses, end_reasons;
  int analyses = 0, null_durations = 0, absent_campaign = 0, offsets = 0;
  for (std::size_t i = 0; i < 100; ++i) {
    const std::string campaign = [&] {
      char id[16];
      std::snprintf(id, sizeof id, "cmp_%06zu", i);
      return std::string(id);
    }();
    std::string previous_created;
    for (std::size_t k = 0; k < generated_call_log_count(i); ++k) {
      json::object o = json::parse(generated_call_log(i, k)).as_object();
      BOOST_TEST(std::string_view(o.at("id").as_string()).starts_with("log_"));
      BOOST_TEST(std::string_view(o.at("call_id").as_string()).starts_with("call_"));
      BOOST_TEST(std::string_view(o.at("agent_id").as_string()).starts_with("agt_"));
      if (o.contains("campaign_id"))
        BOOST_TEST(o.at("campaign_id").as_string() == campaign);
      else
        ++absent_campaign;
      statuses.insert(std::string(o.at("status").as_string()));
      if (o.contains("end_reason") && o.at("end_reason").is_string())
        end_reasons.insert(std::string(o.at("end_reason").as_string()));
      BOOST_TEST(o.contains("sentiment"));
      BOOST_TEST(o.contains("recording_url"));
      if (o.at("duration_seconds").is_null()) ++null_durations;
      else BOOST_TEST(o.at("duration_seconds").is_int64());
      if (o.at("analysis").is_object() && !o.at("analysis").as_object().empty()) ++analyses;
      std::string created(o.at("created_at").as_string());
      if (created.ends_with("+05:30")) ++offsets;
      BOOST_TEST(!o.contains("duration_sec"));
    }
  }
  BOOST_TEST(statuses.size() >= 10u);
  BOOST_TEST(end_reasons.count("user_did_not_pick_up") == 1u);
  BOOST_TEST(end_reasons.count("user_busy") == 1u);
  BOOST_TEST(end_reasons.count("invalid_phone_number") == 1u);
  BOOST_TEST(analyses > 0);
  BOOST_TEST(null_durations > 0);
  BOOST_TEST(absent_campaign > 0);
  BOOST_TEST(offsets > 0);
  // The live dialect's name for the duration.
  json::object live = json::parse(generated_call_log(49, 0, Dialect::live)).as_object();
  BOOST_TEST(live.contains("duration_sec"));
  BOOST_TEST(!live.contains("duration_seconds"));
}

BOOST_AUTO_TEST_CASE(limit_at_most_200_and_unknown_campaign_404) {
  Options o;
  o.envelope = Envelope::items;
  Server s(o);
  s.generate(10);
  s.add_record(R"({"id":"cmp_fixture"})");
  BOOST_TEST(fetch(s.port(), "/v1/call-logs/campaign/cmp_000006?limit=200").status == 200);
  auto over = fetch(s.port(), "/v1/call-logs/campaign/cmp_000006?limit=201");
  BOOST_TEST(over.status == 400);
  BOOST_TEST(over.body == R"({"error":{"type":"bad_request","message":"limit must not be greater than 200"}})");
  auto missing = fetch(s.port(), "/v1/call-logs/campaign/cmp_nope");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body == R"({"error":{"type":"not_found","message":"campaign cmp_nope not found"}})");
  // Fixture records have no call logs; the envelope is the server's.
  auto none = json::parse(fetch(s.port(), "/v1/call-logs/campaign/cmp_fixture").body).as_object();
  BOOST_TEST(none.at("items").as_array().empty());
  BOOST_TEST(none.at("total").as_int64() == 0);
  auto six = json::parse(fetch(s.port(), "/v1/call-logs/campaign/cmp_000006?limit=4&page=2").body).as_object();
  BOOST_TEST(six.at("items").as_array().size() == 2u);
  BOOST_TEST(six.at("total").as_int64() == 6);
  BOOST_TEST(fetch(s.port(), "/v1/call-logs/campaign/").status == 404);
  BOOST_TEST(fetch(s.port(), "/v1/call-logs/campaign/cmp_000006/x").status == 404);
}

BOOST_AUTO_TEST_CASE(live_dialect_auth_and_404) {
  Options o;
  o.dialect = Dialect::live;
  o.api_keys = {"sk_good"};
  Server s(o);
  s.generate(50);
  const Headers good = {{"Authorization", "Bearer sk_good"}};
  BOOST_TEST(fetch(s.port(), "/v1/call-logs/campaign/cmp_000049").status == 401);
  auto missing = fetch(s.port(), "/v1/call-logs/campaign/cmp_nope", good);
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body == R"({"statusCode":404,"message":"Campaign not found","error":"Not Found"})");
  BOOST_TEST(fetch(s.port(), "/v1/call-logs/campaign/bad.id", good).status == 400);
  auto r = json::parse(fetch(s.port(), "/v1/call-logs/campaign/cmp_000049?limit=1", good).body);
  BOOST_TEST(r.at("data").at(0).as_object().contains("duration_sec"));
}

BOOST_AUTO_TEST_SUITE_END()
