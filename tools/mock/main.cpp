// campaign-mock: serve the Campaigns API locally until SIGINT/SIGTERM.
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <pthread.h>

#include <CLI/CLI.hpp>

#include "campaign_mock/fault_spec.hpp"
#include "campaign_mock/fixtures.hpp"
#include "campaign_mock/server.hpp"

namespace {

constexpr const char* examples = R"(Examples:
  campaign-mock --generate 1000
      1000 synthetic records cmp_000000..cmp_000999 on a free port; any key accepted
  campaign-mock --port 8080 --fixtures records.ndjson --api-key sk_test_123
      your records (JSON array or NDJSON); other keys get 401
  campaign-mock --generate 10 --fault 503:0.2 --fault reset:0.05 --retry-after 1 --seed 7
      20% of requests get 503 with Retry-After: 1, 5% are reset, reproducibly
  campaign-mock --generate 10 --script cmp_000001=429,503 --latency-ms 20
      the next two requests for cmp_000001 fail, then it answers normally
  campaign-mock --generate 10 --advance 25
      every GET moves 25 pending calls to completed (for `campaign watch`)
  campaign-mock --generate 1000 --threads 4 --tls-cert cert.pem --tls-key key.pem
  campaign-mock --generate 57 --envelope items --rate-limit 100/60
      GET /v1/campaigns?page=2&limit=20 and /v1/call-logs/campaign/cmp_000049 as
      {"items":[...],"total":57,"page":2,"limit":20}; 100 requests per key per minute
  campaign-mock --generate 57 --dialect live --list-fault insert-head:2 --list-fault fail-once:2
      the live API's names and error envelope; 2 new campaigns at the head after
      every page; page 2 answers 503 once

The first stdout line is "listening on http://HOST:PORT" (or https); the API
is under that origin plus --prefix (default /v1).)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "ID=KIND,KIND" -> the faults scripted for ID.
std::pair<std::string, std::vector<campaign::mock::Fault>> parse_script(
    const std::string& spec, const campaign::mock::FaultDefaults& d) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("--script " + spec + ": expected ID=KIND,...");
  std::vector<campaign::mock::Fault> faults;
  std::stringstream kinds(spec.substr(eq + 1));
  for (std::string kind; std::getline(kinds, kind, ',');) {
    auto [fault, rate] = campaign::mock::parse_fault_spec(kind, d);
    if (rate != 1) throw std::invalid_argument("--script " + spec + ": scripted faults take no rate");
    faults.push_back(std::move(fault));
  }
  return {spec.substr(0, eq), std::move(faults)};
}

}  // namespace

int main(int argc, char** argv) {
  campaign::mock::Options o;
  campaign::mock::FaultDefaults defaults;
  std::string fixtures;
  std::size_t generate = 0;
  std::vector<std::string> faults, scripts;
  long long latency_ms = 0, idle_ms = 60000, write_ms = 30000, slow_ms = 50;
  std::string retry_after, retry_after_ms, should_retry, rate_limit, dialect = "reference", envelope = "data";
  std::vector<std::string> list_faults;

  CLI::App app{
      "campaign-mock: a local stand-in for the Campaigns API (GET {prefix}/campaigns/{id}),\n"
      "with fault injection, for demos, tests and benchmarks."};
  app.footer(examples);
  app.get_formatter()->column_width(36);
  app.add_option("--port", o.port, "port to listen on; 0 picks a free one")->default_val(0);
  app.add_option("--host", o.host, "address to listen on")->default_val("127.0.0.1");
  app.add_option("--threads", o.threads, "io threads")->default_val(1)->check(CLI::Range(1, 256));
  app.add_option("--prefix", o.prefix, "API version prefix")->default_val("/v1");
  app.add_option("--fixtures", fixtures, "records to serve: a JSON array or NDJSON")
      ->check(CLI::ExistingFile);
  app.add_option("--generate", generate, "serve N synthetic records cmp_000000..");
  app.add_option("--api-key", o.api_keys, "accepted bearer key (repeatable); none given: any key")
      ->take_all()
      ->allow_extra_args(false);
  app.add_option("--forbidden-key", o.forbidden_keys, "key that gets 403 on every campaign (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--tls-cert", o.tls_cert_file, "PEM certificate chain: serve HTTPS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", o.tls_key_file, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  app.add_option("--latency-ms", latency_ms, "delay before every response")->check(CLI::NonNegativeNumber);
  app.add_option("--fault", faults,
                 "KIND[:RATE] (repeatable): KIND is a status code (429, 500, 502, 503, 504, ...), reset,\n"
                 "reset-headers, reset-body, truncate, slow, hang, garbage, oversized or redirect;\n"
                 "RATE a probability, default 1")
      ->allow_extra_args(false);
  app.add_option("--script", scripts, "ID=KIND,KIND,...: the next requests for ID get these faults in order")
      ->allow_extra_args(false);
  app.add_option("--retry-after", retry_after, "Retry-After value for injected 429 and 503");
  app.add_option("--retry-after-ms", retry_after_ms, "retry-after-ms value for injected 429 and 503");
  app.add_option("--should-retry", should_retry, "x-should-retry value for injected statuses");
  app.add_option("--slow-ms", slow_ms, "slow: delay between body bytes")
      ->default_val(50)
      ->check(CLI::NonNegativeNumber);
  app.add_option("--oversized-bytes", defaults.oversized_bytes, "oversized: body size")
      ->default_val(16u << 20);
  app.add_option("--redirect-location", defaults.location, "redirect: Location value")->default_val("/moved");
  app.add_option("--seed", o.seed, "seed for random faults")->default_val(1);
  app.add_option("--advance", o.advance, "each GET moves N pending calls to completed")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--max-requests-per-connection", o.max_requests_per_connection,
                 "close after N requests; 0: no limit");
  app.add_option("--idle-timeout-ms", idle_ms, "close idle connections after this long")->default_val(60000);
  app.add_option("--write-timeout-ms", write_ms,
                 "close a connection whose client takes no response bytes for this long; 0: never")
      ->default_val(30000)
      ->check(CLI::NonNegativeNumber);
  app.add_option("--dialect", dialect,
                 "reference: docs/api.md's names and {\"error\":{...}} bodies; live: organization_id,\n"
                 "duration_sec and {\"statusCode\",\"message\",\"error\"} bodies (400 for a bad id)")
      ->check(CLI::IsMember({"reference", "live"}))
      ->default_val("reference");
  app.add_option("--envelope", envelope,
                 "list pages: data {\"data\":[...],\"meta\":{...}}, items {\"items\":[...],\"total\",...}\n"
                 "or array [...]")
      ->check(CLI::IsMember({"data", "items", "array"}))
      ->default_val("data");
  app.add_option("--rate-limit", rate_limit,
                 "N/SECONDS: N requests per key per window (fixed, from the key's first request);\n"
                 "X-RateLimit-* on every response, 429 with Retry-After past it");
  app.add_option("--list-fault", list_faults,
                 "KIND (repeatable, combined): insert-head:K (K new campaigns at the head after each\n"
                 "page), repeat-last (pages past the last repeat it, meta claims more),\n"
                 "lying-total-pages:N (meta.totalPages is N), fail-once:P (page P: 503 once per list)")
      ->allow_extra_args(false);
  app.add_option("--busy-call-logs", o.busy_call_logs,
                 "call logs of each busy generated campaign (cmp_000049, cmp_000099, ...; default 250)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{100'000'000}));
  app.add_option("--request-log", o.request_log_file,
                 "append every request to FILE as a JSON line (connection, request, method, target,\n"
                 "server_name, headers), flushed at once: for tests in other processes");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    o.latency = std::chrono::milliseconds(latency_ms);
    o.idle_timeout = std::chrono::milliseconds(idle_ms);
    o.write_timeout = std::chrono::milliseconds(write_ms);
    if (!retry_after.empty()) defaults.retry_after = retry_after;
    if (!retry_after_ms.empty()) defaults.retry_after_ms = retry_after_ms;
    if (!should_retry.empty()) defaults.should_retry = should_retry;
    defaults.slow_delay = std::chrono::milliseconds(slow_ms);
    using campaign::mock::Envelope;
    o.dialect = dialect == "live" ? campaign::mock::Dialect::live : campaign::mock::Dialect::reference;
    o.envelope = envelope == "items"   ? Envelope::items
                 : envelope == "array" ? Envelope::array
                                       : Envelope::data;
    if (!rate_limit.empty()) o.rate_limit = campaign::mock::parse_rate_limit(rate_limit);
    for (const auto& spec : list_faults) campaign::mock::parse_list_fault(spec, o.list_faults);
    double total_rate = 0;
    for (const auto& spec : faults) {
      o.random_faults.push_back(campaign::mock::parse_fault_spec(spec, defaults));
      total_rate += o.random_faults.back().second;
    }
    if (total_rate > 1) throw std::invalid_argument("--fault rates add up to more than 1");
    std::vector<std::pair<std::string, std::vector<campaign::mock::Fault>>> scripted;
    for (const auto& spec : scripts) scripted.push_back(parse_script(spec, defaults));
    std::string fixture_text = fixtures.empty() ? std::string() : read_file(fixtures);

    // Block the stop signals before the server starts its threads, so that
    // they inherit the mask and sigwait() below is the only receiver.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    campaign::mock::Server server(o);
    std::size_t loaded = fixture_text.empty() ? 0 : campaign::mock::load_fixtures(server, fixture_text);
    if (generate) server.generate(generate);
    for (auto& [id, list] : scripted) server.script(id, std::move(list));

    std::cout << "listening on " << server.origin() << std::endl;
    std::cerr << "campaign-mock: " << loaded + generate << " records at " << server.base_url()
              << " (Ctrl-C to stop)" << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
    return 0;
  } catch (const CLI::Error& e) {
    std::cerr << "campaign-mock: " << e.what() << '\n';
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "campaign-mock: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "campaign-mock: " << e.what() << '\n';
    return 1;
  }
}
