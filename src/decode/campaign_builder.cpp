#include "campaign_builder.hpp"

#include <cstring>

namespace campaign::detail {

Campaign CampaignBuilder::build(const char* input, std::size_t size, std::size_t padding) const {
  std::size_t tail_size = 0;
  for (const auto& s : strings)
    if (s.present && !s.in_input) tail_size += s.text.size();

  auto storage = std::make_shared_for_overwrite<char[]>(size + padding + tail_size);
  char* base = storage.get();
  std::memcpy(base, input, size);
  std::memset(base + size, 0, padding);  // simdjson reads it; keep it defined
  char* tail = base + size + padding;

  std::string_view views[string_count];
  for (int i = 0; i < string_count; ++i) {
    const auto& s = strings[i];
    if (!s.present) continue;  // default view: data() == nullptr means absent
    if (s.in_input) {
      views[i] = std::string_view(base + (s.text.data() - input), s.text.size());
    } else {
      std::memcpy(tail, s.text.data(), s.text.size());
      views[i] = std::string_view(tail, s.text.size());
      tail += s.text.size();
    }
  }

  Campaign c;
  c.json_ = std::string_view(base, size);
  fill(c, views);
  c.storage_ = std::move(storage);
  return c;
}

Campaign CampaignBuilder::adopt(std::shared_ptr<const char[]> owner, const char* input,
                                std::size_t size, std::size_t padding) const {
  std::string_view views[string_count];
  for (int i = 0; i < string_count; ++i) {
    if (!strings[i].present) continue;
    if (!strings[i].in_input) return build(input, size, padding);
    views[i] = strings[i].text;
  }
  Campaign c;
  c.json_ = std::string_view(input, size);
  fill(c, views);
  c.storage_ = std::move(owner);
  return c;
}

void CampaignBuilder::fill(Campaign& c, const std::string_view (&views)[string_count]) const {
  c.id_ = views[id];
  c.org_id_ = views[org_id];
  c.name_ = views[name];
  c.agent_id_ = views[agent_id];
  c.from_phone_number_ = views[from_phone_number];
  c.status_text_ = views[status];
  c.status_ = strings[status].present ? status_from_string(views[status]) : Status::unknown;
  c.max_concurrent_calls_ = max_concurrent_calls;
  c.total_leads_ = total_leads;
  c.completed_calls_ = completed_calls;
  c.pending_calls_ = pending_calls;
  c.scheduled_at_ = scheduled_at;
  c.created_at_ = created_at;
  c.retry_config_ = retry_config;
}

}  // namespace campaign::detail
