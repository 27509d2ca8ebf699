// The decode benchmark's corpus: varied campaign records, deterministic from
// the index (the ideas of tests/unit/corpus.cpp, kept here on purpose so the
// benchmark does not move when the tests change).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace campaign::bench {

// One record: every status (and an unknown one), absent and null fields,
// unknown fields nested to some depth, short and long names, escapes,
// \u sequences with surrogate pairs, raw UTF-8, other field orders and
// spacing, timestamps with offsets and fractions.
std::string generate_record(std::uint64_t i);

// n records laid out back to back, each followed by `padding` zero bytes so
// that simdjson (and decode_padded) can read past its end.
struct Corpus {
  std::vector<char> bytes;
  std::vector<std::size_t> offset, size;
  std::size_t padding = 0;
  std::size_t json_bytes = 0;  // sum of size (padding excluded)

  std::size_t count() const { return size.size(); }
  const char* data(std::size_t i) const { return bytes.data() + offset[i]; }
};
Corpus make_corpus(std::size_t n, std::size_t padding);

}  // namespace campaign::bench
