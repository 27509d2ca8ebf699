// Fixture splitting and --fault parsing (no sockets needed).
#include <boost/test/unit_test.hpp>

#include "campaign_mock/fault_spec.hpp"
#include "campaign_mock/fixtures.hpp"
#include "campaign_mock/server.hpp"

using namespace campaign::mock;

BOOST_AUTO_TEST_SUITE(fixtures)

BOOST_AUTO_TEST_CASE(array_keeps_each_record_verbatim) {
  auto r = split_fixtures(" [ {\"id\":\"a\",\"s\":\"]},[\\\"\"} ,\n{\"id\":\"b\",\"n\":[1,{\"x\":2}]}]\n");
  BOOST_REQUIRE(r.size() == 2u);
  BOOST_TEST(r[0] == R"({"id":"a","s":"]},[\""})");
  BOOST_TEST(r[1] == R"({"id":"b","n":[1,{"x":2}]})");
  BOOST_TEST(split_fixtures("[]").empty());
  BOOST_TEST(split_fixtures("\xEF\xBB\xBF[ ]").empty());
}

BOOST_AUTO_TEST_CASE(ndjson_and_pretty_printed_sequences) {
  auto r = split_fixtures("{\"id\":\"a\"}\r\n\r\n{\n  \"id\": \"b\"\n}\n{\"id\":\"c\"}");
  BOOST_REQUIRE(r.size() == 3u);
  BOOST_TEST(r[1] == "{\n  \"id\": \"b\"\n}");
  BOOST_TEST(r[2] == R"({"id":"c"})");
  BOOST_TEST(split_fixtures("  \n").empty());
}

BOOST_AUTO_TEST_CASE(broken_files_are_refused) {
  BOOST_CHECK_THROW(split_fixtures("[{\"id\":\"a\"}"), std::invalid_argument);
  BOOST_CHECK_THROW(split_fixtures("[{\"id\":\"a\"} {\"id\":\"b\"}]"), std::invalid_argument);
  BOOST_CHECK_THROW(split_fixtures("{\"id\":\"a"), std::invalid_argument);
  BOOST_CHECK_THROW(split_fixtures("]"), std::invalid_argument);
  BOOST_CHECK_THROW(split_fixtures("[1,]"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(load_fixtures_names_the_bad_record) {
  Server s(Options{});
  BOOST_TEST(load_fixtures(s, R"([{"id":"a"},{"id":"b"}])") == 2u);
  try {
    load_fixtures(s, "{\"id\":\"a\"}\n{\"name\":\"no id\"}\n");
    BOOST_FAIL("expected a throw");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("record 2") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(fault_specs) {
  FaultDefaults d;
  d.retry_after = "3";
  auto [f, rate] = parse_fault_spec("429:0.25", d);
  BOOST_TEST(static_cast<int>(f.kind) == static_cast<int>(Fault::Kind::status));
  BOOST_TEST(f.status == 429);
  BOOST_TEST(rate == 0.25);
  BOOST_TEST(f.retry_after.value_or("") == "3");
  BOOST_TEST(!parse_fault_spec("500", d).first.retry_after); // Retry-After only for 429/503
  BOOST_TEST(parse_fault_spec("503", d).second == 1.0);
  BOOST_TEST(static_cast<int>(parse_fault_spec("reset").first.kind) ==
             static_cast<int>(Fault::Kind::reset_before_headers));
  BOOST_TEST(static_cast<int>(parse_fault_spec("truncate:0").first.kind) ==
             static_cast<int>(Fault::Kind::truncate_body));
  BOOST_TEST(parse_fault_spec("slow").first.delay.count() == 50);
  BOOST_TEST(parse_fault_spec("oversized").first.size == (16u << 20));
  for (const char* bad : {"", "boom", "503:2", "503:-0.1", "503:x", "99", "600", "reset:"})
    BOOST_CHECK_THROW(parse_fault_spec(bad), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
