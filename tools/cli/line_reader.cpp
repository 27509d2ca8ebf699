#include "line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace campaign::cli {

bool is_blank(const std::string& line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f') return false;
  return true;
}

bool LineReader::fill() {
  if (eof_ || error_ != 0) return false;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<std::string> LineReader::next_id() {
  for (;;) {
    // One line: up to '\n' or end of input, keeping at most max_line bytes.
    std::string line;
    bool cut = false, any = false;
    for (;;) {
      std::size_t nl = buffer_.find('\n', pos_);
      std::size_t end = nl == std::string::npos ? buffer_.size() : nl;
      if (end > pos_) any = true;
      std::size_t room = max_line + 1 > line.size() ? max_line + 1 - line.size() : 0;
      std::size_t take = std::min(end - pos_, room);
      line.append(buffer_, pos_, take);
      if (end - pos_ > take) cut = true;
      if (nl != std::string::npos) {
        pos_ = nl + 1;
        any = true;
        break;
      }
      pos_ = buffer_.size();
      if (!fill()) break;
    }
    if (!any) return std::nullopt;  // end of input (or a read error)
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > max_line) {
      line.resize(max_line);
      cut = true;
    }
    if (cut) {
      // Do not leave half a UTF-8 sequence at the cut.
      while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80) line.pop_back();
      if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0) line.pop_back();
      line += "...";
    }
    if (is_blank(line)) continue;
    return line;
  }
}

std::optional<std::size_t> count_ids(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  off_t start = ::lseek(fd, 0, SEEK_CUR);
  if (start < 0) return std::nullopt;
  LineReader reader(fd);
  std::size_t n = 0;
  while (reader.next_id()) ++n;
  if (::lseek(fd, start, SEEK_SET) < 0 || reader.error() != 0) return std::nullopt;
  return n;
}

}  // namespace campaign::cli
