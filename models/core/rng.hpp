// models/core/rng.hpp — deterministic random streams for every model.
//
// Same seed and stream name => the same numbers on any machine and compiler: the generator is
// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, and every distribution below is
// written out here (the std:: distributions are implementation-defined, so they are never used).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace edgetwin::models {

/// SplitMix64 step (Steele, Lea & Flood 2014); used to expand seeds.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// FNV-1a 64-bit hash of a string: stable stream identifiers from entity names.
constexpr std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = 0xCBF29CE484222325ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// Mixes two 64-bit values into one well-spread value (seed x stream).
constexpr std::uint64_t mix64(std::uint64_t a, std::uint64_t b) {
  std::uint64_t s = a ^ (b * 0x9E3779B97F4A7C15ULL);
  splitmix64(s);
  return splitmix64(s);
}

class Rng {
 public:
  /// A stream for (scenario seed, entity or purpose name).
  Rng(std::uint64_t seed, std::string_view stream) { reseed(mix64(seed, fnv1a64(stream))); }
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64(sm);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform in [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// Uniform integer in [0, n) (Lemire's multiply-shift; tiny bias below 2^-32 for n < 2^32 is irrelevant here).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<u128>(next_u64()) * n) >> 64);
  }
  /// Bernoulli trial with probability p.
  bool chance(double p) { return uniform() < p; }
  /// Exponential with the given mean (inversion: -mean * ln(1 - U)).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Standard normal by Box-Muller (no cached second value, to keep streams simple to reason about).
  double normal(double mean = 0.0, double sd = 1.0) {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586476925 * u2);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace edgetwin::models
