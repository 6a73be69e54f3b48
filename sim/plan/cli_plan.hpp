// sim/plan/cli_plan.hpp — the planning subcommands of `edgetwin` (sweep, capacity, analyze, merge)
// and what `run` adds from sim/plan (cost in the summary, --junit). main.cpp dispatches here; these
// functions write only to the streams they are given.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace edgetwin::plan {

int cli_sweep(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int cli_capacity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int cli_analyze(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int cli_merge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// Validates the scenario's cost object; throws sim::ScenarioError ("/cost/..." pointer).
void check_cost(const sim::Scenario& sc);

/// After `edgetwin run` wrote its results: adds the monthly cost to summary.json (when the scenario
/// has prices; the manifest is rewritten last) and writes the JUnit file (when asked). Updates
/// `summary`. Throws std::runtime_error on I/O errors.
void finish_run(const std::string& dir, const sim::Scenario& sc, nlohmann::json& summary, const std::string& junit_file);

/// The cost lines of the run report (nothing without prices).
void print_cost(std::ostream& out, const nlohmann::json& summary);

}  // namespace edgetwin::plan
