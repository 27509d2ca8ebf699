#include "campaign_mock/fault_spec.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <cstdlib>
#include <string>
#include <stdexcept>

namespace campaign::mock {
namespace {

struct Named {
  std::string_view name;
  Fault::Kind kind;
};
constexpr Named kinds[] = {
    {"reset", Fault::Kind::reset_before_headers},
    {"reset-headers", Fault::Kind::reset_after_headers},
    {"reset-body", Fault::Kind::reset_mid_body},
    {"truncate", Fault::Kind::truncate_body},
    {"slow", Fault::Kind::slow_body},
    {"hang", Fault::Kind::hang},
    {"garbage", Fault::Kind::garbage},
    {"oversized", Fault::Kind::oversized_body},
    {"redirect", Fault::Kind::redirect},
};

// A whole decimal number, or nullopt.
std::optional<std::uint64_t> whole(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

void parse_list_fault(std::string_view spec, ListFaults& into) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("--list-fault " + std::string(spec) + ": " + why);
  };
  std::string_view kind = spec, arg;
  bool has_arg = false;
  if (auto colon = spec.find(':'); colon != std::string_view::npos) {
    kind = spec.substr(0, colon);
    arg = spec.substr(colon + 1);
    has_arg = true;
  }
  auto number = [&](std::uint64_t min) {
    auto v = has_arg ? whole(arg) : std::nullopt;
    if (!v || *v < min) throw bad("expected " + std::string(kind) + ":N with N >= " + std::to_string(min));
    return *v;
  };
  if (kind == "insert-head") {
    into.insert_head = static_cast<std::size_t>(number(1));
  } else if (kind == "repeat-last") {
    if (has_arg) throw bad("repeat-last takes no argument");
    into.repeat_last = true;
  } else if (kind == "lying-total-pages") {
    into.lying_total_pages = number(0);
  } else if (kind == "fail-once") {
    into.fail_once_page = number(1);
  } else {
    throw bad("unknown kind (insert-head:K, repeat-last, lying-total-pages:N, fail-once:PAGE)");
  }
}

RateLimit parse_rate_limit(std::string_view spec) {
  auto slash = spec.find('/');
  auto n = whole(spec.substr(0, slash));
  auto secs = slash == std::string_view::npos ? std::nullopt : whole(spec.substr(slash + 1));
  if (!n || !secs || *n < 1 || *secs < 1 || *secs > 86400 * 366)
    throw std::invalid_argument("--rate-limit " + std::string(spec) +
                                ": expected N/SECONDS, both at least 1");
  return {*n, std::chrono::seconds(*secs)};
}

std::pair<Fault, double> parse_fault_spec(std::string_view spec, const FaultDefaults& d) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("--fault " + std::string(spec) + ": " + why);
  };
  std::string_view kind = spec, rate_text;
  if (auto colon = spec.find(':'); colon != std::string_view::npos) {
    kind = spec.substr(0, colon);
    rate_text = spec.substr(colon + 1);
    if (rate_text.empty()) throw bad("missing rate after ':'");
  }

  double rate = 1;
  if (!rate_text.empty()) {
    // std::from_chars for double is not in every libstdc++ we build with: use strtod on a copy.
    std::string copy(rate_text);
    char* end = nullptr;
    rate = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !(rate >= 0 && rate <= 1))
      throw bad("rate must be a number in [0, 1]");
  }

  Fault f;
  int status = 0;
  auto [p, ec] = std::from_chars(kind.data(), kind.data() + kind.size(), status);
  if (ec == std::errc() && p == kind.data() + kind.size()) {
    if (status < 100 || status > 599) throw bad("status must be 100..599");
    f.kind = Fault::Kind::status;
    f.status = status;
    if (status == 429 || status == 503) {
      f.retry_after = d.retry_after;
      f.retry_after_ms = d.retry_after_ms;
    }
    f.should_retry = d.should_retry;
    return {f, rate};
  }
  for (const auto& k : kinds) {
    if (k.name != kind) continue;
    f.kind = k.kind;
    if (f.kind == Fault::Kind::slow_body) f.delay = d.slow_delay;
    if (f.kind == Fault::Kind::oversized_body) f.size = d.oversized_bytes;
    if (f.kind == Fault::Kind::redirect) {
      f.status = 302;
      f.location = d.location;
    }
    return {f, rate};
  }
  throw bad(
      "unknown kind (status code, reset, reset-headers, reset-body, truncate, slow, hang, garbage, "
      "oversized, redirect)");
}

}  // namespace campaign::mock
