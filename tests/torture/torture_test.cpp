// Each allocation on the decode and request paths fails once, in turn: the
// failure surfaces as a typed error (internal, "out of memory") or is
// absorbed, never as a crash, a hang or a leak (leaks: the sanitizer and
// valgrind runs of this test).
#define BOOST_TEST_MODULE campaign allocation torture
#include <campaign/campaign.hpp>
#include <campaign/client.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "failing_new.hpp"

using namespace campaign;
using campaign::test::allocation_failed;
using campaign::test::fail_allocation;

namespace {

const std::string body =
    R"({"id":"cmp_000001","org_id":"org_1","name":"Caf\u00e9 \"quoted\"","agent_id":"agt_1",)"
    R"("from_phone_number":"+15550001","status":"running","max_concurrent_calls":5,)"
    R"("scheduled_at":"2024-03-01T14:30:00+05:30","retry_config":{"max_retries":3},)"
    R"("total_leads":10,"completed_calls":4,"pending_calls":6,"created_at":"2024-03-01T09:00:00Z",)"
    R"("extra":{"nested":[1,2,{"x":"y"}]}})";

bool ok_or_out_of_memory(const Result<Campaign>& r) {
  return r.has_value() || (r.error().kind == ErrorKind::internal && r.error().message == "out of memory") ||
         r.error().kind == ErrorKind::timeout;
}

// Runs `step` with the k-th allocation failing, for k = 1, 2, ... until a
// run completes without reaching the failure. Returns the allocation count.
template <class Step>
std::size_t torture(Step step) {
  for (std::size_t k = 1; k < 100000; ++k) {
    fail_allocation(k);
    auto r = step();
    if (std::getenv("TORTURE_VERBOSE")) std::fprintf(stderr, "k=%zu %s\n", k, r ? "ok" : r.error().describe().c_str());
    bool failed = allocation_failed();
    fail_allocation(0);
    if (!failed) {
      BOOST_TEST(r.has_value(), "the undisturbed run must succeed: " << r.error().describe());
      return k - 1;
    }
    BOOST_TEST(ok_or_out_of_memory(r), "allocation " << k << ": " << (r ? "" : r.error().describe()));
  }
  BOOST_FAIL("never finished");
  return 0;
}

// campaign-mock as a separate process, so its allocations are not ours.
struct MockProcess {
  MockProcess() {
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::execl(CAMPAIGN_MOCK_EXE, CAMPAIGN_MOCK_EXE, "--port", "0", "--generate", "10", "--api-key",
              "sk_torture", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    char line[256] = {};
    std::size_t n = 0;
    while (n < sizeof line - 1 && ::read(fds[0], line + n, 1) == 1 && line[n] != '\n') ++n;
    ::close(fds[0]);
    std::string s(line, n);
    auto at = s.find("http://");
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "mock said: " << s);
    base_url = s.substr(at) + "/v1";
  }
  ~MockProcess() {
    ::kill(pid, SIGTERM);
    int status;
    ::waitpid(pid, &status, 0);
  }
  pid_t pid;
  std::string base_url;
};

}  // namespace

BOOST_AUTO_TEST_CASE(decode_with_a_reused_decoder) {
  Decoder d;
  BOOST_REQUIRE(d.decode(body).has_value());  // warm: the parser has its capacity
  std::size_t n = torture([&] { return d.decode(body); });
  BOOST_TEST_MESSAGE("decode with a warm decoder: " << n << " allocation(s)");
  BOOST_TEST(n >= 1u);
}

BOOST_AUTO_TEST_CASE(decode_with_a_fresh_decoder) {
  std::size_t n = torture([&]() -> Result<Campaign> {
    try {
      Decoder d;  // constructing it allocates too: a constructor reports that by throwing
      return d.decode(body);
    } catch (const std::bad_alloc&) {
      return make_error(ErrorKind::internal, "out of memory");
    }
  });
  BOOST_TEST_MESSAGE("decode with a fresh decoder: " << n << " allocation(s)");
}

BOOST_AUTO_TEST_CASE(decode_errors_and_raw_access) {
  torture([&] { return parse(R"({"id":"x","total_leads":"5"})").has_value() ? Result<Campaign>(make_error(ErrorKind::internal, "unexpected")) : parse(body); });
  auto rec = parse(body).value();
  torture([&]() -> Result<Campaign> {
    auto v = at_pointer(rec, "/extra/nested/2");
    if (!v) return v.error();
    return rec;
  });
}

BOOST_AUTO_TEST_CASE(request_path_fresh_and_pooled) {
  MockProcess mock;
  ClientOptions o;
  o.base_url = mock.base_url;
  o.api_key = "sk_torture";
  // An allocation that fails inside Asio's or Beast's own composed operations
  // cannot be reported by them: that attempt then ends at its deadline.
  o.timeout = std::chrono::milliseconds(500);
  o.total_timeout = std::chrono::seconds(2);
  o.max_retries = 0;
  o.log = [](LogLevel, std::string_view m) { BOOST_TEST_MESSAGE("log: " << m); };
  auto client = Client::create(o);
  BOOST_REQUIRE(client.has_value());
  std::size_t fresh = torture([&] {
    client->cancel_all();
    return client->get("cmp_000001");
  });
  BOOST_TEST_MESSAGE("request path: " << fresh << " allocation(s) per get");
  BOOST_TEST(client->get("cmp_000002").has_value());  // still healthy afterwards
}
