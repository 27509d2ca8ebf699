// The redaction rule of campaign/redact.hpp: one matcher that accepts each
// key byte in any of the spellings a server may echo it in.
#include <campaign/redact.hpp>

#include <algorithm>
#include <optional>

namespace campaign {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of the `digits` hex digits at t[i], or -1.
int hex_at(std::string_view t, std::size_t i, std::size_t digits) noexcept {
  if (i + digits > t.size()) return -1;
  int v = 0;
  for (std::size_t k = 0; k < digits; ++k) {
    int d = hex_value(t[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// The ends of every spelling of the byte c that starts at t[i] (at most
// two: a backslash or a percent sign may be the byte itself or the start
// of an escape): c itself, \u00XX, \/, \", \\ (JSON) or %XX (a URL).
struct Ends {
  std::size_t at[2];
  int n = 0;
  void add(std::size_t e) noexcept { at[n++] = e; }
};

Ends spellings(std::string_view t, std::size_t i, unsigned char c) noexcept {
  Ends out;
  const auto b = static_cast<unsigned char>(t[i]);
  if (b == c) out.add(i + 1);
  if (b == '%' && hex_at(t, i + 1, 2) == c) out.add(i + 3);
  else if (b == '\\' && i + 1 < t.size()) {
    const char next = t[i + 1];
    if ((c == '/' || c == '"' || c == '\\') && next == static_cast<char>(c)) out.add(i + 2);
    // \u escapes name code points: only ASCII ones are one byte of the key.
    else if (next == 'u' && c < 0x80 && hex_at(t, i + 2, 4) == c) out.add(i + 6);
  }
  return out;
}

// The furthest end of a spelling of `key` that starts at t[i], if any.
// Breadth-first over the positions each key byte can reach, so a key full
// of backslashes costs linear time, not a search over every split.
std::optional<std::size_t> match_at(std::string_view t, std::size_t i, std::string_view key) noexcept {
  // Each byte adds at most 5 to the span of reachable ends: a handful of
  // positions at a time, kept sorted and unique in a small array.
  constexpr std::size_t max_live = 64;
  std::size_t live[max_live], next[max_live];
  std::size_t n_live = 1, n_next = 0;
  live[0] = i;
  for (const char k : key) {
    n_next = 0;
    for (std::size_t p = 0; p < n_live; ++p) {
      if (live[p] >= t.size()) continue;
      Ends e = spellings(t, live[p], static_cast<unsigned char>(k));
      for (int j = 0; j < e.n; ++j) {
        bool seen = false;
        for (std::size_t q = 0; q < n_next; ++q) seen = seen || next[q] == e.at[j];
        if (!seen && n_next < max_live) next[n_next++] = e.at[j];
      }
    }
    if (n_next == 0) return std::nullopt;
    std::copy(next, next + n_next, live);
    n_live = n_next;
  }
  return *std::max_element(live, live + n_live);
}

bool word_byte(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// The strings to mask for `key`, longest first: the key, and the secret half
// of key_id:secret.
struct Forms {
  std::string_view whole, secret;
};

Forms forms_of(std::string_view key) noexcept {
  Forms f{key, {}};
  // A short secret half is still masked, as a whole word (hit_at).
  if (auto colon = key.find(':'); colon != std::string_view::npos) f.secret = key.substr(colon + 1);
  return f;
}

// The end of a maskable occurrence at t[i], if one starts there.
std::optional<std::size_t> hit_at(std::string_view t, std::size_t i, const Forms& f) noexcept {
  for (std::string_view form : {f.whole, f.secret}) {
    if (form.empty()) continue;
    auto end = match_at(t, i, form);
    if (!end) continue;
    if (form.size() < redact_word_only_below &&
        ((i > 0 && word_byte(t[i - 1])) || (*end < t.size() && word_byte(t[*end]))))
      continue;
    return end;
  }
  return std::nullopt;
}

}  // namespace

std::string redact(std::string_view text, std::string_view key) {
  std::string out;
  if (key.empty() || !contains_secret(text, key)) return out.assign(text);
  const Forms f = forms_of(key);
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (auto end = hit_at(text, i, f)) {
      out.append(redacted_mark);
      i = *end;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

bool contains_secret(std::string_view text, std::string_view key) noexcept {
  if (key.empty()) return false;
  const Forms f = forms_of(key);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (hit_at(text, i, f)) return true;
  return false;
}

std::string flatten_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_run = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t control = 0;  // bytes of the control character at i
    if (c < 0x20 || c == 0x7f) control = 1;
    else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
             static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      control = 2;  // U+0080..U+009F: C1, CSI among them
    if (control) {
      if (!in_run) out.push_back(' ');
      in_run = true;
      i += control - 1;
    } else {
      out.push_back(static_cast<char>(c));
      in_run = false;
    }
  }
  return out;
}

}  // namespace campaign
