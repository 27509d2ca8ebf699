// List pages (docs/api.md, "List Campaigns"): every envelope, the metadata,
// and a bad item named by its index.
#include <campaign/campaign.hpp>
#include <campaign/page.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace campaign;

namespace {

const std::string two_campaigns =
    R"([{"id": "cmp_a", "status": "running"}, {"id": "cmp_b", "total_leads": 3}])";

template <class T = Campaign>
Page<T> ok(std::string_view body) {
  PageDecoder d;
  auto r = d.decode<T>(body);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "decode failed: " << (r ? "" : r.error().describe())
                                                         << "\ninput: " << body);
  return std::move(*r);
}

template <class T = Campaign>
void bad(std::string_view body, std::string_view what, ErrorKind kind = ErrorKind::invalid_response) {
  PageDecoder d;
  auto r = d.decode<T>(body);
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "decode should fail: " << body);
  BOOST_TEST(to_string(r.error().kind) == to_string(kind));
  BOOST_CHECK_MESSAGE(r.error().message.find(what) != std::string::npos,
                      "message '" << r.error().message << "' lacks '" << what << "'");
}

void two_items(const Page<Campaign>& p) {
  BOOST_REQUIRE(p.items.size() == 2u);
  BOOST_TEST(p.items[0].id() == "cmp_a");
  BOOST_TEST((*p.items[0].status() == Status::running));
  BOOST_TEST(*p.items[1].total_leads() == 3);
  BOOST_TEST(p.items[1].json() == R"({"id": "cmp_b", "total_leads": 3})");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page)

BOOST_AUTO_TEST_CASE(data_envelope_with_meta) {
  auto p = ok(R"({"data": )" + two_campaigns +
              R"(, "meta": {"page": 2, "limit": 20, "total": 57, "totalPages": 3, "extra": [1]}})");
  two_items(p);
  BOOST_REQUIRE(p.meta.has_value());
  BOOST_TEST((*p.meta == PageMeta{2, 20, 57, 3}));
}

BOOST_AUTO_TEST_CASE(meta_first_and_members_absent_or_null) {
  auto p = ok(R"({"meta": {"total": 57, "page": null}, "data": )" + two_campaigns + "}");
  two_items(p);
  BOOST_TEST((*p.meta == PageMeta{std::nullopt, std::nullopt, 57, std::nullopt}));
  auto bare = ok(R"({"data": )" + two_campaigns + "}");
  BOOST_TEST(!bare.meta.has_value());
}

BOOST_AUTO_TEST_CASE(items_envelope) {
  auto p = ok(R"({"total": 57, "items": )" + two_campaigns + R"(, "page": 1, "limit": 20, "next": null})");
  two_items(p);
  BOOST_TEST((*p.meta == PageMeta{1, 20, 57, std::nullopt}));
}

BOOST_AUTO_TEST_CASE(bare_array) {
  auto p = ok(two_campaigns);
  two_items(p);
  BOOST_TEST(!p.meta.has_value());
  BOOST_TEST(ok("[]").items.empty());
  BOOST_TEST(ok(R"({"data": [], "meta": {"total": 0}})").items.empty());
}

BOOST_AUTO_TEST_CASE(call_logs) {
  auto p = ok<CallLog>(R"({"data": [{"id": "log_1", "duration_sec": 5, "analysis": {"a": [1]}},)"
                       R"( {"id": "log_2", "status": "busy"}], "meta": {"totalPages": 1}})");
  BOOST_REQUIRE(p.items.size() == 2u);
  BOOST_TEST(*p.items[0].duration_seconds() == 5);
  BOOST_TEST(*at_pointer(p.items[0], "/analysis/a/0") == "1");
  BOOST_TEST((*p.items[1].status() == CallStatus::busy));
}

BOOST_AUTO_TEST_CASE(bad_item_names_its_index) {
  bad(R"({"data": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"name": "no id"}]})",
      "item 3: id: missing required field");
  bad(R"([{"id": "a"}, {"id": "b", "total_leads": "3"}])", "item 1: total_leads: expected integer");
  bad(R"([{"id": "a"}, 5])", "item 1: expected a JSON object");
  bad<CallLog>(R"({"items": [{"id": "l", "duration_seconds": 1, "duration_sec": 2}]})",
               "item 0: duration_seconds: duration_sec differs");
}

BOOST_AUTO_TEST_CASE(wrong_shapes) {
  bad(R"({"data": {"id": "a"}})", "data: expected array");
  bad(R"({"items": "x"})", "items: expected array");
  bad(R"({"meta": {"total": 1}})", "expected a page");
  bad(R"("page")", "expected a page");
  bad(R"({"data": [], "items": []})", "one list");
  bad(R"({"data": [], "meta": [1]})", "meta: expected object");
  bad(R"({"data": [], "meta": {"total": "57"}})", "meta.total: expected integer");
  bad(R"({"data": [], "meta": {"totalPages": 1.5}})", "meta.totalPages: expected integer");
  bad(R"({"items": [], "total": true})", "total: expected integer");
  bad(R"({"data": [{"id": "a"}] )", "malformed JSON");
  bad(R"([{"id": "a"}] [])", "");
}

BOOST_AUTO_TEST_CASE(body_over_the_page_cap_is_too_large) {
  std::string body = "[" + std::string(max_page_bytes, ' ') + "]";
  bad(body, "page body over", ErrorKind::too_large);
}

BOOST_AUTO_TEST_CASE(items_outlive_the_body) {
  std::string body = R"({"data": [{"id": "cmp_\u0061", "name": "x"}]})";
  PageDecoder d;
  auto r = d.decode<Campaign>(body);
  BOOST_REQUIRE(r.has_value());
  body.assign(body.size(), 'z');
  BOOST_TEST(r->items[0].id() == "cmp_a");
  BOOST_TEST(*r->items[0].name() == "x");
  BOOST_TEST(*at_pointer(r->items[0], "/name") == "\"x\"");
}

BOOST_AUTO_TEST_SUITE_END()
