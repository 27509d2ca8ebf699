#include "mock_process.hpp"

#include <csignal>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cli_test {

MockProcess::MockProcess(std::vector<std::string> args) {
  Launch l;
  l.args = {CAMPAIGN_MOCK_EXE, "--port", "0"};
  l.args.insert(l.args.end(), args.begin(), args.end());
  l.env = {"PATH=/usr/bin:/bin"};
  l.inherit_stderr = true;
  child_ = std::make_unique<Child>(std::move(l));
  if (!child_->wait_for("\n", false, std::chrono::seconds(30)))
    throw std::runtime_error("campaign-mock did not start: " + child_->out());
  const std::string& out = child_->out();
  const std::string prefix = "listening on ";
  auto line = out.substr(0, out.find('\n'));
  if (line.rfind(prefix, 0) != 0) throw std::runtime_error("unexpected first line: " + line);
  base_url_ = line.substr(prefix.size()) + "/v1";
  port_ = std::stoi(line.substr(line.rfind(':') + 1));
}

MockProcess::~MockProcess() {
  child_->send_signal(SIGTERM);
  child_->finish(std::chrono::seconds(10));
}

int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  ::close(fd);  // never listened: connecting is refused
  return ntohs(addr.sin_port);
}

}  // namespace cli_test
