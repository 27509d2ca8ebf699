#include "corpus.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <random>
#include <utility>

namespace campaign::bench {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string render(const Fields& fields, bool spaced) {
  std::string out = spaced ? "{ " : "{";
  bool first = true;
  for (const auto& [k, v] : fields) {
    if (!first) out += spaced ? ", " : ",";
    first = false;
    out += '"';
    out += k;
    out += spaced ? "\": " : "\":";
    out += v;
  }
  out += spaced ? " }" : "}";
  return out;
}

}  // namespace

std::string generate_record(std::uint64_t i) {
  std::mt19937_64 rng(i * 0x9E3779B97F4A7C15ull + 12345);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  static const char* const statuses[] = {"draft",     "active",    "running", "paused",
                                         "completed", "cancelled", "archived"};
  // Already JSON-encoded contents (escapes stay escapes on the wire).
  static const char* const names[] = {
      "Q2 Lead Re-engagement",
      "Caf\\u00e9 \\\"\\u03a9mega\\\" \\\\ follow-up",
      "Renewals \\ud83d\\udcde wave",
      "",
      "tab\\there\\nnewline",
      "\xC3\x9Cn\xC3\xAF\x63\xC3\xB6\x64\xC3\xA9 \xE2\x80\x93 raw UTF-8 \xE2\x9C\x93",
      "A very long campaign name that goes on and on to exercise longer strings in the "
      "decoder, well past sixty-four bytes, and then some more for good measure",
      "Q3",
      "\xE6\x9D\xB1\xE4\xBA\xAC Expansion",
      "Win-back / Lapsed <2023> & more",
      "Solar \\/ Wind Leads",
      "Spring outreach"};
  static const char* const times[] = {"2024-03-01T14:30:00+05:30", "2025-12-31T23:59:59.999Z",
                                      "2024-02-29T08:00:00.123456-08:00", "2023-07-04T12:00:00Z",
                                      "2024-03-01T09:00:00.000Z"};

  Fields f;
  char id[40];
  std::snprintf(id, sizeof id, "\"cmp_%06llu\"", static_cast<unsigned long long>(i));
  f.emplace_back("id", id);
  const bool sparse = pick(10) == 0;  // about one record in ten has many nulls/absent fields
  auto maybe = [&](const char* name, std::string value) {
    switch (pick(sparse ? 3 : 17)) {
      case 0: return;                                // absent
      case 1: f.emplace_back(name, "null"); return;  // null
      default: f.emplace_back(name, std::move(value));
    }
  };
  auto quoted = [](const std::string& s) {
    std::string q;
    q.reserve(s.size() + 2);
    q += '"';
    q += s;
    q += '"';
    return q;
  };
  const std::int64_t total = static_cast<std::int64_t>(pick(100000));
  const std::int64_t done = total ? static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(total))) : 0;
  maybe("org_id", quoted(std::string("org_") + std::to_string(pick(1000))));
  std::string name = names[pick(std::size(names))];
  if (pick(2)) {
    name += ' ';
    name += std::to_string(i);
  }
  maybe("name", quoted(name));
  maybe("agent_id", quoted(std::string("agt_") + std::to_string(pick(1000000))));
  maybe("from_phone_number",
        quoted(std::string(pick(2) ? "+1555" : "+9122") + std::to_string(10000000 + pick(89999999))));
  maybe("status", quoted(statuses[pick(std::size(statuses))]));
  maybe("max_concurrent_calls", std::to_string(1 + pick(64)));
  maybe("scheduled_at", quoted(times[pick(std::size(times))]));
  switch (pick(5)) {
    case 0: maybe("retry_config", R"({"max_retries":3,"retry_interval_minutes":120})"); break;
    case 1: maybe("retry_config", R"({"retry_interval_minutes":5,"extra":[1,{"a":null}]})"); break;
    case 2: maybe("retry_config", "{}"); break;
    case 3: maybe("retry_config", R"({"max_retries":0,"retry_interval_minutes":null})"); break;
    default: maybe("retry_config", R"({"max_retries":2,"retry_interval_minutes":30})");
  }
  maybe("total_leads", std::to_string(total));
  maybe("completed_calls", std::to_string(done));
  maybe("pending_calls", std::to_string(total - done));
  maybe("created_at", quoted(times[pick(std::size(times))]));
  if (pick(3) == 0)
    f.emplace_back("x_unknown", R"({"nested":[1,2.5e3,"s",{"deep":[true,false,null]}]})");
  if (pick(5) == 0) f.emplace_back("labels", R"(["vip","emea"])");
  if (pick(7) == 0)
    f.emplace_back("dialing_window",
                   R"({"start":"09:00","end":"18:00","timezone":"Asia/Kolkata","days":["mon","tue"]})");
  // Mostly the documented order, sometimes shuffled (fields may come in any order).
  if (pick(4) == 0) std::shuffle(f.begin(), f.end(), rng);
  return render(f, pick(8) == 0);
}

Corpus make_corpus(std::size_t n, std::size_t padding) {
  Corpus c;
  c.padding = padding;
  c.offset.reserve(n);
  c.size.reserve(n);
  std::vector<std::string> records;
  records.reserve(n);
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    records.push_back(generate_record(i));
    total += records.back().size() + padding;
  }
  c.bytes.assign(total, '\0');
  std::size_t at = 0;
  for (auto& r : records) {
    std::copy(r.begin(), r.end(), c.bytes.begin() + static_cast<std::ptrdiff_t>(at));
    c.offset.push_back(at);
    c.size.push_back(r.size());
    c.json_bytes += r.size();
    at += r.size() + padding;
  }
  return c;
}

}  // namespace campaign::bench
