// sim/plan/runner.hpp — evaluates scenario variants by running `edgetwin run` children (one
// SimGrid engine per process) and reading back their summary.json. Shared by sweeps and searches.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgetwin::plan {

/// One simulation: the scenario with these overrides and this seed.
struct RunRequest {
  std::vector<std::string> overrides;  // "PATH=JSON" as for --set
  std::uint64_t seed = 1;
  std::string name;                    // folder name under the work dir (unique per batch)
};

struct RunOutcome {
  int exit_code = -1;          // 0 pass / no SLO, 1 an SLO failed, other: the run did not complete
  double wall_seconds = 0;
  nlohmann::json summary;      // null when the run did not complete
  std::string verdict;         // "pass" | "fail" | "no-slo" | "error"
  std::string error;           // last lines of the child's output when it failed
  bool completed() const { return exit_code == 0 || exit_code == 1; }
};

struct BatchOptions {
  std::string edgetwin;        // path of the edgetwin executable
  std::string scenario;        // scenario file
  std::string work_dir;        // run folders go to work_dir/<name>
  int parallel = 1;
  bool keep_runs = false;      // keep each run's results folder (else removed once read)
};

/// Runs every request (at most `parallel` at once); `on_done(index, outcome)` is called in this
/// thread as each finishes. Returns the outcomes in request order.
std::vector<RunOutcome> run_batch(const std::vector<RunRequest>& requests, const BatchOptions& options,
                                  const std::function<void(std::size_t, const RunOutcome&)>& on_done = {});

}  // namespace edgetwin::plan
