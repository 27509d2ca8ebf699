// campaign list and campaign calls as a user runs them: a process against
// campaign-mock, in each envelope and under the list faults
// (docs/interfaces.md, revision 2).
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <set>

using namespace cli_test;
namespace json = boost::json;

namespace {

std::string field(const std::string& line, const char* name) {
  auto v = json::parse(line).as_object();
  const auto* f = v.if_contains(name);
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

// The IDs of NDJSON lines; fails the test on a repeated one.
std::vector<std::string> ids_of(const std::string& out) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& line : lines_of(out)) {
    ids.push_back(field(line, "id"));
    BOOST_TEST(seen.insert(ids.back()).second, "repeated " << ids.back());
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(list_prints_every_campaign_once_in_each_envelope) {
  for (const char* envelope : {"data", "items", "array"}) {
    MockProcess mock({"--generate", "250", "--envelope", envelope});
    Outcome o = run_cli({"list", "--format", "ndjson"}, cli_env(mock.base_url()));
    BOOST_TEST(o.exit_code == 0, envelope << ": " << o.err);
    BOOST_TEST(ids_of(o.out).size() == 250u, envelope);
    BOOST_TEST(o.err.empty(), envelope << ": " << o.err);
  }
}

BOOST_AUTO_TEST_CASE(status_filter_and_ids_feed_batch) {
  MockProcess mock({"--generate", "300"});
  Outcome all = run_cli({"list", "--status", "running", "--format", "ndjson", "--limit", "7"},
                        cli_env(mock.base_url()));
  BOOST_TEST(all.exit_code == 0, all.err);
  auto lines = lines_of(all.out);
  BOOST_REQUIRE(!lines.empty());
  for (const auto& line : lines) BOOST_TEST(field(line, "status") == "running", line);

  Outcome ids = run_cli({"list", "--status", "running", "--ids"}, cli_env(mock.base_url()));
  BOOST_TEST(ids.exit_code == 0, ids.err);
  auto id_lines = lines_of(ids.out);
  BOOST_TEST(id_lines.size() == lines.size());
  Outcome batch = run_cli({"batch"}, cli_env(mock.base_url()), ids.out);
  BOOST_TEST(batch.exit_code == 0, batch.err);
  auto results = lines_of(batch.out);
  BOOST_REQUIRE(results.size() == id_lines.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto v = json::parse(results[i]).as_object();
    BOOST_TEST(v.at("ok").as_bool(), results[i]);
    BOOST_TEST(v.at("id").as_string() == id_lines[i]);
  }
}

BOOST_AUTO_TEST_CASE(max_caps_what_is_printed) {
  MockProcess mock({"--generate", "250"});
  Outcome o = run_cli({"list", "--max", "7", "--format", "json"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  BOOST_TEST(ids_of(o.out).size() == 7u);
}

BOOST_AUTO_TEST_CASE(table_prints_one_row_per_campaign) {
  MockProcess mock({"--generate", "12"});
  Outcome o = run_cli({"list", "--format", "table"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  auto rows = lines_of(o.out);
  BOOST_REQUIRE(rows.size() == 12u);
  for (const auto& row : rows) {
    BOOST_TEST(row.find("cmp_") != std::string::npos, row);
    BOOST_TEST(row.find("pending") != std::string::npos, row);
  }
}

BOOST_AUTO_TEST_CASE(rows_inserted_while_paging_are_reported_not_repeated) {
  MockProcess mock({"--generate", "95", "--list-fault", "insert-head:3"});
  Outcome o = run_cli({"list", "--limit", "10", "--format", "ndjson"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  // Offset paging over a list growing at its head shifts rows into later
  // pages: they come again (dropped, counted) and the hard cap of api.md
  // may end the listing before the oldest rows. Both are said on stderr.
  auto ids = ids_of(o.out);  // no ID twice
  BOOST_TEST(ids.size() >= 50u);
  BOOST_TEST(o.err.find("listing: dropped ") != std::string::npos, o.err);
  BOOST_TEST(o.err.find("repeated IDs") != std::string::npos, o.err);
  BOOST_TEST(o.err.find("the total changed from 95 to ") != std::string::npos, o.err);
}

BOOST_AUTO_TEST_CASE(a_server_repeating_its_last_page_ends_the_listing) {
  MockProcess mock({"--generate", "30", "--list-fault", "repeat-last"});
  Outcome o = run_cli({"list", "--limit", "10", "--format", "ndjson"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  BOOST_TEST(ids_of(o.out).size() == 30u);
}

BOOST_AUTO_TEST_CASE(a_failure_part_way_comes_after_the_items_before_it) {
  MockProcess mock({"--generate", "30", "--list-fault", "fail-once:2"});
  Outcome o = run_cli({"list", "--limit", "10", "--retries", "0", "--format", "ndjson"},
                      cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 5, o.err);  // the 503's code
  BOOST_TEST(ids_of(o.out).size() == 10u);  // page 1, printed
  BOOST_TEST(o.err.find("error: ") != std::string::npos, o.err);
  // With a retry the same page is fetched again and the listing completes.
  MockProcess again({"--generate", "30", "--list-fault", "fail-once:2"});
  Outcome retried = run_cli({"list", "--limit", "10", "--format", "ndjson"}, cli_env(again.base_url()));
  BOOST_TEST(retried.exit_code == 0, retried.err);
  BOOST_TEST(ids_of(retried.out).size() == 30u);
}

BOOST_AUTO_TEST_CASE(calls_prints_every_call_log_of_the_campaign) {
  MockProcess mock({"--generate", "60"});
  // cmp_000049 has 250 call logs: two pages at the largest limit.
  Outcome o = run_cli({"calls", "cmp_000049", "--format", "ndjson"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  auto lines = lines_of(o.out);
  BOOST_TEST(ids_of(o.out).size() == 250u);
  for (const auto& line : lines) BOOST_TEST(field(line, "id").rfind("log_000049_", 0) == 0u, line);
  Outcome table = run_cli({"calls", "cmp_000049", "--format", "table", "--max", "5"}, cli_env(mock.base_url()));
  BOOST_TEST(table.exit_code == 0, table.err);
  BOOST_TEST(lines_of(table.out).size() == 5u);
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  MockProcess mock({"--generate", "5"});
  BOOST_TEST(run_cli({"list", "--limit", "101"}, cli_env(mock.base_url())).exit_code == 2);
  BOOST_TEST(run_cli({"list", "--limit", "0"}, cli_env(mock.base_url())).exit_code == 2);
  BOOST_TEST(run_cli({"calls", "cmp_000001", "--limit", "201"}, cli_env(mock.base_url())).exit_code == 2);
  BOOST_TEST(run_cli({"calls", "bad id!"}, cli_env(mock.base_url())).exit_code == 2);
  BOOST_TEST(run_cli({"calls", "cmp_999999"}, cli_env(mock.base_url())).exit_code == 3);
}

BOOST_AUTO_TEST_SUITE_END()
