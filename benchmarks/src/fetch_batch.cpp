// campaign-bench-fetch: the project's batch fetcher as a benchmark client.
// Reads IDs (one per line) from a file as it goes, fetches them all with
// Client::get_many at the given concurrency, checks that every record's id
// is the one asked for, and prints one JSON line of counters.
//
//   campaign-bench-fetch --base-url URL --api-key KEY --ids FILE --concurrency N
//                        [--io-threads T] [--timeout SECONDS] [--no-rate-limit-gate]
//
// --no-rate-limit-gate sets ClientOptions::rate_limit_gate = false (every
// attempt is sent at once and a 429 is retried like any other failure): the
// gate-off baseline of the rate-limit benchmark.
#include <campaign/client.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  std::string base_url, api_key, ids_path;
  std::size_t concurrency = 64;
  int io_threads = 1;
  double timeout_s = 30;
  bool gate = true;
  CLI::App app{"campaign-bench-fetch: Client::get_many over the IDs in a file"};
  app.add_option("--base-url", base_url)->required();
  app.add_option("--api-key", api_key)->required();
  app.add_option("--ids", ids_path, "one ID per line")->required();
  app.add_option("--concurrency", concurrency)->check(CLI::PositiveNumber);
  app.add_option("--io-threads", io_threads)->check(CLI::PositiveNumber);
  app.add_option("--timeout", timeout_s, "seconds per get")->check(CLI::PositiveNumber);
  app.add_flag("!--no-rate-limit-gate", gate, "every attempt at once; a 429 retried like any failure");
  CLI11_PARSE(app, argc, argv);
  std::ifstream in(ids_path);
  if (!in) {
    std::fprintf(stderr, "campaign-bench-fetch: cannot read %s\n", ids_path.c_str());
    return 2;
  }

  campaign::ClientOptions o;
  o.base_url = base_url;
  o.api_key = api_key;
  o.io_threads = io_threads;
  o.max_connections = concurrency > 64 ? concurrency : 64;
  o.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
  o.rate_limit_gate = gate;
  auto client = campaign::Client::create(o);
  if (!client) {
    std::fprintf(stderr, "campaign-bench-fetch: %s\n", client.error().message.c_str());
    return 2;
  }

  std::size_t ok = 0, failed = 0, mismatched = 0;
  std::string line;
  auto next_id = [&]() -> std::optional<std::string> {
    while (std::getline(in, line)) {
      if (!line.empty()) return line;
    }
    return std::nullopt;
  };
  auto sink = [&](campaign::BatchItem&& item) {
    if (!item.result) {
      if (++failed <= 3)
        std::fprintf(stderr, "%s: %s\n", item.id.c_str(), item.result.error().message.c_str());
    } else if (item.result->id() != item.id) {
      ++mismatched;
    } else {
      ++ok;
    }
    return true;
  };
  campaign::BatchOptions bo;
  bo.concurrency = concurrency;
  auto t0 = std::chrono::steady_clock::now();
  auto summary = client->get_many(next_id, sink, bo);
  auto t1 = std::chrono::steady_clock::now();
  auto st = client->stats();
  using ull = unsigned long long;
  std::printf("{\"requests\":%zu,\"ok\":%zu,\"failed\":%zu,\"id_mismatch\":%zu,\"seconds\":%.6f,"
              "\"attempts\":%llu,\"retries\":%llu,\"connections_opened\":%llu,"
              "\"connections_reused\":%llu,\"rate_limit_gate\":%s,\"responses_429\":%llu,"
              "\"rate_limit_waits\":%llu,\"rate_limit_wait_ms\":%llu,\"budget_denied\":%llu,"
              "\"window_decreases\":%zu,\"smallest_window\":%zu,\"final_window\":%zu,"
              "\"rate_limited_failures\":%zu}\n",
              summary.total, ok, failed, mismatched, std::chrono::duration<double>(t1 - t0).count(),
              static_cast<ull>(st.attempts), static_cast<ull>(st.retries),
              static_cast<ull>(st.connections_opened), static_cast<ull>(st.connections_reused),
              gate ? "true" : "false", static_cast<ull>(st.responses_429),
              static_cast<ull>(st.rate_limit_waits), static_cast<ull>(st.rate_limit_wait_ms),
              static_cast<ull>(st.budget_denied), summary.window_decreases, summary.smallest_window,
              summary.final_window, summary.by_kind[static_cast<std::size_t>(campaign::ErrorKind::rate_limited)]);
  return (failed || mismatched) ? 1 : 0;
}
