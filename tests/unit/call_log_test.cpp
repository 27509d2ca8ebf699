// The call log of docs/api.md ("Calls by campaign"): the record's rules,
// the duration_sec spelling, and analysis kept as raw JSON.
#include <campaign/campaign.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace campaign;

namespace {

const std::string full_log = R"({
  "id": "log_8f2k1q",
  "call_id": "call_77",
  "campaign_id": "cmp_xyz789",
  "agent_id": "agt_abc123",
  "status": "completed",
  "end_reason": "user_disconnected",
  "sentiment": "positive",
  "duration_seconds": 184,
  "recording_url": "https://rec.example/log_8f2k1q.mp3",
  "analysis": {"summary": "booked", "score": 0.9, "tags": ["a", {"b": null}], "empty": {}},
  "created_at": "2024-03-01T14:30:00+05:30"
})";

CallLog ok(std::string_view json) {
  auto r = decode_call_log(json);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "decode failed: " << (r ? "" : r.error().describe())
                                                         << "\ninput: " << json);
  return *r;
}

void bad(std::string_view json, std::string_view what) {
  auto r = decode_call_log(json);
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "decode should fail: " << json);
  BOOST_TEST(to_string(r.error().kind) == "invalid_response");
  BOOST_CHECK_MESSAGE(r.error().message.find(what) != std::string::npos,
                      "message '" << r.error().message << "' lacks '" << what << "'");
}

std::string pointer(const CallLog& log, std::string_view p) {
  auto r = at_pointer(log, p);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "nothing at " << p);
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_log)

BOOST_AUTO_TEST_CASE(every_field_decodes) {
  CallLog log = ok(full_log);
  BOOST_TEST(log.id() == "log_8f2k1q");
  BOOST_TEST(*log.call_id() == "call_77");
  BOOST_TEST(*log.campaign_id() == "cmp_xyz789");
  BOOST_TEST(*log.agent_id() == "agt_abc123");
  BOOST_TEST(*log.status_text() == "completed");
  BOOST_TEST((*log.status() == CallStatus::completed));
  BOOST_TEST(*log.end_reason() == "user_disconnected");
  BOOST_TEST(*log.sentiment() == "positive");
  BOOST_TEST(*log.duration_seconds() == 184);
  BOOST_TEST(*log.recording_url() == "https://rec.example/log_8f2k1q.mp3");
  BOOST_TEST(log.analysis()->front() == '{');
  BOOST_TEST(log.json() == full_log);
  std::string ts;
  append_rfc3339(ts, *log.created_at());
  BOOST_TEST(ts == "2024-03-01T09:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(id_is_required) {
  bad(R"({"call_id": "c"})", "id: missing required field");
  bad(R"({"id": null})", "id: expected string");
  bad(R"({"id": 5})", "id: expected string");
  bad(R"([{"id": "log_1"}])", "expected a JSON object");
}

BOOST_AUTO_TEST_CASE(absent_and_null_are_not_present) {
  CallLog log = ok(R"({"id": "log_1", "sentiment": null, "duration_seconds": null, "analysis": null})");
  BOOST_TEST(!log.sentiment());
  BOOST_TEST(!log.duration_seconds());
  BOOST_TEST(!log.analysis());
  BOOST_TEST(!log.status());
  BOOST_TEST(!log.created_at());
  BOOST_TEST(pointer(log, "/analysis") == "null");
}

BOOST_AUTO_TEST_CASE(duration_sec_is_the_same_field) {
  BOOST_TEST(*ok(R"({"id": "l", "duration_sec": 61})").duration_seconds() == 61);
  BOOST_TEST(*ok(R"({"id": "l", "duration_sec": 61, "duration_seconds": 61})").duration_seconds() == 61);
  BOOST_TEST(*ok(R"({"id": "l", "duration_seconds": 61, "duration_sec": 61})").duration_seconds() == 61);
  bad(R"({"id": "l", "duration_seconds": 61, "duration_sec": 62})", "duration_seconds: duration_sec differs");
  bad(R"({"id": "l", "duration_sec": 61, "duration_sec": 61})", "duration_sec: duplicate field");
}

BOOST_AUTO_TEST_CASE(strict_types_name_the_field) {
  bad(R"({"id": "l", "duration_seconds": "61"})", "duration_seconds: expected integer");
  bad(R"({"id": "l", "duration_seconds": 6.5})", "duration_seconds: expected integer");
  bad(R"({"id": "l", "duration_sec": 99999999999999999999})", "duration_sec: integer out of range");
  bad(R"({"id": "l", "created_at": "yesterday"})", "created_at: expected RFC 3339 timestamp");
  bad(R"({"id": "l", "recording_url": 3})", "recording_url: expected string");
  bad(R"({"id": "l", "analysis": {"a": tru}})", "analysis");
}

BOOST_AUTO_TEST_CASE(analysis_is_raw_json_by_pointer) {
  CallLog log = ok(full_log);
  BOOST_TEST(pointer(log, "/analysis/summary") == "\"booked\"");
  BOOST_TEST(pointer(log, "/analysis/score") == "0.9");
  BOOST_TEST(pointer(log, "/analysis/tags/0") == "\"a\"");
  BOOST_TEST(pointer(log, "/analysis/tags/1") == "{\"b\": null}");
  BOOST_TEST(pointer(log, "/analysis/tags/1/b") == "null");
  BOOST_TEST(pointer(log, "/analysis/empty") == "{}");
  BOOST_TEST(*log.analysis() ==
             R"({"summary": "booked", "score": 0.9, "tags": ["a", {"b": null}], "empty": {}})");
  BOOST_TEST(!at_pointer(log, "/analysis/nothing"));
}

BOOST_AUTO_TEST_CASE(analysis_of_any_type_is_never_an_error) {
  for (std::string v :
       {"[1, [2, [3]], \"]\"]", "\"text with \\\" and }\"", "42", "true", "{\"x\": \"{[\"}"}) {
    CallLog log = ok(R"({"id": "l", "analysis": )" + v + "}");
    BOOST_TEST(*log.analysis() == v);
  }
}

BOOST_AUTO_TEST_CASE(unknown_status_is_kept_raw) {
  CallLog log = ok(R"({"id": "l", "status": "voicemail"})");
  BOOST_TEST((*log.status() == CallStatus::unknown));
  BOOST_TEST(*log.status_text() == "voicemail");
  BOOST_TEST(to_string(CallStatus::retry_expired) == "retry_expired");
  BOOST_TEST((call_status_from_string("did_not_pick") == CallStatus::did_not_pick));
  BOOST_TEST((call_status_from_string("unknown") == CallStatus::unknown));
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_skipped_and_reachable) {
  CallLog log = ok(R"({"id": "l", "extra": {"deep": [1, 2, {"x": "y"}]}, "status": "busy"})");
  BOOST_TEST((*log.status() == CallStatus::busy));
  BOOST_TEST(pointer(log, "/extra/deep/2/x") == "\"y\"");
}

BOOST_AUTO_TEST_CASE(canonical_json_round_trips) {
  const std::string canonical = to_json(ok(full_log));
  BOOST_TEST(canonical ==
             R"({"id":"log_8f2k1q","call_id":"call_77","campaign_id":"cmp_xyz789","agent_id":"agt_abc123",)"
             R"("status":"completed","end_reason":"user_disconnected","sentiment":"positive",)"
             R"("duration_seconds":184,"recording_url":"https://rec.example/log_8f2k1q.mp3",)"
             R"("analysis":{"summary":"booked","score":0.9,"tags":["a",{"b":null}],"empty":{}},)"
             R"("created_at":"2024-03-01T09:00:00.000Z"})");
  BOOST_TEST(to_json(ok(canonical)) == canonical);
  const std::string sparse = to_json(ok(R"({"id": "l", "duration_sec": 3, "analysis": "a b"})"));
  BOOST_TEST(sparse ==
             R"({"id":"l","call_id":null,"campaign_id":null,"agent_id":null,"status":null,)"
             R"("end_reason":null,"sentiment":null,"duration_seconds":3,"recording_url":null,)"
             R"("analysis":"a b","created_at":null})");
  BOOST_TEST(to_json(ok(sparse)) == sparse);
}

BOOST_AUTO_TEST_SUITE_END()
