// Listings against the mock over real sockets: every envelope, the query on
// every page, termination under each list fault, order with pages in
// parallel, a failure part-way, cancellation, call logs.
#include "fixture.hpp"
#include "loopback.hpp"

#include <campaign/listing.hpp>

#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <random>
#include <set>
#include <thread>

using namespace campaign;
using namespace campaign::test;

namespace {

std::string id_of(std::size_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "cmp_%06zu", i);
  return id;
}

// A mock with n generated campaigns and the given envelope and faults.
mock::Options list_options(mock::Envelope envelope = mock::Envelope::data, mock::ListFaults faults = {}) {
  mock::Options o = mock_options();
  o.envelope = envelope;
  o.list_faults = faults;
  return o;
}

struct Drained {
  std::vector<std::string> ids;
  std::optional<Error> error;
  ListSummary summary;
};

// Every item of the listing, then its error if any; next() must stay at
// nullopt after the end.
template <class T>
Drained drain(Listing<T>& listing) {
  Drained d;
  for (;;) {
    auto r = listing.next();
    if (!r) {
      d.error = seen(r.error());
      break;
    }
    if (!*r) break;
    d.ids.emplace_back((*r)->id());
  }
  auto after = listing.next();
  BOOST_TEST((after.has_value() && !after->has_value()));
  d.summary = listing.summary();
  return d;
}

// The newest-first IDs of generated campaigns [0, n), the first `count` of them.
std::vector<std::string> newest_first(std::size_t n, std::size_t count = SIZE_MAX) {
  std::vector<std::string> ids;
  for (std::size_t i = n; i-- > 0 && ids.size() < count;) ids.push_back(id_of(i));
  return ids;
}

std::vector<mock::RequestLog> list_requests(const mock::Server& s, std::string_view path) {
  std::vector<mock::RequestLog> out;
  for (auto& r : s.requests())
    if (r.target.rfind(path, 0) == 0 && r.target.find('?') == path.size()) out.push_back(r);
  return out;
}

ListOptions pages_of(std::uint32_t limit, std::uint32_t parallel_pages = 4) {
  ListOptions o;
  o.limit = limit;
  o.parallel_pages = parallel_pages;
  return o;
}

// A mock of its own with `records` generated campaigns, listed to the end.
struct Run {
  std::unique_ptr<mock::Server> server;
  Drained d;
  ClientStats stats;
};
Run list_all(mock::Options mo, std::size_t records, ListOptions o, int max_retries = 2) {
  Run run{std::make_unique<mock::Server>(std::move(mo)), {}, {}};
  run.server->generate(records);
  ClientOptions co = options_for(run.server->base_url());
  co.max_retries = max_retries;
  Client c = make_client(co);
  auto listing = c.list_campaigns(std::move(o));
  run.d = drain(listing);
  run.stats = c.stats();
  return run;
}

bool no_repeats(const std::vector<std::string>& ids) {
  return std::set<std::string>(ids.begin(), ids.end()).size() == ids.size();
}

// A server the mock cannot be: every page full of new IDs, under an items
// envelope whose `total` says there are only 8; on `bad_page`, item 1 has
// no string id. Counts the pages asked for.
class EndlessPages {
 public:
  explicit EndlessPages(std::uint64_t bad_page = 0)
      : server_([this, bad_page](boost::asio::ip::tcp::socket& s) {
          for (;;) {
            const std::string head = read_request_head(s);
            if (head.find("\r\n\r\n") == std::string::npos) return;
            ++requests_;
            const auto at = head.find("page=");
            const std::uint64_t page = at == std::string::npos ? 0 : std::stoull(head.substr(at + 5));
            std::string body =
                R"({"total": 8, "limit": 4, "page": )" + std::to_string(page) + R"(, "items": [)";
            for (int k = 0; k < 4; ++k) {
              if (k) body += ',';
              body += page == bad_page && k == 1 ? std::string(R"({"id": 5})")
                                                 : R"({"id": "p)" + std::to_string(page) + "_" +
                                                       std::to_string(k) + R"("})";
            }
            body += "]}";
            if (!write_all(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body))
              return;
          }
        }) {}
  std::string base_url() const { return server_.origin() + "/v1"; }
  std::uint64_t requests() const { return requests_.load(); }

 private:
  std::atomic<std::uint64_t> requests_{0};
  RawServer server_;  // last: stopped before the counter goes
};

}  // namespace

BOOST_AUTO_TEST_SUITE(listing)

BOOST_AUTO_TEST_CASE(a_total_that_lies_stops_at_the_hard_cap) {
  EndlessPages server;
  Client c = make_client(options_for(server.base_url()));
  auto listing = c.list_campaigns(pages_of(4));
  Drained d = drain(listing);
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(d.ids.size() == 16u);  // ceil(8 / 4) + 2 pages
  BOOST_TEST(to_string(d.summary.stop) == "hard_cap");
  BOOST_TEST(server.requests() == 4u);
}

BOOST_AUTO_TEST_CASE(a_bad_item_fails_its_page_after_the_pages_before_it) {
  EndlessPages server(2);
  Client c = make_client(options_for(server.base_url()));
  auto listing = c.list_campaigns(pages_of(4));
  Drained d = drain(listing);
  BOOST_REQUIRE(d.error.has_value());
  BOOST_TEST(to_string(d.error->kind) == "invalid_response");
  BOOST_TEST(d.error->http_status == 200);
  BOOST_TEST(d.error->message == "page 2: item 1: id: expected string");
  BOOST_TEST(d.ids == (std::vector<std::string>{"p1_0", "p1_1", "p1_2", "p1_3"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_envelope_lists_everything_in_order) {
  const std::pair<mock::Envelope, ListStop> cases[] = {
      {mock::Envelope::data, ListStop::total_pages},  // totalPages says page 20 is the last
      {mock::Envelope::items, ListStop::empty_page},  // total only: page 21 is asked, and empty
      {mock::Envelope::array, ListStop::empty_page},  // nothing: likewise
  };
  for (auto [envelope, stop] : cases) {
    BOOST_TEST_CONTEXT("envelope " << static_cast<int>(envelope)) {
      Run run = list_all(list_options(envelope), 2000, {});  // the default limit, 100
      const Drained& d = run.d;
      BOOST_TEST(!d.error.has_value());
      BOOST_TEST(d.ids == newest_first(2000), boost::test_tools::per_element());
      BOOST_TEST(d.summary.items == 2000u);
      BOOST_TEST(d.summary.duplicates == 0u);
      BOOST_TEST(to_string(d.summary.stop) == to_string(stop));
      BOOST_TEST(!d.summary.total_changed);
      if (envelope != mock::Envelope::array) BOOST_TEST(*d.summary.first_total == 2000);
      else BOOST_TEST(!d.summary.first_total.has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(filters_and_limit_on_every_page) {
  MockFixture f(list_options());
  Client c = make_client(f.options());
  std::mt19937 rng(20261204);  // fixed: the same filter sets every run
  const std::string alphabet = "aZ09-_.~ &=+%/?#\xc3\xa9";
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  // Each round's listing carries round=N first, so that a page still in
  // flight when its listing stopped is checked against its own round.
  std::vector<ListOptions> rounds;
  for (std::size_t round = 0; round < 25; ++round) {
    ListOptions o;
    o.limit = static_cast<std::uint32_t>(20 + pick(81));
    o.max_items = 3 * o.limit;  // a few pages each
    if (pick(3) == 0) o.status = pick(2) ? "running" : "paused";
    o.filters.emplace_back("round", std::to_string(round));
    for (std::size_t k = pick(4); k > 0; --k) {
      std::string name = "f" + std::to_string(pick(100)), value;
      for (std::size_t n = pick(8); n > 0; --n) {
        std::size_t i = pick(alphabet.size() - 1);
        value += alphabet[i] == '\xc3' ? std::string("\xc3\xa9") : std::string(1, alphabet[i]);
      }
      o.filters.emplace_back(name, value);
    }
    auto listing = c.list_campaigns(o);
    Drained d = drain(listing);
    BOOST_TEST(!d.error.has_value());
    rounds.push_back(std::move(o));
  }
  std::set<std::pair<std::size_t, std::string>> pages;  // (round, page)
  auto requests = list_requests(f.server, "/v1/campaigns");
  BOOST_TEST(requests.size() >= rounds.size());
  for (const auto& r : requests) {
    BOOST_TEST_CONTEXT(r.target) {
      auto url = boost::urls::parse_origin_form(r.target);
      BOOST_REQUIRE(url.has_value());
      std::vector<std::string> params;  // "name=value", decoded, in order
      for (auto p : url->params()) params.push_back(p.key + "=" + p.value);
      BOOST_REQUIRE(params.size() >= 2u);
      const ListOptions& o = rounds.at(static_cast<std::size_t>(std::stoul(
          std::find_if(params.begin(), params.end(), [](auto& p) { return p.rfind("round=", 0) == 0; })
              ->substr(6))));
      BOOST_TEST(params[0].rfind("page=", 0) == 0u);
      BOOST_TEST(params[1] == "limit=" + std::to_string(o.limit));
      std::vector<std::string> rest(params.begin() + 2, params.end()), expected;
      if (o.status) expected.push_back("status=" + *o.status);
      for (const auto& [name, value] : o.filters) expected.push_back(name + "=" + value);
      BOOST_TEST(rest == expected, boost::test_tools::per_element());
      BOOST_TEST(pages.emplace(&o - rounds.data(), params[0]).second);  // no page asked twice
    }
  }
}

BOOST_AUTO_TEST_CASE(insert_head_delivers_no_id_twice) {
  // One page at a time: each shifted by the rows inserted after the one before.
  Run run = list_all(list_options(mock::Envelope::data, {.insert_head = 2}), 40, pages_of(8, 1));
  const Drained& d = run.d;
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(no_repeats(d.ids));
  BOOST_TEST(d.summary.duplicates > 0u);
  BOOST_TEST(d.summary.total_changed);
  BOOST_TEST(*d.summary.first_total == 40);
  BOOST_TEST(*d.summary.last_total > 40);
  BOOST_TEST(d.summary.items == d.ids.size());
  for (std::size_t i = 0; i < 40; ++i) BOOST_TEST((std::count(d.ids.begin(), d.ids.end(), id_of(i)) == 1));
}

BOOST_AUTO_TEST_CASE(insert_head_with_pages_in_parallel) {
  Run run = list_all(list_options(mock::Envelope::data, {.insert_head = 3}), 100, pages_of(10));
  const Drained& d = run.d;
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(no_repeats(d.ids));
  BOOST_TEST((d.summary.duplicates > 0u || d.summary.total_changed));
  // totalPages grows with the rows inserted, but never past the hard cap.
  BOOST_TEST(d.summary.pages <= static_cast<std::uint64_t>((*d.summary.last_total + 9) / 10 + 2));
}

BOOST_AUTO_TEST_CASE(repeat_last_stops_with_no_new_ids) {
  Run run = list_all(list_options(mock::Envelope::data, {.repeat_last = true}), 8, pages_of(4));
  const Drained& d = run.d;
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(d.ids == newest_first(8), boost::test_tools::per_element());
  BOOST_TEST(to_string(d.summary.stop) == "no_new_ids");
  BOOST_TEST(d.summary.duplicates == 4u);
  BOOST_TEST(d.summary.pages == 3u);
}

BOOST_AUTO_TEST_CASE(lying_total_pages_stops_by_the_pages_themselves) {
  for (auto [records, stop] : {std::pair<std::size_t, ListStop>{10, ListStop::short_page},
                               std::pair<std::size_t, ListStop>{8, ListStop::empty_page}}) {
    BOOST_TEST_CONTEXT(records << " records") {
      Run run =
          list_all(list_options(mock::Envelope::data, {.lying_total_pages = 1000}), records, pages_of(4));
      const Drained& d = run.d;
      BOOST_TEST(!d.error.has_value());
      BOOST_TEST(d.ids == newest_first(records), boost::test_tools::per_element());
      BOOST_TEST(to_string(d.summary.stop) == to_string(stop));
      // Pages in flight past the end are cancelled or ignored; never more than the hard cap.
      BOOST_TEST(list_requests(*run.server, "/v1/campaigns").size() <= (records + 3) / 4 + 2);
    }
  }
}

BOOST_AUTO_TEST_CASE(fail_once_is_retried_and_the_listing_complete) {
  Run run = list_all(list_options(mock::Envelope::items, {.fail_once_page = 2}), 10, pages_of(4));
  const Drained& d = run.d;
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(d.ids == newest_first(10), boost::test_tools::per_element());
  BOOST_TEST(to_string(d.summary.stop) == "short_page");
  BOOST_TEST(run.stats.retries == 1u);
}

BOOST_AUTO_TEST_CASE(failure_part_way_comes_after_the_items_before_it) {
  // No retries: the 503 is final.
  Run run = list_all(list_options(mock::Envelope::data, {.fail_once_page = 3}), 20, pages_of(4), 0);
  const Drained& d = run.d;
  BOOST_REQUIRE(d.error.has_value());
  BOOST_TEST(to_string(d.error->kind) == "server_error");
  BOOST_TEST(d.error->http_status == 503);
  BOOST_TEST(d.error->message.rfind("page 3: ", 0) == 0u);
  BOOST_TEST(d.ids == newest_first(20, 8), boost::test_tools::per_element());
  BOOST_TEST(to_string(d.summary.stop) == "error");
  BOOST_TEST(d.summary.pages == 2u);
}

BOOST_AUTO_TEST_CASE(a_stopped_server_ends_the_listing_with_an_error) {
  auto server = std::make_unique<mock::Server>(list_options());
  server->generate(30);
  ClientOptions co = options_for(server->base_url());
  co.max_retries = 0;
  Client c = make_client(co);
  ListOptions o;
  o.limit = 10;
  o.parallel_pages = 1;
  auto listing = c.list_campaigns(o);
  auto first = listing.next();
  BOOST_REQUIRE((first && *first));
  server.reset();  // pages 2 and 3 cannot be had
  Drained d = drain(listing);
  BOOST_REQUIRE(d.error.has_value());
  BOOST_TEST(to_string(d.error->kind) == "network");
  BOOST_TEST(d.ids.size() + 1 >= 10u);  // page 1's items, and page 2's if it came before the stop
  BOOST_TEST(no_repeats(d.ids));
}

BOOST_AUTO_TEST_CASE(parallel_pages_arrive_in_order) {
  mock::Options mo = list_options();
  mo.threads = 4;
  mo.latency = std::chrono::milliseconds(5);
  Run run = list_all(mo, 600, pages_of(10, 8));
  const Drained& d = run.d;
  BOOST_TEST(!d.error.has_value());
  BOOST_TEST(d.ids == newest_first(600), boost::test_tools::per_element());
  BOOST_TEST(d.summary.pages == 60u);
  BOOST_TEST(run.server->stats().connections > 1u);  // pages were in flight together
  BOOST_TEST(run.server->stats().connections <= 8u);
}

BOOST_AUTO_TEST_CASE(max_items_stops_early) {
  MockFixture f(list_options());
  Client c = make_client(f.options());
  ListOptions o;
  o.limit = 7;
  o.max_items = 10;
  auto listing = c.list_campaigns(o);
  Drained d = drain(listing);
  BOOST_TEST(d.ids == newest_first(2000, 10),
             boost::test_tools::per_element());
  BOOST_TEST(to_string(d.summary.stop) == "max_items");
}

BOOST_AUTO_TEST_CASE(cancel_ends_promptly) {
  mock::Options mo = list_options();
  mo.latency = std::chrono::seconds(5);  // no page comes back within the test
  mock::Server server(mo);
  server.generate(10);
  Client c = make_client(options_for(server.base_url()));
  auto listing = c.list_campaigns();
  const auto t0 = std::chrono::steady_clock::now();
  std::thread canceller([&] { listing.cancel(); });
  auto r = listing.next();  // before or after the cancel: it ends either way
  canceller.join();
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(to_string(r.error().kind) == "cancelled");
  BOOST_TEST(to_string(listing.summary().stop) == "cancelled");
  auto after = listing.next();
  BOOST_TEST((after && !*after));
  {
    auto dropped = c.list_campaigns();  // destroyed with its first page in flight
  }
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2)));
}

BOOST_AUTO_TEST_CASE(calls_lists_a_campaigns_call_logs) {
  for (mock::Dialect dialect : {mock::Dialect::reference, mock::Dialect::live}) {  // live: duration_sec
    BOOST_TEST_CONTEXT("dialect " << static_cast<int>(dialect)) {
      mock::Options mo = list_options();
      mo.dialect = dialect;
      MockFixture f(mo);
      Client c = make_client(f.options());
      const std::size_t index = 49;  // 250 call logs: two pages at the default limit of 200
      auto listing = c.calls(id_of(index));
      std::vector<CallLog> logs;
      for (;;) {
        auto r = listing.next();
        BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
        if (!*r) break;
        logs.push_back(std::move(**r));
      }
      BOOST_TEST(logs.size() == mock::generated_call_log_count(index));
      BOOST_TEST(to_string(listing.summary().stop) == "short_page");  // 50 on page 2
      auto requests = list_requests(f.server, "/v1/call-logs/campaign/" + id_of(index));
      BOOST_TEST(requests.size() == 2u);
      for (const auto& r : requests) BOOST_TEST(r.target.find("limit=200") != std::string::npos);
      std::size_t with_duration = 0;
      for (std::size_t k = 0; k < logs.size(); ++k) {
        auto expected = decode_call_log(mock::generated_call_log(index, k, dialect));
        BOOST_REQUIRE(expected.has_value());
        BOOST_TEST(to_json(logs[k]) == to_json(*expected));
        with_duration += logs[k].duration_seconds().has_value();
      }
      BOOST_TEST(with_duration > 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(calls_for_an_invalid_id_sends_nothing) {
  MockFixture f(list_options());
  Client c = make_client(f.options());
  for (const std::string& bad : std::vector<std::string>{"", "a/b", "..", "cmp x", std::string(129, 'a')}) {
    auto listing = c.calls(bad);
    auto r = listing.next();
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(to_string(r.error().kind) == "invalid_argument");
    BOOST_TEST((listing.next() && !*listing.next()));
    BOOST_TEST(to_string(listing.summary().stop) == "error");
  }
  BOOST_TEST(f.server.requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()
