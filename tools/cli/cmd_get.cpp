// campaign get ID [ID ...]: each record as a dashboard or a canonical JSON line.
#include "client_setup.hpp"
#include "commands.hpp"
#include "dashboard.hpp"
#include "exit_codes.hpp"
#include "terminal.hpp"

#include <campaign/encode.hpp>

#include <unistd.h>

namespace campaign::cli {

int run_get(const Settings& s, Interrupts& interrupts, StdoutWriter& out) {
  int code = exit_code::ok;
  auto client = make_client(s, &code);
  if (!client) return code;

  const bool tty = is_terminal(STDOUT_FILENO);
  const bool table = s.format == Format::table || (s.format == Format::automatic && tty);
  const DashboardStyle style{color_enabled(STDOUT_FILENO), unicode_enabled(STDOUT_FILENO), s.avg_call};

  std::atomic<bool> cancel{false};
  interrupts.set_hook([&] {
    cancel.store(true);
    client->cancel_all();
  });
  struct ClearHook {
    Interrupts& i;
    ~ClearHook() { i.clear_hook(); }
  } clear_hook{interrupts};  // before `client` goes, however we leave

  std::size_t next = 0;
  bool first_record = true;
  int first_failure = exit_code::ok;
  BatchOptions options;
  options.concurrency = std::min<std::size_t>(static_cast<std::size_t>(s.concurrency), s.ids.size());
  options.ordered = true;
  options.cancel = &cancel;

  client->get_many(
      [&]() -> std::optional<std::string> {
        if (next < s.ids.size() && !cancel.load()) return s.ids[next++];
        return std::nullopt;
      },
      [&](BatchItem&& item) {
        if (interrupts.triggered()) return false;
        if (item.result) {
          std::string text;
          if (table) {
            if (!first_record) text += '\n';
            for (const std::string& line : render_dashboard(*item.result, style)) {
              text += line;
              text += '\n';
            }
          } else {
            std::string record = to_json(*item.result);
            redact_json_values(record);
            text += record;
            text += '\n';
          }
          first_record = false;
          return out.write(text, tty ? 0 : 64 * 1024);
        }
        const Error& e = item.result.error();
        out.flush();  // keep records and error lines in order on a shared terminal
        print_error(id_label(item.id) + ": " + describe(e));
        if (first_failure == exit_code::ok) first_failure = exit_code_for(e.kind);
        return true;
      },
      options);

  interrupts.clear_hook();
  out.flush();
  if (interrupts.triggered()) return exit_code::interrupted;
  if (out.broken()) return stdout_failure_code(out);
  return first_failure;
}

}  // namespace campaign::cli
