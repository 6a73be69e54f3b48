// sim/metrics.hpp — what a run measures: per device group, per node, per link, and over time.
// Plain accumulators with no SimGrid dependency; results.cpp turns them into files.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/core/quantile_sketch.hpp"

namespace edgetwin::sim {

/// Latency tiers of the path, in order: each delivery's end-to-end latency is their sum.
inline constexpr std::array<const char*, 5> kTiers = {"access", "gateway", "backhaul", "broker", "cloud"};

/// Why a delivery was lost (counts are in deliveries: a message lost before the broker loses one
/// delivery per subscribing service).
enum class LossCause : int {
  access = 0,          // generic access link, short-range hop, Sigfox (all three repetitions)
  collision,           // LoRa: destroyed by an overlapping frame
  below_sensitivity,   // LoRa: no gateway hears it
  demodulator_busy,    // LoRa: every demodulator of the gateways that could hear it was busy
  half_duplex,         // LoRa: the gateways were transmitting a downlink
  duty_cycle,          // LoRa: the sub-band stays closed past the device's next message
  device_busy,         // LoRa: the previous message was still being (re)transmitted
  no_coverage,         // cellular: coupling loss beyond the extreme coverage class
  quota,               // Sigfox: 140 uplinks per day used
  gateway_queue_full,
  balancer_queue_full,
  broker_queue_full,
  service_queue_full,
  gateway_down,     // the gateway crashed with the message in it, or the device sent to a dead gateway
  broker_down,      // QoS 0 in flight to (or queued in) a broker that crashed
  balancer_down,    // QoS 0 in flight through a load balancer that crashed
  link_down,        // QoS 0 on a link that went down
  service_down,     // the consuming service's node crashed
  buffer_overflow,  // the gateway's store-and-forward buffer was full
  session_queue_full,  // a broker's queue for an offline subscriber (persistent session) was full
  tenant_quota,        // refused by a broker: the tenant's PUBLISH rate quota was used up
  gateway_restart,     // reached a gateway whose pipeline was restarting for a rollout (during_restart: drop)
  saas_throttled,      // refused by a saas endpoint: over its rate limit
};
inline constexpr std::array<const char*, 23> kLossCauses = {
    "access",      "collision", "below_sensitivity",  "demodulator_busy",    "half_duplex",
    "duty_cycle",  "device_busy", "no_coverage",      "quota",               "gateway_queue_full",
    "balancer_queue_full", "broker_queue_full", "service_queue_full", "gateway_down", "broker_down",
    "balancer_down", "link_down", "service_down", "buffer_overflow",
    "session_queue_full", "tenant_quota", "gateway_restart", "saas_throttled"};

/// What one scripted fault did (drill.json).
struct FaultReport {
  std::string target, action;
  double at = 0, duration = 0;   // duration 0: until the end
  double detection_s = -1;       // clients noticed the failure this long after it
  double lb_removal_s = -1;      // the load balancer took the broker out of its pool
  std::uint64_t sessions_affected = 0;
  std::uint64_t reconnected = 0;
  double first_reconnect_s = -1, last_reconnect_s = -1;
  double recovery_s = -1;        // first message delivered over the new path
  std::uint64_t lost_qos0 = 0, lost_qos1 = 0;
  std::uint64_t late = 0;        // deliveries beyond their latency budget while the fault lasted
  std::uint64_t peak_backlog_messages = 0;
  double peak_backlog_bytes = 0;
  double breach_start = -1, breach_end = -1;  // first and last loss or late delivery it caused
  std::uint64_t takeovers = 0;          // sessions taken over from another broker of the cluster on reconnect
  std::uint64_t queued_offline = 0;     // messages brokers queued for offline subscribers (persistent sessions)
  std::uint64_t peak_offline_queue = 0; // largest such queue (one subscriber, one broker)
  std::uint64_t subscribers_rehomed = 0;  // subscribers that moved to another broker of the cluster
  std::string alert;             // first alert that fired after the fault started (alerting rules)
  double alert_s = -1;           // and how long after the fault it fired
};

/// What one rollout did (summary.json "rollouts").
struct RolloutReport {
  std::string name;
  double at = 0;
  int max_unavailable = 1;
  double pull_bytes_per_gateway = 0;  // uncached layers
  double end = -1;                    // the last gateway's pipeline is back (-1: not finished)
  std::map<std::string, double> link_bytes;  // bytes pulled over each link (route of the pulls)
  struct Gateway {
    std::string name;
    double pull_start = -1, pull_end = -1, down_start = -1, down_end = -1;
    double bytes = 0;
    std::uint64_t buffered = 0, lost = 0;
  };
  std::vector<Gateway> gateways;
};

/// Radio-level counters of a device group (LoRa mostly).
struct RadioCounters {
  std::uint64_t transmissions = 0;     // frames put on the air (including retransmissions)
  std::uint64_t retransmissions = 0;
  std::uint64_t extra_copies = 0;      // gateway copies beyond the first (deduplicated by the network server)
  std::uint64_t duplicates = 0;        // retransmissions of a message the network already had
  std::uint64_t acks = 0;              // confirmed uplinks acknowledged
  std::uint64_t no_ack = 0;            // confirmed uplinks delivered but never acknowledged
  std::uint64_t deferrals = 0;         // transmissions delayed by the duty cycle
  double deferral_time = 0;
  std::vector<std::uint64_t> sf_histogram;  // devices per SF (index = SF)
  std::uint64_t unreachable_devices = 0;
};

/// Commands sent to devices (downlink).
struct CommandCounters {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t expired = 0;     // not delivered within the command's expiry
  std::uint64_t lost = 0;        // dropped on the way (queue overflow)
  std::uint64_t unfinished = 0;  // still on the way, or waiting for the device, at the end
  models::QuantileSketch latency;
};

/// Device energy over the measured window (all devices of the group).
struct EnergyCounters {
  double tx_s = 0, rx_s = 0, idle_s = 0;  // summed over devices
  double window_s = 0;                    // measured window per device
  double average_current_a = 0;           // per device
  double energy_per_day_j = 0;            // per device
  double battery_years = 0;
  std::string currents;                   // which current table was used
};

struct IntervalCounters {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  double latency_sum = 0;
  double latency_max = 0;
};

struct GroupMetrics {
  std::string name;
  std::string tenant;
  std::uint64_t devices = 0;
  int fanout = 0;                 // services subscribed to the group's topics
  std::uint64_t sent = 0;         // messages generated in the measured window
  std::uint64_t expected = 0;     // sent x fanout
  std::uint64_t delivered = 0;    // deliveries to services
  std::uint64_t late = 0;         // deliveries beyond the latency budget
  std::uint64_t unsubscribed = 0; // messages no service subscribes to (reach the broker only)
  std::uint64_t unfinished = 0;   // deliveries still in flight when the run ended
  std::uint64_t duplicates = 0;   // QoS 1 deliveries received a second time (PUBACK lost in a broker crash)
  std::uint64_t filtered = 0;     // messages dropped on purpose by the gateway's filter (not expected downstream)
  models::QuantileSketch local_action;  // loop latency device -> gateway -> actuator (gateway pipeline)
  std::array<std::uint64_t, kLossCauses.size()> lost{};
  models::QuantileSketch latency;
  std::array<models::QuantileSketch, kTiers.size()> tiers;
  std::vector<IntervalCounters> series;
  std::string access_model = "generic";
  RadioCounters radio;
  CommandCounters commands;
  EnergyCounters energy;
  std::uint64_t lost_total() const {
    std::uint64_t n = 0;
    for (auto x : lost) n += x;
    return n;
  }
};

struct NodeMetrics {
  std::string name;
  std::string kind;  // gateway | load_balancer | broker | cloud_node
  int cores = 1;
  double speed = 0;
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t queue_peak = 0;
  double busy = 0;  // core-seconds spent executing
  std::vector<double> busy_series;
  std::vector<std::uint64_t> queue_series;  // peak queue per interval
};

/// A paas or saas service (cloud platform model): replicas over time, scaling, self-healing.
struct PlatformServiceMetrics {
  std::string name, model;
  int replicas_min = 0, replicas_max = 0, replicas_final = 0;  // ready pods
  struct ScaleEvent {
    double time;
    int from, to;
  };
  std::vector<ScaleEvent> scale_events;  // HPA decisions that changed the desired replicas
  struct PodEvent {
    double time;
    std::string what;  // scheduled | ready | pending | crashed | not_ready | evicted | deleted | restarted
    int pod;
    std::string node;
  };
  std::vector<PodEvent> pod_events;
  std::uint64_t evictions = 0;
  std::uint64_t pending_peak = 0;
  std::uint64_t throttled = 0;           // saas
  std::uint64_t dead_endpoint_qos0 = 0;  // routed to / running on a failed node's pod: lost
  std::uint64_t dead_endpoint_qos1 = 0;  // the same at QoS 1: held by the broker and sent again at NotReady
  std::uint64_t redelivered_qos1 = 0;
  // Per time-series interval, at its end: ready pods, desired replicas, pending pods.
  std::vector<int> ready_series, desired_series, pending_series;
};

struct LinkMetrics {
  std::string name;
  double bandwidth = 0;
  double latency = 0;
  double bytes = 0;
  std::uint64_t messages = 0;
  std::vector<double> bytes_series;
};

/// One delivery, for messages.csv (outputs.trace).
struct TraceRow {
  std::uint32_t group;
  std::uint64_t device;
  std::uint32_t service;
  std::uint32_t broker;
  std::array<double, 6> t;  // created, at gateway, gateway done, at broker, broker done, consumed
};

/// A replicated object store (Ceph-like), over the measured window [warmup, duration): objects
/// created by services in it, and what their writes did.
struct StorageMetrics {
  std::string name;
  std::uint32_t replication = 1;
  std::uint64_t objects = 0;        // objects created in the window
  std::uint64_t acknowledged = 0;   // of those, fully replicated and acknowledged to the client
  double payload_bytes = 0;         // message payload they carry
  double object_bytes = 0;          // payload + per-object overhead
  double disk_bytes = 0;            // written to OSD disks (all copies), counted as each disk write ends
  double cluster_bytes = 0;         // replica copies carried by the cluster network, as each one arrives
  double public_bytes = 0;          // client -> primary
  models::QuantileSketch write_latency;  // consumed -> acknowledged to the client
  std::vector<std::uint64_t> osd_primary;  // objects per OSD as primary
  std::vector<double> osd_disk_bytes;      // per OSD
  std::vector<double> disk_bytes_series;   // per time-series interval (all objects)
  std::uint64_t pending_messages = 0;      // consumed but waiting for a full store_batch at the end
  double total_payload_acknowledged = 0;   // whole run (the batch jobs' input)
};

/// One run of a batch job.
struct BatchRun {
  double at = 0;
  double input_bytes = 0;
  double flops = 0;
  double shuffle_bytes = 0;
  double duration = -1;  // -1: unfinished at the end
  bool missed = false;   // duration > every (or unfinished after every)
};
struct BatchJobMetrics {
  std::string name;
  double every = 0;
  std::vector<BatchRun> runs;
};

/// The log pipeline (ELK-like), over the batches of logs written in [warmup, duration].
struct LoggingMetrics {
  bool enabled = false;
  std::uint64_t batches = 0;
  double bytes_shipped = 0;         // raw log bytes shipped and indexed
  double cpu_seconds = 0;           // ingest + indexing work on the node (core-seconds at full speed)
  models::QuantileSketch lag;       // oldest line of a batch: written -> indexed
  std::vector<double> bytes_series; // per time-series interval, all batches, by arrival
};

/// One alerting rule: when it fired and resolved (-1: still firing at the end).
struct AlertMetrics {
  std::string name;
  std::vector<std::pair<double, double>> firings;
};

/// Segments of an application's response time, in path order: each response's latency is their sum
/// (segments a placement does not use are 0 for it).
inline constexpr std::array<const char*, 8> kAppSegments = {
    "device",          // device stages on the device's CPU (waiting for it included)
    "uplink_access",   // the frame over the access link to the gateway
    "edge",            // gateway (edge server) queue + edge stages' CPU
    "backhaul",        // gateway -> load balancer -> broker (network, load balancer)
    "broker",          // broker queue + CPU
    "cloud",           // broker -> service, service queue + cloud stages' CPU
    "downlink_core",   // cloud responses: service -> broker -> gateway (network, broker, gateway CPU)
    "downlink_access"  // the response over the access downlink to the device
};

/// Responses of one application (frames generated in the measured window).
struct AppMetrics {
  std::string name;
  std::uint64_t frames = 0;      // frames generated (measured)
  std::uint64_t responses = 0;   // responses received by the device
  std::uint64_t late = 0;        // responses beyond the latency budget
  std::uint64_t lost = 0;        // frames or responses lost on the way (or dropped by a gateway filter)
  std::uint64_t unfinished = 0;  // responses arriving after the end of the run
  models::QuantileSketch latency;                  // frame creation -> response at the device
  std::array<double, kAppSegments.size()> segment_sum{};  // summed over responses
  std::vector<IntervalCounters> series;  // per interval: sent = frames created, delivered = responses received
};

struct RunMetrics {
  double interval = 10;
  double simulated_end = 0;
  std::uint64_t events = 0;
  bool drained = true;
  bool partial = false;     // stopped before the end (time limit or interrupt): results cover [0, simulated_end]
  std::string stop_reason;  // "time-limit" | "interrupted" when partial
  std::vector<GroupMetrics> groups;
  std::vector<NodeMetrics> nodes;
  std::vector<LinkMetrics> links;
  std::vector<std::string> services;
  std::vector<TraceRow> trace;
  std::vector<FaultReport> faults;
  std::vector<StorageMetrics> storage;
  std::vector<BatchJobMetrics> batch_jobs;
  LoggingMetrics logging;
  std::vector<AlertMetrics> alerts;
  std::vector<AppMetrics> apps;
  std::vector<RolloutReport> rollouts;
  std::vector<PlatformServiceMetrics> platform_services;  // paas and saas services only
};

}  // namespace edgetwin::sim
