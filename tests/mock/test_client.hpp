// A small blocking HTTP client for the mock's tests. Each call runs Beast's
// async operations to completion on a private io_context, so every read and
// write has a timeout and a broken server fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace campaign::mock::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
  int status = 0; // 0: no status line arrived
  Headers headers;
  std::string body;     // as much as arrived
  error_code error;     // transport or parse failure, if any
  bool keep_alive = false;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (beast::iequals(k, name)) return v;
    return std::nullopt;
  }
};

struct Request {
  std::string method = "GET";
  std::string target;
  Headers headers;
  int version = 11;
};

class Client {
public:
  explicit Client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : port_(port), timeout_(timeout) {}

  // TLS: verifies the server against `ca_file` and the host name `sni`.
  Client(std::uint16_t port, const std::string& ca_file, std::string sni,
         std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : port_(port), timeout_(timeout), sni_(std::move(sni)) {
    tls_ctx_.emplace(asio::ssl::context::tls_client);
    tls_ctx_->load_verify_file(ca_file);
    tls_ctx_->set_verify_mode(asio::ssl::verify_peer);
  }

  // Connects (and handshakes); returns the error instead of throwing.
  error_code connect() {
    buffer_.clear();
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
    error_code ec;
    if (tls_ctx_) {
      tls_ = std::make_unique<asio::ssl::stream<beast::tcp_stream>>(ioc_, *tls_ctx_);
      plain_.reset();
      // OpenSSL's own name check, so a mismatch has a verify result to report.
      SSL* ssl = tls_->native_handle();
      error_code not_ip;
      asio::ip::make_address(sni_, not_ip);
      if (not_ip) {
        // SNI (SSL_set_tlsext_host_name is a macro with a C cast).
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni_.data());
        SSL_set1_host(ssl, sni_.c_str());
      } else {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), sni_.c_str());
      }
      auto& tcp = beast::get_lowest_layer(*tls_);
      tcp.expires_after(timeout_);
      run([&] { tcp.async_connect(ep, [&](error_code e) { ec = e; }); });
      if (ec) return ec;
      tcp.expires_after(timeout_);
      run([&] { tls_->async_handshake(asio::ssl::stream_base::client, [&](error_code e) { ec = e; }); });
      return ec;
    }
    plain_.emplace(ioc_);
    tls_.reset();
    plain_->expires_after(timeout_);
    run([&] { plain_->async_connect(ep, [&](error_code e) { ec = e; }); });
    return ec;
  }

  Response send(const Request& r) {
    http::request<http::empty_body> req{http::string_to_verb(r.method), r.target, r.version};
    if (req.method() == http::verb::unknown) req.method_string(r.method);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    for (const auto& [k, v] : r.headers) req.insert(k, v);
    Response out;
    with_stream([&](auto& stream) {
      lowest().expires_after(timeout_);
      run([&] { http::async_write(stream, req, [&](error_code e, std::size_t) { out.error = e; }); });
      if (out.error) return;
      http::response_parser<http::string_body> parser;
      parser.body_limit(256u << 20);
      lowest().expires_after(timeout_);
      run([&] { http::async_read(stream, buffer_, parser, [&](error_code e, std::size_t) { out.error = e; }); });
      if (parser.is_header_done()) {
        out.status = parser.get().result_int();
        for (const auto& f : parser.get()) out.headers.emplace_back(f.name_string(), f.value());
        out.keep_alive = parser.get().keep_alive();
      }
      out.body = parser.get().body();
    });
    return out;
  }

  Response get(std::string target, Headers headers = {}) {
    return send(Request{"GET", std::move(target), std::move(headers), 11});
  }

  // Waits (up to the timeout) for the server to close the connection.
  bool peer_closed() {
    char byte;
    error_code ec;
    lowest().expires_after(timeout_);
    run([&] { lowest().async_read_some(asio::buffer(&byte, 1), [&](error_code e, std::size_t) { ec = e; }); });
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  // Sends raw bytes on the connection (for malformed requests).
  error_code write_raw(std::string_view bytes) {
    error_code ec;
    lowest().expires_after(timeout_);
    run([&] { asio::async_write(lowest(), asio::buffer(bytes.data(), bytes.size()), [&](error_code e, std::size_t) { ec = e; }); });
    return ec;
  }

  // Reads one response without sending anything (after write_raw).
  Response read() {
    Response out;
    with_stream([&](auto& stream) {
      http::response_parser<http::string_body> parser;
      lowest().expires_after(timeout_);
      run([&] { http::async_read(stream, buffer_, parser, [&](error_code e, std::size_t) { out.error = e; }); });
      if (parser.is_header_done()) {
        out.status = parser.get().result_int();
        for (const auto& f : parser.get()) out.headers.emplace_back(f.name_string(), f.value());
        out.keep_alive = parser.get().keep_alive();
      }
      out.body = parser.get().body();
    });
    return out;
  }

  // After a failed TLS handshake: why the certificate was refused.
  std::string verify_result() {
    return tls_ ? X509_verify_cert_error_string(SSL_get_verify_result(tls_->native_handle())) : "";
  }

  void close() {
    error_code ec;
    if (plain_ || tls_) lowest().socket().close(ec);
  }

private:
  beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  template <class F>
  void with_stream(F&& f) {
    if (tls_) f(*tls_);
    else f(*plain_);
  }

  template <class Start>
  void run(Start&& start) {
    ioc_.restart();
    start();
    ioc_.run();
  }

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::string sni_;
  asio::io_context ioc_;
  std::optional<asio::ssl::context> tls_ctx_;
  std::optional<beast::tcp_stream> plain_;
  std::unique_ptr<asio::ssl::stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

// Connects, sends one GET, returns the answer.
inline Response fetch(std::uint16_t port, std::string target, Headers headers = {}) {
  Client c(port);
  if (auto ec = c.connect()) {
    Response r;
    r.error = ec;
    return r;
  }
  return c.get(std::move(target), std::move(headers));
}

} // namespace campaign::mock::testing
