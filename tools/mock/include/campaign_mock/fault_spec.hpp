// Parsing the campaign-mock --fault, --list-fault and --rate-limit options.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "campaign_mock/server.hpp"

namespace campaign::mock {

// Values that --fault kinds take from other options.
struct FaultDefaults {
  std::optional<std::string> retry_after;     // for injected 429 and 503
  std::optional<std::string> retry_after_ms;  // for injected 429 and 503
  std::optional<std::string> should_retry;    // x-should-retry on every injected status
  std::chrono::milliseconds slow_delay{50};   // "slow": delay between body bytes
  std::size_t oversized_bytes = 16u << 20;    // "oversized": body size
  std::string location = "/moved";            // "redirect": Location
};

// KIND is a status code (100..599), reset (before the head), reset-headers,
// reset-body, truncate, slow, hang, garbage, oversized or redirect; RATE is a
// probability in [0, 1], default 1. Throws std::invalid_argument.
std::pair<Fault, double> parse_fault_spec(std::string_view spec, const FaultDefaults& defaults = {});

// --list-fault: insert-head:K, repeat-last, lying-total-pages:N or
// fail-once:P, added to `into` (several combine). Throws std::invalid_argument.
void parse_list_fault(std::string_view spec, ListFaults& into);

// --rate-limit N/SECONDS (N >= 1, SECONDS >= 1). Throws std::invalid_argument.
RateLimit parse_rate_limit(std::string_view spec);

}  // namespace campaign::mock
