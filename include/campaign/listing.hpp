// campaign/listing.hpp: every item of a list endpoint, all pages
// (docs/api.md, "List Campaigns", "Calls by campaign").
//
// Client::list_campaigns() and Client::calls() return a Listing: a blocking
// iterator over the items in the server's order. Pages are requested with
// the same client machinery as get() (deadline, retries, the shared rate
// gate, masked errors); once page 1 has said how many pages there are, later
// pages are fetched several at a time but still delivered in page order.
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/error.hpp>
#include <campaign/model.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace campaign {

// The servers' largest page sizes (docs/api.md), and the defaults: the
// fewest requests per listing under a rate limit.
inline constexpr std::uint32_t kMaxCampaignPageLimit = 100;
inline constexpr std::uint32_t kMaxCallLogPageLimit = 200;

struct ListOptions {
  std::optional<std::string> status;  // List Campaigns: ?status=
  std::vector<std::pair<std::string, std::string>> filters;  // other query parameters, as given, on every page
  std::uint32_t limit = 0;             // page size; 0: 100 for campaigns, 200 for call logs (the server's maxima)
  std::optional<std::uint64_t> max_items;  // stop after this many items
  std::uint32_t parallel_pages = 4;    // page requests in flight once totalPages is known (>= 1)
};

// Why a listing ended: `end` while it runs (and for a listing never started).
enum class ListStop { end, empty_page, short_page, total_pages, hard_cap, no_new_ids, max_items, error, cancelled };
std::string_view to_string(ListStop) noexcept;

struct ListSummary {
  std::uint64_t pages = 0;       // page responses used
  std::uint64_t items = 0;       // items delivered
  std::uint64_t duplicates = 0;  // repeated IDs dropped
  std::optional<std::int64_t> first_total, last_total;  // `total` on the first and last page, when sent
  bool total_changed = false;
  ListStop stop = ListStop::end;
};

namespace detail {
template <class T>
class ListingState;
}

template <class T>  // T = Campaign or CallLog; movable, not copyable
class Listing {
 public:
  // Blocking: the next item in order; nullopt when the listing is over; an
  // Error once (after every item before it), then nullopt. Not from inside
  // a callback of the client (it would wait on itself); with a client on
  // your io_context, that io_context must run on another thread meanwhile.
  Result<std::optional<T>> next();
  void cancel();                 // thread-safe; next() then ends with ErrorKind::cancelled
  ListSummary summary() const;   // so far; final once next() returned nullopt or an error
  ~Listing();                    // cancels what is in flight, never blocks long

  Listing(Listing&&) noexcept;
  Listing& operator=(Listing&&) noexcept;
  Listing(const Listing&) = delete;
  Listing& operator=(const Listing&) = delete;

 private:
  friend class Client;
  explicit Listing(std::shared_ptr<detail::ListingState<T>> state) noexcept;
  std::shared_ptr<detail::ListingState<T>> state_;  // null once moved from: the listing is over
};

extern template class Listing<Campaign>;
extern template class Listing<CallLog>;

}  // namespace campaign
