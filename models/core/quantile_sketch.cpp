// models/core/quantile_sketch.cpp — logarithmic-bucket quantile sketch (see the header).
#include "models/core/quantile_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace edgetwin::models {

QuantileSketch::QuantileSketch(double relative_accuracy, double min_value)
    : alpha_(relative_accuracy), min_value_(min_value) {
  if (!(relative_accuracy > 0.0 && relative_accuracy < 1.0))
    throw std::invalid_argument("QuantileSketch: relative accuracy must be in (0, 1)");
  gamma_ = (1.0 + alpha_) / (1.0 - alpha_);
  log_gamma_ = std::log(gamma_);
}

int QuantileSketch::index_of(double value) const {
  return static_cast<int>(std::ceil(std::log(value) / log_gamma_));
}

double QuantileSketch::value_of(int index) const { return 2.0 * std::pow(gamma_, index) / (gamma_ + 1.0); }

void QuantileSketch::add(double value, std::uint64_t count) {
  if (count == 0 || std::isnan(value)) return;
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  count_ += count;
  sum_ += value * static_cast<double>(count);
  if (value <= min_value_) {
    zero_count_ += count;
    return;
  }
  const int idx = index_of(value);
  if (buckets_.empty()) {
    offset_ = idx;
    buckets_.assign(1, 0);
  } else if (idx < offset_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - idx), 0);
    offset_ = idx;
  } else if (idx - offset_ >= static_cast<int>(buckets_.size())) {
    buckets_.resize(static_cast<std::size_t>(idx - offset_ + 1), 0);
  }
  buckets_[static_cast<std::size_t>(idx - offset_)] += count;
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.alpha_ != alpha_ || other.min_value_ != min_value_)
    throw std::invalid_argument("QuantileSketch: merging sketches of different accuracy");
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
  zero_count_ += other.zero_count_;
  for (std::size_t j = 0; j < other.buckets_.size(); ++j) {
    if (other.buckets_[j] == 0) continue;
    const int idx = other.offset_ + static_cast<int>(j);
    if (buckets_.empty()) {
      offset_ = idx;
      buckets_.assign(1, 0);
    } else if (idx < offset_) {
      buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - idx), 0);
      offset_ = idx;
    } else if (idx - offset_ >= static_cast<int>(buckets_.size())) {
      buckets_.resize(static_cast<std::size_t>(idx - offset_ + 1), 0);
    }
    buckets_[static_cast<std::size_t>(idx - offset_)] += other.buckets_[j];
  }
}

double QuantileSketch::quantile(double q) const {
  if (count_ == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  if (rank == count_) return max_;
  if (rank == 1 && count_ > 0) return min_;
  std::uint64_t seen = zero_count_;
  if (rank <= seen) return std::clamp(0.0, min_, max_);
  for (std::size_t j = 0; j < buckets_.size(); ++j) {
    seen += buckets_[j];
    if (seen >= rank) return std::clamp(value_of(offset_ + static_cast<int>(j)), min_, max_);
  }
  return max_;
}

}  // namespace edgetwin::models
