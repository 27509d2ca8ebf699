// One logical get: validate, attempt, decode, retry by the rules of docs/api.md.
#include "client_impl.hpp"

#include "net/exchange.hpp"
#include "net_failure.hpp"
#include "request_target.hpp"

#include <campaign/redact.hpp>

namespace campaign {

using namespace std::chrono;
using net::Clock;

namespace {

// Server text kept in an error: a body quote, an X-Request-Id.
constexpr std::size_t body_kept_bytes = 64 * 1024;  // enough for any real error body
constexpr std::size_t request_id_kept_bytes = 256;  // real IDs are ~40 bytes

// s cut to at most n bytes, not inside a UTF-8 sequence.
void cut_utf8(std::string& s, std::size_t n) {
  if (s.size() <= n) return;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  s.resize(n);
}

// Every error leaves through here: the key masked in every field that can
// quote a server (which may echo it), messages and IDs on one line.
void clean(Error& e, const std::string& key) {
  cut_utf8(e.request_id, request_id_kept_bytes);
  e.request_id = flatten_line(redact(e.request_id, key));
  e.message = flatten_line(redact(e.message, key));
  // The body is raw (lines kept) but masked before it is cut, so that a key
  // across the cut cannot leave its first bytes behind.
  if (contains_secret(e.body, key)) e.body = redact(e.body, key);
  cut_utf8(e.body, body_kept_bytes);
}

std::string format_wait(milliseconds ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

RequestOp::RequestOp(std::shared_ptr<Client::Impl> impl, Shard& shard, std::uint64_t number,
                     std::string id, Client::Callback cb, bool flight)
    : impl_(std::move(impl)),
      shard_(shard),
      number_(number),
      id_(std::move(id)),
      cb_(std::move(cb)),
      flight_(flight) {}

RequestOp::RequestOp(std::shared_ptr<Client::Impl> impl, Shard& shard, std::uint64_t number,
                     detail::RawRequest request, Client::Callback cb)
    : impl_(std::move(impl)),
      shard_(shard),
      number_(number),
      id_(request.target),
      target_(std::move(request.target)),
      cb_(std::move(cb)),
      sink_(std::move(request.sink)) {}

void RequestOp::start() {
  ++impl_->requests;
  if (!sink_) {
    auto target = detail::request_target(impl_->endpoint.prefix, id_);
    if (!target) {
      finish(make_error(ErrorKind::invalid_argument, std::string(detail::invalid_id_message)));
      return;
    }
    target_ = std::move(*target);
  }
  deadline_ = std::max(deadline_, Clock::now() + impl_->options.total_timeout);
  impl_->budget.on_first_attempt();
  attempt();
}

void RequestOp::cancel() {
  if (finished_) return;
  if (exchange_) {
    shard_.transport->cancel(exchange_);  // its callback finishes us with `cancelled`
    return;
  }
  if (wait_timer_) wait_timer_->cancel();
  Error e = make_error(ErrorKind::cancelled, "request cancelled");
  e.attempts = attempts_;
  finish(std::move(e));
}

bool RequestOp::wait_for_gate() {
  if (!impl_->options.rate_limit_gate) return false;  // the gate still records what it sees
  auto now = Clock::now();
  auto until = impl_->gate->admit(now);
  if (gate_wait_since_ && (!until || *until >= deadline_)) {
    impl_->rate_limit_wait_ms += duration_cast<milliseconds>(now - *gate_wait_since_).count();
    gate_wait_since_.reset();
  }
  if (!until) return false;
  const auto wait = duration_cast<milliseconds>(*until - now);
  if (*until >= deadline_) {
    // Fail now, carrying the wait, rather than sleep past the deadline.
    Error e = make_error(ErrorKind::rate_limited, "rate limit of the API key reached: the window resets in " +
                                                      format_wait(wait) + ", past the deadline");
    e.retry_after = wait;
    e.attempts = attempts_;
    finish(std::move(e));
    return true;
  }
  if (!gate_wait_since_) {
    gate_wait_since_ = now;
    ++impl_->rate_limit_waits;
  }
  waiting_ = true;
  if (!wait_timer_) wait_timer_.emplace(shard_.strand);
  wait_timer_->expires_at(*until);
  wait_timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (self->finished_ || ec) return;  // cancel() already finished the request
    self->guarded([&] { self->attempt(); });
  });
  return true;
}

void RequestOp::attempt() {
  waiting_ = false;
  if (wait_for_gate()) return;
  ++attempts_;
  auto now = Clock::now();
  const auto per_attempt = net::saturating_add(now, impl_->options.timeout);
  auto attempt_deadline = flight_ ? per_attempt : std::min(deadline_, per_attempt);
  std::string extra = "X-Campaign-Retry-Count: " + std::to_string(attempts_ - 1) + "\r\n";
  exchange_ = shard_.transport->start(
      target_, std::move(extra), attempt_deadline,
      [self = shared_from_this()](const net::Failure* f, const net::Response* r) {
        self->guarded([&] {
          self->exchange_.reset();
          self->settle_gate(r);
          if (r) self->on_response(*r);
          else self->on_failure(*f);
        });
      });
}

void RequestOp::settle_gate(const net::Response* r) {
  if (!r) {
    impl_->gate->settle(std::nullopt, std::nullopt, Clock::now());
    return;
  }
  auto seen = detail::parse_rate_limit(r->rate_limit, r->rate_remaining, r->rate_reset, r->date,
                                       std::chrono::system_clock::now());
  std::optional<milliseconds> wait_429;
  if (r->status == 503) ++impl_->responses_503;  // batches shrink their window on it
  if (r->status == 429) {
    ++impl_->responses_429;
    wait_429 = detail::parse_retry_after(r->retry_after_ms, r->retry_after);
  }
  auto held = impl_->gate->settle(seen, wait_429, Clock::now());
  // With the gate, a 429 is retried when the gate opens again; without it,
  // after Retry-After, like any other answer.
  if (impl_->options.rate_limit_gate) retry_wait_429_ = held;
}

void RequestOp::on_response(const net::Response& r) {
  int status = static_cast<int>(r.status);
  if (status == 200) {
    auto decoded = on_ok(r);
    if (!decoded) {
      Error e = std::move(decoded.error());
      e.http_status = 200;
      e.request_id.assign(r.request_id);
      e.attempts = attempts_;
      finish(std::move(e));
      return;
    }
    finish(std::move(decoded));
    return;
  }

  Error e;
  e.kind = error_kind_for_status(status);
  e.http_status = status;
  e.request_id.assign(r.request_id);
  // The whole body (bounded by max_body_bytes): clean() masks, then cuts it.
  std::string_view body(r.body, r.body_size);
  e.body.assign(body);
  if (auto msg = parse_error_message(body.substr(0, body_kept_bytes))) {
    e.message = std::move(*msg);
  } else if (status >= 300 && status < 400) {
    e.message = "redirect (HTTP " + std::to_string(status) + ") not followed";
    if (!r.location.empty()) e.message.append(" to ").append(r.location);
  } else {
    e.message = "HTTP " + std::to_string(status);
  }
  auto server_wait = detail::parse_retry_after(r.retry_after_ms, r.retry_after);
  e.retry_after = server_wait;
  if (status == 429 && retry_wait_429_) server_wait = retry_wait_429_;

  bool retryable = detail::is_retryable_status(status);
  if (auto forced = detail::parse_should_retry(r.should_retry))
    retryable = *forced && !detail::is_never_retried_status(status);
  retry_or_finish(std::move(e), retryable, server_wait);
}

Result<Campaign> RequestOp::on_ok(const net::Response& r) {
  if (sink_) {
    if (auto e = sink_(r.body, r.body_size, r.body_capacity)) return std::move(*e);
    return Campaign();
  }
  auto decoded = shard_.decoder.decode_padded(r.body, r.body_size, r.body_capacity);
  if (decoded && decoded->id() != id_)
    return make_error(ErrorKind::invalid_response, "response is for another campaign (asked for " + id_ + ")");
  return decoded;
}

void RequestOp::on_failure(const net::Failure& f) {
  Error e = detail::to_error(f);
  bool retryable = e.kind == ErrorKind::network || e.kind == ErrorKind::timeout;
  retry_or_finish(std::move(e), retryable, std::nullopt);
}

void RequestOp::retry_or_finish(Error e, bool retryable, std::optional<milliseconds> server_wait) {
  e.attempts = attempts_;
  const auto& o = impl_->options;
  if (!retryable || attempts_ > o.max_retries) {
    finish(std::move(e));
    return;
  }
  milliseconds wait = server_wait ? *server_wait : detail::backoff_delay(attempts_, o.backoff_initial, o.backoff_max);
  if (server_wait && *server_wait > o.max_retry_after) {
    e.message += " (server asked to retry in " + format_wait(*server_wait) + ", over the limit)";
    finish(std::move(e));
    return;
  }
  if (Clock::now() + wait >= deadline_) {
    // Give up now rather than sleep past the deadline; the wait is reported.
    e.retry_after = wait;
    e.message += " (a retry in " + format_wait(wait) + " would pass the deadline)";
    finish(std::move(e));
    return;
  }
  if (!impl_->budget.try_spend()) {
    ++impl_->budget_denied;
    e.message += " (retry budget exhausted)";
    finish(std::move(e));
    return;
  }
  ++impl_->retries;
  impl_->log(LogLevel::info, "retrying " + id_ + " after " + std::string(to_string(e.kind)) +
                                 (e.http_status ? " (HTTP " + std::to_string(e.http_status) + ")" : "") +
                                 " in " + format_wait(wait) + ", attempt " + std::to_string(attempts_ + 1));
  waiting_ = true;
  if (!wait_timer_) wait_timer_.emplace(shard_.strand);
  wait_timer_->expires_after(wait);
  wait_timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (self->finished_) return;
    if (ec) return;  // cancel() already finished the request
    self->guarded([&] { self->attempt(); });
  });
}

void RequestOp::finish_out_of_memory() noexcept {
  try {
    finish(make_error(ErrorKind::internal, "out of memory"));  // short: no allocation for the text
  } catch (...) {
    // Only the erase or the bookkeeping can get here; the callback has run.
  }
}

void RequestOp::finish(Result<Campaign> result) {
  if (finished_) return;
  finished_ = true;
  if (!result) {
    Error e = result.error();  // boost::system::result hands out copies
    clean(e, impl_->options.api_key);
    e.rate_limit = impl_->gate->last();
    result = Result<Campaign>(std::move(e));
  } else {
    detail::ResponseMeta::set_rate_limit(*result, impl_->gate->last());
  }
  auto self = shared_from_this();  // the map may hold the last reference
  shard_.active.erase(number_);
  auto cb = std::move(cb_);
  try {
    cb(std::move(result));
  } catch (const std::exception& ex) {
    impl_->log(LogLevel::error, std::string("a request callback threw: ") + ex.what());
  } catch (...) {
    impl_->log(LogLevel::error, "a request callback threw");
  }
  impl_->request_finished();
}

}  // namespace campaign
