// Fixture files are split structurally, not parsed and re-serialized, so each
// record reaches clients byte for byte (5.0 stays 5.0, 1e400 stays 1e400).
#include "campaign_mock/fixtures.hpp"

#include <stdexcept>
#include <string>

#include "campaign_mock/server.hpp"

namespace campaign::mock {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}

// End of the JSON value that starts at t[i] (one past its last byte).
std::size_t value_end(std::string_view t, std::size_t i) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t k = i; k < t.size(); ++k) {
    char c = t[k];
    if (in_string) {
      if (c == '\\')
        ++k;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return k + 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (depth == 0) return k;  // ends a bare scalar
        if (--depth == 0) return k + 1;
        break;
      default:
        // A bare scalar ends at a delimiter.
        if (depth == 0 && (is_space(c) || c == ',')) return k;
    }
  }
  if (in_string || depth != 0) throw std::invalid_argument("fixtures: unexpected end of file inside a value");
  return t.size();
}

std::string_view next_value(std::string_view t, std::size_t i) {
  if (i >= t.size()) throw std::invalid_argument("fixtures: unexpected end of file");
  std::size_t end = value_end(t, i);
  if (end == i) throw std::invalid_argument("fixtures: unexpected '" + std::string(1, t[i]) + "'");
  return t.substr(i, end - i);
}

}  // namespace

std::vector<std::string_view> split_fixtures(std::string_view t) {
  std::vector<std::string_view> out;
  if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
  std::size_t i = skip_space(t, 0);
  if (i < t.size() && t[i] == '[') {  // a JSON array of records
    i = skip_space(t, i + 1);
    if (i < t.size() && t[i] == ']') return out;
    for (;;) {
      out.push_back(next_value(t, i));
      i = skip_space(t, i + out.back().size());
      if (i < t.size() && t[i] == ',') {
        i = skip_space(t, i + 1);
        continue;
      }
      if (i < t.size() && t[i] == ']') break;
      throw std::invalid_argument("fixtures: expected ',' or ']' after record " + std::to_string(out.size()));
    }
    if (skip_space(t, i + 1) != t.size()) throw std::invalid_argument("fixtures: text after the array");
    return out;
  }
  // NDJSON, or any whitespace-separated sequence of objects.
  while (i < t.size()) {
    out.push_back(next_value(t, i));
    i = skip_space(t, i + out.back().size());
  }
  return out;
}

std::size_t load_fixtures(Server& server, std::string_view text) {
  auto records = split_fixtures(text);
  for (std::size_t k = 0; k < records.size(); ++k) {
    try {
      server.add_record(std::string(records[k]));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("fixtures: record " + std::to_string(k + 1) + ": " + e.what());
    }
  }
  return records.size();
}

}  // namespace campaign::mock
