// The canonical encoder: golden output and decode -> encode -> decode round trips.
#include <campaign/campaign.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "corpus.hpp"

using namespace campaign;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Field-by-field equality through the public accessors.
void same(const Campaign& a, const Campaign& b) {
  BOOST_TEST(a.id() == b.id());
  BOOST_TEST((a.org_id() == b.org_id()));
  BOOST_TEST((a.name() == b.name()));
  BOOST_TEST((a.agent_id() == b.agent_id()));
  BOOST_TEST((a.from_phone_number() == b.from_phone_number()));
  BOOST_TEST((a.status() == b.status()));
  BOOST_TEST((a.status_text() == b.status_text()));
  BOOST_TEST((a.max_concurrent_calls() == b.max_concurrent_calls()));
  BOOST_TEST((a.scheduled_at() == b.scheduled_at()));
  BOOST_TEST((a.retry_config() == b.retry_config()));
  BOOST_TEST((a.total_leads() == b.total_leads()));
  BOOST_TEST((a.completed_calls() == b.completed_calls()));
  BOOST_TEST((a.pending_calls() == b.pending_calls()));
  BOOST_TEST((a.created_at() == b.created_at()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(encode)

BOOST_AUTO_TEST_CASE(golden_canonical_outputs) {
  // Each line of golden.in is a record; the same line of golden.out its canonical form.
  std::istringstream in(read_file(CAMPAIGN_TEST_DATA "/golden.in.ndjson"));
  std::istringstream out(read_file(CAMPAIGN_TEST_DATA "/golden.out.ndjson"));
  std::string input, expected;
  int n = 0;
  while (std::getline(in, input)) {
    BOOST_REQUIRE(std::getline(out, expected));
    auto r = parse(input);
    BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe());
    BOOST_TEST(to_json(*r) == expected, "line " << n + 1);
    ++n;
  }
  BOOST_TEST(n >= 5);
}

BOOST_AUTO_TEST_CASE(sample_is_exactly_the_spec_order) {
  BOOST_TEST(to_json(*parse(testing::sample_json())) ==
             R"({"id":"cmp_xyz789","org_id":"org_xyz","name":"Q2 Lead Re-engagement","agent_id":"agt_abc123",)"
             R"("from_phone_number":"+912234567890","status":"running","max_concurrent_calls":5,)"
             R"("scheduled_at":null,"retry_config":{"max_retries":3,"retry_interval_minutes":120},)"
             R"("total_leads":1200,"completed_calls":450,"pending_calls":750,"created_at":"2024-03-01T09:00:00.000Z"})");
}

BOOST_AUTO_TEST_CASE(every_control_character_escaped) {
  std::string s;
  for (int c = 0; c < 0x20; ++c) s += static_cast<char>(c);
  s += "\"\\/\x7f";
  std::string out;
  append_json_string(out, s);
  BOOST_TEST(out ==
             R"("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f)"
             R"(\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\/)"
             "\x7f\"");
  // And it decodes back to the same bytes.
  auto back = parse(R"({"id":"x","name":)" + out + "}");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(*back->name() == s);
}

BOOST_AUTO_TEST_CASE(round_trip_over_generated_corpus) {
  Decoder d;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    std::string json = testing::generate_record(i);
    auto first = d.decode(json);
    BOOST_REQUIRE_MESSAGE(first.has_value(), first.error().describe() << " in " << json);
    std::string canonical = to_json(*first);
    auto second = d.decode(canonical);
    BOOST_REQUIRE_MESSAGE(second.has_value(), second.error().describe() << " in " << canonical);
    if (to_json(*second) != canonical) {
      BOOST_TEST(to_json(*second) == canonical);
      break;
    }
    if (i < 500) same(*first, *second);
  }
}

BOOST_AUTO_TEST_CASE(error_as_json) {
  Error e = make_error(ErrorKind::not_found, "campaign \"x\" not found");
  e.http_status = 404;
  std::string out;
  append_json(out, e);
  BOOST_TEST(out == R"({"kind":"not_found","http_status":404,"message":"campaign \"x\" not found"})");
  out.clear();
  append_json(out, make_error(ErrorKind::timeout, "deadline"));
  BOOST_TEST(out == R"({"kind":"timeout","http_status":null,"message":"deadline"})");
}

BOOST_AUTO_TEST_SUITE_END()
