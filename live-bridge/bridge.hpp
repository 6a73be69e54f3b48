// live-bridge/bridge.hpp — the live twin process (`edgetwin-bridge twin`) and replay.
//
// Threads: Paho's callbacks only decode a message into an Observation and push it onto a bounded
// queue (blocking when full, which back-pressures the broker connection instead of dropping); the
// calling thread owns the twin state and does everything else: applying observations, recording,
// liveness ticks, state files, output topics, scheduling predictions and what-if forks (run by a
// JobRunner thread as `edgetwin run` children, their results coming back through the same queue).
#pragma once

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "live-bridge/mqtt_options.hpp"
#include "sim/scenario.hpp"
#include "twin/mapping.hpp"

namespace edgetwin::bridge {

struct TwinOptions {
  BrokerOptions broker;
  std::string name;              // twin name in output topics (default: the scenario's name)
  std::string record_path;       // append every received message here ("" = no recording)
  std::string state_path;        // the state document, rewritten every state_every and at exit
  double state_every = 1.0;      // s
  bool publish = true;           // publish state, alerts, predictions under the topic prefix
  std::string topic_prefix;      // output topic prefix ("" = edgetwin/twin/NAME), for least-privilege ACLs
  std::uint32_t max_record = 16u * 1024u * 1024u;  // recording.max_record: larger messages are not recorded
  std::string calibrate_path;    // write the calibrated scenario here at exit
  double predict_every = 0;      // s between predictions (0 = never)
  double horizon = 60;           // s simulated by predictions and what-if forks
  double tolerance = 0.25;       // relative divergence that raises an alert
  std::string edgetwin;          // the edgetwin executable ("" = find it)
  std::string work_dir;          // where child runs write ("" = a temporary folder)
  double job_timeout = 300;      // s
  double exit_after = 0;         // s of wall time, then exit (0 = run until stopped)
  std::uint64_t exit_after_messages = 0;  // exit once this many messages were applied (0 = never)
  std::size_t queue_capacity = 65536;
  std::size_t entity_state_max = 10000;  // per-entity retained state messages per state cycle (0 = none)
  double tick = 0.1;             // s between liveness checks
  double connect_timeout = 30;   // s to reach the broker at start
};

/// Output topic prefix of twin `name`: "edgetwin/twin/NAME".
std::string twin_topic_prefix(const std::string& name);

/// Retained state topic of one entity: PREFIX/state/KIND/NAME (KIND device, gateway, group or
/// broker). The '/' of NAME stay level separators; '%', '+' and '#' (not allowed in a topic name)
/// are percent-encoded: "plant/meters#7" -> PREFIX/state/device/plant/meters%237.
std::string entity_state_topic(const std::string& prefix, std::string_view kind, std::string_view name);

/// Runs the live twin until `stop` is set (or an exit condition). Returns the process exit code:
/// 0 ok, 3 internal or I/O error, 4 the broker could not be reached or refused us. Progress and
/// errors go to `log` (never the password).
int run_twin(const sim::Scenario& scenario, const twin::Mapping& mapping, const TwinOptions& options,
             std::atomic<bool>& stop, std::ostream& log);

struct ReplayResult {
  nlohmann::json state;
  std::uint64_t records = 0;
  std::string end;  // complete | truncated | corrupt | oversize (a record over max_record)
  std::uint64_t end_offset = 0;       // first byte not replayed
  std::uint64_t oversize_length = 0;  // end == oversize: the record length found
};

/// Feeds a recording through a fresh twin with no broker (deterministic). `as_of` < 0: the last
/// record's receive time. Throws std::runtime_error on a file that is no recording.
ReplayResult replay_recording(const sim::Scenario& scenario, const twin::Mapping& mapping, const std::string& path,
                              double as_of = -1, nlohmann::json* calibrated = nullptr, double horizon = 60,
                              std::uint32_t max_record = 16u * 1024u * 1024u);

/// Wall-clock time in seconds since the epoch (the bridge's receive times).
double wall_now();

}  // namespace edgetwin::bridge
