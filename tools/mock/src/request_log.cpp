#include "request_log.hpp"

#include "json_text.hpp"

namespace campaign::mock {

std::optional<std::string> RequestLog::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (detail::iequals(k, name)) return v;
  return std::nullopt;
}

namespace detail {

void RequestLogRing::record(std::uint64_t connection, std::uint64_t request, const RequestHead& head) {
  if (slots_.empty()) return;
  std::lock_guard lock(mutex_);
  RequestLog& slot = slots_[next_];
  slot.connection = connection;
  slot.request = request;
  slot.method.assign(head.method);
  slot.target.assign(head.target);
  if (slot.headers.size() < head.count) slot.headers.resize(head.count);
  for (std::size_t k = 0; k < head.count; ++k) {
    slot.headers[k].first.assign(head.headers[k].first);
    slot.headers[k].second.assign(head.headers[k].second);
  }
  live_headers_[next_] = head.count;
  next_ = (next_ + 1) % slots_.size();
  if (size_ < slots_.size()) ++size_;
}

void RequestLogRing::append_to(std::vector<RequestLog>& out) const {
  std::lock_guard lock(mutex_);
  std::size_t first = (next_ + slots_.size() - size_) % (slots_.empty() ? 1 : slots_.size());
  for (std::size_t k = 0; k < size_; ++k) {
    std::size_t at = (first + k) % slots_.size();
    const RequestLog& slot = slots_[at];
    RequestLog copy{slot.connection, slot.method, slot.target, {}, slot.request};
    copy.headers.assign(slot.headers.begin(),
                        slot.headers.begin() + static_cast<std::ptrdiff_t>(live_headers_[at]));
    out.push_back(std::move(copy));
  }
}

void RequestLogRing::clear() {
  std::lock_guard lock(mutex_);
  next_ = size_ = 0;
}

} // namespace detail
} // namespace campaign::mock
