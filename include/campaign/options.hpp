// campaign/options.hpp: everything a Client can be configured with.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace campaign {

enum class LogLevel : std::uint8_t { debug = 0, info = 1, warning = 2, error = 3 };
// Receives the library's log lines (never containing the API key). Called
// from the client's I/O threads: keep it short and thread-safe.
using LogHook = std::function<void(LogLevel, std::string_view message)>;

struct TlsOptions {
  std::string ca_file;  // PEM bundle to trust instead of the system store
  std::string ca_dir;   // hashed CA directory (c_rehash) to trust
  // Turns off certificate chain and host name verification. Only for local
  // experiments: anyone on the path can then read the API key.
  bool insecure_skip_verify = false;
};

// Client::create refuses values out of these bounds (invalid_argument):
// timeouts 1 ms..24 h; idle_timeout, backoff_*, max_retry_after 0..24 h;
// max_retries 0..100; max_connections 1..4096; max_body_bytes 1 B..1 GiB;
// max_header_bytes 1 KiB..16 MiB; retry budget values 0..1e6, not NaN.
struct ClientOptions {
  // "https://api.example.com/v1": scheme http or https, host, optional port
  // and path prefix. Requests go to {base_url}/campaigns/{id}.
  std::string base_url;
  // Sent as "Authorization: Bearer <api_key>" to base_url's origin only.
  std::string api_key;

  // One attempt, from connect to the last body byte (a trickling body
  // still times out).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  // Connecting (DNS, TCP, TLS handshake), within the attempt's timeout.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Everything: all attempts and the waits between them.
  std::chrono::milliseconds total_timeout{std::chrono::seconds(120)};

  // Retries after the first attempt (0 disables). Retried: 408, 429, 500,
  // 502, 503, 504, connection failures, resets and attempts that timed out;
  // a response's "x-should-retry: true|false" overrides.
  int max_retries = 2;
  std::chrono::milliseconds backoff_initial{500};  // exponential, full jitter
  std::chrono::milliseconds backoff_max{8000};
  // A server asking (Retry-After) for a longer wait than this is not retried.
  std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};
  // Retry budget: each first attempt earns this many retry tokens, each
  // retry spends one, and the bucket holds at most retry_budget_burst. Under
  // a total outage a batch of N sends about (1 + ratio) * N requests.
  double retry_budget_ratio = 0.1;
  double retry_budget_burst = 20.0;

  std::size_t max_body_bytes = 8u << 20;     // enforced while reading
  std::size_t max_header_bytes = 64u << 10;  // response header block
  std::size_t max_connections = 64;          // per I/O thread, kept alive
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  int io_threads = 1;  // threads the client owns (ignored when attached)

  // docs/api.md, "Rate limits": attempts wait while the key's window has
  // nothing left (less what is in flight) instead of collecting 429s. Off:
  // every attempt is sent at once and a 429 is retried like any other.
  bool rate_limit_gate = true;
  // Concurrent get()/submit()/async_get() of one ID share one request; each
  // caller keeps its own cancellation and deadline (docs/decisions.md,
  // "Coalescing"). get_many() never coalesces: each input line is fetched.
  bool coalesce = true;

  std::string user_agent_suffix;  // appended to "campaign/<version>"
  TlsOptions tls;
  LogHook log;

  // A preset for code on a call path (PBX dialplans): fail within ~2 s,
  // one retry, short connect.
  static ClientOptions fail_fast(std::string base_url, std::string api_key);
};

}  // namespace campaign
