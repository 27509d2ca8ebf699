#include "dashboard.hpp"

#include "output.hpp"
#include "progress_bar.hpp"
#include "terminal.hpp"
#include "text_format.hpp"

namespace campaign::cli {
namespace {

constexpr std::size_t label_width = 13;
constexpr std::size_t bar_width = 24;
constexpr const char* none = "-";

// A value from the server, as shown: key masked, on one line.
std::string shown(std::string_view v) { return one_line(redact(v)); }

std::string text(const std::optional<std::string_view>& v) {
  return v ? shown(*v) : std::string(none);
}

std::string number(const std::optional<std::int64_t>& v) {
  return v ? group_thousands(*v) : std::string(none);
}

std::string status_text(const Campaign& r, const Style& st) {
  auto raw = r.status_text();
  if (!raw) return none;
  std::string t = shown(*raw);
  switch (r.status().value_or(Status::unknown)) {
    case Status::running:
    case Status::active: return st.green(t);
    case Status::paused: return st.yellow(t);
    case Status::completed: return st.blue(t);
    case Status::cancelled: return st.red(t);
    case Status::draft: return st.dim(t);
    case Status::unknown: return t;
  }
  return t;
}

std::string progress_text(const Campaign& r, const DashboardStyle& ds, const Style& st) {
  auto total = r.total_leads();
  auto done = r.completed_calls();
  if (auto p = r.progress()) {
    return bar(*p, bar_width, ds.unicode, st) + "  " + percent(*p) + "  " + number(done) + " / " +
           number(total) + " leads";
  }
  if (total && *total == 0) return "no leads";
  if (done) return number(done) + " completed, total leads unknown";
  return none;
}

std::string retry_text(const Campaign& r) {
  auto rc = r.retry_config();
  if (!rc) return none;
  std::string out;
  if (rc->max_retries) {
    out = *rc->max_retries == 0 ? "no retries" : "up to " + group_thousands(*rc->max_retries) + " per lead";
  }
  if (rc->retry_interval_minutes && !(rc->max_retries && *rc->max_retries == 0)) {
    if (!out.empty()) out += ", ";
    out += "every " + group_thousands(*rc->retry_interval_minutes) + " min";
  }
  return out.empty() ? none : out;
}

std::string time_text(const std::optional<Timestamp>& t) { return t ? utc_time(*t) : none; }

std::string eta_text(const Campaign& r, std::chrono::milliseconds avg) {
  auto status = r.status();
  if (status == Status::completed) return "finished";
  if (status == Status::cancelled) return "- (cancelled)";
  auto pending = r.pending_calls();
  auto conc = r.max_concurrent_calls();
  if (pending && *pending <= 0) return "nothing pending";
  if (!pending) return "- (pending calls unknown)";
  if (!conc) return "- (concurrency unknown)";
  if (*conc <= 0) return "- (concurrency is 0)";
  auto eta = r.eta(avg);
  if (!eta) return none;
  std::string out = human_duration(*eta) + "  (" + group_thousands(*pending) + " pending, " +
                    group_thousands(*conc) + " at once, " + seconds_text(avg) + " per call)";
  if (status == Status::paused) out += ", once resumed";
  return out;
}

}  // namespace

std::string rate_limit_text(const RateLimit& rl, std::chrono::system_clock::time_point now) {
  std::string out = rl.remaining ? group_thousands(*rl.remaining) : std::string(none);
  if (rl.limit) out += " of " + group_thousands(*rl.limit);
  out += " left";
  if (rl.reset) {
    auto ms = (*rl.reset - std::chrono::time_point_cast<std::chrono::milliseconds>(now)).count();
    out += ", resets in " + std::to_string(ms > 0 ? (ms + 999) / 1000 : 0) + " s";
  }
  return out;
}

std::string dashboard_row(std::string_view label, std::string_view value, bool color) {
  std::string l = "  ";
  l += label;
  if (l.size() < label_width + 2) l.append(label_width + 2 - l.size(), ' ');
  Style st(color);
  return st.dim(l) + std::string(value);
}

std::vector<std::string> render_dashboard(const Campaign& r, const DashboardStyle& ds) {
  Style st(ds.color);
  std::vector<std::string> lines;
  std::string title = r.name() ? shown(*r.name()) : shown(r.id());
  lines.push_back(st.bold(title));
  auto row = [&](std::string_view label, const std::string& value) {
    lines.push_back(dashboard_row(label, value, ds.color));
  };
  row("ID", shown(r.id()));
  row("Org", text(r.org_id()));
  row("Status", status_text(r, st));
  row("Agent", text(r.agent_id()));
  row("From", text(r.from_phone_number()));
  row("Progress", progress_text(r, ds, st));
  row("Pending", r.pending_calls() ? number(r.pending_calls()) + " calls" : none);
  row("Concurrency", r.max_concurrent_calls() ? number(r.max_concurrent_calls()) + " calls at once" : none);
  row("Retries", retry_text(r));
  row("Created", time_text(r.created_at()));
  row("Scheduled", time_text(r.scheduled_at()));
  row("ETA", eta_text(r, ds.avg_call));
  if (auto rl = r.rate_limit()) row("Rate limit", rate_limit_text(*rl, std::chrono::system_clock::now()));
  return lines;
}

namespace {
// Only the duration part of the ETA: the explanation is for the dashboard.
std::string eta_short(const Campaign& r, std::chrono::milliseconds avg_call) {
  std::string eta = eta_text(r, avg_call);
  if (auto cut = eta.find("  ("); cut != std::string::npos) eta.resize(cut);
  return eta;
}
}  // namespace

std::string compact_line(const Campaign& r, std::chrono::milliseconds avg_call) {
  std::string out = shown(r.id());
  out += "  ";
  out += r.status_text() ? shown(*r.status_text()) : std::string(none);
  out += "  " + number(r.completed_calls()) + "/" + number(r.total_leads()) + " leads";
  if (auto p = r.progress()) out += " (" + percent(*p) + ")";
  out += "  pending " + number(r.pending_calls());
  out += "  ETA " + eta_short(r, avg_call);
  return out;
}

std::string list_row(const Campaign& r, std::chrono::milliseconds avg_call) {
  constexpr std::size_t list_bar_width = 12;  // a row stays near 100 columns
  std::string out = r.name() ? shown(*r.name()) : std::string(none);
  out += "  " + shown(r.id()) + "  ";
  out += r.status_text() ? shown(*r.status_text()) : std::string(none);
  if (auto p = r.progress()) out += "  " + bar(*p, list_bar_width, false, Style(false)) + " " + percent(*p);
  out += "  pending " + number(r.pending_calls());
  out += "  ETA " + eta_short(r, avg_call);
  return out;
}

std::string call_row(const CallLog& log) {
  std::string out = shown(log.id()) + "  ";
  out += log.status_text() ? shown(*log.status_text()) : std::string(none);
  auto d = log.duration_seconds();
  out += "  ";
  out += d ? human_duration(std::chrono::seconds(*d)) : std::string(none);
  out += "  " + text(log.end_reason());
  out += "  " + time_text(log.created_at());
  return out;
}

}  // namespace campaign::cli
