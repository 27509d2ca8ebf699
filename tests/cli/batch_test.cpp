// campaign batch: one NDJSON line per input line, in order, whatever happens.
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdio>

using namespace cli_test;
namespace json = boost::json;

namespace {

struct Expected {
  std::string id;
  std::string kind;  // "" for ok
};

// ~2,000 lines: known IDs, unknown ones, invalid ones, blank and
// whitespace-only lines, CRLF ends, and no newline after the last line.
std::pair<std::string, std::vector<Expected>> mixed_input() {
  std::string text;
  std::vector<Expected> expected;
  char id[32];
  for (int i = 0; i < 2000; ++i) {
    if (i % 50 == 0) text += "\n";
    if (i % 60 == 1) text += "  \t \r\n";
    if (i % 97 == 5) {
      std::snprintf(id, sizeof id, "cmp_unknown_%d", i);
      expected.push_back({id, "not_found"});
    } else if (i % 101 == 7) {
      std::snprintf(id, sizeof id, "bad id/%d", i);
      expected.push_back({id, "invalid_argument"});
    } else {
      std::snprintf(id, sizeof id, "cmp_%06d", i % 1500);
      expected.push_back({id, ""});
    }
    text += expected.back().id;
    if (i != 1999) text += i % 3 == 0 ? "\r\n" : "\n";
  }
  return {text, expected};
}

void check_results(const Outcome& o, const std::vector<Expected>& expected) {
  auto lines = lines_of(o.out);
  BOOST_REQUIRE_EQUAL(lines.size(), expected.size());
  BOOST_TEST(o.out.back() == '\n');
  std::size_t failed = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json::object line = json::parse(lines[i]).as_object();
    BOOST_TEST_REQUIRE(line.at("id").as_string() == expected[i].id, "line " << i);
    if (expected[i].kind.empty()) {
      BOOST_TEST_REQUIRE(line.at("ok").as_bool(), "line " << i << ": " << lines[i]);
      BOOST_TEST(line.at("campaign").as_object().at("id").as_string() == expected[i].id);
      BOOST_TEST(line.size() == 3u);
    } else {
      ++failed;
      BOOST_TEST_REQUIRE(!line.at("ok").as_bool(), "line " << i);
      const json::object& err = line.at("error").as_object();
      BOOST_TEST(err.at("kind").as_string() == expected[i].kind);
      if (expected[i].kind == "not_found") BOOST_TEST(err.at("http_status").as_int64() == 404);
      else BOOST_TEST(err.at("http_status").is_null());
      BOOST_TEST(err.at("message").is_string());
    }
  }
  BOOST_TEST(failed > 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch)

BOOST_AUTO_TEST_CASE(ndjson_in_input_order_one_line_per_id) {
  MockProcess mock({"--generate", "1500"});
  auto [text, expected] = mixed_input();

  Outcome from_stdin = run_cli({"batch"}, cli_env(mock.base_url()), text);
  BOOST_TEST(from_stdin.exit_code == 9);
  check_results(from_stdin, expected);
  // stderr is not a terminal: no progress bar, just the summary line.
  BOOST_TEST(from_stdin.err.find('\r') == std::string::npos);
  BOOST_TEST(lines_of(from_stdin.err).size() == 1u);
  char count[64];
  std::snprintf(count, sizeof count, "batch: %zu,%03zu IDs, ", expected.size() / 1000, expected.size() % 1000);
  BOOST_TEST(from_stdin.err.find(count) != std::string::npos, from_stdin.err);
  BOOST_TEST(from_stdin.err.find("not_found") != std::string::npos);
  BOOST_TEST(from_stdin.err.find("invalid_argument") != std::string::npos);
  BOOST_TEST(from_stdin.err.find("requests/s") != std::string::npos);

  TempDir dir;
  std::string file = dir.write("ids.txt", text);
  Outcome from_file = run_cli({"batch", file, "--concurrency", "7"}, cli_env(mock.base_url()));
  BOOST_TEST(from_file.exit_code == 9);
  BOOST_TEST(from_file.out == from_stdin.out);

  Outcome dash = run_cli({"batch", "-", "--concurrency", "1"}, cli_env(mock.base_url()), text);
  BOOST_TEST(dash.out == from_stdin.out);
}

BOOST_AUTO_TEST_CASE(line_shapes) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  const auto golden = lines_of(read_text_file(data_path("golden.ndjson")));
  Outcome o = run_cli({"batch"}, cli_env(mock.base_url()), "cmp_golden\nnope\n\xff\n");
  BOOST_TEST(o.exit_code == 9);
  auto lines = lines_of(o.out);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0] == "{\"id\":\"cmp_golden\",\"ok\":true,\"campaign\":" + golden[0] + "}");
  BOOST_TEST(lines[1].find("{\"id\":\"nope\",\"ok\":false,\"error\":{\"kind\":\"not_found\",\"http_status\":404,"
                           "\"message\":") == 0u);
  // Bytes that are not UTF-8 still give a valid JSON line.
  json::object bad = json::parse(lines[2]).as_object();
  BOOST_TEST(bad.at("error").as_object().at("kind").as_string() == "invalid_argument");
}

BOOST_AUTO_TEST_CASE(all_ok_exits_0_and_blank_input_prints_nothing) {
  MockProcess mock({"--generate", "20"});
  Outcome ok = run_cli({"batch"}, cli_env(mock.base_url()), "cmp_000001\ncmp_000002\r\n\ncmp_000003");
  BOOST_TEST(ok.exit_code == 0);
  BOOST_TEST(lines_of(ok.out).size() == 3u);

  Outcome blank = run_cli({"batch"}, cli_env(mock.base_url()), "\n  \n\r\n\t\n");
  BOOST_TEST(blank.exit_code == 0);
  BOOST_TEST(blank.out == "");

  Outcome empty = run_cli({"batch"}, cli_env(mock.base_url()), "");
  BOOST_TEST(empty.exit_code == 0);
  BOOST_TEST(empty.out == "");
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_usage_error) {
  MockProcess mock({"--generate", "1"});
  Outcome o = run_cli({"batch", "/nonexistent/ids.txt"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 2);
  BOOST_TEST(lines_of(o.err).size() == 1u);
  // The argument is named, not quoted (a stray key would land here).
  BOOST_TEST(o.err.find("batch: cannot open FILE: No such file or directory") != std::string::npos, o.err);
  BOOST_TEST(o.err.find("/nonexistent") == std::string::npos, o.err);
}

BOOST_AUTO_TEST_CASE(closed_stdout_exits_quietly) {
  MockProcess mock({"--generate", "20000"});
  std::string ids;
  char id[32];
  for (int i = 0; i < 20000; ++i) {
    std::snprintf(id, sizeof id, "cmp_%06d\n", i);
    ids += id;
  }
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "batch"};
  l.env = cli_env(mock.base_url());
  l.stdin_data = ids;
  Child child(l);
  BOOST_REQUIRE(child.wait_for("\n"));  // like `| head -1`: read a line, then go away
  child.close_stdout();
  Outcome o = child.finish();
  BOOST_TEST(o.signal == 0);  // not killed by SIGPIPE (or anything else)
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.err.find("terminate") == std::string::npos);
  BOOST_TEST(o.err.find("error") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigint_mid_batch_exits_130_with_whole_lines) {
  // Requests in flight when Ctrl-C comes: they are cancelled, no half line.
  MockProcess mock({"--generate", "5000", "--latency-ms", "5"});
  std::string ids;
  char id[32];
  for (int i = 0; i < 5000; ++i) {
    std::snprintf(id, sizeof id, "cmp_%06d\n", i);
    ids += id;
  }
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "batch", "--concurrency", "16"};
  l.env = cli_env(mock.base_url());
  l.stdin_data = ids;
  Child child(l);
  BOOST_REQUIRE(child.wait_for("\n"));  // results are streaming
  child.send_signal(SIGINT);
  Outcome o = child.finish(std::chrono::seconds(20));
  BOOST_TEST(!o.timed_out);
  BOOST_TEST(o.exit_code == 130);
  BOOST_TEST(o.err.find("interrupted") != std::string::npos, o.err);
  BOOST_REQUIRE(!o.out.empty());
  BOOST_TEST(o.out.back() == '\n');
  auto lines = lines_of(o.out);
  BOOST_TEST(lines.size() < 5000u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::snprintf(id, sizeof id, "cmp_%06zu", i);
    BOOST_TEST_REQUIRE(json::parse(lines[i]).at("id").as_string() == id);
  }
}

BOOST_AUTO_TEST_CASE(progress_bar_only_on_a_terminal) {
  // 100 IDs, 4 at once, 20 ms each: about half a second, several redraws.
  MockProcess mock({"--generate", "100", "--latency-ms", "20"});
  std::string ids;
  char id[32];
  for (int i = 0; i < 100; ++i) {
    std::snprintf(id, sizeof id, "cmp_%06d\n", i);
    ids += id;
  }
  TempDir dir;
  std::string file = dir.write("ids.txt", ids);
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "batch", file, "--concurrency", "4"};
  l.env = cli_env(mock.base_url(), {"NO_COLOR=1"});
  l.stderr_pty = true;
  Outcome o = run(l);
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(lines_of(o.out).size() == 100u);
  BOOST_TEST(o.out.find('\x1b') == std::string::npos);  // stdout stays clean NDJSON
  BOOST_TEST(o.err.find("\r\x1b[2K") != std::string::npos);
  BOOST_TEST(o.err.find("/100") != std::string::npos);  // the total of a file is known
  BOOST_TEST(o.err.find("ETA") != std::string::npos);
  BOOST_TEST(o.err.find("batch: 100 IDs, 100 ok, 0 failed") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
