#include "record_builder.hpp"

#include <cstring>
#include <type_traits>

namespace campaign::detail {
namespace {

template <class T>
constexpr bool is_string_slot = std::is_base_of_v<FoundString, std::decay_t<T>>;

}  // namespace

template <class Record>
Record RecordBuilder<Record>::build(const char* input, std::size_t size, std::size_t padding) const {
  std::size_t tail_size = 0;
  this->each([&](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      if (slot.present && !slot.in_input) tail_size += slot.text.size();
  });

  auto storage = std::make_shared_for_overwrite<char[]>(size + padding + tail_size);
  char* base = storage.get();
  std::memcpy(base, input, size);
  std::memset(base + size, 0, padding);  // simdjson reads it; keep it defined
  char* tail = base + size + padding;

  Record c;
  c.json_ = std::string_view(base, size);
  this->fill(c, [&](const auto& slot) {
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

template <class Record>
Record RecordBuilder<Record>::adopt(std::shared_ptr<const char[]> owner, const char* input,
                                std::size_t size, std::size_t padding) const {
  bool all_in_input = true;
  this->each([&](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      if (slot.present && !slot.in_input) all_in_input = false;
  });
  if (!all_in_input) return build(input, size, padding);
  Record c;
  c.json_ = std::string_view(input, size);
  this->fill(c, [](const auto& slot) {
    if constexpr (is_string_slot<decltype(slot)>)
      return slot.present ? slot.text : std::string_view();
    else
      return slot;
  });
  c.storage_ = std::move(owner);
  return c;
}

template struct RecordBuilder<Campaign>;
template struct RecordBuilder<CallLog>;

}  // namespace campaign::detail
