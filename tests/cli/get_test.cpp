// campaign get: canonical JSON, the dashboard, several IDs, option placement.
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

using namespace cli_test;

namespace {

MockProcess fixtures_mock() { return MockProcess({"--fixtures", data_path("fixtures.ndjson")}); }

std::string strip_ansi(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::string crlf_to_lf(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(get)

BOOST_AUTO_TEST_CASE(golden_canonical_json) {
  MockProcess mock = fixtures_mock();
  const std::string golden = read_text_file(data_path("golden.ndjson"));
  // stdout is a pipe: JSON is the default; json and ndjson say the same.
  for (std::vector<std::string> format : {std::vector<std::string>{}, {"--format", "json"}, {"--format", "ndjson"}}) {
    std::vector<std::string> args = {"get", "cmp_golden", "cmp_sparse"};
    args.insert(args.end(), format.begin(), format.end());
    Outcome o = run_cli(args, cli_env(mock.base_url()));
    BOOST_TEST(o.exit_code == 0);
    BOOST_TEST(o.out == golden);
    BOOST_TEST(o.err == "");
  }
}

BOOST_AUTO_TEST_CASE(table_is_stable_without_colour) {
  MockProcess mock = fixtures_mock();
  const std::string golden = read_text_file(data_path("golden_table.txt"));
  auto env = cli_env(mock.base_url(), {"NO_COLOR=1"});
  Outcome a = run_cli({"get", "cmp_golden", "--format", "table"}, env);
  Outcome b = run_cli({"get", "cmp_golden", "--format", "table"}, env);
  BOOST_TEST(a.exit_code == 0);
  BOOST_TEST(a.out == b.out);
  BOOST_TEST(a.out == golden);
  BOOST_TEST(a.out.find('\x1b') == std::string::npos);
  for (const char* field : {"Q2 Lead Re-engagement", "cmp_golden", "running", "agt_abc123", "+912234567890",
                            "450 / 1,200 leads", "37.5%", "750 calls", "5 calls at once",
                            "up to 3 per lead, every 120 min", "2024-03-01 09:00:00 UTC",
                            "2024-03-04 09:00:00 UTC", "7h 30m"})
    BOOST_TEST(a.out.find(field) != std::string::npos, "missing " << field);
}

BOOST_AUTO_TEST_CASE(table_is_the_default_on_a_terminal) {
  MockProcess mock = fixtures_mock();
  const std::string golden = read_text_file(data_path("golden_table.txt"));
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "get", "cmp_golden"};
  l.stdout_pty = true;
  l.env = cli_env(mock.base_url(), {"NO_COLOR=1"});
  Outcome plain = run(l);
  BOOST_TEST(plain.exit_code == 0);
  BOOST_TEST(crlf_to_lf(plain.out) == golden);
  BOOST_TEST(plain.out.find('\x1b') == std::string::npos);

  // Without NO_COLOR the terminal gets colour, and the same text under it.
  l.env = cli_env(mock.base_url(), {"TERM=xterm"});
  Outcome coloured = run(l);
  BOOST_TEST(coloured.exit_code == 0);
  BOOST_TEST(coloured.out.find("\x1b[") != std::string::npos);
  BOOST_TEST(strip_ansi(crlf_to_lf(coloured.out)) == golden);
}

BOOST_AUTO_TEST_CASE(avg_call_seconds_drives_the_eta) {
  MockProcess mock = fixtures_mock();
  // 750 pending at 5 at once: 150 waves of 60 s.
  Outcome o = run_cli({"get", "cmp_golden", "--format", "table", "--avg-call-seconds", "60"},
                      cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.out.find("2h 30m  (750 pending, 5 at once, 60 s per call)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(finished_and_sparse_records_render) {
  MockProcess mock = fixtures_mock();
  Outcome o = run_cli({"get", "cmp_sparse", "cmp_cancelled", "--format", "table"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.out.find("archived") != std::string::npos);
  BOOST_TEST(o.out.find("Caf\xc3\xa9 \"\xce\xa9mega\" tab") != std::string::npos);  // tab flattened
  BOOST_TEST(o.out.find("no retries") != std::string::npos);
  BOOST_TEST(o.out.find("- (cancelled)") != std::string::npos);
  BOOST_TEST(o.out.find("\n\nStopped early\n") != std::string::npos);  // records apart
}

BOOST_AUTO_TEST_CASE(each_failure_prints_one_line_and_the_first_decides) {
  MockProcess mock = fixtures_mock();
  const auto golden = lines_of(read_text_file(data_path("golden.ndjson")));
  Outcome o = run_cli({"get", "cmp_golden", "nope", "cmp_sparse", "bad/id"}, cli_env(mock.base_url()));
  BOOST_TEST(o.exit_code == 3);  // not_found came first
  BOOST_TEST(o.out == golden[0] + "\n" + golden[1] + "\n");
  auto err = lines_of(o.err);
  BOOST_REQUIRE(err.size() == 2u);
  BOOST_TEST(err[0].find("campaign: nope: not_found (HTTP 404)") == 0u);
  BOOST_TEST(err[1].find("campaign: 'bad/id': invalid_argument") == 0u);

  Outcome o2 = run_cli({"get", "bad/id", "nope"}, cli_env(mock.base_url()));
  BOOST_TEST(o2.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(common_options_before_or_after_the_command) {
  MockProcess mock = fixtures_mock();
  const auto golden = lines_of(read_text_file(data_path("golden.ndjson")));
  auto env = cli_env("");  // no CAMPAIGN_BASE_URL
  Outcome before = run_cli({"--base-url", mock.base_url(), "--format", "json", "--timeout", "5", "get", "cmp_golden"}, env);
  Outcome after = run_cli({"get", "cmp_golden", "--base-url", mock.base_url(), "--format", "json", "--retries", "0"}, env);
  Outcome mixed = run_cli({"--format", "table", "get", "--base-url=" + mock.base_url(), "cmp_golden", "--format", "json"}, env);
  for (const Outcome* o : {&before, &after, &mixed}) {
    BOOST_TEST(o->exit_code == 0);
    BOOST_TEST(o->out == golden[0] + "\n");
  }
}

BOOST_AUTO_TEST_SUITE_END()
