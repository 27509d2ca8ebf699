// The fault matrix (docs/faults.md), one case per row, named row_NN_ after
// the row. Every case runs with retries ON (max_retries = 2, backoff of a
// few ms) and asserts how many attempts reached the server: rows the doc
// says are not retried show exactly one, retried rows show max_retries + 1
// (or the number the row documents).
#include "fixture.hpp"

#include "loopback.hpp"
#include "stuck_dns.hpp"
#include "tls_certs.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/ioctl.h>
#include <linux/sockios.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;
using Kind = mock::Fault::Kind;

namespace {

constexpr int retries = 2;
constexpr std::size_t all_attempts = retries + 1;
const std::string id = "cmp_000001";
const std::string record = R"({"id":"cmp_000001"})";

struct Outcome {
  std::string kind;
  int attempts = 0;  // as the client reports them
  int http_status = 0;
  Error error;
};

Outcome fetch(ClientOptions o) {
  Client c = make_client(std::move(o));
  auto r = seen(c.get(id));
  if (r) return {"ok", 1, 200, {}};
  return {std::string(to_string(r.error().kind)), r.error().attempts, r.error().http_status, r.error()};
}

ClientOptions opts(const std::string& base, milliseconds timeout = seconds(3)) {
  auto o = options_for(base);
  o.max_retries = retries;
  o.timeout = timeout;
  return o;
}

// The mock with `n` copies of a scripted fault for the ID (enough for every attempt).
struct Scripted {
  explicit Scripted(mock::Fault f, std::size_t n = 10) { m.server.script(id, std::vector<mock::Fault>(n, f)); }
  MockFixture m;
  std::size_t seen() const { return m.requests_for(id); }
};

// A raw server that counts the request heads it read, over all connections.
struct Counted {
  using Handler = std::function<void(tcp::socket&, RawServer&)>;
  explicit Counted(Handler h)
      : handler(std::move(h)), server([this](tcp::socket& s) {
          if (read_request_head(s).find("\r\n\r\n") == std::string::npos) return;
          ++requests;
          handler(s, server);
        }) {}
  std::string base_url() const { return server.origin() + "/v1"; }
  Handler handler;
  std::atomic<std::size_t> requests{0};
  RawServer server;  // last: stopped before the handler goes
};

// Answers every request with `response` (one per connection is enough here:
// none of these responses leaves a reusable connection, or the count shows it).
Counted::Handler answer(std::string response) {
  return [response](tcp::socket& s, RawServer&) { write_all(s, response); };
}

struct TlsMock {
  explicit TlsMock(const Leaf& leaf) : server([&] {
    auto o = mock_options();
    o.tls_cert_file = leaf.cert_file;
    o.tls_key_file = leaf.key_file;
    return o;
  }()) {
    server.generate(10);
  }
  mock::Server server;
};

// Writes `head`, then `line` over and over (64 MiB at most) until the peer
// goes: a response whose framing never ends.
Counted::Handler flood(std::string head, std::string line) {
  return [head, line](tcp::socket& s, RawServer&) {
    std::string block;
    while (block.size() < (64u << 10)) block += line;
    if (!write_all(s, head)) return;
    for (int i = 0; i < 1024 && write_all(s, block); ++i) {
    }
  };
}

// Everything written on `s` was acknowledged and read out of the receive
// queue of this process's one socket to `port` (the client's end).
bool client_read_all(tcp::socket& s, std::uint16_t port) {
  int unacked = -1, queued = -1;
  if (::ioctl(s.native_handle(), SIOCOUTQ, &unacked) != 0 || unacked != 0) return false;
  auto fds = sockets_to(port);
  return fds.size() == 1 && ::ioctl(fds[0].fd, SIOCINQ, &queued) == 0 && queued == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_matrix)

BOOST_AUTO_TEST_CASE(row_01_connection_refused_is_network_and_retried) {
  std::uint16_t port;
  {
    RawServer s([](tcp::socket&) {});
    port = s.port();
  }  // closed: connecting is refused
  // Nothing listens, so nothing can count on the server side: the client's count.
  auto o = fetch(opts("http://127.0.0.1:" + std::to_string(port) + "/v1"));
  BOOST_TEST(o.kind == "network");
  BOOST_TEST(o.attempts == 3);
}

BOOST_AUTO_TEST_CASE(row_02_unresolvable_host_is_network_and_retried) {
  auto o = fetch(opts("http://no-such-host.invalid/v1"));
  BOOST_TEST(o.kind == "network");
  BOOST_TEST(o.attempts == 3);  // no server to count at
}

BOOST_AUTO_TEST_CASE(row_03_reset_before_headers_is_network_and_retried) {
  Scripted s(mock::Fault{.kind = Kind::reset_before_headers});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "network");
  BOOST_TEST(s.seen() == all_attempts);
  // And a retry that meets a good answer succeeds.
  Scripted once(mock::Fault{.kind = Kind::reset_before_headers}, 1);
  BOOST_TEST(fetch(opts(once.m.base_url())).kind == "ok");
  BOOST_TEST(once.seen() == 2u);
}

BOOST_AUTO_TEST_CASE(row_04_reset_after_headers_is_network_and_retried) {
  Scripted s(mock::Fault{.kind = Kind::reset_after_headers});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "network");
  BOOST_TEST(o.http_status == 200);  // the status line had arrived
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_05_reset_mid_body_is_network_and_retried) {
  Scripted s(mock::Fault{.kind = Kind::reset_mid_body});
  BOOST_TEST(fetch(opts(s.m.base_url())).kind == "network");
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_06_truncated_body_with_clean_close_is_network_and_retried) {
  Scripted s(mock::Fault{.kind = Kind::truncate_body});
  BOOST_TEST(fetch(opts(s.m.base_url())).kind == "network");
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_07_truncated_chunked_body_is_network_and_retried) {
  Counted s(answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"id\":"));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "network");
  BOOST_TEST(s.requests.load() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_08_bad_chunk_size_is_invalid_response_and_final) {
  Counted s(answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "invalid_response");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_09_oversized_headers_are_invalid_response_and_final) {
  Counted s(answer("HTTP/1.1 200 OK\r\nX-Filler: " + std::string(70 * 1024, 'a') +
                   "\r\nContent-Length: 19\r\n\r\n" + record));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "invalid_response");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_10_trickling_body_times_out_and_is_retried) {
  Scripted s(mock::Fault{.kind = Kind::slow_body, .delay = milliseconds(50)});
  auto o = fetch(opts(s.m.base_url(), milliseconds(400)));
  BOOST_TEST(o.kind == "timeout");
  BOOST_TEST(o.http_status == 200);
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_11_body_that_never_ends_times_out_and_is_retried) {
  Counted s([](tcp::socket& sock, RawServer& server) {
    write_all(sock, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    // A byte every 20 ms, forever: under any size limit, never complete.
    while (write_all(sock, "1\r\n \r\n") && server.sleep_for(milliseconds(20))) {
    }
  });
  BOOST_TEST(fetch(opts(s.base_url(), milliseconds(400))).kind == "timeout");
  BOOST_TEST(s.requests.load() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_12_not_http_is_invalid_response_and_final) {
  Counted s(answer("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "invalid_response");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_13_http_1_0_response_is_accepted) {
  Counted s(answer("HTTP/1.0 200 OK\r\nContent-Length: 19\r\n\r\n" + record));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "ok");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_14_conflicting_content_length_is_invalid_response_and_final) {
  Counted s(answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 12\r\n\r\n0123456789ab"));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "invalid_response");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_15_duplicate_identical_content_length_is_accepted) {
  // RFC 9112 6.3: identical duplicates may be taken as one value.
  Counted s(answer("HTTP/1.1 200 OK\r\nContent-Length: 19\r\nContent-Length: 19\r\n\r\n" + record));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "ok");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_16_content_length_with_transfer_encoding_is_invalid_response_and_final) {
  Counted s(answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n" + record +
                   "\r\n0\r\n\r\n"));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "invalid_response");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_17_interim_1xx_responses_are_skipped) {
  Counted s(answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n" + record));
  BOOST_TEST(fetch(opts(s.base_url())).kind == "ok");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_18_tls_handshake_failure_is_tls_and_final) {
  // A plain-HTTP server behind an https:// URL: the handshake fails.
  RawServer s([](tcp::socket& sock) {
    char hello[512];
    boost::system::error_code ec;
    sock.read_some(boost::asio::buffer(hello), ec);  // the ClientHello
    write_all(sock, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  BOOST_TEST(fetch(opts("https://127.0.0.1:" + std::to_string(s.port()) + "/v1")).kind == "tls");
  BOOST_TEST(s.accepted() == 1u);  // one connection: no retry
}

BOOST_AUTO_TEST_CASE(row_19_unknown_ca_is_tls_and_final) {
  TestPki pki;
  TlsMock m(pki.self_signed({"localhost"}, {"127.0.0.1"}));
  auto o = opts(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  BOOST_TEST(fetch(o).kind == "tls");
  BOOST_TEST(m.server.stats().connections == 1u);
  BOOST_TEST(m.server.requests().empty());
}

BOOST_AUTO_TEST_CASE(row_20_expired_certificate_is_tls_and_final) {
  TestPki pki;
  TlsMock m(pki.issue({"localhost"}, {"127.0.0.1"}, true));
  auto o = opts(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  BOOST_TEST(fetch(o).kind == "tls");
  BOOST_TEST(m.server.stats().connections == 1u);
}

BOOST_AUTO_TEST_CASE(row_21_certificate_for_another_host_is_tls_and_final) {
  TestPki pki;
  TlsMock m(pki.issue({"api.example.com"}, {}));
  auto o = opts(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  BOOST_TEST(fetch(o).kind == "tls");
  BOOST_TEST(m.server.stats().connections == 1u);
}

BOOST_AUTO_TEST_CASE(row_22_429_storm_exhausts_retries_as_rate_limited) {
  Scripted s(mock::Fault{.kind = Kind::status, .status = 429, .retry_after_ms = "5"});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "rate_limited");
  BOOST_TEST(o.attempts == 3);
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_23_503_storm_over_a_batch_is_capped_by_the_retry_budget) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "0"}, 1.0}};
  MockFixture m(mo);
  auto o = opts(m.base_url());
  o.retry_budget_ratio = 0.1;
  o.retry_budget_burst = 10;
  Client c = make_client(o);
  const std::size_t n = 100;
  std::size_t i = 0, server_errors = 0;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (i == n) return std::nullopt;
        char buf[16];
        std::snprintf(buf, sizeof buf, "cmp_%06zu", i++);
        return std::string(buf);
      },
      [&](BatchItem&& item) {
        if (!item.result && item.result.error().kind == ErrorKind::server_error) ++server_errors;
        return true;
      });
  BOOST_TEST(summary.failed == n);
  BOOST_TEST(server_errors == n);
  auto sent = m.server.stats().requests;
  BOOST_TEST_MESSAGE("503 storm: " << sent << " requests for " << n << " IDs");
  BOOST_TEST(sent > n);                               // retried...
  BOOST_TEST(sent <= n + 10 + n / 10);                // ...within burst + ratio x N, not 3 x N
  // A single ID, with the budget full: max_retries + 1.
  Scripted one(mock::Fault{.kind = Kind::status, .status = 503});
  BOOST_TEST(fetch(opts(one.m.base_url())).kind == "server_error");
  BOOST_TEST(one.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_24_retry_after_past_the_deadline_is_final) {
  Scripted s(mock::Fault{.kind = Kind::status, .status = 429, .retry_after = "5"});
  auto co = opts(s.m.base_url());
  co.total_timeout = seconds(2);
  auto o = fetch(co);
  BOOST_TEST(o.kind == "rate_limited");
  BOOST_TEST(s.seen() == 1u);
  BOOST_TEST((o.error.retry_after == milliseconds(5000)));
}

BOOST_AUTO_TEST_CASE(row_25_retry_after_over_the_cap_is_final) {
  Scripted s(mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "7200"});
  auto co = opts(s.m.base_url());
  co.total_timeout = hours(24);  // the longest allowed: 2 h fits, only the cap refuses it
  auto o = fetch(co);
  BOOST_TEST(o.kind == "server_error");
  BOOST_TEST(s.seen() == 1u);
  BOOST_TEST((o.error.retry_after == milliseconds(7200000)));
  BOOST_TEST(o.error.message.find("over the limit") != std::string::npos, o.error.message);
}

BOOST_AUTO_TEST_CASE(row_26_bad_retry_after_falls_back_to_backoff_and_is_retried) {
  for (std::string v : {"soon", "-1", "1e3"}) {
    BOOST_TEST_CONTEXT("Retry-After: " << v) {
      Scripted s(mock::Fault{.kind = Kind::status, .status = 503, .retry_after = v});
      BOOST_TEST(fetch(opts(s.m.base_url())).kind == "server_error");
      BOOST_TEST(s.seen() == all_attempts);
    }
  }
}

BOOST_AUTO_TEST_CASE(row_27_retry_after_http_date_is_honoured_and_retried) {
  Scripted s(mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "Sun, 06 Nov 1994 08:49:37 GMT"});
  auto co = opts(s.m.base_url());
  co.backoff_initial = co.backoff_max = seconds(60);  // a past date is "now", not the backoff
  co.total_timeout = seconds(30);
  BOOST_TEST(fetch(co).kind == "server_error");
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_28_idle_connection_closed_by_server_is_resent_once_not_retried) {
  // One request per connection with keep-alive, then close: the pooled one is stale.
  Counted s(answer("HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n" + record));
  Client c = make_client(opts(s.base_url()));
  BOOST_REQUIRE(c.get(id).has_value());
  BOOST_REQUIRE(s.server.wait_accepted(1, seconds(5)));
  BOOST_REQUIRE(c.get(id).has_value());
  BOOST_TEST(s.requests.load() == 2u);  // one per get: the stale write never reached a handler
  BOOST_TEST(s.server.accepted() == 2u);
  // The pool sees the EOF before reusing the connection (nothing re-sent), or
  // the close races that check and the request is re-sent once.
  BOOST_TEST(c.stats().stale_resends == c.stats().connections_reused);
  BOOST_TEST(c.stats().stale_resends <= 1u);
  BOOST_TEST(c.stats().retries == 0u);
}

BOOST_AUTO_TEST_CASE(row_29_server_that_accepts_and_never_reads_times_out_and_is_retried) {
  RawServer s([&s](tcp::socket&) { s.sleep_for(seconds(30)); });  // reads nothing; wakes on stop
  BOOST_TEST(fetch(opts(s.origin() + "/v1", milliseconds(300))).kind == "timeout");
  BOOST_TEST(s.wait_accepted(all_attempts, seconds(5)));  // the last one may still be in the backlog
  BOOST_TEST(s.accepted() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_30_server_that_never_answers_times_out_and_is_retried) {
  Scripted s(mock::Fault{.kind = Kind::hang});
  BOOST_TEST(fetch(opts(s.m.base_url(), milliseconds(300))).kind == "timeout");
  BOOST_TEST(s.seen() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_31_close_before_any_response_is_network_and_retried) {
  Counted s([](tcp::socket&, RawServer&) {});  // reads the request, closes without a byte
  BOOST_TEST(fetch(opts(s.base_url())).kind == "network");
  BOOST_TEST(s.requests.load() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_32_body_that_is_not_json_is_invalid_response_and_final) {
  Scripted s(mock::Fault{.kind = Kind::garbage});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "invalid_response");
  BOOST_TEST(o.http_status == 200);
  BOOST_TEST(s.seen() == 1u);
}

BOOST_AUTO_TEST_CASE(row_33_another_campaigns_record_is_invalid_response_and_final) {
  Scripted s(mock::Fault{.kind = Kind::garbage, .body = R"({"id":"cmp_other"})"});
  BOOST_TEST(fetch(opts(s.m.base_url())).kind == "invalid_response");
  BOOST_TEST(s.seen() == 1u);
}

BOOST_AUTO_TEST_CASE(row_34_content_length_over_the_limit_is_too_large_and_final) {
  Scripted s(mock::Fault{.kind = Kind::oversized_body, .size = std::size_t(1) << 30});
  auto co = opts(s.m.base_url());
  co.max_body_bytes = 1 << 20;
  BOOST_TEST(fetch(co).kind == "too_large");
  BOOST_TEST(s.seen() == 1u);
}

BOOST_AUTO_TEST_CASE(row_35_chunked_body_over_the_limit_is_too_large_and_final) {
  Counted s([](tcp::socket& sock, RawServer& server) {
    write_all(sock, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    for (int i = 0; i < 10000 && !server.stopping(); ++i)
      if (!write_all(sock, chunk)) return;
  });
  auto co = opts(s.base_url());
  co.max_body_bytes = 256 * 1024;
  BOOST_TEST(fetch(co).kind == "too_large");
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_36_redirect_is_http_error_and_final) {
  MockFixture target;
  Scripted s(mock::Fault{.kind = Kind::redirect, .status = 307,
                         .location = target.server.origin() + "/v1/campaigns/cmp_000001"});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "http_error");
  BOOST_TEST(o.http_status == 307);
  BOOST_TEST(s.seen() == 1u);
  BOOST_TEST(target.server.requests().empty());
}

BOOST_AUTO_TEST_CASE(row_37_reset_at_once_is_network_and_retried) {
  RawServer s([&s](tcp::socket& sock) { s.reset(sock); });
  BOOST_TEST(fetch(opts(s.origin() + "/v1")).kind == "network");
  BOOST_TEST(s.accepted() == all_attempts);
}

BOOST_AUTO_TEST_CASE(row_38_server_echoing_the_key_is_masked_and_final) {
  Scripted s(mock::Fault{.kind = Kind::status, .status = 401,
                         .body = std::string(R"({"error":{"message":"bad key )") + canary_key + R"("}})"});
  auto o = fetch(opts(s.m.base_url()));
  BOOST_TEST(o.kind == "unauthorized");
  BOOST_TEST(o.error.message == "bad key ***");
  BOOST_TEST(o.error.body.find(canary_key) == std::string::npos);
  BOOST_TEST(s.seen() == 1u);
}

BOOST_AUTO_TEST_CASE(row_39_total_deadline_cuts_the_retries) {
  // Attempt 1 times out at 600 ms; attempt 2 starts at ~610 ms and is cut by
  // the total deadline at 1200 ms; no third one fits.
  Scripted s(mock::Fault{.kind = Kind::hang});
  auto co = opts(s.m.base_url(), milliseconds(600));
  co.total_timeout = milliseconds(1200);
  co.max_retries = 5;
  auto start = steady_clock::now();
  auto o = fetch(co);
  auto took = steady_clock::now() - start;
  BOOST_TEST(o.kind == "timeout");
  BOOST_TEST(s.seen() == 2u);
  BOOST_TEST((took >= milliseconds(1200)));
  BOOST_TEST((took < seconds(5)));
}

BOOST_AUTO_TEST_CASE(row_40_endless_chunk_extension_is_invalid_response_and_final) {
  Counted s(flood("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=", std::string(4096, 'a')));
  auto start = steady_clock::now();
  BOOST_TEST(fetch(opts(s.base_url(), seconds(10))).kind == "invalid_response");
  BOOST_TEST((steady_clock::now() - start < seconds(5)));  // the bound, not the deadline
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_41_endless_chunk_trailers_are_invalid_response_and_final) {
  Counted s(flood("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
                  "X-Trailer: " + std::string(50, 'a') + "\r\n"));
  auto start = steady_clock::now();
  BOOST_TEST(fetch(opts(s.base_url(), seconds(10))).kind == "invalid_response");
  BOOST_TEST((steady_clock::now() - start < seconds(5)));
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_42_unsolicited_response_on_an_idle_connection_is_not_taken_as_an_answer) {
  std::atomic<bool> first_done{false}, injected{false};
  std::atomic<int> conns{0};
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n" + record;
  Counted s([&](tcp::socket& sock, RawServer&) {
    const bool first = ++conns == 1;
    if (!write_all(sock, ok)) return;
    if (first) {
      if (!eventually([&] { return first_done.load(); })) return;
      if (!write_all(sock, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")) return;
      int unacked = -1;
      injected = eventually([&] {
        return ::ioctl(sock.native_handle(), SIOCOUTQ, &unacked) == 0 && unacked == 0;
      });
      while (read_request_head(sock).find("\r\n\r\n") != std::string::npos) {
      }
      return;
    }
    while (read_request_head(sock).find("\r\n\r\n") != std::string::npos && write_all(sock, ok)) {
    }
  });
  Client c = make_client(opts(s.base_url()));
  BOOST_REQUIRE(seen(c.get(id)).has_value());
  first_done = true;
  BOOST_REQUIRE(eventually([&] { return injected.load(); }));
  auto second = seen(c.get(id));
  BOOST_TEST(second.has_value());  // not the 404
  BOOST_TEST(s.requests.load() == 2u);
  BOOST_TEST(s.server.accepted() == 2u);
  BOOST_TEST(c.stats().retries == 0u);
}

BOOST_AUTO_TEST_CASE(row_43_empty_chunked_body_with_a_split_final_chunk_is_accepted) {
  std::uint16_t port = 0;
  std::atomic<bool> ready{false}, split{true};
  Counted s([&](tcp::socket& sock, RawServer&) {
    if (!eventually([&] { return ready.load(); })) return;
    for (const char* part : {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "\r", "\n"}) {
      if (!write_all(sock, part)) return;
      if (!eventually([&] { return client_read_all(sock, port); })) split = false;
    }
    char ch;
    boost::system::error_code ec;
    sock.read_some(boost::asio::buffer(&ch, 1), ec);
  });
  port = s.server.port();
  ready = true;
  auto o = fetch(opts(s.base_url(), seconds(15)));
  BOOST_TEST(split.load());
  // The complete (empty) response was parsed: an empty 200 is not JSON.
  BOOST_TEST(o.kind == "invalid_response");
  BOOST_TEST(o.http_status == 200);
  BOOST_TEST(s.requests.load() == 1u);
}

BOOST_AUTO_TEST_CASE(row_44_resolution_that_never_answers_times_out_at_connect_timeout_and_is_retried) {
  stuck_dns_arm();
  auto co = opts("http://stuck.invalid:8080/v1", seconds(5));
  co.connect_timeout = milliseconds(200);
  auto start = steady_clock::now();
  auto o = fetch(co);
  auto took = steady_clock::now() - start;
  stuck_dns_release();
  BOOST_TEST(o.kind == "timeout");
  BOOST_TEST(o.attempts == 3);  // no server to count at
  BOOST_TEST((took < seconds(3)));  // 3 x 200 ms plus backoff, not 3 x 5 s
}

BOOST_AUTO_TEST_SUITE_END()
