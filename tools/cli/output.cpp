#include "output.hpp"

#include <campaign/encode.hpp>

#include <algorithm>
#include <cstdint>
#include <cerrno>
#include <vector>
#include <unistd.h>

namespace campaign::cli {
namespace {

constexpr std::string_view mask = "***";

struct Secret {
  std::string raw;      // the key
  std::string escaped;  // as it appears inside a JSON string, if different
};

std::vector<Secret>& secrets() {
  static std::vector<Secret> s;
  return s;
}

std::mutex& stderr_mutex() {
  static std::mutex m;
  return m;
}

void replace_all(std::string& s, std::string_view what) {
  if (what.empty()) return;
  std::size_t pos = 0;
  while ((pos = s.find(what, pos)) != std::string::npos) {
    s.replace(pos, what.size(), mask);
    pos += mask.size();
  }
}

}  // namespace

void add_secret(std::string key) {
  if (key.empty()) return;
  Secret s;
  s.raw = std::move(key);
  std::string quoted;
  append_json_string(quoted, s.raw);
  std::string_view inner(quoted);
  inner = inner.substr(1, inner.size() - 2);
  if (inner != s.raw) s.escaped = std::string(inner);
  auto& all = secrets();
  for (const Secret& k : all)
    if (k.raw == s.raw) return;
  // Longest first, so a key that contains another is masked whole.
  all.push_back(std::move(s));
  std::sort(all.begin(), all.end(),
            [](const Secret& a, const Secret& b) { return a.raw.size() > b.raw.size(); });
}

bool contains_secret(std::string_view s) {
  for (const Secret& k : secrets()) {
    if (s.find(k.raw) != std::string_view::npos) return true;
    if (!k.escaped.empty() && s.find(k.escaped) != std::string_view::npos) return true;
  }
  return false;
}

void redact_in_place(std::string& s) {
  for (const Secret& k : secrets()) {
    replace_all(s, k.raw);
    replace_all(s, k.escaped);
  }
}

std::string redact(std::string_view s) {
  std::string out(s);
  if (contains_secret(s)) redact_in_place(out);
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
      std::string value = json.substr(i + 1, end - i - 1);
      bool hit = false;
      for (const Secret& k : secrets()) {
        const std::string& form = k.escaped.empty() ? k.raw : k.escaped;
        if (value.find(form) != std::string::npos) {
          replace_all(value, form);
          hit = true;
        }
      }
      if (hit) {
        out.append(json, copied, i + 1 - copied);
        out += value;
        copied = end;
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

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      out += ' ';
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      out += ' ';  // a C1 control character (U+0080..U+009F), e.g. CSI
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

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
