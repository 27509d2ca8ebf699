// One client connection: read a request, decide the answer (or fault), write
// it, repeat. The same code serves plain TCP and TLS streams.
#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "dialect.hpp"
#include "json_text.hpp"
#include "listing.hpp"
#include "responses.hpp"
#include "server_state.hpp"

namespace campaign::mock::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Connection = HeadBuilder::Connection;

constexpr std::size_t npos = std::string_view::npos;

// Request limits: far above what any client of the API sends (a GET with a
// handful of headers), low enough that one connection cannot exhaust memory.
constexpr std::size_t header_limit = 16 * 1024;       // the request head: 431 above
constexpr std::size_t body_limit = 1024 * 1024;       // a request body (discarded): 413 above
constexpr std::size_t read_buffer_limit = 64 * 1024;  // unread bytes held at once: a chunk line
                                                      // or trailers longer than this get 413

tcp::socket& lowest(tcp::socket& s) { return s; }
tcp::socket& lowest(asio::ssl::stream<tcp::socket>& s) { return s.next_layer(); }

// 64 KiB of filler for oversized bodies: streamed, never built whole.
std::string_view filler_block() {
  static const std::string block(64 * 1024, 'x');
  return block;
}

enum class Route { none, campaign, campaign_list, call_logs };

// The route of `target` (query ignored); `id` is the campaign of a campaign or call-logs route.
Route match_route(std::string_view target, std::string_view prefix, std::string_view& id) {
  if (auto q = target.find('?'); q != npos) target = target.substr(0, q);
  constexpr std::string_view campaigns = "/campaigns", calls = "/call-logs/campaign/";
  if (!target.starts_with(prefix)) return Route::none;
  target.remove_prefix(prefix.size());
  if (target == campaigns) return Route::campaign_list;
  Route route = Route::none;
  if (target.starts_with(campaigns) && target.size() > campaigns.size() && target[campaigns.size()] == '/') {
    target.remove_prefix(campaigns.size() + 1);
    route = Route::campaign;
  } else if (target.starts_with(calls)) {
    target.remove_prefix(calls.size());
    route = Route::call_logs;
  }
  if (target.empty() || target.find('/') != npos) return Route::none;
  id = target;
  return route;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool contains(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The Bearer key of the request, if it sent one.
std::optional<std::string_view> bearer_key(const RequestHead& head) {
  std::string_view value = trim(head.authorization_value());
  constexpr std::string_view scheme = "bearer";
  if (value.size() > scheme.size() && iequals(value.substr(0, scheme.size()), scheme) &&
      (value[scheme.size()] == ' ' || value[scheme.size()] == '\t')) {
    std::string_view k = trim(value.substr(scheme.size()));
    if (!k.empty()) return k;
  }
  return std::nullopt;
}

// 0 when the request may read campaigns, else 401 or 403.
int check_auth(const Options& o, const RequestHead& head) {
  if (o.api_keys.empty() && o.forbidden_keys.empty()) return 0;
  std::optional<std::string_view> key = bearer_key(head);
  if (key && contains(o.forbidden_keys, *key)) return 403;
  if (o.api_keys.empty() || (key && contains(o.api_keys, *key))) return 0;
  return 401;
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Worker& worker, Stream stream)
      : worker_(worker),
        shared_(worker.shared),
        options_(shared_.options),
        stream_(std::move(stream)),
        timer_(stream_.get_executor()),
        guard_(stream_.get_executor()) {
    shared_.active.fetch_add(1, std::memory_order_relaxed);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() { shared_.active.fetch_sub(1, std::memory_order_relaxed); }

  void start(std::uint64_t connection_id) {
    connection_id_ = connection_id;
    error_code ec;
    lowest(stream_).set_option(tcp::no_delay(true), ec);
    set_idle_deadline();
    if (deadline_ != Clock::time_point::max()) arm_guard(deadline_);
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      read_request();
    } else {
      stream_.async_handshake(asio::ssl::stream_base::server, [self =
                                                                   this->shared_from_this()](error_code e) {
        if (e || self->closed_) return self->close();
        if (const char* sni = SSL_get_servername(self->stream_.native_handle(), TLSEXT_NAMETYPE_host_name))
          self->server_name_ = sni;
        self->read_request();
      });
    }
  }

 private:
  enum class End { keep_alive, close, reset, hang };

  // ---- reading ----

  void read_request() {
    set_idle_deadline();
    // After a write the guard may be set for the write deadline: bring it forward.
    if (deadline_ < guard_.expiry()) arm_guard(deadline_);
    parser_.emplace(head_);
    parser_->header_limit(header_limit);
    parser_->body_limit(body_limit);
    http::async_read(stream_, in_, *parser_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (closed_) return;
    deadline_ = Clock::time_point::max();
    if (ec) {
      // A malformed request gets an answer; a closed or broken connection does not.
      if (ec.category() != http::make_error_code(http::error::end_of_stream).category() ||
          ec == http::error::end_of_stream || ec == http::error::partial_message)
        return close();
      int status = ec == http::error::header_limit                                       ? 431
                   : ec == http::error::body_limit || ec == http::error::buffer_overflow ? 413
                                                                                         : 400;
      begin(shared_.requests.fetch_add(1, std::memory_order_relaxed) + 1, false);
      count_rate_limit();  // headers only: the answer stays the 4xx
      error_body(dynamic_, options_.dialect, status, "bad_request", "malformed request: ", ec.message());
      answer(status, dynamic_);
      return send();
    }
    handle();
  }

  // ---- deciding ----

  void begin(std::uint64_t request_id, bool keep_alive) {
    request_id_ = request_id;
    keep_alive_ = keep_alive;
    end_ = keep_alive ? End::keep_alive : End::close;
    part_a_ = part_b_ = {};
    filler_ = 0;
    limit_ = chunk_ = npos;
    gap_ = std::chrono::milliseconds{0};
    skip_head_ = head_sent_ = false;
    sent_ = 0;
    extras_.clear();
  }

  void handle() {
    const std::uint64_t n = shared_.requests.fetch_add(1, std::memory_order_relaxed) + 1;
    worker_.log.record(connection_id_, n, head_, server_name_);
    if (shared_.file_log) shared_.file_log->write(connection_id_, n, head_, server_name_);
    ++served_;
    const std::size_t max = options_.max_requests_per_connection;
    begin(n, parser_->keep_alive() && (max == 0 || served_ < max));

    auto delay = options_.latency;
    route_ = match_route(head_.target, options_.prefix, id_);
    if (!count_rate_limit()) {
      rate_limited();
    } else if (route_ == Route::none) {
      if (live())
        error_body(dynamic_, options_.dialect, 404, "not_found", "Cannot ", head_.method, " " + head_.target);
      else
        error_body(dynamic_, "not_found", "no route for ", head_.target);
      answer(404, dynamic_);
    } else if (head_.verb != http::verb::get) {
      error_body(dynamic_, options_.dialect, 405, "method_not_allowed", "method ", head_.method,
                 " not allowed");
      extra("Allow", "GET");
      answer(405, dynamic_);
    } else if (const Fault* fault = route_ == Route::campaign ? shared_.pick_fault(id_, n, scripted_)
                                                              : shared_.pick_random(n)) {
      // Scripted faults name a campaign; the list routes get random ones only.
      shared_.faults.fetch_add(1, std::memory_order_relaxed);
      apply_fault(*fault);
      if (fault->kind != Fault::Kind::slow_body) delay += fault->delay;
    } else {
      answer_normal();
    }

    if (delay.count() > 0) {
      timer_.expires_after(delay);
      timer_.async_wait([self = this->shared_from_this()](error_code ec) {
        if (!ec && !self->closed_) self->send();
      });
    } else {
      send();
    }
  }

  bool live() const { return options_.dialect == Dialect::live; }

  // Options::rate_limit: counts this request and adds the X-RateLimit-*
  // headers; false when the key is over its limit.
  bool count_rate_limit() {
    if (!shared_.limiter) return true;
    auto d = shared_.limiter->take(bearer_key(head_).value_or(""), shared_.now());
    number_.clear();
    append_int(number_, d.limit);
    extra("X-RateLimit-Limit", number_);
    number_.clear();
    append_int(number_, d.remaining);
    extra("X-RateLimit-Remaining", number_);
    number_.clear();
    append_int(number_, d.reset);
    extra("X-RateLimit-Reset", number_);
    retry_after_ = d.retry_after;
    return d.allowed;
  }

  void rate_limited() {
    number_.clear();
    append_int(number_, retry_after_);
    extra("Retry-After", number_);
    if (live()) {
      error_body(dynamic_, options_.dialect, 429, "rate_limited", "ThrottlerException: Too Many Requests");
    } else {
      std::string limit;
      append_int(limit, options_.rate_limit.limit);
      limit += " requests per ";
      append_int(limit, options_.rate_limit.window.count());
      error_body(dynamic_, "rate_limited", "rate limit exceeded: ", limit, " s");
    }
    answer(429, dynamic_);
  }

  void answer_normal() {
    switch (route_) {
      case Route::campaign:
        return answer_campaign(id_);
      case Route::campaign_list:
        return answer_campaign_list();
      case Route::call_logs:
        return answer_call_logs(id_);
      case Route::none:
        return;
    }
  }

  // Answers 401 or 403 and returns false unless the key may read campaigns.
  bool authorized() {
    int denied = check_auth(options_, head_);
    if (!denied) return true;
    if (denied == 401) extra("WWW-Authenticate", "Bearer");
    if (denied == 401)
      answer(401, live() ? live_unauthorized_body : unauthorized_body);
    else
      answer(403, live() ? live_forbidden_body : forbidden_body);
    return false;
  }

  // The live dialect validates IDs (400); the reference one just finds none (404).
  bool valid_id(std::string_view id) {
    if (!live() || is_valid_id(id)) return true;
    validation_body(dynamic_, options_.dialect, 400,
                    {"id must match /^[A-Za-z0-9_-]{1,128}$/ regular expression"});
    answer(400, dynamic_);
    return false;
  }

  void campaign_not_found(std::string_view id) {
    if (live())
      error_body(dynamic_, options_.dialect, 404, "not_found", "Campaign not found");
    else
      error_body(dynamic_, "not_found", "campaign ", id, " not found");
    answer(404, dynamic_);
  }

  void answer_campaign(std::string_view id) {
    if (!authorized() || !valid_id(id)) return;
    const Record* rec = shared_.store.find(id, worker_.view);
    if (!rec) return campaign_not_found(id);
    if (rec->live) {
      rec->render_live(dynamic_, shared_.store.advance());
      return answer(200, dynamic_);
    }
    answer(200, rec->body);
  }

  // Page and limit, else a 400 answer.
  std::optional<PageQuery> page_query(std::uint64_t max_limit) {
    std::vector<std::string> errors;
    PageQuery q = parse_page_query(head_.target, max_limit, errors);
    if (errors.empty()) return q;
    validation_body(dynamic_, options_.dialect, 400, errors);
    answer(400, dynamic_);
    return std::nullopt;
  }

  // ListFaults::fail_once_page: answers 503 the first time this list path asks for it.
  bool list_fails(std::uint64_t page) {
    const auto& lf = options_.list_faults;
    if (!lf.fail_once_page || page != *lf.fail_once_page) return false;
    std::string_view path = head_.target;
    if (auto q = path.find('?'); q != npos) path = path.substr(0, q);
    if (!shared_.fail_once(path)) return false;
    std::string p;
    append_int(p, page);
    error_body(dynamic_, options_.dialect, 503, "server_error", "list fault: page ", p, " fails once");
    answer(503, dynamic_);
    return true;
  }

  void answer_campaign_list() {
    if (!authorized()) return;
    auto q = page_query(100);
    if (!q || list_fails(q->page)) return;
    auto order = shared_.store.ordered();
    auto matches = [&](const Record* r) { return !q->status || r->status == *q->status; };
    std::uint64_t total =
        q->status ? static_cast<std::uint64_t>(std::count_if(order->begin(), order->end(), matches))
                  : order->size();
    PagePlan plan = plan_page(*q, total, options_.list_faults);
    items_.clear();
    std::uint64_t seen = 0, taken = 0;
    for (const Record* rec : *order) {
      if (taken == plan.count) break;
      if (!matches(rec) || seen++ < plan.first) continue;
      if (taken++) items_ += ',';
      if (rec->live) {
        rec->render_live(scratch_, shared_.store.advance(), false);
        items_ += scratch_;
      } else {
        items_ += rec->body;
      }
    }
    wrap_page(dynamic_, options_.envelope, items_, *q, total, plan);
    answer(200, dynamic_);
    // After the page is rendered: the next page's offsets shift.
    if (options_.list_faults.insert_head) shared_.store.insert_newest(options_.list_faults.insert_head);
  }

  void answer_call_logs(std::string_view id) {
    if (!authorized() || !valid_id(id)) return;
    auto q = page_query(200);
    if (!q) return;
    const Record* rec = shared_.store.find(id, worker_.view);
    if (!rec) return campaign_not_found(id);
    if (list_fails(q->page)) return;
    // Only generated campaigns have call logs.
    const std::uint64_t total = rec->generated ? generated_call_log_count(*rec->generated, options_.busy_call_logs) : 0;
    PagePlan plan = plan_page(*q, total, options_.list_faults);
    items_.clear();
    for (std::uint64_t k = plan.first; k < plan.first + plan.count; ++k) {
      if (k != plan.first) items_ += ',';
      items_ += generated_call_log(*rec->generated, k, options_.dialect, options_.busy_call_logs);
    }
    wrap_page(dynamic_, options_.envelope, items_, *q, total, plan);
    answer(200, dynamic_);
  }

  void apply_fault(const Fault& f) {
    const std::string_view id = id_;
    using K = Fault::Kind;
    switch (f.kind) {
      case K::status:
        if (f.body.empty()) injected_error_body(dynamic_, options_.dialect, f.status);
        if (f.retry_after) extra("Retry-After", *f.retry_after);
        if (f.retry_after_ms) extra("retry-after-ms", *f.retry_after_ms);
        if (f.should_retry) extra("x-should-retry", *f.should_retry);
        return answer(f.status, f.body.empty() ? std::string_view(dynamic_) : std::string_view(f.body));
      case K::redirect: {
        int status = f.status >= 300 && f.status < 400 ? f.status : 302;
        if (f.body.empty())
          error_body(dynamic_, options_.dialect, status, "redirect", "moved to ", f.location);
        extra("Location", f.location);
        return answer(status, f.body.empty() ? std::string_view(dynamic_) : std::string_view(f.body));
      }
      case K::garbage:
        return answer(200, f.body.empty() ? garbage_body : std::string_view(f.body));
      case K::oversized_body: {
        // {"id":"<id>","padding":"xxxx...x"} of exactly f.size bytes.
        dynamic_ = R"({"id":")";
        append_json_escaped(dynamic_, id);
        dynamic_ += R"(","padding":")";
        constexpr std::string_view tail = "\"}";
        if (f.size >= dynamic_.size() + tail.size()) {
          filler_ = f.size - dynamic_.size() - tail.size();
          part_b_ = tail;
        } else {
          dynamic_.resize(f.size, ' ');
        }
        return answer(200, dynamic_);
      }
      default:
        break;
    }
    // The rest damage the normal answer on its way out.
    answer_normal();
    const std::size_t total = body_size();
    switch (f.kind) {
      case K::reset_before_headers:
        skip_head_ = true;
        end_ = End::reset;
        break;
      case K::reset_after_headers:
        limit_ = 0;
        end_ = End::reset;
        break;
      case K::reset_mid_body:
        limit_ = total / 2;
        end_ = End::reset;
        break;
      case K::truncate_body:
        limit_ = total / 2;
        end_ = End::close;
        break;
      case K::slow_body:
        chunk_ = 1;
        gap_ = f.delay;
        break;
      case K::hang:
        skip_head_ = true;
        end_ = End::hang;
        break;
      default:
        break;
    }
  }

  void extra(std::string_view name, std::string_view value) {
    extras_ += name;
    extras_ += ": ";
    extras_ += value;
    extras_ += "\r\n";
  }

  // Sets the status and body (part_a_, filler_, part_b_ stay as set) and builds the head.
  void answer(int status, std::string_view body) {
    part_a_ = body;
    HeadBuilder h(out_head_);
    h.start(status, shared_.now());
    out_head_ += extras_;
    Connection c = !keep_alive_         ? Connection::close
                   : head_.version < 11 ? Connection::keep_alive
                                        : Connection::none;
    h.finish(body_size(), request_id_, c);
  }

  std::size_t body_size() const { return part_a_.size() + filler_ + part_b_.size(); }

  // ---- writing ----

  void send() {
    if (end_ == End::hang) return hang();
    if (skip_head_) return abort();
    write_step();
  }

  // Body bytes [off, off + want) as up to `bufs.size() - nb` buffers.
  std::size_t gather(std::size_t off, std::size_t want, std::array<asio::const_buffer, 4>& bufs,
                     std::size_t nb) {
    std::size_t taken = 0;
    auto take = [&](const char* p, std::size_t len) {
      bufs[nb++] = asio::const_buffer(p, len);
      taken += len;
      off += len;
      want -= len;
    };
    const std::size_t filler_start = part_a_.size(), filler_end = filler_start + filler_;
    if (want && off < filler_start) take(part_a_.data() + off, std::min(want, filler_start - off));
    if (want && off < filler_end && nb < bufs.size())
      take(filler_block().data(), std::min({want, filler_end - off, filler_block().size()}));
    if (want && off >= filler_end && off < body_size() && nb < bufs.size())
      take(part_b_.data() + (off - filler_end), std::min(want, body_size() - off));
    return taken;
  }

  void write_step() {
    const std::size_t limit = std::min(limit_, body_size());
    std::array<asio::const_buffer, 4> bufs{};
    std::size_t nb = 0, body_bytes = 0;
    if (!head_sent_) bufs[nb++] = asio::buffer(out_head_);
    if ((head_sent_ || chunk_ == npos) && sent_ < limit)
      body_bytes = gather(sent_, std::min(limit - sent_, chunk_), bufs, nb);
    if (nb == 0 && body_bytes == 0) return finish();
    // A client that never reads must not pin the session: each write has a
    // deadline (gaps between trickled bytes do not count).
    if (options_.write_timeout.count() > 0) {
      deadline_ = Clock::now() + options_.write_timeout;
      arm_guard(deadline_);
    }
    asio::async_write(stream_, bufs,
                      [self = this->shared_from_this(), body_bytes](error_code ec, std::size_t) {
                        self->on_written(ec, body_bytes);
                      });
  }

  void on_written(error_code ec, std::size_t body_bytes) {
    if (ec || closed_) return close();
    deadline_ = Clock::time_point::max();
    head_sent_ = true;
    sent_ += body_bytes;
    if (sent_ < std::min(limit_, body_size()) && gap_.count() > 0) {
      timer_.expires_after(gap_);
      timer_.async_wait([self = this->shared_from_this()](error_code e) {
        if (!e && !self->closed_) self->write_step();
      });
      return;
    }
    write_step();
  }

  void finish() {
    switch (end_) {
      case End::keep_alive:
        return read_request();
      case End::close:
        return graceful_close();
      case End::reset:
        return abort();
      case End::hang:
        return hang();
    }
  }

  // ---- closing ----

  // Half-close, then drain what the client still sends, so that unread
  // request bytes do not turn our FIN into a RST that could eat the answer.
  void graceful_close() {
    error_code ec;
    lowest(stream_).shutdown(tcp::socket::shutdown_send, ec);
    Clock::duration linger = std::chrono::seconds(2);
    if (options_.idle_timeout.count() > 0) linger = std::min<Clock::duration>(linger, options_.idle_timeout);
    deadline_ = Clock::now() + linger;
    arm_guard(deadline_);
    drain();
  }

  // Reads and drops bytes until the peer closes (used to hang and to drain).
  void drain() {
    lowest(stream_).async_read_some(asio::buffer(discard_),
                                    [self = this->shared_from_this()](error_code ec, std::size_t) {
                                      if (ec || self->closed_) return self->close();
                                      self->drain();
                                    });
  }

  void hang() {
    deadline_ = Clock::time_point::max();
    drain();
  }

  // SO_LINGER 0: close() sends a RST instead of a FIN.
  void abort() {
    error_code ec;
    lowest(stream_).set_option(asio::socket_base::linger(true, 0), ec);
    close();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    guard_.cancel();
    error_code ec;
    lowest(stream_).close(ec);
  }

  // Waiting for a request: the idle timeout applies (none if it is 0).
  void set_idle_deadline() {
    deadline_ =
        options_.idle_timeout.count() > 0 ? Clock::now() + options_.idle_timeout : Clock::time_point::max();
  }

  // One watchdog per connection: it wakes at the deadline (or once per idle
  // period while there is none) instead of being reset on every request.
  void arm_guard(Clock::time_point at) {
    guard_.expires_at(at);
    guard_.async_wait([self = this->shared_from_this()](error_code ec) { self->on_guard(ec); });
  }

  void on_guard(error_code ec) {
    if (ec || closed_) return;
    auto now = Clock::now();
    if (deadline_ != Clock::time_point::max()) {
      if (now >= deadline_) return close();
      arm_guard(deadline_);
    } else if (options_.idle_timeout.count() > 0) {
      arm_guard(now + options_.idle_timeout);
    }
  }

  Worker& worker_;
  Shared& shared_;
  const Options& options_;
  Stream stream_;
  asio::steady_timer timer_;  // latency, gaps between trickled bytes
  asio::steady_timer guard_;  // idle and drain deadlines
  Clock::time_point deadline_ = Clock::time_point::max();
  std::uint64_t connection_id_ = 0;
  std::string server_name_;  // TLS SNI, set once the handshake is done
  std::size_t served_ = 0;
  bool closed_ = false;

  // Bounded: a request head is capped at 16 KiB by the parser, but a chunk
  // line or trailers that never end would grow the buffer without a limit.
  beast::flat_buffer in_{read_buffer_limit};
  std::optional<RequestParser> parser_;
  RequestHead head_;
  std::optional<Fault> scripted_;  // owns a scripted fault while it is applied
  Route route_ = Route::none;
  std::string_view id_;  // into head_.target, for this request

  // The answer being written: head, then part_a_, filler_ 'x's, part_b_.
  std::uint64_t request_id_ = 0;
  bool keep_alive_ = true;
  End end_ = End::keep_alive;
  std::string out_head_, extras_, dynamic_;
  std::string items_, scratch_, number_;  // list pages and header values, reused
  std::int64_t retry_after_ = 0;          // of the rate limit, for a 429
  std::string_view part_a_, part_b_;
  std::size_t filler_ = 0;
  std::size_t limit_ = npos;  // body bytes to send before end_
  std::size_t chunk_ = npos;  // body bytes per write
  std::chrono::milliseconds gap_{0};
  bool skip_head_ = false, head_sent_ = false;
  std::size_t sent_ = 0;
  std::array<char, 4096> discard_{};
};

}  // namespace

void start_session(Worker& worker, tcp::socket socket, std::uint64_t connection_id) {
  if (worker.shared.tls) {
    using TlsStream = asio::ssl::stream<tcp::socket>;
    std::make_shared<Session<TlsStream>>(worker, TlsStream(std::move(socket), *worker.shared.tls))
        ->start(connection_id);
  } else {
    std::make_shared<Session<tcp::socket>>(worker, std::move(socket))->start(connection_id);
  }
}

}  // namespace campaign::mock::detail
