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

/// How devices reach their gateway. `model` selects which fields apply:
///   generic: bandwidth, latency, loss (a dedicated link per device, no contention)
///   lora: LoRaWAN (sf, sf_assignment, bw, cr, tx_power, preamble, confirmed, max_transmissions,
///         device_class, radius or distance) over the site's shared LoRa channel
///   sigfox: repetition_loss; cellular: technology, mcl, power_saving; short-range: technology, hops
struct AccessSpec {
  std::string model = "generic";
  double bandwidth = 0;  // bytes/s
  double latency = 0;    // s
  double loss = 0;       // probability a frame is lost
  // LoRa
  int sf = 7;
  std::string sf_assignment = "fixed";  // fixed | smallest | adr
  int bw_khz = 125;
  int cr = 1;  // 1..4 = 4/5..4/8
  double tx_power_dbm = 14;
  int preamble = 8;
  std::string ldro = "datasheet";  // datasheet (Tsym > 16 ms) | sf11-12 (SF11/12 at 125 kHz, as TTN/LMiC)
  bool confirmed = false;
  int max_transmissions = 0;  // 0 = default (1 unconfirmed, 8 confirmed)
  std::string device_class = "A";  // A | B | C
  double radius = 0;    // m: devices uniform in a disc around their home gateway
  double distance = 0;  // m: all devices at this distance (when radius is 0)
  // Sigfox
  double repetition_loss = 0;
  // Cellular
  std::string technology;  // cellular: nb-iot | nb-iot-nb2 | lte-m | gprs | 3g | lte | 5g-embb | 5g-urllc;
                           // short-range: zigbee | ble | ble-2m | wifi | iqrf | gpio
  double mcl_db = 130;
  std::string power_saving = "none";  // none | psm | edrx
  int hops = 1;
};

struct BatterySpec {
  double capacity_mah = 2400;         // assumption: AA-size Li-SOCl2 cell class
  double voltage = 3.6;               // Li-SOCl2 nominal
  double self_discharge_per_year = 0;  // fraction of capacity per year
};

/// The shared LoRa channel of a site (its gateways are the receivers).
struct SiteLoraSpec {
  std::string region = "EU868";
  int channels = 0;        // uplink channels used (the first N of the region's defaults); 0 = all
  bool duty_cycle = true;  // enforce the regional duty cycle (off only for validation what-ifs)
  bool capture = true;
  double capture_threshold_db = 6;
  bool preamble_lock = true;
  std::string sf_interference = "orthogonal";  // orthogonal | croce
  int demodulators = 8;
  double pl_d0_db = 127.41;  // LoRaSim / Petajajarvi et al. 2015
  double d0_m = 40;
  double gamma = 2.08;
  double sigma_db = 3.57;
};

struct DeviceGroupSpec {
  std::string name;  // full: site/group
  std::string site;
  std::string pointer;  // JSON pointer, for later error messages
  std::uint64_t count = 0;
  std::vector<std::string> gateways;  // full gateway names; device k uses gateways[k % n]
  AccessSpec access;
  BatterySpec battery;
  std::string tenant;
  double cpu = 0;  // flops/s of one device's processor (application stages placed on the device); 0 = none
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
  double x = 0, y = 0;               // m; gateways only (LoRa placement)
  bool exponential_service = false;  // CPU work ~ Exp(mean = cost) instead of exactly the cost
  double store_forward_bytes = 0;    // gateways: buffer while the brokers are unreachable
  double tls_handshake = 0;          // gateways: flops per reconnect
  double vpn_overhead = 0;           // gateways: bytes per packet added on the gateway -> load balancer hop
  double vpn_cost_per_byte = 0;      // gateways: flops per MQTT packet byte, at the gateway and at the load balancer
  // Gateway pipeline (gateways only).
  double filter_drop = 0;     // probability an uplink is filtered out at the gateway (after its CPU work)
  double analytics_cost = 0;  // flops per uplink message of edge analytics
  double action_fraction = 0;          // share of uplinks that trigger a local actuator command
  double action_cost = 0;              // flops of deciding and issuing it (on the gateway worker)
  double action_actuator_latency = 0;  // s: gateway -> actuator
  int aggregate_count = 1;                // uplinks of one group per aggregated PUBLISH (1 = off)
  double aggregate_max_wait = 1;          // s: a partial batch leaves after this
  double aggregate_record_overhead = 0;   // bytes per record in the aggregated payload
  // Cloud nodes only.
  std::string kind = "openstack-vm";  // openstack-vm | k8s-worker (k8s workers host PaaS pods)
  std::string zone;                   // availability zone ("" = none)
  double memory = 0;                  // bytes; 0 = not modelled (no memory check for pods)
};

struct SiteSpec {
  std::string name;
  std::vector<ProcessingSpec> gateways;
  std::vector<DeviceGroupSpec> device_groups;
  std::vector<std::string> routers;  // full names of pure routing vertices
  SiteLoraSpec lora;
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
  double health_check_interval = 5;
  int failure_threshold = 3;
};

struct BrokerClusterSpec {
  std::string prefix = "broker";
  int count = 0;
  ProcessingSpec node;            // name unused; each broker is prefix-k
  double cost_per_delivery = 0;  // flops per subscriber the message is fanned out to
  double cost_per_connect = 1e6;
  double cost_per_puback = 0;    // flops per QoS 1 PUBLISH acknowledged (PUBACK to the publisher)
  double keepalive = 60;
  std::string detection = "keepalive";  // keepalive | reset
  double reconnect_backoff = 1;
  double reconnect_backoff_max = 60;
  double restart_after = 0;
  // Clustering (opt-in): each subscriber is connected to one broker ("home", round-robin over the
  // services in order); a message published elsewhere crosses the interconnect to it.
  bool cluster = false;
  double interconnect_bandwidth = 1.25e8;  // bytes/s
  double interconnect_latency = 1e-4;      // s
  double cost_per_forward = 0;             // flops per forwarded message, at the sender and at the receiver
  // Persistent sessions of subscribers (clean session off).
  bool persistent_sessions = false;
  std::uint64_t max_queued = 1000;
  bool queue_qos0 = false;
  /// Per-tenant PUBLISH rate limits, enforced by each broker on arrival (token bucket).
  struct TenantQuota {
    std::string tenant;
    double rate = 0;   // PUBLISH per second
    double burst = 0;  // bucket size, PUBLISH
  };
  std::vector<TenantQuota> tenant_quotas;
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

/// Kubernetes HorizontalPodAutoscaler (autoscaling/v2, CPU utilization metric).
struct AutoscaleSpec {
  bool enabled = false;
  int min = 1, max = 1;
  double target_cpu = 0.8;               // utilization of the CPU request (0.8 = 80 %)
  double sync_period = 15;               // s (--horizontal-pod-autoscaler-sync-period)
  double scale_down_stabilization = 300; // s (behavior.scaleDown.stabilizationWindowSeconds)
  double scale_up_stabilization = 0;     // s
  double tolerance = 0.1;                // --horizontal-pod-autoscaler-tolerance
};

struct ServiceSpec {
  std::string name;
  std::string pointer;
  std::string node;  // full cloud node name (iaas: where it runs; paas: where its traffic enters the cluster)
  std::string model = "iaas";  // iaas | paas | saas
  // paas: a Deployment of pods behind a Service.
  double pod_cpu = 1;      // cores requested per pod (limit = request)
  double pod_memory = 0;   // bytes requested per pod
  int replicas = 1;        // initial
  std::vector<std::string> pod_nodes;  // full names of the nodes pods may run on
  double startup = 5;      // s: pod created until ready
  AutoscaleSpec autoscale;
  std::string restart_policy = "always";  // always | never
  double eviction_timeout = 300;          // s (tolerationSeconds of not-ready/unreachable taints)
  double node_monitor_grace = 40;         // s (kube-controller-manager --node-monitor-grace-period)
  std::uint64_t queue_capacity = 0;       // paas: messages waiting in the Service; 0 = unbounded
  // saas: a managed endpoint.
  double latency = 0;     // s per request
  double rate_limit = 0;  // requests/s (token bucket); 0 = none
  double burst = 0;       // bucket size
  std::vector<std::string> subscribe;  // MQTT topic filters
  double cost_per_message = 0;
  double cost_per_byte = 0;
  std::string tenant;
  std::string store;              // storage cluster every consumed message is written to ("" = none)
  std::uint64_t store_batch = 1;  // consumed messages per stored object
};

/// A replicated object store like Ceph (platform.cloud.storage): `osds` OSD hosts, each with one
/// disk and one NIC on the cluster network; clients reach the primaries over the public network.
struct StorageSpec {
  std::string name;
  std::string pointer;
  std::uint32_t osds = 3;
  std::uint32_t replication = 3;
  double disk_bandwidth = 0;         // bytes/s, write bandwidth of one OSD's disk
  double cluster_bandwidth = 1.25e9;  // bytes/s, one OSD's NIC on the cluster network
  double cluster_latency = 1e-4;      // s
  double public_bandwidth = 1.25e9;   // bytes/s, clients -> primaries (shared)
  double public_latency = 1e-4;       // s
  double object_overhead = 0;         // bytes added to each object (metadata, headers)
  std::string osd_name(std::uint32_t k) const { return "storage/" + name + "/osd-" + std::to_string(k + 1); }
};

/// A Spark-like periodic batch job (workload.batch_jobs).
struct BatchStageSpec {
  double cost_per_byte = 0;  // flops per input byte of the stage
  double shuffle = 0;        // shuffle output (the next stage's input) as a fraction of this stage's input
};
struct BatchJobSpec {
  std::string name;
  std::string pointer;
  double every = 0;    // s: a run at every, 2*every, ... (before the end)
  std::string input;   // storage name (payload acknowledged since the last run) or service name (payload consumed)
  std::vector<BatchStageSpec> stages;
  std::uint32_t parallelism = 1;        // tasks per stage
  std::vector<std::string> executors;   // full cloud node names
  double shuffle_bandwidth = 1.25e9;    // bytes/s of the executors' shared network
  double shuffle_latency = 1e-4;        // s
};

/// The log and monitoring pipeline (ELK-like, platform.logging): every gateway ships its logs in
/// batches (Filebeat) over its backhaul to one cloud node that ingests (Logstash) and indexes them
/// (Elasticsearch, `replicas` extra copies of every shard).
struct LoggingSpec {
  bool enabled = false;
  std::string pointer;
  std::string node;               // full cloud node name
  std::vector<std::string> gateways;  // full gateway names (default: all)
  double ship_rate = 0;           // bytes/s of logs per gateway
  double bytes_per_message = 0;   // log bytes per message the gateway processes
  double flush = 1;               // s between batches of one gateway
  double ingest_cost_per_byte = 0;  // flops
  double index_cost_per_byte = 0;   // flops
  std::uint32_t replicas = 1;
  double index_overhead = 1.1;    // on-disk index size / raw log size
};

/// Alerting (Prometheus-like): targets are scraped every scrape_interval, rules evaluated every
/// evaluation_interval on the latest samples; a rule whose condition has held for `for` fires.
struct AlertRuleSpec {
  std::string name;
  std::string pointer;
  std::string metric;   // up | delivery_ratio | latency.mean
  std::string scope;    // up: an entity (gateway, load balancer, broker, cloud node, link); else "" or a device group
  std::string condition = "below";  // below | above
  double threshold = 0;  // up: 1 (below 1 = down); delivery_ratio: a ratio; latency.mean: seconds
  double window = 60;    // s: delivery_ratio and latency.mean are over the samples of the last window
  double for_ = 0;       // s
};
struct AlertingSpec {
  double scrape_interval = 15;
  double evaluation_interval = 15;
  std::vector<AlertRuleSpec> rules;
};

/// Commands from a service to every device of a group (downlink), Poisson per device.
struct CommandSpec {
  std::string pointer;
  std::string group;
  std::string from;  // service name
  double period = 0;   // mean interval per device
  std::uint64_t payload = 0;
  double expiry = 0;   // a command not delivered within this time is lost (0 = never)
};

/// An application: a chain of stages fed by a device group's traffic (one frame per message).
/// Each stage runs on the device, the edge (the device's gateway) or the cloud (`service`);
/// placement is monotone along the chain. After the last stage `response` bytes go back to the device.
struct AppStageSpec {
  std::string name;
  double cost = 0;            // flops per message
  std::uint64_t output = 0;   // bytes passed to the next stage (or sent on)
  std::string placement;      // device | edge | cloud
};

struct ApplicationSpec {
  std::string pointer;
  std::string name;
  std::string group;     // full device-group name; its traffic entry produces the frames
  std::size_t traffic = 0;  // index of that traffic entry in Scenario::traffic
  std::vector<AppStageSpec> stages;
  std::string service;   // the service hosting the cloud stages ("" when none is in the cloud)
  std::uint64_t response = 0;  // bytes sent back to the device after the last stage
  double latency_budget = 0;   // s; responses later than this are counted late (0 = none)
  // Derived (loader): flops per tier, and the message size leaving each tier.
  double device_cost = 0, edge_cost = 0, cloud_cost = 0;
  std::uint64_t access_bytes = 0;  // payload crossing the access link (last device output or the traffic payload)
  std::uint64_t edge_bytes = 0;    // payload leaving the gateway (last edge output, else access_bytes)
  std::string last;                // placement of the last stage
};

/// Delivering a new container image to gateways: a rolling update (workload.rollouts).
struct RolloutSpec {
  std::string pointer;
  std::string name;
  double at = 0;                  // s: the rollout starts
  std::string registry_node;      // entity hosting the registry (cloud node, broker or load balancer)
  double registry_bandwidth = 0;  // bytes/s: registry egress, shared by concurrent pulls
  struct Layer {
    double size = 0;  // bytes
    bool cached = false;  // already on the gateways: not pulled
  };
  std::vector<Layer> layers;
  std::vector<std::string> gateways;  // full gateway names, in update order
  int max_unavailable = 1;            // gateways updating (pulling or restarting) at once
  int max_concurrent_downloads = 3;   // layers pulled at once by one gateway (dockerd default)
  double restart = 0;                 // s: pipeline down (container stop + start + ready)
  std::string pull = "before-stop";   // before-stop | after-stop
  std::string during_restart = "buffer";  // buffer | drop
  double pull_bytes() const {
    double b = 0;
    for (const auto& l : layers)
      if (!l.cached) b += l.size;
    return b;
  }
};

struct FaultSpec {
  std::string pointer;
  double at = 0;
  std::string target;
  std::string action;
  double duration = 0;  // "for"; 0 = until the end / a restore
  nlohmann::json params;
  double bandwidth = 0, latency = -1;  // degrade: new values (unset: 0 / -1)
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
  std::vector<StorageSpec> storage;
  std::vector<BatchJobSpec> batch_jobs;
  LoggingSpec logging;
  AlertingSpec alerting;
  std::vector<CommandSpec> commands;
  std::vector<ApplicationSpec> applications;
  std::vector<RolloutSpec> rollouts;
  std::vector<FaultSpec> faults;
  std::vector<SloSpec> slos;
  OutputsSpec outputs;
  nlohmann::json mapping;  // twin only; kept verbatim
  nlohmann::json cost;     // prices, kept verbatim; validated by sim/plan (cost.hpp)
  std::string canonical_json;  // the effective document (after --set), for the manifest hash

  const DeviceGroupSpec* find_group(const std::string& name) const;
  std::uint64_t device_count() const;
};

}  // namespace edgetwin::sim
