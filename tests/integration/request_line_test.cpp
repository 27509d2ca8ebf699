// Property: whatever the ID, the request line is only ever
// "GET <prefix>/campaigns/<valid id> HTTP/1.1". A million random IDs go
// through the target builder; twenty thousand go over the wire.
#include "fixture.hpp"

#include "../../src/client/request_target.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <regex>

using namespace campaign;
using namespace campaign::test;

namespace {

// Random IDs: half from the valid alphabet (some too long), half with any byte.
std::string random_id(std::mt19937_64& rng) {
  static const std::string valid = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  static const std::string nasty = "/\\.%?#&= \t\r\n\"'<>{}[]|^`~\x7f\x80\xff:@;,+";
  std::size_t len = rng() % 140;
  std::string id;
  bool clean = rng() % 2;
  for (std::size_t i = 0; i < len; ++i) {
    if (clean || rng() % 4) id += valid[rng() % valid.size()];
    else if (rng() % 2) id += nasty[rng() % nasty.size()];
    else id += static_cast<char>(rng() % 256);
  }
  return id;
}

bool matches_contract(const std::string& target, const std::string& prefix) {
  static const std::regex id_re("[A-Za-z0-9_-]{1,128}");
  std::string head = prefix + "/campaigns/";
  return target.rfind(head, 0) == 0 && std::regex_match(target.substr(head.size()), id_re);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_line)

BOOST_AUTO_TEST_CASE(a_million_random_ids_never_escape_the_path) {
  std::mt19937_64 rng(20261128);
  std::size_t accepted = 0;
  for (int i = 0; i < 1000000; ++i) {
    std::string id = random_id(rng);
    auto target = detail::request_target("/v1", id);
    bool valid = !id.empty() && id.size() <= 128 &&
                 id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                     std::string::npos;
    if (target.has_value() != valid) BOOST_FAIL("id " << i << " classified wrongly");
    if (!target) continue;
    ++accepted;
    // Fast checks per ID; the full pattern on a sample.
    if (*target != "/v1/campaigns/" + id) BOOST_FAIL("target differs for id " << i);
    if (i % 100 == 0 && !matches_contract(*target, "/v1")) BOOST_FAIL("pattern for id " << i);
  }
  BOOST_TEST_MESSAGE(accepted << " of 1000000 random IDs were valid");
  BOOST_TEST(accepted > 100000u);
  BOOST_TEST(accepted < 900000u);
}

BOOST_AUTO_TEST_CASE(twenty_thousand_random_ids_over_the_wire) {
  mock::Options mo = mock_options();
  mo.log_limit = 50000;
  MockFixture f(mo);
  Client c = make_client(f.options());
  std::mt19937_64 rng(7);
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(random_id(rng));
  std::size_t next = 0, valid = 0, invalid_results = 0;
  BatchOptions bo;
  bo.concurrency = 32;
  c.get_many([&]() -> std::optional<std::string> {
               if (next == ids.size()) return std::nullopt;
               if (is_valid_id(ids[next])) ++valid;
               return ids[next++];
             },
             [&](BatchItem&& item) {
               if (!item.result && item.result.error().kind == ErrorKind::invalid_argument) ++invalid_results;
               return true;
             },
             bo);
  auto log = f.server.requests();
  BOOST_TEST(log.size() == valid);  // one request per valid ID, none for the rest
  BOOST_TEST(invalid_results == ids.size() - valid);
  std::size_t bad = 0;
  for (const auto& r : log)
    if (r.method != "GET" || !matches_contract(r.target, "/v1")) ++bad;
  BOOST_TEST(bad == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
