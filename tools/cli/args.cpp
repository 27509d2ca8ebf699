#include "args.hpp"

#include "exit_codes.hpp"
#include "output.hpp"

#include <campaign/listing.hpp>
#include <campaign/redact.hpp>
#include <campaign/version.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include <unistd.h>

namespace campaign::cli {
namespace {

// A usage error with a message meant for the user (exit 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The common options; each app (the top level and every command) gets its
// own copy, so they work before or after the command. After wins.
struct Common {
  std::string base_url, api_key, timeout, retries, concurrency, ca_file, format;
  CLI::Option *o_base_url = nullptr, *o_api_key = nullptr, *o_timeout = nullptr,
              *o_retries = nullptr, *o_concurrency = nullptr, *o_ca_file = nullptr,
              *o_format = nullptr, *o_verbose = nullptr, *o_no_rate_limit_gate = nullptr;
};

void add_common(CLI::App& app, Common& c) {
  const char* g = "Common options (before or after the command)";
  c.o_base_url = app.add_option("--base-url", c.base_url,
                                "API base URL with version prefix, e.g. https://api.example.com/v1 "
                                "(else $CAMPAIGN_BASE_URL)")
                     ->type_name("URL")
                     ->group(g);
  c.o_api_key = app.add_option("--api-key", c.api_key,
                               "API key, sent as a Bearer token (else $CAMPAIGN_API_KEY; prefer the "
                               "variable: arguments are visible to other users). Never printed")
                    ->type_name("KEY")
                    ->group(g);
  c.o_timeout = app.add_option("--timeout", c.timeout,
                               "Deadline of each attempt, connect to last body byte, fractional "
                               "allowed (default 30)")
                    ->type_name("SECONDS")
                    ->group(g);
  c.o_retries = app.add_option("--retries", c.retries,
                               "Retries after the first try on 408/429/5xx, timeouts and network "
                               "errors (default 2, 0 disables)")
                    ->type_name("N")
                    ->group(g);
  c.o_concurrency = app.add_option("--concurrency", c.concurrency,
                                   "Requests in flight at once for batch and multi-ID get (default 32)")
                        ->type_name("N")
                        ->group(g);
  c.o_ca_file = app.add_option("--ca-file", c.ca_file,
                               "PEM file of CA certificates to trust instead of the system store")
                    ->type_name("PATH")
                    ->group(g);
  c.o_format = app.add_option("--format", c.format,
                              "json | table | ndjson. get/watch: table on a terminal, else json (one "
                              "canonical record per line); batch: always ndjson")
                   ->type_name("FORMAT")
                   ->group(g);
  c.o_no_rate_limit_gate =
      app.add_flag("--no-rate-limit-gate")
          ->description("Send every request at once instead of waiting for the API key's rate-limit "
                        "window (X-RateLimit-* headers); the 429s are then retried like any other")
          ->group(g);
  c.o_verbose = app.add_flag("-v,--verbose")
                    ->description("Log requests, retries and connections on stderr (key masked)")
                    ->group(g);
}

// A command with its help footer and its own copy of the common options.
CLI::App* add_command(CLI::App& app, const char* name, const char* description, const char* footer,
                      Common& common) {
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->footer(footer);
  add_common(*cmd, common);
  return cmd;
}

template <class T>
const T& pick(const CLI::Option* after, const T& after_value, const T& before_value) {
  return after != nullptr && after->count() > 0 ? after_value : before_value;
}

double parse_number(std::string_view option, const std::string& text) {
  double v = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(v))
    throw UsageError(std::string(option) + ": expected a number");
  return v;
}

std::chrono::milliseconds parse_seconds(std::string_view option, const std::string& text,
                                        bool allow_zero) {
  double v = parse_number(option, text);
  if (v < 0 || (!allow_zero && v <= 0))
    throw UsageError(std::string(option) + ": expected a " + (allow_zero ? "non-negative" : "positive") +
                     " number of seconds");
  if (v > 31536000.0) throw UsageError(std::string(option) + ": at most 31536000 seconds (a year)");
  auto ms = static_cast<std::int64_t>(std::llround(v * 1000.0));
  if (!allow_zero && ms < 1) ms = 1;
  return std::chrono::milliseconds(ms);
}

int parse_int(std::string_view option, const std::string& text, int min, int max) {
  int v = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (text.empty() || ec != std::errc() || ptr != last || v < min || v > max)
    throw UsageError(std::string(option) + ": expected an integer from " + std::to_string(min) + " to " +
                     std::to_string(max));
  return v;
}

Format parse_format(const std::string& text) {
  if (text == "json") return Format::json;
  if (text == "table") return Format::table;
  if (text == "ndjson") return Format::ndjson;
  throw UsageError("--format: expected json, table or ndjson");
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

// Masks, for usage errors, every key the user may have typed: the variable's,
// and the value after --api-key (or in --api-key=...), even when the rest of
// the command line does not parse.
void mask_keys_in_argv(int argc, char** argv) {
  add_secret(env("CAMPAIGN_API_KEY"));
  for (int i = 1; i < argc; ++i) {
    std::string_view a(argv[i]);
    if (a == "--api-key" && i + 1 < argc) add_secret(argv[i + 1]);
    constexpr std::string_view prefix = "--api-key=";
    if (a.substr(0, prefix.size()) == prefix) add_secret(std::string(a.substr(prefix.size())));
  }
}

// --- Usage errors without what the user typed -------------------------------
//
// A mistyped option next to the key (`--apikey KEY`, `--api_key KEY`) makes
// the parser quote the key back. So a parse error never shows a value typed
// on the command line: unexpected arguments are counted, and only those that
// look like option names are named (`--name=VALUE` as `--name=***`); any
// other parser message has every typed value that is not a name masked.

// Every option and command name the parser knows ("--base-url", "-v", "get").
std::vector<std::string> known_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& n : o->get_snames()) names.push_back("-" + n);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    for (std::string& n : known_names(*sub)) names.push_back(std::move(n));
  }
  names.emplace_back("--");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool is_known(const std::vector<std::string>& names, std::string_view t) {
  return std::binary_search(names.begin(), names.end(), t, std::less<>());
}

// "-x" or "--some-name": what an option name looks like (a value rarely does).
bool option_like(std::string_view t) {
  if (t.size() < 2 || t.size() > 40 || t[0] != '-' || t == "--") return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The known long option closest to a mistyped one, if one is close.
std::string suggestion(const std::vector<std::string>& names, std::string_view typed) {
  std::string best;
  std::size_t best_distance = 3;  // at most 2 edits: --apikey, --api_key, --api-kye
  for (const std::string& n : names) {
    if (n.size() < 3 || n.substr(0, 2) != "--") continue;
    std::size_t d = edit_distance(typed, n);
    if (d < best_distance) best_distance = d, best = n;
  }
  return best;
}

// "2 unexpected arguments: --apikey (did you mean --api-key?) and 1 value (not shown)"
std::string unexpected_arguments(const std::vector<std::string>& extras, const std::vector<std::string>& names) {
  std::vector<std::string> shown;
  std::size_t hidden = 0;
  for (const std::string& t : extras) {
    std::string_view token(t), name = token.substr(0, token.find('='));
    if (!option_like(name) || contains_secret(name)) {
      ++hidden;
      continue;
    }
    std::string item(name);
    if (name.size() < token.size()) item += "=***";
    if (std::string near = suggestion(names, name); !near.empty() && near != name)
      item += " (did you mean " + near + "?)";
    shown.push_back(std::move(item));
  }
  std::size_t n = extras.size();
  std::string text = n == 0 ? std::string("unexpected arguments")
                            : std::to_string(n) + (n == 1 ? " unexpected argument" : " unexpected arguments");
  if (shown.empty()) return hidden > 0 ? text + " (not shown)" : text;
  std::string sep = ": ";
  for (const std::string& item : shown) text += sep + item, sep = ", ";
  if (hidden > 0) text += " and " + std::to_string(hidden) + (hidden == 1 ? " value" : " values") + " (not shown)";
  return text;
}

// A parser message with every typed token that is not a known name (and the
// VALUE of each --name=VALUE) masked, longest first.
std::string without_typed_values(std::string message, int argc, char** argv,
                                 const std::vector<std::string>& names) {
  std::vector<std::string_view> typed;
  for (int i = 1; i < argc; ++i) {
    std::string_view t(argv[i]);
    if (t.empty() || is_known(names, t)) continue;
    typed.push_back(t);
    if (auto eq = t.find('='); t[0] == '-' && eq != std::string_view::npos && eq + 1 < t.size())
      typed.push_back(t.substr(eq + 1));
  }
  std::sort(typed.begin(), typed.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  for (std::string_view t : typed) message = campaign::redact(message, t);
  return message;
}

std::string parse_error_text(const CLI::ParseError& e, CLI::App& app, int argc, char** argv) {
  const std::vector<std::string> names = known_names(app);
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr)
    return unexpected_arguments(app.remaining(true), names);
  return without_typed_values(e.what(), argc, argv, names);
}

const char* main_footer = R"(Examples:
  export CAMPAIGN_BASE_URL=https://api.example.com/v1 CAMPAIGN_API_KEY=...
  campaign get cmp_xyz789                      # dashboard (terminal) or JSON (pipe)
  campaign get cmp_a cmp_b --format json       # one canonical record per line
  campaign batch ids.txt --concurrency 64 > results.ndjson
  campaign watch cmp_xyz789 --interval 5
  campaign list --status running --ids | campaign batch
  campaign calls cmp_xyz789 --max 50

Exit codes:
  0 success   1 internal error   2 usage error, bad ID, missing URL or key
  3 not_found   4 unauthorized/forbidden   5 rate_limited/server_error/http_error
  6 timeout/network/tls   7 invalid_response/too_large   9 batch: some ID failed
  130 interrupted (Ctrl-C)

Environment: CAMPAIGN_BASE_URL, CAMPAIGN_API_KEY, NO_COLOR (no ANSI colour).
Run 'campaign COMMAND --help' for the options of a command.)";

const char* get_footer = R"(Each success prints its record, each failure one error line on stderr;
the exit code is that of the first failure.

--format table shows the dashboard: name, ID, status, agent, from-number, a
progress bar of completed/total leads, pending calls, concurrency, retry
policy, created and scheduled times, and the ETA of the pending calls at the
current concurrency: ceil(pending / concurrency) x --avg-call-seconds.
--format json prints the canonical record (exactly the fields of the API, in
order, absent ones as null), one compact object per line.

Examples:
  campaign get cmp_xyz789
  campaign get cmp_xyz789 --format table --avg-call-seconds 240
  campaign get cmp_a cmp_b cmp_c --format json | jq .status
  campaign --base-url http://127.0.0.1:8080/v1 get cmp_000042)";

const char* batch_footer = R"(Reads IDs one per line (FILE, or stdin when FILE is absent or -), lazily:
memory stays bounded for any input size. CRLF line ends are stripped; blank
and whitespace-only lines are skipped; every other line gives exactly one
NDJSON line on stdout, in input order:
  {"id":"cmp_a","ok":true,"campaign":{...canonical record...}}
  {"id":"cmp_b","ok":false,"error":{"kind":"not_found","http_status":404,"message":"..."}}
http_status is null when no response came; an invalid ID is a result too
(kind invalid_argument). A progress bar (rate, ETA) goes to stderr when
stderr is a terminal; a summary line always ends on stderr.
Exit code: 0 if every ID succeeded, 9 if any failed (details in its line).

Examples:
  campaign batch ids.txt > results.ndjson
  seq -f 'cmp_%06g' 0 99999 | campaign batch --concurrency 64 | jq -c 'select(.ok|not)'
  campaign batch - < ids.txt | head)";

const char* watch_footer = R"(Polls every --interval seconds and redraws the dashboard in place (on a
terminal) until the status is completed or cancelled, then exits 0. Without
a terminal (or with --format json) it prints one compact line per poll
instead: the canonical JSON record, or with --format table a one-line
summary. Transient errors after the first poll (429, 5xx, timeouts, network)
are shown and polling goes on; others end the watch with their exit code.
Ctrl-C restores the terminal and exits 130.

Examples:
  campaign watch cmp_xyz789
  campaign watch cmp_xyz789 --interval 0.5 --avg-call-seconds 120
  campaign watch cmp_xyz789 --format json | jq -c '{status,pending_calls}')";

const char* list_footer = R"(Pages through GET /campaigns (newest first) and prints every campaign once,
as it arrives: with --format json or ndjson (the default off a terminal) one
canonical record per line, with --format table one row per campaign (name,
status, progress, pending, ETA), with --ids only the IDs, one per line.
Every page carries the same --status and --limit. A listing that fails
part-way has printed every campaign before the failure, then exits with the
failure's code. Repeated IDs dropped and a total that changed while paging
are reported on stderr.

Examples:
  campaign list --format table
  campaign list --status paused --ids
  campaign list --status running --ids | campaign batch > running.ndjson
  campaign list --max 10 | jq -r .name)";

const char* calls_footer = R"(Pages through GET /call-logs/campaign/ID and prints every call log once:
one canonical JSON object per line (the default off a terminal), or with
--format table one row per call (ID, status, duration, end reason, time).
A listing that fails part-way has printed every call log before the
failure, then exits with the failure's code.

Examples:
  campaign calls cmp_xyz789 > calls.ndjson
  campaign calls cmp_xyz789 --format table --max 20
  campaign calls cmp_xyz789 | jq -c 'select(.status == "completed")')";

}  // namespace

ParsedArgs parse_args(int argc, char** argv) {
  mask_keys_in_argv(argc, argv);

  CLI::App app("campaign: fetch and decode calling-campaign records from the Campaigns API.",
               "campaign");
  app.footer(main_footer);
  app.get_formatter()->column_width(34);
  app.set_version_flag("--version", std::string("campaign ") + CAMPAIGN_VERSION_STRING +
                                        " (library " + campaign::version() + ")");
  app.fallthrough();
  // An option given twice in one place: the last one counts (like most tools).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  Common top;
  add_common(app, top);

  Settings s;

  Common c_get;
  auto* get = add_command(app, "get", "ID [ID ...]: fetch campaigns, print each (a dashboard on a terminal)", get_footer, c_get);
  std::vector<std::string> get_ids;
  get->add_option("ID", get_ids, "Campaign IDs, e.g. cmp_xyz789")->required();
  std::string get_avg = "180";
  get->add_option("--avg-call-seconds", get_avg,
                  "Average call duration for the ETA in the table (default 180)")
      ->type_name("SECONDS");

  Common c_batch;
  auto* batch = add_command(app, "batch", "[FILE|-]: fetch every ID listed one per line, stream NDJSON in input order", batch_footer, c_batch);
  std::string batch_input = "-";
  batch->add_option("FILE", batch_input, "File of IDs, one per line; - or absent: stdin");

  Common c_watch;
  auto* watch = add_command(app, "watch", "ID: poll one campaign, redraw its progress until it ends", watch_footer, c_watch);
  std::string watch_id;
  watch->add_option("ID", watch_id, "Campaign ID, e.g. cmp_xyz789")->required();
  std::string watch_avg = "180";
  watch->add_option("--avg-call-seconds", watch_avg,
                    "Average call duration for the ETA (default 180)")
      ->type_name("SECONDS");
  std::string watch_interval = "2";
  watch->add_option("--interval", watch_interval, "Seconds between polls, fractional allowed (default 2)")
      ->type_name("SECONDS");

  // list and calls: a listing's paging options.
  std::string list_limit, list_max, calls_limit, calls_max, list_status;
  bool list_ids = false;
  auto add_paging = [](CLI::App& cmd, std::string& limit, std::string& max, std::uint32_t most) {
    cmd.add_option("--limit", limit,
                   "Page size sent to the server (default and most: " + std::to_string(most) + ")")
        ->type_name("N");
    cmd.add_option("--max", max, "Print at most N items, then stop paging")->type_name("N");
  };
  Common c_list;
  auto* list = add_command(app, "list", "every campaign on the workspace, all pages", list_footer, c_list);
  list->add_option("--status", list_status, "Only campaigns of this status, e.g. running, paused")
      ->type_name("STATUS");
  add_paging(*list, list_limit, list_max, kMaxCampaignPageLimit);
  list->add_flag("--ids", list_ids, "Print only the IDs, one per line (for campaign batch)");

  Common c_calls;
  auto* calls = add_command(app, "calls", "ID: the call logs of one campaign, all pages", calls_footer, c_calls);
  std::string calls_id;
  calls->add_option("ID", calls_id, "Campaign ID, e.g. cmp_xyz789")->required();
  add_paging(*calls, calls_limit, calls_max, kMaxCallLogPageLimit);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help() << std::flush;
    return {std::nullopt, exit_code::ok};
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All) << std::flush;
    return {std::nullopt, exit_code::ok};
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << '\n' << std::flush;
    return {std::nullopt, exit_code::ok};
  } catch (const CLI::ParseError& e) {
    print_error("error: " + parse_error_text(e, app, argc, argv) + " (try --help)");
    return {std::nullopt, exit_code::usage};
  }

  const Common* sub = nullptr;
  if (get->parsed()) {
    s.command = Command::get;
    s.ids = get_ids;
    sub = &c_get;
  } else if (batch->parsed()) {
    s.command = Command::batch;
    s.input = batch_input;
    sub = &c_batch;
  } else if (watch->parsed()) {
    s.command = Command::watch;
    s.ids = {watch_id};
    sub = &c_watch;
  } else if (list->parsed()) {
    s.command = Command::list;
    sub = &c_list;
  } else if (calls->parsed()) {
    s.command = Command::calls;
    s.ids = {calls_id};
    sub = &c_calls;
  } else {
    print_error("error: a command is required: get, batch, watch, list or calls (try --help)");
    return {std::nullopt, exit_code::usage};
  }

  try {
    const Common& c = *sub;
    s.base_url = pick(c.o_base_url, c.base_url, top.base_url);
    s.api_key = pick(c.o_api_key, c.api_key, top.api_key);
    bool given_base_url = c.o_base_url->count() + top.o_base_url->count() > 0;
    bool given_api_key = c.o_api_key->count() + top.o_api_key->count() > 0;
    if (!given_base_url) s.base_url = env("CAMPAIGN_BASE_URL");
    if (!given_api_key) s.api_key = env("CAMPAIGN_API_KEY");

    if (c.o_timeout->count() + top.o_timeout->count() > 0)
      s.timeout = parse_seconds("--timeout", pick(c.o_timeout, c.timeout, top.timeout), false);
    if (c.o_retries->count() + top.o_retries->count() > 0)
      s.retries = parse_int("--retries", pick(c.o_retries, c.retries, top.retries), 0, 100);
    if (c.o_concurrency->count() + top.o_concurrency->count() > 0)
      s.concurrency = parse_int("--concurrency", pick(c.o_concurrency, c.concurrency, top.concurrency), 1, 4096);
    if (c.o_ca_file->count() + top.o_ca_file->count() > 0) {
      s.ca_file = pick(c.o_ca_file, c.ca_file, top.ca_file);
      if (s.ca_file.empty()) throw UsageError("--ca-file: empty path");
      if (::access(s.ca_file.c_str(), R_OK) != 0)
        throw UsageError(std::string("--ca-file: cannot read the file: ") + std::strerror(errno));
    }
    if (c.o_format->count() + top.o_format->count() > 0)
      s.format = parse_format(pick(c.o_format, c.format, top.format));
    s.verbose = c.o_verbose->count() + top.o_verbose->count() > 0;
    s.rate_limit_gate = c.o_no_rate_limit_gate->count() + top.o_no_rate_limit_gate->count() == 0;

    if (s.command == Command::get) s.avg_call = parse_seconds("--avg-call-seconds", get_avg, true);
    if (s.command == Command::watch) {
      s.avg_call = parse_seconds("--avg-call-seconds", watch_avg, true);
      s.interval = parse_seconds("--interval", watch_interval, false);
    }
    if (s.command == Command::list || s.command == Command::calls) {
      const bool is_list = s.command == Command::list;
      const std::string& limit = is_list ? list_limit : calls_limit;
      const std::string& max = is_list ? list_max : calls_max;
      const int most = static_cast<int>(is_list ? kMaxCampaignPageLimit : kMaxCallLogPageLimit);
      if (!limit.empty()) s.page_limit = static_cast<unsigned>(parse_int("--limit", limit, 1, most));
      if (!max.empty()) s.max_items = static_cast<std::uint64_t>(parse_int("--max", max, 1, 1'000'000'000));
      if (is_list) {
        s.status = list_status;
        s.ids_only = list_ids;
        if (list->get_option("--status")->count() > 0 && s.status.empty())
          throw UsageError("--status: expected a status, e.g. running");
      }
    }
    if (s.command == Command::batch && s.format == Format::table)
      throw UsageError("batch: --format table is not available; batch prints NDJSON");

    if (s.base_url.empty())
      throw UsageError("no base URL: pass --base-url URL or set CAMPAIGN_BASE_URL");
    if (s.api_key.empty())
      throw UsageError("no API key: pass --api-key KEY or set CAMPAIGN_API_KEY");
  } catch (const UsageError& e) {
    print_error(std::string("error: ") + e.what());
    return {std::nullopt, exit_code::usage};
  }
  add_secret(s.api_key);
  return {std::move(s), exit_code::ok};
}

}  // namespace campaign::cli
