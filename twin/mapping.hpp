// twin/mapping.hpp — the scenario's `mapping` section: MQTT topic patterns with named captures onto
// scenario entities, payload extractors by JSON pointer, presets (scenario, generic, homie, $SYS).
//
// Pure code (no Paho): a Mapping is built once from the scenario and then only matched against
// topics. A rule names the entities it may update through templates over its own captures, and
// validation rejects a template that uses a capture its pattern does not name.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"

namespace edgetwin::twin {

/// A topic pattern: levels separated by '/', each a literal, a named capture `{name}` (one whole
/// level), an anonymous `+`, or a final `#`.
class TopicPattern {
 public:
  /// Throws std::invalid_argument with a message saying what is wrong.
  static TopicPattern parse(std::string_view text);

  /// Captured values by name when `topic` matches (every capture non-empty), else nullopt.
  std::optional<std::map<std::string, std::string>> match(std::string_view topic) const;
  /// The MQTT subscription filter: captures become '+'.
  std::string filter() const;
  const std::vector<std::string>& captures() const { return captures_; }
  const std::string& text() const { return text_; }

 private:
  enum class Kind { literal, capture, plus, hash };
  struct Level {
    Kind kind;
    std::string text;  // literal text or capture name
  };
  std::string text_;
  std::vector<Level> levels_;
  std::vector<std::string> captures_;
};

/// A template over captures: "{site}/{group}#{device}". Substitution of a missing capture throws.
class NameTemplate {
 public:
  NameTemplate() = default;
  static NameTemplate parse(std::string_view text);  // throws std::invalid_argument
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }
  const std::vector<std::string>& uses() const { return uses_; }
  std::string expand(const std::map<std::string, std::string>& captures) const;

 private:
  std::string text_;
  std::vector<std::pair<bool, std::string>> parts_;  // (is capture, text)
  std::vector<std::string> uses_;
};

enum class RuleKind { telemetry, status, broker_stats };

struct PayloadFormat {
  bool json = true;               // false: the payload is a plain text value
  std::string timestamp;          // JSON pointer of the source timestamp (empty = none)
  double timestamp_scale = 1.0;   // multiply to get seconds (s 1, ms 1e-3, us 1e-6, ns 1e-9)
  std::string gateway_timestamp;  // JSON pointer of the time the gateway forwarded it (empty = none)
  std::string sequence;           // JSON pointer of the sequence number (empty = none)
  std::string value;              // JSON pointer of the value (empty = whole document / text)
};

struct MappingRule {
  std::string name;
  std::string pointer;  // where it was declared (or "preset:NAME")
  RuleKind kind = RuleKind::telemetry;
  TopicPattern topic;
  NameTemplate device;   // telemetry: device entity; status: device whose status it is (optional)
  NameTemplate gateway;  // gateway entity (optional)
  NameTemplate group;    // device group; empty with group_auto = resolve from the scenario
  bool group_auto = false;
  NameTemplate broker;   // broker_stats: broker entity
  PayloadFormat payload;
  std::vector<std::string> down_values;  // status: payload values meaning "down"
  std::vector<std::string> up_values;    // status: payload values meaning "up"
  std::optional<double> period;          // expected period override, s
  std::optional<std::uint64_t> max_entities;  // entities this rule may create (default: the mapping's)
};

struct Mapping {
  std::vector<MappingRule> rules;
  int qos = 1;                    // subscription QoS
  double stale_after = 3.0;       // k: stale after k x expected period
  double rate_window = 10.0;      // s
  std::uint64_t max_payload = 65536;
  std::size_t keep_malformed = 5;
  std::uint64_t max_devices = 1000000;
  std::size_t max_topic_length = 1024;           // bytes; longer topics are dropped before matching
  std::uint64_t max_entities_per_rule = 1000000;  // entities one rule may create (per-rule max_entities)

  /// The entity limit of rule `r` (its own max_entities, else max_entities_per_rule).
  std::uint64_t entity_limit(const MappingRule& r) const { return r.max_entities.value_or(max_entities_per_rule); }

  /// Distinct subscription filters of every rule, in rule order.
  std::vector<std::string> filters() const;
  /// The first rule whose pattern matches, with its captures.
  const MappingRule* match(std::string_view topic, std::map<std::string, std::string>& captures) const;
};

/// Limits on input from outside, each counted when hit. The twin reports them under "limits" in its
/// state (and so on its state topic and in the state file), and raises one "limit" alert per limit
/// the first time it is hit (logged by the bridge), naming the limit and its value.
class LimitCounters {
 public:
  struct Entry {
    std::string name;   // e.g. "mapping.max_topic_length"
    std::string scope;  // e.g. the rule name, or "" for the whole mapping
    std::uint64_t limit = 0;
    std::uint64_t hits = 0;
    std::string last;   // what was refused last (a short description)
  };
  /// Counts a hit; true when it is the first hit of this limit (and scope).
  bool hit(const std::string& name, const std::string& scope, std::uint64_t limit, std::string what);
  std::uint64_t hits(const std::string& name, const std::string& scope = "") const;
  std::uint64_t total() const;
  /// {"NAME[/SCOPE]": {"limit", "hits", "scope"?, "last"}}
  nlohmann::json to_json() const;

 private:
  std::map<std::string, Entry> entries_;
};

/// Builds the mapping of a loaded scenario from `scenario.mapping` (null or absent means the
/// "scenario" preset). Throws sim::ScenarioError with a JSON pointer under /mapping.
Mapping mapping_from_scenario(const sim::Scenario& scenario);

/// The scenario-derived rules: one telemetry rule per traffic entry (its topic template with site
/// and group filled in, {device} captured), the generic gateway status rule and, if `sys_broker`
/// is non-empty, $SYS/broker/# into that broker.
std::vector<MappingRule> scenario_preset(const sim::Scenario& scenario);
/// `site/{site}/gw/{gateway}/dev/{device}/up` and `site/{site}/gw/{gateway}/status`.
std::vector<MappingRule> generic_preset();
/// Homie 4: `homie/{device}/$state` (lost/disconnected = down) and `homie/{device}/{node}/{property}`.
std::vector<MappingRule> homie_preset();
/// Mosquitto's `$SYS/broker/#` statistics into broker entity `broker`.
MappingRule sys_rule(const std::string& broker);

/// The status topic of gateway `site/gw` in the generic layout (what the emulator's Will uses).
std::string gateway_status_topic(const std::string& site, const std::string& gateway);

/// MQTT topic filter match (+ and #), as a broker does it; `$` topics never match a leading wildcard.
bool topic_matches_filter(std::string_view filter, std::string_view topic);

}  // namespace edgetwin::twin
