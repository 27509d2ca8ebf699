#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char** environ;

namespace cli_test {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// A pseudo-terminal: the master for us, the slave's path for the child.
int open_pty(std::string& slave_path) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  check(master >= 0, "posix_openpt");
  check(::grantpt(master) == 0 && ::unlockpt(master) == 0, "grantpt/unlockpt");
  const char* name = ::ptsname(master);
  check(name != nullptr, "ptsname");
  slave_path = name;
  return master;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

Child::Child(Launch launch) {
  std::signal(SIGPIPE, SIG_IGN);  // writing to a child that exited must not kill the test

  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int out_slave = -1, err_slave = -1;
  if (launch.stdin_data) check(::pipe2(in_pipe, O_CLOEXEC) == 0, "pipe");
  auto make_output = [&](bool pty, int pipe_fds[2], int& slave, int& ours) {
    if (pty) {
      std::string path;
      ours = open_pty(path);
      slave = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
      check(slave >= 0, "open pty slave");
      winsize ws{};
      ws.ws_row = 40;
      ws.ws_col = 100;
      ::ioctl(slave, TIOCSWINSZ, &ws);
    } else {
      check(::pipe2(pipe_fds, O_CLOEXEC) == 0, "pipe");
      slave = pipe_fds[1];
      ours = pipe_fds[0];
    }
  };
  make_output(launch.stdout_pty, out_pipe, out_slave, out_fd_);
  if (!launch.inherit_stderr) make_output(launch.stderr_pty, err_pipe, err_slave, err_fd_);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (launch.stdin_data) posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_slave, 1);
  if (!launch.inherit_stderr) posix_spawn_file_actions_adddup2(&actions, err_slave, 2);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv, envp;
  for (auto& a : launch.args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : launch.env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (launch.stdin_data) ::close(in_pipe[0]);
  if (out_slave >= 0) ::close(out_slave);
  if (err_slave >= 0) ::close(err_slave);
  if (rc != 0) {
    errno = rc;
    check(false, ("posix_spawn " + launch.args[0]).c_str());
  }
  pid_ = pid;
  if (launch.stdin_data) {
    in_fd_ = in_pipe[1];
    in_data_ = std::move(*launch.stdin_data);
    ::fcntl(in_fd_, F_SETFL, ::fcntl(in_fd_, F_GETFL) | O_NONBLOCK);
    if (in_data_.empty()) close_fd(in_fd_);
  }
}

Child::~Child() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  close_fd(in_fd_);
  close_fd(out_fd_);
  close_fd(err_fd_);
}

bool Child::pump(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd fds[3];
  int n = 0;
  int in_i = -1, out_i = -1, err_i = -1;
  if (in_fd_ >= 0) fds[in_i = n++] = {in_fd_, POLLOUT, 0};
  if (out_fd_ >= 0) fds[out_i = n++] = {out_fd_, POLLIN, 0};
  if (err_fd_ >= 0) fds[err_i = n++] = {err_fd_, POLLIN, 0};
  if (n == 0) return true;
  int r = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<long long>(left.count(), 1000)));
  if (r < 0 && errno != EINTR) throw std::runtime_error("poll failed");
  if (r <= 0) return true;
  auto drain = [](int& fd, short revents, std::string& sink) {
    if (revents == 0) return;
    char buf[65536];
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got > 0) sink.append(buf, static_cast<std::size_t>(got));
    else if (got == 0 || (errno != EINTR && errno != EAGAIN)) close_fd(fd);  // EOF (EIO on a pty)
  };
  if (in_i >= 0 && fds[in_i].revents != 0) {
    ssize_t put = ::write(in_fd_, in_data_.data() + in_pos_, in_data_.size() - in_pos_);
    if (put > 0) in_pos_ += static_cast<std::size_t>(put);
    if ((put < 0 && errno != EAGAIN && errno != EINTR) || in_pos_ == in_data_.size()) close_fd(in_fd_);
  }
  if (out_i >= 0) drain(out_fd_, fds[out_i].revents, out_);
  if (err_i >= 0) drain(err_fd_, fds[err_i].revents, err_);
  return true;
}

bool Child::wait_for(std::string_view needle, bool from_stderr, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::string& s = from_stderr ? err_ : out_;
    if (s.find(needle) != std::string::npos) return true;
    if ((from_stderr ? err_fd_ : out_fd_) < 0) return false;  // EOF: it will not come
    if (!pump(deadline)) return false;
  }
}

void Child::send_signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

void Child::close_stdout() { close_fd(out_fd_); }

Outcome Child::finish(std::chrono::milliseconds timeout) {
  Outcome o;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (in_fd_ >= 0 || out_fd_ >= 0 || err_fd_ >= 0) {
    if (!pump(deadline)) {
      o.timed_out = true;
      ::kill(pid_, SIGKILL);
      close_fd(in_fd_);
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while ((out_fd_ >= 0 || err_fd_ >= 0) && pump(deadline)) {
      }
      break;
    }
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.out = out_;
  o.err = err_;
  return o;
}

Outcome run(Launch launch, std::chrono::milliseconds timeout) {
  std::string cmd;
  for (const auto& a : launch.args) cmd += (cmd.empty() ? "" : " ") + a;
  Child child(std::move(launch));
  Outcome o = child.finish(timeout);
  BOOST_TEST_MESSAGE("ran: " << cmd << " -> exit " << o.exit_code);
  BOOST_CHECK_MESSAGE(!o.timed_out, "timed out: " << cmd);
  BOOST_CHECK_MESSAGE(o.out.find(canary_key) == std::string::npos, "API key on stdout of: " << cmd);
  BOOST_CHECK_MESSAGE(o.err.find(canary_key) == std::string::npos, "API key on stderr of: " << cmd);
  return o;
}

std::vector<std::string> cli_env(const std::string& base_url, std::vector<std::string> extra) {
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "CAMPAIGN_API_KEY=" + std::string(canary_key)};
  if (!base_url.empty()) env.push_back("CAMPAIGN_BASE_URL=" + base_url);
  for (auto& e : extra) env.push_back(std::move(e));
  return env;
}

Outcome run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env,
                std::optional<std::string> stdin_data) {
  Launch l;
  l.args = {CAMPAIGN_CLI_EXE};
  l.args.insert(l.args.end(), args.begin(), args.end());
  l.env = env;
  l.stdin_data = std::move(stdin_data);
  return run(std::move(l));
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string data_path(const std::string& name) { return std::string(CAMPAIGN_CLI_TEST_DATA) + "/" + name; }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "campaign-cli-test-XXXXXX").string();
  check(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, std::string_view content) const {
  std::string p = path_ + "/" + name;
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

}  // namespace cli_test
