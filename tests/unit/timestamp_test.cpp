#include <campaign/timestamp.hpp>

#include <boost/test/unit_test.hpp>

using namespace campaign;
using namespace std::chrono;

BOOST_AUTO_TEST_SUITE(timestamp)

BOOST_AUTO_TEST_CASE(epoch_and_canonical_form) {
  BOOST_TEST(parse_rfc3339("1970-01-01T00:00:00Z")->time_since_epoch().count() == 0);
  BOOST_TEST(format_rfc3339(Timestamp{milliseconds{1709283600123}}) == "2024-03-01T09:00:00.123Z");
}

BOOST_AUTO_TEST_CASE(lowercase_separators_allowed) {
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2024-03-01t09:00:00z")) == "2024-03-01T09:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(offsets_cross_day_and_year) {
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2024-01-01T01:00:00+05:30")) == "2023-12-31T19:30:00.000Z");
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2023-12-31T20:00:00-08:00")) == "2024-01-01T04:00:00.000Z");
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2024-03-01T09:00:00-00:00")) == "2024-03-01T09:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(leap_day_and_leap_second) {
  BOOST_TEST(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
  BOOST_TEST(!parse_rfc3339("2023-02-29T00:00:00Z").has_value());
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2016-12-31T23:59:60Z")) == "2017-01-01T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(fractions_of_any_length) {
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2024-03-01T09:00:00.1Z")) == "2024-03-01T09:00:00.100Z");
  BOOST_TEST(format_rfc3339(*parse_rfc3339("2024-03-01T09:00:00.987654321Z")) ==
             "2024-03-01T09:00:00.987Z");
}

BOOST_AUTO_TEST_CASE(rejects_malformed) {
  for (const char* s : {"", "2024", "2024-03-01T09:00:00", "2024-03-01T09:00Z", "2024-3-01T09:00:00Z",
                        "2024-03-01T09:00:00+5:30", "2024-03-01T09:00:00+24:00", "2024-03-01T09:60:00Z",
                        "2024-03-01T09:00:61Z", "2024-00-01T09:00:00Z", "2024-03-32T09:00:00Z",
                        "2024-03-01T09:00:00Zjunk", "2024-03-01X09:00:00Z", "+024-03-01T09:00:00Z"})
    BOOST_TEST(!parse_rfc3339(s).has_value(), s);
}

BOOST_AUTO_TEST_CASE(before_epoch) {
  BOOST_TEST(format_rfc3339(*parse_rfc3339("1969-12-31T23:59:59.999Z")) == "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_SUITE_END()
