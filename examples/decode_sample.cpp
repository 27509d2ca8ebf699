// Decodes the record of the API's example response and prints a summary:
// the smallest use of the library, with no network.
#include <campaign/campaign.hpp>

#include <cstdio>

int main() {
  constexpr std::string_view body = R"({
  "id": "cmp_xyz789",
  "org_id": "org_xyz",
  "name": "Q2 Lead Re-engagement",
  "agent_id": "agt_abc123",
  "from_phone_number": "+912234567890",
  "status": "running",
  "max_concurrent_calls": 5,
  "scheduled_at": null,
  "retry_config": {"max_retries": 3, "retry_interval_minutes": 120},
  "total_leads": 1200,
  "completed_calls": 450,
  "pending_calls": 750,
  "created_at": "2024-03-01T09:00:00.000Z"
})";

  auto record = campaign::parse(body);
  if (!record) {
    std::fprintf(stderr, "error: %s\n", record.error().describe().c_str());
    return 1;
  }
  const campaign::Campaign& c = *record;
  auto eta = c.eta(std::chrono::minutes(3));
  std::printf("%.*s  %.*s  [%.*s]\n", int(c.id().size()), c.id().data(),
              int(c.name()->size()), c.name()->data(), int(c.status_text()->size()),
              c.status_text()->data());
  std::printf("progress %.1f%%  pending %lld at %lld concurrent  eta %lld min (3-minute calls)\n",
              *c.progress() * 100.0, static_cast<long long>(*c.pending_calls()),
              static_cast<long long>(*c.max_concurrent_calls()),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::minutes>(*eta).count()));
  std::printf("%s\n", campaign::to_json(c).c_str());
  return 0;
}
