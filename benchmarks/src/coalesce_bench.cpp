// campaign-bench-coalesce: N concurrent gets of one ID (the PBX case: 500
// calls asking "is cmp_x paused?" at once) and what they cost.
//
// The client runs on this program's io_context (Client::create(ioc, ...)),
// and every async_get is started before the io_context runs, so all N are
// in the client's hands before the first byte is sent: "at once" exactly,
// whatever the machine's speed. Each result's id is checked. Prints one
// JSON line: the client's counters (requests, attempts, coalesced) and the
// outcome; the server's own count is taken by the driver (bench.py, from
// campaign-mock's --request-log).
//
//   campaign-bench-coalesce --base-url URL --api-key KEY [--id ID] [--gets N]
//                           [--no-coalesce] [--timeout SECONDS]
#include <campaign/client.hpp>

#include <CLI/CLI.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  std::string base_url, api_key, id = "cmp_000042";
  std::size_t gets = 500;
  bool coalesce = true;
  double timeout_s = 30;
  CLI::App app{"campaign-bench-coalesce: N concurrent gets of one ID"};
  app.add_option("--base-url", base_url)->required();
  app.add_option("--api-key", api_key)->required();
  app.add_option("--id", id);
  app.add_option("--gets", gets)->check(CLI::PositiveNumber);
  app.add_flag("!--no-coalesce", coalesce, "every get sends its own request");
  app.add_option("--timeout", timeout_s, "seconds per get")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  boost::asio::io_context ioc;
  campaign::ClientOptions o;
  o.base_url = base_url;
  o.api_key = api_key;
  o.coalesce = coalesce;
  o.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
  auto client = campaign::Client::create(ioc, o);
  if (!client) {
    std::fprintf(stderr, "campaign-bench-coalesce: %s\n", client.error().message.c_str());
    return 2;
  }

  std::size_t ok = 0, failed = 0, mismatched = 0, done = 0;
  auto t0 = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point t_last{};
  for (std::size_t i = 0; i < gets; ++i) {
    client->async_get(id, [&](campaign::Result<campaign::Campaign> r) {
      if (!r) {
        if (++failed <= 3) std::fprintf(stderr, "%s: %s\n", id.c_str(), r.error().message.c_str());
      } else if (r->id() != id) {
        ++mismatched;
      } else {
        ++ok;
      }
      if (++done == gets) {
        t_last = std::chrono::steady_clock::now();
        ioc.stop();  // pooled connections and their idle timers would keep run() going
      }
    });
  }
  ioc.run();  // stopped when the last get has completed
  if (done != gets) t_last = std::chrono::steady_clock::now();
  auto st = client->stats();
  using ull = unsigned long long;
  std::printf("{\"gets\":%zu,\"ok\":%zu,\"failed\":%zu,\"id_mismatch\":%zu,\"seconds\":%.6f,\"coalesce\":%s,"
              "\"requests\":%llu,\"attempts\":%llu,\"retries\":%llu,\"coalesced\":%llu,"
              "\"connections_opened\":%llu,\"responses_429\":%llu}\n",
              gets, ok, failed, mismatched, std::chrono::duration<double>(t_last - t0).count(),
              coalesce ? "true" : "false", static_cast<ull>(st.requests), static_cast<ull>(st.attempts),
              static_cast<ull>(st.retries), static_cast<ull>(st.coalesced),
              static_cast<ull>(st.connections_opened), static_cast<ull>(st.responses_429));
  return (failed || mismatched || ok != gets) ? 1 : 0;
}
