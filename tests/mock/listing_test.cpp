// GET {prefix}/campaigns: paging, order, status filter, envelopes, validation, auth.
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
using namespace campaign::mock::testing;

namespace {

std::string id_of(std::size_t i) {
  char id[16];
  std::snprintf(id, sizeof id, "cmp_%06zu", i);
  return id;
}

std::vector<std::string> ids(const json::array& items) {
  std::vector<std::string> out;
  for (const auto& v : items) out.emplace_back(v.at("id").as_string());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(pages_newest_first_in_the_data_envelope) {
  Server s(Options{});
  s.generate(57);  // created_at grows with the index: newest is cmp_000056
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  std::vector<std::string> all;
  for (int page = 1; page <= 3; ++page) {
    auto r = c.get("/v1/campaigns?page=" + std::to_string(page));
    BOOST_REQUIRE(r.status == 200);
    json::object o = json::parse(r.body).as_object();
    const auto& meta = o.at("meta").as_object();
    BOOST_TEST(meta.at("page").as_int64() == page);
    BOOST_TEST(meta.at("limit").as_int64() == 20);  // the default
    BOOST_TEST(meta.at("total").as_int64() == 57);
    BOOST_TEST(meta.at("totalPages").as_int64() == 3);
    auto page_ids = ids(o.at("data").as_array());
    BOOST_TEST(page_ids.size() == (page < 3 ? 20u : 17u));
    all.insert(all.end(), page_ids.begin(), page_ids.end());
  }
  BOOST_REQUIRE(all.size() == 57u);
  for (std::size_t k = 0; k < 57; ++k) BOOST_TEST(all[k] == id_of(56 - k));
  // Items are the records as GET serves them.
  auto first = json::parse(c.get("/v1/campaigns?limit=1").body).at("data").as_array();
  BOOST_TEST(json::serialize(first[0]) == json::serialize(json::parse(campaign::mock::generated_record(56))));
  // Past the end: an empty page.
  auto past = json::parse(c.get("/v1/campaigns?page=4").body).as_object();
  BOOST_TEST(past.at("data").as_array().empty());
  BOOST_TEST(past.at("meta").at("totalPages").as_int64() == 3);
}

BOOST_AUTO_TEST_CASE(order_is_by_instant_then_id_and_undated_last) {
  Server s(Options{});
  s.add_record(R"({"id":"cmp_b","created_at":"2024-03-01T09:00:00.000Z"})");
  s.add_record(R"({"id":"cmp_a","created_at":"2024-03-01T14:30:00+05:30"})");  // the same instant
  s.add_record(R"({"id":"cmp_new","created_at":"2024-03-01T09:00:00.001Z"})");
  s.add_record(R"({"id":"cmp_undated"})");
  s.add_record(R"({"id":"cmp_old","created_at":"2023-12-31T23:59:59-01:00"})");
  auto r = fetch(s.port(), "/v1/campaigns?limit=100");
  BOOST_TEST(ids(json::parse(r.body).at("data").as_array()) ==
                 (std::vector<std::string>{"cmp_new", "cmp_a", "cmp_b", "cmp_old", "cmp_undated"}),
             boost::test_tools::per_element());
  // Records are served byte for byte inside the page.
  BOOST_TEST(r.body.find(R"({"id":"cmp_undated"})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_filter_is_an_exact_match_and_other_params_are_ignored) {
  Server s(Options{});
  s.generate(60);  // statuses cycle by index: 10 of each
  auto r = fetch(s.port(), "/v1/campaigns?status=paused&limit=4&sort=name&q=x");
  json::object o = json::parse(r.body).as_object();
  BOOST_TEST(o.at("meta").at("total").as_int64() == 10);
  BOOST_TEST(o.at("meta").at("totalPages").as_int64() == 3);
  auto page = o.at("data").as_array();
  BOOST_REQUIRE(page.size() == 4u);
  for (const auto& rec : page) BOOST_TEST(rec.at("status").as_string() == "paused");
  BOOST_TEST(ids(page)[0] == "cmp_000057");
  BOOST_TEST(json::parse(fetch(s.port(), "/v1/campaigns?status=Paused").body).at("meta").at("total").as_int64() ==
             0);
  BOOST_TEST(json::parse(fetch(s.port(), "/v1/campaigns?status=archived").body).at("data").as_array().empty());
}

BOOST_AUTO_TEST_CASE(items_and_array_envelopes) {
  Options o;
  o.envelope = Envelope::items;
  Server items(o);
  items.generate(57);
  auto r = json::parse(fetch(items.port(), "/v1/campaigns?page=3&limit=20").body).as_object();
  BOOST_TEST(r.size() == 4u);
  BOOST_TEST(r.at("items").as_array().size() == 17u);
  BOOST_TEST(r.at("total").as_int64() == 57);
  BOOST_TEST(r.at("page").as_int64() == 3);
  BOOST_TEST(r.at("limit").as_int64() == 20);

  o.envelope = Envelope::array;
  Server array(o);
  array.generate(57);
  auto a = json::parse(fetch(array.port(), "/v1/campaigns?page=2&limit=50").body);
  BOOST_REQUIRE(a.is_array());
  BOOST_TEST(ids(a.as_array()) == (std::vector<std::string>{id_of(6), id_of(5), id_of(4), id_of(3), id_of(2),
                                                             id_of(1), id_of(0)}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(limit_and_page_are_validated_in_the_dialects_shape) {
  Server ref(Options{});
  ref.generate(3);
  BOOST_TEST(fetch(ref.port(), "/v1/campaigns?limit=100").status == 200);
  auto over = fetch(ref.port(), "/v1/campaigns?limit=101");
  BOOST_TEST(over.status == 400);
  BOOST_TEST(over.body == R"({"error":{"type":"bad_request","message":"limit must not be greater than 100"}})");
  BOOST_TEST(fetch(ref.port(), "/v1/campaigns?page=0").status == 400);
  BOOST_TEST(fetch(ref.port(), "/v1/campaigns?page=x").status == 400);
  BOOST_TEST(fetch(ref.port(), "/v1/campaigns?limit=-1").status == 400);
  BOOST_TEST(fetch(ref.port(), "/v1/campaigns?page=&limit=").status == 200);  // empty: the defaults

  Options o;
  o.dialect = Dialect::live;
  Server live(o);
  auto both = fetch(live.port(), "/v1/campaigns?page=0&limit=500");
  BOOST_TEST(both.status == 400);
  BOOST_TEST(both.body == R"({"statusCode":400,"message":["page must not be less than 1",)"
                          R"("limit must not be greater than 100"],"error":"Bad Request"})");
}

BOOST_AUTO_TEST_CASE(same_auth_as_get) {
  Options o;
  o.api_keys = {"sk_good"};
  o.forbidden_keys = {"sk_other"};
  Server s(o);
  s.generate(3);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns").status == 401);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns", {{"Authorization", "Bearer sk_bad"}}).status == 401);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns", {{"Authorization", "Bearer sk_other"}}).status == 403);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns", {{"Authorization", "Bearer sk_good"}}).status == 200);
}

BOOST_AUTO_TEST_CASE(live_dialect_lists_live_records_and_log_keeps_list_requests) {
  Options o;
  o.dialect = Dialect::live;
  Server s(o);
  s.generate(2);
  auto r = fetch(s.port(), "/v1/campaigns?page=1&limit=2");
  json::value page = json::parse(r.body);
  BOOST_TEST(page.at("data").as_array().size() == 2u);
  for (const auto& rec : page.at("data").as_array()) {
    BOOST_TEST(!rec.as_object().contains("org_id"));
    BOOST_TEST(rec.as_object().contains("organization_id"));
  }
  auto log = s.requests();
  BOOST_REQUIRE(log.size() == 1u);
  BOOST_TEST(log[0].target == "/v1/campaigns?page=1&limit=2");
}

BOOST_AUTO_TEST_CASE(advancing_records_list_without_moving) {
  Options o;
  o.advance = 10;
  Server s(o);
  s.add_record(R"({"id":"cmp_a","status":"running","completed_calls":0,"pending_calls":100})");
  auto pending = [&] {
    return json::parse(fetch(s.port(), "/v1/campaigns").body).at("data").at(0).at("pending_calls").as_int64();
  };
  BOOST_TEST(pending() == 100);
  BOOST_TEST(pending() == 100);
  BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_a").body.find("\"pending_calls\":90") != std::string::npos);
  BOOST_TEST(pending() == 90);
}

BOOST_AUTO_TEST_SUITE_END()
