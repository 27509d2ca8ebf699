// Options::dialect live: the live API's names and error envelope; the Date header.
#include <regex>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Dialect;
using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;

namespace {

Options live() {
  Options o;
  o.dialect = Dialect::live;
  return o;
}

// {"statusCode":S,"message":...,"error":REASON} and nothing else.
json::object envelope(const Response& r, int status, std::string_view reason) {
  json::object o = json::parse(r.body).as_object();
  BOOST_TEST(o.size() == 3u);
  BOOST_TEST(o.at("statusCode").as_int64() == status);
  BOOST_TEST(o.at("error").as_string() == reason);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dialect)

BOOST_AUTO_TEST_CASE(live_records_say_organization_id) {
  Server s(live());
  s.generate(20);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  for (std::size_t i = 0; i < 20; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "cmp_%06zu", i);
    auto r = c.get(std::string("/v1/campaigns/") + id);
    BOOST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body == campaign::mock::generated_record(i, Dialect::live));
    json::object o = json::parse(r.body).as_object();
    BOOST_TEST(o.contains("organization_id"));
    BOOST_TEST(!o.contains("org_id"));
  }
  // The reference dialect keeps the old name.
  BOOST_TEST(campaign::mock::generated_record(3).find("\"org_id\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(live_renames_only_the_top_level_key_of_fixtures) {
  Server s(live());
  s.add_record(R"({"id":"cmp_a", "org_id" : "org_x","meta":{"org_id":"inner"},"n":5.0})");
  s.add_record(R"({"id":"cmp_b","organization_id":"org_y","org_id":"org_y"})");
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_a").body ==
             R"({"id":"cmp_a", "organization_id" : "org_x","meta":{"org_id":"inner"},"n":5.0})");
  // Both names already there: served as given.
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_b").body ==
             R"({"id":"cmp_b","organization_id":"org_y","org_id":"org_y"})");
}

BOOST_AUTO_TEST_CASE(live_error_envelopes) {
  Options o = live();
  o.api_keys = {"sk_good"};
  o.forbidden_keys = {"sk_other"};
  Server s(o);
  s.generate(1);
  const Headers good = {{"Authorization", "Bearer sk_good"}};

  auto missing = fetch(s.port(), "/v1/campaigns/cmp_nope", good);
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body == R"({"statusCode":404,"message":"Campaign not found","error":"Not Found"})");

  auto bad_id = fetch(s.port(), "/v1/campaigns/bad%20id", good);
  BOOST_TEST(bad_id.status == 400);
  auto m = envelope(bad_id, 400, "Bad Request").at("message").as_array();
  BOOST_REQUIRE(m.size() == 1u);
  BOOST_TEST(std::string_view(m[0].as_string()).starts_with("id must match"));

  auto unauthorized = fetch(s.port(), "/v1/campaigns/cmp_000000");
  BOOST_TEST(unauthorized.status == 401);
  BOOST_TEST(envelope(unauthorized, 401, "Unauthorized").at("message").as_string() == "Invalid API key");
  auto forbidden = fetch(s.port(), "/v1/campaigns/cmp_000000", {{"Authorization", "Bearer sk_other"}});
  BOOST_TEST(forbidden.status == 403);
  envelope(forbidden, 403, "Forbidden");

  auto route = fetch(s.port(), "/v1/other", good);
  BOOST_TEST(route.status == 404);
  BOOST_TEST(envelope(route, 404, "Not Found").at("message").as_string() == "Cannot GET /v1/other");

  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto post = c.send(Request{"POST", "/v1/campaigns/cmp_000000", good, 11});
  BOOST_TEST(post.status == 405);
  envelope(post, 405, "Method Not Allowed");

  Fault f;
  f.status = 503;
  s.script("cmp_000000", {f});
  auto injected = fetch(s.port(), "/v1/campaigns/cmp_000000", good);
  BOOST_TEST(injected.status == 503);
  BOOST_TEST(envelope(injected, 503, "Service Unavailable").at("message").as_string() ==
             "injected fault: 503 Service Unavailable");

  BOOST_REQUIRE(!c.write_raw("GET /v1/campaigns/x HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  auto malformed = c.read();
  BOOST_TEST(malformed.status == 400);
  envelope(malformed, 400, "Bad Request");
}

BOOST_AUTO_TEST_CASE(reference_dialect_is_unchanged) {
  Server s(Options{});
  s.generate(1);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/bad%20id").status == 404);  // no id validation
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_nope").body ==
             R"({"error":{"type":"not_found","message":"campaign cmp_nope not found"}})");
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000").body == campaign::mock::generated_record(0));
}

BOOST_AUTO_TEST_CASE(every_response_has_a_date_from_the_server_clock) {
  Options o;
  // 2026-12-03T16:51:50Z, a Thursday.
  o.now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1796316710)); };
  Server s(o);
  s.generate(1);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000").header("Date").value_or("") ==
             "Thu, 03 Dec 2026 16:51:50 GMT");
  BOOST_TEST(fetch(s.port(), "/v1/nowhere").header("Date").value_or("") == "Thu, 03 Dec 2026 16:51:50 GMT");

  Server real(Options{});
  auto date = fetch(real.port(), "/v1/campaigns/x").header("Date").value_or("");
  BOOST_TEST(std::regex_match(date, std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)")),
             date);
}

BOOST_AUTO_TEST_SUITE_END()
