// The campaign-mock executable as a process: first stdout line, serving,
// clean exit on SIGTERM/SIGINT, usage errors.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

extern char** environ;

using namespace campaign::mock::testing;

namespace {

// A child process with its stdout on a pipe.
class Process {
public:
  explicit Process(std::vector<std::string> args) {
    args.insert(args.begin(), CAMPAIGN_MOCK_EXE);
    int fds[2];
    BOOST_REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
    BOOST_REQUIRE_MESSAGE(rc == 0, "spawn " << argv[0]);
    // glibc 2.36's <sys/pidfd.h> lacks extern "C": call the system call directly.
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    BOOST_REQUIRE(pidfd_ >= 0);
  }
  ~Process() {
    if (!exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
    close(pidfd_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // One stdout line, waiting at most `timeout_ms`; nullopt on EOF or timeout.
  std::optional<std::string> read_line(int timeout_ms = 10000) {
    std::string line;
    for (;;) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
      char c;
      if (read(out_, &c, 1) != 1) return std::nullopt;
      if (c == '\n') return line;
      line += c;
    }
  }

  // The exit code, waiting at most `timeout_ms` (the pidfd becomes readable
  // when the child exits); -1 on timeout, 128+N when killed by signal N.
  int wait_exit(int timeout_ms = 5000) {
    pollfd p{pidfd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  void signal(int sig) { kill(pid_, sig); }

private:
  pid_t pid_ = -1;
  int out_ = -1, pidfd_ = -1;
  bool exited_ = false;
};

std::uint16_t port_of(const std::string& line, const std::string& scheme = "http") {
  std::smatch m;
  BOOST_REQUIRE_MESSAGE(std::regex_match(line, m, std::regex("listening on " + scheme + R"(://127\.0\.0\.1:(\d+))")),
                        "first line: " << line);
  return static_cast<std::uint16_t>(std::stoi(m[1]));
}

} // namespace

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(serves_until_sigterm_and_exits_zero) {
  Process p({"--generate", "5", "--api-key", "sk_test_1", "--threads", "2"});
  auto line = p.read_line();
  BOOST_REQUIRE(line);
  auto port = port_of(*line);
  auto r = fetch(port, "/v1/campaigns/cmp_000001", {{"Authorization", "Bearer sk_test_1"}});
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == campaign::mock::generated_record(1));
  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_000001").status == 401);
  p.signal(SIGTERM);
  BOOST_TEST(p.wait_exit() == 0);
}

BOOST_AUTO_TEST_CASE(fixtures_faults_and_sigint) {
  auto file = std::filesystem::temp_directory_path() / ("campaign-mock-fixtures-" + std::to_string(getpid()));
  {
    std::ofstream out(file);
    out << R"({"id":"cmp_a","n":5.0})" << "\n\n" << R"({"id":"cmp_b"})" << "\r\n";
  }
  Process p({"--fixtures", file.string(), "--script", "cmp_b=503,429", "--retry-after", "2", "--port", "0"});
  auto line = p.read_line();
  std::filesystem::remove(file);
  BOOST_REQUIRE(line);
  auto port = port_of(*line);
  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_a").body == R"({"id":"cmp_a","n":5.0})");
  auto busy = fetch(port, "/v1/campaigns/cmp_b");
  BOOST_TEST(busy.status == 503);
  BOOST_TEST(busy.header("Retry-After").value_or("") == "2");
  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_b").status == 429);
  BOOST_TEST(fetch(port, "/v1/campaigns/cmp_b").status == 200);
  p.signal(SIGINT);
  BOOST_TEST(p.wait_exit() == 0);
}

BOOST_AUTO_TEST_CASE(random_fault_option) {
  Process p({"--generate", "1", "--fault", "502:1"});
  auto line = p.read_line();
  BOOST_REQUIRE(line);
  BOOST_TEST(fetch(port_of(*line), "/v1/campaigns/cmp_000000").status == 502);
  p.signal(SIGTERM);
  BOOST_TEST(p.wait_exit() == 0);
}

BOOST_AUTO_TEST_CASE(revision_2_options) {
  Process p({"--generate", "50", "--dialect", "live", "--envelope", "items", "--rate-limit", "4/3600",
             "--list-fault", "fail-once:2", "--list-fault", "insert-head:1", "--api-key", "sk_k"});
  auto line = p.read_line();
  BOOST_REQUIRE(line);
  auto port = port_of(*line);
  const Headers key = {{"Authorization", "Bearer sk_k"}};
  auto rec = fetch(port, "/v1/campaigns/cmp_000001", key);
  BOOST_TEST(rec.body == campaign::mock::generated_record(1, campaign::mock::Dialect::live));
  BOOST_TEST(rec.header("X-RateLimit-Remaining").value_or("") == "3");
  auto page = fetch(port, "/v1/campaigns?page=1&limit=10", key);
  BOOST_TEST(page.body.starts_with(R"({"items":[{"id":"cmp_000049")"));
  BOOST_TEST(page.body.ends_with(R"(],"total":50,"page":1,"limit":10})"));
  auto failed = fetch(port, "/v1/call-logs/campaign/cmp_000049?page=2", key);
  BOOST_TEST(failed.status == 503);
  BOOST_TEST(failed.body.starts_with(R"({"statusCode":503,)"));
  auto logs = fetch(port, "/v1/call-logs/campaign/cmp_000050?page=1", key);  // inserted after page 1
  BOOST_TEST(logs.status == 200);
  auto limited = fetch(port, "/v1/campaigns", key);
  BOOST_TEST(limited.status == 429);
  BOOST_TEST(limited.header("Retry-After").has_value());
  p.signal(SIGTERM);
  BOOST_TEST(p.wait_exit() == 0);
}

BOOST_AUTO_TEST_CASE(help_and_usage_errors) {
  {
    Process p({"--help"});
    std::string all;
    while (auto l = p.read_line()) all += *l + "\n";
    BOOST_TEST(all.find("Examples:") != std::string::npos);
    BOOST_TEST(all.find("--fault") != std::string::npos);
    for (const char* option : {"--dialect", "--envelope", "--rate-limit", "--list-fault", "insert-head:K",
                               "repeat-last", "lying-total-pages:N", "fail-once:P"})
      BOOST_TEST(all.find(option) != std::string::npos, option);
    BOOST_TEST(p.wait_exit() == 0);
  }
  {
    Process p({"--no-such-option"});
    BOOST_TEST(p.wait_exit() == 2);
  }
  {
    Process p({"--fault", "explode"});
    BOOST_TEST(p.wait_exit() == 2);
  }
  {
    Process p({"--fault", "503:0.7", "--fault", "500:0.6"});
    BOOST_TEST(p.wait_exit() == 2);
  }
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"--dialect", "nest"},
                                                                             {"--envelope", "list"},
                                                                             {"--rate-limit", "5"},
                                                                             {"--rate-limit", "0/60"},
                                                                             {"--list-fault", "explode"},
                                                                             {"--list-fault", "insert-head"}}) {
    Process p(args);
    BOOST_TEST(p.wait_exit() == 2, args[0] << " " << args[1]);
  }
}

BOOST_AUTO_TEST_SUITE_END()
