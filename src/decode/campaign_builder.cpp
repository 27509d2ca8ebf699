#include "campaign_builder.hpp"

#include <cstring>
#include <type_traits>

namespace campaign::detail {
namespace {

template <class T>
constexpr bool is_string_slot = std::is_same_v<std::decay_t<T>, FoundString>;

}  // namespace

template <class Place>
void CampaignBuilder::fill(Campaign& c, Place&& place) const {
#define CAMPAIGN_BUILDER_FILL_(member, ...) c.member##_ = place(member);
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_BUILDER_FILL_)
#undef CAMPAIGN_BUILDER_FILL_
  c.status_ = c.status_text_.data() ? status_from_string(c.status_text_) : Status::unknown;
}

Campaign CampaignBuilder::build(const char* input, std::size_t size, std::size_t padding) const {
  std::size_t tail_size = 0;
  each([&](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      if (slot.present && !slot.in_input) tail_size += slot.text.size();
  });

  auto storage = std::make_shared_for_overwrite<char[]>(size + padding + tail_size);
  char* base = storage.get();
  std::memcpy(base, input, size);
  std::memset(base + size, 0, padding);  // simdjson reads it; keep it defined
  char* tail = base + size + padding;

  Campaign c;
  c.json_ = std::string_view(base, size);
  fill(c, [&](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>) {
      if (!slot.present) return std::string_view();  // data() == nullptr: absent
      if (slot.in_input) return std::string_view(base + (slot.text.data() - input), slot.text.size());
      std::memcpy(tail, slot.text.data(), slot.text.size());
      std::string_view placed(tail, slot.text.size());
      tail += slot.text.size();
      return placed;
    } else {
      return slot;
    }
  });
  c.storage_ = std::move(storage);
  return c;
}

Campaign CampaignBuilder::adopt(std::shared_ptr<const char[]> owner, const char* input,
                                std::size_t size, std::size_t padding) const {
  bool all_in_input = true;
  each([&](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      if (slot.present && !slot.in_input) all_in_input = false;
  });
  if (!all_in_input) return build(input, size, padding);
  Campaign c;
  c.json_ = std::string_view(input, size);
  fill(c, [](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      return slot.present ? slot.text : std::string_view();
    else
      return slot;
  });
  c.storage_ = std::move(owner);
  return c;
}

}  // namespace campaign::detail
