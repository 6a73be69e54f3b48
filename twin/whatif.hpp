// twin/whatif.hpp — what-if requests against the live twin, and the worker that runs the twin's
// simulations (predictions and what-if forks) as `edgetwin run` child processes.
//
// A what-if forks the current calibrated scenario twice: a baseline and the same scenario with the
// fault injected; the drill report is the difference, per device group and per node. When the
// `edgetwin` in use refuses fault scripts (exit 2 naming /faults), the report says so
// ("status": "unsupported") and still carries the baseline prediction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"
#include "twin/child_run.hpp"

namespace edgetwin::twin {

struct WhatIfRequest {
  std::string target;          // entity: broker-2, plant/gw-1, a link, a device group
  std::string action = "crash";  // crash | degrade | partition
  double duration = 0;         // "for", s; 0 = until the end of the horizon
  double at = -1;              // s into the horizon; < 0: a quarter of the horizon
  double horizon = 0;          // s; 0 = the twin's default
  nlohmann::json params;       // degrade parameters
  nlohmann::json to_json() const;
};

/// Parses {"fail": "broker-2", "for": "120s", "action": "crash", "at": "10s", "horizon": "300s",
/// "params": {...}} ("target" is accepted for "fail"). Throws std::invalid_argument.
WhatIfRequest parse_whatif_request(const nlohmann::json& j);

/// Empty when `target` names an entity of the scenario, else the reason.
std::string check_target(const sim::Scenario& scenario, const std::string& target);

/// The calibrated scenario with the request's fault appended and its horizon as duration.
nlohmann::json faulted_scenario(const nlohmann::json& calibrated, const WhatIfRequest& request, double horizon);

/// The drill report from a baseline summary and (when it ran) the faulted summary.
nlohmann::json drill_report(const WhatIfRequest& request, const nlohmann::json& baseline,
                            const nlohmann::json& faulted);

struct Job {
  enum class Kind { predict, whatif };
  Kind kind = Kind::predict;
  std::uint64_t id = 0;
  nlohmann::json scenario;  // calibrated scenario document
  WhatIfRequest request;    // what-if only
  double horizon = 60;
  nlohmann::json reply;     // opaque routing data handed back with the result
};

struct JobResult {
  Job::Kind kind = Job::Kind::predict;
  std::uint64_t id = 0;
  std::string status;       // ok | unsupported | failed
  nlohmann::json summary;   // predict: the run's summary.json
  nlohmann::json report;    // what-if: the drill report; failed: {"error": ...}
  nlohmann::json reply;
};

/// One worker thread running jobs in order; `done` is called on the worker thread.
class JobRunner {
 public:
  JobRunner(std::string edgetwin, std::string work_dir, double timeout, std::function<void(JobResult)> done);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void submit(Job job);
  /// Jobs queued or running of this kind.
  std::size_t pending(Job::Kind kind) const;

 private:
  void loop();
  JobResult run(const Job& job);
  /// Runs one scenario; returns the summary (null if none) and fills `error` on failure.
  nlohmann::json run_scenario(const nlohmann::json& scenario, const std::string& dir, ChildResult& child);

  std::string edgetwin_;
  std::string work_dir_;
  double timeout_;
  std::function<void(JobResult)> done_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::size_t running_predict_ = 0, running_whatif_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace edgetwin::twin
