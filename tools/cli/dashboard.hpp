// dashboard.hpp: a campaign as the vendor page's dashboard header.
//
//   Q2 Lead Re-engagement
//     ID           cmp_xyz789
//     Status       running
//     Progress     [#######.................]  37.5%  450 / 1,200 leads
//     ETA          7h 30m  (750 pending, 5 at once, 180 s per call)
//     ...
//
// Deterministic but for the Rate limit row (shown only when the server
// sent X-RateLimit headers): no "now"-relative text, times in UTC, ASCII unless the
// terminal says UTF-8, colour only when asked for.
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/model.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace campaign::cli {

struct DashboardStyle {
  bool color = false;
  bool unicode = false;
  std::chrono::milliseconds avg_call{180000};
};

// The dashboard's lines, without line ends.
std::vector<std::string> render_dashboard(const Campaign& record, const DashboardStyle& style);
// One line for logs and pipes:
//   cmp_xyz789  running  450/1,200 leads (37.5%)  pending 750  ETA 7h 30m
std::string compact_line(const Campaign& record, std::chrono::milliseconds avg_call);
// One row of `campaign list --format table`:
//   Q2 Lead Re-engagement  cmp_xyz789  running  [####........] 37.5%  pending 750  ETA 7h 30m
std::string list_row(const Campaign& record, std::chrono::milliseconds avg_call);
// One row of `campaign calls --format table`:
//   log_8f2k1q  completed  2m 5s  user_disconnected  2024-03-01 09:00:00 UTC
std::string call_row(const CallLog& log);

// "R of L left, resets in S s" (the parts the server sent), for the
// dashboard's Rate limit row: the only row that depends on now.
std::string rate_limit_text(const RateLimit& rate_limit, std::chrono::system_clock::time_point now);
// A label + value row in the dashboard's layout ("  Label        value").
std::string dashboard_row(std::string_view label, std::string_view value, bool color);

}  // namespace campaign::cli
