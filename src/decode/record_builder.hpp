// Private: the decoder's slots for one record (a Campaign or a CallLog), and
// how they become the record's single allocation once the walk has finished.
#pragma once

#include <campaign/call_log.hpp>
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

// A value of kind raw: its text as sent, always a view into the input.
struct FoundRaw : FoundString {};

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
template <>
struct Slot<schema::raw> {
  using type = FoundRaw;
};

// One slot per field of the record's list, each(f) over them in schema
// order, and fill(record, place) setting every member from place(slot).
#define CAMPAIGN_BUILDER_SLOT_(member, kind, ...) Slot<schema::kind>::type member{};
#define CAMPAIGN_BUILDER_EACH_(member, ...) f(member);
#define CAMPAIGN_BUILDER_FILL_(member, ...) c.member##_ = place(member);
#define CAMPAIGN_BUILDER_SLOTS_(FIELDS, Record)        \
  FIELDS(CAMPAIGN_BUILDER_SLOT_)                       \
  template <class F>                                   \
  void each(F&& f) const {                             \
    FIELDS(CAMPAIGN_BUILDER_EACH_)                     \
  }                                                    \
  template <class Place>                               \
  void fill(Record& c, Place&& place) const {          \
    FIELDS(CAMPAIGN_BUILDER_FILL_)                     \
    finish(c);                                         \
  }

template <class Record>
struct Slots;

template <>
struct Slots<Campaign> {
  CAMPAIGN_BUILDER_SLOTS_(CAMPAIGN_RECORD_FIELDS, Campaign)
  static void finish(Campaign& c) noexcept {
    c.status_ = c.status_text_.data() ? status_from_string(c.status_text_) : Status::unknown;
  }
};

template <>
struct Slots<CallLog> {
  CAMPAIGN_BUILDER_SLOTS_(CAMPAIGN_CALL_LOG_FIELDS, CallLog)
  static void finish(CallLog& c) noexcept {
    c.status_ = c.status_text_.data() ? call_status_from_string(c.status_text_) : CallStatus::unknown;
  }
};

#undef CAMPAIGN_BUILDER_SLOTS_
#undef CAMPAIGN_BUILDER_FILL_
#undef CAMPAIGN_BUILDER_EACH_
#undef CAMPAIGN_BUILDER_SLOT_

template <class Record>
struct RecordBuilder : Slots<Record> {
  // One allocation: [input copy][padding][unescaped strings].
  Record build(const char* input, std::size_t size, std::size_t padding) const;
  // No allocation: the record shares `owner`, which holds input[0 .. size +
  // padding). Falls back to build() when a string was unescaped (it needs a
  // home of its own).
  Record adopt(std::shared_ptr<const char[]> owner, const char* input, std::size_t size,
               std::size_t padding) const;
  // True when r's JSON text sits in storage of its own followed by the
  // decoder's padding (every decoded record; not a default-constructed one).
  static bool has_padded_json(const Record& r) noexcept { return r.storage_ != nullptr; }
};

using CampaignBuilder = RecordBuilder<Campaign>;
using CallLogBuilder = RecordBuilder<CallLog>;

extern template struct RecordBuilder<Campaign>;
extern template struct RecordBuilder<CallLog>;

}  // namespace campaign::detail
