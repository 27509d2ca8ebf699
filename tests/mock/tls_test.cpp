// HTTPS with certificates from TestPki.
#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "campaign_mock/server.hpp"
#include "test_client.hpp"
#include "tls_certs.hpp"

using campaign::mock::Fault;
using campaign::mock::Options;
using campaign::mock::Server;
using campaign::test::TestPki;
using namespace campaign::mock::testing;

namespace {

Options tls_options(const campaign::test::Leaf& leaf) {
  Options o;
  o.tls_cert_file = leaf.cert_file;
  o.tls_key_file = leaf.key_file;
  return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(serves_https_with_a_ca_signed_certificate) {
  TestPki pki;
  Server s(tls_options(pki.issue({"localhost"}, {"127.0.0.1"})));
  s.generate(1);
  BOOST_TEST(s.base_url() == "https://127.0.0.1:" + std::to_string(s.port()) + "/v1");
  for (std::string name : {"localhost", "127.0.0.1"}) {
    Client c(s.port(), pki.ca_file(), name);
    BOOST_REQUIRE_MESSAGE(!c.connect(), "handshake verifying " << name);
    auto r = c.get("/v1/campaigns/cmp_000000");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body == campaign::mock::generated_record(0));
    BOOST_TEST(c.get("/v1/campaigns/cmp_000000").status == 200); // keep-alive over TLS
  }
  BOOST_TEST(s.stats().connections == 2u);
}

BOOST_AUTO_TEST_CASE(faults_work_over_tls) {
  TestPki pki;
  Server s(tls_options(pki.issue({"localhost"}, {})));
  s.generate(1);
  Fault trunc;
  trunc.kind = Fault::Kind::truncate_body;
  s.script("cmp_000000", {trunc});
  Client c(s.port(), pki.ca_file(), "localhost");
  BOOST_REQUIRE(!c.connect());
  auto r = c.get("/v1/campaigns/cmp_000000");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.error);
}

BOOST_AUTO_TEST_CASE(wrong_name_expired_and_self_signed_fail_verification) {
  TestPki pki;
  {
    Server s(tls_options(pki.issue({"other.example"}, {})));
    Client c(s.port(), pki.ca_file(), "localhost");
    BOOST_TEST(c.connect());
    BOOST_TEST(c.verify_result().find("hostname mismatch") != std::string::npos, c.verify_result());
  }
  {
    Server s(tls_options(pki.issue({"localhost"}, {"127.0.0.1"}, true)));
    Client c(s.port(), pki.ca_file(), "localhost");
    BOOST_TEST(c.connect());
    BOOST_TEST(c.verify_result().find("expired") != std::string::npos, c.verify_result());
  }
  {
    Server s(tls_options(pki.self_signed({"localhost"}, {"127.0.0.1"})));
    Client c(s.port(), pki.ca_file(), "localhost");
    BOOST_TEST(c.connect());
    BOOST_TEST(c.verify_result().find("self-signed") != std::string::npos, c.verify_result());
  }
}

BOOST_AUTO_TEST_CASE(plain_http_to_a_tls_port_is_dropped) {
  TestPki pki;
  Server s(tls_options(pki.issue({"localhost"}, {})));
  s.generate(1);
  auto r = fetch(s.port(), "/v1/campaigns/cmp_000000");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.error);
}

BOOST_AUTO_TEST_CASE(tls_needs_cert_and_key) {
  Options o;
  o.tls_cert_file = "/nonexistent.crt";
  BOOST_CHECK_THROW(Server s(o), std::invalid_argument);
  o.tls_key_file = "/nonexistent.key";
  BOOST_CHECK_THROW(Server s(o), std::exception);
}

BOOST_AUTO_TEST_CASE(pki_files_are_removed_with_the_object) {
  std::string dir, ca;
  {
    TestPki pki;
    dir = pki.dir();
    ca = pki.ca_file();
    BOOST_TEST(std::filesystem::exists(ca));
    BOOST_TEST(pki.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    auto leaf = pki.issue({"localhost"}, {"127.0.0.1", "::1"});
    BOOST_TEST(std::filesystem::exists(leaf.key_file));
  }
  BOOST_TEST(!std::filesystem::exists(dir));
}

BOOST_AUTO_TEST_SUITE_END()
