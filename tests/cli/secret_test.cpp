// The API key never reaches any output, even when the server echoes it.
// (run() checks every stdout and stderr for the canary key; these tests make
// the key show up in what the CLI receives.)
#include "echo_server.hpp"
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>

using namespace cli_test;

BOOST_AUTO_TEST_SUITE(secrets)

BOOST_AUTO_TEST_CASE(error_message_echoing_the_key_is_masked_and_one_line) {
  // The decoded message holds the key and a CR/LF; the request ID holds it too.
  EchoServer server(401, R"({"error":{"type":"auth","message":"key {key} is not valid\r\nsecond line"}})");
  Outcome o = run_cli({"get", "cmp_000001"}, cli_env(server.base_url()));
  BOOST_TEST(server.requests() >= 1);
  BOOST_TEST(o.exit_code == 4);
  BOOST_TEST(lines_of(o.err).size() == 1u, o.err);
  BOOST_TEST(o.err.find("key *** is not valid second line") != std::string::npos, o.err);
  BOOST_TEST(o.err.find('\r') == std::string::npos);

  // Given with --api-key instead of the environment: masked all the same.
  Outcome flag = run_cli({"get", "cmp_000001", "--api-key", std::string(canary_key)},
                         {"PATH=/usr/bin:/bin", "CAMPAIGN_BASE_URL=" + server.base_url()});
  BOOST_TEST(flag.exit_code == 4);
  BOOST_TEST(flag.err.find("***") != std::string::npos);

  // And in verbose mode.
  Outcome verbose = run_cli({"get", "cmp_000001", "-v"}, cli_env(server.base_url()));
  BOOST_TEST(verbose.exit_code == 4);
}

BOOST_AUTO_TEST_CASE(batch_error_lines_mask_the_key) {
  EchoServer server(404, R"({"message":"no campaign here for {key}"})");
  Outcome o = run_cli({"batch"}, cli_env(server.base_url()), "cmp_a\ncmp_b\n");
  BOOST_TEST(o.exit_code == 9);
  auto lines = lines_of(o.out);
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0] ==
             R"({"id":"cmp_a","ok":false,"error":{"kind":"not_found","http_status":404,"message":"no campaign here for ***"}})");
}

BOOST_AUTO_TEST_CASE(record_echoing_the_key_is_masked) {
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  Outcome json = run_cli({"get", "cmp_leaky"}, cli_env(mock.base_url()));
  BOOST_TEST(json.exit_code == 0);
  BOOST_TEST(json.out.find("\"name\":\"echo *** here\"") != std::string::npos);
  Outcome table = run_cli({"get", "cmp_leaky", "--format", "table"}, cli_env(mock.base_url()));
  BOOST_TEST(table.out.find("echo *** here") != std::string::npos);
  Outcome batch = run_cli({"batch"}, cli_env(mock.base_url()), "cmp_leaky\n");
  BOOST_TEST(batch.exit_code == 0);
  // watch, stopped with Ctrl-C after its first line (cmp_leaky never ends).
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE, "watch", "cmp_leaky", "--interval", "30"};
  l.env = cli_env(mock.base_url());
  Child child(l);
  BOOST_REQUIRE(child.wait_for("\n"));
  child.send_signal(SIGINT);
  Outcome watch = child.finish();
  BOOST_TEST(watch.exit_code == 130);
  BOOST_TEST(watch.out.find("***") != std::string::npos);
  BOOST_TEST(watch.out.find(canary_key) == std::string::npos);
  BOOST_TEST(watch.err.find(canary_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_never_echo_the_key) {
  // A misspelt option next to the key: the parser's message would quote it.
  Outcome typo = run_cli({"get", "cmp_1", "--api-kee", std::string(canary_key)}, cli_env("http://127.0.0.1:9/v1"));
  BOOST_TEST(typo.exit_code == 2);
  Outcome stray = run_cli({"--api-key", std::string(canary_key), "get"}, {"PATH=/usr/bin:/bin"});
  BOOST_TEST(stray.exit_code == 2);
  Outcome eq = run_cli({"--api-key=" + std::string(canary_key), "frob"}, {"PATH=/usr/bin:/bin"});
  BOOST_TEST(eq.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(usage_errors_never_echo_what_was_typed) {
  // No CAMPAIGN_API_KEY in the environment: the key is known only as the
  // value of a mistyped option or a stray argument, so nothing masks it by
  // value; the parser's message must not quote it at all. (The base URL is
  // a closed port, so a command line that parsed would fail fast, not hang.)
  const std::string key(canary_key);
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin",
                                        "CAMPAIGN_BASE_URL=http://127.0.0.1:" + std::to_string(closed_port()) + "/v1"};
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> says;  // what stderr must still tell
  };
  const std::vector<Case> cases = {
      {{"--apikey", key, "get", "cmp_a"}, {"2 unexpected arguments", "--apikey (did you mean --api-key?)", "1 value (not shown)"}},
      {{"get", "cmp_a", "--apikey", key}, {"unexpected argument", "--apikey (did you mean --api-key?)"}},
      {{"--apikey=" + key, "get", "cmp_a"}, {"1 unexpected argument", "--apikey=*** (did you mean --api-key?)"}},
      {{"get", "cmp_a", "--api-key" + std::string("s=") + key}, {"unexpected argument", "--api-keys=***"}},
      {{"watch", "cmp_a", "--api_key", key}, {"2 unexpected arguments", "--api_key (did you mean --api-key?)"}},
      {{"batch", "--api-kye", key}, {"unexpected argument", "--api-kye (did you mean --api-key?)"}},
      // Positionals beyond what the command takes (watch: one ID, batch: one FILE).
      {{"watch", "cmp_a", key}, {"1 unexpected argument (not shown)"}},
      {{"batch", "ids.txt", key}, {"1 unexpected argument (not shown)"}},
      // The key typed before its option, or with the option after the command's arguments.
      {{key, "--api-key", "get", "cmp_a"}, {"unexpected arguments (not shown)"}},
      {{"watch", "cmp_a", key, "--api-key"}, {"--api-key"}},
      // Our own checks of option values and of FILE do not quote them either.
      {{"get", "cmp_a", "--timeout", key}, {"--timeout: expected a number"}},
      {{"get", "cmp_a", "--format=" + key}, {"--format: expected json, table or ndjson"}},
      {{"batch", key, "--api-key", "sk_other_0001"}, {"batch: cannot open FILE"}},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    BOOST_TEST_CONTEXT("campaign " << line) {
      Outcome o = run_cli(c.args, env);
      BOOST_TEST(o.exit_code == 2);
      BOOST_TEST(o.out.find(key) == std::string::npos, o.out);
      BOOST_TEST(o.err.find(key) == std::string::npos, o.err);
      BOOST_TEST(o.err.find("7f3a9c") == std::string::npos, o.err);  // not even a part of it
      BOOST_TEST(lines_of(o.err).size() == 1u, o.err);
      for (const std::string& say : c.says) BOOST_TEST(o.err.find(say) != std::string::npos, o.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_short_key_is_masked_in_values_but_never_breaks_a_line) {
  // The key "id" is also a member name of every line: only values are masked.
  MockProcess mock({"--fixtures", data_path("fixtures.ndjson")});
  const auto golden = lines_of(read_text_file(data_path("golden.ndjson")));
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=id", "CAMPAIGN_BASE_URL=" + mock.base_url()};
  Outcome get = run_cli({"get", "cmp_golden"}, env);
  BOOST_TEST(get.exit_code == 0);
  BOOST_TEST(get.out == golden[0] + "\n");
  Outcome batch = run_cli({"batch"}, env, "cmp_golden\nid!\ninvalid!\n");
  BOOST_TEST(batch.exit_code == 9);
  auto lines = lines_of(batch.out);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0] == "{\"id\":\"cmp_golden\",\"ok\":true,\"campaign\":" + golden[0] + "}");
  // A short key is masked as a word of a value, not inside another word.
  BOOST_TEST(lines[1].find("{\"id\":\"***!\",\"ok\":false,") == 0u, lines[1]);
  BOOST_TEST(lines[2].find("{\"id\":\"invalid!\",\"ok\":false,") == 0u, lines[2]);
  BOOST_TEST(batch.err.find("1 ok, 2 failed") != std::string::npos, batch.err);
}

namespace {

// Checks that no output holds `key` in any of the spellings the echo server
// writes it in (nor a telling piece of it).
void check_no_spelling(const Outcome& o, const std::vector<std::string>& spellings) {
  for (const std::string& k : spellings) {
    BOOST_TEST(o.out.find(k) == std::string::npos, "stdout holds " << k << ": " << o.out);
    BOOST_TEST(o.err.find(k) == std::string::npos, "stderr holds " << k << ": " << o.err);
  }
}

const std::string record_template =
    R"({"id":"cmp_echo","name":"NAME","status":"running","created_at":"2024-03-01T09:00:00.000Z"})";

std::string record_named(const std::string& name) {
  std::string r = record_template;
  return r.replace(r.find("NAME"), 4, name);
}

}  // namespace

BOOST_AUTO_TEST_CASE(error_lines_mask_the_key_json_escaped_and_percent_encoded) {
  // The message holds the key as JSON-escaped text (the body escapes it
  // twice) and percent-encoded; X-Request-Id, a raw header, holds both too.
  const std::string key = "sk_live_a/b";
  const std::vector<std::string> spellings = {key, R"(sk_live_a\/b)", "sk_live_a%2Fb", "live_a"};
  EchoServer server(401, R"({"message":"key {key_json2} or {key_pct} is not valid"})", "req_{key_json}_{key_pct}");
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=" + key,
                                        "CAMPAIGN_BASE_URL=" + server.base_url()};
  Outcome get = run_cli({"get", "cmp_000001"}, env);
  BOOST_TEST(get.exit_code == 4);
  check_no_spelling(get, spellings);
  BOOST_TEST(get.err.find("key *** or *** is not valid") != std::string::npos, get.err);
  BOOST_TEST(get.err.find("request_id=req_***_***") != std::string::npos, get.err);

  Outcome batch = run_cli({"batch"}, env, "cmp_000001\n");
  BOOST_TEST(batch.exit_code == 9);
  check_no_spelling(batch, spellings);
  BOOST_TEST(batch.out.find(R"("message":"key *** or *** is not valid")") != std::string::npos, batch.out);

  // The library masks the key it sends; the CLI masks CAMPAIGN_API_KEY too
  // when --api-key overrides it, in every spelling, on its own.
  EchoServer other(401, R"({"message":"env key sk_live_a\\\/b or sk_live_a%2Fb, sent {key}"})",
                   R"(req_sk_live_a\/b_sk_live_a%2Fb)");
  const std::vector<std::string> env_other = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=" + key,
                                              "CAMPAIGN_BASE_URL=" + other.base_url()};
  Outcome overridden = run_cli({"get", "cmp_000001", "--api-key", "sk_other_123456"}, env_other);
  BOOST_TEST(overridden.exit_code == 4);
  check_no_spelling(overridden, spellings);
  BOOST_TEST(overridden.err.find("env key *** or ***, sent ***") != std::string::npos, overridden.err);
  BOOST_TEST(overridden.err.find("request_id=req_***_***") != std::string::npos, overridden.err);
}

BOOST_AUTO_TEST_CASE(record_values_mask_the_key_json_escaped_and_percent_encoded) {
  // Record fields reach the output only through the CLI's own masking.
  const std::string key = "sk_live_a/b";
  const std::vector<std::string> spellings = {key, R"(sk_live_a\/b)", R"(sk_live_a\\/b)", "sk_live_a%2Fb", "live_a"};
  EchoServer server(200, record_named("echo {key_json} and {key_json2} and {key_pct} here"));
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=" + key,
                                        "CAMPAIGN_BASE_URL=" + server.base_url()};
  Outcome json = run_cli({"get", "cmp_echo"}, env);
  BOOST_TEST(json.exit_code == 0, json.err);
  check_no_spelling(json, spellings);
  BOOST_TEST(json.out.find(R"("name":"echo *** and *** and *** here")") != std::string::npos, json.out);
  Outcome table = run_cli({"get", "cmp_echo", "--format", "table"}, env);
  BOOST_TEST(table.exit_code == 0, table.err);
  check_no_spelling(table, spellings);
  BOOST_TEST(table.out.find("echo *** and *** and *** here") != std::string::npos, table.out);
  Outcome batch = run_cli({"batch"}, env, "cmp_echo\n");
  BOOST_TEST(batch.exit_code == 0, batch.err);
  check_no_spelling(batch, spellings);
  BOOST_TEST(batch.out.find(R"("name":"echo *** and *** and *** here")") != std::string::npos, batch.out);
}

BOOST_AUTO_TEST_CASE(the_secret_half_of_a_key_id_and_secret_is_masked_on_its_own) {
  const std::string key = "kid_42:sk_half_9x8y7z";
  EchoServer server(200, record_named("half sk_half_9x8y7z, whole {key}"));
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=" + key,
                                        "CAMPAIGN_BASE_URL=" + server.base_url()};
  Outcome json = run_cli({"get", "cmp_echo"}, env);
  BOOST_TEST(json.exit_code == 0, json.err);
  check_no_spelling(json, {"sk_half_9x8y7z", "9x8y7z"});
  BOOST_TEST(json.out.find(R"("name":"half ***, whole ***")") != std::string::npos, json.out);
}

BOOST_AUTO_TEST_CASE(a_one_letter_key_is_masked_only_as_a_word) {
  const std::vector<std::string> env_base = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=k"};
  {
    EchoServer server(404, R"({"message":"asked for {key}"})");
    std::vector<std::string> env = env_base;
    env.push_back("CAMPAIGN_BASE_URL=" + server.base_url());
    Outcome get = run_cli({"get", "cmp_000001"}, env);
    BOOST_TEST(get.exit_code == 3);
    BOOST_TEST(get.err.find("asked for ***") != std::string::npos, get.err);
    BOOST_TEST(get.err.find("as***ed") == std::string::npos, get.err);
    Outcome batch = run_cli({"batch"}, env, "cmp_000001\n");
    BOOST_TEST(batch.exit_code == 9);
    BOOST_TEST(batch.out.find(R"("message":"asked for ***")") != std::string::npos, batch.out);
    BOOST_TEST(batch.out.find("as***ed") == std::string::npos, batch.out);
  }
  {
    EchoServer server(200, record_named("asked for {key}"));
    std::vector<std::string> env = env_base;
    env.push_back("CAMPAIGN_BASE_URL=" + server.base_url());
    Outcome json = run_cli({"get", "cmp_echo"}, env);
    BOOST_TEST(json.exit_code == 0, json.err);
    BOOST_TEST(json.out.find(R"("name":"asked for ***")") != std::string::npos, json.out);
    Outcome table = run_cli({"get", "cmp_echo", "--format", "table"}, env);
    BOOST_TEST(table.exit_code == 0, table.err);
    BOOST_TEST(table.out.find("asked for ***") != std::string::npos, table.out);
    BOOST_TEST(table.out.find("as***ed") == std::string::npos, table.out);
  }
}

BOOST_AUTO_TEST_CASE(masking_a_short_key_never_cuts_a_json_escape) {
  // The key "n" next to an escaped newline ("a\n b" in the JSON text): masking
  // the escaped text would leave "a\*** b", which is not JSON.
  EchoServer server(200, record_named(R"(tab\tn and\nn)"));
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=n",
                                        "CAMPAIGN_BASE_URL=" + server.base_url()};
  Outcome json = run_cli({"get", "cmp_echo"}, env);
  BOOST_TEST(json.exit_code == 0, json.err);
  BOOST_TEST(json.out.find(R"("name":"tab\t*** and\n***")") != std::string::npos, json.out);
}

BOOST_AUTO_TEST_SUITE_END()
