// Private: the decoder's slots for one record, and how they become a
// Campaign's single allocation once the walk has finished.
#pragma once

#include <campaign/model.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace campaign::detail {

// A string found during the walk: either a view into the input (no escapes:
// it will be rebased into the record's copy of the body) or into the parser's
// unescape buffer (copied into the record's tail).
struct FoundString {
  std::string_view text;
  bool present = false;
  bool in_input = false;
  friend bool operator==(const FoundString& a, const FoundString& b) noexcept {
    return a.present == b.present && (!a.present || a.text == b.text);
  }
};

// The decoder's slot for each kind of field (campaign/schema.hpp).
template <class Kind>
struct Slot {
  using type = typename FieldType<Kind>::stored;  // the model's own optional
};
template <>
struct Slot<schema::key> {
  using type = FoundString;
};
template <>
struct Slot<schema::text> {
  using type = FoundString;
};

struct CampaignBuilder {
#define CAMPAIGN_BUILDER_SLOT_(member, kind, ...) Slot<schema::kind>::type member{};
  CAMPAIGN_RECORD_FIELDS(CAMPAIGN_BUILDER_SLOT_)
#undef CAMPAIGN_BUILDER_SLOT_

  // One allocation: [input copy][padding][unescaped strings].
  Campaign build(const char* input, std::size_t size, std::size_t padding) const;
  // No allocation: the record shares `owner`, which holds input[0 .. size +
  // padding). Falls back to build() when a string was unescaped (it needs a
  // home of its own).
  Campaign adopt(std::shared_ptr<const char[]> owner, const char* input, std::size_t size,
                 std::size_t padding) const;
  // True when c's JSON text sits in storage of its own followed by the
  // decoder's padding (every decoded record; not a default-constructed one).
  static bool has_padded_json(const Campaign& c) noexcept { return c.storage_ != nullptr; }

 private:
  // Calls f(slot) for every slot, in schema order.
  template <class F>
  void each(F&& f) const {
#define CAMPAIGN_BUILDER_EACH_(member, ...) f(member);
    CAMPAIGN_RECORD_FIELDS(CAMPAIGN_BUILDER_EACH_)
#undef CAMPAIGN_BUILDER_EACH_
  }
  // Sets every member of c from its slot through place(slot).
  template <class Place>
  void fill(Campaign& c, Place&& place) const;
};

}  // namespace campaign::detail
