// HTTPS with certificates the test generates: verification on by default.
#include "fixture.hpp"

#include "tls_certs.hpp"

#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace campaign::test;

namespace {

struct TlsMock {
  TlsMock(TestPki&, const Leaf& leaf) : server([&] {
    auto o = mock_options();
    o.tls_cert_file = leaf.cert_file;
    o.tls_key_file = leaf.key_file;
    return o;
  }()) {
    server.generate(10);
  }
  mock::Server server;
};

std::string kind(const Result<Campaign>& r) { return r ? "ok" : std::string(to_string(seen(r).error().kind)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(trusted_ca_succeeds_by_ip) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"localhost"}, {"127.0.0.1"}));
  auto o = options_for(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  Client c = make_client(o);
  BOOST_TEST(m.server.base_url().rfind("https://", 0) == 0);
  auto r = c.get("cmp_000001");
  BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  // Keep-alive over TLS as well.
  BOOST_REQUIRE(c.get("cmp_000002").has_value());
  BOOST_TEST(m.server.stats().connections == 1u);
  // RFC 6066 3: an IP literal is not sent as SNI.
  for (const auto& req : m.server.requests()) BOOST_TEST(req.server_name.empty(), req.server_name);
}

BOOST_AUTO_TEST_CASE(trusted_ca_succeeds_by_name_with_sni) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"localhost"}, {}));
  auto o = options_for("https://localhost:" + std::to_string(m.server.port()) + "/v1");
  o.tls.ca_file = pki.ca_file();
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(kind(r) == "ok");
  // The host name went out as SNI (the server picks its certificate by it).
  auto log = m.server.requests();
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0].server_name == "localhost");
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_tls_and_not_retried) {
  TestPki pki;
  TlsMock m(pki, pki.self_signed({"localhost"}, {"127.0.0.1"}));
  auto o = options_for(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(kind(r) == "tls");
  BOOST_TEST(r.error().attempts == 1);
  BOOST_TEST(r.error().message.find("certificate") != std::string::npos);
  BOOST_TEST(m.server.requests().empty());  // nothing was sent, the key included
}

BOOST_AUTO_TEST_CASE(system_store_does_not_trust_a_test_ca) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"localhost"}, {"127.0.0.1"}));
  Client c = make_client(options_for(m.server.base_url()));
  BOOST_TEST(kind(c.get("cmp_000001")) == "tls");
}

BOOST_AUTO_TEST_CASE(wrong_host_name_is_tls) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"api.example.com"}, {}));
  auto o = options_for(m.server.base_url());  // 127.0.0.1 is not in the certificate
  o.tls.ca_file = pki.ca_file();
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(kind(r) == "tls");
  BOOST_TEST(m.server.requests().empty());
}

BOOST_AUTO_TEST_CASE(expired_certificate_is_tls) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"localhost"}, {"127.0.0.1"}, true));
  auto o = options_for(m.server.base_url());
  o.tls.ca_file = pki.ca_file();
  Client c = make_client(o);
  auto r = c.get("cmp_000001");
  BOOST_TEST(kind(r) == "tls");
  BOOST_TEST(r.error().message.find("expired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(insecure_option_skips_verification) {
  TestPki pki;
  TlsMock m(pki, pki.self_signed({"other.example"}, {}));
  auto o = options_for(m.server.base_url());
  o.tls.insecure_skip_verify = true;
  Client c = make_client(o);
  BOOST_TEST(kind(c.get("cmp_000001")) == "ok");
}

BOOST_AUTO_TEST_CASE(plain_http_client_to_tls_server_is_an_error_not_a_hang) {
  TestPki pki;
  TlsMock m(pki, pki.issue({"localhost"}, {"127.0.0.1"}));
  auto o = options_for("http://127.0.0.1:" + std::to_string(m.server.port()) + "/v1");
  o.timeout = std::chrono::seconds(2);
  o.max_retries = 0;
  Client c = make_client(o);
  auto start = std::chrono::steady_clock::now();
  auto r = c.get("cmp_000001");
  BOOST_TEST(!r.has_value());
  // An error, and within the 2 s attempt timeout (plus slack for a loaded machine).
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(missing_ca_file_is_invalid_argument) {
  auto o = options_for("https://127.0.0.1:1/v1");
  o.tls.ca_file = "/nonexistent/ca.pem";
  auto c = Client::create(o);
  BOOST_REQUIRE(!c.has_value());
  BOOST_TEST(to_string(c.error().kind) == "invalid_argument");
}

BOOST_AUTO_TEST_SUITE_END()
