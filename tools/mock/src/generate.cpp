// Synthetic records: deterministic from the index, and varied enough to
// exercise a decoder (every status, nulls and absent fields, escapes and raw
// UTF-8, unknown nested fields, other field orders and spacing, offsets).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "campaign_mock/server.hpp"
#include "clock_text.hpp"
#include "json_text.hpp"

namespace campaign::mock {
namespace {

using detail::append_civil;
using detail::append_int;

constexpr std::array<const char*, 6> statuses = {"draft",  "active",    "running",
                                                 "paused", "completed", "cancelled"};

// Already JSON-encoded string contents: escapes stay escapes on the wire.
constexpr std::array<const char*, 12> names = {
    "Q2 Lead Re-engagement",           "Caf\\u00e9 Follow-up",   "Caf\xC3\xA9 \xCE\xA9mega",
    "Spring \\\"VIP\\\" Outreach",     "Back\\\\slash Renewals", "Launch \\ud83d\\ude80 Week",
    "Renewals \xE2\x80\x94 EMEA",      "Line\\tand\\nbreaks",    "\xE6\x9D\xB1\xE4\xBA\xAC Expansion",
    "Win-back / Lapsed <2023> & more", "Solar \\/ Wind Leads",   "Zo\\u00EB's Dental Reminders",
};

constexpr std::array<const char*, 4> orgs = {"org_xyz", "org_acme", "org_globex", "org_initech"};

struct Offset {
  const char* text;
  int minutes;
};
constexpr std::array<Offset, 6> offsets = {
    {{"Z", 0}, {"+05:30", 330}, {"-08:00", -480}, {"+00:00", 0}, {"+09:00", 540}, {"-03:30", -210}}};

void quoted(std::string& out, std::string_view s) {
  out += '"';
  out += s;
  out += '"';
}

}  // namespace

std::string generated_record(std::size_t index, Dialect dialect) {
  const std::uint64_t i = index;
  const std::uint64_t h = detail::mix64(i);
  const bool sparse = i % 17 == 16;          // nulls and absent fields
  const bool bare = sparse && i % 51 == 16;  // no counters at all
  const char* status = statuses[i % statuses.size()];

  // key, JSON value; reused across calls so that values keep their capacity.
  thread_local std::vector<std::pair<const char*, std::string>> fields;
  std::size_t count = 0;
  auto slot = [&](const char* key) -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    fields[count].first = key;
    fields[count].second.clear();
    return fields[count++].second;
  };
  auto add = [&](const char* key, std::string_view value) { slot(key) = value; };

  char id[32];
  std::snprintf(id, sizeof id, "cmp_%06zu", index);
  quoted(slot("id"), id);
  const char* org_key = dialect == Dialect::live ? "organization_id" : "org_id";
  if (sparse)
    add(org_key, "null");
  else
    quoted(slot(org_key), orgs[(h >> 4) % orgs.size()]);
  {
    std::string& name = slot("name");
    name += '"';
    name += names[(h >> 8) % names.size()];
    name += ' ';
    append_int(name, i);
    name += '"';
  }
  if (i % 5 == 2)
    add("metadata", R"({"source":"crm","tags":["q2","vip"],"owner":{"team":"growth",)"
                    R"("depth":{"level":3,"ok":true,"ratio":0.25,"none":null}}})");
  if (!sparse) {
    static constexpr char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string& agent = slot("agent_id");
    agent = "\"agt_";
    for (std::uint64_t x = h >> 16, k = 0; k < 8; ++k, x /= 36) agent += base36[x % 36];
    agent += '"';
    std::string& phone = slot("from_phone_number");
    phone = i % 2 ? "\"+9122" : "\"+1415555";
    for (std::uint64_t x = h >> 24, k = 0; k < (i % 2 ? 8u : 4u); ++k, x /= 10)
      phone += static_cast<char>('0' + x % 10);
    phone += '"';
  }
  quoted(slot("status"), status);
  if (!bare) append_int(slot("max_concurrent_calls"), 1 + (h >> 40) % 50);

  const std::int64_t created = 1672531200 + static_cast<std::int64_t>(i % 100000) * 3607;
  if (sparse || i % 4 == 0) {
    add("scheduled_at", "null");
  } else {
    const Offset& off = offsets[(h >> 12) % offsets.size()];
    std::int64_t at =
        created + 86400 * static_cast<std::int64_t>(1 + i % 30) + 3600 * static_cast<std::int64_t>(h % 24);
    std::string& s = slot("scheduled_at");
    s += '"';
    append_civil(s, at + off.minutes * 60);
    if ((h >> 50) % 5 == 0) s += ".500";
    s += off.text;
    s += '"';
  }
  if (sparse) {
    add("retry_config", "null");
  } else if (i % 23 == 3) {
    add("retry_config", R"({"max_retries":0})");
  } else {
    std::string& rc = slot("retry_config");
    rc = R"({"max_retries":)";
    append_int(rc, (h >> 20) % 6);
    rc += R"(,"retry_interval_minutes":)";
    append_int(rc, 15 * (1 + (h >> 24) % 8));
    rc += '}';
  }
  if (i % 7 == 3)
    add("dialing_window", R"({"start":"09:00","end":"18:00","timezone":"Asia/Kolkata",)"
                          R"("days":["mon","tue","wed"]})");

  if (!bare) {
    const std::uint64_t total = 50 + (h >> 28) % 5000;
    std::uint64_t done = 0;
    switch (i % statuses.size()) {
      case 0:
        done = 0;
        break;  // draft
      case 1:
        done = (h >> 33) % (total / 10 + 1);
        break;  // active: just started
      case 4:
        done = total;
        break;  // completed
      default:
        done = (h >> 33) % total;
        break;  // running, paused, cancelled
    }
    append_int(slot("total_leads"), total);
    append_int(slot("completed_calls"), done);
    append_int(slot("pending_calls"), total - done);
  }
  {
    std::string& s = slot("created_at");
    s += '"';
    append_civil(s, created);
    s += ".000Z\"";
  }
  if (i % 11 == 4) add("x_beta_flags", R"([1,"two",{"three":[3,[4]]},false,null])");

  const auto used = fields.begin() + static_cast<std::ptrdiff_t>(count);
  if (i % 13 == 6) std::reverse(fields.begin(), used);  // id comes last
  const bool spaced = i % 19 == 9;
  std::string out;
  out.reserve(640);
  out += spaced ? "{ " : "{";
  for (std::size_t k = 0; k < count; ++k) {
    if (k) out += spaced ? ", " : ",";
    out += '"';
    out += fields[k].first;
    out += spaced ? "\": " : "\":";
    out += fields[k].second;
  }
  out += spaced ? " }" : "}";
  return out;
}

}  // namespace campaign::mock
