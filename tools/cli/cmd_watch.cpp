// campaign watch ID: poll until completed or cancelled, redrawing in place.
#include "client_setup.hpp"
#include "commands.hpp"
#include "dashboard.hpp"
#include "exit_codes.hpp"
#include "terminal.hpp"
#include "text_format.hpp"

#include <campaign/encode.hpp>

#include <unistd.h>

namespace campaign::cli {
namespace {

// Worth polling again: the server or the network may recover.
bool transient(ErrorKind k) {
  switch (k) {
    case ErrorKind::rate_limited:
    case ErrorKind::server_error:
    case ErrorKind::http_error:
    case ErrorKind::timeout:
    case ErrorKind::network: return true;
    default: return false;
  }
}

std::string clock_now_utc() {
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string t = format_rfc3339(now);
  return t.size() == 24 ? t.substr(11, 8) + " UTC" : t;
}

// Redraws the dashboard in place on a terminal.
class Screen {
 public:
  Screen(StdoutWriter& out, DashboardStyle style, std::chrono::milliseconds interval)
      : out_(out), style_(style), interval_(interval) {}

  bool draw(const Campaign& record, const std::string& last_error, bool finished) {
    std::vector<std::string> lines = render_dashboard(record, style_);
    lines.emplace_back();
    std::string updated = clock_now_utc();
    if (!finished) updated += ", every " + seconds_text(interval_) + " (Ctrl-C to stop)";
    lines.push_back(dashboard_row("Updated", updated, style_.color));
    if (!last_error.empty())
      lines.push_back(dashboard_row("Last poll", Style(style_.color).red("failed: " + last_error) +
                                                     " (retrying)", style_.color));
    auto width = static_cast<std::size_t>(terminal_width(STDOUT_FILENO));
    std::string frame;
    if (drawn_ == 0) {
      frame += ansi::hide_cursor;
      cursor_hidden.store(true);
    } else {
      frame += ansi::lines_up(drawn_);
      frame += ansi::clear_below;
    }
    for (const std::string& line : lines) {
      frame += fit_width(line, width > 1 ? width - 1 : width);  // no wrapping: the redraw counts lines
      frame += '\n';
    }
    drawn_ = lines.size();
    return out_.write(frame, 0);
  }

  // Shows the cursor again (the dashboard stays on screen).
  void restore() {
    if (cursor_hidden.exchange(false)) out_.write(ansi::show_cursor, 0);
  }

 private:
  StdoutWriter& out_;
  DashboardStyle style_;
  std::chrono::milliseconds interval_;
  std::size_t drawn_ = 0;
};

}  // namespace

int run_watch(const Settings& s, Interrupts& interrupts, StdoutWriter& out) {
  int code = exit_code::ok;
  auto client = make_client(s, &code);
  if (!client) return code;
  const std::string& id = s.ids.front();

  const bool tty = is_terminal(STDOUT_FILENO);
  const bool json = s.format == Format::json || s.format == Format::ndjson ||
                    (s.format == Format::automatic && !tty);
  const bool redraw = tty && !json;  // else one line per poll
  Screen screen(out, {color_enabled(STDOUT_FILENO), unicode_enabled(STDOUT_FILENO), s.avg_call},
                s.interval);

  interrupts.set_hook([&] { client->cancel_all(); });
  struct ClearHook {
    Interrupts& i;
    ~ClearHook() { i.clear_hook(); }
  } clear_hook{interrupts};

  std::optional<Campaign> last;
  int polls = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    auto result = client->get(id);
    ++polls;
    if (interrupts.triggered()) break;

    if (!result) {
      const Error& e = result.error();
      if (polls == 1 || !transient(e.kind)) {
        screen.restore();
        out.flush();
        print_error(id_label(id) + ": " + describe(e));
        return exit_code_for(e.kind);
      }
      if (redraw && last) {
        screen.draw(*last, one_line(describe(e)), false);
      } else {
        out.flush();
        print_error(id_label(id) + ": " + describe(e) + " (still polling)");
      }
    } else {
      const Campaign& record = *result;
      const bool finished = record.is_finished();
      if (redraw) {
        screen.draw(record, "", finished);
      } else {
        std::string line = json ? to_json(record) : compact_line(record, s.avg_call);
        if (json) redact_json_values(line);
        line += '\n';
        out.write(line, 0);
      }
      last = record;
      if (finished) {
        screen.restore();
        out.flush();
        return out.broken() ? stdout_failure_code(out) : exit_code::ok;
      }
    }
    if (out.broken()) {
      screen.restore();
      return stdout_failure_code(out);
    }
    auto wait = s.interval - std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started);
    if (interrupts.wait_for(std::max(wait, std::chrono::milliseconds(0)))) break;
  }

  // Interrupted: cursor back, and a fresh line after the "^C" the terminal echoed.
  screen.restore();
  if (tty) out.write("\n", 0);
  out.flush();
  return exit_code::interrupted;
}

}  // namespace campaign::cli
