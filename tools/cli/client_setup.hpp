// client_setup.hpp: the campaign::Client the command line describes.
#pragma once

#include "settings.hpp"

#include <campaign/client.hpp>

namespace campaign::cli {

ClientOptions client_options(const Settings& settings);
// Creates the client; on failure prints the error line and returns nullopt
// with the exit code in *exit_code.
std::optional<Client> make_client(const Settings& settings, int* exit_code);

}  // namespace campaign::cli
