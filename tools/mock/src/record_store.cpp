#include "record_store.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include "campaign_mock/server.hpp"
#include "clock_text.hpp"
#include "dialect.hpp"

namespace campaign::mock::detail {
namespace json = boost::json;

namespace {

std::optional<std::int64_t> int_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64() &&
      it->value().get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(it->value().get_uint64());
  return std::nullopt;
}

std::string_view string_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string_view(it->value().get_string()) : "";
}

std::string generated_id(std::size_t index) {
  char id[32];
  int len = std::snprintf(id, sizeof id, "cmp_%06zu", index);
  return std::string(id, static_cast<std::size_t>(len));
}

}  // namespace

void Record::render_live(std::string& out, std::int64_t advance, bool move) const {
  std::int64_t n =
      move ? gets.fetch_add(1, std::memory_order_relaxed) + 1 : gets.load(std::memory_order_relaxed);
  // n * advance may overflow on a very long run: saturate at "all moved".
  std::int64_t moved = n <= pending0 / advance ? n * advance : pending0;
  json::object o = *live;
  o["completed_calls"] = completed0 + moved;
  o["pending_calls"] = pending0 - moved;
  if (pending0 - moved == 0) o["status"] = "completed";
  out = json::serialize(o);
}

std::unique_ptr<Record> RecordStore::make(std::string id, std::string body,
                                          const json::object* parsed) const {
  auto rec = std::make_unique<Record>();
  rec->id = std::move(id);
  rec->body = std::move(body);
  if (!parsed) return rec;
  rec->status = string_field(*parsed, "status");
  rec->created_ns = parse_rfc3339_ns(string_field(*parsed, "created_at"));
  if (advance_ > 0) {
    auto completed = int_field(*parsed, "completed_calls");
    auto pending = int_field(*parsed, "pending_calls");
    auto status = parsed->find("status");
    bool cancelled =
        status != parsed->end() && status->value().is_string() && status->value().get_string() == "cancelled";
    if (completed && pending && *pending >= 0 && !cancelled) {
      rec->live = *parsed;
      rec->completed0 = *completed;
      rec->pending0 = *pending;
    }
  }
  return rec;
}

void RecordStore::add(std::string text) {
  if (dialect_ == Dialect::live) text = rename_top_level_key(std::move(text), "org_id", "organization_id");
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw std::invalid_argument("record is not valid JSON: " + ec.message());
  if (!v.is_object()) throw std::invalid_argument("record is not a JSON object");
  auto id = v.as_object().find("id");
  if (id == v.as_object().end() || !id->value().is_string())
    throw std::invalid_argument("record has no string \"id\"");
  std::deque<std::unique_ptr<Record>> fresh;
  fresh.push_back(make(std::string(id->value().get_string()), std::move(text), &v.as_object()));
  publish(fresh);
}

void RecordStore::generate(std::size_t n) {
  std::deque<std::unique_ptr<Record>> fresh;
  json::parser parser;  // reused: its memory stays warm across records
  for (std::size_t i = 0; i < n; ++i) {
    std::string body = generated_record(i, dialect_);
    parser.reset();
    parser.write(body);
    json::value v = parser.release();
    fresh.push_back(make(generated_id(i), std::move(body), &v.as_object()));
    fresh.back()->generated = i;
  }
  {
    std::lock_guard lock(mutex_);
    next_generated_ = std::max(next_generated_, n);
  }
  publish(fresh);
}

void RecordStore::insert_newest(std::size_t k) {
  std::int64_t newest = 0;
  std::size_t first = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, rec] : *master_)
      if (rec->created_ns) newest = std::max(newest, *rec->created_ns);
    first = next_generated_;
    next_generated_ += k;
  }
  std::deque<std::unique_ptr<Record>> fresh;
  for (std::size_t j = 0; j < k; ++j) {
    json::object o = json::parse(generated_record(first + j, dialect_)).as_object();
    std::string at;
    append_civil(at, newest / 1000000000 + static_cast<std::int64_t>(j) + 1);
    o["created_at"] = at + ".000Z";
    fresh.push_back(make(generated_id(first + j), json::serialize(o), &o));
    fresh.back()->generated = first + j;
  }
  publish(fresh);
}

void RecordStore::publish(std::deque<std::unique_ptr<Record>>& fresh) {
  std::lock_guard lock(mutex_);
  // Readers drop their old snapshot only under this mutex (see find), so a
  // use count of 1 means no reader can be looking at the map: edit in place.
  if (master_.use_count() > 1) master_ = std::make_shared<Map>(*master_);
  master_->reserve(master_->size() + fresh.size());
  for (auto& rec : fresh) {
    (*master_)[rec->id] = rec.get();
    owned_.push_back(std::move(rec));
  }
  version_.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const RecordStore::Order> RecordStore::ordered() const {
  std::lock_guard lock(mutex_);
  const std::uint64_t version = version_.load(std::memory_order_relaxed);
  if (order_version_ == version) return order_;
  auto order = std::make_shared<Order>();
  order->reserve(master_->size());
  for (const auto& [id, rec] : *master_) order->push_back(rec);
  std::sort(order->begin(), order->end(), [](const Record* a, const Record* b) {
    if (a->created_ns != b->created_ns) {
      if (!a->created_ns || !b->created_ns) return a->created_ns.has_value();
      return *a->created_ns > *b->created_ns;
    }
    return a->id < b->id;
  });
  order_ = std::move(order);
  order_version_ = version;
  return order_;
}

const Record* RecordStore::find(std::string_view id, View& view) const {
  if (view.version != version_.load(std::memory_order_acquire)) {
    std::lock_guard lock(mutex_);
    view.map = master_;
    view.version = version_.load(std::memory_order_relaxed);
  }
  auto it = view.map->find(id);
  return it == view.map->end() ? nullptr : it->second;
}

}  // namespace campaign::mock::detail
