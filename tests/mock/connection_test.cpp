// Connection handling: keep-alive, HTTP/1.0, close, limits, timeouts,
// concurrency and a quick stop.
#include <atomic>
#include <chrono>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(connections)

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
  Server s(Options{});
  s.generate(3);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  for (int k = 0; k < 5; ++k) {
    auto r = c.get("/v1/campaigns/cmp_00000" + std::to_string(k % 3));
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.keep_alive);
    BOOST_TEST(!r.header("Connection"));
  }
  BOOST_TEST(c.get("/v1/campaigns/nope").status == 404); // errors keep the connection too
  BOOST_TEST(s.stats().connections == 1u);
  BOOST_TEST(s.stats().requests == 6u);
}

BOOST_AUTO_TEST_CASE(client_connection_close_is_honoured) {
  Server s(Options{});
  s.generate(1);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto r = c.get("/v1/campaigns/cmp_000000", {{"Connection", "close"}});
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.header("Connection").value_or("") == "close");
  BOOST_TEST(c.peer_closed());
}

BOOST_AUTO_TEST_CASE(http_1_0_clients) {
  Server s(Options{});
  s.generate(1);
  {
    Client c(s.port());
    BOOST_REQUIRE(!c.connect());
    auto r = c.send(Request{"GET", "/v1/campaigns/cmp_000000", {}, 10});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body == campaign::mock::generated_record(0));
    BOOST_TEST(r.header("Connection").value_or("") == "close");
    BOOST_TEST(c.peer_closed());
  }
  {
    Client c(s.port());
    BOOST_REQUIRE(!c.connect());
    auto r = c.send(Request{"GET", "/v1/campaigns/cmp_000000", {{"Connection", "keep-alive"}}, 10});
    BOOST_TEST(r.header("Connection").value_or("") == "keep-alive");
    auto again = c.send(Request{"GET", "/v1/campaigns/cmp_000000", {{"Connection", "keep-alive"}}, 10});
    BOOST_TEST(again.status == 200);
  }
}

BOOST_AUTO_TEST_CASE(max_requests_per_connection_closes_after_n) {
  Options o;
  o.max_requests_per_connection = 2;
  Server s(o);
  s.generate(1);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  auto first = c.get("/v1/campaigns/cmp_000000");
  BOOST_TEST(!first.header("Connection"));
  auto second = c.get("/v1/campaigns/cmp_000000");
  BOOST_TEST(second.status == 200);
  BOOST_TEST(second.header("Connection").value_or("") == "close");
  BOOST_TEST(c.peer_closed());
  BOOST_TEST(s.stats().connections == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  Server s(Options{});
  s.generate(2);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  BOOST_REQUIRE(!c.write_raw("GET /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\n\r\n"
                             "GET /v1/campaigns/cmp_000001 HTTP/1.1\r\nHost: x\r\n\r\n"));
  BOOST_TEST(c.read().body == campaign::mock::generated_record(0));
  BOOST_TEST(c.read().body == campaign::mock::generated_record(1));
}

BOOST_AUTO_TEST_CASE(malformed_request_gets_400_and_close) {
  Server s(Options{});
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  BOOST_REQUIRE(!c.write_raw("GET /v1/campaigns/x HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  auto r = c.read();
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.header("Connection").value_or("") == "close");
  BOOST_TEST(r.header("X-Request-Id").has_value());
  BOOST_TEST(c.peer_closed());
}

BOOST_AUTO_TEST_CASE(idle_connections_are_closed) {
  Options o;
  o.idle_timeout = 100ms;
  Server s(o);
  s.generate(1);
  Client c(s.port());
  BOOST_REQUIRE(!c.connect());
  BOOST_TEST(c.get("/v1/campaigns/cmp_000000").status == 200);
  // peer_closed() waits up to the client's 5 s for the server's FIN, far
  // below the default 60 s idle timeout: so the 100 ms one closed it.
  BOOST_TEST(c.peer_closed());
}

BOOST_AUTO_TEST_CASE(many_connections_at_once_on_several_threads) {
  Options o;
  o.threads = 3;
  Server s(o);
  s.generate(10);
  constexpr int clients = 40, per_client = 5;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  // Connect all first, so the connections really are open together.
  std::vector<std::unique_ptr<Client>> cs;
  for (int k = 0; k < clients; ++k) {
    cs.push_back(std::make_unique<Client>(s.port()));
    BOOST_REQUIRE(!cs.back()->connect());
  }
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int k = t; k < clients; k += 4)
        for (int j = 0; j < per_client; ++j)
          if (cs[static_cast<std::size_t>(k)]->get("/v1/campaigns/cmp_00000" + std::to_string(j)).status == 200) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(ok.load() == clients * per_client);
  BOOST_TEST(s.stats().connections == static_cast<std::uint64_t>(clients));
  BOOST_TEST(s.stats().requests == static_cast<std::uint64_t>(clients * per_client));
  // Every io thread logs; the merged log is ordered by request number.
  auto log = s.requests();
  BOOST_TEST(log.size() == static_cast<std::size_t>(clients * per_client));
  for (std::size_t k = 1; k < log.size(); ++k) BOOST_TEST(log[k - 1].request < log[k].request);
}

BOOST_AUTO_TEST_CASE(stop_is_quick_with_hanging_and_slow_connections) {
  Options o;
  o.threads = 2;
  auto s = std::make_unique<Server>(o);
  s->generate(1);
  Fault hang;
  hang.kind = Fault::Kind::hang;
  Fault slow;
  slow.kind = Fault::Kind::slow_body;
  slow.delay = 120s; // a stop() that waited for the next byte would take minutes
  s->script("cmp_000000", {hang, slow});

  // Each client sends a request and then waits on its own thread for an
  // answer that will not come before stop().
  std::vector<Response> results(3);
  std::vector<std::thread> waiting;
  std::atomic<int> connected{0};
  for (int k = 0; k < 3; ++k) {
    waiting.emplace_back([&, k] {
      Client c(s->port(), 60s);
      if (c.connect()) return;
      ++connected;
      results[static_cast<std::size_t>(k)] = c.get(k < 2 ? "/v1/campaigns/cmp_000000" : "/v1/nothing/here");
    });
  }
  // Poll (bounded) until the server has seen all three requests.
  auto until = std::chrono::steady_clock::now() + 30s;
  while (s->stats().requests < 3 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  BOOST_REQUIRE_MESSAGE(s->stats().requests == 3u, "the server saw " << s->stats().requests << " of 3 requests in 30 s");

  // The hang waits forever and the slow body 120 s per byte, the clients 60 s:
  // a stop() well under those is quick whatever the machine's load (a few
  // seconds; the old 100 ms bound failed on a busy 2-core machine).
  auto t0 = std::chrono::steady_clock::now();
  s->stop();
  auto took = std::chrono::steady_clock::now() - t0;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() < 10000);
  for (auto& t : waiting) t.join();
  BOOST_TEST(connected.load() == 3);
  // The hanging and slow ones saw the connection end, not a timeout.
  int cut = 0;
  for (auto& r : results)
    if (r.error && r.error != beast::error::timeout) ++cut;
  BOOST_TEST(cut == 2);
  s.reset(); // destructor after stop() is fine too
}

BOOST_AUTO_TEST_CASE(bind_failure_throws) {
  Server first(Options{});
  Options o;
  o.port = first.port();
  // SO_REUSEADDR does not allow two listeners on one port.
  BOOST_CHECK_THROW(Server second(o), boost::system::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
