// Response heads and the docs/api.md error bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_mock/server.hpp"

namespace campaign::mock::detail {

inline constexpr std::string_view unauthorized_body =
    R"({"error":{"type":"unauthorized","message":"invalid API key"}})";
inline constexpr std::string_view forbidden_body =
    R"({"error":{"type":"forbidden","message":"this API key cannot read campaigns on this workspace"}})";
inline constexpr std::string_view live_unauthorized_body =
    R"({"statusCode":401,"message":"Invalid API key","error":"Unauthorized"})";
inline constexpr std::string_view live_forbidden_body =
    R"({"statusCode":403,"message":"This API key cannot read campaigns on this workspace","error":"Forbidden"})";
inline constexpr std::string_view garbage_body = "<html>oops</html>";

// {"error":{"type":TYPE,"message":PREFIX + escaped(QUOTED) + SUFFIX}}
void error_body(std::string& out, std::string_view type, std::string_view prefix,
                std::string_view quoted = {}, std::string_view suffix = {});

// The same in the dialect's shape; live: {"statusCode":STATUS,"message":MESSAGE,"error":REASON}.
void error_body(std::string& out, Dialect dialect, int status, std::string_view type, std::string_view prefix,
                std::string_view quoted = {}, std::string_view suffix = {});

// A validation error: live, "message" is the array of messages; reference, they
// are joined with "; " (type bad_request).
void validation_body(std::string& out, Dialect dialect, int status, const std::vector<std::string>& messages);

// The body an injected `status` gets: rate_limited, server_error or http_error.
void injected_error_body(std::string& out, Dialect dialect, int status);

std::string_view reason_phrase(int status);

// Builds "HTTP/1.1 ..." heads into a reused string.
class HeadBuilder {
 public:
  explicit HeadBuilder(std::string& out) : out_(out) {}
  // Status line, Content-Type and Date (the server's clock, so clients can
  // tell its offset, which X-RateLimit-Reset is measured on).
  void start(int status, std::chrono::system_clock::time_point now);
  void field(std::string_view name, std::string_view value);
  // Content-Length, X-Request-Id, Connection (close, keep-alive for HTTP/1.0, or none), blank line.
  enum class Connection { none, close, keep_alive };
  void finish(std::uint64_t content_length, std::uint64_t request_id, Connection connection);

 private:
  std::string& out_;
};

}  // namespace campaign::mock::detail
