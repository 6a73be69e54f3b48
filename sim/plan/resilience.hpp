// sim/plan/resilience.hpp — structural resilience of a scenario's platform, from the Boost.Graph
// topology: for each device group, the single points of failure between it and the cloud services
// it feeds (vertices and links whose loss leaves no path), which of them are articulation points or
// bridges of the graph, the redundancy of each tier, and the routes the group's traffic takes.
// Analysis says what can break; drills (faults) say what it costs.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace edgetwin::plan {

/// The analysis document (see docs/capacity-planning.md for its fields).
nlohmann::json analyze_resilience(const sim::Scenario& sc);

/// Human report of an analysis document.
std::string format_resilience(const nlohmann::json& analysis);

}  // namespace edgetwin::plan
