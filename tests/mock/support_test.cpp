// The loopback test helper itself: it must serve raw bytes and stop quickly.
#include <chrono>

#include <boost/test/unit_test.hpp>

#include "loopback.hpp"
#include "test_client.hpp"

using campaign::test::RawServer;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;
using tcp = boost::asio::ip::tcp;

BOOST_AUTO_TEST_SUITE(raw_server)

BOOST_AUTO_TEST_CASE(handler_writes_arbitrary_bytes) {
  std::string seen;
  RawServer srv([&](tcp::socket& s) {
    seen = campaign::test::read_request_head(s);
    campaign::test::write_all(s, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"id\":\"x\"}");
  });
  BOOST_TEST(srv.origin() == "http://127.0.0.1:" + std::to_string(srv.port()));
  auto r = fetch(srv.port(), "/v1/campaigns/x");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == R"({"id":"x"})"); // HTTP/1.0 body ends at close
  BOOST_TEST(seen.starts_with("GET /v1/campaigns/x HTTP/1.1\r\n"));
  BOOST_TEST(seen.ends_with("\r\n\r\n"));
  BOOST_TEST(srv.accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(reset_sends_rst) {
  RawServer srv([&](tcp::socket& s) {
    campaign::test::read_request_head(s);
    campaign::test::write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\"");
    srv.reset(s);
  });
  auto r = fetch(srv.port(), "/x");
  BOOST_TEST(r.status == 200);
  BOOST_TEST((r.error == boost::asio::error::connection_reset), r.error.message());
}

BOOST_AUTO_TEST_CASE(stop_is_quick_with_blocked_and_sleeping_handlers) {
  std::unique_ptr<RawServer> srv; // set before any client connects
  srv = std::make_unique<RawServer>([&](tcp::socket& s) {
    campaign::test::read_request_head(s); // the first client never sends: blocked in recv
    while (srv->sleep_for(120s)) campaign::test::write_all(s, "x"); // a stop() that let it sleep: minutes
  });
  Client blocked(srv->port()), sleeping(srv->port());
  BOOST_REQUIRE(!blocked.connect());
  BOOST_REQUIRE(!sleeping.connect());
  BOOST_REQUIRE(!sleeping.write_raw("GET / HTTP/1.1\r\n\r\n"));
  BOOST_REQUIRE(srv->wait_accepted(2, 30s));
  // Blocked in recv forever and asleep for 120 s: stop() must interrupt both.
  // Seconds, not milliseconds, so a loaded machine does not fail it.
  auto t0 = std::chrono::steady_clock::now();
  srv->stop();
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < 10s));
  BOOST_TEST(blocked.peer_closed());
  srv.reset();
}

BOOST_AUTO_TEST_SUITE_END()
