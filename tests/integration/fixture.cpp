#include "fixture.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace campaign::test {

Transcript& Transcript::get() {
  static Transcript t;
  return t;
}
void Transcript::add(std::string line) {
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
}
std::vector<std::string> Transcript::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

const Error& seen(const Error& e) {
  Transcript::get().add(e.describe());
  Transcript::get().add(e.body);
  return e;
}

ClientOptions options_for(const std::string& base_url, std::string key) {
  ClientOptions o;
  o.base_url = base_url;
  o.api_key = std::move(key);
  o.timeout = std::chrono::seconds(5);
  o.total_timeout = std::chrono::seconds(10);
  o.backoff_initial = std::chrono::milliseconds(5);
  o.backoff_max = std::chrono::milliseconds(20);
  o.log = [](LogLevel, std::string_view line) { Transcript::get().add(std::string(line)); };
  return o;
}

Client make_client(ClientOptions o) {
  auto c = Client::create(std::move(o));
  BOOST_REQUIRE_MESSAGE(c.has_value(), "client: " << (c ? "" : c.error().describe()));
  return std::move(*c);
}

mock::Options mock_options() {
  mock::Options o;
  o.api_keys = {canary_key};
  o.forbidden_keys = {"sk_forbidden_key"};
  return o;
}

MockFixture::MockFixture() : MockFixture(mock_options()) {}
MockFixture::MockFixture(mock::Options o) : server(std::move(o)) { server.generate(2000); }

std::size_t MockFixture::requests_for(const std::string& id) const {
  std::size_t n = 0;
  for (const auto& r : server.requests())
    if (r.target.size() >= id.size() && r.target.compare(r.target.size() - id.size(), id.size(), id) == 0) ++n;
  return n;
}



std::size_t open_fds(std::uint16_t server_port) {
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = std::atoi(e.path().filename().c_str());
    // Raw system calls: a server thread may close this descriptor at the same
    // moment, which the kernel answers with EBADF; ThreadSanitizer would report
    // every such pair of calls on one descriptor as a data race.
    struct stat st;
    if (::syscall(SYS_fstat, fd, &st) != 0) continue;  // closed while listing
    if (server_port && S_ISSOCK(st.st_mode)) {
      sockaddr_in local{};
      socklen_t len = sizeof local;
      if (::syscall(SYS_getsockname, fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) continue;
      if (local.sin_family == AF_INET && ntohs(local.sin_port) == server_port) continue;
    }
    ++n;
  }
  return n;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling, not synchronisation
  }
  return true;
}

std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

}  // namespace campaign::test
