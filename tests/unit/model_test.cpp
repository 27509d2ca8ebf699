// Derived values: progress and ETA for the dashboard and runbook use cases.
#include <campaign/campaign.hpp>

#include <boost/test/unit_test.hpp>

#include "corpus.hpp"

using namespace campaign;
using namespace std::chrono;
using campaign::testing::sample_with;

namespace {
Campaign with(const std::string& field, const std::string& value) { return parse(sample_with(field, value)).value(); }
}  // namespace

BOOST_AUTO_TEST_SUITE(model)

BOOST_AUTO_TEST_CASE(progress_is_completed_over_total) {
  BOOST_TEST(*parse(testing::sample_json())->progress() == 0.375);
}
BOOST_AUTO_TEST_CASE(progress_absent_without_total_or_completed) {
  BOOST_TEST(!with("total_leads", "").progress());
  BOOST_TEST(!with("completed_calls", "null").progress());
  BOOST_TEST(!with("total_leads", "0").progress());
}
BOOST_AUTO_TEST_CASE(progress_clamped) {
  BOOST_TEST(*with("completed_calls", "5000").progress() == 1.0);
  BOOST_TEST(*with("completed_calls", "-3").progress() == 0.0);
}
BOOST_AUTO_TEST_CASE(eta_in_waves_of_concurrency) {
  // 750 pending at 5 concurrent: 150 waves of 3 minutes.
  BOOST_TEST(parse(testing::sample_json())->eta(minutes(3))->count() == duration_cast<milliseconds>(minutes(450)).count());
  // 751 pending: 151 waves (the last partly full).
  BOOST_TEST(with("pending_calls", "751").eta(seconds(60))->count() == 151 * 60000);
  BOOST_TEST(with("pending_calls", "0").eta(seconds(60))->count() == 0);
}
BOOST_AUTO_TEST_CASE(eta_absent_when_undefined) {
  BOOST_TEST(!with("pending_calls", "").eta(seconds(60)));
  BOOST_TEST(!with("max_concurrent_calls", "null").eta(seconds(60)));
  BOOST_TEST(!with("max_concurrent_calls", "0").eta(seconds(60)));
  BOOST_TEST(!parse(testing::sample_json())->eta(milliseconds(-1)));
}
BOOST_AUTO_TEST_CASE(eta_saturates_instead_of_overflowing) {
  auto c = with("pending_calls", "9223372036854775807");
  BOOST_TEST(c.eta(hours(1000))->count() == INT64_MAX);
}
BOOST_AUTO_TEST_CASE(finished_states) {
  BOOST_TEST(with("status", R"("completed")").is_finished());
  BOOST_TEST(with("status", R"("cancelled")").is_finished());
  BOOST_TEST(!with("status", R"("paused")").is_finished());
  BOOST_TEST(!with("status", "").is_finished());
}
BOOST_AUTO_TEST_CASE(status_names_round_trip) {
  for (auto s : {Status::draft, Status::active, Status::running, Status::paused, Status::completed,
                 Status::cancelled})
    BOOST_TEST((status_from_string(to_string(s)) == s));
  BOOST_TEST((status_from_string("") == Status::unknown));
}
BOOST_AUTO_TEST_CASE(error_kinds_round_trip_and_status_mapping) {
  for (int k = 1; k <= 14; ++k) {
    auto kind = static_cast<ErrorKind>(k);
    BOOST_TEST((error_kind_from_string(to_string(kind)) == kind));
  }
  BOOST_TEST(to_string(error_kind_for_status(404)) == "not_found");
  BOOST_TEST(to_string(error_kind_for_status(401)) == "unauthorized");
  BOOST_TEST(to_string(error_kind_for_status(403)) == "forbidden");
  BOOST_TEST(to_string(error_kind_for_status(429)) == "rate_limited");
  BOOST_TEST(to_string(error_kind_for_status(503)) == "server_error");
  BOOST_TEST(to_string(error_kind_for_status(501)) == "server_error");
  BOOST_TEST(to_string(error_kind_for_status(408)) == "http_error");
  BOOST_TEST(to_string(error_kind_for_status(302)) == "http_error");
  BOOST_TEST(to_string(error_kind_for_status(418)) == "http_error");
}
BOOST_AUTO_TEST_SUITE_END()
