#include "request_log.hpp"

#include <algorithm>
#include <stdexcept>

#include "json_text.hpp"

namespace campaign::mock {

std::optional<std::string> RequestLog::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (detail::iequals(k, name)) return v;
  return std::nullopt;
}

namespace detail {

void RequestLogRing::record(std::uint64_t connection, std::uint64_t request, const RequestHead& head,
                            std::string_view server_name) {
  if (slots_.empty()) return;
  std::lock_guard lock(mutex_);
  RequestLog& slot = slots_[next_];
  slot.connection = connection;
  slot.request = request;
  slot.method.assign(head.method);
  slot.target.assign(head.target);
  slot.server_name.assign(server_name);
  const std::size_t count = std::min(head.count, Options::log_header_limit);
  if (slot.headers.size() < count) slot.headers.resize(count);
  auto keep = [](std::string& to, std::string_view from, std::size_t limit) {
    to.assign(from.substr(0, limit));
    // A slot keeps what it is given, not the largest value it ever held.
    if (to.capacity() > 2 * std::max<std::size_t>(to.size(), 64)) to.shrink_to_fit();
  };
  for (std::size_t k = 0; k < count; ++k) {
    keep(slot.headers[k].first, head.headers[k].first, Options::log_value_limit);
    keep(slot.headers[k].second, head.headers[k].second, Options::log_value_limit);
  }
  live_headers_[next_] = count;
  next_ = (next_ + 1) % slots_.size();
  if (size_ < slots_.size()) ++size_;
}

void RequestLogRing::append_to(std::vector<RequestLog>& out) const {
  std::lock_guard lock(mutex_);
  std::size_t first = (next_ + slots_.size() - size_) % (slots_.empty() ? 1 : slots_.size());
  for (std::size_t k = 0; k < size_; ++k) {
    std::size_t at = (first + k) % slots_.size();
    const RequestLog& slot = slots_[at];
    RequestLog copy{slot.connection, slot.method, slot.target, {}, slot.request, slot.server_name};
    copy.headers.assign(slot.headers.begin(),
                        slot.headers.begin() + static_cast<std::ptrdiff_t>(live_headers_[at]));
    out.push_back(std::move(copy));
  }
}

void RequestLogRing::clear() {
  std::lock_guard lock(mutex_);
  next_ = size_ = 0;
}

RequestFileLog::RequestFileLog(const std::string& path) : file_(std::fopen(path.c_str(), "ae")) {
  if (!file_) throw std::runtime_error("cannot open request log " + path);
}

RequestFileLog::~RequestFileLog() { std::fclose(file_); }

void RequestFileLog::write(std::uint64_t connection, std::uint64_t request, const RequestHead& head,
                           std::string_view server_name) {
  std::lock_guard lock(mutex_);
  line_.assign("{\"connection\":");
  append_int(line_, connection);
  line_.append(",\"request\":");
  append_int(line_, request);
  auto field = [&](std::string_view name, std::string_view value) {
    line_.append(",\"").append(name).append("\":\"");
    append_json_escaped(line_, value);
    line_.push_back('"');
  };
  field("method", head.method);
  field("target", head.target);
  field("server_name", server_name);
  line_.append(",\"headers\":[");
  for (std::size_t k = 0; k < head.count; ++k) {
    line_.append(k ? ",[\"" : "[\"");
    append_json_escaped(line_, head.headers[k].first);
    line_.append("\",\"");
    append_json_escaped(line_, head.headers[k].second);
    line_.append("\"]");
  }
  line_.append("]}\n");
  std::fwrite(line_.data(), 1, line_.size(), file_);
  std::fflush(file_);
}

}  // namespace detail
}  // namespace campaign::mock
