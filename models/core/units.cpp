// models/core/units.cpp — unit tables and the quantity parser.
#include "models/core/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace edgetwin::models::units {
namespace {

struct Unit {
  std::string_view name;
  double factor;
};

// Time units (seconds).
constexpr std::array<Unit, 12> kDuration{{{"ns", 1e-9},
                                          {"us", 1e-6},
                                          {"µs", 1e-6},
                                          {"ms", 1e-3},
                                          {"s", 1.0},
                                          {"sec", 1.0},
                                          {"min", 60.0},
                                          {"h", 3600.0},
                                          {"hour", 3600.0},
                                          {"d", 86400.0},
                                          {"day", 86400.0},
                                          {"w", 604800.0}}};
// Data sizes (bytes): SI multiples are powers of 1000, IEC ones powers of 1024; "b"/"bit" are bits.
constexpr std::array<Unit, 16> kDataSize{{{"B", 1.0},
                                          {"kB", 1e3},
                                          {"KB", 1e3},
                                          {"MB", 1e6},
                                          {"GB", 1e9},
                                          {"TB", 1e12},
                                          {"KiB", 1024.0},
                                          {"MiB", 1048576.0},
                                          {"GiB", 1073741824.0},
                                          {"TiB", 1099511627776.0},
                                          {"b", 0.125},
                                          {"bit", 0.125},
                                          {"kb", 125.0},
                                          {"kbit", 125.0},
                                          {"Mb", 125e3},
                                          {"Mbit", 125e3}}};
// Bandwidths (bytes per second). "bps" family is bits, "Bps" family bytes (SimGrid's convention).
constexpr std::array<Unit, 13> kBandwidth{{{"bps", 0.125},
                                           {"kbps", 125.0},
                                           {"Kbps", 125.0},
                                           {"Mbps", 125e3},
                                           {"Gbps", 125e6},
                                           {"Tbps", 125e9},
                                           {"Bps", 1.0},
                                           {"kBps", 1e3},
                                           {"KBps", 1e3},
                                           {"MBps", 1e6},
                                           {"GBps", 1e9},
                                           {"KiBps", 1024.0},
                                           {"MiBps", 1048576.0}}};
// Flop amounts and speeds share SimGrid's spelling ("Gf" = 1e9 flops, or flops per second for a speed).
constexpr std::array<Unit, 12> kFlops{{{"f", 1.0},
                                       {"kf", 1e3},
                                       {"Mf", 1e6},
                                       {"Gf", 1e9},
                                       {"Tf", 1e12},
                                       {"Pf", 1e15},
                                       {"flops", 1.0},
                                       {"kflops", 1e3},
                                       {"Mflops", 1e6},
                                       {"Gflops", 1e9},
                                       {"Tflops", 1e12},
                                       {"Pflops", 1e15}}};
constexpr std::array<Unit, 4> kFrequency{{{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}}};
constexpr std::array<Unit, 1> kPowerDbm{{{"dBm", 1.0}}};
constexpr std::array<Unit, 2> kRatio{{{"%", 0.01}, {"", 1.0}}};
constexpr std::array<Unit, 3> kDistance{{{"m", 1.0}, {"km", 1e3}, {"mi", 1609.344}}};

template <std::size_t N>
std::optional<double> lookup(const std::array<Unit, N>& table, std::string_view unit) {
  for (const auto& u : table)
    if (u.name == unit) return u.factor;
  return std::nullopt;
}

std::optional<double> factor_for(Kind kind, std::string_view unit) {
  switch (kind) {
    case Kind::duration:
      return lookup(kDuration, unit);
    case Kind::data_size:
      return lookup(kDataSize, unit);
    case Kind::bandwidth:
      return lookup(kBandwidth, unit);
    case Kind::cpu_speed: {
      // A speed may be written "2Gf" or "2Gf/s".
      if (unit.size() > 2 && unit.substr(unit.size() - 2) == "/s") unit.remove_suffix(2);
      return lookup(kFlops, unit);
    }
    case Kind::flops:
      return lookup(kFlops, unit);
    case Kind::frequency:
      return lookup(kFrequency, unit);
    case Kind::power_dbm:
      return lookup(kPowerDbm, unit);
    case Kind::ratio:
      return lookup(kRatio, unit);
    case Kind::distance:
      return lookup(kDistance, unit);
  }
  return std::nullopt;
}

}  // namespace

std::string describe(Kind kind) {
  switch (kind) {
    case Kind::duration:
      return "a duration like \"40ms\" (units ns, us, ms, s, min, h, d)";
    case Kind::data_size:
      return "a data size like \"2KiB\" (units B, kB, MB, GB, KiB, MiB, GiB, bit)";
    case Kind::bandwidth:
      return "a bandwidth like \"250kbps\" (units bps, kbps, Mbps, Gbps, Bps, kBps, MBps, GBps)";
    case Kind::cpu_speed:
      return "a CPU speed like \"2Gf\" (units f, kf, Mf, Gf, Tf)";
    case Kind::flops:
      return "an amount of computation like \"1.5Mf\" (units f, kf, Mf, Gf, Tf)";
    case Kind::frequency:
      return "a frequency like \"868.1MHz\" (units Hz, kHz, MHz, GHz)";
    case Kind::power_dbm:
      return "a power like \"14dBm\"";
    case Kind::ratio:
      return "a ratio like 0.01 or \"1%\"";
    case Kind::distance:
      return "a distance like \"2km\" (units m, km)";
  }
  return "a quantity";
}

std::optional<double> parse(Kind kind, std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value, std::chars_format::general);
  if (ec != std::errc() || ptr == begin) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  auto factor = factor_for(kind, unit);
  if (!factor) return std::nullopt;
  return value * *factor;
}

std::string format_duration(double seconds) {
  char buf[64];
  const double a = std::fabs(seconds);
  if (a == 0.0) return "0s";
  if (a < 1e-3)
    std::snprintf(buf, sizeof buf, "%.4gus", seconds * 1e6);
  else if (a < 1.0)
    std::snprintf(buf, sizeof buf, "%.4gms", seconds * 1e3);
  else if (a < 120.0)
    std::snprintf(buf, sizeof buf, "%.4gs", seconds);
  else if (a < 7200.0)
    std::snprintf(buf, sizeof buf, "%.4gmin", seconds / 60.0);
  else
    std::snprintf(buf, sizeof buf, "%.4gh", seconds / 3600.0);
  return buf;
}

}  // namespace edgetwin::models::units
