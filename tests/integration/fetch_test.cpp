// Fetching over real loopback sockets: blocking, callbacks, futures,
// coroutines, an attached io_context, and many threads at once.
#include "fixture.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <thread>

using namespace campaign;
using namespace campaign::test;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(fetch)

BOOST_AUTO_TEST_CASE(blocking_get_returns_the_served_record) {
  MockFixture f;
  Client c = make_client(f.options());
  auto r = seen(c.get("cmp_000042"));
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->id() == "cmp_000042");
  BOOST_TEST(to_json(*r) == to_json(parse(mock::generated_record(42)).value()));
}

BOOST_AUTO_TEST_CASE(request_line_and_headers) {
  MockFixture f;
  Client c = make_client(f.options());
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  auto log = f.server.requests();
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0].method == "GET");
  BOOST_TEST(log[0].target == "/v1/campaigns/cmp_000001");
  BOOST_TEST(*log[0].header("Authorization") == std::string("Bearer ") + canary_key);
  BOOST_TEST(*log[0].header("Accept") == "application/json");
  BOOST_TEST(log[0].header("User-Agent")->rfind("campaign/", 0) == 0);
  BOOST_TEST(*log[0].header("X-Campaign-Retry-Count") == "0");
  BOOST_TEST(*log[0].header("Host") == "127.0.0.1:" + std::to_string(f.server.port()));
}

BOOST_AUTO_TEST_CASE(user_agent_suffix) {
  MockFixture f;
  auto o = f.options();
  o.user_agent_suffix = "dialer/2.1";
  Client c = make_client(o);
  BOOST_REQUIRE(c.get("cmp_000001").has_value());
  BOOST_TEST(f.server.requests().at(0).header("User-Agent")->find(" dialer/2.1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(callback_runs_once_on_an_io_thread) {
  MockFixture f;
  Client c = make_client(f.options());
  std::promise<std::pair<std::string, std::thread::id>> p;
  c.submit("cmp_000007", [&](Result<Campaign> r) {
    p.set_value({r ? std::string(r->id()) : r.error().describe(), std::this_thread::get_id()});
  });
  auto [id, tid] = p.get_future().get();
  BOOST_TEST(id == "cmp_000007");
  BOOST_TEST((tid != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(use_future_token) {
  MockFixture f;
  Client c = make_client(f.options());
  std::future<Result<Campaign>> fut = c.async_get("cmp_000003", asio::use_future);
  auto r = fut.get();
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->id() == "cmp_000003");
}

BOOST_AUTO_TEST_CASE(use_awaitable_token_on_callers_io_context) {
  MockFixture f;
  Client c = make_client(f.options());
  asio::io_context ioc;
  std::string got;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        for (const char* id : {"cmp_000010", "cmp_000011"}) {
          Result<Campaign> r = co_await c.async_get(id, asio::use_awaitable);
          got += r ? std::string(r->id()) + ";" : r.error().describe();
        }
      },
      asio::detached);
  ioc.run();  // returns only when the coroutine is done: the client kept it busy
  BOOST_TEST(got == "cmp_000010;cmp_000011;");
}

BOOST_AUTO_TEST_CASE(attached_to_callers_io_context) {
  MockFixture f;
  asio::io_context ioc;
  auto created = Client::create(ioc, f.options());
  BOOST_REQUIRE(created.has_value());
  int done = 0;
  std::string ids;
  for (int i = 0; i < 20; ++i) {
    created->submit("cmp_0000" + std::to_string(10 + i), [&](Result<Campaign> r) {
      ++done;  // single-threaded io_context: no lock needed
      if (r) ids += std::string(r->id()).substr(8);
    });
  }
  while (done < 20) ioc.run_one();
  BOOST_TEST(done == 20);
  BOOST_TEST(ids.size() == 40u);
}

BOOST_AUTO_TEST_CASE(cancellation_slot_cancels_one_request) {
  mock::Options mo = mock_options();
  MockFixture f(mo);
  f.server.script("cmp_000005", {mock::Fault{.kind = mock::Fault::Kind::hang}});
  Client c = make_client(f.options());
  asio::io_context ioc;
  asio::cancellation_signal signal;
  std::promise<Result<Campaign>> result;
  c.async_get("cmp_000005", asio::bind_cancellation_slot(signal.slot(), [&](Result<Campaign> r) {
                result.set_value(std::move(r));
              }));
  // The request is stuck on a hanging server; cancel it once it reached the server.
  BOOST_REQUIRE_MESSAGE(eventually([&] { return !f.server.requests().empty(); }),
                        "the request did not reach the server in 10 s");
  signal.emit(asio::cancellation_type::terminal);
  auto r = result.get_future().get();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(seen(r.error()).kind) == "cancelled");
}

BOOST_AUTO_TEST_CASE(eight_threads_share_one_client) {
  MockFixture f;
  Client c = make_client(f.options());
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "cmp_%06d", t * 100 + i);
        auto r = c.get(id);
        if (r && r->id() == id) ++ok;
        else ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(ok.load() == 800);
  BOOST_TEST(bad.load() == 0);
}

BOOST_AUTO_TEST_CASE(several_io_threads) {
  MockFixture f;
  auto o = f.options();
  o.io_threads = 3;
  Client c = make_client(o);
  std::vector<std::future<Result<Campaign>>> futures;
  for (int i = 0; i < 60; ++i) futures.push_back(c.async_get("cmp_000" + std::to_string(100 + i), asio::use_future));
  for (int i = 0; i < 60; ++i) BOOST_TEST(futures[static_cast<std::size_t>(i)].get()->id() == "cmp_000" + std::to_string(100 + i));
}

BOOST_AUTO_TEST_CASE(fail_fast_preset) {
  auto o = ClientOptions::fail_fast("http://127.0.0.1:1/v1", "k");
  BOOST_TEST(o.max_retries == 1);
  BOOST_TEST(o.total_timeout.count() <= 2000);
  BOOST_TEST(o.connect_timeout.count() < o.timeout.count());
}

BOOST_AUTO_TEST_SUITE_END()
