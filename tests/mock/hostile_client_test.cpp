// The mock against clients that would exhaust it: an endless chunk line in
// a request body, a request with thousands of headers, a client that never
// reads its response. Each is bounded, and the mock keeps serving.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <sys/socket.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;
using tcp = boost::asio::ip::tcp;

namespace {

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A blocking socket to the mock, with receive and send timeouts so that no
// call of the test can block for ever.
struct RawSocket {
  boost::asio::io_context ioc;
  tcp::socket s{ioc};
  explicit RawSocket(std::uint16_t port, int rcvbuf = 0) {
    s.open(tcp::v4());
    if (rcvbuf) s.set_option(boost::asio::socket_base::receive_buffer_size(rcvbuf));
    timeval tv{20, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
};

bool serves(Server& s) {
  Client c(s.port(), 10s);
  return !c.connect() && c.get("/v1/campaigns/cmp_000000").status == 200;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_client)

BOOST_AUTO_TEST_CASE(an_endless_chunk_line_in_a_request_gets_413_at_the_buffer_bound) {
  Server s(Options{});
  s.generate(1);
  const long rss_before = peak_rss_kib();
  RawSocket c(s.port());
  boost::asio::write(c.s, boost::asio::buffer(std::string(
                              "POST /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;x=")));
  // Up to 64 MiB of one chunk extension, from a thread; the answer is read here.
  std::atomic<std::size_t> written{0};
  std::thread writer([&] {
    const std::string block(1 << 20, 'a');
    boost::system::error_code ec;
    for (int k = 0; k < 64 && !ec; ++k) written += boost::asio::write(c.s, boost::asio::buffer(block), ec);
  });
  std::string in;
  boost::system::error_code ec;
  boost::asio::read_until(c.s, boost::asio::dynamic_buffer(in), "\r\n", ec);
  const std::size_t written_at_answer = written.load();
  writer.join();
  BOOST_TEST_MESSAGE("answer after " << written_at_answer << " bytes; peak RSS +" << peak_rss_kib() - rss_before
                                     << " KiB");
  BOOST_TEST(in.rfind("HTTP/1.1 413", 0) == 0, in);
  // Unbounded, the buffer would hold the whole 64 MiB (and more as it doubles).
  BOOST_TEST(peak_rss_kib() - rss_before < 32 * 1024);
  BOOST_TEST(serves(s));
}

BOOST_AUTO_TEST_CASE(the_request_log_keeps_64_headers_of_1_KiB_at_most) {
  Server s(Options{});
  s.generate(1);
  Headers many;
  for (int k = 0; k < 1000; ++k) many.emplace_back("X-" + std::to_string(k), "v");
  Client c(s.port(), 10s);
  BOOST_REQUIRE(!c.connect());
  BOOST_TEST(c.get("/v1/campaigns/cmp_000000", many).status == 200);
  BOOST_TEST(c.get("/v1/campaigns/cmp_000000", {{"X-Big", std::string(10000, 'b')}}).status == 200);
  auto log = s.requests();
  BOOST_REQUIRE(log.size() == 2u);
  BOOST_TEST(log[0].headers.size() == Options::log_header_limit);
  std::size_t big = 0;
  for (const auto& [k, v] : log[1].headers)
    if (k == "X-Big") big = v.size();
  BOOST_TEST(big == Options::log_value_limit);
}

BOOST_AUTO_TEST_CASE(a_client_that_never_reads_is_dropped_at_the_write_timeout) {
  Options o;
  o.write_timeout = 300ms;
  Server s(o);
  s.generate(1);
  Fault big;
  big.kind = Fault::Kind::oversized_body;
  big.size = 256u << 20;  // far more than the socket buffers hold
  s.script("cmp_000000", {big});
  RawSocket c(s.port(), 4096);
  boost::asio::write(c.s, boost::asio::buffer(std::string("GET /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\n\r\n")));
  // The client reads nothing. Poll (bounded) the mock's count of open connections.
  auto until = std::chrono::steady_clock::now() + 20s;
  while (s.stats().requests < 1 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  BOOST_REQUIRE(s.stats().requests == 1u);
  auto t0 = std::chrono::steady_clock::now();
  while (s.stats().active_connections > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  BOOST_TEST_MESSAGE("dropped " << took.count() << " ms after the request");
  BOOST_TEST(s.stats().active_connections == 0u);  // without a write deadline: open until stop()
  BOOST_TEST(serves(s));
}

BOOST_AUTO_TEST_SUITE_END()
