// Options::list_faults (--list-fault): rows inserted at the head while paging,
// a last page that repeats forever, a lying totalPages, a page that fails once.
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/fault_spec.hpp"
#include "campaign_mock/server.hpp"
#include "test_client.hpp"

namespace json = boost::json;
using campaign::mock::Dialect;
using campaign::mock::Envelope;
using campaign::mock::ListFaults;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;

namespace {

std::string id_of(std::size_t i) {
  char id[16];
  std::snprintf(id, sizeof id, "cmp_%06zu", i);
  return id;
}

struct Page {
  std::vector<std::string> ids;
  std::int64_t page = 0, total = 0, total_pages = 0;
};

Page page_of(const Response& r) {
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body);
  json::object o = json::parse(r.body).as_object();
  Page p;
  for (const auto& v : o.at("data").as_array()) p.ids.emplace_back(v.at("id").as_string());
  p.page = o.at("meta").at("page").as_int64();
  p.total = o.at("meta").at("total").as_int64();
  p.total_pages = o.at("meta").at("totalPages").as_int64();
  return p;
}

Options with(ListFaults f) {
  Options o;
  o.list_faults = f;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(list_faults)

BOOST_AUTO_TEST_CASE(insert_head_shifts_offset_paging) {
  Server s(with({.insert_head = 2}));
  s.generate(10);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto p1 = page_of(c.get("/v1/campaigns?page=1&limit=4"));
  BOOST_TEST(p1.ids == (std::vector<std::string>{id_of(9), id_of(8), id_of(7), id_of(6)}),
             boost::test_tools::per_element());
  BOOST_TEST(p1.total == 10);
  // Two new campaigns came in at the head: page 2 repeats 7 and 6.
  auto p2 = page_of(c.get("/v1/campaigns?page=2&limit=4"));
  BOOST_TEST(p2.ids == (std::vector<std::string>{id_of(7), id_of(6), id_of(5), id_of(4)}),
             boost::test_tools::per_element());
  BOOST_TEST(p2.total == 12);
  auto head = page_of(c.get("/v1/campaigns?page=1&limit=3"));
  BOOST_TEST(head.ids == (std::vector<std::string>{id_of(13), id_of(12), id_of(11)}),
             boost::test_tools::per_element());
  BOOST_TEST(head.total == 14);
  // They are real campaigns: GET finds them, and they have call logs.
  BOOST_TEST(c.get("/v1/campaigns/" + id_of(10)).status == 200);
  auto logs = json::parse(c.get("/v1/call-logs/campaign/" + id_of(11)).body);
  BOOST_TEST(logs.at("meta").at("total").as_int64() == 4);  // 11 % 7
  // Errors do not insert.
  BOOST_TEST(c.get("/v1/campaigns?limit=101").status == 400);
  BOOST_TEST(page_of(c.get("/v1/campaigns?limit=1")).total == 16);
}

BOOST_AUTO_TEST_CASE(repeat_last_serves_the_last_page_forever_and_claims_more) {
  Server s(with({.repeat_last = true}));
  s.generate(40);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto last = page_of(c.get("/v1/campaigns?page=2&limit=20"));
  BOOST_TEST(last.ids.size() == 20u);
  BOOST_TEST(last.total_pages == 3);  // claims one more
  for (int page : {3, 4, 1000}) {
    auto again = page_of(c.get("/v1/campaigns?page=" + std::to_string(page) + "&limit=20"));
    BOOST_TEST(again.ids == last.ids, boost::test_tools::per_element());
    BOOST_TEST(again.page == page);
    BOOST_TEST(again.total_pages == page + 1);
    BOOST_TEST(again.total == 40);
  }
  // Call-log lists too.
  auto logs = json::parse(c.get("/v1/call-logs/campaign/cmp_000006?limit=4&page=7").body);
  BOOST_TEST(logs.at("data").as_array().size() == 2u);  // page 2 of 6 logs
  BOOST_TEST(logs.at("data").at(0).at("id").as_string() == "log_000006_004");

  Server honest(Options{});
  honest.generate(40);
  BOOST_TEST(page_of(fetch(honest.port(), "/v1/campaigns?page=3&limit=20")).ids.empty());
}

BOOST_AUTO_TEST_CASE(lying_total_pages) {
  Server s(with({.lying_total_pages = 9}));
  s.generate(5);
  for (int page : {1, 2, 12}) {
    auto p = page_of(fetch(s.port(), "/v1/campaigns?limit=3&page=" + std::to_string(page)));
    BOOST_TEST(p.total_pages == 9);
    BOOST_TEST(p.total == 5);
  }
  auto logs = json::parse(fetch(s.port(), "/v1/call-logs/campaign/cmp_000003").body);
  BOOST_TEST(logs.at("meta").at("totalPages").as_int64() == 9);
}

BOOST_AUTO_TEST_CASE(fail_once_per_list_path) {
  Options o = with({.fail_once_page = 2});
  o.dialect = Dialect::live;
  o.envelope = Envelope::items;
  Server s(o);
  s.generate(50);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  BOOST_TEST(c.get("/v1/campaigns?page=1&limit=10").status == 200);
  auto failed = c.get("/v1/campaigns?page=2&limit=10");
  BOOST_TEST(failed.status == 503);
  BOOST_TEST(failed.body ==
             R"({"statusCode":503,"message":"list fault: page 2 fails once","error":"Service Unavailable"})");
  BOOST_TEST(c.get("/v1/campaigns?page=2&limit=10").status == 200);
  BOOST_TEST(c.get("/v1/campaigns?page=2&limit=5&status=paused").status == 200);  // same path: done
  // Each call-log list fails once on its own.
  BOOST_TEST(c.get("/v1/call-logs/campaign/cmp_000049?page=2").status == 503);
  BOOST_TEST(c.get("/v1/call-logs/campaign/cmp_000049?page=2").status == 200);
  BOOST_TEST(c.get("/v1/call-logs/campaign/cmp_000099?page=2").status == 404);  // unknown campaign first
  BOOST_TEST(c.get("/v1/call-logs/campaign/cmp_000006?page=2").status == 503);
  BOOST_TEST(c.get("/v1/call-logs/campaign/cmp_000006?page=1").status == 200);
  BOOST_TEST(s.requests().size() == 9u);  // every request logged, faulted ones too
}

BOOST_AUTO_TEST_CASE(option_syntax) {
  ListFaults f;
  campaign::mock::parse_list_fault("insert-head:3", f);
  campaign::mock::parse_list_fault("repeat-last", f);
  campaign::mock::parse_list_fault("lying-total-pages:0", f);
  campaign::mock::parse_list_fault("fail-once:4", f);
  BOOST_TEST(f.insert_head == 3u);
  BOOST_TEST(f.repeat_last);
  BOOST_TEST(f.lying_total_pages.value_or(99) == 0u);
  BOOST_TEST(f.fail_once_page.value_or(0) == 4u);
  for (const char* bad : {"insert-head", "insert-head:0", "insert-head:x", "repeat-last:2", "fail-once:0",
                          "fail-once", "lying-total-pages", "explode", "", "insert-head:-1"})
    BOOST_CHECK_THROW(campaign::mock::parse_list_fault(bad, f), std::invalid_argument);

  auto r = campaign::mock::parse_rate_limit("100/60");
  BOOST_TEST(r.limit == 100u);
  BOOST_TEST(r.window.count() == 60);
  for (const char* bad : {"100", "0/60", "10/0", "/60", "10/", "a/b", "10/60s"})
    BOOST_CHECK_THROW(campaign::mock::parse_rate_limit(bad), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
