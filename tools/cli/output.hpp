// output.hpp: writing to stdout and stderr, with the API key masked.
//
// Every byte the CLI prints goes through here. Text that came from outside
// (server messages, record fields, request IDs, input lines) is masked where
// it is used: the key becomes "***" in error lines (print_error), in the
// string values of JSON output (redact_json_values: field names and
// structure are never touched, so a short key cannot break a line), and in
// the dashboard's values. A server that echoes the key cannot make us print it.
#pragma once

#include <campaign/error.hpp>

#include <mutex>
#include <string>
#include <string_view>

namespace campaign::cli {

// Adds a secret to mask everywhere from now on (call before threads start).
void add_secret(std::string key);
bool contains_secret(std::string_view s);
// The key masked inside every JSON string *value* of json (not in member
// names): for records and NDJSON lines made by campaign::append_json.
void redact_json_values(std::string& json);
// e.describe() with the message and request ID masked.
std::string describe(const Error& e);
// s with every secret masked ("***") by campaign::redact, longest first: raw,
// JSON-escaped or percent-encoded, the secret half of key_id:secret, and a
// short key (under 8 bytes) only as a whole word.
std::string redact(std::string_view s);
void redact_in_place(std::string& s);

// s on one line (campaign::flatten_line): every run of control characters
// (C0, DEL, C1; CR and LF among them) becomes one space, so an error message
// stays one line and cannot drive the terminal.
std::string one_line(std::string_view s);

// Buffered, thread-safe stdout (callers mask what they write). SIGPIPE is ignored by main(); a closed pipe
// (EPIPE) makes broken() true and every later write a no-op, so the command
// can stop quietly.
class StdoutWriter {
 public:
  StdoutWriter() = default;
  StdoutWriter(const StdoutWriter&) = delete;
  StdoutWriter& operator=(const StdoutWriter&) = delete;

  // Appends s; writes out once more than `threshold` bytes wait.
  // Returns false once stdout is unusable.
  bool write(std::string_view s, std::size_t threshold = 64 * 1024);
  bool flush();
  bool broken() const;
  // errno of the first write failure other than EPIPE (0 if none).
  int error() const;

 private:
  bool flush_locked();
  mutable std::mutex mutex_;
  std::string buffer_;
  bool broken_ = false;
  int error_ = 0;
};

// "campaign: <text>\n" on stderr, masked and flattened to one line.
void print_error(std::string_view text);
// Raw bytes on stderr, for progress bars and summaries: only text the CLI
// made itself (nothing from a server). Serialized with print_error.
void write_stderr(std::string_view bytes);

// write(2) all of `data` to fd, retrying on EINTR. errno is kept on failure.
bool write_all(int fd, std::string_view data);

}  // namespace campaign::cli

namespace campaign::cli {
// s with every invalid UTF-8 sequence replaced by U+FFFD, so it can go into
// a JSON string (an input line of a batch may hold any bytes).
std::string valid_utf8(std::string_view s);
// An ID for an error line: as is when valid, else quoted and flattened.
std::string id_label(std::string_view id);
}  // namespace campaign::cli
