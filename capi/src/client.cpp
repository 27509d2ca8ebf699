// campaign_client: a campaign::Client behind a C handle.
#include "shim.hpp"

#include <atomic>
#include <cstddef>
#include <iterator>
#include <optional>

using campaign::capi::BlockingCall;
using campaign::capi::fail;
using campaign::capi::guarded;
using campaign::capi::Outcome;

namespace {

constexpr std::size_t default_batch_concurrency = 32;

constexpr std::size_t stats_ends[] = {
#define END(m) offsetof(campaign_stats, m) + sizeof(campaign_stats::m)
    END(reserved0),          END(requests),           END(attempts),      END(retries),
    END(budget_denied),      END(connections_opened), END(connections_reused), END(stale_resends),
    END(responses_429),      END(rate_limit_waits),   END(rate_limit_wait_ms), END(reserved1),
    END(rate_limit_limit),   END(rate_limit_remaining), END(rate_limit_reset_ms),
    END(coalesced),
#undef END
};
static_assert(stats_ends[std::size(stats_ends) - 1] == sizeof(campaign_stats),
              "every member of campaign_stats is listed");

}  // namespace

extern "C" {

int campaign_client_create(const campaign_options* opts, campaign_client** out,
                           campaign_error** err) noexcept {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  if (!opts || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    auto r = campaign::Client::create(opts->o);
    if (!r) return fail(err, std::move(r.error()));
    *out = new campaign_client(std::move(*r));
    return CAMPAIGN_OK;
  });
}

void campaign_client_destroy(campaign_client* client) noexcept {
  if (!client) return;
  {
    // Blocking calls on other threads end with `cancelled` (a batch stops
    // submitting: cancel_all() reaches get_many too); wait until they left.
    std::unique_lock lock(client->mutex);
    client->closing = true;
    guarded([&] {
      client->c.cancel_all();
      return CAMPAIGN_OK;
    });
    client->left.wait(lock, [&] { return client->blocking_calls == 0; });
  }
  // ~Client cancels, runs the remaining callbacks and joins; it does not throw.
  delete client;
}

int campaign_client_get(campaign_client* client, const char* id, campaign_record** out,
                        campaign_error** err) noexcept {
  if (err) *err = nullptr;
  if (out) *out = nullptr;
  if (!client || !id || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    BlockingCall call(*client);
    if (!call.admitted()) return fail(err, campaign::make_error(campaign::ErrorKind::cancelled, "client is being destroyed"));
    auto r = client->c.get(id);
    if (!r) return fail(err, std::move(r.error()));
    *out = new campaign_record{std::move(*r)};
    return CAMPAIGN_OK;
  });
}

int campaign_client_submit(campaign_client* client, const char* id, campaign_done_fn done,
                           void* user_data, uint64_t* request) noexcept {
  if (request) *request = 0;
  if (!client || !id || !done) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    // Allocated now so that the completion, on the I/O thread, cannot fail.
    struct Pending {
      Outcome outcome;
      std::atomic<std::uint64_t> number{0};  // the core numbers requests from 1
    };
    auto p = std::make_shared<Pending>();
    std::uint64_t n = client->c.submit(id, [p, done, user_data](campaign::Result<campaign::Campaign> r) {
      p->outcome.settle(std::move(r));
      // A request can complete (an invalid ID) before submit() has returned
      // its number; that number is then microseconds away, so wait for it.
      p->number.wait(0);
      done(user_data, p->number.load(), p->outcome.record.release(), p->outcome.error.release());
    });
    p->number.store(n);
    p->number.notify_all();
    if (request) *request = n;
    return CAMPAIGN_OK;
  });
}

int campaign_client_cancel(campaign_client* client, uint64_t request) noexcept {
  if (!client) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    client->c.cancel(request);
    return CAMPAIGN_OK;
  });
}

int campaign_client_cancel_all(campaign_client* client) noexcept {
  if (!client) return CAMPAIGN_E_NULL_ARGUMENT;
  return guarded([&]() -> int {
    client->c.cancel_all();
    return CAMPAIGN_OK;
  });
}

int campaign_client_get_batch(campaign_client* client, const char* const* ids, size_t count,
                              size_t concurrency, campaign_record** records,
                              campaign_error** errors) noexcept {
  if (records)
    for (size_t i = 0; i < count; ++i) records[i] = nullptr;
  if (errors)
    for (size_t i = 0; i < count; ++i) errors[i] = nullptr;
  if (!client || !records || (!ids && count != 0)) return CAMPAIGN_E_NULL_ARGUMENT;
  if (count == 0) return CAMPAIGN_OK;

  bool out_of_memory = false;
  int rc = guarded([&]() -> int {
    BlockingCall call(*client);
    std::size_t next = 0;
    auto next_id = [&]() -> std::optional<std::string> {
      if (next == count) return std::nullopt;
      const char* id = ids[next++];
      return std::string(id ? id : "");  // "" is refused as invalid_argument, in its place
    };
    auto sink = [&](campaign::BatchItem&& item) noexcept {
      try {
        if (item.result) records[item.index] = new campaign_record{std::move(*item.result)};
        else if (errors) errors[item.index] = new campaign_error{std::move(item.result.error())};
      } catch (...) {
        out_of_memory = true;  // keep draining: every request must complete
      }
      return true;
    };
    campaign::BatchOptions bo;
    bo.concurrency = concurrency ? concurrency : default_batch_concurrency;
    bo.ordered = false;  // positions come from the index; no head-of-line wait
    if (call.admitted()) client->c.get_many(next_id, sink, bo);
    // Stopped by destroy (or cancel_all): every position not reached ends
    // `cancelled`, so the all-filled promise holds.
    for (std::size_t i = 0; i < count; ++i) {
      if (records[i] || !errors || errors[i]) continue;
      errors[i] = new campaign_error{campaign::make_error(campaign::ErrorKind::cancelled, "request cancelled")};
    }
    return out_of_memory ? CAMPAIGN_E_INTERNAL : CAMPAIGN_OK;
  });
  if (rc != CAMPAIGN_OK) {
    // All or nothing: a caller never has to guess which positions are valid.
    for (size_t i = 0; i < count; ++i) {
      campaign_record_free(records[i]);
      records[i] = nullptr;
      if (errors) {
        campaign_error_free(errors[i]);
        errors[i] = nullptr;
      }
    }
  }
  return rc;
}

int campaign_client_stats(const campaign_client* client, campaign_stats* out) noexcept {
  if (!client || !out) return CAMPAIGN_E_NULL_ARGUMENT;
  if (out->struct_size < stats_ends[0]) return CAMPAIGN_E_INVALID_ARGUMENT;
  campaign::ClientStats s = client->c.stats();
  campaign_stats full{};
  full.requests = s.requests;
  full.attempts = s.attempts;
  full.retries = s.retries;
  full.budget_denied = s.budget_denied;
  full.connections_opened = s.connections_opened;
  full.connections_reused = s.connections_reused;
  full.stale_resends = s.stale_resends;
  full.responses_429 = s.responses_429;
  full.rate_limit_waits = s.rate_limit_waits;
  full.rate_limit_wait_ms = s.rate_limit_wait_ms;
  campaign_rate_limit rl = campaign::capi::c_rate_limit(s.rate_limit);
  full.rate_limit_present = rl.present;
  full.rate_limit_limit = rl.limit;
  full.rate_limit_remaining = rl.remaining;
  full.rate_limit_reset_ms = rl.reset_ms;
  full.coalesced = s.coalesced;
  campaign::capi::copy_prefix(out, &full, out->struct_size, stats_ends, std::size(stats_ends));
  return CAMPAIGN_OK;
}

}  // extern "C"
