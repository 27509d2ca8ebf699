// campaign/client.hpp: fetch campaigns over HTTP(S) with Boost.Beast/Asio.
//
// A Client owns a keep-alive connection pool, retries with backoff, and
// either its own I/O thread(s) or a strand on the caller's io_context. Every
// member function is safe to call from any thread.
#pragma once

#include <campaign/error.hpp>
#include <campaign/id.hpp>
#include <campaign/listing.hpp>
#include <campaign/model.hpp>
#include <campaign/options.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace campaign {


// Counters since the client was created (a snapshot).
struct ClientStats {
  std::uint64_t requests = 0;        // logical requests started (a get that joined one: `coalesced`)
  std::uint64_t attempts = 0;        // HTTP requests written
  std::uint64_t retries = 0;         // attempts after the first
  std::uint64_t budget_denied = 0;   // retries refused by the retry budget
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_reused = 0;  // requests sent on a pooled connection
  std::uint64_t stale_resends = 0;   // re-sent once after a pooled connection died
  // docs/api.md, "Rate limits": attempts are held back while the key's
  // window has nothing left, instead of collecting 429s.
  std::uint64_t responses_429 = 0;       // HTTP 429 answers received
  std::uint64_t rate_limit_waits = 0;    // requests held back by the key's window
  std::uint64_t rate_limit_wait_ms = 0;  // time they spent held back, in total
  std::optional<RateLimit> rate_limit;   // the key's limit as last seen
  std::uint64_t coalesced = 0;           // gets served by a request already in flight for their ID
};

// One result of a batch, in input order (or completion order, if asked).
struct BatchItem {
  std::size_t index = 0;  // position in the input
  std::string id;
  Result<Campaign> result;
};

struct BatchOptions {
  std::size_t concurrency = 32;  // requests in flight at once (>= 1)
  bool ordered = true;           // deliver in input order (else as completed)
  // Set to true from any thread to stop early: what is in flight is
  // cancelled and reported; no further IDs are read.
  const std::atomic<bool>* cancel = nullptr;
};

struct BatchSummary {
  std::size_t total = 0, succeeded = 0, failed = 0;
  std::size_t by_kind[16] = {};  // failures by ErrorKind value
  // The window in use adapts (docs/api.md, "Rate limits"): halved on a 429
  // or 503, grown by one per window of successes up to the concurrency.
  std::size_t window_decreases = 0;
  std::size_t smallest_window = 0, final_window = 0;
};

class Client {
 public:
  using Callback = std::function<void(Result<Campaign>)>;
  class Impl;

  // A client with its own I/O thread(s). Errors: invalid_argument for a bad
  // base URL, API key (empty, or bytes illegal in a header) or option.
  static Result<Client> create(ClientOptions options);
  // A client that runs on the caller's io_context (on a strand of it); the
  // caller runs the io_context. Destroying the client cancels what is in
  // flight; the callbacks still run, with `cancelled`, on that io_context.
  static Result<Client> create(boost::asio::io_context& ioc, ClientOptions options);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  // Cancels everything in flight, runs the callbacks with `cancelled`, joins
  // the I/O threads, closes every connection and wipes the key.
  ~Client();

  // Blocking fetch. Not from inside a callback of this client (that would
  // wait on itself: it returns `internal` instead).
  Result<Campaign> get(std::string_view id);

  // Starts a fetch; the callback runs exactly once, on a client I/O thread
  // (or the attached io_context). Returns a request number for cancel().
  // Throws std::bad_alloc only when it could not even start (the callback
  // then never runs); every later failure reaches the callback.
  std::uint64_t submit(std::string_view id, Callback callback);
  // Cancels one request: its callback gets `cancelled` unless it already
  // completed. Unknown or finished numbers are ignored.
  void cancel(std::uint64_t request);
  // Cancels every request in flight (each ends with `cancelled`), and stops
  // every get_many() running at the time from submitting more: it delivers
  // what was in flight as cancelled and returns without reading further IDs.
  void cancel_all();

  // Asio-style: completion signature void(Result<Campaign>). Works with
  // callbacks, use_future and use_awaitable; honours the token's
  // cancellation slot (terminal cancellation cancels the request).
  template <class CompletionToken>
  auto async_get(std::string_view id, CompletionToken&& token);

  // Fetches every ID next_id() yields (nullopt ends the input), at most
  // `concurrency` at once, calling sink() on the calling thread once per ID
  // (return false from sink to stop early). Memory is bounded by the
  // concurrency, not by the number of IDs. Blocking; not from a callback.
  BatchSummary get_many(const std::function<std::optional<std::string>()>& next_id,
                        const std::function<bool(BatchItem&&)>& sink,
                        const BatchOptions& options = {});

  // Every campaign of the workspace, all pages (docs/api.md, "List
  // Campaigns"): GET {base}/campaigns?page=P&limit=L[&status=S][&filters].
  Listing<Campaign> list_campaigns(ListOptions options = {});
  // The call logs of one campaign, all pages: GET
  // {base}/call-logs/campaign/{id}?page=P&limit=L[&filters]. An invalid ID
  // sends nothing: next() gives invalid_argument.
  Listing<CallLog> calls(std::string_view campaign_id, ListOptions options = {});

  ClientStats stats() const;
  const ClientOptions& options() const noexcept;

 private:
  explicit Client(std::shared_ptr<Impl> impl);
  static std::uint64_t submit_to(const std::shared_ptr<Impl>& impl, std::string_view id,
                                 Callback callback);
  static void cancel_in(const std::weak_ptr<Impl>& impl, std::uint64_t request);
  std::shared_ptr<Impl> impl_;
};

template <class CompletionToken>
auto Client::async_get(std::string_view id, CompletionToken&& token) {
  namespace asio = boost::asio;
  return asio::async_initiate<CompletionToken, void(Result<Campaign>)>(
      [impl = impl_](auto handler, std::string id_copy) {
        auto slot = asio::get_associated_cancellation_slot(handler);
        // Keep the handler's executor busy until the result is delivered.
        auto work = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        using Handler = decltype(handler);
        auto state = std::make_shared<std::pair<Handler, decltype(work)>>(std::move(handler),
                                                                          std::move(work));
        std::uint64_t n = submit_to(impl, id_copy, [state](Result<Campaign> r) {
          auto ex = asio::get_associated_executor(state->first);
          asio::dispatch(ex, [state, r = std::move(r)]() mutable {
            Handler h = std::move(state->first);
            std::move(h)(std::move(r));
          });
        });
        if (slot.is_connected()) {
          slot.assign([weak = std::weak_ptr<Impl>(impl), n](asio::cancellation_type type) {
            if (type != asio::cancellation_type::none) cancel_in(weak, n);
          });
        }
      },
      token, std::string(id));
}

}  // namespace campaign
