#include "responses.hpp"

#include <ostream>  // Boost 1.81 core/string_view.hpp uses std::ostream without including it

#include <boost/beast/http/status.hpp>

#include "clock_text.hpp"
#include "json_text.hpp"

namespace campaign::mock::detail {

void error_body(std::string& out, std::string_view type, std::string_view prefix, std::string_view quoted,
                std::string_view suffix) {
  out.clear();
  out += R"({"error":{"type":")";
  out += type;
  out += R"(","message":")";
  append_json_escaped(out, prefix);
  append_json_escaped(out, quoted);
  append_json_escaped(out, suffix);
  out += "\"}}";
}

void error_body(std::string& out, Dialect dialect, int status, std::string_view type, std::string_view prefix,
                std::string_view quoted, std::string_view suffix) {
  if (dialect == Dialect::reference) return error_body(out, type, prefix, quoted, suffix);
  out.clear();
  out += R"({"statusCode":)";
  append_int(out, status);
  out += R"(,"message":")";
  append_json_escaped(out, prefix);
  append_json_escaped(out, quoted);
  append_json_escaped(out, suffix);
  out += R"(","error":")";
  out += reason_phrase(status);
  out += "\"}";
}

void validation_body(std::string& out, Dialect dialect, int status,
                     const std::vector<std::string>& messages) {
  if (dialect == Dialect::reference) {
    std::string joined;
    for (const auto& m : messages) joined += (joined.empty() ? "" : "; ") + m;
    return error_body(out, "bad_request", joined);
  }
  out.clear();
  out += R"({"statusCode":)";
  append_int(out, status);
  out += R"(,"message":[)";
  for (std::size_t k = 0; k < messages.size(); ++k) {
    out += k ? ",\"" : "\"";
    append_json_escaped(out, messages[k]);
    out += '"';
  }
  out += R"(],"error":")";
  out += reason_phrase(status);
  out += "\"}";
}

void injected_error_body(std::string& out, Dialect dialect, int status) {
  std::string_view type = status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "http_error";
  std::string prefix = "injected fault: ";
  append_int(prefix, status);
  prefix += ' ';
  error_body(out, dialect, status, type, prefix, reason_phrase(status));
}

std::string_view reason_phrase(int status) {
  namespace http = boost::beast::http;
  if (status < 100 || status > 999) return "Unknown";
  auto s = http::int_to_status(static_cast<unsigned>(status));
  if (s == http::status::unknown) return "Unknown";
  auto r = http::obsolete_reason(s);
  return {r.data(), r.size()};
}

void HeadBuilder::start(int status, std::chrono::system_clock::time_point now) {
  out_.clear();
  out_ += "HTTP/1.1 ";
  append_int(out_, status);
  out_ += ' ';
  out_ += reason_phrase(status);
  out_ += "\r\nContent-Type: application/json\r\nDate: ";
  append_http_date(out_, now);
  out_ += "\r\n";
}

void HeadBuilder::field(std::string_view name, std::string_view value) {
  out_ += name;
  out_ += ": ";
  out_ += value;
  out_ += "\r\n";
}

void HeadBuilder::finish(std::uint64_t content_length, std::uint64_t request_id, Connection connection) {
  out_ += "Content-Length: ";
  append_int(out_, content_length);
  out_ += "\r\nX-Request-Id: req_";
  append_int(out_, request_id);
  if (connection == Connection::close)
    out_ += "\r\nConnection: close";
  else if (connection == Connection::keep_alive)
    out_ += "\r\nConnection: keep-alive";
  out_ += "\r\n\r\n";
}

}  // namespace campaign::mock::detail
