// campaign-mock: a local server that behaves like the Campaigns API (see
// docs in the API specification, docs/api.md), with fault injection for tests, demos
// and benchmarks. Independent of the campaign client library on purpose:
// it must stay a neutral stand-in for the real API.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace campaign::mock {

// What to do with one request instead of the normal answer.
struct Fault {
  enum class Kind {
    status,                // answer `status` with a docs/api.md error body (or `body`)
    reset_before_headers,  // read the request, then abortive close (RST)
    reset_after_headers,   // send the head of the normal answer, then RST
    reset_mid_body,        // send the head and half the body, then RST
    truncate_body,         // send the head and half the body, then a clean close
    slow_body,             // send the head, then the body one byte per `delay`
    hang,                  // never answer; the connection stays open until stop()
    garbage,               // 200 whose body is not JSON (`body` if set)
    redirect,              // `status` (3xx, else 302) with `Location: location`
    oversized_body,        // 200 with a valid-looking JSON body of `size` bytes, streamed
  };
  Kind kind = Kind::status;
  int status = 503;                           // for status and redirect
  std::optional<std::string> retry_after;     // raw Retry-After value ("1", "0.2", HTTP date)
  std::optional<std::string> retry_after_ms;  // raw retry-after-ms value
  std::optional<std::string> should_retry;    // raw x-should-retry value
  std::string location;                       // for redirect
  std::string body;                           // overrides the error (or garbage) body
  std::chrono::milliseconds delay{0};         // slow_body: between bytes; others: before answering
  std::size_t size = 0;                       // oversized_body: body bytes
};

// The wire shapes (docs/api.md). reference: org_id and {"error":{"type","message"}}
// bodies; live: organization_id, duration_sec and {"statusCode","message","error"}.
enum class Dialect { reference, live };

// What a list page looks like: {"data":[...],"meta":{page,limit,total,totalPages}},
// {"items":[...],"total","page","limit"}, or a bare [...].
enum class Envelope { data, items, array };

// Per API key, fixed windows of `window` starting at the key's first request.
struct RateLimit {
  std::uint64_t limit = 0;  // requests per window; 0: no rate limit
  std::chrono::seconds window{60};
};

// Misbehaviours of the list endpoints (docs/api.md says what a client must survive).
struct ListFaults {
  std::size_t insert_head = 0;  // campaigns list: this many new campaigns at the head after each page
  bool repeat_last = false;     // pages past the last repeat it, meta.totalPages always says one more
  // meta.totalPages is this, whatever the truth.
  std::optional<std::uint64_t> lying_total_pages = std::nullopt;
  // This page answers 503 once per list path (the campaigns list, each call-log list).
  std::optional<std::uint64_t> fail_once_page = std::nullopt;
};

// Call logs of a busy generated campaign by default: two pages at the
// largest limit (200).
inline constexpr std::size_t kBusyCallLogs = 250;

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  int threads = 1;         // io threads, each with its own event loop
  std::string prefix = "/v1";
  std::vector<std::string> api_keys;                    // empty: any bearer key (and none) is accepted
  std::vector<std::string> forbidden_keys;              // valid key, but 403 on every campaign
  std::string tls_cert_file, tls_key_file;              // both set: serve HTTPS
  std::chrono::milliseconds latency{0};                 // added before every response
  std::vector<std::pair<Fault, double>> random_faults;  // per request: fault with that probability
  std::uint64_t seed = 1;                       // random faults depend only on seed and request number
  std::size_t max_requests_per_connection = 0;  // 0 = unlimited; else Connection: close after N
  std::chrono::milliseconds idle_timeout{
      60000};  // close connections idle (or stuck mid-request) this long; 0 = never
  // Close a connection whose client has not taken a write for this long (it
  // never reads); trickled bodies' gaps and the hang fault do not count. 0 = never.
  std::chrono::milliseconds write_timeout{30000};
  // Each GET of a record with integer completed_calls/pending_calls moves this many
  // pending calls to completed (the answer shows the state after the move); at 0
  // pending the status becomes "completed". Cancelled campaigns do not move.
  std::int64_t advance = 0;
  std::size_t log_limit = 10000;  // requests() keeps about the last this many; 0 = no log
  // Each logged request keeps at most this many headers, values cut to
  // log_value_limit bytes, so a hostile request cannot make every slot of
  // the log hold its 16 KiB head for good. (The file log keeps all.)
  static constexpr std::size_t log_header_limit = 64;
  static constexpr std::size_t log_value_limit = 1024;
  // Non-empty: every request is also appended to this file as one JSON line
  // (connection, request, method, target, server_name, headers), flushed at
  // once, so that tests in other processes can count what reached the server.
  std::string request_log_file;
  Dialect dialect = Dialect::reference;
  Envelope envelope = Envelope::data;
  RateLimit rate_limit;
  ListFaults list_faults;
  // Call logs of each busy generated campaign (index % 50 == 49): more than
  // a page at the largest limit by default; a benchmark lists 100,000.
  std::size_t busy_call_logs = kBusyCallLogs;
  // The server's wall clock (Date header, rate-limit windows); empty: system_clock::now.
  std::function<std::chrono::system_clock::time_point()> now;
};

struct RequestLog {
  std::uint64_t connection = 0;  // 1-based, in accept order
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::uint64_t request = 0;                                 // the N of this request's X-Request-Id req_N
  std::string server_name;  // TLS SNI the client sent; empty over plain HTTP or without SNI

  // First header with that name (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

struct Stats {
  std::uint64_t requests = 0;            // requests answered (or faulted)
  std::uint64_t connections = 0;         // connections accepted
  std::uint64_t active_connections = 0;  // connections open now
  std::uint64_t faults = 0;              // scripted and random faults applied
};

class Server {
 public:
  // Binds and starts serving before returning; throws on bind or TLS setup failure.
  explicit Server(Options options);
  ~Server();  // stops and joins every thread
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  std::string origin() const;    // "http://127.0.0.1:PORT" ("https" with TLS)
  std::string base_url() const;  // origin() + prefix, e.g. "http://127.0.0.1:PORT/v1"

  // A JSON object text with a string "id"; served byte for byte as given.
  // Replaces an earlier record with that id. Throws std::invalid_argument.
  void add_record(std::string json);
  // n synthetic records cmp_000000.. (deterministic from the index, varied).
  void generate(std::size_t n);
  // The next requests for `id` get these faults, first in first out, then normal answers.
  void script(std::string id, std::vector<Fault> faults);

  Stats stats() const;
  std::vector<RequestLog> requests() const;  // oldest first
  void clear_log();

  // Closes the listener and every connection, joins the threads. Idempotent, quick.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The text of a generated record (what generate() serves for that index).
std::string generated_record(std::size_t index, Dialect dialect = Dialect::reference);

// How many call logs generated campaign `index` has: index % 7, except
// `busy` for every index % 50 == 49 (Options::busy_call_logs).
std::size_t generated_call_log_count(std::size_t index, std::size_t busy = kBusyCallLogs);
// Call log `k` (0 = newest) of generated campaign `index`.
std::string generated_call_log(std::size_t index, std::size_t k, Dialect dialect = Dialect::reference,
                               std::size_t busy = kBusyCallLogs);

}  // namespace campaign::mock
