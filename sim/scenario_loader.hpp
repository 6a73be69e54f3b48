// sim/scenario_loader.hpp — reading, overriding (--set) and validating scenario files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"
#include "sim/spec.hpp"

namespace edgetwin::sim {

/// A scenario file that cannot be used: carries the file name for "file: /pointer: message".
class ScenarioFileError : public std::runtime_error {
 public:
  ScenarioFileError(const std::string& file, const std::string& pointer, const std::string& message)
      : std::runtime_error(file + ": " + (pointer.empty() ? "" : pointer + ": ") + message), pointer_(pointer) {}
  const std::string& pointer() const { return pointer_; }

 private:
  std::string pointer_;
};

/// Applies one `PATH=VALUE` override. PATH is a JSON pointer ("/platform/brokers/count") or a dotted
/// path ("platform.brokers.count"); VALUE is JSON if it parses as JSON, else a string.
void apply_override(nlohmann::json& doc, const std::string& assignment);

/// Validates a scenario document (already parsed); throws ScenarioError with a JSON pointer.
Scenario scenario_from_json(const nlohmann::json& doc);

/// Reads, overrides and validates; throws ScenarioFileError naming the file.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Scenario files larger than this are refused before parsing (limit max_scenario_size), unless the
/// environment variable EDGETWIN_MAX_SCENARIO_SIZE (a data size, "256MiB") says otherwise.
inline constexpr std::uint64_t kDefaultMaxScenarioSize = 64ull * 1024 * 1024;
/// The limit in force for loading `path` (named in the error on a bad EDGETWIN_MAX_SCENARIO_SIZE).
std::uint64_t max_scenario_size(const std::string& path);

/// The scenario format's root spec (drives validation and the JSON Schema).
const ObjectSpec& scenario_spec();

/// JSON Schema of scenario format v1 (what `edgetwin schema` prints and scenarios/schema.json holds).
nlohmann::json scenario_schema();

/// The KPI names an SLO may use (see docs/scenario-format.md).
const std::vector<std::string>& slo_metrics();

}  // namespace edgetwin::sim
