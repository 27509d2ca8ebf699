// A raw TCP server on 127.0.0.1 for tests that need bytes no real server
// would send: bad status lines, odd chunking, HTTP/1.0, resets, trickling.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace campaign::test {

class RawServer {
public:
  using Handler = std::function<void(boost::asio::ip::tcp::socket&)>;

  // Listens on 127.0.0.1:0 and runs `handler` for each accepted connection on
  // its own thread. The socket is blocking; errors thrown by the handler
  // (a peer that went away) are swallowed. Returning closes the socket.
  explicit RawServer(Handler handler);
  ~RawServer(); // stop()
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string origin() const; // "http://127.0.0.1:PORT"
  std::size_t accepted() const { return accepted_.load(); }
  // Waits until `n` connections were accepted or `timeout` passed; true if they were.
  bool wait_accepted(std::size_t n, std::chrono::milliseconds timeout) const;

  // For handlers: sleeps, but wakes when the server stops; false once stopping.
  bool sleep_for(std::chrono::milliseconds d) const;
  bool stopping() const { return stopping_.load(); }
  // For handlers: abortive close (RST) of their socket. Use this rather than
  // closing the socket yourself, so stop() never touches a reused descriptor.
  void reset(boost::asio::ip::tcp::socket& socket);

  // Stops accepting, shuts down every open socket (which unblocks handlers
  // stuck in reads or writes) and joins all threads. Idempotent.
  void stop();

private:
  struct Conn {
    std::unique_ptr<boost::asio::ip::tcp::socket> socket;
    std::thread thread;
    bool closed = false; // guarded by RawServer::mutex_
  };
  void accept_loop();
  void close_locked(Conn& conn, bool abortive); // mutex_ held

  Handler handler_;
  boost::asio::io_context ioc_; // never run: only owns the sockets, used synchronously
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread accept_thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::list<Conn> conns_; // guarded by mutex_; stable addresses
  std::atomic<std::size_t> accepted_{0};
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
};

// This process's TCP sockets connected to 127.0.0.1:`peer_port` (a client's
// ends; a server's accepted ends have the port as their local one), with
// whether each has FD_CLOEXEC. Raw system calls, racing closes tolerated.
struct SocketFd {
  int fd;
  bool cloexec;
};
std::vector<SocketFd> sockets_to(std::uint16_t peer_port);

// Reads up to and including the blank line that ends a request head (or
// until EOF); returns what was read. Throws on socket errors.
std::string read_request_head(boost::asio::ip::tcp::socket& socket);
// Writes every byte; false if the peer went away.
bool write_all(boost::asio::ip::tcp::socket& socket, std::string_view bytes);

} // namespace campaign::test
