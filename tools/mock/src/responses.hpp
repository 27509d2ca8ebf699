// Response heads and the docs/api.md error bodies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace campaign::mock::detail {

inline constexpr std::string_view unauthorized_body =
    R"({"error":{"type":"unauthorized","message":"invalid API key"}})";
inline constexpr std::string_view forbidden_body =
    R"({"error":{"type":"forbidden","message":"this API key cannot read campaigns on this workspace"}})";
inline constexpr std::string_view garbage_body = "<html>oops</html>";

// {"error":{"type":TYPE,"message":PREFIX + escaped(QUOTED) + SUFFIX}}
void error_body(std::string& out, std::string_view type, std::string_view prefix,
                std::string_view quoted = {}, std::string_view suffix = {});

// The docs/api.md body an injected `status` gets: rate_limited, server_error or http_error.
void injected_error_body(std::string& out, int status);

std::string_view reason_phrase(int status);

// Builds "HTTP/1.1 ..." heads into a reused string.
class HeadBuilder {
 public:
  explicit HeadBuilder(std::string& out) : out_(out) {}
  void start(int status);
  void field(std::string_view name, std::string_view value);
  // Content-Length, X-Request-Id, Connection (close, keep-alive for HTTP/1.0, or none), blank line.
  enum class Connection { none, close, keep_alive };
  void finish(std::uint64_t content_length, std::uint64_t request_id, Connection connection);

 private:
  std::string& out_;
};

}  // namespace campaign::mock::detail
