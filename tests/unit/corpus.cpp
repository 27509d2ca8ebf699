#include "corpus.hpp"

#include <algorithm>
#include <random>

namespace campaign::testing {

Fields sample_fields() {
  return {{"id", R"("cmp_xyz789")"},
          {"org_id", R"("org_xyz")"},
          {"name", R"("Q2 Lead Re-engagement")"},
          {"agent_id", R"("agt_abc123")"},
          {"from_phone_number", R"("+912234567890")"},
          {"status", R"("running")"},
          {"max_concurrent_calls", "5"},
          {"scheduled_at", "null"},
          {"retry_config", R"({"max_retries": 3, "retry_interval_minutes": 120})"},
          {"total_leads", "1200"},
          {"completed_calls", "450"},
          {"pending_calls", "750"},
          {"created_at", R"("2024-03-01T09:00:00.000Z")"}};
}

std::string render(const Fields& fields) {
  std::string out = "{";
  for (const auto& [k, v] : fields) {
    if (out.size() > 1) out += ", ";
    out += '"' + k + "\": " + v;
  }
  return out + "}";
}

std::string sample_with(const std::string& name, const std::string& raw_value) {
  Fields f = sample_fields();
  for (auto it = f.begin(); it != f.end(); ++it) {
    if (it->first != name) continue;
    if (raw_value.empty()) f.erase(it);
    else it->second = raw_value;
    break;
  }
  return render(f);
}

std::string sample_json() { return render(sample_fields()); }

std::string generate_record(std::uint64_t i) {
  std::mt19937_64 rng(i * 7919 + 1);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  static const char* statuses[] = {"draft", "active", "running", "paused",
                                   "completed", "cancelled", "archived"};
  static const char* names[] = {
      R"("Q2 Lead Re-engagement")", R"("Caf\u00e9 \"Ωmega\" \\ follow-up")",
      R"("Renewals \ud83d\udcde wave 7")", R"("")", R"("tab\there\nnewline")",
      R"("Ünïcödé – raw UTF-8 ✓")",
      R"("A very long campaign name that goes on and on to exercise longer strings in the decoder, well past sixty-four bytes")"};
  char id[32];
  std::snprintf(id, sizeof id, "\"cmp_%06llu\"", static_cast<unsigned long long>(i));
  std::int64_t total = static_cast<std::int64_t>(pick(100000));
  std::int64_t done = total ? static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(total))) : 0;

  Fields f;
  f.emplace_back("id", id);
  auto maybe = [&](const char* name, std::string value) {
    switch (pick(13)) {
      case 0: return;                              // absent
      case 1: f.emplace_back(name, "null"); return;  // null
      default: f.emplace_back(name, std::move(value));
    }
  };
  maybe("org_id", "\"org_" + std::to_string(pick(1000)) + "\"");
  maybe("name", names[pick(std::size(names))]);
  maybe("agent_id", "\"agt_" + std::to_string(pick(100000)) + "\"");
  maybe("from_phone_number", "\"+1555" + std::to_string(1000000 + pick(8999999)) + "\"");
  maybe("status", std::string("\"") + statuses[pick(std::size(statuses))] + "\"");
  maybe("max_concurrent_calls", std::to_string(1 + pick(64)));
  static const char* times[] = {R"("2024-03-01T14:30:00+05:30")", R"("2025-12-31T23:59:59.999Z")",
                                R"("2024-02-29T08:00:00.123456-08:00")", R"("2023-07-04T12:00:00Z")"};
  maybe("scheduled_at", times[pick(std::size(times))]);
  switch (pick(4)) {
    case 0: maybe("retry_config", R"({"max_retries": 3, "retry_interval_minutes": 120})"); break;
    case 1: maybe("retry_config", R"({"retry_interval_minutes": 5, "extra": [1, {"a": null}]})"); break;
    case 2: maybe("retry_config", R"({})"); break;
    default: maybe("retry_config", R"({"max_retries": 0, "retry_interval_minutes": null})");
  }
  maybe("total_leads", std::to_string(total));
  maybe("completed_calls", std::to_string(done));
  maybe("pending_calls", std::to_string(total - done));
  maybe("created_at", times[pick(std::size(times))]);
  if (pick(3) == 0) f.emplace_back("x_unknown", R"({"nested": [1, 2.5e3, "s", {"deep": [true, false, null]}]})");
  if (pick(5) == 0) f.emplace_back("labels", R"(["vip", "emea"])");
  std::shuffle(f.begin(), f.end(), rng);
  return render(f);
}

}  // namespace campaign::testing
