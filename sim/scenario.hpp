// sim/scenario.hpp — the scenario model (format v1) after loading and validation.
//
// Every quantity is in SI base units (seconds, bytes, bytes/s, flops, flops/s). Entity names are
// full and stable: "site-a/gw-1", "site-a/meters" (device k is "site-a/meters#k"), "lb",
// "broker-2", "cloud/node-1"; services carry their own name ("ingest").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgetwin::sim {

/// A generic device-to-gateway link (rate, latency, loss): each device has its own, no contention.
struct AccessSpec {
  std::string model = "generic";
  double bandwidth = 0;  // bytes/s
  double latency = 0;    // s
  double loss = 0;       // probability a frame is lost
};

struct DeviceGroupSpec {
  std::string name;  // full: site/group
  std::string site;
  std::string pointer;  // JSON pointer, for later error messages
  std::uint64_t count = 0;
  std::vector<std::string> gateways;  // full gateway names; device k uses gateways[k % n]
  AccessSpec access;
  std::string tenant;
};

/// A processing node: a SimGrid host with `cores` cores; each message costs
/// cost_per_message + cost_per_byte * payload flops.
struct ProcessingSpec {
  std::string name;
  std::string pointer;
  double speed = 0;  // flops/s per core
  int cores = 1;
  double cost_per_message = 0;  // flops
  double cost_per_byte = 0;     // flops per payload byte
  std::uint64_t queue_capacity = 0;  // messages waiting; 0 = unbounded
};

struct SiteSpec {
  std::string name;
  std::vector<ProcessingSpec> gateways;
  std::vector<DeviceGroupSpec> device_groups;
  std::vector<std::string> routers;  // full names of pure routing vertices
};

struct LinkSpec {
  std::string name;
  std::string pointer;
  std::string a, b;       // endpoint entity names
  double bandwidth = 0;   // bytes/s
  double latency = 0;     // s
  bool shared = true;     // SimGrid SHARED (fair sharing) or FATPIPE
};

struct LoadBalancerSpec {
  ProcessingSpec node;
  std::string policy = "round-robin";  // round-robin | least-connections | client-id-hash
};

struct BrokerClusterSpec {
  std::string prefix = "broker";
  int count = 0;
  ProcessingSpec node;            // name unused; each broker is prefix-k
  double cost_per_delivery = 0;  // flops per subscriber the message is fanned out to
  std::vector<std::string> names() const;
};

struct TrafficSpec {
  std::string pointer;
  std::string group;               // full device-group name
  std::string pattern = "periodic";  // periodic | poisson | burst
  double period = 0;               // s; mean interval for poisson; burst interval for burst
  double jitter = 0;               // s; periodic: uniform in [0, jitter) added to each period
  std::uint64_t burst_size = 1;    // burst: messages per burst per device
  double burst_spacing = 0;        // burst: gap between messages of a burst
  double start = 0;                // s; devices start uniformly in [start, start + period)
  std::uint64_t payload = 0;       // bytes (application payload)
  int qos = 0;
  std::string topic = "{site}/{group}/{device}/up";
  double latency_budget = 0;       // s; 0 = none (messages later than this are counted "late")
};

struct ServiceSpec {
  std::string name;
  std::string pointer;
  std::string node;  // full cloud node name
  std::vector<std::string> subscribe;  // MQTT topic filters
  double cost_per_message = 0;
  double cost_per_byte = 0;
};

struct FaultSpec {
  std::string pointer;
  double at = 0;
  std::string target;
  std::string action;
  double duration = 0;  // "for"; 0 = until the end / a restore
  nlohmann::json params;
};

struct SloSpec {
  std::string pointer;
  std::string metric;  // e.g. "latency.p99", "delivery_ratio"
  std::string scope;   // entity name, or "" for the whole system
  std::optional<double> max;
  std::optional<double> min;
  std::string text;    // as written, for reports
};

struct EngineSpec {
  std::string network_model = "CM02";  // CM02 | LV08
  std::vector<std::string> simgrid_config;  // extra --cfg=key:value strings
};

struct OutputsSpec {
  double interval = 10;  // time-series interval, s
  bool trace = false;    // write messages.csv (every delivery with its stage times)
  std::uint64_t trace_limit = 100000;
};

struct Scenario {
  std::string file;  // path it was loaded from
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double duration = 0;
  double warmup = 0;
  EngineSpec engine;
  std::vector<SiteSpec> sites;
  std::vector<LinkSpec> links;
  LoadBalancerSpec load_balancer;
  BrokerClusterSpec brokers;
  std::vector<ProcessingSpec> cloud_nodes;
  std::vector<TrafficSpec> traffic;
  std::vector<ServiceSpec> services;
  std::vector<FaultSpec> faults;
  std::vector<SloSpec> slos;
  OutputsSpec outputs;
  nlohmann::json mapping;  // twin only; kept verbatim
  std::string canonical_json;  // the effective document (after --set), for the manifest hash

  const DeviceGroupSpec* find_group(const std::string& name) const;
  std::uint64_t device_count() const;
};

}  // namespace edgetwin::sim
