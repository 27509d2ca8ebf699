// docs/api.md's error-body shapes: the message comes from the first that matches.
#include <campaign/decode.hpp>

#include <boost/test/unit_test.hpp>

using campaign::parse_error_message;

BOOST_AUTO_TEST_SUITE(error_body)

BOOST_AUTO_TEST_CASE(error_object_with_message) {
  BOOST_TEST(*parse_error_message(R"({"error": {"type": "not_found", "message": "no such campaign"}})") ==
             "no such campaign");
}
BOOST_AUTO_TEST_CASE(error_string) {
  BOOST_TEST(*parse_error_message(R"({"error": "rate limited"})") == "rate limited");
}
BOOST_AUTO_TEST_CASE(message_string) {
  BOOST_TEST(*parse_error_message(R"({"message": "forbidden workspace"})") == "forbidden workspace");
}
BOOST_AUTO_TEST_CASE(detail_string) {
  BOOST_TEST(*parse_error_message(R"({"detail": "Not authenticated"})") == "Not authenticated");
}
BOOST_AUTO_TEST_CASE(first_matching_shape_wins_regardless_of_order) {
  BOOST_TEST(*parse_error_message(R"({"detail": "d", "message": "m", "error": {"message": "e"}})") == "e");
  BOOST_TEST(*parse_error_message(R"({"detail": "d", "message": "m"})") == "m");
  BOOST_TEST(*parse_error_message(R"({"detail": "d", "error": "e"})") == "e");
}
BOOST_AUTO_TEST_CASE(escapes_in_messages) {
  BOOST_TEST(*parse_error_message(R"({"message": "line\nbreak \u00e9"})") == "line\nbreak \xC3\xA9");
}
BOOST_AUTO_TEST_CASE(non_string_members_do_not_match) {
  BOOST_TEST(*parse_error_message(R"({"detail": [{"loc": ["path"], "msg": "bad"}], "message": "m"})") == "m");
  BOOST_TEST(!parse_error_message(R"({"error": {"type": "x"}})"));
  BOOST_TEST(!parse_error_message(R"({"error": 5})"));
}
BOOST_AUTO_TEST_CASE(not_json_or_no_shape) {
  BOOST_TEST(!parse_error_message("<html>502</html>"));
  BOOST_TEST(!parse_error_message(""));
  BOOST_TEST(!parse_error_message("[]"));
  BOOST_TEST(!parse_error_message(R"({"code": 404})"));
  BOOST_TEST(!parse_error_message(R"({"message": "x"} trailing)"));
  // A string value followed by ':' is not JSON (On-Demand would skip it as a key).
  BOOST_TEST(!parse_error_message(R"({"error": "": "m"})"));
  BOOST_TEST(!parse_error_message(R"({"x": "a": "b", "message": "m"})"));
}

// The live API's envelope (docs/api.md, "Dialect"): `error` is the reason phrase.
BOOST_AUTO_TEST_CASE(live_envelope_takes_message_over_reason_phrase) {
  BOOST_TEST(*parse_error_message(R"({"statusCode": 404, "message": "Campaign not found", "error": "Not Found"})") ==
             "Campaign not found");
  BOOST_TEST(*parse_error_message(R"({"error": "Not Found", "message": "Campaign not found", "statusCode": 404})") ==
             "Campaign not found");
  // Without a message the reason phrase is all there is.
  BOOST_TEST(*parse_error_message(R"({"statusCode": 403, "error": "Forbidden"})") == "Forbidden");
  // Not an integer statusCode: the shapes' order holds (`error` first).
  BOOST_TEST(*parse_error_message(R"({"statusCode": "404", "message": "m", "error": "e"})") == "e");
  BOOST_TEST(*parse_error_message(R"({"statusCode": 404.5, "message": "m", "error": "e"})") == "e");
}
BOOST_AUTO_TEST_CASE(array_messages_are_joined) {
  BOOST_TEST(*parse_error_message(
                 R"({"statusCode": 400, "message": ["limit must not be greater than 100", "page must be a positive number"], "error": "Bad Request"})") ==
             "limit must not be greater than 100; page must be a positive number");
  BOOST_TEST(*parse_error_message(R"({"statusCode": 400, "message": ["a", 7, {"x": "y"}, "b"]})") == "a; b");
  BOOST_TEST(*parse_error_message(R"({"statusCode": 400, "message": [], "error": "Bad Request"})") ==
             "Bad Request");
  BOOST_TEST(*parse_error_message(R"({"message": ["only"]})") == "only");
  BOOST_TEST(!parse_error_message(R"({"statusCode": 400, "message": ["a", ]})"));  // not JSON
}

BOOST_AUTO_TEST_SUITE_END()
