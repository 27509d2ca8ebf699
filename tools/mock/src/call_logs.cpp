// Synthetic call logs of generated campaigns: deterministic from the
// campaign's index and the log's position, varied enough to exercise a
// decoder (every status, nulls and absent fields, free-form analysis).
#include <array>
#include <cstdio>
#include <string>

#include "campaign_mock/server.hpp"
#include "clock_text.hpp"
#include "json_text.hpp"

namespace campaign::mock {
namespace {

using detail::append_int;

struct Outcome {
  const char* status;
  const char* end_reason;  // nullptr: the field is null
  bool connected;          // has a duration, a recording and an analysis
};
constexpr std::array<Outcome, 11> outcomes = {{
    {"completed", "user_disconnected", true},
    {"did_not_pick", "user_did_not_pick_up", false},
    {"completed", "agent_hangup", true},
    {"busy", "user_busy", false},
    {"no_answer", "user_did_not_pick_up", false},
    {"failed", "invalid_phone_number", false},
    {"created", nullptr, false},
    {"initiated", nullptr, false},
    {"sent", nullptr, false},
    {"received", nullptr, true},
    {"cancelled", nullptr, false},
}};
// Raw statuses a client must keep as sent (retry_expired is in the list; the other is not).
constexpr std::array<const char*, 2> rare_statuses = {"retry_expired", "voicemail"};
constexpr std::array<const char*, 4> sentiments = {"positive", "neutral", "negative", "mixed"};

void analysis(std::string& out, std::uint64_t h, std::size_t k) {
  switch (h % 5) {
    case 0:
      out += R"({"summary":"Interested in the \"Pro\" plan; asked for a callback","intent":"interested",)"
             R"("score":0.82,"tags":["pricing","callback"],"follow_up":{"required":true,"channel":"sms"}})";
      return;
    case 1:
      out += R"({"summary":"Caf\u00e9 owner, not now","intent":"not_interested","score":0.1,"tags":[]})";
      return;
    case 2:
      out +=
          R"({"transcript":[{"speaker":"agent","text":"Hello"},{"speaker":"user","text":"\u00bfQui\u00e9n?"}],)"
          R"("metrics":{"talk_ratio":0.55,"interruptions":2,"nested":{"deep":{"deeper":[1,[2,[3]]]}}}})";
      return;
    case 3:
      out += R"({"score":)";
      append_int(out, k % 100);
      out += R"(,"qualified":false,"notes":null})";
      return;
    default:
      out += "{}";
      return;
  }
}

}  // namespace

std::size_t generated_call_log_count(std::size_t index, std::size_t busy) {
  return index % 50 == 49 ? busy : index % 7;
}

std::string generated_call_log(std::size_t index, std::size_t k, Dialect dialect, std::size_t busy) {
  const std::uint64_t h = detail::mix64(detail::mix64(index) ^ (k + 1));
  const Outcome& o = outcomes[(index + k) % outcomes.size()];
  const bool sparse = k % 9 == 8;  // nulls and absent fields
  char buf[96];
  std::string out;
  out.reserve(512);
  std::snprintf(buf, sizeof buf, R"({"id":"log_%06zu_%03zu")", index, k);
  out += buf;
  std::snprintf(buf, sizeof buf, R"(,"call_id":"call_%012llx")", static_cast<unsigned long long>(h >> 16));
  out += buf;
  if (!sparse) {
    std::snprintf(buf, sizeof buf, R"(,"campaign_id":"cmp_%06zu")", index);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, R"(,"agent_id":"agt_%08llx")",
                static_cast<unsigned long long>(detail::mix64(index) >> 32));
  out += buf;
  out += R"(,"status":")";
  out += k % 23 == 22 ? rare_statuses[(index / 23) % rare_statuses.size()] : o.status;
  out += '"';
  if (o.end_reason) {
    out += R"(,"end_reason":")";
    out += o.end_reason;
    out += '"';
  } else if (!sparse) {
    out += R"(,"end_reason":null)";
  }
  if (o.connected && !sparse) {
    out += R"(,"sentiment":")";
    out += sentiments[(h >> 8) % sentiments.size()];
    out += '"';
  } else {
    out += R"(,"sentiment":null)";
  }
  out += dialect == Dialect::live ? R"(,"duration_sec":)" : R"(,"duration_seconds":)";
  if (sparse)
    out += "null";
  else
    append_int(out, o.connected ? 20 + (h >> 20) % 600 : 0);
  if (o.connected) {
    std::snprintf(buf, sizeof buf, R"(,"recording_url":"https://recordings.example.com/call_%012llx.wav")",
                  static_cast<unsigned long long>(h >> 16));
    out += buf;
    out += R"(,"analysis":)";
    analysis(out, h >> 4, k);
  } else {
    out += R"(,"recording_url":null,"analysis":null)";
  }
  // Newest first: log 0 is the latest, one every ten minutes after the campaign's creation.
  const std::int64_t campaign_created = 1672531200 + static_cast<std::int64_t>(index % 100000) * 3607;
  const auto count = static_cast<std::int64_t>(generated_call_log_count(index, busy));
  out += R"(,"created_at":")";
  const std::int64_t at = campaign_created + 600 * (count - static_cast<std::int64_t>(k));
  if (k % 4 == 3) {  // the same instant written with an offset
    detail::append_civil(out, at + 330 * 60);
    out += R"(+05:30")";
  } else {
    detail::append_civil(out, at);
    out += R"(.000Z")";
  }
  out += '}';
  return out;
}

}  // namespace campaign::mock
