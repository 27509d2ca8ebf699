// What the mock records about each request: RequestLog::server_name (the
// TLS SNI) and the --request-log / Options::request_log_file JSON lines that
// tests in other processes read.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"
#include "tls_certs.hpp"

namespace json = boost::json;
namespace fs = std::filesystem;
using campaign::mock::Options;
using campaign::mock::Server;
using campaign::test::TestPki;
using namespace campaign::mock::testing;

extern char** environ;

namespace {

// A directory of its own, removed with everything in it.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("campaign-mock-log-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every line of the file, parsed; a line that is not one JSON object fails the test.
std::vector<json::object> log_lines(const std::string& path) {
  std::string text = read_all(path);
  BOOST_TEST((text.empty() || text.back() == '\n'), "the last line is complete");
  std::vector<json::object> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    json::error_code ec;
    json::value v = json::parse(line, ec);
    BOOST_TEST_REQUIRE(!ec, "not JSON: " << line);
    BOOST_TEST_REQUIRE(v.is_object(), "not an object: " << line);
    out.push_back(v.as_object());
  }
  return out;
}

// The line's headers as pairs; fails unless it is an array of [name, value] strings.
Headers headers_of(const json::object& line) {
  Headers out;
  for (const auto& h : line.at("headers").as_array()) {
    const auto& pair = h.as_array();
    BOOST_TEST_REQUIRE(pair.size() == 2u);
    out.emplace_back(std::string(pair[0].as_string()), std::string(pair[1].as_string()));
  }
  return out;
}

std::optional<std::string> find_header(const Headers& hs, std::string_view name) {
  for (const auto& [k, v] : hs)
    if (beast::iequals(k, name)) return v;
  return std::nullopt;
}

Options tls_options(const campaign::test::Leaf& leaf) {
  Options o;
  o.tls_cert_file = leaf.cert_file;
  o.tls_key_file = leaf.key_file;
  return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(request_log)

BOOST_AUTO_TEST_CASE(server_name_is_the_sni_over_https_and_empty_over_http) {
  TestPki pki;
  {
    Server s(tls_options(pki.issue({"localhost"}, {"127.0.0.1"})));
    s.generate(1);
    Client sni(s.port(), pki.ca_file(), "localhost");  // sends SNI localhost
    BOOST_REQUIRE(!sni.connect());
    BOOST_TEST(sni.get("/v1/campaigns/cmp_000000").status == 200);
    Client by_ip(s.port(), pki.ca_file(), "127.0.0.1");  // an IP: no SNI is sent (RFC 6066)
    BOOST_REQUIRE(!by_ip.connect());
    BOOST_TEST(by_ip.get("/v1/campaigns/cmp_000000").status == 200);
    auto log = s.requests();
    BOOST_REQUIRE(log.size() == 2u);
    BOOST_TEST(log[0].server_name == "localhost");
    BOOST_TEST(log[1].server_name == "");
  }
  {
    Server s(Options{});
    s.generate(1);
    BOOST_TEST(fetch(s.port(), "/v1/campaigns/cmp_000000").status == 200);
    auto log = s.requests();
    BOOST_REQUIRE(log.size() == 1u);
    BOOST_TEST(log[0].server_name == "");
  }
}

BOOST_AUTO_TEST_CASE(file_log_has_one_json_line_per_request) {
  ScratchDir dir;
  Options o;
  o.request_log_file = dir.file("requests.ndjson");
  Server s(o);
  s.generate(2);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  // Quotes, backslashes, a tab, UTF-8 and a byte that is not UTF-8 must all
  // come out as valid JSON (the last one as U+FFFD).
  const std::string odd = "a \"quoted\" \\back\\slash\tt\xc3\xa9 \xff end";
  BOOST_TEST(c.get("/v1/campaigns/cmp_000000", {{"X-Odd", odd}}).status == 200);
  BOOST_TEST(c.get("/v1/campaigns/cmp_000001?x=1").status == 200);
  BOOST_TEST(c.get("/v1/campaigns/nope").status == 404);  // errors are logged too
  Client other(s.port());
  BOOST_REQUIRE(!other.connect());
  BOOST_TEST(other.get("/v1/campaigns/cmp_000000").status == 200);

  // Each line is written and flushed before the answer, so it is there now.
  auto lines = log_lines(o.request_log_file);
  BOOST_REQUIRE(lines.size() == 4u);
  const char* targets[] = {"/v1/campaigns/cmp_000000", "/v1/campaigns/cmp_000001?x=1", "/v1/campaigns/nope",
                           "/v1/campaigns/cmp_000000"};
  auto in_memory = s.requests();
  BOOST_REQUIRE(in_memory.size() == 4u);
  for (std::size_t k = 0; k < lines.size(); ++k) {
    BOOST_TEST_CONTEXT("line " << k) {
      const auto& l = lines[k];
      BOOST_TEST(l.size() == 6u);  // exactly the documented fields
      BOOST_TEST(l.at("connection").as_int64() == static_cast<std::int64_t>(in_memory[k].connection));
      BOOST_TEST(l.at("request").as_int64() == static_cast<std::int64_t>(k + 1));  // X-Request-Id req_N
      BOOST_TEST(l.at("method").as_string() == "GET");
      BOOST_TEST(l.at("target").as_string() == targets[k]);
      BOOST_TEST(l.at("server_name").as_string() == "");  // plain HTTP
      auto hs = headers_of(l);
      BOOST_TEST(find_header(hs, "Host").value_or("") == "127.0.0.1:" + std::to_string(s.port()));
      BOOST_REQUIRE(hs.size() == in_memory[k].headers.size());
      for (std::size_t h = 0; h < hs.size(); ++h) {  // the same headers, in order
        BOOST_TEST(hs[h].first == in_memory[k].headers[h].first);
        if (hs[h].first != "X-Odd") BOOST_TEST(hs[h].second == in_memory[k].headers[h].second);
      }
    }
  }
  BOOST_TEST(lines[0].at("connection") == lines[2].at("connection"));  // one keep-alive connection
  BOOST_TEST(lines[0].at("connection") != lines[3].at("connection"));
  BOOST_TEST(find_header(headers_of(lines[0]), "X-Odd").value_or("") ==
             "a \"quoted\" \\back\\slash\tt\xc3\xa9 \xef\xbf\xbd end");
  BOOST_TEST(!find_header(headers_of(lines[1]), "X-Odd"));
}

BOOST_AUTO_TEST_CASE(file_log_records_the_sni_and_appends) {
  ScratchDir dir;
  const std::string path = dir.file("requests.ndjson");
  { std::ofstream(path) << "{\"earlier\":true}\n"; }  // an existing file is appended to
  TestPki pki;
  Options o = tls_options(pki.issue({"localhost"}, {}));
  o.request_log_file = path;
  Server s(o);
  s.generate(1);
  Client c(s.port(), pki.ca_file(), "localhost");
  BOOST_REQUIRE(!c.connect());
  BOOST_TEST(c.get("/v1/campaigns/cmp_000000").status == 200);
  auto lines = log_lines(path);
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0].contains("earlier"));
  BOOST_TEST(lines[1].at("server_name").as_string() == "localhost");
  BOOST_TEST(lines[1].at("target").as_string() == "/v1/campaigns/cmp_000000");
}

BOOST_AUTO_TEST_CASE(unwritable_log_file_refuses_to_start) {
  Options o;
  o.request_log_file = "/nonexistent-dir-for-campaign-mock/requests.ndjson";
  BOOST_CHECK_THROW(Server s(o), std::runtime_error);
}

// The executable: --request-log FILE, read by this (other) process.
BOOST_AUTO_TEST_CASE(request_log_option_of_the_executable) {
  ScratchDir dir;
  const std::string path = dir.file("requests.ndjson");
  std::vector<std::string> args = {CAMPAIGN_MOCK_EXE, "--generate", "1", "--request-log", path};
  int out[2];
  BOOST_REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  BOOST_REQUIRE_MESSAGE(rc == 0, "spawn " << argv[0]);
  struct Reap {  // a failed check below must not leave the mock running
    pid_t pid;
    int fd;
    ~Reap() {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      close(fd);
    }
  } reap{pid, out[0]};

  // The first stdout line, within a bounded wait.
  std::string line;
  for (char ch = 0; ch != '\n';) {
    pollfd p{out[0], POLLIN, 0};
    BOOST_REQUIRE_MESSAGE(poll(&p, 1, 20000) == 1, "no 'listening on' line within 20 s: " << line);
    BOOST_REQUIRE(read(out[0], &ch, 1) == 1);
    if (ch != '\n') line += ch;
  }
  const std::string prefix = "listening on http://127.0.0.1:";
  BOOST_REQUIRE_MESSAGE(line.rfind(prefix, 0) == 0, line);
  auto port = static_cast<std::uint16_t>(std::stoi(line.substr(prefix.size())));

  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_000000", {{"Authorization", "Bearer sk_x"}}).status == 200);
  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_000000").status == 200);
  auto lines = log_lines(path);  // flushed per line: complete while the mock still runs
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0].at("request").as_int64() == 1);
  BOOST_TEST(lines[1].at("request").as_int64() == 2);
  BOOST_TEST(lines[0].at("connection") != lines[1].at("connection"));
  BOOST_TEST(find_header(headers_of(lines[0]), "Authorization").value_or("") == "Bearer sk_x");
  BOOST_TEST(!find_header(headers_of(lines[1]), "Authorization"));
}

BOOST_AUTO_TEST_SUITE_END()
