// The transport (src/net, private) driven directly with limits the public
// options refuse: deadlines at the clock's end, timeouts of
// milliseconds::max() and a body limit of SIZE_MAX must neither overflow
// nor hang, against a real loopback server. Runs in a forked child with an
// alarm: a transport stuck in a loop cannot be stopped any other way.
#include "fixture.hpp"

#include "loopback.hpp"

#include "../../src/net/padded_body.hpp"
#include "../../src/net/transport.hpp"

#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>

#include <sys/wait.h>
#include <unistd.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;

BOOST_AUTO_TEST_SUITE(transport_limits)

// Item 8: Clock::now() + milliseconds::max() overflowed (the connect deadline
// landed in the past: an instant "timed out connecting"), and PaddedBuffer's
// doubling wrapped to 0 and looped forever for a Content-Length of 2^63
// under a body limit of SIZE_MAX. A declared length no longer reserves more
// than kMaxBodyPrereserve, so neither length allocates anything large.
BOOST_AUTO_TEST_CASE(huge_deadlines_timeouts_and_content_lengths_neither_overflow_nor_hang) {
  std::atomic<int> requests{0};
  RawServer server([&](tcp::socket& s) {
    while (read_request_head(s).find("\r\n\r\n") != std::string::npos) {
      int n = ++requests;
      if (n == 1 && !write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) return;
      // Declared, never sent: the server closes after two bytes of the body.
      if (n == 2) return (void)write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n{}");
      if (n == 3) return (void)write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n{}");
    }
  });
  const std::string origin = server.origin();
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::alarm(20);  // bounded: a hang ends the child with SIGALRM
    auto ep = net::parse_base_url(origin + "/v1");
    if (!ep) ::_exit(10);
    net::TransportOptions to;
    to.endpoint = *ep;
    to.connect_timeout = milliseconds::max();
    to.idle_timeout = milliseconds::max();
    to.max_body = SIZE_MAX;
    boost::asio::io_context ioc;
    auto strand = boost::asio::make_strand(ioc);
    auto counters = std::make_shared<net::TransportCounters>();
    auto t = std::make_shared<net::Transport>(strand, to, nullptr, counters,
                                              std::make_shared<net::FdRegistry>(8));
    t->set_fixed_headers("Host: " + ep->host_header + "\r\n");
    std::string outcome[3];
    std::function<void(int)> step = [&](int i) {
      if (i == 3) return ioc.stop();
      t->start("/v1/campaigns/x", "", net::Clock::time_point::max(),
               [&, i](const net::Failure* f, const net::Response* r) {
                 outcome[i] = f ? std::string(to_string(f->kind)) + ": " + f->message
                                : "status " + std::to_string(r->status);
                 // Next on the strand, once this connection is back in the pool.
                 boost::asio::post(strand, [&, i] { step(i + 1); });
               });
    };
    boost::asio::post(strand, [&] { step(0); });
    ioc.run_for(seconds(15));
    for (auto& o : outcome) std::fprintf(stderr, "transport_limits: %s\n", o.c_str());
    if (outcome[0] != "status 200") ::_exit(2);  // not an instant timeout
    if (counters->reused.load() < 1) ::_exit(3);  // not expired at once either
    // 2^63: nothing of that size is reserved up front (no allocation failure,
    // no doubling loop); the body is read until the server closes short.
    if (outcome[1].empty() || outcome[1].rfind("status", 0) == 0 ||
        outcome[1].rfind("out_of_memory", 0) == 0)
      ::_exit(4);
    // 2^64 - 1: the same, one byte short of what a size_t can count.
    if (outcome[2].empty() || outcome[2].rfind("status", 0) == 0 ||
        outcome[2].rfind("out_of_memory", 0) == 0)
      ::_exit(5);
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  BOOST_TEST(!WIFSIGNALED(status), "the child was killed by signal " << WTERMSIG(status)
                                                                      << " (SIGALRM: it hung)");
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, "child step " << WEXITSTATUS(status) << " failed");
}

// A declared Content-Length reserves at most kMaxBodyPrereserve before the
// body arrives: a server announcing 1 TiB under a generous body limit must
// not make the client allocate it, and the bytes that do come still land.
BOOST_AUTO_TEST_CASE(a_declared_length_reserves_at_most_the_prereserve_cap) {
  namespace http = boost::beast::http;
  net::PaddedBuffer buffer(64);
  net::PaddedBody::value_type body{&buffer};
  http::response_header<> head;
  net::PaddedBody::reader reader(head, body);
  boost::system::error_code ec;
  reader.init(std::uint64_t{1} << 40, ec);
  BOOST_TEST(!ec);
  // Storage doubles from 1 KiB, so the cap plus padding rounds up to 2 MiB.
  BOOST_TEST(buffer.capacity() <= 2 * (net::kMaxBodyPrereserve + 64));
  reader.init(std::uint64_t{100}, ec);  // a record-sized body: one allocation
  BOOST_TEST(buffer.capacity() >= 100u + 64u);
  const std::string more(3 * net::kMaxBodyPrereserve, 'x');  // larger bodies grow
  reader.put(boost::asio::buffer(more), ec);
  BOOST_TEST(!ec);
  BOOST_TEST(buffer.size() == more.size());
}

BOOST_AUTO_TEST_SUITE_END()
