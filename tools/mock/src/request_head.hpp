// One parsed request head, kept per connection and reused: its strings keep
// their capacity, so steady-state parsing does not allocate.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/verb.hpp>

namespace campaign::mock::detail {

struct RequestHead {
  boost::beast::http::verb verb = boost::beast::http::verb::unknown;
  std::string method, target;
  int version = 11;
  std::vector<std::pair<std::string, std::string>> headers;  // first `count` are live
  std::size_t count = 0;
  std::size_t authorization = ~std::size_t{0};  // index of the first Authorization

  void reset() {
    count = 0;
    authorization = ~std::size_t{0};
  }
  void add(std::string_view name, std::string_view value) {
    if (count == headers.size()) headers.emplace_back();
    headers[count].first.assign(name);
    headers[count].second.assign(value);
    ++count;
  }
  std::string_view authorization_value() const {
    return authorization < count ? std::string_view(headers[authorization].second) : std::string_view();
  }
  bool has_authorization() const { return authorization < count; }
};

// A Beast parser that writes the head into a RequestHead and discards any body.
class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(RequestHead& head) : head_(head) { head_.reset(); }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb v, string_view method, string_view target, int version,
                       error_code&) override {
    head_.verb = v;
    head_.method.assign(method.data(), method.size());
    head_.target.assign(target.data(), target.size());
    head_.version = version;
  }
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field f, string_view name, string_view value, error_code&) override {
    if (f == boost::beast::http::field::authorization && !head_.has_authorization())
      head_.authorization = head_.count;
    head_.add({name.data(), name.size()}, {value.data(), value.size()});
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(boost::optional<std::uint64_t> const&, error_code&) override {}
  std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  RequestHead& head_;
};

}  // namespace campaign::mock::detail
