// get_many: exactly one result per input, order, bounded read-ahead, cancellation.
#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <optional>
#include <thread>

using namespace campaign;
using namespace campaign::test;
using Kind = mock::Fault::Kind;

namespace {

// IDs: mostly known, every 7th unknown, every 13th invalid.
std::string id_at(std::size_t i) {
  if (i % 13 == 5) return "bad/id";
  char b[24];
  std::snprintf(b, sizeof b, i % 7 == 3 ? "cmp_x%06zu" : "cmp_%06zu", i % 2000);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch)

BOOST_AUTO_TEST_CASE(ordered_one_result_per_input_with_mixed_failures) {
  MockFixture f;
  f.server.script("cmp_000010", {mock::Fault{.kind = Kind::status, .status = 500}});  // retried, then ok
  Client c = make_client(f.options());
  const std::size_t n = 3000;
  std::size_t read = 0, max_ahead = 0, delivered = 0;
  std::vector<BatchItem> items;
  BatchOptions bo;
  bo.concurrency = 16;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == n) return std::nullopt;
        max_ahead = std::max(max_ahead, read - delivered);
        return id_at(read++);
      },
      [&](BatchItem&& item) {
        ++delivered;
        items.push_back(std::move(item));
        return true;
      },
      bo);
  BOOST_REQUIRE_EQUAL(items.size(), n);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = items[i];
    BOOST_TEST(it.index == i);
    BOOST_TEST(it.id == id_at(i));
    if (i % 13 == 5) {
      BOOST_TEST(to_string(it.result.error().kind) == "invalid_argument");
    } else if (i % 7 == 3) {
      BOOST_TEST(to_string(it.result.error().kind) == "not_found");
    } else {
      BOOST_REQUIRE(it.result.has_value());
      BOOST_TEST(it.result->id() == it.id);
    }
    if (!it.result) ++failed;
  }
  BOOST_TEST(summary.total == n);
  BOOST_TEST(summary.failed == failed);
  BOOST_TEST(summary.succeeded == n - failed);
  BOOST_TEST(summary.by_kind[static_cast<int>(ErrorKind::not_found)] + summary.by_kind[static_cast<int>(ErrorKind::invalid_argument)] == failed);
  BOOST_TEST(max_ahead <= bo.concurrency);  // memory bounded by the window, not by n
}

BOOST_AUTO_TEST_CASE(unordered_delivers_everything_once) {
  MockFixture f;
  Client c = make_client(f.options());
  std::size_t read = 0;
  std::vector<int> seen_index(500, 0);
  BatchOptions bo;
  bo.ordered = false;
  bo.concurrency = 7;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 500) return std::nullopt;
        return id_at(read++);
      },
      [&](BatchItem&& item) {
        ++seen_index.at(item.index);
        BOOST_TEST(item.id == id_at(item.index));
        return true;
      },
      bo);
  BOOST_TEST(summary.total == 500u);
  for (int v : seen_index) BOOST_TEST(v == 1);
}

// docs/api.md, "Rate limits": 503s halve the window, successes grow it back.
BOOST_AUTO_TEST_CASE(the_window_shrinks_on_503_and_grows_back) {
  MockFixture f;
  for (int i = 0; i < 10; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "cmp_%06d", i);
    f.server.script(id, {mock::Fault{.kind = Kind::status, .status = 503}});  // once, then ok
  }
  Client c = make_client(f.options());
  const std::size_t n = 600;
  std::size_t read = 0, ok = 0;
  BatchOptions bo;
  bo.concurrency = 16;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == n) return std::nullopt;
        char id[16];
        std::snprintf(id, sizeof id, "cmp_%06zu", read++);
        return std::string(id);
      },
      [&](BatchItem&& item) {
        ok += item.result.has_value();
        return true;
      },
      bo);
  BOOST_TEST(ok == n);  // retried
  BOOST_TEST(summary.window_decreases >= 1u);
  BOOST_TEST(summary.smallest_window <= 8u);
  BOOST_TEST(summary.smallest_window >= 1u);
  BOOST_TEST(summary.final_window == 16u);  // 590 successes grow 1 back to 16
}

BOOST_AUTO_TEST_CASE(without_pushback_the_window_stays_whole) {
  MockFixture f;
  Client c = make_client(f.options());
  std::size_t read = 0;
  BatchOptions bo;
  bo.concurrency = 9;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 200) return std::nullopt;
        return id_at(read++);
      },
      [](BatchItem&&) { return true; }, bo);
  BOOST_TEST(summary.window_decreases == 0u);
  BOOST_TEST(summary.smallest_window == 9u);
  BOOST_TEST(summary.final_window == 9u);
}

BOOST_AUTO_TEST_CASE(empty_input) {
  MockFixture f;
  Client c = make_client(f.options());
  auto summary = c.get_many([] { return std::optional<std::string>(); }, [](BatchItem&&) { return true; });
  BOOST_TEST(summary.total == 0u);
}

BOOST_AUTO_TEST_CASE(cancel_flag_mid_way_leaves_nothing_dangling) {
  mock::Options mo = mock_options();
  mo.latency = std::chrono::milliseconds(20);
  MockFixture f(mo);
  Client c = make_client(f.options());
  std::atomic<bool> cancel{false};
  std::size_t read = 0, wrong_before = 0, wrong_after = 0, cancelled = 0;
  std::vector<std::size_t> got;
  BatchOptions bo;
  bo.concurrency = 8;
  bo.cancel = &cancel;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 100000) return std::nullopt;
        return id_at(read++ % 1000 * 7 % 1000 + 1);
      },
      [&](BatchItem&& item) {
        got.push_back(item.index);
        // The outcome the ID calls for (id_at: some are malformed, some unknown), or `cancelled`.
        const std::string expected = item.id == "bad/id"                      ? "invalid_argument"
                                     : item.id.rfind("cmp_x", 0) == 0         ? "not_found"
                                                                              : "ok";
        const std::string kind = item.result ? "ok" : std::string(to_string(item.result.error().kind));
        if (got.size() <= 50) {
          if (kind != expected) ++wrong_before;  // delivered before the flag: never cancelled
        } else if (kind != expected) {
          if (kind == "cancelled") ++cancelled;
          else ++wrong_after;
        }
        if (got.size() == 50) cancel = true;
        return true;
      },
      bo);
  // Every ID that was read got exactly one result, in order; no more were read.
  BOOST_TEST(summary.total == read);
  BOOST_TEST(got.size() == read);
  for (std::size_t i = 0; i < got.size(); ++i) BOOST_TEST(got[i] == i);
  BOOST_TEST(read < 50u + 2 * bo.concurrency);
  // The 50 results before the flag are what their IDs call for; after it,
  // what was in flight may end `cancelled` instead, and nothing else.
  BOOST_TEST(wrong_before == 0u);
  BOOST_TEST(wrong_after == 0u);
  BOOST_TEST(summary.by_kind[static_cast<int>(ErrorKind::cancelled)] == cancelled);
  // The client is still usable and idle.
  BOOST_TEST(c.get("cmp_000001").has_value());
}

BOOST_AUTO_TEST_CASE(sink_returning_false_stops_early) {
  MockFixture f;
  Client c = make_client(f.options());
  std::size_t read = 0, delivered = 0;
  c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 10000) return std::nullopt;
        return id_at(read++);
      },
      [&](BatchItem&&) { return ++delivered < 10; });
  BOOST_TEST(delivered == 10u);
  BOOST_TEST(read < 10u + 2 * 32);
}

BOOST_AUTO_TEST_CASE(cancel_all_from_another_thread_ends_a_batch) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::hang}, 1.0}};
  MockFixture f(mo);
  Client c = make_client(f.options());
  std::size_t read = 0;
  std::atomic<bool> reached{false};
  std::thread canceller([&] {
    // Bounded: cancels anyway after 10 s so that the batch ends, and fails below.
    reached = eventually([&] { return f.server.stats().requests + f.server.requests().size() >= 4; });
    c.cancel_all();
  });
  BatchOptions bo;
  bo.concurrency = 4;
  std::size_t cancelled = 0;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 4) return std::nullopt;
        return id_at(read++ + 1);
      },
      [&](BatchItem&& item) {
        if (!item.result && item.result.error().kind == ErrorKind::cancelled) ++cancelled;
        return true;
      },
      bo);
  canceller.join();
  BOOST_TEST(reached.load(), "the 4 requests did not reach the server in 10 s");
  BOOST_TEST(summary.total == 4u);
  BOOST_TEST(cancelled == 4u);
}

// Results are handed to the caller in batches; one slow request must not hold
// back the others. The sink stops the batch once the fast ones are in, so the
// straggler ends `cancelled`; were it held back, it would end with `timeout`.
BOOST_AUTO_TEST_CASE(a_straggler_does_not_hold_back_the_other_results) {
  for (bool ordered : {true, false}) {
    MockFixture f;
    // Ordered: the straggler last, so the ten before it are deliverable.
    const std::string slow = "cmp_000110";
    f.server.script(slow, {mock::Fault{.kind = Kind::hang}});
    Client c = make_client(f.options());
    std::vector<std::string> ids;
    for (int i = 100; i <= 110; ++i) ids.push_back("cmp_000" + std::to_string(i));
    std::atomic<bool> cancel{false};
    BatchOptions bo;
    bo.concurrency = 64;  // wakes for batches of 16, more than will ever be ready
    bo.ordered = ordered;
    bo.cancel = &cancel;
    std::size_t read = 0, ok = 0;
    std::optional<ErrorKind> slow_kind;
    auto summary = c.get_many(
        [&]() -> std::optional<std::string> {
          if (read == ids.size()) return std::nullopt;
          return ids[read++];
        },
        [&](BatchItem&& item) {
          if (item.id == slow) {
            if (!item.result) slow_kind = item.result.error().kind;
          } else if (item.result && ++ok == ids.size() - 1) {
            cancel = true;
          }
          return true;
        },
        bo);
    BOOST_TEST(summary.total == ids.size());
    BOOST_TEST(ok == ids.size() - 1);
    BOOST_REQUIRE(slow_kind.has_value());
    BOOST_TEST(to_string(*slow_kind) == "cancelled");
  }
}

// A cancel flag seen before reading the next ID also cancels what is in
// flight (BatchOptions::cancel), rather than waiting for it to time out.
BOOST_AUTO_TEST_CASE(cancel_flag_seen_while_refilling_cancels_what_is_in_flight) {
  MockFixture f;
  for (int i = 2; i <= 4; ++i) f.server.script("cmp_00000" + std::to_string(i), {mock::Fault{.kind = Kind::hang}});
  Client c = make_client(f.options());
  std::atomic<bool> cancel{false};
  BatchOptions bo;
  bo.concurrency = 4;
  bo.cancel = &cancel;
  std::size_t read = 0;
  std::vector<BatchItem> items;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 100) return std::nullopt;
        return "cmp_00000" + std::to_string(++read);
      },
      [&](BatchItem&& item) {
        cancel = true;
        items.push_back(std::move(item));
        return true;
      },
      bo);
  BOOST_TEST(read == 4u);
  BOOST_REQUIRE_EQUAL(items.size(), 4u);
  BOOST_TEST(summary.total == 4u);
  BOOST_TEST(items[0].result.has_value());
  for (std::size_t i = 1; i < 4; ++i) {
    BOOST_REQUIRE(!items[i].result);
    BOOST_TEST(to_string(items[i].result.error().kind) == "cancelled");
  }
}

// Several I/O threads: a refill is split across the shards, and every
// request must still be found by cancel(); a flag set by another thread while
// nothing completes is noticed (not only when some result arrives).
BOOST_AUTO_TEST_CASE(cancel_flag_from_another_thread_with_several_io_threads) {
  mock::Options mo = mock_options();
  mo.random_faults = {{mock::Fault{.kind = Kind::hang}, 1.0}};
  MockFixture f(mo);
  ClientOptions o = f.options();
  o.io_threads = 3;
  Client c = make_client(o);
  std::atomic<bool> cancel{false};
  std::atomic<bool> reached{false};
  std::thread canceller([&] {
    reached = eventually([&] { return f.server.stats().requests + f.server.requests().size() >= 7; });
    cancel = true;  // anyway, so that the batch ends; fails below
  });
  BatchOptions bo;
  bo.concurrency = 7;
  bo.cancel = &cancel;
  std::size_t read = 0, cancelled = 0;
  auto summary = c.get_many(
      [&]() -> std::optional<std::string> {
        if (read == 7) return std::nullopt;
        return "cmp_00001" + std::to_string(read++);
      },
      [&](BatchItem&& item) {
        if (!item.result && item.result.error().kind == ErrorKind::cancelled) ++cancelled;
        return true;
      },
      bo);
  canceller.join();
  BOOST_TEST(reached.load(), "the 7 requests did not reach the server in 10 s");
  BOOST_TEST(summary.total == 7u);
  BOOST_TEST(cancelled == 7u);
}

BOOST_AUTO_TEST_CASE(several_io_threads_deliver_every_id_once) {
  MockFixture f;
  ClientOptions o = f.options();
  o.io_threads = 3;
  Client c = make_client(o);
  for (bool ordered : {true, false}) {
    const std::size_t n = 1000;
    std::size_t read = 0, next = 0;
    std::vector<int> seen(n, 0);
    BatchOptions bo;
    bo.concurrency = 10;
    bo.ordered = ordered;
    auto summary = c.get_many(
        [&]() -> std::optional<std::string> {
          if (read == n) return std::nullopt;
          return id_at(read++);
        },
        [&](BatchItem&& item) {
          if (ordered) BOOST_TEST(item.index == next++);
          ++seen.at(item.index);
          BOOST_TEST(item.id == id_at(item.index));
          if (item.result) BOOST_TEST(item.result->id() == item.id);
          return true;
        },
        bo);
    BOOST_TEST(summary.total == n);
    for (int v : seen) BOOST_TEST(v == 1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
