// Private: a growable byte buffer that always keeps `padding` readable bytes
// past its end, so a JSON parser can read the body in place (no copy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

namespace campaign::net {

class PaddedBuffer {
 public:
  explicit PaddedBuffer(std::size_t padding) : padding_(padding) {}

  void clear() noexcept { size_ = 0; }
  // Frees the storage when it is larger than `max` (the next reserve starts over).
  void release_if_over(std::size_t max) noexcept {
    if (capacity_ <= max) return;
    data_.reset();
    size_ = capacity_ = 0;
  }
  // Throws std::bad_alloc when the storage cannot be had, also when n plus
  // the padding does not fit in a size_t (a body limit near 2^64 let a
  // Content-Length reach here; the doubling below then wrapped to 0 and
  // looped forever).
  void reserve(std::size_t n) {
    if (n > SIZE_MAX - padding_) throw std::bad_alloc();
    const std::size_t need = n + padding_;
    if (need <= capacity_) return;
    std::size_t cap = capacity_ ? capacity_ : 1024;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    auto next = std::make_unique_for_overwrite<char[]>(cap);
    if (size_) std::memcpy(next.get(), data_.get(), size_);
    data_ = std::move(next);
    capacity_ = cap;
  }
  void append(const void* p, std::size_t n) {
    if (n > SIZE_MAX - size_) throw std::bad_alloc();
    reserve(size_ + n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  // Zeroes the padding (readers may look at it) and returns the data.
  char* seal() noexcept {
    if (!data_) reserve(0);
    std::memset(data_.get() + size_, 0, padding_);
    return data_.get();
  }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, capacity_ = 0, padding_;
};

}  // namespace campaign::net
