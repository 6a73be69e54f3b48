// sim/plan/stats.cpp — replication statistics and replication seeds.
#include "sim/plan/stats.hpp"

#include <array>
#include <cmath>
#include <limits>

#include "models/core/rng.hpp"

namespace edgetwin::plan {

double student_t_975(std::size_t dof) {
  // Two-sided 95 % critical values of Student's t (any statistics table, e.g. NIST/SEMATECH 1.3.6.7.2).
  static constexpr std::array<double, 30> table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                                   2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                                   2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                                   2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof == 0) return std::numeric_limits<double>::infinity();
  if (dof <= table.size()) return table[dof - 1];
  // Cornish-Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5).
  const double z = 1.959963984540054, v = static_cast<double>(dof);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = values.size();
  if (values.empty()) {
    e.mean = e.half_width = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double sum = 0;
  e.min = e.max = values.front();
  for (double v : values) {
    sum += v;
    e.min = std::min(e.min, v);
    e.max = std::max(e.max, v);
  }
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) {
    e.half_width = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double ss = 0;
  for (double v : values) ss += (v - e.mean) * (v - e.mean);
  e.stddev = std::sqrt(ss / static_cast<double>(e.n - 1));
  e.half_width = student_t_975(e.n - 1) * e.stddev / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::uint64_t replication_seed(std::uint64_t base_seed, int replication) {
  if (replication == 0) return base_seed;
  return models::mix64(base_seed, 0x5EED000000000000ULL + static_cast<std::uint64_t>(replication)) >> 11;
}

double failure_probability_bound(int runs) {
  return runs <= 0 ? 1.0 : 1.0 - std::pow(0.05, 1.0 / runs);
}

}  // namespace edgetwin::plan
