// twin/twin_state.hpp — the twin's state machine: observations in (topic, payload, QoS, retain flag,
// receive time), entity state out (devices, gateways, device groups, brokers), alerts on changes.
//
// One thread owns a Twin; nothing here knows MQTT clients. Time is whatever the caller passes
// (wall-clock seconds live, the recorded receive times on replay), so the same observations give
// the same state. Source time (from the payload) and receive time are kept apart; an older sample
// never overwrites a newer one (by sequence number, else by source time).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/core/quantile_sketch.hpp"
#include "sim/scenario.hpp"
#include "twin/counters.hpp"
#include "twin/mapping.hpp"

namespace edgetwin::twin {

struct Observation {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retained = false;
  double receive_time = 0;  // s (epoch seconds when live)
};

/// The same, viewing bytes owned by the caller (the live bridge applies Paho's message buffers
/// without copying them). Valid for the duration of Twin::apply only.
struct ObservationView {
  std::string_view topic;
  std::string_view payload;
  int qos = 0;
  bool retained = false;
  double receive_time = 0;
};

struct Alert {
  std::string kind;    // stale | down | up | recovered | malformed | connection | divergence
  std::string entity;  // entity name ("" for the twin itself)
  double at = 0;
  std::string message;
  nlohmann::json details;
  nlohmann::json to_json() const;
};

enum class Liveness { unknown, live, stale, down };
const char* liveness_name(Liveness l);

struct DeviceState {
  std::string name;
  std::string group;    // "" when unresolved
  std::string gateway;  // "" when unknown
  std::optional<double> expected_period;  // from the rule or the scenario's traffic
  std::uint64_t received = 0;    // messages mapped to it, duplicates included
  std::uint64_t accepted = 0;    // distinct messages
  std::uint64_t duplicates = 0;
  std::uint64_t late = 0;        // arrived after a newer one
  std::uint64_t too_old = 0;     // older than the sequence window: ignored
  std::uint64_t restarts = 0;    // sequence restarted (device reboot)
  SequenceTracker seq;
  double first_receive = 0, last_receive = 0;  // receive time of the first / the latest message
  double first_source = 0, last_source = 0;    // source time of the oldest / the newest sample
  bool has_source = false;
  std::uint64_t first_seq_base = 0;  // sequence number the period estimate counts from
  nlohmann::json value;               // newest sample's value
  std::uint64_t newest_seq = 0;
  std::uint64_t last_payload = 0;
  RunningStats payload;
  RunningStats latency;  // receive - source, s
  std::uint64_t clock_skew = 0;  // samples whose source time was after their receive time
  RateWindow rate;
  bool down = false;
  double down_since = 0;
  std::string down_reason;
  bool stale_flag = false;
  double stale_since = 0;
  // Staleness deadline heap bookkeeping (Twin only): the key of this device's live heap entry.
  bool armed = false;
  double deadline_key = 0;
  bool changed = false;  // in Twin's changed list since the last take_changed_devices()

  /// Mean interval between the device's messages (from source times and sequence numbers when
  /// present, else receive times); nullopt before two messages.
  std::optional<double> observed_period() const;
  Liveness liveness(double now, double k) const;
};

struct GatewayState {
  std::string name;
  std::uint64_t received = 0;
  double last_receive = 0;
  double min_period = 0;  // smallest expected period of its devices (for staleness)
  std::string status;     // last status payload
  double status_time = 0;
  bool down = false;
  double down_since = 0;
  bool stale_flag = false;
  bool armed = false;  // staleness deadline heap bookkeeping (Twin only)
  double deadline_key = 0;
  Liveness liveness(double now, double k) const;
};

struct GroupState {
  std::string name;
  std::uint64_t devices_seen = 0;
  std::uint64_t received = 0, accepted = 0, duplicates = 0, late = 0;
  RunningStats payload;
  models::QuantileSketch latency;   // source -> twin (access + gateway + backhaul + broker)
  models::QuantileSketch access;    // source -> gateway, when the gateway stamps its time
  models::QuantileSketch upstream;  // gateway -> twin
  RateWindow rate;
  std::uint64_t qos_max = 0;
};

struct BrokerState {
  std::string name;
  std::map<std::string, nlohmann::json> stats;  // "$SYS/broker/" key -> number or string
  double last_update = 0;
  std::uint64_t updates = 0;
};

struct MalformedSample {
  std::string reason;
  std::string topic;
  std::string excerpt;  // printable excerpt of the payload (escaped)
  double receive_time = 0;
};

struct RuleStats {
  std::string name;
  std::uint64_t matched = 0;
  std::uint64_t applied = 0;
  std::uint64_t entities = 0;  // entities this rule created (bounded by Mapping::entity_limit)
  std::map<std::string, std::uint64_t> malformed;  // reason -> count
  std::deque<MalformedSample> last_malformed;
};

struct ConnectionEvent {
  double lost_at = 0;
  double restored_at = 0;  // 0 while still lost
  std::string cause;
};

class Twin {
 public:
  Twin(const sim::Scenario& scenario, Mapping mapping);
  // The staleness heap points into the entity maps: a copy would point into the original.
  Twin(const Twin&) = delete;
  Twin& operator=(const Twin&) = delete;

  /// Applies one received message. Never throws on bad input: malformed payloads are counted.
  void apply(const Observation& obs) {
    apply_view(ObservationView{obs.topic, obs.payload, obs.qos, obs.retained, obs.receive_time});
  }
  /// The same without owning the bytes (no copies).
  void apply_view(const ObservationView& obs);
  /// Liveness check at `now`: raises stale alerts for entities that went silent (devices by name,
  /// then gateways by name). Costs O((s + r) log n) for s entities that became stale and r deadline
  /// entries that had expired but were pushed back by newer traffic, not O(n): every entity that can
  /// go stale has one entry in a min-heap keyed by its staleness deadline (last message + k x
  /// period), moved later lazily when it is popped and earlier at once when an update advances it.
  void tick(double now);
  /// Entries in the staleness heap (at most one live entry per device and gateway, plus superseded
  /// ones not popped yet).
  std::size_t deadline_entries() const { return device_deadlines_.size() + gateway_deadlines_.size(); }
  void connection_lost(double at, const std::string& cause);
  void connection_restored(double at);

  /// Alerts raised since the last call.
  std::vector<Alert> take_alerts();

  /// Devices whose state changed (a message mapped to them, a status, a liveness transition)
  /// since the last call, each once, in order of first change. The pointers stay valid as long as
  /// the Twin (devices are never removed).
  std::vector<const DeviceState*> take_changed_devices();
  /// One device's entry of the state document at `now`.
  nlohmann::json device_json(const DeviceState& d, double now) const;

  /// The state document: totals, groups, gateways, brokers, rules (and every device if `devices`).
  nlohmann::json state_json(double now, bool devices = true) const;

  const sim::Scenario& scenario() const { return *scenario_; }
  const Mapping& mapping() const { return mapping_; }
  const std::map<std::string, DeviceState>& devices() const { return devices_; }
  const std::map<std::string, GatewayState>& gateways() const { return gateways_; }
  const std::map<std::string, GroupState>& groups() const { return groups_; }
  const std::map<std::string, BrokerState>& brokers() const { return brokers_; }
  const std::vector<RuleStats>& rules() const { return rule_stats_; }
  const std::vector<ConnectionEvent>& connection_events() const { return connection_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t unmatched() const { return unmatched_; }
  /// Limits on outside input that were hit (also in state_json()["limits"]).
  const LimitCounters& limits() const { return limits_; }
  /// Counts a hit of limit `name` (= `limit`, `scope` e.g. a rule name) at `at`; the first hit of
  /// each limit raises a "limit" alert naming the limit and its value (the bridge logs alerts).
  /// Used by the twin itself and by whoever enforces a limit around it (the recording writer).
  void count_limit(const std::string& name, const std::string& scope, std::uint64_t limit, double at,
                   const std::string& what, std::string_view topic = {});
  double first_receive() const { return first_receive_; }
  double last_receive() const { return last_receive_; }

 private:
  void malformed(std::size_t rule, const ObservationView& obs, const std::string& reason);
  void apply_telemetry(std::size_t rule, const MappingRule& r, const std::map<std::string, std::string>& caps,
                       const ObservationView& obs);
  void apply_status(std::size_t rule, const MappingRule& r, const std::map<std::string, std::string>& caps,
                    const ObservationView& obs);
  void apply_broker(std::size_t rule, const MappingRule& r, const std::map<std::string, std::string>& caps,
                    const ObservationView& obs);
  std::string resolve_group(const std::string& device, const std::string& gateway) const;
  void raise(std::string kind, std::string entity, double at, std::string message, nlohmann::json details = {});
  /// (Re)arms the staleness deadline of an entity after a change that may move it.
  void arm(DeviceState& d);
  void arm(GatewayState& g);
  void mark_changed(DeviceState& d) {
    if (!d.changed) {
      d.changed = true;
      changed_devices_.push_back(&d);
    }
  }

  template <class E>
  struct Deadline {
    double at;
    E* entity;
    bool operator>(const Deadline& o) const { return at > o.at; }
  };
  /// False (counted as device_limit or entity_limit) when rule `idx` may not create another entity.
  bool entity_allowed(std::size_t idx, const MappingRule& r, const ObservationView& obs);

  const sim::Scenario* scenario_;
  Mapping mapping_;
  std::map<std::string, DeviceState> devices_;
  std::map<std::string, GatewayState> gateways_;
  std::map<std::string, GroupState> groups_;
  std::map<std::string, BrokerState> brokers_;
  std::vector<RuleStats> rule_stats_;
  std::vector<ConnectionEvent> connection_;
  std::vector<Alert> alerts_;
  std::vector<Deadline<DeviceState>> device_deadlines_;    // min-heaps by deadline
  std::vector<Deadline<GatewayState>> gateway_deadlines_;
  std::vector<DeviceState*> changed_devices_;
  struct RulePointers {  // the rules' JSON pointers, parsed once
    nlohmann::json::json_pointer timestamp, sequence, gateway_timestamp, value;
  };
  std::vector<RulePointers> pointers_;
  std::deque<MalformedSample> unmatched_samples_;
  LimitCounters limits_;
  std::uint64_t received_ = 0;
  std::uint64_t unmatched_ = 0;
  double first_receive_ = 0;
  double last_receive_ = 0;
};

/// True when `s` is valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s);

/// A printable excerpt of a payload: at most `max` bytes, non-printable bytes as \xNN.
std::string printable_excerpt(std::string_view payload, std::size_t max = 120);

}  // namespace edgetwin::twin
