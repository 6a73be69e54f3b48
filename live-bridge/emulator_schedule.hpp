// live-bridge/emulator_schedule.hpp — what the fleet emulator publishes and when, in scenario time.
//
// Pure and deterministic (no MQTT): the scenario's own traffic models (periodic with jitter,
// Poisson, bursts), payload sizes, QoS and topic templates, each device's random stream derived from
// the scenario seed and its name (models::Rng), and the scripted faults that silence devices,
// groups or gateways. The publisher in emulator.cpp only maps scenario time onto wall time.
#pragma once

#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "models/core/rng.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::bridge {

struct EmulatedDevice {
  std::string name;     // site/group#k
  std::string topic;    // the traffic topic with {site}, {group}, {device} filled in
  std::string gateway;  // full gateway name
  std::size_t traffic = 0;  // index into scenario.traffic
  std::uint64_t seq = 0;    // last sequence number sent
  models::Rng rng;
  double next = 0;      // scenario time of its next message
  std::uint64_t burst_left = 0;
};

struct EmulatedMessage {
  double time = 0;  // scenario time, s
  std::size_t device = 0;
  std::uint64_t seq = 0;
  double value = 0;
};

/// A gateway going down (its Will fires) or coming back, in scenario time.
struct GatewayEvent {
  double time = 0;
  std::string gateway;
  bool down = true;
};

class EmulatorSchedule {
 public:
  /// `limit_devices` > 0 caps the devices emulated per group; `duration` <= 0 means the scenario's.
  EmulatorSchedule(const sim::Scenario& scenario, std::uint64_t limit_devices = 0, double duration = 0);

  /// The next message in time order (messages of silenced devices are skipped, but their sequence
  /// numbers still advance, as a device that sends into a dead gateway would); false at the end.
  bool next(EmulatedMessage& m);

  const std::vector<EmulatedDevice>& devices() const { return devices_; }
  const std::vector<GatewayEvent>& gateway_events() const { return gateway_events_; }
  double duration() const { return duration_; }
  /// Silences a device (site/group#k), a device group or a gateway over [from, to) scenario seconds,
  /// beyond the scenario's own faults (which cannot target devices).
  void add_silence(const std::string& target, double from, double to);
  /// True when a scripted fault silences `device` at scenario time t.
  bool silenced(std::size_t device, double t) const;
  std::uint64_t skipped() const { return skipped_; }

 private:
  struct Window {
    std::string target;
    double from = 0, to = 0;
  };
  void schedule_next(std::size_t d);

  const sim::Scenario* sc_;
  double duration_;
  std::vector<EmulatedDevice> devices_;
  std::vector<Window> silent_;
  std::vector<GatewayEvent> gateway_events_;
  using Entry = std::pair<double, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::uint64_t skipped_ = 0;
};

/// The emulator's payload: {"ts": source time, "gw_ts": gateway time, "seq": n, "v": value,
/// "pad": "..."} padded to `size` bytes (never below the unpadded record).
std::string emulator_payload(double source_time, double gateway_time, std::uint64_t seq, double value, std::size_t size);

}  // namespace edgetwin::bridge
