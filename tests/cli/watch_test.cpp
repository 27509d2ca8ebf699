// campaign watch: polls until the campaign ends; Ctrl-C leaves a clean terminal.
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>

using namespace cli_test;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(watch)

BOOST_AUTO_TEST_CASE(ends_with_0_when_the_campaign_completes) {
  // cmp_watch: 5 pending, and each GET moves 2 to completed: 3, 1, 0.
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson"), "--advance", "2"});
  Outcome o = run_cli({"watch", "cmp_watch", "--interval", "0.05"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0);
  auto lines = lines_of(o.out);  // not a terminal: one canonical record per poll
  BOOST_REQUIRE(lines.size() == 3u);
  std::vector<std::int64_t> pending;
  for (const auto& line : lines) pending.push_back(json::parse(line).at("pending_calls").as_int64());
  BOOST_TEST(pending == (std::vector<std::int64_t>{3, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(json::parse(lines.back()).at("status").as_string() == "completed");
  BOOST_TEST(o.err == "");
}

BOOST_AUTO_TEST_CASE(compact_table_lines_without_a_terminal) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson"), "--advance", "2"});
  Outcome o = run_cli({"watch", "cmp_watch", "--interval", "0.01", "--format", "table"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0);
  auto lines = lines_of(o.out);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0] == "cmp_watch  running  2/5 leads (40.0%)  pending 3  ETA 6m");
  BOOST_TEST(lines[2] == "cmp_watch  completed  5/5 leads (100.0%)  pending 0  ETA finished");
}

BOOST_AUTO_TEST_CASE(cancelled_ends_at_once) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  Outcome o = run_cli({"watch", "cmp_cancelled"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(lines_of(o.out).size() == 1u);
}

BOOST_AUTO_TEST_CASE(errors_end_the_watch_with_their_code) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  Outcome missing = run_cli({"watch", "nope"}, cli_env(mock.base_url()));
  BOOST_TEST(missing.exit_code == 3);
  BOOST_TEST(lines_of(missing.err).size() == 1u);
  Outcome bad = run_cli({"watch", "a/b"}, cli_env(mock.base_url()));
  BOOST_TEST(bad.exit_code == 2);
  Outcome interval = run_cli({"watch", "cmp_watch", "--interval", "0"}, cli_env(mock.base_url()));
  BOOST_TEST(interval.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(sigint_exits_130) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});  // no --advance: never ends
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "watch", "cmp_stuck", "--interval", "30"};
  l.env = cli_env(mock.base_url());
  Child child(l);
  BOOST_REQUIRE(child.wait_for("\n"));  // first poll printed; now waiting 30 s
  child.send_signal(SIGINT);
  Outcome o = child.finish(std::chrono::seconds(10));  // the wait is interruptible
  BOOST_TEST(!o.timed_out);
  BOOST_TEST(o.exit_code == 130);
  BOOST_TEST(lines_of(o.out).size() == 1u);
}

BOOST_AUTO_TEST_CASE(sigint_on_a_terminal_restores_the_cursor) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "watch", "cmp_stuck", "--interval", "0.05"};
  l.env = cli_env(mock.base_url(), {"NO_COLOR=1"});
  l.stdout_pty = true;
  Child child(l);
  // Wait for a redraw (the second frame moves the cursor up), then Ctrl-C.
  BOOST_REQUIRE(child.wait_for("\x1b[J"));
  child.send_signal(SIGINT);
  Outcome o = child.finish(std::chrono::seconds(10));
  BOOST_TEST(o.exit_code == 130);
  BOOST_TEST(o.out.find("\x1b[?25l") != std::string::npos);  // cursor hidden while redrawing
  BOOST_TEST(o.out.size() >= 8u);
  BOOST_TEST(o.out.substr(o.out.size() - 8) == "\x1b[?25h\r\n");  // shown again, fresh line
  BOOST_TEST(o.out.find("Never ends") != std::string::npos);
  BOOST_TEST(o.out.find("Updated") != std::string::npos);
  BOOST_TEST(o.out.find("\x1b[3") == std::string::npos);  // NO_COLOR: no colour on a terminal
}

BOOST_AUTO_TEST_SUITE_END()
