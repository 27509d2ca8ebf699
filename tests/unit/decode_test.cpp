// Every decoding rule of docs/api.md, one named case each.
#include <campaign/campaign.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "corpus.hpp"

using namespace campaign;
using campaign::testing::render;
using campaign::testing::sample_fields;
using campaign::testing::sample_json;
using campaign::testing::sample_with;
namespace bdata = boost::unit_test::data;

namespace {

Campaign ok(std::string_view json) {
  auto r = parse(json);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "decode failed: " << (r ? "" : r.error().describe())
                                                         << "\ninput: " << json);
  return *r;
}

// The decode fails with invalid_response and a message containing `what`.
void bad(std::string_view json, std::string_view what) {
  auto r = parse(json);
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "decode should fail: " << json);
  BOOST_TEST(to_string(r.error().kind) == "invalid_response");
  BOOST_TEST_MESSAGE("message: " << r.error().message);
  BOOST_CHECK_MESSAGE(r.error().message.find(what) != std::string::npos,
                      "message '" << r.error().message << "' lacks '" << what << "'");
}

const char* const string_fields[] = {"org_id", "name", "agent_id", "from_phone_number", "status"};
const char* const int_fields[] = {"max_concurrent_calls", "total_leads", "completed_calls",
                                  "pending_calls"};
const char* const optional_fields[] = {"org_id", "name", "agent_id", "from_phone_number",
                                       "status", "max_concurrent_calls", "scheduled_at",
                                       "retry_config", "total_leads", "completed_calls",
                                       "pending_calls", "created_at"};

// Presence of a field by name, through the typed accessors.
bool present(const Campaign& c, std::string_view f) {
  if (f == "org_id") return c.org_id().has_value();
  if (f == "name") return c.name().has_value();
  if (f == "agent_id") return c.agent_id().has_value();
  if (f == "from_phone_number") return c.from_phone_number().has_value();
  if (f == "status") return c.status().has_value() && c.status_text().has_value();
  if (f == "max_concurrent_calls") return c.max_concurrent_calls().has_value();
  if (f == "scheduled_at") return c.scheduled_at().has_value();
  if (f == "retry_config") return c.retry_config().has_value();
  if (f == "total_leads") return c.total_leads().has_value();
  if (f == "completed_calls") return c.completed_calls().has_value();
  if (f == "pending_calls") return c.pending_calls().has_value();
  if (f == "created_at") return c.created_at().has_value();
  BOOST_FAIL("unknown field " << f);
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decode)

BOOST_AUTO_TEST_CASE(sample_record_every_field) {
  Campaign c = ok(sample_json());
  BOOST_TEST(c.id() == "cmp_xyz789");
  BOOST_TEST(*c.org_id() == "org_xyz");
  BOOST_TEST(*c.name() == "Q2 Lead Re-engagement");
  BOOST_TEST(*c.agent_id() == "agt_abc123");
  BOOST_TEST(*c.from_phone_number() == "+912234567890");
  BOOST_TEST((*c.status() == Status::running));
  BOOST_TEST(*c.status_text() == "running");
  BOOST_TEST(*c.max_concurrent_calls() == 5);
  BOOST_TEST(!c.scheduled_at().has_value());
  BOOST_TEST(*c.retry_config()->max_retries == 3);
  BOOST_TEST(*c.retry_config()->retry_interval_minutes == 120);
  BOOST_TEST(*c.total_leads() == 1200);
  BOOST_TEST(*c.completed_calls() == 450);
  BOOST_TEST(*c.pending_calls() == 750);
  BOOST_TEST(format_rfc3339(*c.created_at()) == "2024-03-01T09:00:00.000Z");
  BOOST_TEST(c.json() == sample_json());
}

BOOST_DATA_TEST_CASE(every_status,
                     bdata::make({"draft", "active", "running", "paused", "completed", "cancelled"}),
                     name) {
  Campaign c = ok(sample_with("status", std::string("\"") + name + "\""));
  BOOST_TEST(to_string(*c.status()) == name);
  BOOST_TEST(*c.status_text() == name);
  BOOST_TEST((c.status() != Status::unknown));
}

BOOST_AUTO_TEST_CASE(unknown_status_kept_with_raw_text) {
  Campaign c = ok(sample_with("status", R"("archived")"));
  BOOST_TEST((*c.status() == Status::unknown));
  BOOST_TEST(*c.status_text() == "archived");
  BOOST_TEST(to_json(c).find(R"("status":"archived")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_is_case_sensitive) {
  Campaign c = ok(sample_with("status", R"("Running")"));
  BOOST_TEST((*c.status() == Status::unknown));
  BOOST_TEST(*c.status_text() == "Running");
}

BOOST_DATA_TEST_CASE(every_optional_field_absent, bdata::make(optional_fields), field) {
  Campaign c = ok(sample_with(field, ""));
  BOOST_TEST(!present(c, field));
  BOOST_TEST(c.id() == "cmp_xyz789");
}

BOOST_DATA_TEST_CASE(every_optional_field_null, bdata::make(optional_fields), field) {
  Campaign c = ok(sample_with(field, "null"));
  BOOST_TEST(!present(c, field));
}

BOOST_AUTO_TEST_CASE(empty_string_is_present_not_absent) {
  Campaign c = ok(sample_with("name", R"("")"));
  BOOST_REQUIRE(c.name().has_value());
  BOOST_TEST(c.name()->empty());
}

BOOST_AUTO_TEST_CASE(zero_is_present_not_absent) {
  Campaign c = ok(sample_with("pending_calls", "0"));
  BOOST_TEST(*c.pending_calls() == 0);
}

BOOST_AUTO_TEST_CASE(retry_config_members_absent_or_null) {
  Campaign c = ok(sample_with("retry_config", R"({"retry_interval_minutes": null})"));
  BOOST_REQUIRE(c.retry_config().has_value());
  BOOST_TEST(!c.retry_config()->max_retries.has_value());
  BOOST_TEST(!c.retry_config()->retry_interval_minutes.has_value());
  BOOST_TEST(to_json(c).find(R"("retry_config":{"max_retries":null,"retry_interval_minutes":null})") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_id_is_an_error) { bad(sample_with("id", ""), "id: missing required field"); }
BOOST_AUTO_TEST_CASE(null_id_is_an_error) { bad(sample_with("id", "null"), "id: expected string"); }
BOOST_AUTO_TEST_CASE(numeric_id_is_an_error) { bad(sample_with("id", "42"), "id: expected string"); }

BOOST_AUTO_TEST_CASE(fields_in_shuffled_order) {
  auto fields = sample_fields();
  std::reverse(fields.begin(), fields.end());
  Campaign c = ok(render(fields));
  BOOST_TEST(to_json(c) == to_json(ok(sample_json())));
}

BOOST_AUTO_TEST_CASE(unknown_fields_skipped_at_any_depth) {
  std::string deep = "0";
  for (int i = 0; i < 50; ++i) deep = (i % 2 ? "[" : "{\"k\":") + deep + (i % 2 ? "]" : "}");
  auto fields = sample_fields();
  fields.insert(fields.begin(), {"a_deep_one", deep});
  fields.insert(fields.begin() + 5, {"list", R"([1, "two", 3.5, true, null, {"x": []}])"});
  fields.emplace_back("zz", R"({"id": "not_this_one", "status": 7})");
  Campaign c = ok(render(fields));
  BOOST_TEST(c.id() == "cmp_xyz789");
  BOOST_TEST(*c.status_text() == "running");
  // ... and still reachable through raw access.
  BOOST_TEST(*at_pointer(c, "/zz/id") == R"("not_this_one")");
  BOOST_TEST(*at_pointer(c, "/list/2") == "3.5");
}

BOOST_AUTO_TEST_CASE(nesting_beyond_the_cap_is_an_error_not_a_crash) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  bad(sample_with("org_id", "") .insert(1, "\"x\": " + deep + ", "), "nesting too deep");
  bad(std::string(100000, '['), "");
  bad(std::string(100000, '{'), "");
}

BOOST_AUTO_TEST_CASE(malformed_json_inside_skipped_fields_is_an_error) {
  bad(sample_with("org_id", "").insert(1, R"("x": [1, 2,], )"), "malformed JSON");
  bad(sample_with("org_id", "").insert(1, R"("x": {"a" 1}, )"), "malformed JSON");
  bad(sample_with("org_id", "").insert(1, R"("x": nul, )"), "");
  bad(sample_with("org_id", "").insert(1, R"("x": 01, )"), "");
  bad(sample_with("org_id", "").insert(1, R"("x": "bad \q escape", )"), "");
}

BOOST_AUTO_TEST_CASE(string_value_followed_by_a_colon_is_an_error) {
  // On-Demand skips a string followed by ':' as if it were a key; the decoder
  // must not let that through, in known or unknown fields.
  bad(sample_with("name", R"("a": "b")"), "malformed JSON");
  bad(sample_with("status", R"("running": "paused")"), "malformed JSON");
  auto fields = sample_fields();
  fields.emplace_back("extra", R"("a": "b")");
  bad(render(fields), "malformed JSON");
}

BOOST_AUTO_TEST_CASE(string_escapes_are_unescaped) {
  Campaign c = ok(sample_with("name", R"("say \"hi\" \\ \/ \b\f\n\r\t end")"));
  BOOST_TEST(*c.name() == "say \"hi\" \\ / \b\f\n\r\t end");
}

BOOST_AUTO_TEST_CASE(unicode_escape_u00e9) {
  Campaign c = ok(sample_with("name", R"("Caf\u00e9")"));
  BOOST_TEST(*c.name() == "Caf\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(surrogate_pair) {
  Campaign c = ok(sample_with("name", R"("call \ud83d\udcde")"));
  BOOST_TEST(*c.name() == "call \xF0\x9F\x93\x9E");
}

BOOST_AUTO_TEST_CASE(lone_surrogate_is_an_error) {
  bad(sample_with("name", R"("\ud83d alone")"), "name:");
  bad(sample_with("name", R"("\udcde")"), "name:");
}

BOOST_AUTO_TEST_CASE(raw_utf8_kept) {
  Campaign c = ok(sample_with("name", "\"Ωmega ✓ Ünï\""));
  BOOST_TEST(*c.name() == "Ωmega ✓ Ünï");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_an_error) {
  bad(sample_with("name", "\"bad \xC3\x28 byte\""), "invalid UTF-8");
  bad(sample_with("name", "\"overlong \xC0\xAF\""), "invalid UTF-8");
  bad(sample_with("name", "\"cut \xE2\x9C\""), "invalid UTF-8");
}

BOOST_AUTO_TEST_CASE(raw_control_character_in_string_is_an_error) {
  bad(sample_with("name", "\"tab\there\""), "control character");
}

BOOST_AUTO_TEST_CASE(unescaped_strings_view_the_body_escaped_ones_are_copied) {
  Campaign c = ok(sample_with("name", R"("Caf\u00e9")"));
  const char* begin = c.json().data();
  const char* end = begin + c.json().size();
  BOOST_TEST((c.id().data() >= begin && c.id().data() < end));        // view into the body
  BOOST_TEST(!(c.name()->data() >= begin && c.name()->data() < end));  // unescaped copy
}

BOOST_AUTO_TEST_CASE(copies_share_storage_and_outlive_the_original) {
  std::optional<Campaign> a = ok(sample_with("name", R"("Caf\u00e9")"));
  Campaign b = *a;
  std::string_view name_view = *b.name();
  a.reset();
  BOOST_TEST(name_view == "Caf\xC3\xA9");
  BOOST_TEST(b.id() == "cmp_xyz789");
}

BOOST_DATA_TEST_CASE(integer_as_string_is_an_error, bdata::make(int_fields), field) {
  bad(sample_with(field, R"("5")"), std::string(field) + ": expected integer");
}
BOOST_DATA_TEST_CASE(integer_as_fraction_is_an_error, bdata::make(int_fields), field) {
  bad(sample_with(field, "5.5"), std::string(field) + ": expected integer");
  bad(sample_with(field, "5.0"), std::string(field) + ": expected integer");
  bad(sample_with(field, "5e0"), std::string(field) + ": expected integer");
}
BOOST_DATA_TEST_CASE(integer_beyond_64_bits_is_an_error, bdata::make(int_fields), field) {
  bad(sample_with(field, "18446744073709551616"), std::string(field) + ": integer out of range");
  bad(sample_with(field, "9223372036854775808"), std::string(field) + ": integer out of range");
}
BOOST_DATA_TEST_CASE(integer_as_bool_object_array_is_an_error, bdata::make(int_fields), field) {
  bad(sample_with(field, "true"), std::string(field) + ": expected integer");
  bad(sample_with(field, "{}"), std::string(field) + ": expected integer");
  bad(sample_with(field, "[5]"), std::string(field) + ": expected integer");
}
BOOST_AUTO_TEST_CASE(int64_extremes_accepted) {
  BOOST_TEST(*ok(sample_with("total_leads", "9223372036854775807")).total_leads() == INT64_MAX);
  BOOST_TEST(*ok(sample_with("total_leads", "-9223372036854775808")).total_leads() == INT64_MIN);
}
BOOST_AUTO_TEST_CASE(retry_config_members_are_checked) {
  bad(sample_with("retry_config", R"({"max_retries": "3"})"), "retry_config.max_retries: expected integer");
  bad(sample_with("retry_config", R"({"retry_interval_minutes": 1.5})"),
      "retry_config.retry_interval_minutes: expected integer");
  bad(sample_with("retry_config", R"([3, 120])"), "retry_config: expected object");
}

BOOST_DATA_TEST_CASE(string_field_of_wrong_type_is_an_error, bdata::make(string_fields), field) {
  bad(sample_with(field, "7"), std::string(field) + ": expected string");
  bad(sample_with(field, "[]"), std::string(field) + ": expected string");
}

BOOST_AUTO_TEST_CASE(duplicate_known_field_is_an_error) {
  auto fields = sample_fields();
  fields.emplace_back("status", R"("paused")");
  bad(render(fields), "status: duplicate field");
}

// The live API's spelling of org_id (docs/api.md, "Dialect of the live API").
std::vector<std::pair<std::string, std::string>> with_org_spellings(
    std::vector<std::pair<std::string, std::string>> extra) {
  auto fields = sample_fields();
  std::erase_if(fields, [](const auto& f) { return f.first == "org_id"; });
  for (auto& f : extra) fields.push_back(std::move(f));
  return fields;
}
BOOST_AUTO_TEST_CASE(organization_id_fills_org_id) {
  Campaign c = ok(render(with_org_spellings({{"organization_id", R"("org_live")"}})));
  BOOST_TEST(*c.org_id() == "org_live");
  BOOST_TEST(to_json(c).find(R"("org_id":"org_live")") != std::string::npos);
  BOOST_TEST(to_json(c).find("organization_id") == std::string::npos);
}
BOOST_AUTO_TEST_CASE(org_id_under_both_names_with_one_value_is_fine) {
  for (auto order : {0, 1}) {
    std::vector<std::pair<std::string, std::string>> both = {{"org_id", R"("org_a")"},
                                                             {"organization_id", R"("org_\u0061")"}};
    if (order) std::swap(both[0], both[1]);
    BOOST_TEST(*ok(render(with_org_spellings(both))).org_id() == "org_a");
  }
  Campaign nulls = ok(render(with_org_spellings({{"org_id", "null"}, {"organization_id", "null"}})));
  BOOST_TEST(!nulls.org_id());
}
BOOST_AUTO_TEST_CASE(org_id_under_both_names_with_two_values_is_an_error) {
  bad(render(with_org_spellings({{"org_id", R"("org_a")"}, {"organization_id", R"("org_b")"}})),
      "org_id: organization_id differs from org_id");
  bad(render(with_org_spellings({{"organization_id", R"("org_b")"}, {"org_id", R"("org_a")"}})),
      "org_id: organization_id differs from org_id");
  bad(render(with_org_spellings({{"org_id", "null"}, {"organization_id", R"("org_b")"}})),
      "org_id: organization_id differs from org_id");
}
BOOST_AUTO_TEST_CASE(organization_id_keeps_the_field_rules) {
  bad(render(with_org_spellings({{"organization_id", "7"}})), "organization_id: expected string");
  bad(render(with_org_spellings({{"organization_id", R"("a")"}, {"organization_id", R"("a")"}})),
      "organization_id: duplicate field");
  Campaign c = ok(render(with_org_spellings({{"organization\\u005fid", R"("org_e")"}})));
  BOOST_TEST(*c.org_id() == "org_e");
}

BOOST_AUTO_TEST_CASE(escaped_key_names_match) {
  auto fields = sample_fields();
  fields[5].first = "st\\u0061tus";
  BOOST_TEST(*ok(render(fields)).status_text() == "running");
}

BOOST_AUTO_TEST_CASE(timestamp_with_positive_offset) {
  Campaign c = ok(sample_with("created_at", R"("2024-03-01T14:30:00+05:30")"));
  BOOST_TEST(format_rfc3339(*c.created_at()) == "2024-03-01T09:00:00.000Z");
}
BOOST_AUTO_TEST_CASE(timestamp_with_negative_offset) {
  Campaign c = ok(sample_with("scheduled_at", R"("2024-02-29T23:15:00-08:00")"));
  BOOST_TEST(format_rfc3339(*c.scheduled_at()) == "2024-03-01T07:15:00.000Z");
}
BOOST_AUTO_TEST_CASE(timestamp_without_fraction) {
  Campaign c = ok(sample_with("created_at", R"("2024-03-01T09:00:00Z")"));
  BOOST_TEST(format_rfc3339(*c.created_at()) == "2024-03-01T09:00:00.000Z");
}
BOOST_AUTO_TEST_CASE(timestamp_with_microseconds_truncated_to_millis) {
  Campaign c = ok(sample_with("created_at", R"("2024-03-01T09:00:00.123999Z")"));
  BOOST_TEST(format_rfc3339(*c.created_at()) == "2024-03-01T09:00:00.123Z");
}
BOOST_DATA_TEST_CASE(invalid_timestamps_are_errors,
                     bdata::make({R"("2024-03-01")", R"("2024-03-01 09:00:00Z")",
                                  R"("2024-13-01T09:00:00Z")", R"("2023-02-29T09:00:00Z")",
                                  R"("2024-03-01T24:00:00Z")", R"("2024-03-01T09:00:00")",
                                  R"("2024-03-01T09:00:00.Z")", R"("2024-03-01T09:00:00+0530")",
                                  R"("yesterday")", R"("")", "1709283600"}),
                     value) {
  bad(sample_with("created_at", value), "created_at: expected RFC 3339 timestamp");
}

BOOST_AUTO_TEST_CASE(truncated_body) { bad(sample_json().substr(0, 60), ""); }
BOOST_AUTO_TEST_CASE(empty_body) { bad("", "empty"); }
BOOST_AUTO_TEST_CASE(whitespace_body) { bad("   \n", ""); }
BOOST_AUTO_TEST_CASE(array_body) { bad("[" + sample_json() + "]", "expected a JSON object"); }
BOOST_AUTO_TEST_CASE(scalar_body) { bad("\"cmp_xyz789\"", "expected a JSON object"); }
BOOST_AUTO_TEST_CASE(html_body) { bad("<html><body>502 Bad Gateway</body></html>", ""); }
BOOST_AUTO_TEST_CASE(trailing_content) {
  bad(sample_json() + " {}", "");
  bad(sample_json() + " x", "");
}
BOOST_AUTO_TEST_CASE(trailing_whitespace_is_fine) { ok(sample_json() + " \n\t\r\n"); }

BOOST_AUTO_TEST_CASE(decoder_is_reusable_and_independent_of_input_lifetime) {
  Decoder d;
  std::vector<Campaign> kept;
  for (int i = 0; i < 100; ++i) {
    std::string body = testing::generate_record(static_cast<std::uint64_t>(i));
    auto r = d.decode(body);
    BOOST_REQUIRE_MESSAGE(r.has_value(), r.error().describe() << " in " << body);
    kept.push_back(*r);
    body.assign(body.size(), 'X');  // the record must not point into the input
  }
  for (int i = 0; i < 100; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "cmp_%06d", i);
    BOOST_TEST(kept[static_cast<std::size_t>(i)].id() == id);
    BOOST_TEST(to_json(kept[static_cast<std::size_t>(i)]) ==
               to_json(*parse(testing::generate_record(static_cast<std::uint64_t>(i)))));
  }
}

BOOST_AUTO_TEST_CASE(decode_padded_in_place) {
  std::string body = sample_json();
  std::string buffer = body + std::string(decode_padding(), '\0');
  Decoder d;
  auto r = d.decode_padded(buffer.data(), body.size(), buffer.size());
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->id() == "cmp_xyz789");
  // Too little padding: still correct (it copies).
  auto r2 = d.decode_padded(body.data(), body.size(), body.size());
  BOOST_REQUIRE(r2.has_value());
  BOOST_TEST(to_json(*r2) == to_json(*r));
}

namespace {
// A padded buffer the caller owns, shared with the records decoded from it.
std::shared_ptr<const char[]> shared_body(std::string_view body, std::size_t padding) {
  auto buffer = std::make_shared<char[]>(body.size() + padding);  // zero-filled
  std::copy(body.begin(), body.end(), buffer.get());
  return buffer;
}
}  // namespace

BOOST_AUTO_TEST_CASE(decode_shared_views_the_callers_buffer) {
  std::string body = sample_json();
  auto buffer = shared_body(body, decode_padding());
  Decoder d;
  auto r = d.decode_shared(buffer, body.size(), body.size() + decode_padding());
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(to_json(*r) == to_json(ok(body)));
  // No copy: the text and the strings point into the buffer, which the record keeps.
  BOOST_TEST(static_cast<const void*>(r->json().data()) == static_cast<const void*>(buffer.get()));
  // (as addresses: Boost.Test compares char pointers as strings)
  auto at = [](const char* p) { return reinterpret_cast<std::uintptr_t>(p); };
  BOOST_TEST(at(r->id().data()) > at(buffer.get()));
  BOOST_TEST(at(r->id().data()) < at(buffer.get() + body.size()));
  BOOST_TEST(buffer.use_count() == 2);
  const char* base = buffer.get();
  buffer.reset();
  BOOST_TEST(r->id() == "cmp_xyz789");  // still alive through the record
  BOOST_TEST(static_cast<const void*>(r->json().data()) == static_cast<const void*>(base));
  BOOST_TEST(at_pointer(*r, "/retry_config/max_retries").value() == "3");
}

BOOST_AUTO_TEST_CASE(decode_shared_copies_when_a_string_was_unescaped) {
  std::string body = sample_with("name", R"("say \"hi\"")");
  auto buffer = shared_body(body, decode_padding());
  Decoder d;
  auto r = d.decode_shared(buffer, body.size(), body.size() + decode_padding());
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->name().value() == "say \"hi\"");
  BOOST_TEST(buffer.use_count() == 1);  // the record made its own copy
  BOOST_TEST(to_json(*r) == to_json(ok(body)));
}

BOOST_AUTO_TEST_CASE(decode_shared_without_padding_or_buffer) {
  std::string body = sample_json();
  auto buffer = shared_body(body, 0);
  Decoder d;
  auto r = d.decode_shared(buffer, body.size(), body.size());  // too little padding: copies
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(buffer.use_count() == 1);
  BOOST_TEST(r->id() == "cmp_xyz789");
  auto none = d.decode_shared(nullptr, 10, 100);
  BOOST_REQUIRE(!none.has_value());
  BOOST_TEST(to_string(none.error().kind) == "invalid_response");
}

BOOST_AUTO_TEST_CASE(raw_access_by_json_pointer) {
  auto fields = sample_fields();
  fields.emplace_back("campaign_type", R"("outbound")");
  fields.emplace_back("tags", R"(["a", {"b~c/d": 2}])");
  Campaign c = ok(render(fields));
  BOOST_TEST(*at_pointer(c, "/campaign_type") == R"("outbound")");
  BOOST_TEST(*at_pointer(c, "/retry_config") == R"({"max_retries": 3, "retry_interval_minutes": 120})");
  BOOST_TEST(*at_pointer(c, "/retry_config/max_retries") == "3");
  BOOST_TEST(*at_pointer(c, "/tags/1/b~0c~1d") == "2");
  BOOST_TEST(*at_pointer(c, "/scheduled_at") == "null");
  BOOST_TEST(*at_pointer(c, "") == c.json());
  BOOST_TEST((at_pointer(c, "/nope").error().kind == ErrorKind::not_found));
  BOOST_TEST((at_pointer(c, "/tags/9").error().kind == ErrorKind::not_found));
  BOOST_TEST((at_pointer(c, "no-slash").error().kind == ErrorKind::invalid_argument));
}

BOOST_AUTO_TEST_CASE(value_throws_typed_exception) {
  auto r = parse("[]");
  BOOST_CHECK_EXCEPTION(r.value(), Exception,
                        [](const Exception& e) { return e.error().kind == ErrorKind::invalid_response; });
}

BOOST_AUTO_TEST_SUITE_END()
