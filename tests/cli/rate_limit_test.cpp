// The rate limit from the command line: --no-rate-limit-gate against
// `campaign-mock --rate-limit`, and the limit's share in the batch summary
// and progress line (docs/api.md, "Rate limits").
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <regex>

using namespace cli_test;
namespace json = boost::json;

namespace {

// 12 IDs one at a time against 5 per 2 s: without the gate they take well
// under 2 s, so at most one window boundary falls among them and at least
// two meet a 429; with the gate, none does (two waits for the reset).
constexpr int ids_count = 12;
const std::vector<std::string> limited_mock = {"--generate", "20", "--rate-limit", "5/2"};

std::string twelve_ids() {
  std::string ids;
  char id[32];
  for (int i = 0; i < ids_count; ++i) {
    std::snprintf(id, sizeof id, "cmp_%06d\n", i);
    ids += id;
  }
  return ids;
}

// The summary's "rate limit: waited S s, N 429s": {S, N}, or {-1, -1}.
std::pair<double, long> rate_limit_share(const std::string& err) {
  static const std::regex re("; rate limit: waited ([0-9.]+) s, ([0-9,]+) 429s");
  std::smatch m;
  if (!std::regex_search(err, m, re)) return {-1, -1};
  std::string n = m[2].str();
  std::erase(n, ',');
  return {std::atof(m[1].str().c_str()), std::atol(n.c_str())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limit)

BOOST_AUTO_TEST_CASE(batch_waits_for_the_window_by_default) {
  MockProcess mock(limited_mock);
  Outcome o = run_cli({"batch", "--concurrency", "1", "--retries", "0"}, cli_env(mock.base_url()),
                      twelve_ids());
  BOOST_TEST(o.exit_code == 0, o.err);
  BOOST_TEST(lines_of(o.out).size() == static_cast<std::size_t>(ids_count));
  auto [waited, responses_429] = rate_limit_share(o.err);
  BOOST_TEST(responses_429 == 0, o.err);
  BOOST_TEST(waited > 0.0, o.err);
}

BOOST_AUTO_TEST_CASE(no_rate_limit_gate_sends_at_once_and_meets_the_429s) {
  MockProcess mock(limited_mock);
  // After the command, as a command's option.
  Outcome o = run_cli({"batch", "--concurrency", "1", "--retries", "0", "--no-rate-limit-gate"},
                      cli_env(mock.base_url()), twelve_ids());
  BOOST_TEST(o.exit_code == 9, o.err);  // some IDs failed
  auto lines = lines_of(o.out);
  BOOST_REQUIRE(lines.size() == static_cast<std::size_t>(ids_count));
  long limited = 0;
  for (const auto& line : lines) {
    auto v = json::parse(line).as_object();
    if (v.at("ok").as_bool()) continue;
    BOOST_TEST(v.at("error").as_object().at("kind").as_string() == "rate_limited", line);
    ++limited;
  }
  BOOST_TEST(limited >= 2);
  auto [waited, responses_429] = rate_limit_share(o.err);
  BOOST_TEST(responses_429 == limited, o.err);
  BOOST_TEST(waited == 0.0, o.err);
  BOOST_TEST(o.err.find("rate_limited") != std::string::npos, o.err);
}

BOOST_AUTO_TEST_CASE(no_rate_limit_gate_before_the_command) {
  MockProcess mock(limited_mock);
  // As a common option before the command; get fetches its IDs at once too.
  Outcome o = run_cli({"--no-rate-limit-gate", "get", "cmp_000001", "--format", "json", "--retries", "0"},
                      cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0, o.err);
  BOOST_TEST(json::parse(lines_of(o.out).at(0)).as_object().at("id").as_string() == "cmp_000001");
  // Past the limit, without the gate, a get is sent and meets the 429.
  std::vector<std::string> args = {"--no-rate-limit-gate", "get", "--retries", "0", "--format", "json"};
  for (int i = 0; i < ids_count; ++i) args.push_back("cmp_00000" + std::to_string(i % 10));
  Outcome many = run_cli(args, cli_env(mock.base_url()));
  BOOST_TEST(many.exit_code != 0);
  BOOST_TEST(many.err.find("rate") != std::string::npos, many.err);
}

BOOST_AUTO_TEST_CASE(progress_line_shows_the_wait) {
  MockProcess mock(limited_mock);
  TempDir dir;
  std::string file = dir.write("ids.txt", twelve_ids());
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "batch", file, "--concurrency", "1", "--retries", "0"};
  l.env = cli_env(mock.base_url(), {"NO_COLOR=1"});
  l.stderr_pty = true;
  Outcome o = run(l);
  BOOST_TEST(o.exit_code == 0, o.err);
  BOOST_TEST(lines_of(o.out).size() == static_cast<std::size_t>(ids_count));
  // The live line (two spaces before it), not only the summary ("; " before it).
  BOOST_TEST(o.err.find("  rate limit: waited ") != std::string::npos, o.err);
  BOOST_TEST(o.err.find(", 0 429s") != std::string::npos, o.err);
}

BOOST_AUTO_TEST_SUITE_END()
