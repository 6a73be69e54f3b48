// sim/plan/capacity.hpp — capacity search and cheapest-configuration search over replicated runs.
//
// find_capacity: bisection over one scenario path for the largest (or, when load falls as the
// value grows, the smallest) value at which every SLO held in every replication; reports the
// binding SLO and the bottleneck resource at the knee, and how much the replications vouch for.
// minimize_cost: over a grid of sizing paths, the configuration of lowest monthly cost that meets
// every SLO (configurations evaluated in order of their fixed cost, stopping when no cheaper one
// can exist), which is by construction the answer of an exhaustive sweep of the grid.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/plan/runner.hpp"

namespace edgetwin::plan {

/// One endpoint or value of a searched path: a number, optionally with a unit ("100ms").
struct SearchValue {
  double x = 0;
  std::string unit;  // "" = plain number
  bool integer = false;
  nlohmann::json to_json() const;  // 800, 0.5 or "12.5ms"
};

/// Parses "LO:HI"; throws std::invalid_argument naming what is wrong. Integers without a unit give
/// an integer search.
std::pair<SearchValue, SearchValue> parse_range(const std::string& text);

struct CapacityOptions {
  std::string scenario;
  std::vector<std::string> overrides;  // --set, applied to every run
  std::string path;                    // the varied path (as for --set)
  std::string range;                   // "LO:HI"
  int replications = 1;
  std::optional<double> tolerance;     // default: 1 for integers, 1 % of the range otherwise
  BatchOptions batch;                  // executable, work folder, parallelism (scenario is set here)
  std::function<void(const std::string&)> log;  // one line per evaluation
};

/// Runs the search; the result document holds "status" (found | all-pass | none-pass | error),
/// "capacity", "first_failing", "binding_slo", "bottleneck", "evaluations", ... (see
/// docs/capacity-planning.md). Throws sim::ScenarioFileError for an invalid scenario or path,
/// std::invalid_argument for bad options.
nlohmann::json find_capacity(const CapacityOptions& options);

struct SizingAxis {
  std::string path;
  std::vector<nlohmann::json> values;
};

struct MinimizeOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::vector<SizingAxis> axes;
  int replications = 1;
  BatchOptions batch;
  std::function<void(const std::string&)> log;
};

/// Cheapest configuration meeting every SLO ("status": found | none-pass | error). Configurations
/// are numbered like sweep points (cartesian product, last axis fastest).
nlohmann::json minimize_cost(const MinimizeOptions& options);

/// Human report of a find_capacity / minimize_cost document.
std::string format_capacity(const nlohmann::json& result);

}  // namespace edgetwin::plan
