// sim/data_services.hpp — the cloud's data services on SimGrid: a replicated object store like Ceph
// (OSD hosts with disks, primary-copy replication over a cluster network) written by services, and
// Spark-like periodic batch jobs over what was stored (stages of parallel tasks on executor nodes,
// barriers, shuffles). The formulas they are validated against are in models/cloud/data_services.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::sim {

class DataServices {
 public:
  DataServices(const Scenario& sc, RunMetrics& metrics, std::function<std::size_t(double)> interval_of,
               std::size_t intervals);
  /// True when the scenario declares storage or batch jobs (otherwise nothing is added anywhere).
  static bool used(const Scenario& sc) { return !sc.storage.empty() || !sc.batch_jobs.empty() || sc.logging.enabled; }
  /// Adds OSD hosts, disks, networks and routes to the zone (before it is sealed). `links` are the
  /// scenario's links in order, `route` the link indices between two entities.
  void build(simgrid::s4u::NetZone* zone, const std::map<std::string, simgrid::s4u::Host*>& hosts,
             const std::vector<simgrid::s4u::Link*>& links,
             const std::function<std::vector<int>(const std::string&, const std::string&)>& route);
  /// True when batch tasks compute on this host (stages there must contend through SimGrid).
  bool computes_on(const simgrid::s4u::Host* h) const;
  /// Starts the batch jobs' timers.
  void start();
  /// A service consumed an uplink message of `payload` bytes (called from the service's actor).
  /// Only called when used(): batch jobs may read a service's consumed payload.
  void consumed(std::size_t service, double payload);
  /// Called by the run's controller after the end of traffic: waits (up to `deadline`) for the object
  /// writes still in flight, so that the last consumed messages are stored.
  void drain(double deadline);
  /// At the end of the run: what is still pending or unfinished.
  void finish(double end);

 private:
  struct Osd {
    simgrid::s4u::Host* host = nullptr;
    simgrid::s4u::Disk* disk = nullptr;
  };
  struct Cluster {
    const StorageSpec* spec = nullptr;
    std::vector<Osd> osds;
    std::uint64_t next_object = 0;
  };
  struct Pending {
    std::uint64_t messages = 0;
    double payload = 0;
  };
  void write_object(std::size_t cluster, simgrid::s4u::Host* client, const std::string& name, double payload,
                    bool measured);
  void job_timer(std::size_t job);
  void job_run(std::size_t job, std::size_t run, double input);
  void ship_logs(std::size_t gateway);

  const Scenario& sc_;
  RunMetrics& metrics_;
  std::function<std::size_t(double)> interval_of_;
  std::size_t intervals_;
  std::vector<Cluster> clusters_;
  std::vector<int> service_cluster_;                   // per service: cluster index, -1 none
  std::vector<simgrid::s4u::Host*> service_host_;      // per service
  std::vector<Pending> pending_;                       // per service: messages waiting for store_batch
  std::vector<double> service_payload_;                // per service: payload consumed (whole run)
  std::vector<std::vector<simgrid::s4u::Host*>> executors_;  // per job
  std::vector<int> job_input_;                         // per job: cluster index
  std::vector<double> job_consumed_;                   // per job: cluster payload already taken
  std::uint64_t writes_in_flight_ = 0;
  // Logging: per shipping gateway, its host, its route's link indices and its node's counters.
  std::vector<simgrid::s4u::Host*> log_gateways_;
  std::vector<std::vector<int>> log_routes_;
  std::vector<const NodeMetrics*> log_gateway_metrics_;
  simgrid::s4u::Host* log_node_ = nullptr;
  std::uint64_t log_batches_left_ = 0;  // batches (k x flush <= duration) not yet indexed or skipped
  simgrid::s4u::MutexPtr mutex_ = simgrid::s4u::Mutex::create();
  simgrid::s4u::ConditionVariablePtr writes_done_ = simgrid::s4u::ConditionVariable::create();
};

/// summary.json blocks "storage" and "batch_jobs" (absent when unused).
void add_data_services_summary(const Scenario& sc, const RunMetrics& m, nlohmann::json& summary);

}  // namespace edgetwin::sim
