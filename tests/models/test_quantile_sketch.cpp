// Streaming quantiles: the relative-error guarantee against exact order statistics, exact
// count/mean/min/max, constant streams, merging, and memory independent of the sample count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/core/quantile_sketch.hpp"
#include "models/core/rng.hpp"

using edgetwin::models::QuantileSketch;
using edgetwin::models::Rng;

namespace {
double exact_nearest_rank(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::max<std::size_t>(rank, 1);
  return v[rank - 1];
}
}  // namespace

TEST(QuantileSketch, RelativeErrorBoundOnLognormalLatencies) {
  Rng rng(7, "sketch");
  QuantileSketch s(0.005);
  std::vector<double> v;
  for (int i = 0; i < 200000; ++i) {
    const double x = std::exp(rng.normal(std::log(0.02), 1.0));  // latencies around 20 ms, heavy tail
    v.push_back(x);
    s.add(x);
  }
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = exact_nearest_rank(v, q);
    EXPECT_NEAR(s.quantile(q), exact, exact * 0.005 + 1e-12) << "q=" << q;
  }
  EXPECT_EQ(s.count(), 200000u);
  EXPECT_DOUBLE_EQ(s.max(), *std::max_element(v.begin(), v.end()));
  EXPECT_DOUBLE_EQ(s.min(), *std::min_element(v.begin(), v.end()));
}

TEST(QuantileSketch, ConstantStreamIsExact) {
  QuantileSketch s;
  for (int i = 0; i < 1000; ++i) s.add(0.032505016);
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 0.032505016);
  EXPECT_DOUBLE_EQ(s.quantile(0.99), 0.032505016);
  EXPECT_NEAR(s.mean(), 0.032505016, 1e-15);
}

TEST(QuantileSketch, MergeEqualsSingleSketch) {
  Rng rng(3, "merge");
  QuantileSketch a, b, all;
  for (int i = 0; i < 50000; ++i) {
    const double x = rng.exponential(0.1);
    (i % 2 ? a : b).add(x);
    all.add(x);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double q : {0.5, 0.9, 0.99}) EXPECT_DOUBLE_EQ(a.quantile(q), all.quantile(q));
}

TEST(QuantileSketch, EmptyAndZeroValues) {
  QuantileSketch s;
  EXPECT_EQ(s.quantile(0.5), 0.0);
  s.add(0.0);
  s.add(0.0);
  s.add(1.0);
  EXPECT_EQ(s.quantile(0.5), 0.0);
  EXPECT_EQ(s.quantile(1.0), 1.0);
}
