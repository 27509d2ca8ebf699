// commands.hpp: the commands. Each returns the process exit code.
#pragma once

#include "interrupts.hpp"
#include "output.hpp"
#include "settings.hpp"

namespace campaign::cli {

int run_get(const Settings& settings, Interrupts& interrupts, StdoutWriter& out);
int run_batch(const Settings& settings, Interrupts& interrupts, StdoutWriter& out);
int run_watch(const Settings& settings, Interrupts& interrupts, StdoutWriter& out);
int run_list(const Settings& settings, Interrupts& interrupts, StdoutWriter& out);
int run_calls(const Settings& settings, Interrupts& interrupts, StdoutWriter& out);

// The exit code after stdout failed: 0 for a closed pipe (the reader is
// done, e.g. `| head`), 1 with an error line for anything else.
int stdout_failure_code(const StdoutWriter& out);

}  // namespace campaign::cli
