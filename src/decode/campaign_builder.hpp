// Private: assembles a Campaign's single allocation from a finished walk.
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
};

struct CampaignBuilder {
  enum : int { id, org_id, name, agent_id, from_phone_number, status, string_count };
  FoundString strings[string_count];
  std::optional<std::int64_t> max_concurrent_calls, total_leads, completed_calls, pending_calls;
  std::optional<Timestamp> scheduled_at, created_at;
  std::optional<RetryConfig> retry_config;

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
  void fill(Campaign& c, const std::string_view (&views)[string_count]) const;
};

}  // namespace campaign::detail
