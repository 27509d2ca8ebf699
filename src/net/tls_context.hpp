// Private: the OpenSSL context of a client, and per-connection verification.
#pragma once

#include <campaign/error.hpp>
#include <campaign/options.hpp>

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace campaign::net {

// Verification on by default: system trust store, or the configured CA file/dir.
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsOptions& options);

// Per connection: SNI (for names, not IP literals) and the host name or IP
// the certificate must match. false when OpenSSL refused the settings.
bool configure_tls_peer(SSL* ssl, const std::string& host, bool host_is_ip, bool verify);

// "certificate verify failed: certificate has expired" (no secrets in it).
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace campaign::net
