// Every error kind of docs/api.md, each from a real server response or socket.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include "loopback.hpp"

#include <future>

using namespace campaign;
using namespace campaign::test;
using Kind = mock::Fault::Kind;

namespace {

Error fail_of(Client& c, std::string_view id) {
  auto r = c.get(id);
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "expected an error for " << id);
  return seen(r.error());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(not_found_with_message_and_request_id) {
  MockFixture f;
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_nope");
  BOOST_TEST(to_string(e.kind) == "not_found");
  BOOST_TEST(e.http_status == 404);
  BOOST_TEST(e.message == "campaign cmp_nope not found");
  BOOST_TEST(e.request_id.rfind("req_", 0) == 0);
  BOOST_TEST(e.attempts == 1);
  BOOST_TEST(!e.body.empty());
}

BOOST_AUTO_TEST_CASE(unauthorized) {
  MockFixture f;
  Client c = make_client(options_for(f.base_url(), "sk_wrong_key"));
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "unauthorized");
  BOOST_TEST(e.http_status == 401);
  BOOST_TEST(e.attempts == 1);
}

BOOST_AUTO_TEST_CASE(forbidden) {
  MockFixture f;
  Client c = make_client(options_for(f.base_url(), "sk_forbidden_key"));
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "forbidden");
  BOOST_TEST(e.http_status == 403);
}

BOOST_AUTO_TEST_CASE(rate_limited_after_retries) {
  MockFixture f;
  f.server.script("cmp_000001", std::vector<mock::Fault>(3, mock::Fault{.kind = Kind::status, .status = 429}));
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "rate_limited");
  BOOST_TEST(e.http_status == 429);
  BOOST_TEST(e.attempts == 3);
}

BOOST_AUTO_TEST_CASE(server_error) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 501}});
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "server_error");
  BOOST_TEST(e.http_status == 501);
  BOOST_TEST(e.attempts == 1);  // 501 is not retried
}

BOOST_AUTO_TEST_CASE(http_error_for_other_statuses) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 418, .body = R"({"detail":"teapot"})"}});
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "http_error");
  BOOST_TEST(e.http_status == 418);
  BOOST_TEST(e.message == "teapot");
}

BOOST_AUTO_TEST_CASE(error_body_that_is_not_json) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 400, .body = "<html>bad</html>"}});
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "http_error");
  BOOST_TEST(e.message == "HTTP 400");
  BOOST_TEST(e.body == "<html>bad</html>");
}

BOOST_AUTO_TEST_CASE(timeout_when_the_server_never_answers) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::hang}});
  auto o = f.options();
  o.timeout = std::chrono::milliseconds(300);
  o.max_retries = 0;
  Client c = make_client(o);
  auto start = std::chrono::steady_clock::now();
  Error e = fail_of(c, "cmp_000001");
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(to_string(e.kind) == "timeout");
  BOOST_TEST(e.http_status == 0);
  BOOST_TEST((took >= std::chrono::milliseconds(300)));
  BOOST_TEST((took < std::chrono::seconds(3)));
}

BOOST_AUTO_TEST_CASE(timeout_when_the_body_trickles) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::slow_body, .delay = std::chrono::milliseconds(50)}});
  auto o = f.options();
  o.timeout = std::chrono::milliseconds(400);
  o.max_retries = 0;
  Client c = make_client(o);
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "timeout");
  BOOST_TEST(e.http_status == 200);  // the status line had arrived
}

BOOST_AUTO_TEST_CASE(network_when_nothing_listens) {
  std::uint16_t port;
  {
    RawServer s([](boost::asio::ip::tcp::socket&) {});
    port = s.port();
  }  // closed: connecting to it is refused
  auto o = options_for("http://127.0.0.1:" + std::to_string(port) + "/v1");
  o.max_retries = 1;
  Client c = make_client(o);
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "network");
  BOOST_TEST(e.attempts == 2);  // connect failures are retried
  BOOST_TEST(e.message.find("refused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(network_when_host_does_not_resolve) {
  auto o = options_for("http://no-such-host.invalid/v1");
  o.max_retries = 0;
  Client c = make_client(o);
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "network");
  BOOST_TEST(e.message.find("resolve") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(network_on_reset_mid_body) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::reset_mid_body}});
  auto o = f.options();
  o.max_retries = 0;
  Client c = make_client(o);
  BOOST_TEST(to_string(fail_of(c, "cmp_000001").kind) == "network");
}

BOOST_AUTO_TEST_CASE(invalid_response_for_a_body_that_is_not_json) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::garbage}});
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "invalid_response");
  BOOST_TEST(e.http_status == 200);
  BOOST_TEST(e.attempts == 1);
}

BOOST_AUTO_TEST_CASE(invalid_response_for_another_campaigns_record) {
  MockFixture f;
  f.server.add_record(R"({"id":"cmp_other","name":"x"})");
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::garbage, .body = R"({"id":"cmp_other"})"}});
  Client c = make_client(f.options());
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "invalid_response");
  BOOST_TEST(e.message.find("another campaign") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(too_large_refused_from_content_length) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::oversized_body, .size = std::size_t(1) << 30}});
  auto o = f.options();
  o.max_body_bytes = 1 << 20;
  Client c = make_client(o);
  auto start = std::chrono::steady_clock::now();
  Error e = fail_of(c, "cmp_000001");
  BOOST_TEST(to_string(e.kind) == "too_large");
  // Refused from the header: nowhere near the time to move a gigabyte.
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(2)));
}

BOOST_AUTO_TEST_CASE(invalid_argument_for_bad_ids_sends_nothing) {
  MockFixture f;
  Client c = make_client(f.options());
  for (std::string id : std::vector<std::string>{"", "a/b", "..", "cmp%2F", "cmp 1", "cmp\r\nX-Evil: 1", "caf\xC3\xA9",
                         std::string(129, 'a'), std::string("nul\0x", 5)}) {
    Error e = fail_of(c, id);
    BOOST_TEST(to_string(e.kind) == "invalid_argument");
    BOOST_TEST(e.attempts == 0);
  }
  BOOST_TEST(f.server.requests().empty());
  BOOST_TEST(to_string(c.get(std::string(128, 'a')).error().kind) == "not_found");  // 128 is fine
}

BOOST_AUTO_TEST_CASE(invalid_argument_for_bad_configuration) {
  auto bad = [](ClientOptions o) {
    auto c = Client::create(std::move(o));
    BOOST_REQUIRE(!c.has_value());
    BOOST_TEST(to_string(seen(c.error()).kind) == "invalid_argument");
    return c.error().message;
  };
  bad(options_for("ftp://127.0.0.1/v1"));
  bad(options_for("not a url"));
  bad(options_for(""));
  bad(options_for("http://user:pass@127.0.0.1/v1"));
  bad(options_for("http://127.0.0.1/v1", ""));
  std::string m = bad(options_for("http://127.0.0.1/v1", std::string(canary_key) + "\r\nX-Evil: 1"));
  BOOST_TEST(m.find(canary_key) == std::string::npos);
  bad(options_for("http://127.0.0.1/v1", "key with space"));
  auto o = options_for("http://127.0.0.1/v1");
  o.timeout = std::chrono::milliseconds(0);
  bad(o);
}

BOOST_AUTO_TEST_CASE(internal_for_blocking_get_inside_a_callback) {
  MockFixture f;
  Client c = make_client(f.options());
  std::promise<Error> p;
  c.submit("cmp_000001", [&](Result<Campaign>) { p.set_value(c.get("cmp_000002").error()); });
  BOOST_TEST(to_string(seen(p.get_future().get()).kind) == "internal");
}

BOOST_AUTO_TEST_SUITE_END()
