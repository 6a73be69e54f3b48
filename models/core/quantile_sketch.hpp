// models/core/quantile_sketch.hpp — streaming quantiles with a bounded relative error.
//
// A logarithmic-bucket histogram in the manner of DDSketch (Masson, Rim & Lee, VLDB 2019): a
// positive value v falls in bucket i = ceil(log_gamma v) with gamma = (1 + a) / (1 - a), and the
// bucket's representative 2 gamma^i / (gamma + 1) is within relative error a of every value in it.
// Memory is one counter per occupied bucket range (about 3,500 buckets span 1 ns .. 10^6 s at
// a = 0.5 %), independent of the sample count, so millions of messages cost nothing extra.
// Count, sum, min and max are exact; quantile estimates are clamped to [min, max], so a constant
// stream reports its exact value. Sketches with the same accuracy merge exactly.
#pragma once

#include <cstdint>
#include <vector>

namespace edgetwin::models {

class QuantileSketch {
 public:
  /// `relative_accuracy` a in (0, 1); values at or below `min_value` are counted in a zero bucket.
  explicit QuantileSketch(double relative_accuracy = 0.005, double min_value = 1e-9);

  void add(double value, std::uint64_t count = 1);
  void merge(const QuantileSketch& other);

  /// Nearest-rank quantile (q in [0, 1]): an estimate of the ceil(q * n)-th smallest sample.
  /// Returns 0 for an empty sketch.
  double quantile(double q) const;

  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }
  double relative_accuracy() const { return alpha_; }

 private:
  int index_of(double value) const;
  double value_of(int index) const;

  double alpha_;
  double gamma_;
  double log_gamma_;
  double min_value_;
  std::vector<std::uint64_t> buckets_;  // buckets_[i - offset_]
  int offset_ = 0;
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace edgetwin::models
