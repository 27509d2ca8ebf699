// text_format.hpp: numbers, durations and times as people read them.
#pragma once

#include <campaign/timestamp.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace campaign::cli {

// 1234567 -> "1,234,567" (the sign kept).
std::string group_thousands(std::int64_t n);
// 0.37512 -> "37.5%".
std::string percent(double fraction);
// A duration rounded for reading: "0s", "45s", "12m 30s", "7h 30m", "3d 4h".
std::string human_duration(std::chrono::milliseconds d);
// Seconds as given on the command line: "180 s", "2.5 s".
std::string seconds_text(std::chrono::milliseconds d);
// "2024-03-01 09:00:00 UTC".
std::string utc_time(Timestamp t);
// A rate such as "1,234/s" or "0.5/s".
std::string rate_text(double per_second);

}  // namespace campaign::cli
