// gui/data/ring_buffer.hpp — fixed-capacity ring buffer: a live time series keeps its newest
// `capacity` samples, and appending is O(1) with no allocation once full. Results folders load
// into the same structure (capacity large enough to hold the whole run).
#pragma once

#include <cstddef>
#include <vector>

namespace edgetwin::gui {

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity = 1 << 22) : capacity_(capacity == 0 ? 1 : capacity) {}

  void push_back(const T& v) {
    if (items_.size() < capacity_) {
      items_.push_back(v);
    } else {
      items_[head_] = v;
      head_ = (head_ + 1) % capacity_;
    }
  }
  /// Logical index 0 is the oldest sample kept.
  const T& operator[](std::size_t i) const { return items_[(head_ + i) % items_.size()]; }
  T& operator[](std::size_t i) { return items_[(head_ + i) % items_.size()]; }
  const T& back() const { return (*this)[items_.size() - 1]; }
  const T& front() const { return (*this)[0]; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::size_t capacity() const { return capacity_; }
  bool full() const { return items_.size() == capacity_; }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  void reserve(std::size_t n) { items_.reserve(n < capacity_ ? n : capacity_); }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
  std::size_t capacity_;
};

}  // namespace edgetwin::gui
