// campaign: the command-line tool. See tools/cli/README.md and `campaign --help`.
#include "args.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "interrupts.hpp"
#include "output.hpp"

#include <csignal>
#include <cstring>
#include <exception>

int main(int argc, char** argv) {
  using namespace campaign::cli;
  // A closed stdout pipe shows up as EPIPE on write (StdoutWriter), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    ParsedArgs parsed = parse_args(argc, argv);
    if (!parsed.settings) return parsed.exit_code;
    const Settings& settings = *parsed.settings;

    Interrupts interrupts;  // before any thread starts
    StdoutWriter out;
    int code = exit_code::internal;
    switch (settings.command) {
      case Command::get: code = run_get(settings, interrupts, out); break;
      case Command::batch: code = run_batch(settings, interrupts, out); break;
      case Command::watch: code = run_watch(settings, interrupts, out); break;
      case Command::list: code = run_list(settings, interrupts, out); break;
      case Command::calls: code = run_calls(settings, interrupts, out); break;
    }
    if (!out.flush() && code == exit_code::ok) code = stdout_failure_code(out);
    return code;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return exit_code::internal;
  }
}

namespace campaign::cli {
int stdout_failure_code(const StdoutWriter& out) {
  if (out.error() == 0) return exit_code::ok;
  print_error(std::string("error: writing to stdout: ") + std::strerror(out.error()));
  return exit_code::internal;
}
}  // namespace campaign::cli
