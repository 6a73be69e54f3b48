// twin/counters.hpp — small per-entity trackers of the twin: sequence numbers (gaps, duplicates,
// late arrivals), windowed message rates, and running statistics. Pure, header-only, unit-tested.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace edgetwin::twin {

/// Tracks one sender's sequence numbers: the highest seen and which of the 64 below it were seen.
/// A jump forward counts the skipped numbers as missing; a late arrival of one of them takes it back.
class SequenceTracker {
 public:
  enum class Verdict { newest, late, duplicate, too_old };
  static constexpr std::uint64_t kWindow = 64;

  Verdict add(std::uint64_t seq) {
    if (!any_) {
      any_ = true;
      first_ = max_ = seq;
      seen_ = 1;
      return Verdict::newest;
    }
    if (seq > max_) {
      const std::uint64_t shift = seq - max_;
      missing_ += shift - 1;
      seen_ = shift >= kWindow ? 1 : ((seen_ << shift) | 1);
      max_ = seq;
      return Verdict::newest;
    }
    const std::uint64_t back = max_ - seq;
    if (back >= kWindow) return Verdict::too_old;
    const std::uint64_t bit = std::uint64_t{1} << back;
    if (seen_ & bit) return Verdict::duplicate;
    if (seq < first_) {  // older than anything seen: it was never counted missing
      first_ = seq;
      seen_ |= bit;
      return Verdict::late;
    }
    seen_ |= bit;
    if (missing_) --missing_;
    return Verdict::late;
  }

  bool any() const { return any_; }
  std::uint64_t max() const { return max_; }
  std::uint64_t first() const { return first_; }
  std::uint64_t missing() const { return missing_; }

 private:
  bool any_ = false;
  std::uint64_t first_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t seen_ = 0;  // bit i: max_ - i was seen
  std::uint64_t missing_ = 0;
};

/// Messages per second over the last `window` seconds, in kBuckets buckets (memory is fixed).
class RateWindow {
 public:
  static constexpr int kBuckets = 10;

  void add(double t, double window) {
    const double width = window / kBuckets;
    const auto b = static_cast<std::int64_t>(std::floor(t / width));
    advance(b);
    if (b <= head_ - kBuckets) return;  // older than the window
    counts_[static_cast<std::size_t>(((b % kBuckets) + kBuckets) % kBuckets)]++;
  }
  /// Rate over the window ending at `now`.
  double rate(double now, double window) const {
    const double width = window / kBuckets;
    const auto b = static_cast<std::int64_t>(std::floor(now / width));
    if (!started_ || b - head_ >= kBuckets) return 0.0;
    std::uint64_t n = 0;
    for (std::int64_t i = std::max(head_ - kBuckets + 1, b - kBuckets + 1); i <= head_; ++i)
      n += counts_[static_cast<std::size_t>(((i % kBuckets) + kBuckets) % kBuckets)];
    return static_cast<double>(n) / window;
  }

 private:
  void advance(std::int64_t b) {
    if (!started_) {
      started_ = true;
      head_ = b;
      return;
    }
    if (b <= head_) return;  // late samples land in the current bucket's neighbourhood
    for (std::int64_t i = head_ + 1; i <= b && i <= head_ + kBuckets; ++i)
      counts_[static_cast<std::size_t>(((i % kBuckets) + kBuckets) % kBuckets)] = 0;
    head_ = b;
  }
  std::array<std::uint32_t, kBuckets> counts_{};
  std::int64_t head_ = 0;
  bool started_ = false;
};

/// Count, sum, min, max of a series.
struct RunningStats {
  std::uint64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  void add(double v) {
    ++count;
    sum += v;
    min = std::min(min, v);
    max = std::max(max, v);
  }
  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

}  // namespace edgetwin::twin
