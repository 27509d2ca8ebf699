// A careless caller and a server that echoes: options out of range are
// refused at creation, cancel_all() stops a running batch, and whatever a
// server puts in an error (message, X-Request-Id, body) leaves masked and
// on one line.
#include "fixture.hpp"

#include <campaign/redact.hpp>
#include "loopback.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono_literals;
using Kind = mock::Fault::Kind;
using Clock = std::chrono::steady_clock;

namespace {

// A 500 whose X-Request-Id and JSON body are `request_id` and `body`.
std::string error_response(std::string_view request_id, std::string_view body) {
  std::string r = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nX-Request-Id: ";
  r.append(request_id).append("\r\nContent-Length: ").append(std::to_string(body.size()));
  r.append("\r\nConnection: close\r\n\r\n").append(body);
  return r;
}

Error fetch_error_from(RawServer& srv) {
  ClientOptions o = options_for(srv.origin() + "/v1");
  o.max_retries = 0;
  Client c = make_client(o);
  auto r = c.get("cmp_1");
  BOOST_REQUIRE(!r.has_value());
  return r.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(careless_caller)

// --- masking and one-line messages ---------------------------------------

BOOST_AUTO_TEST_CASE(key_echoed_in_the_request_id_is_masked) {
  const std::string key = canary_key;
  RawServer srv([&](boost::asio::ip::tcp::socket& s) {
    read_request_head(s);
    // Raw in the ID, percent-encoded and JSON-escaped in the message.
    std::string enc;
    for (char ch : key) enc += ch == '_' ? std::string("%5F") : std::string(1, ch);
    write_all(s, error_response("req_" + key + "_x",
                                R"({"error":{"message":"key )" + enc + " and \\u0073k_canary\\u005f7f3a9c1e\"}}"));
  });
  Error e = fetch_error_from(srv);
  BOOST_TEST(e.request_id == "req_***_x");
  BOOST_TEST(e.message == "key *** and ***");
  BOOST_TEST(!contains_secret(e.describe(), key));
  BOOST_TEST(!contains_secret(e.body, key));
  seen(e);
}

BOOST_AUTO_TEST_CASE(server_text_in_messages_stays_on_one_line) {
  RawServer srv([&](boost::asio::ip::tcp::socket& s) {
    read_request_head(s);
    write_all(s, error_response("req_1", R"({"error":{"message":"line one\r\nFAKE: log line\u001b[2Jdone"}})"));
  });
  Error e = fetch_error_from(srv);
  BOOST_TEST(e.message == "line one FAKE: log line [2Jdone");
  BOOST_TEST(e.describe().find_first_of("\r\n\x1b") == std::string::npos, e.describe());
}

BOOST_AUTO_TEST_CASE(long_request_ids_are_cut) {
  RawServer srv([&](boost::asio::ip::tcp::socket& s) {
    read_request_head(s);
    write_all(s, error_response(std::string(4000, 'r'), R"({"error":{"message":"m"}})"));
  });
  Error e = fetch_error_from(srv);
  BOOST_TEST(e.request_id.size() == 256u);
}

BOOST_AUTO_TEST_CASE(key_across_the_body_cut_leaves_no_prefix) {
  // The body is kept to 64 KiB; the key starts 5 bytes before the cut.
  const std::string key = canary_key;
  std::string body = R"({"error":{"message":"m"},"pad":")";
  body.append(64 * 1024 - 5 - body.size(), 'x');
  body += key + "\"}";
  RawServer srv([&](boost::asio::ip::tcp::socket& s) {
    read_request_head(s);
    write_all(s, error_response("req_1", body));
  });
  Error e = fetch_error_from(srv);
  BOOST_TEST(e.body.size() <= 64u * 1024);
  BOOST_TEST(e.body.find(key.substr(0, 5)) == std::string::npos);
  BOOST_TEST(e.body.find("xxx***") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(short_keys_do_not_mangle_words) {
  mock::Options mo = mock_options();
  mo.api_keys = {"k"};
  MockFixture f(mo);
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 404,
                                             .body = R"({"error":{"message":"asked for k"}})"}});
  ClientOptions o = options_for(f.base_url(), "k");
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().http_status == 404);
  BOOST_TEST(r.error().message == "asked for ***");
}

// --- option bounds ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(options_out_of_range_are_refused_at_creation) {
  using std::chrono::milliseconds;
  const auto huge = milliseconds(std::numeric_limits<milliseconds::rep>::max());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<const char*, std::function<void(ClientOptions&)>>> cases = {
      {"timeout max", [&](ClientOptions& o) { o.timeout = huge; }},
      {"timeout 25h", [](ClientOptions& o) { o.timeout = std::chrono::hours(25); }},
      {"timeout 0", [](ClientOptions& o) { o.timeout = milliseconds(0); }},
      {"connect_timeout max", [&](ClientOptions& o) { o.connect_timeout = huge; }},
      {"total_timeout max", [&](ClientOptions& o) { o.total_timeout = huge; }},
      {"idle_timeout negative", [](ClientOptions& o) { o.idle_timeout = milliseconds(-1); }},
      {"idle_timeout max", [&](ClientOptions& o) { o.idle_timeout = huge; }},
      {"backoff_initial max", [&](ClientOptions& o) { o.backoff_initial = huge; }},
      {"backoff_max max", [&](ClientOptions& o) { o.backoff_max = huge; }},
      {"max_retry_after max", [&](ClientOptions& o) { o.max_retry_after = huge; }},
      {"max_retries 101", [](ClientOptions& o) { o.max_retries = 101; }},
      {"max_retries -1", [](ClientOptions& o) { o.max_retries = -1; }},
      {"max_connections 0", [](ClientOptions& o) { o.max_connections = 0; }},
      {"max_connections 1e6", [](ClientOptions& o) { o.max_connections = 1000000; }},
      {"max_body 2^63", [](ClientOptions& o) { o.max_body_bytes = std::size_t{1} << 63; }},
      {"max_body max", [](ClientOptions& o) { o.max_body_bytes = std::numeric_limits<std::size_t>::max(); }},
      {"max_header 2^32+1", [](ClientOptions& o) { o.max_header_bytes = (std::size_t{1} << 32) + 1; }},
      {"max_header 100", [](ClientOptions& o) { o.max_header_bytes = 100; }},
      {"budget ratio NaN", [&](ClientOptions& o) { o.retry_budget_ratio = nan; }},
      {"budget burst NaN", [&](ClientOptions& o) { o.retry_budget_burst = nan; }},
      {"budget burst inf", [](ClientOptions& o) { o.retry_budget_burst = INFINITY; }},
      {"budget ratio negative", [](ClientOptions& o) { o.retry_budget_ratio = -1; }},
  };
  for (auto& [name, change] : cases) {
    ClientOptions o = options_for("http://127.0.0.1:9/v1");
    change(o);
    auto c = Client::create(o);
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(!c.has_value());
      BOOST_TEST(to_string(c.error().kind) == "invalid_argument");
    }
  }
  // The edges themselves are accepted.
  ClientOptions o = options_for("http://127.0.0.1:9/v1");
  o.timeout = o.connect_timeout = o.total_timeout = std::chrono::hours(24);
  o.idle_timeout = milliseconds(0);
  o.max_retries = 100;
  o.max_connections = 4096;
  o.max_body_bytes = std::size_t{1} << 30;
  o.max_header_bytes = std::size_t{16} << 20;
  o.retry_budget_ratio = o.retry_budget_burst = 1e6;
  BOOST_TEST(Client::create(o).has_value());
}

BOOST_AUTO_TEST_CASE(a_day_long_timeout_still_fetches) {
  // The "no timeout" idiom, at its bound: deadlines must not wrap into the past.
  MockFixture f;
  ClientOptions o = f.options();
  o.timeout = o.connect_timeout = o.total_timeout = std::chrono::hours(24);
  o.max_retry_after = o.backoff_max = std::chrono::hours(24);
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(r.has_value());
}

// --- cancel_all() stops a running batch -------------------------------------

BOOST_AUTO_TEST_CASE(cancel_all_stops_a_batch_that_is_still_submitting) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::hang}, 1.0}};  // nothing completes by itself
  MockFixture f(mo);
  ClientOptions o = f.options();
  o.timeout = o.total_timeout = std::chrono::minutes(10);  // only the cancel can end them
  Client c = make_client(o);

  constexpr std::size_t total = 100000, window = 8;
  std::atomic<std::size_t> read{0};
  BatchSummary summary;
  std::thread t([&] {
    BatchOptions bo;
    bo.concurrency = window;
    summary = c.get_many(
        [&]() -> std::optional<std::string> {
          std::size_t n = read++;
          if (n == total) return std::nullopt;
          return "cmp_" + std::to_string(n);
        },
        [](BatchItem&&) { return true; }, bo);
  });
  bool filled = eventually([&] { return f.server.stats().requests >= window; }, 30s);
  auto t0 = Clock::now();
  c.cancel_all();
  t.join();
  auto took = Clock::now() - t0;
  BOOST_REQUIRE(filled);
  BOOST_TEST_MESSAGE("get_many returned " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                          << " ms after cancel_all");
  BOOST_TEST(took < 5s);
  BOOST_TEST(summary.total == window);  // the window, cancelled; nothing after
  BOOST_TEST(summary.by_kind[static_cast<int>(ErrorKind::cancelled)] == window);
  BOOST_TEST(read.load() <= window + 1);
  BOOST_TEST(f.server.stats().requests == window);
}

BOOST_AUTO_TEST_CASE(a_batch_started_after_cancel_all_runs) {
  MockFixture f;
  Client c = make_client(f.options());
  c.cancel_all();
  std::vector<std::string> ids{"cmp_000001", "cmp_000002", "cmp_000003"};
  std::size_t next = 0;
  auto s = c.get_many([&]() -> std::optional<std::string> {
    if (next == ids.size()) return std::nullopt;
    return ids[next++];
  }, [](BatchItem&&) { return true; });
  BOOST_TEST(s.succeeded == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
