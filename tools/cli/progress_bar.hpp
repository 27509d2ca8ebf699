// progress_bar.hpp: the bar glyphs, and batch's live progress line on stderr.
#pragma once

#include "terminal.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace campaign::cli {

// "[#######.......]" (ASCII) or "████░░░░" (unicode), `width` cells inside.
std::string bar(double fraction, std::size_t width, bool unicode, const Style& style);

// The rate limit's share of a batch so far, from the client's statistics.
struct RateLimitShare {
  std::uint64_t waits = 0;          // ClientStats::rate_limit_waits
  std::uint64_t wait_ms = 0;        // ClientStats::rate_limit_wait_ms
  std::uint64_t responses_429 = 0;  // ClientStats::responses_429
};

// The progress line of a batch:
//   [#########...........]  45.2%  45,210/100,000  3,512/s  ETA 16s  12 failed
// Without a known total: "45,210 done  3,512/s  12 failed". Once requests
// have waited for the key's rate limit or met a 429, it ends with
// "  rate limit: waited 3.2 s, 0 429s". render() gives the text for a
// snapshot; the rate is measured over the last few seconds.
class BatchProgress {
 public:
  using clock = std::chrono::steady_clock;
  BatchProgress(std::optional<std::size_t> total, bool unicode, bool color);

  std::string render(std::size_t done, std::size_t failed, std::size_t width,
                     const RateLimitShare& rate_limit = {});
  double overall_rate(std::size_t done) const;

 private:
  double rate(std::size_t done, clock::time_point now);
  std::optional<std::size_t> total_;
  bool unicode_;
  Style style_;
  clock::time_point start_ = clock::now();
  std::deque<std::pair<clock::time_point, std::size_t>> samples_;
};

}  // namespace campaign::cli
