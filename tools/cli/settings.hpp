// settings.hpp: everything the command line (and the environment) decided.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace campaign::cli {

enum class Command { get, batch, watch, list, calls };

// --format; `automatic` means: table when stdout is a terminal (get, watch),
// JSON otherwise. batch always prints NDJSON.
enum class Format { automatic, json, table, ndjson };

struct Settings {
  Command command = Command::get;
  std::vector<std::string> ids;  // get: one or more; watch, calls: exactly one
  std::string input = "-";       // batch: FILE or "-" (stdin)

  std::string base_url;  // --base-url, else CAMPAIGN_BASE_URL
  std::string api_key;   // --api-key, else CAMPAIGN_API_KEY (never printed)
  std::chrono::milliseconds timeout{30000};  // --timeout, per attempt
  int retries = 2;                           // --retries
  int concurrency = 32;                      // --concurrency
  std::string ca_file;                       // --ca-file
  Format format = Format::automatic;         // --format
  bool verbose = false;                      // --verbose: library log lines on stderr
  bool rate_limit_gate = true;               // --no-rate-limit-gate turns it off

  std::chrono::milliseconds avg_call{180000};  // --avg-call-seconds (get, watch)
  std::chrono::milliseconds interval{2000};    // --interval (watch)

  // list, calls
  std::string status;                   // --status (list): sent as ?status=
  unsigned page_limit = 0;              // --limit: page size; 0: the server's maximum
  std::optional<std::uint64_t> max_items;  // --max: items printed at most
  bool ids_only = false;                // --ids (list): one ID per line
};

}  // namespace campaign::cli
