// Fuzz target: the quantity parser. Every kind must return nullopt or a finite value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "models/core/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using edgetwin::models::units::Kind;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (Kind k : {Kind::duration, Kind::data_size, Kind::bandwidth, Kind::cpu_speed, Kind::flops, Kind::frequency,
                 Kind::power_dbm, Kind::ratio, Kind::distance}) {
    const auto v = edgetwin::models::units::parse(k, text);
    if (v && !std::isfinite(*v)) std::abort();
  }
  return 0;
}
