// Small text helpers shared by the mock's renderers.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace campaign::mock::detail {

// Appends `s` as the inside of a JSON string. Invalid UTF-8 bytes become
// U+FFFD, so a body quoting a hostile path is still valid JSON.
void append_json_escaped(std::string& out, std::string_view s);

template <class Int>
void append_int(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// SplitMix64: a fast, well-mixed hash of one 64-bit value (used for
// deterministic record variety and reproducible random faults).
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A double in [0, 1) from 53 bits of `x`.
constexpr double unit_interval(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

bool iequals(std::string_view a, std::string_view b);

}  // namespace campaign::mock::detail
