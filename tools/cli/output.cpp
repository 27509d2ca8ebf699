#include "output.hpp"

#include <campaign/encode.hpp>
#include <campaign/redact.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <vector>
#include <unistd.h>

namespace campaign::cli {
namespace {

// Every key to mask, longest first (a key that contains another is masked
// whole). The matching itself is campaign::redact's: raw, JSON-escaped and
// percent-encoded spellings, the secret half of key_id:secret, short keys as
// whole words only.
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}

std::mutex& stderr_mutex() {
  static std::mutex m;
  return m;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at s[i], or -1.
long hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    int d = hex_digit(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// The text a JSON string literal's inside (between the quotes) stands for;
// nullopt when it is not a valid one.
std::optional<std::string> json_unescape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out += in[i];
      continue;
    }
    if (++i >= in.size()) return std::nullopt;
    switch (in[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        long cp = hex4(in, i + 1);
        if (cp < 0) return std::nullopt;
        i += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff) return std::nullopt;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          long low = i + 2 < in.size() && in[i + 1] == '\\' && in[i + 2] == 'u' ? hex4(in, i + 3) : -1;
          if (low < 0xdc00 || low > 0xdfff) return std::nullopt;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

}  // namespace

void add_secret(std::string key) {
  if (key.empty()) return;
  auto& all = secrets();
  if (std::find(all.begin(), all.end(), key) != all.end()) return;
  all.push_back(std::move(key));
  std::stable_sort(all.begin(), all.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

bool contains_secret(std::string_view s) {
  for (const std::string& k : secrets())
    if (campaign::contains_secret(s, k)) return true;
  return false;
}

void redact_in_place(std::string& s) {
  for (const std::string& k : secrets())
    if (campaign::contains_secret(s, k)) s = campaign::redact(s, k);
}

std::string redact(std::string_view s) {
  std::string out(s);
  redact_in_place(out);
  return out;
}

void redact_json_values(std::string& json) {
  if (secrets().empty()) return;
  std::string out;
  bool changed = false;
  std::size_t copied = 0;  // json[0, copied) is in out
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '"') continue;
    std::size_t end = i + 1;  // the closing quote
    while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
    if (end >= json.size()) break;
    std::size_t next = end + 1;
    while (next < json.size() && (json[next] == ' ' || json[next] == '\n')) ++next;
    bool member_name = next < json.size() && json[next] == ':';
    if (!member_name) {
      // The value as text, masked, and written back the way append_json
      // writes strings: masking the escaped form could cut an escape in two
      // (a key "n" in "a\n b" would leave "a\*** b", not JSON any more).
      const std::string_view literal(json.data() + i + 1, end - i - 1);
      std::string masked;
      if (std::optional<std::string> text = json_unescape(literal)) {
        if (contains_secret(*text)) {
          redact_in_place(*text);
          append_json_string(masked, *text);
        }
      } else if (contains_secret(literal)) {  // not from append_json: mask what is there
        masked = '"' + redact(literal) + '"';
      }
      if (!masked.empty()) {
        out.append(json, copied, i - copied);
        out += masked;
        copied = end + 1;
        changed = true;
      }
    }
    i = end;
  }
  if (!changed) return;
  out.append(json, copied, std::string::npos);
  json = std::move(out);
}

std::string describe(const Error& e) {
  if (!contains_secret(e.message) && !contains_secret(e.request_id)) return e.describe();
  Error copy = e;
  redact_in_place(copy.message);
  redact_in_place(copy.request_id);
  return copy.describe();
}

std::string one_line(std::string_view s) { return campaign::flatten_line(s); }

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool StdoutWriter::write(std::string_view s, std::size_t threshold) {
  std::lock_guard lock(mutex_);
  if (broken_) return false;
  buffer_.append(s);
  if (buffer_.size() > threshold) return flush_locked();
  return true;
}

bool StdoutWriter::flush() {
  std::lock_guard lock(mutex_);
  return flush_locked();
}

bool StdoutWriter::flush_locked() {
  if (broken_) return false;
  if (buffer_.empty()) return true;
  bool ok = write_all(STDOUT_FILENO, buffer_);
  buffer_.clear();
  if (!ok) {
    broken_ = true;
    if (errno != EPIPE) error_ = errno;
  }
  return ok;
}

bool StdoutWriter::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

int StdoutWriter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void print_error(std::string_view text) {
  std::string line = "campaign: ";
  line += one_line(redact(text));
  line += '\n';
  std::lock_guard lock(stderr_mutex());
  (void)write_all(STDERR_FILENO, line);
}

void write_stderr(std::string_view bytes) {
  std::lock_guard lock(stderr_mutex());
  (void)write_all(STDERR_FILENO, bytes);
}

}  // namespace campaign::cli

namespace campaign::cli {

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = byte(i);
    std::size_t len = 0;
    std::uint32_t min = 0, cp = 0;
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2, min = 0x80, cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, min = 0x800, cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, min = 0x10000, cp = c & 0x07u;
    }
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((byte(i + k) & 0xc0) != 0x80) ok = false;
      else cp = (cp << 6) | (byte(i + k) & 0x3fu);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

std::string id_label(std::string_view id) {
  bool plain = !id.empty() && id.size() <= 128;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) plain = false;
  }
  if (plain) return std::string(id);
  std::string quoted = "'";  // (built by appending: GCC 12 -O3 warns on "'" + string)
  quoted += one_line(valid_utf8(id));
  quoted += '\'';
  return quoted;
}

}  // namespace campaign::cli
