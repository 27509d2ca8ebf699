// campaign_rate_limit: a campaign::RateLimit for C callers, from a record,
// an error or the client's statistics.
#include "shim.hpp"

#include <iterator>

namespace {

// End offset of each member of campaign_rate_limit, in order.
constexpr std::size_t rate_limit_ends[] = {
#define END(m) offsetof(campaign_rate_limit, m) + sizeof(campaign_rate_limit::m)
    END(present), END(limit), END(remaining), END(reset_ms),
#undef END
};
static_assert(rate_limit_ends[std::size(rate_limit_ends) - 1] == sizeof(campaign_rate_limit),
              "every member of campaign_rate_limit is listed");

}  // namespace

namespace campaign::capi {

campaign_rate_limit c_rate_limit(const std::optional<campaign::RateLimit>& r) noexcept {
  campaign_rate_limit c{};
  if (!r) return c;
  if (r->limit) {
    c.present |= CAMPAIGN_RATE_LIMIT_HAS_LIMIT;
    c.limit = *r->limit;
  }
  if (r->remaining) {
    c.present |= CAMPAIGN_RATE_LIMIT_HAS_REMAINING;
    c.remaining = *r->remaining;
  }
  if (r->reset) {
    c.present |= CAMPAIGN_RATE_LIMIT_HAS_RESET;
    c.reset_ms = r->reset->time_since_epoch().count();
  }
  return c;
}

int copy_rate_limit(const std::optional<campaign::RateLimit>& r, campaign_rate_limit* out) noexcept {
  if (!out) return CAMPAIGN_E_NULL_ARGUMENT;
  if (out->struct_size < rate_limit_ends[0]) return CAMPAIGN_E_INVALID_ARGUMENT;
  campaign_rate_limit full = c_rate_limit(r);
  copy_prefix(out, &full, out->struct_size, rate_limit_ends, std::size(rate_limit_ends));
  return r ? CAMPAIGN_OK : CAMPAIGN_E_ABSENT;
}

}  // namespace campaign::capi

extern "C" {

int campaign_error_rate_limit(const campaign_error* err, campaign_rate_limit* out) noexcept {
  if (!err) return CAMPAIGN_E_NULL_ARGUMENT;
  return campaign::capi::copy_rate_limit(err->e.rate_limit, out);
}

int campaign_record_rate_limit(const campaign_record* rec, campaign_rate_limit* out) noexcept {
  if (!rec) return CAMPAIGN_E_NULL_ARGUMENT;
  return campaign::capi::copy_rate_limit(rec->c.rate_limit(), out);
}

}  // extern "C"
