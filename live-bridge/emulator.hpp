// live-bridge/emulator.hpp — `edgetwin-bridge emulate`: publishes real MQTT traffic as the
// scenario's devices would (see emulator_schedule.hpp), one MQTT client per gateway whose Will is
// the gateway's status topic, so a scripted gateway crash reaches subscribers at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "live-bridge/mqtt_options.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::bridge {

struct EmulatorOptions {
  BrokerOptions broker;
  double speed = 1.0;               // scenario seconds per wall second
  std::uint64_t limit_devices = 0;  // per group (0 = all)
  double duration = 0;              // scenario seconds (0 = the scenario's duration)
  int qos = -1;                     // override every traffic's QoS (-1 = as the scenario says)
  std::size_t window = 100;         // outstanding publish tokens per client (Paho buffers 100)
  std::string report_path;          // JSON report of what was published
  struct Silence {
    std::string target;  // device site/group#k, device group or gateway
    double from = 0, to = 0;
  };
  std::vector<Silence> silences;    // --silence TARGET@AT[+FOR]
};

/// Publishes the scenario's traffic; fills `report` ({"published": N, "devices": {...},
/// "groups": {...}, ...}). Returns 0 ok, 3 internal error, 4 the broker could not be reached.
int run_emulator(const sim::Scenario& scenario, const EmulatorOptions& options, std::atomic<bool>& stop,
                 std::ostream& log, nlohmann::json& report);

}  // namespace edgetwin::bridge
