// campaign_options: a campaign::ClientOptions filled through typed setters.
#include "shim.hpp"

#include <chrono>
#include <cmath>
#include <limits>

using campaign::capi::guarded;
using campaign::capi::wipe;

namespace {

enum class Type { none, str, integer, real };

// The type of each key is part of the contract (campaign.h).
Type type_of(int key) {
  switch (key) {
    case CAMPAIGN_OPT_BASE_URL:
    case CAMPAIGN_OPT_API_KEY:
    case CAMPAIGN_OPT_USER_AGENT_SUFFIX:
    case CAMPAIGN_OPT_CA_FILE:
    case CAMPAIGN_OPT_CA_DIR: return Type::str;
    case CAMPAIGN_OPT_TIMEOUT_MS:
    case CAMPAIGN_OPT_CONNECT_TIMEOUT_MS:
    case CAMPAIGN_OPT_TOTAL_TIMEOUT_MS:
    case CAMPAIGN_OPT_MAX_RETRIES:
    case CAMPAIGN_OPT_BACKOFF_INITIAL_MS:
    case CAMPAIGN_OPT_BACKOFF_MAX_MS:
    case CAMPAIGN_OPT_MAX_RETRY_AFTER_MS:
    case CAMPAIGN_OPT_MAX_BODY_BYTES:
    case CAMPAIGN_OPT_MAX_HEADER_BYTES:
    case CAMPAIGN_OPT_MAX_CONNECTIONS:
    case CAMPAIGN_OPT_IDLE_TIMEOUT_MS:
    case CAMPAIGN_OPT_IO_THREADS:
    case CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY:
    case CAMPAIGN_OPT_RATE_LIMIT_GATE:
    case CAMPAIGN_OPT_COALESCE: return Type::integer;
    case CAMPAIGN_OPT_RETRY_BUDGET_RATIO:
    case CAMPAIGN_OPT_RETRY_BUDGET_BURST: return Type::real;
    default: return Type::none;
  }
}

// UNKNOWN_OPTION before INVALID_ARGUMENT: a binding can tell "this library
// is too old for that key" from "wrong setter".
int check_key(const campaign_options* opts, int key, Type wanted) {
  if (!opts) return CAMPAIGN_E_NULL_ARGUMENT;
  Type t = type_of(key);
  if (t == Type::none) return CAMPAIGN_E_UNKNOWN_OPTION;
  return t == wanted ? CAMPAIGN_OK : CAMPAIGN_E_INVALID_ARGUMENT;
}

}  // namespace

extern "C" {

int campaign_options_create(campaign_options** out) noexcept {
  if (!out) return CAMPAIGN_E_NULL_ARGUMENT;
  *out = nullptr;
  return guarded([&]() -> int {
    *out = new campaign_options{};
    return CAMPAIGN_OK;
  });
}

void campaign_options_free(campaign_options* opts) noexcept {
  if (!opts) return;
  wipe(opts->o.api_key);
  delete opts;
}

int campaign_options_set_str(campaign_options* opts, int key, const char* value) noexcept {
  if (int rc = check_key(opts, key, Type::str)) return rc;
  if (!value) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    auto& o = opts->o;
    switch (key) {
      case CAMPAIGN_OPT_BASE_URL: o.base_url = value; break;
      case CAMPAIGN_OPT_API_KEY:
        wipe(o.api_key);  // the old key must not linger in a freed buffer
        o.api_key = value;
        break;
      case CAMPAIGN_OPT_USER_AGENT_SUFFIX: o.user_agent_suffix = value; break;
      case CAMPAIGN_OPT_CA_FILE: o.tls.ca_file = value; break;
      case CAMPAIGN_OPT_CA_DIR: o.tls.ca_dir = value; break;
    }
    return CAMPAIGN_OK;
  });
}

int campaign_options_set_int(campaign_options* opts, int key, int64_t value) noexcept {
  if (int rc = check_key(opts, key, Type::integer)) return rc;
  // Negative values mean nothing for any integer option. The client checks
  // the rest (zero timeouts, thread counts) when it is created.
  if (value < 0) return CAMPAIGN_E_INVALID_ARGUMENT;
  auto& o = opts->o;
  std::chrono::milliseconds ms(value);
  switch (key) {
    case CAMPAIGN_OPT_TIMEOUT_MS: o.timeout = ms; break;
    case CAMPAIGN_OPT_CONNECT_TIMEOUT_MS: o.connect_timeout = ms; break;
    case CAMPAIGN_OPT_TOTAL_TIMEOUT_MS: o.total_timeout = ms; break;
    case CAMPAIGN_OPT_BACKOFF_INITIAL_MS: o.backoff_initial = ms; break;
    case CAMPAIGN_OPT_BACKOFF_MAX_MS: o.backoff_max = ms; break;
    case CAMPAIGN_OPT_MAX_RETRY_AFTER_MS: o.max_retry_after = ms; break;
    case CAMPAIGN_OPT_IDLE_TIMEOUT_MS: o.idle_timeout = ms; break;
    case CAMPAIGN_OPT_MAX_BODY_BYTES: o.max_body_bytes = static_cast<std::size_t>(value); break;
    case CAMPAIGN_OPT_MAX_HEADER_BYTES: o.max_header_bytes = static_cast<std::size_t>(value); break;
    case CAMPAIGN_OPT_MAX_CONNECTIONS: o.max_connections = static_cast<std::size_t>(value); break;
    case CAMPAIGN_OPT_MAX_RETRIES:
    case CAMPAIGN_OPT_IO_THREADS: {
      if (value > std::numeric_limits<int>::max()) return CAMPAIGN_E_INVALID_ARGUMENT;
      (key == CAMPAIGN_OPT_MAX_RETRIES ? o.max_retries : o.io_threads) = static_cast<int>(value);
      break;
    }
    case CAMPAIGN_OPT_INSECURE_SKIP_TLS_VERIFY:
      if (value > 1) return CAMPAIGN_E_INVALID_ARGUMENT;
      o.tls.insecure_skip_verify = value == 1;
      break;
    case CAMPAIGN_OPT_RATE_LIMIT_GATE:
    case CAMPAIGN_OPT_COALESCE:
      if (value > 1) return CAMPAIGN_E_INVALID_ARGUMENT;
      (key == CAMPAIGN_OPT_RATE_LIMIT_GATE ? o.rate_limit_gate : o.coalesce) = value == 1;
      break;
  }
  return CAMPAIGN_OK;
}

int campaign_options_set_double(campaign_options* opts, int key, double value) noexcept {
  if (int rc = check_key(opts, key, Type::real)) return rc;
  if (!std::isfinite(value) || value < 0) return CAMPAIGN_E_INVALID_ARGUMENT;
  if (key == CAMPAIGN_OPT_RETRY_BUDGET_RATIO) opts->o.retry_budget_ratio = value;
  else opts->o.retry_budget_burst = value;
  return CAMPAIGN_OK;
}

int campaign_options_preset_fail_fast(campaign_options* opts) noexcept {
  if (!opts) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    auto& o = opts->o;
    // Who to talk to and how to trust and report stays; the timing is the preset's.
    auto preset = campaign::ClientOptions::fail_fast(std::move(o.base_url), std::move(o.api_key));
    preset.tls = std::move(o.tls);
    preset.log = std::move(o.log);
    preset.user_agent_suffix = std::move(o.user_agent_suffix);
    wipe(o.api_key);
    o = std::move(preset);
    return CAMPAIGN_OK;
  });
}

int campaign_options_set_log(campaign_options* opts, campaign_log_fn fn, void* user_data) noexcept {
  if (!opts) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    if (!fn) {
      opts->o.log = nullptr;
      return CAMPAIGN_OK;
    }
    opts->o.log = [fn, user_data](campaign::LogLevel level, std::string_view message) noexcept {
      try {
        std::string text(message);  // C wants the NUL
        fn(user_data, static_cast<int>(level), text.c_str());
      } catch (...) {
        // Out of memory: this line is lost, the request is not.
      }
    };
    return CAMPAIGN_OK;
  });
}

}  // extern "C"
