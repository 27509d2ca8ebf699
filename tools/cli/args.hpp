// args.hpp: the command line (CLI11) and the environment -> Settings.
#pragma once

#include "settings.hpp"

#include <optional>

namespace campaign::cli {

struct ParsedArgs {
  std::optional<Settings> settings;  // set: run the command
  int exit_code = 0;                 // otherwise: exit with this (help, version, usage error)
};

// Parses argv. Prints help/version on stdout (exit 0) or one usage error line
// on stderr (exit 2) itself; never prints the API key.
ParsedArgs parse_args(int argc, char** argv);

}  // namespace campaign::cli
