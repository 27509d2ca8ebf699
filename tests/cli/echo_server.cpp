#include "echo_server.hpp"

#include <poll.h>
#include <cstdio>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cli_test {
namespace {

std::string replace_all(std::string s, const std::string& what, const std::string& with) {
  for (std::size_t pos = 0; (pos = s.find(what, pos)) != std::string::npos; pos += with.size())
    s.replace(pos, what.size(), with);
  return s;
}

std::string json_escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '/') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04x", static_cast<unsigned>(c));
      out += u;
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encoded(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      char x[4];
      std::snprintf(x, sizeof x, "%%%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += x;
    }
  }
  return out;
}

std::string fill(std::string s, const std::string& key) {
  s = replace_all(std::move(s), "{key}", key);
  s = replace_all(std::move(s), "{key_json}", json_escaped(key));
  s = replace_all(std::move(s), "{key_json2}", json_escaped(json_escaped(key)));
  return replace_all(std::move(s), "{key_pct}", percent_encoded(key));
}

std::string reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

}  // namespace

EchoServer::EchoServer(int status, std::string body_template, std::string request_id_template)
    : status_(status), body_(std::move(body_template)), request_id_(std::move(request_id_template)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 128) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("echo server: cannot listen");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

EchoServer::~EchoServer() {
  stop_.store(true);
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
}

std::string EchoServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void EchoServer::serve() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // One request per connection: read the head, answer, close.
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      pollfd q{fd, POLLIN, 0};
      if (::poll(&q, 1, 5000) <= 0) break;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      head.append(buf, static_cast<std::size_t>(n));
    }
    ++requests_;
    std::string key;
    const std::string marker = "Bearer ";
    if (auto at = head.find(marker); at != std::string::npos) {
      auto end = head.find("\r\n", at);
      key = head.substr(at + marker.size(), end - at - marker.size());
    }
    std::string body = fill(body_, key);
    std::string response = "HTTP/1.1 " + std::to_string(status_) + " " + reason(status_) +
                           "\r\nContent-Type: application/json\r\nX-Request-Id: " + fill(request_id_, key) +
                           "\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < response.size()) {
      ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
  }
}

}  // namespace cli_test
