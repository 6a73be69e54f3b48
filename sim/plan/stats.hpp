// sim/plan/stats.hpp — replication statistics: mean, sample standard deviation and the 95 %
// Student-t confidence interval of the mean; and the seed of replication r.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgetwin::plan {

/// Mean and 95 % confidence interval of a sample (replications of one sweep point).
struct Estimate {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;      // sample standard deviation (n - 1); 0 when n < 2
  double half_width = 0;  // t(0.975, n-1) * stddev / sqrt(n); NaN when n < 2 (no interval from one run)
  double min = 0;
  double max = 0;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

/// Values are summed in the order given, so the same values in the same order give the same bits.
Estimate estimate(const std::vector<double>& values);

/// 0.975 quantile of Student's t with `dof` degrees of freedom (table to 30, Cornish-Fisher beyond).
double student_t_975(std::size_t dof);

/// Seed of replication r of every sweep point: r = 0 keeps the base seed (so replication 0 is what
/// `edgetwin run` gives), r > 0 mixes (base, r) with SplitMix64 into 53 bits (exact in JSON, SQLite,
/// pandas). Depends on nothing else, so shards, local sweeps and capacity searches agree exactly.
std::uint64_t replication_seed(std::uint64_t base_seed, int replication);

/// Upper 95 % bound on a per-run failure probability after `runs` runs without a failure
/// (exact binomial: 1 - 0.05^(1/runs); the "rule of three" is its large-n form).
double failure_probability_bound(int runs);

}  // namespace edgetwin::plan
