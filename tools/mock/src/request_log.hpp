// A bounded ring of recent requests, one per io thread so that logging never
// contends across threads. Slots are overwritten in place to reuse memory.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "campaign_mock/server.hpp"
#include "request_head.hpp"

namespace campaign::mock::detail {

class RequestLogRing {
public:
  explicit RequestLogRing(std::size_t capacity) : slots_(capacity), live_headers_(capacity) {}

  void record(std::uint64_t connection, std::uint64_t request, const RequestHead& head);
  void append_to(std::vector<RequestLog>& out) const;
  void clear();

private:
  mutable std::mutex mutex_;
  std::vector<RequestLog> slots_;         // headers vectors only grow
  std::vector<std::size_t> live_headers_; // how many of a slot's headers are current
  std::size_t next_ = 0, size_ = 0;
};

} // namespace campaign::mock::detail
