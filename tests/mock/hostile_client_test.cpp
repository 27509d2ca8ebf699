// The mock against clients that would exhaust it: a request head, chunk
// line or trailer that never ends, a request with thousands of headers, a
// client that never reads its response. Each is bounded, and the mock keeps
// serving.
#include <chrono>
#include <cerrno>
#include <string>
#include <thread>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"

using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using namespace campaign::mock::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A non-blocking loopback socket to the mock; every wait on it is a bounded poll().
struct RawSocket {
  int fd = -1;
  explicit RawSocket(std::uint16_t port, int rcvbuf = 0, int sndbuf = 0) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BOOST_TEST_REQUIRE(fd >= 0);
    // Set before connect() so that the window is small from the start.
    if (rcvbuf) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (sndbuf) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_TEST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  ~RawSocket() { ::close(fd); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
};

struct Flood {
  std::size_t sent = 0;   // bytes the kernel took from the client before it saw the server close
  bool closed = false;    // EOF or RST from the server
  std::string answer;     // what the server sent
  std::chrono::milliseconds took{0};
};

// Sends `head`, then `filler` bytes of 'a' up to `max` bytes in all, reading
// whatever comes back, until the server closes (or 30 s pass).
Flood flood(std::uint16_t port, const std::string& head, std::size_t max = 64u << 20) {
  // A small send buffer: what the client counts as sent is close to what
  // the server read.
  RawSocket c(port, 0, 64 * 1024);
  Flood out;
  const auto t0 = Clock::now(), until = t0 + 30s;
  const std::string block(64 * 1024, 'a');
  std::size_t head_off = 0;
  char in[4096];
  while (Clock::now() < until) {
    pollfd p{c.fd, POLLIN, 0};
    if (out.sent < max) p.events |= POLLOUT;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::recv(c.fd, in, sizeof in, 0);
      if (n > 0) out.answer.append(in, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        out.closed = true;
        break;
      }
    }
    if ((p.revents & POLLOUT) && out.sent < max) {
      const char* data;
      std::size_t len;
      if (head_off < head.size()) {
        data = head.data() + head_off;
        len = head.size() - head_off;
      } else {
        data = block.data();
        len = std::min(block.size(), max - out.sent);
      }
      ssize_t n = ::send(c.fd, data, len, MSG_NOSIGNAL);
      if (n > 0) {
        if (head_off < head.size()) head_off += static_cast<std::size_t>(n);
        out.sent += static_cast<std::size_t>(n);
      } else if (errno != EAGAIN && errno != EINTR) {
        out.closed = true; // EPIPE / ECONNRESET: the server closed
        break;
      }
    }
  }
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  return out;
}

bool serves(Server& s) {
  Client c(s.port(), 10s);
  return !c.connect() && c.get("/v1/campaigns/cmp_000000").status == 200;
}

// What the server read is at most its 64 KiB buffer (or 1 MiB of discarded
// body); what the client managed to send also includes what sat in the two
// sockets' buffers on the way. 16 MiB is far above that and far below the
// 64 MiB an unbounded server takes.
constexpr std::size_t sent_bound = 16u << 20;

void check_flood(const char* what, const std::string& head, const std::string& status) {
  Server s(Options{});
  s.generate(1);
  Flood f = flood(s.port(), head);
  BOOST_TEST_MESSAGE(what << ": closed after " << f.sent << " bytes sent, " << f.took.count() << " ms");
  BOOST_TEST(f.closed, what << ": the server did not close in 30 s, after " << f.sent << " bytes");
  BOOST_TEST(f.sent < sent_bound, what << ": " << f.sent << " bytes sent before the close");
  BOOST_TEST(f.answer.rfind("HTTP/1.1 " + status, 0) == 0, what << ": " << f.answer.substr(0, 200));
  BOOST_TEST(serves(s), what << ": the mock serves other connections afterwards");
}

const std::string chunked_post =
    "POST /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_client)

BOOST_AUTO_TEST_CASE(an_endless_header_line_gets_431_at_the_head_limit) {
  check_flood("header line", "GET /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\nX-Endless: ", "431");
}

BOOST_AUTO_TEST_CASE(an_endless_chunk_extension_gets_413_at_the_read_buffer_bound) {
  check_flood("chunk extension", chunked_post + "1;x=", "413");
}

BOOST_AUTO_TEST_CASE(an_endless_trailer_gets_413_at_the_read_buffer_bound) {
  check_flood("trailer", chunked_post + "1\r\nz\r\n0\r\nX-Trailer: ", "413");
}

BOOST_AUTO_TEST_CASE(an_endless_request_body_gets_413_at_the_body_limit) {
  // A chunk over the limit (the limit counts chunk sizes as they are
  // announced), then a Content-Length over it.
  check_flood("chunked body", chunked_post + "ffffff\r\n", "413");
  check_flood("content-length body",
              "POST /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\nContent-Length: 68719476736\r\n\r\n", "413");
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
  o.write_timeout = 300ms; // the idle timeout stays 60 s
  Server s(o);
  s.generate(1);
  Fault big;
  big.kind = Fault::Kind::oversized_body;
  big.size = 256u << 20; // far more than the socket buffers hold
  s.script("cmp_000000", {big});
  RawSocket c(s.port(), 4096);
  const std::string get = "GET /v1/campaigns/cmp_000000 HTTP/1.1\r\nHost: x\r\n\r\n";
  BOOST_REQUIRE(::send(c.fd, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
  // The client reads nothing. Poll (bounded) the mock's count of open connections.
  const auto until = Clock::now() + 20s;
  while (s.stats().requests < 1 && Clock::now() < until) std::this_thread::sleep_for(1ms);
  BOOST_REQUIRE(s.stats().requests == 1u);
  const auto t0 = Clock::now();
  while (s.stats().active_connections > 0 && Clock::now() < until) std::this_thread::sleep_for(5ms);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  BOOST_TEST_MESSAGE("dropped " << took.count() << " ms after the request");
  BOOST_TEST(s.stats().active_connections == 0u); // without a write deadline: open until stop()
  BOOST_TEST(took < 10s);
  // The client is still there and never read: what it has is a stalled body.
  pollfd p{c.fd, POLLIN, 0};
  BOOST_TEST(::poll(&p, 1, 0) == 1);
  BOOST_TEST(serves(s));
}

BOOST_AUTO_TEST_SUITE_END()
