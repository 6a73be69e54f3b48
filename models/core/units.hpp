// models/core/units.hpp — the one parser for quantities with units ("250kbps", "40ms", "2KiB", "1.5Gf").
//
// Every quantity in a scenario is a string carrying its unit; this file is the single place that
// knows the unit names. Results are in SI base units: seconds, bytes, bytes per second (SimGrid's
// bandwidth unit), flops, flops per second.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace edgetwin::models::units {

enum class Kind { duration, data_size, bandwidth, cpu_speed, flops, frequency, power_dbm, ratio, distance };

/// Human description used in error messages: `a duration like "40ms"`.
std::string describe(Kind kind);

/// Parses `text` as a quantity of `kind`. Returns nullopt when the text is not such a quantity
/// (unknown unit, no number, trailing garbage, NaN/inf). Negative values parse (callers check ranges).
std::optional<double> parse(Kind kind, std::string_view text);

/// Formats seconds for humans: "250us", "40ms", "1.5s", "2min", "3h".
std::string format_duration(double seconds);

}  // namespace edgetwin::models::units
