#include "harness.hpp"

#include <cstdio>
#include <cstdlib>

namespace campaign_fuzz {
namespace {

void print_and_abort(const std::string& message) {
  std::fprintf(stderr, "\n=== campaign fuzz property failed ===\n%s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

FailHandler fail_handler = &print_and_abort;

}  // namespace

void set_fail_handler(FailHandler handler) { fail_handler = handler ? handler : &print_and_abort; }

void fail(const std::string& message) {
  fail_handler(message);
  std::abort();  // a handler that returned
}

std::string printable(std::string_view bytes, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf;
    }
  }
  if (bytes.size() > max) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

}  // namespace campaign_fuzz
