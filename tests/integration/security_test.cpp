// The key goes only to the configured origin and never into any output.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace campaign::test;
using Kind = mock::Fault::Kind;

BOOST_AUTO_TEST_SUITE(security)

BOOST_AUTO_TEST_CASE(redirects_to_other_origins_are_not_followed_and_never_see_the_key) {
  MockFixture target;  // the origin a redirect points at
  MockFixture origin;
  std::string other_port = "http://127.0.0.1:" + std::to_string(target.server.port());
  std::string other_host = "http://localhost:" + std::to_string(target.server.port());
  std::string other_scheme = "https://127.0.0.1:" + std::to_string(origin.server.port());
  std::string same = origin.server.origin();
  int i = 1;
  for (const auto& [status, location] : std::vector<std::pair<int, std::string>>{
           {301, other_port + "/v1/campaigns/cmp_000001"},
           {302, other_host + "/v1/campaigns/cmp_000001"},
           {307, other_scheme + "/v1/campaigns/cmp_000001"},
           {308, "//127.0.0.1:" + std::to_string(target.server.port()) + "/v1/campaigns/cmp_000001"},
           {302, same + "/v1/campaigns/cmp_000002"}}) {  // even a same-origin hop is not followed
    std::string id = "cmp_00000" + std::to_string(i++);
    origin.server.script(id, {mock::Fault{.kind = Kind::redirect, .status = status, .location = location}});
    Client c = make_client(origin.options());
    auto r = c.get(id);
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(to_string(seen(r.error()).kind) == "http_error");
    BOOST_TEST(r.error().http_status == status);
    BOOST_TEST(r.error().attempts == 1);
  }
  BOOST_TEST(target.server.requests().empty());
  BOOST_TEST(origin.server.stats().requests == 5u);
}

BOOST_AUTO_TEST_CASE(server_echoing_the_key_is_masked) {
  MockFixture f;
  f.server.script("cmp_000001", {mock::Fault{.kind = Kind::status, .status = 401,
                                             .body = std::string(R"({"error":{"message":"bad key )") + canary_key + R"("}})"}});
  Client c = make_client(f.options());
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message == "bad key ***");
  BOOST_TEST(r.error().body.find(canary_key) == std::string::npos);
  seen(r.error());
}

BOOST_AUTO_TEST_CASE(ids_cannot_change_the_request_line) {
  MockFixture f;
  Client c = make_client(f.options());
  for (std::string id : std::vector<std::string>{"../admin", "cmp?x=1", "cmp#frag", "cmp%00", "cmp HTTP/1.1\r\nHost: evil", "a\nb"}) {
    auto r = c.get(id);
    BOOST_TEST(to_string(seen(r.error()).kind) == "invalid_argument");
  }
  BOOST_TEST(f.server.requests().empty());
}

// Runs last (this file is last in the test program): every message and log
// line the tests above produced is searched for the canary key.
BOOST_AUTO_TEST_CASE(canary_key_never_appears_in_any_message_or_log_line) {
  auto lines = Transcript::get().lines();
  BOOST_TEST(lines.size() > 20u);
  for (const auto& line : lines) BOOST_TEST(line.find(canary_key) == std::string::npos, line);
}

BOOST_AUTO_TEST_SUITE_END()
