// Private: the OpenSSL context of a client, and per-connection verification.
#pragma once

#include "failure.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace campaign::net {

struct TlsSettings {
  std::string ca_file;  // PEM bundle to trust instead of the system store
  std::string ca_dir;   // hashed CA directory to trust
  bool verify = true;   // chain and host name
};

// Verification on by default: system trust store, or the configured CA file/dir.
Outcome<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsSettings& settings);

// Per connection: SNI (for names, not IP literals) and the host name or IP
// the certificate must match. false when OpenSSL refused the settings.
bool configure_tls_peer(SSL* ssl, const std::string& host, bool host_is_ip, bool verify);

// "certificate verify failed: certificate has expired" (no secrets in it).
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace campaign::net
