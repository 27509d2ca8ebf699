// The fault matrix (docs/faults.md): rows that no other suite covers. Each
// case names its row; docs/faults.md maps every row to its test.
#include "fixture.hpp"

#include "loopback.hpp"
#include "tls_certs.hpp"

#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;
using Kind = mock::Fault::Kind;

namespace {

const std::string record = R"({"id":"cmp_000001"})";

struct Outcome {
  std::string kind;
  int attempts = 0;
  int http_status = 0;
};

Outcome fetch(const std::string& base, int retries = 0, milliseconds timeout = seconds(3)) {
  auto o = options_for(base);
  o.max_retries = retries;
  o.timeout = timeout;
  Client c = make_client(o);
  auto r = seen(c.get("cmp_000001"));
  if (r) return {"ok", 1, 200};
  return {std::string(to_string(r.error().kind)), r.error().attempts, r.error().http_status};
}

Outcome raw(RawServer::Handler h, int retries = 0, milliseconds timeout = seconds(3)) {
  RawServer s(std::move(h));
  return fetch(s.origin() + "/v1", retries, timeout);
}

Outcome scripted(mock::Fault f, int retries = 0, milliseconds timeout = seconds(3)) {
  MockFixture m;
  m.server.script("cmp_000001", {std::move(f)});
  return fetch(m.base_url(), retries, timeout);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_matrix)

BOOST_AUTO_TEST_CASE(row_03_reset_before_headers_is_network_and_retried) {
  auto o = scripted(mock::Fault{.kind = Kind::reset_before_headers}, 1);
  BOOST_TEST(o.kind == "ok");  // the retry succeeded
  auto o2 = scripted(mock::Fault{.kind = Kind::reset_before_headers}, 0);
  BOOST_TEST(o2.kind == "network");
}

BOOST_AUTO_TEST_CASE(row_04_reset_after_headers_is_network) {
  auto o = scripted(mock::Fault{.kind = Kind::reset_after_headers});
  BOOST_TEST(o.kind == "network");
  BOOST_TEST(o.http_status == 200);
}

BOOST_AUTO_TEST_CASE(row_05_truncated_body_with_clean_close_is_network) {
  auto o = scripted(mock::Fault{.kind = Kind::truncate_body});
  BOOST_TEST(o.kind == "network");
}

BOOST_AUTO_TEST_CASE(row_10_body_that_never_ends_times_out) {
  RawServer s([&s](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    // A byte every 20 ms, forever: under any size limit, never complete.
    while (write_all(sock, "1\r\n \r\n") && s.sleep_for(milliseconds(20))) {
    }
  });
  auto o = fetch(s.origin() + "/v1", 0, milliseconds(400));
  BOOST_TEST(o.kind == "timeout");
}

BOOST_AUTO_TEST_CASE(row_13_duplicate_identical_content_length) {
  auto o = raw([](tcp::socket& s) {
    read_request_head(s);
    write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 19\r\nContent-Length: 19\r\n\r\n" + record);
  });
  // RFC 9112 6.3: identical duplicates may be taken as one value (conflicting
  // ones are refused: transport/conflicting_content_length_is_invalid_response).
  BOOST_TEST(o.kind == "ok");
}

BOOST_AUTO_TEST_CASE(row_14_content_length_with_transfer_encoding_is_invalid_response) {
  auto o = raw([](tcp::socket& s) {
    read_request_head(s);
    write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n" + record +
                     "\r\n0\r\n\r\n");
  });
  BOOST_TEST(o.kind == "invalid_response");
}

BOOST_AUTO_TEST_CASE(row_16_tls_handshake_failure_is_tls) {
  // A plain-HTTP server behind an https:// URL: the handshake fails.
  RawServer s([](tcp::socket& sock) {
    char hello[512];
    boost::system::error_code ec;
    sock.read_some(boost::asio::buffer(hello), ec);  // the ClientHello
    write_all(sock, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  auto o = fetch("https://127.0.0.1:" + std::to_string(s.port()) + "/v1");
  BOOST_TEST(o.kind == "tls");
}

BOOST_AUTO_TEST_CASE(row_22_server_that_accepts_and_never_reads_times_out) {
  RawServer s([&s](tcp::socket&) { s.sleep_for(seconds(30)); });  // reads nothing; wakes on stop
  auto o = fetch(s.origin() + "/v1", 0, milliseconds(300));
  BOOST_TEST(o.kind == "timeout");
}

BOOST_AUTO_TEST_CASE(row_28_close_before_any_response_is_network_and_retried) {
  std::atomic<int> n{0};
  RawServer s([&](tcp::socket& sock) {
    read_request_head(sock);
    if (n++ == 0) return;  // closes without a byte
    write_all(sock, "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n" + record);
  });
  auto o = fetch(s.origin() + "/v1", 1);
  BOOST_TEST(o.kind == "ok");
  BOOST_TEST(n.load() == 2);
}

BOOST_AUTO_TEST_CASE(row_29_503_storm_with_retry_after_zero) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::status, .status = 503, .retry_after = "0"}, 1.0}};
  MockFixture m(mo);
  auto o = fetch(m.base_url(), 2);
  BOOST_TEST(o.kind == "server_error");
  BOOST_TEST(o.attempts == 3);
}

BOOST_AUTO_TEST_CASE(row_30_429_storm_exhausts_retries_as_rate_limited) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::status, .status = 429, .retry_after_ms = "5"}, 1.0}};
  MockFixture m(mo);
  auto o = fetch(m.base_url(), 2);
  BOOST_TEST(o.kind == "rate_limited");
  BOOST_TEST(o.attempts == 3);
}

BOOST_AUTO_TEST_SUITE_END()
