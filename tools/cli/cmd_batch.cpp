// campaign batch [FILE|-]: every ID of the input, one NDJSON line each, in order.
#include "client_setup.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "line_reader.hpp"
#include "progress_bar.hpp"
#include "terminal.hpp"
#include "text_format.hpp"

#include <campaign/encode.hpp>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace campaign::cli {
namespace {

// One output line: {"id":..,"ok":true,"campaign":{..}} or {"id":..,"ok":false,"error":{..}}.
std::string result_line(const BatchItem& item) {
  std::string line;
  line.reserve(512);
  line += "{\"id\":";
  append_json_string(line, valid_utf8(item.id));
  if (item.result) {
    line += ",\"ok\":true,\"campaign\":";
    append_json(line, *item.result);
  } else {
    Error e = item.result.error();
    e.message = valid_utf8(e.message);
    line += ",\"ok\":false,\"error\":";
    append_json(line, e);
  }
  line += '}';
  redact_json_values(line);  // in the ID, the record's strings and the message
  line += '\n';
  return line;
}

std::string summary_line(std::size_t done, std::size_t failed, const std::size_t (&by_kind)[16],
                         double seconds, const ClientStats& stats) {
  const std::uint64_t attempts = stats.attempts;
  std::string s = "batch: " + group_thousands(static_cast<std::int64_t>(done)) + " IDs, " +
                  group_thousands(static_cast<std::int64_t>(done - failed)) + " ok, " +
                  group_thousands(static_cast<std::int64_t>(failed)) + " failed";
  if (failed > 0) {
    std::string kinds;
    for (std::size_t k = 1; k < 16; ++k) {
      if (by_kind[k] == 0) continue;
      if (!kinds.empty()) kinds += ", ";
      kinds += std::string(to_string(static_cast<ErrorKind>(k))) + " " +
               group_thousands(static_cast<std::int64_t>(by_kind[k]));
    }
    s += " (" + kinds + ")";
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f s", seconds);
  s += " in ";
  s += secs;
  if (seconds > 0) {
    auto per_second = [&](double n) {
      std::string r = rate_text(n / seconds);
      return r.substr(0, r.size() - 2);  // without "/s"
    };
    s += " (" + per_second(static_cast<double>(done)) + " IDs/s, " +
         per_second(static_cast<double>(attempts)) + " requests/s)";
  }
  // docs/interfaces.md: the rate limit's share, when the server has one.
  if (stats.rate_limit || stats.responses_429 || stats.rate_limit_waits) {
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.2f s", static_cast<double>(stats.rate_limit_wait_ms) / 1000.0);
    s += "; rate limit: waited ";
    s += waited;
    s += ", " + group_thousands(static_cast<std::int64_t>(stats.responses_429)) + " 429s";
  }
  return s;
}

}  // namespace

int run_batch(const Settings& s, Interrupts& interrupts, StdoutWriter& out) {
  // The input first: a missing file is a usage error, before any connection.
  int fd = STDIN_FILENO;
  // Usage errors name the argument, not what was typed for it (it may be the
  // key, put in the wrong place).
  std::string input_name = "stdin";
  if (s.input != "-") {
    input_name = "FILE";
    fd = ::open(s.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      print_error(std::string("error: batch: cannot open FILE: ") + std::strerror(errno));
      return exit_code::usage;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      print_error("error: batch: FILE is a directory");
      return exit_code::usage;
    }
  }
  struct CloseInput {
    int fd;
    ~CloseInput() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } close_input{fd};

  int code = exit_code::ok;
  auto client = make_client(s, &code);
  if (!client) return code;

  const bool progress = is_terminal(STDERR_FILENO);
  std::optional<std::size_t> total;
  if (progress) total = count_ids(fd);  // regular files only; pipes stay lazy
  LineReader reader(fd);

  std::atomic<bool> cancel{false};
  interrupts.set_hook([&] {
    cancel.store(true);
    client->cancel_all();
  });
  struct ClearHook {
    Interrupts& i;
    ~ClearHook() { i.clear_hook(); }
  } clear_hook{interrupts};  // before `client` goes, however we leave

  std::atomic<std::size_t> done{0}, failed{0};
  std::size_t by_kind[16] = {};
  const auto start = std::chrono::steady_clock::now();

  // Every 100 ms: hand buffered lines to stdout (so a slow trickle of results
  // still streams) and redraw the progress line (at most 10 redraws/s).
  std::mutex tick_mutex;
  std::condition_variable tick_cv;
  bool stop = false;
  BatchProgress bar_state(total, unicode_enabled(STDERR_FILENO), color_enabled(STDERR_FILENO));
  // stdout on the same terminal as the bar: results go out only between a
  // clear and a redraw of the bar, so the two never share a line.
  const bool stdout_tty = progress && is_terminal(STDOUT_FILENO);
  const std::size_t flush_threshold = stdout_tty ? static_cast<std::size_t>(-1) : 64 * 1024;
  if (fd == STDIN_FILENO && is_terminal(STDIN_FILENO))
    write_stderr("campaign: reading IDs from the terminal, one per line (Ctrl-D ends)\n");
  std::thread ticker([&] {
    std::unique_lock lock(tick_mutex);
    while (!tick_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return stop; })) {
      if (!progress) {
        out.flush();
        continue;
      }
      if (stdout_tty) write_stderr(ansi::clear_line);
      out.flush();
      const ClientStats now = client->stats();
      std::string line(ansi::clear_line);
      line += bar_state.render(done.load(), failed.load(),
                               static_cast<std::size_t>(terminal_width(STDERR_FILENO)),
                               {now.rate_limit_waits, now.rate_limit_wait_ms, now.responses_429});
      write_stderr(line);
    }
  });

  BatchOptions options;
  options.concurrency = static_cast<std::size_t>(s.concurrency);
  options.ordered = true;
  options.cancel = &cancel;
  client->get_many(
      [&]() -> std::optional<std::string> {
        if (cancel.load()) return std::nullopt;
        return reader.next_id();
      },
      [&](BatchItem&& item) {
        if (interrupts.triggered()) return false;
        if (!item.result) {
          auto k = static_cast<std::size_t>(item.result.error().kind);
          ++by_kind[k < 16 ? k : 0];
          failed.fetch_add(1);
        }
        done.fetch_add(1);
        return out.write(result_line(item), flush_threshold);
      },
      options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  interrupts.clear_hook();
  {
    std::lock_guard lock(tick_mutex);
    stop = true;
  }
  tick_cv.notify_all();
  ticker.join();
  if (progress) write_stderr(ansi::clear_line);
  out.flush();

  const ClientStats stats = client->stats();
  if (interrupts.triggered()) {
    write_stderr("campaign: batch: interrupted after " +
                 group_thousands(static_cast<std::int64_t>(done.load())) + " IDs\n");
    return exit_code::interrupted;
  }
  if (out.broken()) return stdout_failure_code(out);
  // Our own text only (counts and kind names): not masked, so a short key
  // cannot garble it.
  write_stderr("campaign: " + summary_line(done.load(), failed.load(), by_kind, seconds, stats) + "\n");
  if (reader.error() != 0) {
    print_error("error: reading " + input_name + ": " + std::strerror(reader.error()));
    return exit_code::internal;
  }
  return failed.load() > 0 ? exit_code::batch_failures : exit_code::ok;
}

}  // namespace campaign::cli
