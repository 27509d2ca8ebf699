// A bounded ring of recent requests, one per io thread so that logging never
// contends across threads. Slots are overwritten in place to reuse memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "campaign_mock/server.hpp"
#include "request_head.hpp"

namespace campaign::mock::detail {

class RequestLogRing {
 public:
  explicit RequestLogRing(std::size_t capacity) : slots_(capacity), live_headers_(capacity) {}

  void record(std::uint64_t connection, std::uint64_t request, const RequestHead& head,
              std::string_view server_name);
  void append_to(std::vector<RequestLog>& out) const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<RequestLog> slots_;          // headers vectors only grow
  std::vector<std::size_t> live_headers_;  // how many of a slot's headers are current
  std::size_t next_ = 0, size_ = 0;
};

// Options::request_log_file: every request as one JSON line, for tests that
// run the mock as a process. Written under a lock and flushed per line; only
// opened when asked for, so the hot path pays one null test otherwise.
class RequestFileLog {
 public:
  explicit RequestFileLog(const std::string& path);  // throws std::runtime_error
  ~RequestFileLog();
  RequestFileLog(const RequestFileLog&) = delete;
  RequestFileLog& operator=(const RequestFileLog&) = delete;

  void write(std::uint64_t connection, std::uint64_t request, const RequestHead& head,
             std::string_view server_name);

 private:
  std::mutex mutex_;
  std::FILE* file_;
  std::string line_;  // guarded by mutex_, reused
};

}  // namespace campaign::mock::detail
