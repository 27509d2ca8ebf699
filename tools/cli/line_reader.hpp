// line_reader.hpp: the IDs of a batch input, read lazily in fixed memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace campaign::cli {

// Reads lines from a file descriptor in 64 KiB chunks. next_id() returns the
// next line that is not blank (whitespace-only counts as blank), without its
// "\n" or "\r\n". A line longer than max_line bytes is cut there and "..."
// appended: it cannot be a valid ID (at most 128 bytes) and stays a result
// (invalid_argument) without unbounded memory.
class LineReader {
 public:
  static constexpr std::size_t max_line = 1024;

  explicit LineReader(int fd) : fd_(fd) {}
  std::optional<std::string> next_id();
  // errno of a read error (0 if none); reading then stopped.
  int error() const { return error_; }

 private:
  bool fill();
  int fd_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  int error_ = 0;
};

// Non-blank lines of a regular file (for the progress bar's total); nullopt
// when fd is not a regular file. Rewinds fd to the start afterwards.
std::optional<std::size_t> count_ids(int fd);

bool is_blank(const std::string& line);

}  // namespace campaign::cli
