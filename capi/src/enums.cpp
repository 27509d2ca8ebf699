// The C enums are the C++ ones, value for value: the shim casts between
// them, so a drift must stop the build rather than mislabel an error.
#include "shim.hpp"

namespace {

template <class E>
constexpr int v(E e) noexcept {
  return static_cast<int>(e);
}

using campaign::ErrorKind;
static_assert(CAMPAIGN_E_INVALID_ARGUMENT == v(ErrorKind::invalid_argument));
static_assert(CAMPAIGN_E_NOT_FOUND == v(ErrorKind::not_found));
static_assert(CAMPAIGN_E_UNAUTHORIZED == v(ErrorKind::unauthorized));
static_assert(CAMPAIGN_E_FORBIDDEN == v(ErrorKind::forbidden));
static_assert(CAMPAIGN_E_RATE_LIMITED == v(ErrorKind::rate_limited));
static_assert(CAMPAIGN_E_SERVER_ERROR == v(ErrorKind::server_error));
static_assert(CAMPAIGN_E_HTTP_ERROR == v(ErrorKind::http_error));
static_assert(CAMPAIGN_E_TIMEOUT == v(ErrorKind::timeout));
static_assert(CAMPAIGN_E_NETWORK == v(ErrorKind::network));
static_assert(CAMPAIGN_E_TLS == v(ErrorKind::tls));
static_assert(CAMPAIGN_E_TOO_LARGE == v(ErrorKind::too_large));
static_assert(CAMPAIGN_E_INVALID_RESPONSE == v(ErrorKind::invalid_response));
static_assert(CAMPAIGN_E_CANCELLED == v(ErrorKind::cancelled));
static_assert(CAMPAIGN_E_INTERNAL == v(ErrorKind::internal));
// The library's own codes start past every ErrorKind.
static_assert(CAMPAIGN_E_UNKNOWN_OPTION > v(ErrorKind::internal));

using campaign::Status;
static_assert(CAMPAIGN_STATUS_UNKNOWN == v(Status::unknown));
static_assert(CAMPAIGN_STATUS_DRAFT == v(Status::draft));
static_assert(CAMPAIGN_STATUS_ACTIVE == v(Status::active));
static_assert(CAMPAIGN_STATUS_RUNNING == v(Status::running));
static_assert(CAMPAIGN_STATUS_PAUSED == v(Status::paused));
static_assert(CAMPAIGN_STATUS_COMPLETED == v(Status::completed));
static_assert(CAMPAIGN_STATUS_CANCELLED == v(Status::cancelled));

using campaign::LogLevel;
static_assert(CAMPAIGN_LOG_DEBUG == v(LogLevel::debug));
static_assert(CAMPAIGN_LOG_INFO == v(LogLevel::info));
static_assert(CAMPAIGN_LOG_WARNING == v(LogLevel::warning));
static_assert(CAMPAIGN_LOG_ERROR == v(LogLevel::error));

// campaign_field: the record's fields in schema order, then retry_config's.
using campaign::CampaignField;
using campaign::RetryField;
#define CAMPAIGN_C_FIELD_(member, kind, name, alias, C) \
  static_assert(CAMPAIGN_FIELD_##C == v(CampaignField::member));
CAMPAIGN_RECORD_FIELDS(CAMPAIGN_C_FIELD_)
#undef CAMPAIGN_C_FIELD_
#define CAMPAIGN_C_FIELD_(member, kind, name, alias, C) \
  static_assert(CAMPAIGN_FIELD_RETRY_##C == v(CampaignField::count) + v(RetryField::member));
CAMPAIGN_RETRY_FIELDS(CAMPAIGN_C_FIELD_)
#undef CAMPAIGN_C_FIELD_

}  // namespace
