// Item 7: no block holding the API key is freed unwiped while requests are
// built and sent. This executable replaces the global operator delete: while
// `scanning` is on, every freed block is searched (malloc_usable_size) for
// the key's marker. Its own executable, so no other test pays for the scan.
//
// The transport builds each request (fixed headers with the key, then the
// request's own) in a buffer kept by the connection; a request longer than
// the last made std::string reallocate and free the old storage, key and
// all. Keys of every length from 16 to 272 bytes shift the request across
// the buffer's capacity steps; each client sends a short then a long ID on
// one pooled connection.
#include "fixture.hpp"

#include "loopback.hpp"

#define BOOST_TEST_MODULE campaign key wipe tests
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include <malloc.h>

using namespace campaign;
using namespace campaign::test;
using namespace std::chrono;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr char marker[] = "KEYWIPE7";  // every key of this test contains it
std::atomic<bool> scanning{false};
std::atomic<int> freed_with_key{0};

void scan_and_free(void* p) noexcept {
  if (p && scanning.load(std::memory_order_relaxed)) {
    std::size_t n = ::malloc_usable_size(p);
    if (::memmem(p, n, marker, sizeof marker - 1)) freed_with_key.fetch_add(1);
  }
  std::free(p);
}

}  // namespace

namespace {
// Zeroed, all of it: a block then holds only what was written during its
// life, not a stale key from an earlier owner of the memory (a false hit).
void* zeroed(std::size_t n) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (p) std::memset(p, 0, ::malloc_usable_size(p));
  return p;
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = zeroed(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return zeroed(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return zeroed(n); }
void operator delete(void* p) noexcept { scan_and_free(p); }
void operator delete[](void* p) noexcept { scan_and_free(p); }
void operator delete(void* p, std::size_t) noexcept { scan_and_free(p); }
void operator delete[](void* p, std::size_t) noexcept { scan_and_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { scan_and_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { scan_and_free(p); }

namespace {

const std::string record = R"({"id":"cmp_000001","name":"Raw","status":"paused"})";

// Reads a request head into a fixed buffer: the server side must free no
// copy of the key itself (a growing std::string would).
bool read_head(tcp::socket& s, std::string& id) {
  char buf[4096];
  std::size_t used = 0;
  boost::system::error_code ec;
  while (used < sizeof buf) {
    used += s.read_some(boost::asio::buffer(buf + used, sizeof buf - used), ec);
    if (ec) return false;
    std::string_view head(buf, used);
    if (head.find("\r\n\r\n") != std::string_view::npos) {
      auto from = head.find("/campaigns/") + 11, to = head.find(' ', from);
      id.assign(head.substr(from, to - from));
      return true;
    }
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_copy_of_the_key_is_freed_unwiped_while_requests_are_built) {
  RawServer server([](tcp::socket& s) {
    std::string id;
    std::string response;
    response.reserve(1024);
    while (read_head(s, id)) {
      std::string body = R"({"id":")" + id + R"("})";
      response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      if (!write_all(s, response)) return;
    }
  });
  const std::string short_id = "c1";
  const std::string long_id(128, 'x');
  int clients = 0;
  for (std::size_t len = 16; len <= 272; ++len) {
    std::string key = marker + std::string(len - (sizeof marker - 1), 'k');
    auto o = options_for(server.origin() + "/v1", key);
    o.max_retries = 0;
    o.timeout = seconds(5);
    std::optional<Client> c(make_client(o));
    scanning = true;
    auto a = c->get(short_id);
    auto b = c->get(long_id);
    scanning = false;
    BOOST_REQUIRE(a.has_value());
    BOOST_REQUIRE(b.has_value());
    BOOST_REQUIRE(c->stats().connections_reused >= 1u);  // both built in one buffer
    c.reset();
    ++clients;
  }
  BOOST_TEST_MESSAGE(clients << " clients, key lengths 16-272: " << freed_with_key.load()
                             << " freed blocks held the key");
  BOOST_TEST(freed_with_key.load() == 0);
}
