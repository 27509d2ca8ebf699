#include "progress_bar.hpp"

#include "text_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace campaign::cli {

std::string bar(double fraction, std::size_t width, bool unicode, const Style& style) {
  fraction = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  auto filled = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(width)));
  std::string done, todo;
  for (std::size_t i = 0; i < width; ++i) {
    if (i < filled) done += unicode ? "\u2588" : "#";
    else todo += unicode ? "\u2591" : ".";
  }
  if (unicode) return style.green(done) + style.dim(todo);
  return "[" + style.green(done) + todo + "]";
}

BatchProgress::BatchProgress(std::optional<std::size_t> total, bool unicode, bool color)
    : total_(total), unicode_(unicode), style_(color) {}

double BatchProgress::rate(std::size_t done, clock::time_point now) {
  samples_.emplace_back(now, done);
  while (samples_.size() > 2 && now - samples_.front().first > std::chrono::seconds(5)) samples_.pop_front();
  auto [t0, d0] = samples_.front();
  double secs = std::chrono::duration<double>(now - t0).count();
  if (secs < 0.5) {  // too little window yet: the average since the start
    secs = std::chrono::duration<double>(now - start_).count();
    d0 = 0;
  }
  return secs > 0 ? static_cast<double>(done - d0) / secs : 0.0;
}

double BatchProgress::overall_rate(std::size_t done) const {
  double secs = std::chrono::duration<double>(clock::now() - start_).count();
  return secs > 0 ? static_cast<double>(done) / secs : 0.0;
}

std::string BatchProgress::render(std::size_t done, std::size_t failed, std::size_t width,
                                  const RateLimitShare& rate_limit) {
  double r = rate(done, clock::now());
  std::string line;
  if (total_ && *total_ > 0) {
    double f = static_cast<double>(done) / static_cast<double>(*total_);
    line += bar(f, 24, unicode_, style_);
    line += "  " + percent(std::min(f, 1.0));
    line += "  " + group_thousands(static_cast<std::int64_t>(done)) + "/" +
            group_thousands(static_cast<std::int64_t>(*total_));
  } else {
    line += group_thousands(static_cast<std::int64_t>(done)) + " done";
  }
  line += "  " + rate_text(r);
  if (total_ && *total_ >= done && r > 0) {
    double left = static_cast<double>(*total_ - done) / r;
    line += "  ETA " + human_duration(std::chrono::milliseconds(std::llround(left * 1000.0)));
  }
  if (failed > 0) line += "  " + style_.red(group_thousands(static_cast<std::int64_t>(failed)) + " failed");
  if (rate_limit.waits > 0 || rate_limit.wait_ms > 0 || rate_limit.responses_429 > 0) {
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.1f s", static_cast<double>(rate_limit.wait_ms) / 1000.0);
    line += "  rate limit: waited ";
    line += waited;
    line += ", " + group_thousands(static_cast<std::int64_t>(rate_limit.responses_429)) + " 429s";
  }
  return fit_width(line, width > 1 ? width - 1 : width);
}

}  // namespace campaign::cli
