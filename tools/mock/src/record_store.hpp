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

#include <boost/json/object.hpp>

namespace campaign::mock::detail {

struct Record {
  std::string id;
  std::string body;  // served byte for byte unless `live` is set
  // Set when Options::advance > 0 and the record has integer counters.
  std::optional<boost::json::object> live;
  std::int64_t completed0 = 0, pending0 = 0;
  mutable std::atomic<std::int64_t> gets{0};

  // The body for one GET of a live record (moves the counters first).
  void render_live(std::string& out, std::int64_t advance) const;
};

class RecordStore {
 public:
  using Map = std::unordered_map<std::string_view, const Record*>;

  // A reader's cached snapshot; used by one thread only.
  struct View {
    std::shared_ptr<const Map> map;
    std::uint64_t version = ~std::uint64_t{0};
  };

  explicit RecordStore(std::int64_t advance) : advance_(advance) {}

  void add(std::string json);  // throws std::invalid_argument
  void generate(std::size_t n);
  const Record* find(std::string_view id, View& view) const;
  std::int64_t advance() const { return advance_; }

 private:
  std::unique_ptr<Record> make(std::string id, std::string body, const boost::json::object* parsed) const;
  void publish(std::deque<std::unique_ptr<Record>>& fresh);

  const std::int64_t advance_;
  mutable std::mutex mutex_;
  std::shared_ptr<Map> master_ = std::make_shared<Map>();  // guarded by mutex_
  std::deque<std::unique_ptr<Record>> owned_;              // guarded by mutex_
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace campaign::mock::detail
