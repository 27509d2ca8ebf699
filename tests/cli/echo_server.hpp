// echo_server.hpp: a one-thread HTTP server that answers every request with
// the same status and body, where "{key}" in the body (and in the
// X-Request-Id header) is replaced by the bearer key the request carried.
// It stands for a server that echoes the API key back in its messages.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace cli_test {

class EchoServer {
 public:
  EchoServer(int status, std::string body_template);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  std::string base_url() const;  // http://127.0.0.1:PORT/v1
  int requests() const { return requests_.load(); }

 private:
  void serve();
  int status_;
  std::string body_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace cli_test
