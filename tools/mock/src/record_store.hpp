// The records the mock serves. Readers (io threads) never lock on the hot
// path: each keeps a snapshot of the id map and refreshes it only when the
// store's version moves. Records are never freed before the store, so a
// Record* stays valid while a response built from it is being written.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "campaign_mock/server.hpp"

namespace campaign::mock::detail {

struct Record {
  std::string id;
  std::string body;                        // served byte for byte unless `live` is set
  std::string status;                      // as loaded (the status filter of the list)
  std::optional<std::int64_t> created_ns;  // created_at; records without one list last
  std::optional<std::size_t> generated;    // the index of a generated record (its call logs)
  // Set when Options::advance > 0 and the record has integer counters.
  std::optional<boost::json::object> live;
  std::int64_t completed0 = 0, pending0 = 0;
  mutable std::atomic<std::int64_t> gets{0};

  // The body for one GET of a live record (moves the counters first, unless
  // `move` is false: a list shows the state without moving it).
  void render_live(std::string& out, std::int64_t advance, bool move = true) const;
};

class RecordStore {
 public:
  using Map = std::unordered_map<std::string_view, const Record*>;
  using Order = std::vector<const Record*>;  // newest first: created_at descending, then id

  // A reader's cached snapshot; used by one thread only.
  struct View {
    std::shared_ptr<const Map> map;
    std::uint64_t version = ~std::uint64_t{0};
  };

  RecordStore(std::int64_t advance, Dialect dialect) : advance_(advance), dialect_(dialect) {}

  void add(std::string json);  // throws std::invalid_argument
  void generate(std::size_t n);
  // k generated records (the next indices) newer than every record: the head of the list.
  void insert_newest(std::size_t k);
  const Record* find(std::string_view id, View& view) const;
  // Every record, newest first; sorted again only after a change (takes the mutex).
  std::shared_ptr<const Order> ordered() const;
  std::int64_t advance() const { return advance_; }

 private:
  std::unique_ptr<Record> make(std::string id, std::string body, const boost::json::object* parsed) const;
  void publish(std::deque<std::unique_ptr<Record>>& fresh);

  const std::int64_t advance_;
  const Dialect dialect_;
  std::size_t next_generated_ = 0;                           // guarded by mutex_
  mutable std::shared_ptr<const Order> order_;               // guarded by mutex_
  mutable std::uint64_t order_version_ = ~std::uint64_t{0};  // guarded by mutex_
  mutable std::mutex mutex_;
  std::shared_ptr<Map> master_ = std::make_shared<Map>();  // guarded by mutex_
  std::deque<std::unique_ptr<Record>> owned_;              // guarded by mutex_
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace campaign::mock::detail
