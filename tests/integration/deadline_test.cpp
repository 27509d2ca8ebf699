// Deadlines, server-requested waits and size limits, measured where a broken
// client could not hide it: on the wire (attempts, gaps between them, bytes
// the server got to send).
#include "fixture.hpp"

#include "loopback.hpp"

#include <boost/test/unit_test.hpp>

#include <ctime>
#include <future>
#include <mutex>
#include <numeric>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;
using Kind = mock::Fault::Kind;

namespace {

const std::string record = R"({"id":"cmp_000001","name":"Gap"})";

std::string ok_response() {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(record.size()) + "\r\n\r\n" + record;
}

std::string busy(const std::string& retry_after) {
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: " + retry_after + "\r\n\r\n";
}

// A raw server answering the n-th request (over any connection) with
// responses[n] (the last one repeats), and noting when each request arrived.
class TimedServer {
 public:
  explicit TimedServer(std::vector<std::string> responses)
      : responses_(std::move(responses)), server_([this](tcp::socket& s) { serve(s); }) {}

  std::string base_url() const { return server_.origin() + "/v1"; }
  std::vector<steady_clock::time_point> arrivals() const {
    std::lock_guard lock(mutex_);
    return at_;
  }
  // Gaps between consecutive requests, as the server saw them.
  std::vector<milliseconds> gaps() const {
    auto at = arrivals();
    std::vector<milliseconds> out;
    for (std::size_t i = 1; i < at.size(); ++i) out.push_back(duration_cast<milliseconds>(at[i] - at[i - 1]));
    return out;
  }

 private:
  void serve(tcp::socket& s) {
    for (;;) {
      std::string head = read_request_head(s);
      if (head.find("\r\n\r\n") == std::string::npos) return;  // the client closed
      std::size_t n;
      {
        std::lock_guard lock(mutex_);
        at_.push_back(steady_clock::now());
        n = at_.size() - 1;
      }
      if (!write_all(s, responses_[std::min(n, responses_.size() - 1)])) return;
    }
  }

  std::vector<std::string> responses_;
  mutable std::mutex mutex_;
  std::vector<steady_clock::time_point> at_;
  RawServer server_;  // last: stopped (and its handlers joined) before the rest goes
};

std::string describe(const std::vector<milliseconds>& gaps) {
  std::string s;
  for (auto g : gaps) s += std::to_string(g.count()) + " ms ";
  return s;
}

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of a system_clock time.
std::string imf_fixdate(system_clock::time_point t) {
  std::time_t tt = system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);  // "C" locale: English names
  return buf;
}

ClientOptions gap_options(const std::string& base, int retries, milliseconds backoff) {
  auto o = options_for(base);
  o.max_retries = retries;
  o.backoff_initial = backoff;
  o.backoff_max = backoff;
  o.timeout = seconds(10);
  o.total_timeout = seconds(30);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attempt_deadline)

// Per-attempt `timeout` runs from connect to the last body byte: a body that
// trickles in (a byte every 200 ms) ends at the attempt's deadline, not at the
// far larger total one.
BOOST_AUTO_TEST_CASE(trickling_body_ends_at_the_attempt_deadline) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::slow_body, .delay = milliseconds(200)}});
  auto o = f.options();
  o.timeout = seconds(1);
  o.total_timeout = seconds(60);
  o.max_retries = 0;
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = seen(c.get("cmp_000001"));
  auto took = steady_clock::now() - start;
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "timeout");
  BOOST_TEST(r.error().http_status == 200);  // the head had arrived: the body was cut
  BOOST_TEST_MESSAGE("trickle ended after " << duration_cast<milliseconds>(took).count() << " ms");
  BOOST_TEST((took >= milliseconds(900)));
  BOOST_TEST((took < seconds(5)));
  BOOST_TEST(f.requests_for("cmp_000001") == 1u);
}

// Each retry gets a fresh attempt deadline: three trickling attempts of ~1 s.
BOOST_AUTO_TEST_CASE(each_retry_of_a_trickling_body_gets_its_own_attempt_deadline) {
  MockFixture f;
  f.server.script("cmp_000001",
                  std::vector<mock::Fault>(3, mock::Fault{.kind = Kind::slow_body, .delay = milliseconds(200)}));
  auto o = f.options();
  o.timeout = seconds(1);
  o.total_timeout = seconds(60);
  o.max_retries = 2;
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = seen(c.get("cmp_000001"));
  auto took = steady_clock::now() - start;
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "timeout");
  BOOST_TEST(r.error().attempts == 3);
  BOOST_TEST(f.requests_for("cmp_000001") == 3u);
  BOOST_TEST_MESSAGE("three trickles ended after " << duration_cast<milliseconds>(took).count() << " ms");
  BOOST_TEST((took >= milliseconds(2700)));
  BOOST_TEST((took < seconds(15)));
}

BOOST_AUTO_TEST_SUITE_END()

// Retry-After, measured as the gap between the attempts the server saw. The
// backoff is set so that ignoring the header (or honouring a bad one) shows.
BOOST_AUTO_TEST_SUITE(retry_after_gaps)

BOOST_AUTO_TEST_CASE(seconds_value_is_waited_for) {
  TimedServer s({busy("1"), ok_response()});
  Client c = make_client(gap_options(s.base_url(), 1, milliseconds(1)));  // backoff: ~0
  auto r = seen(c.get("cmp_000001"));
  BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  auto gaps = s.gaps();
  BOOST_REQUIRE_EQUAL(gaps.size(), 1u);
  BOOST_TEST_MESSAGE("gap " << describe(gaps));
  BOOST_TEST((gaps[0] >= seconds(1)));
  BOOST_TEST((gaps[0] < seconds(6)));
}

BOOST_AUTO_TEST_CASE(future_http_date_is_waited_for) {
  // ~2 s ahead; the date has 1 s granularity, so at least 1 s is left.
  TimedServer s({busy(imf_fixdate(system_clock::now() + seconds(2))), ok_response()});
  Client c = make_client(gap_options(s.base_url(), 1, milliseconds(1)));
  auto r = seen(c.get("cmp_000001"));
  BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  auto gaps = s.gaps();
  BOOST_REQUIRE_EQUAL(gaps.size(), 1u);
  BOOST_TEST_MESSAGE("gap " << describe(gaps));
  BOOST_TEST((gaps[0] >= seconds(1)));
  BOOST_TEST((gaps[0] < seconds(8)));
}

// "0" means retry at once. The backoff is 60 s: were the header ignored, each
// wait would be uniform in [0, 60 s] (most of them past the 30 s deadline).
BOOST_AUTO_TEST_CASE(zero_means_at_once) {
  TimedServer s({busy("0"), busy("0"), busy("0"), ok_response()});
  Client c = make_client(gap_options(s.base_url(), 3, seconds(60)));
  auto r = seen(c.get("cmp_000001"));
  BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  auto gaps = s.gaps();
  BOOST_REQUIRE_EQUAL(gaps.size(), 3u);
  BOOST_TEST_MESSAGE("gaps " << describe(gaps));
  for (auto g : gaps) BOOST_TEST((g < seconds(2)), g.count() << " ms");
}

// Garbage, negative and exponent values are not waits: the backoff (full
// jitter in [0, 300 ms]) is used. Five such waits add up to 60 ms or more
// except with odds of ~3e-6, while "0" (or any value read as 0) gives ~0;
// none comes near 1 s, which "-1" read as 1 s would ("1e3" as 1000 s would
// not be retried at all).
BOOST_AUTO_TEST_CASE(garbage_negative_and_exponent_values_fall_back_to_backoff) {
  for (std::string value : {"soon", "-1", "1e3"}) {
    BOOST_TEST_CONTEXT("Retry-After: " << value) {
      std::vector<std::string> responses(5, busy(value));
      responses.push_back(ok_response());
      TimedServer s(responses);
      Client c = make_client(gap_options(s.base_url(), 5, milliseconds(300)));
      auto r = seen(c.get("cmp_000001"));
      BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
      auto gaps = s.gaps();
      BOOST_REQUIRE_EQUAL(gaps.size(), 5u);
      BOOST_TEST_MESSAGE(value << ": gaps " << describe(gaps));
      auto sum = std::accumulate(gaps.begin(), gaps.end(), milliseconds(0));
      BOOST_TEST((sum >= milliseconds(60)), sum.count() << " ms in all");
      for (auto g : gaps) BOOST_TEST((g < seconds(1)), g.count() << " ms");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

// "Too large" costs the server only what fits in the socket buffers: the
// client stops reading (and closes) as soon as it knows.
BOOST_AUTO_TEST_SUITE(size_limit)

namespace {

struct Sender {
  std::atomic<std::size_t> sent{0};  // body bytes the kernel accepted from the server
  std::promise<void> done;
};

// Writes `head`, then up to `total` bytes of `block`s, counting what the
// socket took, until the peer goes away; then `tail`.
RawServer::Handler stream(Sender& out, std::string head, std::string block, std::size_t total, std::string tail) {
  return [&out, head, block, total, tail](tcp::socket& s) {
    struct Signal {
      Sender& out;
      ~Signal() {
        try {
          out.done.set_value();
        } catch (...) {  // a second connection (a wrongful retry): the first one counts
        }
      }
    } signal{out};
    read_request_head(s);
    if (!write_all(s, head)) return;
    boost::system::error_code ec;
    while (out.sent.load() < total) {
      std::size_t n = s.write_some(boost::asio::buffer(block), ec);
      if (ec) return;  // the client closed (EPIPE / ECONNRESET)
      out.sent += n;
    }
    write_all(s, tail);
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(content_length_over_the_limit_is_refused_from_the_header) {
  constexpr std::size_t body = std::size_t(100) << 20;  // 100 MiB announced and sent
  Sender snd;
  RawServer s(stream(snd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body) + "\r\n\r\n",
                     std::string(64 * 1024, ' '), body, ""));
  auto o = options_for(s.origin() + "/v1");
  o.max_body_bytes = 1 << 20;
  o.max_retries = 2;  // too_large is final: one attempt
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = seen(c.get("cmp_000001"));
  auto took = steady_clock::now() - start;
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "too_large");
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST((took < seconds(5)));
  // The server's writes fail once the client has closed; bounded wait.
  BOOST_REQUIRE_MESSAGE(snd.done.get_future().wait_for(seconds(20)) == std::future_status::ready,
                        "the server was still sending 20 s after the client gave up");
  BOOST_TEST_MESSAGE("server sent " << snd.sent.load() << " of " << body << " body bytes");
  BOOST_TEST(snd.sent.load() < std::size_t(8) << 20);  // socket buffers, not the body
  BOOST_TEST(s.accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(chunked_body_stops_as_soon_as_it_passes_the_limit) {
  constexpr std::size_t body = std::size_t(256) << 20;  // would be 256 MiB
  Sender snd;
  RawServer s(stream(snd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                     "10000\r\n" + std::string(0x10000, ' ') + "\r\n", body, "0\r\n\r\n"));
  auto o = options_for(s.origin() + "/v1");
  o.max_body_bytes = 64 * 1024;
  o.max_retries = 2;
  Client c = make_client(o);
  auto start = steady_clock::now();
  auto r = seen(c.get("cmp_000001"));
  auto took = steady_clock::now() - start;
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "too_large");
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST((took < seconds(5)));
  BOOST_REQUIRE_MESSAGE(snd.done.get_future().wait_for(seconds(20)) == std::future_status::ready,
                        "the server was still sending 20 s after the client gave up");
  BOOST_TEST_MESSAGE("server sent " << snd.sent.load() << " of " << body << " body bytes");
  BOOST_TEST(snd.sent.load() < std::size_t(8) << 20);  // the limit plus socket buffers
  BOOST_TEST(s.accepted() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
