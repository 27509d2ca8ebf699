#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace campaign::net {

namespace ssl = boost::asio::ssl;

Outcome<std::shared_ptr<ssl::context>> make_tls_context(const TlsSettings& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (!o.verify) {
    ctx->set_verify_mode(ssl::verify_none, ec);
    return ctx;
  }
  ctx->set_verify_mode(ssl::verify_peer, ec);
  if (!o.ca_file.empty()) {
    ctx->load_verify_file(o.ca_file, ec);
    if (ec) return make_failure(FailureKind::bad_config, "TLS CA file '" + o.ca_file + "': " + ec.message());
  }
  if (!o.ca_dir.empty()) {
    ctx->add_verify_path(o.ca_dir, ec);
    if (ec) return make_failure(FailureKind::bad_config, "TLS CA dir '" + o.ca_dir + "': " + ec.message());
  }
  if (o.ca_file.empty() && o.ca_dir.empty()) {
    ctx->set_default_verify_paths(ec);
    if (ec) return make_failure(FailureKind::tls, "system trust store: " + ec.message());
  }
  return ctx;
}

bool configure_tls_peer(SSL* ssl, const std::string& host, bool host_is_ip, bool verify) {
  // SNI (SSL_set_tlsext_host_name, spelled out: the macro has a C cast).
  if (!host_is_ip && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                              const_cast<char*>(host.c_str())) != 1)
    return false;
  if (!verify) return true;
  if (host_is_ip) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec) {
  long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verify != X509_V_OK)
    return std::string("certificate verification failed: ") + X509_verify_cert_error_string(verify);
  return "TLS handshake failed: " + ec.message();
}

}  // namespace campaign::net
