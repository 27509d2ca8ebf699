#include "loopback.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace campaign::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

RawServer::RawServer(Handler handler) : handler_(std::move(handler)), acceptor_(ioc_) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  ::fcntl(acceptor_.native_handle(), F_SETFD, FD_CLOEXEC);  // before any client thread exists
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

RawServer::~RawServer() { stop(); }

std::string RawServer::origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

void RawServer::accept_loop() {
  for (;;) {
    auto socket = std::make_unique<tcp::socket>(ioc_);
    boost::system::error_code ec;
    // accept4 with SOCK_CLOEXEC: a test that forks and execs must not see
    // the server's sockets in the child (only the client's could be a bug).
    int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) ec.assign(errno, boost::system::system_category());
    else socket->assign(tcp::v4(), fd, ec);
    if (stopping_) return;
    if (ec) {
      sleep_for(std::chrono::milliseconds(10)); // out of descriptors: do not spin
      continue;
    }
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    Conn& conn = conns_.emplace_back();
    conn.socket = std::move(socket);
    ++accepted_;
    cv_.notify_all();
    conn.thread = std::thread([this, &conn] {
      try {
        handler_(*conn.socket);
      } catch (...) { // the peer went away or the server is stopping: nothing to report
      }
      std::lock_guard done(mutex_);
      close_locked(conn, false);
    });
  }
}

void RawServer::close_locked(Conn& conn, bool abortive) {
  if (conn.closed) return;
  boost::system::error_code ec;
  if (abortive) conn.socket->set_option(asio::socket_base::linger(true, 0), ec);
  conn.socket->close(ec);
  conn.closed = true;
}

void RawServer::reset(tcp::socket& socket) {
  std::lock_guard lock(mutex_);
  for (auto& conn : conns_)
    if (conn.socket.get() == &socket) return close_locked(conn, true);
}

bool RawServer::wait_accepted(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return accepted_.load() >= n; });
}

bool RawServer::sleep_for(std::chrono::milliseconds d) const {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, d, [&] { return stopping_.load(); });
}

void RawServer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  cv_.notify_all();
  // shutdown() wakes a thread blocked in accept() or recv() on Linux; close()
  // from another thread would not, and would race with descriptor reuse.
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  accept_thread_.join();
  boost::system::error_code ec;
  acceptor_.close(ec);
  {
    std::lock_guard lock(mutex_);
    for (auto& conn : conns_)
      if (!conn.closed) ::shutdown(conn.socket->native_handle(), SHUT_RDWR);
  }
  for (auto& conn : conns_) conn.thread.join(); // no new entries: the accept thread is gone
}

std::vector<SocketFd> sockets_to(std::uint16_t peer_port) {
  std::vector<SocketFd> out;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    int fd = std::atoi(it->path().filename().c_str());
    struct stat st;
    if (::syscall(SYS_fstat, fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    if (::syscall(SYS_getpeername, fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
    if (peer.sin_family != AF_INET || ntohs(peer.sin_port) != peer_port) continue;
    long flags = ::syscall(SYS_fcntl, fd, F_GETFD);
    if (flags < 0) continue;
    out.push_back({fd, (flags & FD_CLOEXEC) != 0});
  }
  return out;
}

std::string read_request_head(tcp::socket& socket) {
  std::string data;
  boost::system::error_code ec;
  asio::read_until(socket, asio::dynamic_buffer(data), "\r\n\r\n", ec);
  if (ec && ec != asio::error::eof) throw boost::system::system_error(ec);
  return data;
}

bool write_all(tcp::socket& socket, std::string_view bytes) {
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(bytes.data(), bytes.size()), ec);
  return !ec;
}

} // namespace campaign::test
