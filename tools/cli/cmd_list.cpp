// campaign list / campaign calls ID: every item of a listing, all pages,
// printed as it arrives (docs/interfaces.md, revision 2).
#include "client_setup.hpp"
#include "commands.hpp"
#include "dashboard.hpp"
#include "exit_codes.hpp"
#include "terminal.hpp"

#include <campaign/encode.hpp>
#include <campaign/listing.hpp>

#include <unistd.h>

namespace campaign::cli {
namespace {

ListOptions list_options(const Settings& s) {
  ListOptions o;
  if (!s.status.empty()) o.status = s.status;
  o.limit = s.page_limit;
  o.max_items = s.max_items;
  return o;
}

// Said on stderr, never silently: the server's data moved while we paged.
void report_drift(const ListSummary& summary) {
  std::string text;
  if (summary.duplicates > 0)
    text = "dropped " + std::to_string(summary.duplicates) + " repeated " +
           (summary.duplicates == 1 ? "ID" : "IDs");
  if (summary.total_changed && summary.first_total && summary.last_total) {
    if (!text.empty()) text += "; ";
    text += "the total changed from " + std::to_string(*summary.first_total) + " to " +
            std::to_string(*summary.last_total) + " while paging";
  }
  if (!text.empty()) print_error("listing: " + text);
}

// Prints every item of `listing` with `line` (the item as one line, without
// its end). Stops at the first failure, after the items before it.
template <class T, class Line>
int print_listing(Listing<T>& listing, Interrupts& interrupts, StdoutWriter& out, Line line) {
  interrupts.set_hook([&] { listing.cancel(); });
  struct ClearHook {
    Interrupts& i;
    ~ClearHook() { i.clear_hook(); }
  } clear_hook{interrupts};
  const std::size_t threshold = is_terminal(STDOUT_FILENO) ? 0 : 64 * 1024;

  int code = exit_code::ok;
  for (;;) {
    auto item = listing.next();
    if (!item) {
      if (interrupts.triggered()) break;
      out.flush();  // the items before the failure come first
      print_error("error: " + describe(item.error()));
      code = exit_code_for(item.error().kind);
      break;
    }
    if (!*item) break;
    std::string text = line(**item);
    text += '\n';
    if (!out.write(text, threshold)) {
      listing.cancel();  // the reader is gone: no more pages
      break;
    }
  }
  interrupts.clear_hook();
  out.flush();
  report_drift(listing.summary());
  if (interrupts.triggered()) return exit_code::interrupted;
  if (out.broken()) return stdout_failure_code(out);
  return code;
}

template <class T>
std::string json_line(const T& item) {
  std::string text = to_json(item);
  redact_json_values(text);
  return text;
}

bool table_format(const Settings& s) {
  return s.format == Format::table || (s.format == Format::automatic && is_terminal(STDOUT_FILENO));
}

}  // namespace

int run_list(const Settings& s, Interrupts& interrupts, StdoutWriter& out) {
  int code = exit_code::ok;
  auto client = make_client(s, &code);
  if (!client) return code;
  auto listing = client->list_campaigns(list_options(s));
  const bool table = table_format(s);
  return print_listing(listing, interrupts, out, [&](const Campaign& c) {
    if (s.ids_only) return one_line(redact(c.id()));
    if (table) return list_row(c, s.avg_call);
    return json_line(c);
  });
}

int run_calls(const Settings& s, Interrupts& interrupts, StdoutWriter& out) {
  int code = exit_code::ok;
  auto client = make_client(s, &code);
  if (!client) return code;
  auto listing = client->calls(s.ids.at(0), list_options(s));
  const bool table = table_format(s);
  return print_listing(listing, interrupts, out, [&](const CallLog& log) {
    return table ? call_row(log) : json_line(log);
  });
}

}  // namespace campaign::cli
