// exit_codes.hpp: the exit codes of docs/interfaces.md, and the error kind -> code map.
#pragma once

#include <campaign/error.hpp>

namespace campaign::cli {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int internal = 1;
inline constexpr int usage = 2;             // bad option, bad ID, missing URL/key
inline constexpr int not_found = 3;
inline constexpr int auth = 4;              // unauthorized, forbidden
inline constexpr int server = 5;            // rate_limited, server_error, http_error
inline constexpr int transport = 6;         // timeout, network, tls
inline constexpr int bad_response = 7;      // invalid_response, too_large
inline constexpr int batch_failures = 9;    // batch: at least one ID failed
inline constexpr int interrupted = 130;     // Ctrl-C (and SIGTERM, SIGHUP)
}  // namespace exit_code

int exit_code_for(ErrorKind kind) noexcept;

}  // namespace campaign::cli
