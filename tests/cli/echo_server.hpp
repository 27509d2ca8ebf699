// echo_server.hpp: a one-thread HTTP server that answers every request with
// the same status and body, where placeholders in the body and in the
// X-Request-Id header are replaced by the bearer key the request carried, in
// the spellings a server may echo it in:
//   {key}        as sent
//   {key_json}   JSON-escaped ('/' as \/, '"' as \", '\' as \\): in a body it
//                decodes back to the key
//   {key_json2}  JSON-escaped twice: in a body it decodes to {key_json}'s text
//   {key_pct}    percent-encoded (every byte but A-Z a-z 0-9 - . _ ~ as %XX)
// It stands for a server that echoes the API key back in its messages.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace cli_test {

class EchoServer {
 public:
  EchoServer(int status, std::string body_template, std::string request_id_template = "req_{key}");
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  std::string base_url() const;  // http://127.0.0.1:PORT/v1
  int requests() const { return requests_.load(); }

 private:
  void serve();
  int status_;
  std::string body_;
  std::string request_id_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace cli_test
