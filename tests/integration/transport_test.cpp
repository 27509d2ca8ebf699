// HTTP/1.1 framing and connection reuse, against raw sockets where the mock
// cannot express the case.
#include "fixture.hpp"

#include "loopback.hpp"

#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;

namespace {

const std::string record = R"({"id":"cmp_000001","name":"Raw","status":"paused"})";

std::string ok_response(const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

// A server that answers every request on a connection with `response`.
RawServer::Handler serve_all(std::string response) {
  return [response](tcp::socket& s) {
    while (!read_request_head(s).empty() && write_all(s, response)) {
    }
  };
}

Client raw_client(const RawServer& s, int retries = 0) {
  auto o = options_for(s.origin() + "/v1");
  o.max_retries = retries;
  o.timeout = seconds(3);
  return make_client(o);
}

Result<Campaign> get_from(const std::string& response) {
  RawServer s(serve_all(response));
  Client c = raw_client(s);
  return seen(c.get("cmp_000001"));
}

std::string kind_from(const std::string& response) {
  auto r = get_from(response);
  return r ? "ok" : std::string(to_string(r.error().kind));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(transport)

BOOST_AUTO_TEST_CASE(keep_alive_batch_of_1000_opens_at_most_8_connections) {
  MockFixture f;
  Client c = make_client(f.options());
  std::size_t i = 0;
  BatchOptions bo;
  bo.concurrency = 8;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (i == 1000) return std::nullopt;
        char id[16];
        std::snprintf(id, sizeof id, "cmp_%06zu", i++);
        return std::string(id);
      },
      [](BatchItem&&) { return true; }, bo);
  BOOST_TEST(summary.succeeded == 1000u);
  BOOST_TEST(f.server.stats().connections <= 8u);
  BOOST_TEST(c.stats().connections_opened <= 8u);
  BOOST_TEST(c.stats().connections_reused >= 992u);
}

BOOST_AUTO_TEST_CASE(connection_close_from_server_is_respected) {
  mock::Options mo = mock_options();
  mo.max_requests_per_connection = 1;
  MockFixture f(mo);
  Client c = make_client(f.options());
  for (int i = 0; i < 5; ++i) BOOST_REQUIRE(c.get("cmp_00000" + std::to_string(i)).has_value());
  BOOST_TEST(f.server.stats().connections == 5u);
  BOOST_TEST(c.stats().stale_resends == 0u);
}

BOOST_AUTO_TEST_CASE(idle_connection_closed_by_server_is_resent_once_on_a_fresh_one) {
  // Answers one request with keep-alive, then closes: the pooled connection is stale.
  RawServer s([](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, ok_response(record));
  });
  Client c = raw_client(s);  // max_retries = 0: the resend is not a retry
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  BOOST_REQUIRE(s.wait_accepted(1, seconds(5)));
  auto second = c.get("cmp_000001");
  BOOST_REQUIRE_MESSAGE(second.has_value(), second.error().describe());
  BOOST_TEST(s.accepted() == 2u);
  // Usually the EOF is seen before the pooled connection is reused (nothing
  // is written to it, nothing re-sent); if the close races that check, the
  // write fails and the request is re-sent once.
  BOOST_TEST(c.stats().stale_resends == c.stats().connections_reused);
  BOOST_TEST(c.stats().stale_resends <= 1u);
  BOOST_TEST(c.stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(chunked_body) {
  std::string half1 = record.substr(0, 20), half2 = record.substr(20);
  auto hex = [](std::size_t n) {
    char b[16];
    std::snprintf(b, sizeof b, "%zx", n);
    return std::string(b);
  };
  auto r = get_from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + hex(half1.size()) + "\r\n" +
                    half1 + "\r\n" + hex(half2.size()) + ";ext=1\r\n" + half2 + "\r\n0\r\n\r\n");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r->name() == "Raw");
}

BOOST_AUTO_TEST_CASE(close_delimited_body) {
  RawServer s([](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + record);
  });  // the handler returns: the socket closes
  Client c = raw_client(s);
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  BOOST_TEST(*r->status_text() == "paused");
}

BOOST_AUTO_TEST_CASE(http_1_0_response_accepted) {
  RawServer s([](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.0 200 OK\r\nContent-Length: " + std::to_string(record.size()) + "\r\n\r\n" + record);
  });
  Client c = raw_client(s);
  BOOST_TEST(c.get("cmp_000001").has_value());
}

BOOST_AUTO_TEST_CASE(interim_1xx_responses_are_skipped) {
  BOOST_TEST(kind_from("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" +
                       ok_response(record)) == "ok");
}

BOOST_AUTO_TEST_CASE(truncated_body_is_network) {
  RawServer s([](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + record);
  });
  Client c = raw_client(s);
  auto r = seen(c.get("cmp_000001"));
  BOOST_TEST(to_string(r.error().kind) == "network");
  BOOST_TEST(r.error().http_status == 200);
}

BOOST_AUTO_TEST_CASE(truncated_chunked_body_is_network) {
  RawServer s([](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"id\":");
  });
  Client c = raw_client(s);
  BOOST_TEST(to_string(seen(c.get("cmp_000001")).error().kind) == "network");
}

BOOST_AUTO_TEST_CASE(bad_chunk_size_is_invalid_response) {
  BOOST_TEST(kind_from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n") ==
             "invalid_response");
}

BOOST_AUTO_TEST_CASE(not_http_is_invalid_response) {
  BOOST_TEST(kind_from("SSH-2.0-OpenSSH_9.2\r\n\r\n") == "invalid_response");
  BOOST_TEST(kind_from("HTTP/1.1 abc Broken\r\n\r\n") == "invalid_response");
}

BOOST_AUTO_TEST_CASE(conflicting_content_length_is_invalid_response) {
  BOOST_TEST(kind_from("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 12\r\n\r\n0123456789ab") ==
             "invalid_response");
}

BOOST_AUTO_TEST_CASE(oversized_headers_are_invalid_response) {
  std::string big = "X-Filler: " + std::string(70 * 1024, 'a') + "\r\n";
  BOOST_TEST(kind_from(ok_response(record, big)) == "invalid_response");
}

BOOST_AUTO_TEST_CASE(chunked_body_over_the_limit_is_too_large_while_reading) {
  RawServer s([&s](tcp::socket& sock) {
    read_request_head(sock);
    write_all(sock, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    for (int i = 0; i < 10000 && !s.stopping(); ++i) write_all(sock, chunk);  // 640 MiB unless refused
  });
  auto o = options_for(s.origin() + "/v1");
  o.max_body_bytes = 256 * 1024;
  o.max_retries = 0;
  Client c = make_client(o);
  auto r = seen(c.get("cmp_000001"));
  BOOST_TEST(to_string(r.error().kind) == "too_large");
}

BOOST_AUTO_TEST_CASE(redirect_is_not_followed) {
  BOOST_TEST(kind_from("HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:1/v1/campaigns/cmp_000001\r\n"
                       "Content-Length: 0\r\n\r\n") == "http_error");
}

BOOST_AUTO_TEST_CASE(no_sigpipe_when_the_library_writes_to_a_connection_the_server_reset) {
  // The first connection answers one request, then sends FIN and RST: the
  // client's pooled socket goes CLOSE_WAIT, then closed with EPIPE pending,
  // so the library's next write on it fails with EPIPE, which raises SIGPIPE
  // unless the write path passes MSG_NOSIGNAL. Later connections answer
  // normally. The client runs in a child with SIGPIPE at SIG_DFL: a SIGPIPE
  // kills the child, which the parent sees.
  int gone[2];
  BOOST_REQUIRE(::pipe(gone) == 0);
  std::atomic<int> conns{0};
  RawServer s([&](tcp::socket& sock) {
    const bool first = conns++ == 0;
    for (;;) {
      if (read_request_head(sock).find("\r\n\r\n") == std::string::npos) return;
      if (!write_all(sock, ok_response(record))) return;
      if (first) break;
    }
    boost::system::error_code ec;
    sock.shutdown(tcp::socket::shutdown_send, ec);  // FIN: the client's end is CLOSE_WAIT
    s.reset(sock);                                  // then RST: EPIPE pending there
    [[maybe_unused]] auto n = ::write(gone[1], "x", 1);
  });
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);
    ::alarm(30);  // bounded: SIGALRM ends a stuck child
    auto o = options_for(s.origin() + "/v1");
    o.max_retries = 0;
    auto c = Client::create(o);
    if (!c || !c->get("cmp_000001")) ::_exit(2);
    pollfd p{gone[0], POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) ::_exit(3);  // the server reset the pooled connection
    // Written to the dead socket first unless the pool saw the reset before
    // reusing it (then it is dropped unused: the usual case since the pool
    // checks idle connections, so this only covers the race).
    auto second = c->get("cmp_000001");
    if (!second) ::_exit(4);
    ::_exit(c->stats().stale_resends == c->stats().connections_reused ? 0 : 5);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // Join the handlers (one wrote to the pipe) before closing it: the child's
  // poll ordered that write, but ThreadSanitizer cannot see across processes.
  s.stop();
  ::close(gone[0]);
  ::close(gone[1]);
  BOOST_TEST(!(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE), "the client was killed by SIGPIPE");
  BOOST_TEST(!WIFSIGNALED(status), "the client was killed by signal " << WTERMSIG(status));
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, "child step " << WEXITSTATUS(status) << " failed");
}

BOOST_AUTO_TEST_CASE(sockets_are_close_on_exec) {
  MockFixture f;
  Client c = make_client(f.options());
  BOOST_REQUIRE(c.get("cmp_000001").has_value());  // a pooled connection stays open
  // Stop the server first: its threads would otherwise open and close
  // descriptors while this loop looks at every descriptor of the process.
  // The client's pooled socket stays open (idle sockets are not watched).
  const auto port = f.server.port();
  f.server.stop();
  std::size_t sockets = 0;
  for (int fd = 0; fd < 1024; ++fd) {
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    sockaddr_storage local{};
    len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    auto* in = reinterpret_cast<sockaddr_in*>(&peer);
    if (ntohs(in->sin_port) != port) continue;  // the client's end only
    ++sockets;
    BOOST_TEST((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "fd " << fd);
  }
  BOOST_TEST(sockets >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
