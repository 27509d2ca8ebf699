// Every exit code of docs/interfaces.md's table that a mock can produce.
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

using namespace cli_test;

namespace {

// The outcome of `campaign get <id> <extra...>` against base_url.
Outcome get(const std::string& base_url, const std::string& id, std::vector<std::string> extra = {},
            std::vector<std::string> env_extra = {}) {
  std::vector<std::string> args = {"get", id};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args, cli_env(base_url, std::move(env_extra)));
}

// An error is exactly one line on stderr, prefixed "campaign: ".
void one_error_line(const Outcome& o) {
  BOOST_TEST(lines_of(o.err).size() == 1u, o.err);
  BOOST_TEST(o.err.rfind("campaign: ", 0) == 0u, o.err);
  BOOST_TEST(o.err.back() == '\n');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exit_codes)

BOOST_AUTO_TEST_CASE(code_0_success) {
  MockProcess mock({"--generate", "10", "--api-key", std::string(canary_key)});
  Outcome o = get(mock.base_url(), "cmp_000003");
  BOOST_TEST(o.exit_code == 0);
  BOOST_TEST(o.err == "");
}

BOOST_AUTO_TEST_CASE(code_2_usage) {
  MockProcess mock({"--generate", "10"});
  const std::string url = mock.base_url();
  std::vector<std::pair<std::string, Outcome>> cases;
  cases.emplace_back("bad ID", get(url, "cmp/../x"));
  cases.emplace_back("too long ID", get(url, std::string(129, 'a')));
  cases.emplace_back("bad option", get(url, "cmp_000001", {"--bogus"}));
  cases.emplace_back("bad timeout", get(url, "cmp_000001", {"--timeout", "abc"}));
  cases.emplace_back("negative timeout", get(url, "cmp_000001", {"--timeout", "-1"}));
  cases.emplace_back("bad retries", get(url, "cmp_000001", {"--retries", "-1"}));
  cases.emplace_back("bad concurrency", get(url, "cmp_000001", {"--concurrency", "0"}));
  cases.emplace_back("bad format", get(url, "cmp_000001", {"--format", "xml"}));
  cases.emplace_back("bad base URL", get("ftp://example.com/v1", "cmp_000001"));
  cases.emplace_back("missing base URL", get("", "cmp_000001"));
  cases.emplace_back("missing key", run_cli({"get", "cmp_000001"}, {"PATH=/usr/bin:/bin", "CAMPAIGN_BASE_URL=" + url}));
  cases.emplace_back("empty key", run_cli({"get", "cmp_000001"},
                                          {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=", "CAMPAIGN_BASE_URL=" + url}));
  cases.emplace_back("no command", run_cli({}, cli_env(url)));
  cases.emplace_back("unknown command", run_cli({"lists"}, cli_env(url)));
  cases.emplace_back("list, bad limit", run_cli({"list", "--limit", "101"}, cli_env(url)));
  cases.emplace_back("calls without ID", run_cli({"calls"}, cli_env(url)));
  cases.emplace_back("calls, bad ID", run_cli({"calls", "cmp/../x"}, cli_env(url)));
  cases.emplace_back("get without ID", run_cli({"get"}, cli_env(url)));
  cases.emplace_back("watch with two IDs", run_cli({"watch", "a", "b"}, cli_env(url)));
  cases.emplace_back("batch table", run_cli({"batch", "--format", "table"}, cli_env(url), ""));
  for (const auto& [what, o] : cases) {
    BOOST_TEST_CONTEXT(what) {
      BOOST_TEST(o.exit_code == 2);
      BOOST_TEST(o.out == "");
      one_error_line(o);
    }
  }
}

BOOST_AUTO_TEST_CASE(code_3_not_found) {
  MockProcess mock({"--generate", "10"});
  Outcome o = get(mock.base_url(), "cmp_999999");
  BOOST_TEST(o.exit_code == 3);
  one_error_line(o);
  BOOST_TEST(o.err.find("not_found (HTTP 404)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(code_4_unauthorized_and_forbidden) {
  MockProcess unauthorized({"--generate", "10", "--api-key", "sk_other_key"});
  Outcome o = get(unauthorized.base_url(), "cmp_000001");
  BOOST_TEST(o.exit_code == 4);
  one_error_line(o);
  BOOST_TEST(o.err.find("unauthorized (HTTP 401)") != std::string::npos);

  MockProcess forbidden({"--generate", "10", "--forbidden-key", std::string(canary_key)});
  Outcome f = get(forbidden.base_url(), "cmp_000001");
  BOOST_TEST(f.exit_code == 4);
  one_error_line(f);
  BOOST_TEST(f.err.find("forbidden (HTTP 403)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(code_5_server_errors_after_retries) {
  MockProcess s503({"--generate", "10", "--fault", "503"});
  Outcome o = get(s503.base_url(), "cmp_000001", {"--retries", "0"});
  BOOST_TEST(o.exit_code == 5);
  one_error_line(o);
  BOOST_TEST(o.err.find("server_error (HTTP 503)") != std::string::npos);

  MockProcess s429({"--generate", "10", "--fault", "429", "--retry-after", "0"});
  Outcome r = get(s429.base_url(), "cmp_000001", {"--retries", "1"});
  BOOST_TEST(r.exit_code == 5);
  BOOST_TEST(r.err.find("rate_limited (HTTP 429)") != std::string::npos);

  MockProcess s501({"--generate", "10", "--fault", "501"});
  Outcome h = get(s501.base_url(), "cmp_000001");
  BOOST_TEST(h.exit_code == 5);
}

BOOST_AUTO_TEST_CASE(code_6_connection_refused_and_timeout) {
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  Outcome refused = get(url, "cmp_000001", {"--retries", "0"});
  BOOST_TEST(refused.exit_code == 6);
  one_error_line(refused);
  BOOST_TEST(refused.err.find("network") != std::string::npos);

  MockProcess hang({"--generate", "10", "--fault", "hang"});
  auto started = std::chrono::steady_clock::now();
  Outcome slow = get(hang.base_url(), "cmp_000001", {"--timeout", "0.3", "--retries", "0"});
  auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(slow.exit_code == 6);
  one_error_line(slow);
  BOOST_TEST(slow.err.find("timeout") != std::string::npos);
  BOOST_TEST(took < std::chrono::seconds(10));
}

BOOST_AUTO_TEST_CASE(code_7_invalid_response) {
  MockProcess garbage({"--generate", "10", "--fault", "garbage"});
  Outcome o = get(garbage.base_url(), "cmp_000001");
  BOOST_TEST(o.exit_code == 7);
  one_error_line(o);
  BOOST_TEST(o.err.find("invalid_response") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(code_9_batch_with_a_failure) {
  MockProcess mock({"--generate", "10"});
  Outcome o = run_cli({"batch"}, cli_env(mock.base_url()), "cmp_000001\ncmp_999999\ncmp_000002\n");
  BOOST_TEST(o.exit_code == 9);
  BOOST_TEST(lines_of(o.out).size() == 3u);

  // Every ID failing the same way is still 9 (the details are in the lines).
  MockProcess down({"--generate", "10", "--fault", "503"});
  Outcome all = run_cli({"batch", "--retries", "0"}, cli_env(down.base_url()), "cmp_000001\ncmp_000002\n");
  BOOST_TEST(all.exit_code == 9);
  BOOST_TEST(all.out.find("\"kind\":\"server_error\",\"http_status\":503") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(code_130_interrupted_while_waiting_to_retry) {
  // The server asks for a 30 s pause before the retry; Ctrl-C must not wait for it.
  MockProcess mock({"--generate", "10", "--fault", "503", "--retry-after", "30"});
  for (std::vector<std::string> args : {std::vector<std::string>{"get", "cmp_000001"}, {"batch"}}) {
    Launch l;
    l.args = {CAMPAIGN_CLI_EXE, "-v"};
    l.args.insert(l.args.end(), args.begin(), args.end());
    l.env = cli_env(mock.base_url());
    if (args.front() == "batch") l.stdin_data = "cmp_000001\ncmp_000002\n";
    Child child(l);
    BOOST_REQUIRE(child.wait_for("retrying", true));  // the -v log line of the first retry
    child.send_signal(SIGINT);
    Outcome o = child.finish(std::chrono::seconds(10));
    BOOST_TEST(!o.timed_out);
    BOOST_TEST(o.exit_code == 130);
    BOOST_TEST(o.err.find(canary_key) == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
