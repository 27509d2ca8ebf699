// Codes, kind names and the campaign_error object.
#include "shim.hpp"

#include <cstdlib>


namespace campaign::capi {

char* malloc_copy(std::string_view s, std::size_t* len) {
  // malloc, not new: the caller releases it with campaign_free() (free()).
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  if (len) *len = s.size();
  return p;
}

}  // namespace campaign::capi

extern "C" {

const char* campaign_strerror(int code) noexcept {
  switch (code) {
    case CAMPAIGN_OK: return "success";
    case CAMPAIGN_E_INVALID_ARGUMENT: return "invalid argument";
    case CAMPAIGN_E_NOT_FOUND: return "not found";
    case CAMPAIGN_E_UNAUTHORIZED: return "unauthorized (missing or bad API key)";
    case CAMPAIGN_E_FORBIDDEN: return "forbidden";
    case CAMPAIGN_E_RATE_LIMITED: return "rate limited";
    case CAMPAIGN_E_SERVER_ERROR: return "server error";
    case CAMPAIGN_E_HTTP_ERROR: return "unexpected HTTP status";
    case CAMPAIGN_E_TIMEOUT: return "timed out";
    case CAMPAIGN_E_NETWORK: return "network error";
    case CAMPAIGN_E_TLS: return "TLS error";
    case CAMPAIGN_E_TOO_LARGE: return "response too large";
    case CAMPAIGN_E_INVALID_RESPONSE: return "invalid response";
    case CAMPAIGN_E_CANCELLED: return "cancelled";
    case CAMPAIGN_E_INTERNAL: return "internal error";
    case CAMPAIGN_E_UNKNOWN_OPTION: return "unknown option";
    case CAMPAIGN_E_AGAIN: return "nothing ready yet";
    case CAMPAIGN_E_ABSENT: return "field absent";
    case CAMPAIGN_E_NULL_ARGUMENT: return "required argument is NULL";
    default: return "unknown code";
  }
}

const char* campaign_error_kind_name(int kind) noexcept {
  if (kind == CAMPAIGN_OK) return "ok";
  if (kind < CAMPAIGN_E_INVALID_ARGUMENT || kind > CAMPAIGN_E_INTERNAL) return "unknown";
  // The core's names are string literals: NUL-terminated static storage.
  return campaign::to_string(static_cast<campaign::ErrorKind>(kind)).data();
}

int campaign_error_kind(const campaign_error* err) noexcept {
  return err ? static_cast<int>(err->e.kind) : CAMPAIGN_E_NULL_ARGUMENT;
}

int campaign_error_http_status(const campaign_error* err) noexcept {
  return err ? err->e.http_status : 0;
}

const char* campaign_error_message(const campaign_error* err) noexcept {
  return err ? err->e.message.c_str() : "";
}

const char* campaign_error_request_id(const campaign_error* err) noexcept {
  return err ? err->e.request_id.c_str() : "";
}

int campaign_error_attempts(const campaign_error* err) noexcept {
  return err ? err->e.attempts : 0;
}

int64_t campaign_error_retry_after_ms(const campaign_error* err) noexcept {
  if (!err || !err->e.retry_after) return -1;
  return static_cast<int64_t>(err->e.retry_after->count());
}

const char* campaign_error_body(const campaign_error* err, size_t* len) noexcept {
  if (!err) {
    if (len) *len = 0;
    return "";
  }
  if (len) *len = err->e.body.size();
  return err->e.body.c_str();
}

void campaign_error_free(campaign_error* err) noexcept { delete err; }

void campaign_free(void* ptr) noexcept { std::free(ptr); }

}  // extern "C"
