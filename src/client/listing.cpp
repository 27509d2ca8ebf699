// Listings (docs/api.md, "List Campaigns", "Calls by campaign"): pages
// requested through the client, processed strictly in page order, stopped
// by the first of the rules of api.md.
#include <campaign/listing.hpp>

#include "client_impl.hpp"
#include "request_target.hpp"

#include <campaign/page.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_set>

namespace campaign {

std::string_view to_string(ListStop stop) noexcept {
  switch (stop) {
    case ListStop::end: return "end";
    case ListStop::empty_page: return "empty_page";
    case ListStop::short_page: return "short_page";
    case ListStop::total_pages: return "total_pages";
    case ListStop::hard_cap: return "hard_cap";
    case ListStop::no_new_ids: return "no_new_ids";
    case ListStop::max_items: return "max_items";
    case ListStop::error: return "error";
    case ListStop::cancelled: return "cancelled";
  }
  return "end";
}

namespace detail {

// Shared by the Listing and its page requests' callbacks (which hold it
// weakly: a dropped listing ignores what still comes back). Everything
// below the mutex is guarded by it; requests are submitted and cancelled
// outside it, since a client call must never run under our lock.
template <class T>
class ListingState : public std::enable_shared_from_this<ListingState<T>> {
 public:
  ListingState(std::weak_ptr<Client::Impl> impl, std::string path, QueryParams params, ListOptions options,
               std::uint32_t default_limit)
      : impl_(std::move(impl)),
        path_(std::move(path)),
        params_(std::move(params)),
        limit_(options.limit ? options.limit : default_limit),
        window_(std::max<std::uint32_t>(options.parallel_pages, 1)),
        max_items_(options.max_items) {}

  // A listing that failed before any request (an invalid ID).
  explicit ListingState(Error error) : limit_(1), window_(1) {
    error_ = std::move(error);
    stop(ListStop::error);
  }

  void start() {
    std::unique_lock lock(mutex_);
    if (max_items_ && *max_items_ == 0) stop(ListStop::max_items);
    Work work = plan();
    lock.unlock();
    run(work);
  }

  Result<std::optional<T>> next() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !ready_.empty() || over_; });
    if (ready_.empty()) {
      done_ = true;
      if (error_ && !error_delivered_) {
        error_delivered_ = true;
        return std::move(*error_);
      }
      return std::optional<T>();
    }
    T item = std::move(ready_.front());
    ready_.pop_front();
    Work work = plan();  // room for more pages now, perhaps
    lock.unlock();
    run(work);
    return std::optional<T>(std::move(item));
  }

  void cancel() {
    std::unique_lock lock(mutex_);
    if (done_ || summary_.stop == ListStop::cancelled) return;  // nothing left to cut short
    ready_.clear();
    error_ = make_error(ErrorKind::cancelled, "listing cancelled");
    stop(ListStop::cancelled);
    Work work = take_cancels();
    lock.unlock();
    cv_.notify_all();
    run(work);
  }

  ListSummary summary() const {
    std::lock_guard lock(mutex_);
    return summary_;
  }

 private:
  // What to do once the lock is released: pages to request, requests to cancel.
  struct Work {
    std::vector<std::uint64_t> pages;
    std::vector<std::uint64_t> cancels;
  };

  // Pages that may be requested now. Before a page has said how many pages
  // there are, one at a time (each decides whether there is a next); then up
  // to window_ at once, up to the last page the latest page announced.
  // Items waiting for next() count against the window too, so memory stays
  // bounded by it.
  Work plan() {
    Work w;
    if (over_) return w;
    const std::size_t waiting = (ready_.size() + limit_ - 1) / limit_;  // pages' worth of items
    const std::size_t window = last_page_ ? window_ : 1;
    // The page after the last one used is always allowed (the stop rules
    // have let the listing go on); pages beyond it only up to last_page_.
    while (in_flight_.size() + arrived_.size() + waiting < window &&
           (next_request_ == next_page_ || (last_page_ && next_request_ <= *last_page_))) {
      in_flight_.emplace(next_request_, 0);  // its number comes once submitted
      w.pages.push_back(next_request_++);
    }
    return w;
  }

  Work take_cancels() {
    Work w;
    for (const auto& [page, number] : in_flight_)
      if (number) w.cancels.push_back(number);
    return w;
  }

  void run(const Work& w) {
    for (std::uint64_t page : w.pages) request(page);
    if (w.cancels.empty()) return;
    if (auto impl = impl_.lock())
      for (std::uint64_t n : w.cancels) impl->cancel(n);
  }

  void request(std::uint64_t page) {
    auto impl = impl_.lock();
    if (!impl) {
      arrive(page, make_error(ErrorKind::cancelled, "the client was destroyed"));
      return;
    }
    // The sink decodes on the I/O thread while the body is valid; the
    // callback that follows hands the page over.
    auto slot = std::make_shared<std::optional<Page<T>>>();
    RawRequest raw{list_target(impl->endpoint.prefix, path_, page, limit_, params_),
                   [slot](const char* body, std::size_t size, std::size_t capacity) -> std::optional<Error> {
                     thread_local PageDecoder decoder;
                     auto r = decoder.decode_padded<T>(body, size, capacity);
                     if (!r) return std::move(r.error());
                     *slot = std::move(*r);
                     return std::nullopt;
                   }};
    std::weak_ptr<ListingState> weak = this->shared_from_this();
    std::uint64_t number = 0;
    try {
      number = impl->submit_request(std::move(raw), [weak, page, slot](Result<Campaign> r) {
        auto self = weak.lock();
        if (!self) return;
        if (!r) self->arrive(page, std::move(r.error()));
        else if (!*slot) self->arrive(page, make_error(ErrorKind::internal, "page body not decoded"));
        else self->arrive(page, std::move(**slot));
      });
    } catch (const std::bad_alloc&) {
      arrive(page, make_error(ErrorKind::internal, "out of memory"));
      return;
    }
    std::unique_lock lock(mutex_);
    auto it = in_flight_.find(page);
    if (it == in_flight_.end()) return;  // already answered
    it->second = number;
    if (!over_) return;
    lock.unlock();  // stopped while we submitted: this one is not needed
    impl->cancel(number);
  }

  // A page's answer (or failure), from its callback.
  void arrive(std::uint64_t page, Result<Page<T>> result) {
    std::unique_lock lock(mutex_);
    in_flight_.erase(page);
    if (over_) return;
    arrived_.emplace(page, std::move(result));
    while (!over_) {
      auto it = arrived_.find(next_page_);
      if (it == arrived_.end()) break;
      auto r = std::move(it->second);
      arrived_.erase(it);
      use(next_page_++, std::move(r));
    }
    Work work = over_ ? take_cancels() : plan();
    lock.unlock();
    cv_.notify_all();
    run(work);
  }

  // The next page in order: its new items to ready_, and whether to stop.
  void use(std::uint64_t page, Result<Page<T>> result) {
    if (!result) {
      error_ = std::move(result.error());
      error_->message.insert(0, "page " + std::to_string(page) + ": ");
      stop(ListStop::error);
      return;
    }
    ++summary_.pages;
    const std::optional<PageMeta>& meta = result->meta;
    const std::optional<std::int64_t> total = meta ? meta->total : std::nullopt;
    if (page == 1) summary_.first_total = total;
    if (total) summary_.last_total = total;
    summary_.total_changed = summary_.first_total && summary_.last_total &&
                             *summary_.first_total != *summary_.last_total;
    // totalPages when sent and at least 1 (0: not said).
    const std::uint64_t total_pages =
        meta && meta->total_pages ? static_cast<std::uint64_t>(std::max<std::int64_t>(*meta->total_pages, 1))
                                  : 0;
    // ceil(total / limit) + 2 pages at most, whatever else the server says.
    std::optional<std::uint64_t> cap;
    if (total && *total >= 0) cap = (static_cast<std::uint64_t>(*total) + limit_ - 1) / limit_ + 2;
    if (total_pages) last_page_ = cap ? std::min(total_pages, *cap) : total_pages;

    std::uint64_t fresh = 0;
    for (T& item : result->items) {
      if (max_items_ && summary_.items >= *max_items_) break;
      if (!seen_.emplace(item.id()).second) {
        ++summary_.duplicates;
        continue;
      }
      ready_.push_back(std::move(item));
      ++summary_.items;
      ++fresh;
    }
    const std::size_t n = result->items.size();
    if (n == 0) stop(ListStop::empty_page);
    else if (max_items_ && summary_.items >= *max_items_) stop(ListStop::max_items);
    else if (fresh == 0) stop(ListStop::no_new_ids);
    else if (n < limit_) stop(ListStop::short_page);
    else if (total_pages && page >= total_pages) stop(ListStop::total_pages);
    else if (cap && page >= *cap) stop(ListStop::hard_cap);
  }

  void stop(ListStop why) {
    if (over_ && why != ListStop::cancelled) return;
    over_ = true;
    summary_.stop = why;
    arrived_.clear();
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::weak_ptr<Client::Impl> impl_;
  std::string path_;
  QueryParams params_;  // status, then the filters: the same on every page
  std::uint64_t limit_;
  std::size_t window_;
  std::optional<std::uint64_t> max_items_;

  std::uint64_t next_request_ = 1;             // the next page to request
  std::uint64_t next_page_ = 1;                // the next page to use
  std::optional<std::uint64_t> last_page_;     // the latest totalPages (within the hard cap)
  std::map<std::uint64_t, std::uint64_t> in_flight_;      // page -> request number (0: being submitted)
  std::map<std::uint64_t, Result<Page<T>>> arrived_;      // answered, waiting for earlier pages
  std::deque<T> ready_;                        // items for next()
  std::unordered_set<std::string> seen_;       // every ID delivered
  std::optional<Error> error_;                 // given by next() after ready_
  bool over_ = false;             // no more pages will be used
  bool done_ = false;             // next() has reported the end (nullopt or the error)
  bool error_delivered_ = false;
  ListSummary summary_;
};

}  // namespace detail

template <class T>
Listing<T>::Listing(std::shared_ptr<detail::ListingState<T>> state) noexcept : state_(std::move(state)) {}
template <class T>
Listing<T>::Listing(Listing&&) noexcept = default;
template <class T>
Listing<T>& Listing<T>::operator=(Listing&& other) noexcept {
  if (this != &other) {
    if (state_) state_->cancel();
    state_ = std::move(other.state_);
  }
  return *this;
}
template <class T>
Listing<T>::~Listing() {
  if (state_) state_->cancel();
}

template <class T>
Result<std::optional<T>> Listing<T>::next() {
  if (!state_) return std::optional<T>();
  return state_->next();
}
template <class T>
void Listing<T>::cancel() {
  if (state_) state_->cancel();
}
template <class T>
ListSummary Listing<T>::summary() const {
  return state_ ? state_->summary() : ListSummary{};
}

template class Listing<Campaign>;
template class Listing<CallLog>;

namespace {

template <class T>
std::shared_ptr<detail::ListingState<T>> started(const std::shared_ptr<Client::Impl>& impl, std::string path,
                                                 detail::QueryParams params, ListOptions options,
                                                 std::uint32_t default_limit) {
  auto state = std::make_shared<detail::ListingState<T>>(impl, std::move(path), std::move(params),
                                                         std::move(options), default_limit);
  state->start();
  return state;
}

}  // namespace

Listing<Campaign> Client::list_campaigns(ListOptions options) {
  detail::QueryParams params;
  if (options.status) params.emplace_back("status", *options.status);
  params.insert(params.end(), options.filters.begin(), options.filters.end());
  return Listing<Campaign>(started<Campaign>(impl_, "/campaigns", std::move(params), std::move(options),
                                             kMaxCampaignPageLimit));
}

Listing<CallLog> Client::calls(std::string_view campaign_id, ListOptions options) {
  auto path = detail::call_logs_path(campaign_id);
  if (!path)
    return Listing<CallLog>(std::make_shared<detail::ListingState<CallLog>>(
        make_error(ErrorKind::invalid_argument, std::string(detail::invalid_id_message))));
  detail::QueryParams params = options.filters;
  return Listing<CallLog>(started<CallLog>(impl_, std::move(*path), std::move(params), std::move(options),
                                           kMaxCallLogPageLimit));
}

}  // namespace campaign
