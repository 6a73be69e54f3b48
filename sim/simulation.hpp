// sim/simulation.hpp — runs one scenario on SimGrid S4U (one engine per process) and returns its metrics.
#pragma once

#include <atomic>

#include <functional>
#include <ostream>

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::sim {

struct RunOptions {
  std::ostream* progress = nullptr;  // progress lines (stderr from the CLI); nullptr = silent
  double progress_after = 2.0;       // wall seconds before the first progress line
  double time_limit = 0;             // wall seconds after which the run stops with partial results; 0 = none
  std::atomic<bool>* interrupt = nullptr;  // set by SIGINT (handled during the run) to stop with partial results
  /// Run every stage with worker actors and SimGrid executions, also a stage alone on its host
  /// (by default computed as an exact c-server FIFO without SimGrid activities).
  bool actor_stages = false;
};

/// Builds the platform through SimGrid's C++ API, starts the actors and runs the engine to the end
/// of the scenario (plus a drain of in-flight messages). Must be called at most once per process.
RunMetrics run_simulation(const Scenario& scenario, const RunOptions& options = {});

/// Seconds the engine keeps running after `duration` so messages in flight can finish.
double drain_time(const Scenario& scenario);

}  // namespace edgetwin::sim
