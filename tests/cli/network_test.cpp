// The CLI's network options as a user runs them, against a campaign-mock
// process: --timeout against a trickled body, --retries counted in the mock's
// request log (--request-log), and HTTPS with --ca-file (trust, host name, SNI).
#include "mock_process.hpp"
#include "process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <sstream>

#include "tls_certs.hpp"

using namespace cli_test;
using namespace std::chrono_literals;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// Every request the mock logged (one JSON object per line), in arrival order.
std::vector<json::object> request_log(const std::string& path) {
  std::vector<json::object> out;
  std::istringstream lines(read_text_file(path));
  for (std::string line; std::getline(lines, line);) {
    json::error_code ec;
    json::value v = json::parse(line, ec);
    BOOST_TEST_REQUIRE((!ec && v.is_object()), "request log line is not a JSON object: " << line);
    out.push_back(v.as_object());
  }
  return out;
}

// The logged requests for one campaign ID.
std::vector<json::object> requests_for(const std::string& path, const std::string& id) {
  std::vector<json::object> out;
  for (auto& r : request_log(path))
    if (r.at("target").as_string() == "/v1/campaigns/" + id) out.push_back(std::move(r));
  return out;
}

std::optional<std::string> header(const json::object& request, std::string_view name) {
  for (const auto& h : request.at("headers").as_array()) {
    const auto& pair = h.as_array();
    std::string_view k = pair.at(0).as_string();
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return std::string(pair.at(1).as_string());
  }
  return std::nullopt;
}

struct Timed {
  Outcome outcome;
  Clock::duration took;
};

// `campaign ARGS` with the environment for base_url; killed after `kill_after`
// (so a CLI that ignores its deadline fails the test in bounded time).
Timed timed_cli(const std::vector<std::string>& args, const std::string& base_url,
                std::chrono::milliseconds kill_after) {
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE};
  l.args.insert(l.args.end(), args.begin(), args.end());
  l.env = cli_env(base_url);
  auto t0 = Clock::now();
  Outcome o = run(std::move(l), kill_after);
  return {std::move(o), Clock::now() - t0};
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(network)

// --- --timeout: one deadline per attempt, a trickling body included ---------

BOOST_AUTO_TEST_CASE(timeout_cuts_a_trickled_body_after_one_second) {
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  // Each body byte 200 ms apart: a generated record (~500 bytes) would take
  // ~100 s; headers arrive at once, so only a whole-attempt deadline stops it.
  MockProcess mock({"--generate", "1", "--fault", "slow", "--slow-ms", "200", "--request-log", log});
  Timed t = timed_cli({"get", "cmp_000000", "--timeout", "1", "--retries", "0"}, mock.base_url(), 20s);
  BOOST_TEST_MESSAGE("took " << seconds(t.took) << " s; stderr: " << t.outcome.err);
  BOOST_TEST(!t.outcome.timed_out);
  BOOST_TEST(t.outcome.exit_code == 6);
  BOOST_TEST(t.outcome.out == "");
  BOOST_TEST(t.outcome.err.find("cmp_000000: timeout") != std::string::npos, t.outcome.err);
  BOOST_TEST(lines_of(t.outcome.err).size() == 1u);
  // At least the deadline (it did wait for the body), far below the ~100 s
  // the trickle takes; the upper bound leaves room for a loaded machine.
  BOOST_TEST(seconds(t.took) >= 0.9);
  BOOST_TEST(seconds(t.took) < 5.0);
  BOOST_TEST(requests_for(log, "cmp_000000").size() == 1u);  // --retries 0: one attempt
}

BOOST_AUTO_TEST_CASE(timeout_applies_per_attempt_with_the_default_retries) {
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  MockProcess mock({"--generate", "1", "--fault", "slow", "--slow-ms", "200", "--request-log", log});
  // Default --retries 2: a timed-out attempt is retried, so 3 attempts of 1 s
  // each plus the backoff between them (at most 0.5 s + 1 s).
  Timed t = timed_cli({"get", "cmp_000000", "--timeout", "1"}, mock.base_url(), 40s);
  BOOST_TEST_MESSAGE("took " << seconds(t.took) << " s; stderr: " << t.outcome.err);
  BOOST_TEST(!t.outcome.timed_out);
  BOOST_TEST(t.outcome.exit_code == 6);
  BOOST_TEST(t.outcome.err.find("cmp_000000: timeout") != std::string::npos, t.outcome.err);
  auto attempts = requests_for(log, "cmp_000000");
  BOOST_TEST(attempts.size() == 3u);
  for (std::size_t k = 0; k < attempts.size(); ++k)  // the client numbers its retries
    BOOST_TEST(header(attempts[k], "X-Campaign-Retry-Count").value_or("") == std::to_string(k));
  BOOST_TEST(seconds(t.took) >= 3 * 0.9);
  BOOST_TEST(seconds(t.took) < 15.0);  // normally ~3-4.5 s; 3 trickled bodies would be ~300 s
}

// --- --retries: exactly retries + 1 requests reach the server ----------------

BOOST_AUTO_TEST_CASE(retries_send_exactly_retries_plus_one_requests) {
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  // Always 503 with Retry-After: 0, so the retries follow at once.
  MockProcess mock({"--generate", "10", "--fault", "503", "--retry-after", "0", "--request-log", log});
  struct Case {
    std::optional<int> retries;  // nullopt: the default, 2
    std::string id;              // one ID per case, so each count is its own
  };
  for (const Case& c : {Case{0, "cmp_000000"}, Case{1, "cmp_000001"}, Case{2, "cmp_000002"},
                        Case{std::nullopt, "cmp_000003"}}) {
    const int expected = c.retries.value_or(2) + 1;
    BOOST_TEST_CONTEXT("--retries " << (c.retries ? std::to_string(*c.retries) : "(default)")) {
      std::vector<std::string> args = {"get", c.id};
      if (c.retries) args.insert(args.end(), {"--retries", std::to_string(*c.retries)});
      Timed t = timed_cli(args, mock.base_url(), 30s);
      BOOST_TEST(t.outcome.exit_code == 5);
      BOOST_TEST(t.outcome.err.find(c.id + ": server_error (HTTP 503)") != std::string::npos, t.outcome.err);
      auto sent = requests_for(log, c.id);
      BOOST_TEST(sent.size() == static_cast<std::size_t>(expected));
      for (std::size_t k = 0; k < sent.size(); ++k)
        BOOST_TEST(header(sent[k], "X-Campaign-Retry-Count").value_or("") == std::to_string(k));
    }
  }
  BOOST_TEST(request_log(log).size() == 1u + 2u + 3u + 3u);  // nothing else was sent
}

// --- HTTPS: --ca-file, host name verification, SNI ----------------------------

namespace {

MockProcess tls_mock(const campaign::test::Leaf& leaf, const std::string& log) {
  return MockProcess({"--generate", "1", "--tls-cert", leaf.cert_file, "--tls-key", leaf.key_file,
                      "--request-log", log});
}

std::string localhost_url(const MockProcess& mock) {
  return "https://localhost:" + std::to_string(mock.port()) + "/v1";
}

}  // namespace

BOOST_AUTO_TEST_CASE(https_with_ca_file_succeeds_and_sends_sni) {
  campaign::test::TestPki pki;
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  // Only a DNS name in the certificate: the client must check "localhost".
  MockProcess mock = tls_mock(pki.issue({"localhost"}, {}), log);
  BOOST_REQUIRE(mock.base_url().rfind("https://", 0) == 0u);
  Timed t = timed_cli({"get", "cmp_000000", "--ca-file", pki.ca_file()}, localhost_url(mock), 30s);
  BOOST_TEST(t.outcome.exit_code == 0, t.outcome.err);
  BOOST_TEST(t.outcome.err == "");
  json::error_code ec;
  json::value rec = json::parse(t.outcome.out, ec);
  BOOST_TEST_REQUIRE(!ec, t.outcome.out);
  BOOST_TEST(rec.at("id").as_string() == "cmp_000000");
  auto sent = request_log(log);
  BOOST_REQUIRE(sent.size() == 1u);
  BOOST_TEST(sent[0].at("server_name").as_string() == "localhost");  // SNI
  BOOST_TEST(header(sent[0], "Host").value_or("") == "localhost:" + std::to_string(mock.port()));
}

BOOST_AUTO_TEST_CASE(https_certificate_for_another_host_fails_with_6) {
  campaign::test::TestPki pki;
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  // Signed by the trusted CA, but for another name.
  MockProcess mock = tls_mock(pki.issue({"other.example"}, {}), log);
  Timed t = timed_cli({"get", "cmp_000000", "--ca-file", pki.ca_file()}, localhost_url(mock), 30s);
  BOOST_TEST(t.outcome.exit_code == 6);
  BOOST_TEST(t.outcome.out == "");
  BOOST_TEST(lines_of(t.outcome.err).size() == 1u, t.outcome.err);
  BOOST_TEST(t.outcome.err.find("cmp_000000: tls") != std::string::npos, t.outcome.err);
  BOOST_TEST(t.outcome.err.find("hostname mismatch") != std::string::npos, t.outcome.err);
  BOOST_TEST(request_log(log).empty());  // no request (and no API key) went to it
}

BOOST_AUTO_TEST_CASE(https_unknown_ca_fails_with_6) {
  campaign::test::TestPki pki;
  TempDir dir;
  const std::string log = dir.path() + "/requests.ndjson";
  MockProcess mock = tls_mock(pki.issue({"localhost"}, {}), log);
  // No --ca-file: the system trust store does not know the test CA.
  Timed t = timed_cli({"get", "cmp_000000"}, localhost_url(mock), 30s);
  BOOST_TEST(t.outcome.exit_code == 6);
  BOOST_TEST(t.outcome.out == "");
  BOOST_TEST(lines_of(t.outcome.err).size() == 1u, t.outcome.err);
  BOOST_TEST(t.outcome.err.find("cmp_000000: tls") != std::string::npos, t.outcome.err);
  BOOST_TEST(t.outcome.err.find("certificate verification failed") != std::string::npos, t.outcome.err);
  BOOST_TEST(request_log(log).empty());

  // A --ca-file that is not the signer is refused the same way.
  campaign::test::TestPki other;
  Timed w = timed_cli({"get", "cmp_000000", "--ca-file", other.ca_file()}, localhost_url(mock), 30s);
  BOOST_TEST(w.outcome.exit_code == 6);
  BOOST_TEST(w.outcome.err.find("certificate verification failed") != std::string::npos, w.outcome.err);
  BOOST_TEST(request_log(log).empty());
}

BOOST_AUTO_TEST_SUITE_END()
