// process.hpp: run a program with pipes (or a pseudo-terminal) and talk to it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cli_test {

// The API key every test uses; no output of any test may contain it.
inline constexpr std::string_view canary_key = "sk_canary_7f3a9c";

struct Outcome {
  int exit_code = -1;  // -1 when killed by a signal (then `signal` is set)
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
};

struct Launch {
  std::vector<std::string> args;         // args[0] is the program path
  std::vector<std::string> env;          // the whole environment, "NAME=value"
  std::optional<std::string> stdin_data; // nullopt: /dev/null
  bool stdout_pty = false;               // stdout on a pseudo-terminal
  bool stderr_pty = false;               // stderr on (another) pseudo-terminal
  bool inherit_stderr = false;           // stderr straight to ours (for servers)
};

// A running child process. Output is collected as it arrives; waiting for a
// piece of it is how tests synchronise (no sleeps).
class Child {
 public:
  explicit Child(Launch launch);
  ~Child();  // SIGKILLs and reaps a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads until `needle` appears in stdout (stderr if from_stderr) or timeout.
  bool wait_for(std::string_view needle, bool from_stderr = false,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void send_signal(int sig);
  // Closes our end of the stdout pipe: the child's next write gets EPIPE.
  void close_stdout();
  // Feeds stdin, reads everything until EOF, reaps. SIGKILL after timeout.
  Outcome finish(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  int pid() const { return pid_; }

 private:
  // One round of poll(); false once the deadline passed.
  bool pump(std::chrono::steady_clock::time_point deadline);
  int pid_ = -1;
  int in_fd_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string in_data_;
  std::size_t in_pos_ = 0;
  std::string out_, err_;
  bool reaped_ = false;
};

// Runs to completion and checks that no output contains the canary key.
Outcome run(Launch launch, std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The environment for the CLI: PATH, CAMPAIGN_API_KEY=<canary> and, when
// given, CAMPAIGN_BASE_URL, plus `extra` ("NAME=value").
std::vector<std::string> cli_env(const std::string& base_url, std::vector<std::string> extra = {});

// Runs the campaign CLI with args and that environment.
Outcome run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env,
                std::optional<std::string> stdin_data = std::nullopt);

// Lines of text without their "\n" (a last line without one counts too).
std::vector<std::string> lines_of(std::string_view text);
std::string read_text_file(const std::string& path);
std::string data_path(const std::string& name);

// A fresh temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace cli_test
