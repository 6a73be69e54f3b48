// sim/scenario_loader.cpp — the scenario format v1: its declared specs, --set overrides, and the
// semantic checks (names, references, ranges) that run before anything is simulated.
#include "sim/scenario_loader.hpp"

#include "models/protocol/mqtt_topic.hpp"
#include "models/radio/lorawan_region.hpp"
#include "sim/topology.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace edgetwin::sim {

using nlohmann::json;
using models::units::Kind;

namespace {

FieldSpec str(std::string name, bool required, std::string help, json def = nullptr) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::string;
  f.required = required;
  f.help = std::move(help);
  f.default_value = std::move(def);
  return f;
}
FieldSpec qty(std::string name, Kind unit, bool required, std::string help, json def = nullptr,
              std::optional<double> min = 0.0, bool exclusive = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::quantity;
  f.unit = unit;
  f.required = required;
  f.help = std::move(help);
  f.default_value = std::move(def);
  f.minimum = min;
  f.exclusive_minimum = exclusive;
  return f;
}
FieldSpec integer(std::string name, bool required, std::string help, json def = nullptr, std::optional<double> min = 0.0) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::integer;
  f.required = required;
  f.help = std::move(help);
  f.default_value = std::move(def);
  f.minimum = min;
  return f;
}
FieldSpec number(std::string name, std::string help, json def, std::optional<double> min = std::nullopt,
                 bool exclusive = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::number;
  f.help = std::move(help);
  f.default_value = std::move(def);
  f.minimum = min;
  f.exclusive_minimum = exclusive;
  return f;
}
FieldSpec boolean(std::string name, std::string help, bool def) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::boolean;
  f.help = std::move(help);
  f.default_value = def;
  return f;
}
FieldSpec prob(std::string name, std::string help, json def) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::probability;
  f.help = std::move(help);
  f.default_value = std::move(def);
  return f;
}
FieldSpec choice(std::string name, std::vector<std::string> choices, std::string help, json def) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::enumeration;
  f.choices = std::move(choices);
  f.help = std::move(help);
  f.default_value = std::move(def);
  return f;
}
FieldSpec obj(std::string name, const ObjectSpec* spec, bool required, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::object;
  f.object = spec;
  f.required = required;
  f.help = std::move(help);
  return f;
}
FieldSpec objs(std::string name, const ObjectSpec* spec, bool required, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::object_array;
  f.object = spec;
  f.required = required;
  f.help = std::move(help);
  return f;
}
FieldSpec strs(std::string name, bool required, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::string_array;
  f.required = required;
  f.help = std::move(help);
  return f;
}
FieldSpec free_obj(std::string name, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::free_object;
  f.help = std::move(help);
  return f;
}

struct Specs {
  ObjectSpec engine{"engine", "SimGrid engine options", {}};
  ObjectSpec access{"access", "device-to-gateway access link (generic model: rate, latency, loss)", {}};
  ObjectSpec battery{"battery", "the devices' battery, for lifetime estimates", {}};
  ObjectSpec site_lora{"site lora", "the site's shared LoRa channel (its gateways are the receivers)", {}};
  ObjectSpec command{"command", "downlink commands from a service to every device of a group", {}};
  ObjectSpec device_group{"device group", "a cohort of identical devices attached to gateways of its site", {}};
  ObjectSpec gateway{"gateway", "an edge server / intelligent gateway (a SimGrid host)", {}};
  ObjectSpec pipeline{"gateway pipeline", "what the gateway does to each uplink besides forwarding it", {}};
  ObjectSpec local_action{"local action", "real-time loop: device -> gateway -> actuator, without the cloud", {}};
  ObjectSpec aggregate{"aggregation",
                       "the gateway packs up to count uplinks of one device group into one MQTT PUBLISH (its own "
                       "session), as an aggregating MQTT-SN gateway or a batching packet forwarder does",
                       {}};
  ObjectSpec cluster{"broker clustering",
                     "brokers form one cluster: each subscriber is connected to one broker, and a message published "
                     "on another broker is forwarded to it over the interconnect (off: every subscriber is connected "
                     "to every broker)",
                     {}};
  ObjectSpec sessions{"MQTT sessions", "session state kept by the brokers for their subscribers", {}};
  ObjectSpec tenant_quota{"tenant quota",
                          "a per-tenant PUBLISH rate limit that each broker enforces on arrival (token bucket); "
                          "over it a PUBLISH is refused (MQTT 5 reason code 0x97, quota exceeded) and lost",
                          {}};
  ObjectSpec site{"site", "a site: gateways, device groups and routers", {}};
  ObjectSpec link{"link", "a wired link between two entities (backhaul, VPN, LAN)", {}};
  ObjectSpec lb{"load balancer", "the load balancer in front of the broker cluster", {}};
  ObjectSpec brokers{"broker cluster", "the MQTT broker cluster: count identical brokers named prefix-1..prefix-N", {}};
  ObjectSpec cloud_node{"cloud node", "a cloud node (Kubernetes worker or OpenStack VM)", {}};
  ObjectSpec network{"network", "a network: bandwidth and latency", {}};
  ObjectSpec storage{"storage", "a replicated object store like Ceph: OSDs with a disk each, primary-copy replication over "
                                "a cluster network", {}};
  ObjectSpec batch_stage{"batch stage", "one stage of a batch job (tasks end at a barrier, then the shuffle)", {}};
  ObjectSpec batch_job{"batch job", "a Spark-like periodic batch job over the data stored since its last run", {}};
  ObjectSpec logging{"logging", "the log pipeline (ELK-like): gateways ship log batches over their backhaul to one "
                                "cloud node that ingests and indexes them", {}};
  ObjectSpec alert_rule{"alert rule", "a Prometheus-like alerting rule on what the run measures", {}};
  ObjectSpec alerting{"alerting", "monitoring and alerting (Prometheus-like scrapes and rule evaluation)", {}};
  ObjectSpec cloud{"cloud", "the cloud side", {}};
  ObjectSpec platform{"platform", "what exists: sites, links, load balancer, brokers, cloud", {}};
  ObjectSpec traffic{"traffic", "what one device group sends", {}};
  ObjectSpec service{"service", "a cloud service that subscribes to broker topics and consumes messages", {}};
  ObjectSpec pod{"pod", "paas: the resources each pod requests (its limits equal its requests)", {}};
  ObjectSpec autoscale{"autoscale",
                       "paas: a Kubernetes HorizontalPodAutoscaler on CPU utilization (autoscaling/v2 defaults)", {}};
  ObjectSpec workload{"workload", "what runs: device traffic and cloud services", {}};
  ObjectSpec app_stage{"application stage", "one processing step of an application, placed on the device, the edge or the cloud", {}};
  ObjectSpec application{"application",
                         "a chain of stages fed by a device group's traffic (one frame per message), with a response "
                         "sent back to the device after the last stage",
                         {}};
  ObjectSpec fault{"fault", "one scripted fault", {}};
  ObjectSpec rollout{"rollout",
                     "delivering a new container image to gateways: layers pulled from a registry over each "
                     "backhaul, then a rolling update (at most max_unavailable gateways updating at once)",
                     {}};
  ObjectSpec registry{"registry", "the container registry the gateways pull from", {}};
  ObjectSpec image{"image", "the new container image", {}};
  ObjectSpec layer{"layer", "one layer of the image", {}};
  ObjectSpec slo{"slo", "an assertion on a KPI", {}};
  ObjectSpec outputs{"outputs", "what the results folder holds", {}};
  ObjectSpec root{"scenario", "EdgeTwin scenario, format v1", {}};

  Specs() {
    const auto cpu_fields = [](ObjectSpec& s, bool with_cost) {
      s.fields.push_back(qty("cpu", Kind::cpu_speed, true, "speed of one core", nullptr, 0.0, true));
      s.fields.push_back(integer("cores", false, "number of cores; one worker per core serves the queue", 1, 1.0));
      if (with_cost) {
        s.fields.push_back(qty("cost_per_message", Kind::flops, false, "CPU work per message", "0f"));
        s.fields.push_back(qty("cost_per_byte", Kind::flops, false, "CPU work per payload byte", "0f"));
      }
      s.fields.push_back(
          integer("queue_capacity", false, "messages that may wait for a core; 0 = unbounded (overflow is lost)", 0));
      s.fields.push_back(choice("service_time", {"deterministic", "exponential"},
                                "CPU work per message: exactly the cost, or exponentially distributed with the cost "
                                "as its mean (queueing-theory validation, bursty workloads)",
                                "deterministic"));
    };
    engine.fields = {choice("network_model", {"CM02", "LV08"},
                            "SimGrid network model for wired links (CM02: latency + size/bandwidth with fair "
                            "sharing, no correction factors; LV08: SimGrid's default, latency x 13.01 and "
                            "bandwidth x 0.97 for TCP effects)",
                            "CM02"),
                     strs("simgrid_config", false, "extra SimGrid --cfg settings, \"key:value\"")};
    access.fields = {
        choice("model", {"generic", "lora", "sigfox", "cellular", "short-range"},
               "access model: generic link, LoRaWAN, Sigfox, cellular (NB-IoT, LTE-M, GSM/3G, LTE, 5G) or "
               "short-range/wired (ZigBee, BLE, Wi-Fi, IQRF, GPIO)",
               "generic"),
        qty("bandwidth", Kind::bandwidth, false, "generic: device uplink rate", nullptr, 0.0, true),
        qty("latency", Kind::duration, false, "generic: one-way latency of the access link", "0s"),
        prob("loss", "generic: probability that a frame is lost on the access link", 0),
        integer("sf", false, "lora: spreading factor 7..12 (fixed, or the starting point of adr)", 7, 7.0),
        choice("sf_assignment", {"fixed", "smallest", "adr"},
               "lora: fixed SF; smallest = the fastest SF whose sensitivity the best gateway's mean RSSI meets; "
               "adr = converged LoRaWAN ADR (SNR margin, 3 dB steps)",
               "fixed"),
        integer("bw", false, "lora: bandwidth in kHz (125, 250, 500)", 125, 125.0),
        choice("cr", {"4/5", "4/6", "4/7", "4/8"}, "lora: coding rate", "4/5"),
        qty("tx_power", Kind::power_dbm, false, "lora: transmit power", "14dBm", std::nullopt),
        integer("preamble", false, "lora: preamble symbols", 8, 6.0),
        choice("ldro", {"datasheet", "sf11-12"},
               "lora: low-data-rate optimisation rule: datasheet (on when the symbol time exceeds 16 ms) or "
               "sf11-12 (on for SF11/SF12 at 125 kHz only, as TTN, LMiC and LoRaSim)",
               "datasheet"),
        boolean("confirmed", "lora: confirmed uplinks (ACK in RX1/RX2, retransmission on timeout)", false),
        integer("max_transmissions", false,
                "lora: transmissions per message (0 = LoRaWAN default: 1 unconfirmed, 8 confirmed)", 0),
        choice("device_class", {"A", "B", "C"}, "lora: device class, for downlink commands", "A"),
        qty("radius", Kind::distance, false, "lora: devices uniform in a disc of this radius around their gateway",
            "0m"),
        qty("distance", Kind::distance, false, "lora: all devices at this distance from their gateway", "0m"),
        prob("repetition_loss", "sigfox: probability that one of the three repetitions is lost", 0),
        str("technology", false,
            "cellular: nb-iot, nb-iot-nb2, lte-m, gprs, 3g, lte, 5g-embb, 5g-urllc; short-range: zigbee, ble, "
            "ble-2m, wifi, iqrf, gpio",
            ""),
        number("mcl", "cellular: maximum coupling loss in dB (coverage class: <=144 normal, <=154 robust, "
                      "<=164 extreme)",
               130),
        choice("power_saving", {"none", "psm", "edrx"}, "cellular: power saving (downlink reachability)", "none"),
        integer("hops", false, "short-range: hops from the device to the gateway (mesh)", 1, 1.0)};
    battery.fields = {number("capacity_mah", "battery capacity in mAh", 2400, 0.0, true),
                      number("voltage", "battery voltage", 3.6, 0.0, true),
                      number("self_discharge_per_year", "fraction of capacity lost per year", 0, 0.0)};
    site_lora.fields = {choice("region", {"EU868", "US915"}, "LoRaWAN regional parameters", "EU868"),
                        integer("channels", false, "uplink channels used: the first N default channels of the "
                                                   "region (0 = all)", 0),
                        boolean("duty_cycle", "enforce the regional duty cycle (devices and gateways)", true),
                        boolean("capture", "same-SF capture (Bor et al. 2016)", true),
                        number("capture_threshold", "capture threshold in dB", 6),
                        boolean("preamble_lock", "frames survive interferers ending before their last 5 preamble "
                                                 "symbols", true),
                        choice("sf_interference", {"orthogonal", "croce"},
                               "different SFs: perfectly orthogonal, or Croce et al. 2018 SIR thresholds",
                               "orthogonal"),
                        integer("demodulators", false, "concurrent demodulations per gateway (SX1301: 8)", 8, 1.0),
                        number("pl_d0", "log-distance path loss at d0, dB (LoRaSim)", 127.41),
                        qty("d0", Kind::distance, false, "reference distance (LoRaSim)", "40m", 0.0, true),
                        number("gamma", "path-loss exponent (LoRaSim)", 2.08, 0.0, true),
                        number("sigma", "shadowing standard deviation in dB (LoRaSim)", 3.57, 0.0)};
    command.fields = {str("group", true, "device group, site/group"),
                      str("from", true, "service sending the commands"),
                      qty("period", Kind::duration, true, "mean interval between commands to one device (Poisson)",
                          nullptr, 0.0, true),
                      qty("payload", Kind::data_size, false, "command payload", "8B"),
                      qty("expiry", Kind::duration, false, "a command not delivered within this time is lost (0s = "
                                                           "never)",
                          "0s")};
    device_group.fields = {str("name", true, "group name, unique within the site"),
                           integer("count", true, "number of devices", nullptr, 1.0),
                           strs("gateways", true, "gateways of the site the devices attach to (device k uses "
                                                  "gateways[k mod n])"),
                           obj("access", &access, true, "the access link"),
                           obj("battery", &battery, false, "the devices' battery"),
                           str("tenant", false, "tenant owning the group", ""),
                           qty("cpu", Kind::cpu_speed, false,
                               "speed of one device's processor, for application stages placed on the device "
                               "(0 = none)",
                               "0f")};
    gateway.fields = {str("name", true, "gateway name, unique within the site")};
    cpu_fields(gateway, true);
    gateway.fields.push_back(qty("x", Kind::distance, false, "position east of the site origin (LoRa)", "0m",
                                 std::nullopt));
    gateway.fields.push_back(qty("y", Kind::distance, false, "position north of the site origin (LoRa)", "0m",
                                 std::nullopt));
    gateway.fields.push_back(qty("store_forward", Kind::data_size, false,
                                 "store-and-forward buffer: messages held while the brokers are unreachable "
                                 "(beyond it they are dropped)",
                                 "16MiB"));
    gateway.fields.push_back(qty("tls_handshake", Kind::flops, false, "CPU work of a TLS handshake per reconnect",
                                 "0f"));
    gateway.fields.push_back(qty("vpn_overhead", Kind::data_size, false,
                                 "VPN tunnel overhead: bytes added to every packet on the gateway -> load balancer "
                                 "hop (e.g. IPsec ESP tunnel mode, WireGuard)",
                                 "0B"));
    gateway.fields.push_back(qty("vpn_cost_per_byte", Kind::flops, false,
                                 "VPN encryption work per byte of the MQTT packet, paid at the gateway before "
                                 "sending and again at the load balancer (decryption) on arrival",
                                 "0f"));
    pipeline.fields = {prob("filter_drop",
                            "probability that an uplink is filtered out at the gateway (after its CPU work): "
                            "counted per group as filtered, neither lost nor expected downstream",
                            0),
                       qty("analytics_cost", Kind::flops, false,
                           "edge analytics: CPU work per uplink message on the gateway (gateway tier)", "0f"),
                       obj("local_action", &local_action, false, "real-time local action loop"),
                       obj("aggregate", &aggregate, false, "aggregation of uplinks into one publish")};
    aggregate.fields = {integer("count", false, "uplinks per aggregated PUBLISH (1 = no aggregation)", 1, 1.0),
                        qty("max_wait", Kind::duration, false,
                            "longest an uplink waits for its batch to fill; then the partial batch is sent", "1s", 0.0,
                            true),
                        qty("record_overhead", Kind::data_size, false,
                            "bytes added per record in the aggregated payload (device id, timestamp, framing)", "0B")};
    local_action.fields = {prob("fraction", "share of the uplinks through this gateway that trigger an actuator command", 0),
                           qty("cost", Kind::flops, false,
                               "CPU work of the action, on the gateway worker right after the message's own work "
                               "(it delays the message's forwarding too)",
                               "0f"),
                           qty("actuator_latency", Kind::duration, false, "gateway -> actuator delivery time", "0s")};
    gateway.fields.push_back(obj("pipeline", &pipeline, false, "the gateway's processing pipeline"));
    site.fields = {str("name", true, "site name"), objs("gateways", &gateway, true, "the site's gateways"),
                   objs("device_groups", &device_group, false, "the site's device groups"),
                   strs("routers", false, "pure routing vertices (switches, routers) of the site"),
                   obj("lora", &site_lora, false, "the site's LoRa channel")};
    link.fields = {str("name", true, "link name"),
                   strs("between", true, "the two endpoints: entity names; \"brokers\" means one link per broker"),
                   qty("bandwidth", Kind::bandwidth, true, "capacity", nullptr, 0.0, true),
                   qty("latency", Kind::duration, false, "one-way latency", "0s"),
                   choice("sharing", {"shared", "fatpipe"},
                          "shared: flows share the capacity fairly; fatpipe: each flow gets all of it", "shared")};
    lb.fields = {str("name", false, "entity name", "lb"),
                 choice("policy", {"round-robin", "least-connections", "client-id-hash"},
                        "how a client connection is assigned a broker", "round-robin"),
                 qty("health_check_interval", Kind::duration, false, "how often the load balancer probes each broker",
                     "5s", 0.0, true),
                 integer("failure_threshold", false, "failed probes before a broker leaves the pool", 3, 1.0)};
    cpu_fields(lb, true);
    brokers.fields = {integer("count", true, "number of brokers", nullptr, 1.0),
                      str("prefix", false, "broker names are prefix-1 .. prefix-N", "broker")};
    cpu_fields(brokers, false);
    brokers.fields.push_back(qty("cost_per_publish", Kind::flops, false, "CPU work per PUBLISH received", "0f"));
    brokers.fields.push_back(qty("cost_per_byte", Kind::flops, false, "CPU work per payload byte", "0f"));
    brokers.fields.push_back(
        qty("cost_per_delivery", Kind::flops, false, "CPU work per subscriber a message is delivered to", "0f"));
    brokers.fields.push_back(qty("cost_per_connect", Kind::flops, false,
                                 "CPU work per CONNECT (session set-up, authentication)", "1Mf"));
    brokers.fields.push_back(qty("cost_per_puback", Kind::flops, false,
                                 "CPU work per QoS 1 PUBLISH acknowledged (PUBACK to the publishing client)", "0f"));
    brokers.fields.push_back(qty("keepalive", Kind::duration, false,
                                 "MQTT keep-alive; a dead peer is noticed after 1.5 x keep-alive", "60s", 0.0, true));
    brokers.fields.push_back(choice("detection", {"keepalive", "reset"},
                                    "how clients notice a broker failure: keep-alive timeout, or at once (TCP reset)",
                                    "keepalive"));
    brokers.fields.push_back(qty("reconnect_backoff", Kind::duration, false,
                                 "first reconnect delay; doubles per failed attempt, with +-50 % jitter", "1s", 0.0,
                                 true));
    brokers.fields.push_back(qty("reconnect_backoff_max", Kind::duration, false, "cap of the reconnect delay", "60s",
                                 0.0, true));
    brokers.fields.push_back(qty("restart_after", Kind::duration, false,
                                 "a crashed broker restarts after this delay, like a Kubernetes restart policy (0s = "
                                 "only a scripted restore brings it back)",
                                 "0s"));
    brokers.fields.push_back(obj("cluster", &cluster, false, "broker clustering (inter-broker forwarding)"));
    brokers.fields.push_back(obj("sessions", &sessions, false, "persistent sessions of subscribers"));
    brokers.fields.push_back(objs("tenant_quotas", &tenant_quota, false, "per-tenant rate limits"));
    tenant_quota.fields = {str("tenant", true, "tenant (of some device group)"),
                           number("rate", "PUBLISH packets per second the tenant may send to each broker", nullptr,
                                  0.0, true),
                           integer("burst", false, "bucket size: PUBLISH packets accepted at once (0 = one second "
                                                   "of rate)",
                                   0, 0.0)};
    cluster.fields = {boolean("enabled", "subscribers connect to one broker each; messages cross the interconnect", false),
                      qty("bandwidth", Kind::bandwidth, false, "interconnect capacity (one shared cluster network)",
                          "1Gbps", 0.0, true),
                      qty("latency", Kind::duration, false, "interconnect one-way latency", "100us"),
                      qty("cost_per_forward", Kind::flops, false,
                          "CPU work per message crossing the interconnect, paid by the sending and by the receiving "
                          "broker (also per session taken over)",
                          "0f")};
    sessions.fields = {boolean("persistent",
                               "subscribers use persistent sessions (clean session off): while a subscriber is "
                               "offline its broker queues its QoS 1 messages and delivers them when it is back",
                               false),
                       integer("max_queued", false,
                               "messages queued per offline subscriber per broker (Mosquitto's max_queued_messages)",
                               1000, 1.0),
                       boolean("queue_qos0", "queue QoS 0 messages for offline subscribers too (Mosquitto's "
                                             "queue_qos0_messages)",
                               false)};
    cloud_node.fields = {str("name", true, "node name (entity cloud/<name>)")};
    cpu_fields(cloud_node, false);
    cloud_node.fields.push_back(choice("kind", {"openstack-vm", "k8s-worker"},
                                       "openstack-vm: a VM you size, running iaas services; k8s-worker: a Kubernetes "
                                       "worker node that also hosts paas pods",
                                       "openstack-vm"));
    cloud_node.fields.push_back(str("zone", false, "availability zone (paas services may be restricted to zones)", ""));
    cloud_node.fields.push_back(
        qty("memory", Kind::data_size, false, "allocatable memory for pods; 0 = not checked", "0B"));
    network.fields = {qty("bandwidth", Kind::bandwidth, false, "bandwidth (per NIC on a cluster network)", "10Gbps", 0.0,
                          true),
                      qty("latency", Kind::duration, false, "one-way latency", "100us")};
    storage.fields = {
        str("name", true, "storage cluster name (OSD hosts are storage/<name>/osd-k)"),
        integer("osds", false, "number of OSDs (object storage daemons, one disk each)", 3, 1.0),
        integer("replication", false, "copies of each object (Ceph pool size); at most osds", 3, 1.0),
        qty("disk_write_bandwidth", Kind::bandwidth, true, "write bandwidth of one OSD's disk", nullptr, 0.0, true),
        obj("cluster_network", &network, false, "the OSDs' replication network (one NIC per OSD)"),
        obj("public_network", &network, false, "clients -> primary OSDs (one shared link)"),
        qty("object_overhead", Kind::data_size, false, "bytes added to every object (metadata, headers)", "0B")};
    logging.fields = {
        str("node", true, "cloud node running the ingest and indexing (Logstash + Elasticsearch), cloud/<name>"),
        strs("gateways", false, "gateways shipping logs, site/gw (default: all)"),
        qty("ship_rate", Kind::bandwidth, false, "log bytes per second per gateway", "0Bps"),
        qty("bytes_per_message", Kind::data_size, false, "log bytes per message a gateway processes", "0B"),
        qty("flush", Kind::duration, false, "a gateway ships its logs as one batch this often (Filebeat-like)", "1s",
            0.0, true),
        qty("ingest_cost_per_byte", Kind::flops, false, "parsing CPU work per log byte on the node", "0f"),
        qty("index_cost_per_byte", Kind::flops, false, "indexing CPU work per log byte on the node", "0f"),
        integer("replicas", false, "replica copies of every index shard", 1),
        number("index_overhead", "on-disk index size per raw log byte", 1.1, 0.0, true)};
    cloud.fields = {objs("nodes", &cloud_node, true, "cloud nodes"),
                    objs("storage", &storage, false, "replicated object stores (Ceph-like)")};
    platform.fields = {objs("sites", &site, true, "sites"), objs("links", &link, false, "wired links"),
                       obj("load_balancer", &lb, true, "load balancer"),
                       obj("brokers", &brokers, true, "broker cluster"), obj("cloud", &cloud, true, "cloud side"),
                       obj("logging", &logging, false, "log pipeline (ELK-like)")};
    traffic.fields = {
        str("group", true, "device group, site/group"),
        choice("pattern", {"periodic", "poisson", "burst"},
               "periodic: every period (+ jitter); poisson: exponential gaps of mean period; burst: burst_size "
               "messages every period",
               "periodic"),
        qty("period", Kind::duration, true, "interval between messages of a device (mean for poisson)", nullptr, 0.0,
            true),
        qty("jitter", Kind::duration, false, "periodic: uniform random delay in [0, jitter) added to each period",
            "0s"),
        qty("start", Kind::duration, false, "devices start uniformly spread over [start, start + period)", "0s"),
        integer("burst_size", false, "burst: messages per burst", 1, 1.0),
        qty("burst_spacing", Kind::duration, false, "burst: gap between the messages of one burst", "0s"),
        qty("payload", Kind::data_size, true, "application payload size"),
        integer("qos", false, "MQTT QoS (0 or 1)", 0),
        str("topic", false, "topic template; {site}, {group}, {device} are replaced", "{site}/{group}/{device}/up"),
        qty("latency_budget", Kind::duration, false, "end-to-end budget; later deliveries count as late (0 = none)",
            "0s")};
    service.fields = {str("name", true, "service name"), str("node", true, "cloud node it runs on, cloud/<name>"),
                      strs("subscribe", true, "MQTT topic filters it subscribes to"),
                      qty("cost_per_message", Kind::flops, false, "CPU work per message", "0f"),
                      qty("cost_per_byte", Kind::flops, false, "CPU work per payload byte", "0f"),
                      str("tenant", false, "tenant owning the service", ""),
                      str("store", false, "storage cluster each consumed message is written to (empty = none)", ""),
                      integer("store_batch", false, "consumed messages per stored object", 1, 1.0),
                      choice("model", {"iaas", "paas", "saas"},
                             "iaas: runs on its node's cores (a VM you size); paas: pods of a Deployment scheduled "
                             "on k8s workers behind a Service, with optional HPA; saas: a managed endpoint with a "
                             "per-request latency and a rate limit",
                             "iaas"),
                      obj("pod", &pod, false, "paas: resources requested per pod"),
                      integer("replicas", false, "paas: initial number of pods", 1, 1.0),
                      strs("nodes", false, "paas: cloud nodes pods may run on (default: every k8s worker)"),
                      strs("zones", false, "paas: zones pods may run in (default: any)"),
                      qty("startup", Kind::duration, false, "paas: pod creation until it is ready", "5s"),
                      obj("autoscale", &autoscale, false, "paas: horizontal pod autoscaler (absent: fixed replicas)"),
                      choice("restart_policy", {"always", "never"},
                             "paas: a node back before eviction restarts its pods (always) or they fail and are "
                             "replaced elsewhere (never)",
                             "always"),
                      qty("eviction_timeout", Kind::duration, false,
                          "paas: pods of a NotReady node are evicted after this (tolerationSeconds)", "300s"),
                      qty("node_monitor_grace", Kind::duration, false,
                          "paas: a silent node is marked NotReady (endpoints removed) after this", "40s"),
                      integer("queue_capacity", false, "paas: messages waiting in the Service; 0 = unbounded", 0),
                      qty("latency", Kind::duration, false, "saas: time per request", "0s"),
                      number("rate_limit", "saas: requests per second (token bucket); 0 = none", 0, 0.0),
                      number("burst", "saas: token bucket size in requests (default: max(1, rate_limit))", 0, 0.0)};
    pod.fields = {number("cpu", "CPU request in cores (= limit)", 1, 0.0, true),
                  qty("memory", Kind::data_size, false, "memory request", "0B")};
    autoscale.fields = {integer("min", false, "minReplicas", 1, 1.0),
                        integer("max", true, "maxReplicas", nullptr, 1.0),
                        prob("target_cpu", "target average CPU utilization of the request", 0.8),
                        qty("sync_period", Kind::duration, false, "HPA sync period", "15s", 0.0, true),
                        qty("scale_down_stabilization", Kind::duration, false,
                            "scale down to the highest recommendation of this window", "300s"),
                        qty("scale_up_stabilization", Kind::duration, false,
                            "scale up to the lowest recommendation of this window", "0s"),
                        number("tolerance", "no scaling while utilization / target is within 1 +- this", 0.1, 0.0)};
    workload.fields = {objs("traffic", &traffic, true, "traffic per device group"),
                       objs("services", &service, false, "cloud services consuming the brokers' traffic"),
                       objs("commands", &command, false, "downlink commands from services to devices"),
                       objs("applications", &application, false,
                            "application pipelines: stages placed on device, edge or cloud, with a response to the device"),
                       objs("rollouts", &rollout, false, "edge application rollouts (rolling updates of gateways)"),
                       objs("batch_jobs", &batch_job, false, "periodic Spark-like batch analytics")};
    app_stage.fields = {str("name", true, "stage name"),
                        qty("cost", Kind::flops, false, "CPU work per message", "0f"),
                        qty("output", Kind::data_size, true, "bytes the stage passes on"),
                        choice("placement", {"device", "edge", "cloud"},
                               "where it runs: the device's own CPU, its gateway (edge server), or the application's "
                               "service; monotone along the chain",
                               nullptr)};
    app_stage.fields[3].required = true;
    application.fields = {str("name", true, "application name (an SLO scope)"),
                          str("group", true, "device group whose traffic entry produces the frames (payload = frame size)"),
                          objs("stages", &app_stage, true, "the chain, in order"),
                          str("service", false, "service hosting the cloud stages (required when a stage is in the cloud)", ""),
                          qty("response", Kind::data_size, false, "bytes sent back to the device after the last stage", "0B"),
                          qty("latency_budget", Kind::duration, false,
                              "frame creation to response at the device; later responses count as late (0 = none)",
                              "0s")};
    registry.fields = {str("node", true, "entity hosting the registry: a cloud node, a broker or the load balancer"),
                       qty("bandwidth", Kind::bandwidth, true,
                           "registry egress, shared by the concurrent pulls (an extra link every pull crosses)",
                           nullptr, 0.0, true)};
    layer.fields = {qty("size", Kind::data_size, true, "layer size (compressed, as pulled)", nullptr, 0.0, true),
                    boolean("cached", "already on the gateways: not pulled", false)};
    image.fields = {objs("layers", &layer, true, "the image's layers (the uncached ones are pulled)")};
    rollout.fields = {
        str("name", true, "rollout name"),
        qty("at", Kind::duration, true, "when the rollout starts"),
        obj("registry", &registry, true, "where the image is pulled from"),
        obj("image", &image, true, "the new image"),
        strs("gateways", false, "gateways (site/gateway) or sites (all their gateways), in update order; default: "
                                "every gateway, in declaration order"),
        integer("max_unavailable", false, "gateways updating (pulling or restarting) at once", 1, 1.0),
        integer("max_concurrent_downloads", false,
                "layers one gateway pulls at once, in the image's order (dockerd's default: 3)", 3, 1.0),
        qty("restart", Kind::duration, true, "how long the gateway's pipeline is down: container stop + start + ready"),
        choice("pull", {"before-stop", "after-stop"},
               "before-stop: the new image is pulled while the old container runs; after-stop (recreate): the "
               "pipeline is down during the pull and the restart",
               "before-stop"),
        choice("during_restart", {"buffer", "drop"},
               "uplinks reaching a restarting gateway: held by the gateway's agent (up to its "
               "store_forward_bytes, then lost as buffer_overflow) and processed after the restart, or lost "
               "(gateway_restart)",
               "buffer")};
    batch_stage.fields = {
        qty("cost_per_byte", Kind::flops, true, "CPU work per input byte of the stage (split over its tasks)"),
        number("shuffle", "shuffle output as a fraction of the stage's input: the next stage's input", 1.0, 0.0)};
    batch_job.fields = {
        str("name", true, "job name"),
        qty("every", Kind::duration, true, "period: runs at every, 2 x every, ... before the end", nullptr, 0.0, true),
        str("input", true, "storage cluster (payload acknowledged since the last run) or service (payload consumed "
                           "since the last run): the run's input"),
        objs("stages", &batch_stage, true, "stages, run one after the other"),
        integer("parallelism", false, "tasks per stage", 1, 1.0),
        strs("executors", true, "cloud nodes running the tasks (one task per core at a time)"),
        obj("shuffle_network", &network, false, "the executors' shared network for shuffles")};
    fault.fields = {qty("at", Kind::duration, true, "when the fault starts"),
                    str("target", true, "entity name, or a paas service (crash: its containers exit)"),
                    choice("action", {"crash", "restore", "degrade", "partition"}, "what happens", nullptr),
                    qty("for", Kind::duration, false, "how long; 0 = until restored or the end", "0s"),
                    free_obj("params", "action parameters (degrade: bandwidth, latency; crash of a paas service: pods)")};
    fault.fields[2].required = true;
    FieldSpec max_f = free_obj("max", "upper bound: a number, or a duration like \"100ms\" for latency metrics");
    FieldSpec min_f = free_obj("min", "lower bound: a number, or a duration like \"100ms\" for latency metrics");
    slo.fields = {str("metric", true, "KPI name, e.g. latency.p99, delivery_ratio, utilization"),
                  str("scope", false, "device group, node, link, tenant or application name; empty = whole system", ""), max_f, min_f};
    outputs.fields = {qty("interval", Kind::duration, false, "time-series interval", "10s", 0.0, true),
                      boolean("trace", "write messages.csv with every delivery's stage times", false),
                      integer("trace_limit", false, "at most this many rows in messages.csv", 100000)};
    alert_rule.fields = {
        str("name", true, "alert name"),
        choice("metric", {"up", "delivery_ratio", "latency.mean"},
               "up: 1 while the scoped entity runs, 0 while it is down; delivery_ratio: deliveries in the window / "
               "deliveries expected from the messages sent in it; latency.mean: mean end-to-end latency (s) of the "
               "window's deliveries",
               nullptr),
        str("scope", false, "up: gateway, load balancer, broker, cloud node or link; others: a device group or "
                            "empty (all)", ""),
        choice("condition", {"below", "above"}, "fires when the value is below / above the threshold", "below"),
        number("threshold", "threshold (up: 1 = fires when down; latency.mean: seconds)", 1.0),
        qty("window", Kind::duration, false, "range of delivery_ratio and latency.mean (like a PromQL [window])",
            "60s", 0.0, true),
        qty("for", Kind::duration, false, "the condition must hold this long before the alert fires", "0s")};
    alert_rule.fields[1].required = true;
    alerting.fields = {qty("scrape_interval", Kind::duration, false, "how often targets are sampled", "15s", 0.0, true),
                       qty("evaluation_interval", Kind::duration, false, "how often rules are evaluated", "15s", 0.0,
                           true),
                       objs("rules", &alert_rule, true, "alerting rules")};
    root.fields = {str("name", true, "scenario name"),
                   str("description", false, "what the scenario shows", ""),
                   integer("seed", false, "root of every random stream", 1),
                   qty("duration", Kind::duration, true, "simulated time", nullptr, 0.0, true),
                   qty("warmup", Kind::duration, false, "KPIs ignore messages generated before this time", "0s"),
                   obj("engine", &engine, false, "engine options"),
                   obj("platform", &platform, true, "what exists"),
                   obj("workload", &workload, true, "what runs"),
                   objs("faults", &fault, false, "timed fault script"),
                   objs("slo", &slo, false, "assertions on KPIs"),
                   obj("alerting", &alerting, false, "alerting rules (Prometheus-like)"),
                   free_obj("mapping", "twin only: MQTT topic patterns to entities"),
                   free_obj("cost", "prices for the monthly cost by tier (see docs/capacity-planning.md)"),
                   obj("outputs", &outputs, false, "results options")};
    // The schema's free objects for max/min accept numbers and strings too.
  }
};

const Specs& specs() {
  static const Specs s;
  return s;
}

ProcessingSpec read_processing(const ObjectReader& r, const std::string& name, bool with_cost) {
  ProcessingSpec p;
  p.name = name;
  p.pointer = r.pointer();
  p.speed = r.get_quantity("cpu");
  p.cores = static_cast<int>(r.get_integer("cores"));
  if (with_cost) {
    p.cost_per_message = r.get_quantity("cost_per_message");
    p.cost_per_byte = r.get_quantity("cost_per_byte");
  }
  p.queue_capacity = static_cast<std::uint64_t>(r.get_integer("queue_capacity"));
  p.exponential_service = r.get_string("service_time") == "exponential";
  if (p.cores > 4096) r.fail("cores", "expected at most 4096 cores");
  return p;
}

void check_simple_name(const ObjectReader& r, const std::string& key, const std::string& name) {
  for (char c : name)
    if (c == '/' || c == '#' || c == '+' || c == ' ' || c == '\t')
      r.fail(key, "expected a name without '/', '#', '+' or spaces, got \"" + name + "\"");
}

std::optional<double> read_bound(const ObjectReader& r, const std::string& key, const std::string& metric) {
  if (!r.has(key)) return std::nullopt;
  const json& v = r.raw(key);
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    if (metric.find("latency") != std::string::npos || metric == "max_duration") {
      auto d = models::units::parse(Kind::duration, v.get<std::string>());
      if (d) return *d;
      r.fail(key, "expected a number or " + models::units::describe(Kind::duration) + ", got " + brief(v));
    }
    auto x = models::units::parse(Kind::ratio, v.get<std::string>());
    if (x) return *x;
  }
  r.fail(key, "expected a number (or a duration for latency metrics), got " + brief(v));
}

// A payload the access technology cannot carry is a scenario error naming the group and data rate.
void check_payload_fits_access(const ObjectReader& tr, const DeviceGroupSpec& g, const Scenario& sc,
                               std::uint64_t payload) {
  namespace radio = models::radio;
  if (g.access.model == "sigfox" && payload > 12)
    tr.fail("payload", "device group \"" + g.name + "\" uses Sigfox: at most 12 bytes per uplink, got " +
                           std::to_string(payload));
  if (g.access.model != "lora") return;
  std::string region = "EU868";
  for (const auto& site : sc.sites)
    if (site.name == g.site) region = site.lora.region;
  const auto r = *radio::parse_region(region);
  // Devices must be able to send at every SF they may be given: the fixed SF, or SF12/the slowest DR.
  const int sf = g.access.sf_assignment == "fixed" ? g.access.sf : (r == radio::Region::us915 ? 10 : 12);
  const auto dr = radio::uplink_dr_for(r, sf, g.access.bw_khz);
  if (!dr)
    tr.fail("payload", "device group \"" + g.name + "\": SF" + std::to_string(sf) + " at " +
                           std::to_string(g.access.bw_khz) + " kHz is not an uplink data rate of " + region);
  if (auto err = radio::check_app_payload(r, *dr, static_cast<int>(std::min<std::uint64_t>(payload, 1u << 20))))
    tr.fail("payload", "device group \"" + g.name + "\": " + *err);
  // US915: 400 ms dwell time per uplink (RP002-1.0.1 §2.5).
  radio::LoraParams p;
  p.sf = sf;
  p.bw_khz = g.access.bw_khz;
  p.cr = g.access.cr;
  p.preamble = g.access.preamble;
  p.ldro = g.access.ldro == "sf11-12" ? radio::LdroMode::sf11_12_at_125 : radio::LdroMode::datasheet;
  if (auto err = radio::check_dwell_time(r, radio::time_on_air_s(p, static_cast<int>(payload) + 13)))
    tr.fail("payload", "device group \"" + g.name + "\" at SF" + std::to_string(sf) + ": " + *err);
}

// Fields of the access object that each model uses; any other field given is an error.
const std::map<std::string, std::set<std::string>>& access_fields() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"generic", {"model", "bandwidth", "latency", "loss"}},
      {"lora",
       {"model", "sf", "sf_assignment", "bw", "cr", "tx_power", "preamble", "ldro", "confirmed", "max_transmissions",
        "device_class", "radius", "distance"}},
      {"sigfox", {"model", "repetition_loss"}},
      {"cellular", {"model", "technology", "mcl", "power_saving"}},
      {"short-range", {"model", "technology", "hops"}},
  };
  return m;
}

void read_access(const ObjectReader& ar, AccessSpec& a) {
  a.model = ar.get_string("model");
  const auto& allowed = access_fields().at(a.model);
  for (const auto& f : scenario_spec().find("platform")->object->find("sites")->object->find("device_groups")
                           ->object->find("access")->object->fields)
    if (ar.has(f.name) && !allowed.count(f.name))
      ar.fail(f.name, "\"" + f.name + "\" does not apply to access model \"" + a.model + "\"");
  if (a.model == "generic") {
    if (!ar.has("bandwidth")) ar.fail("bandwidth", "missing required key \"bandwidth\" (generic access model)");
    a.bandwidth = ar.get_quantity("bandwidth");
    a.latency = ar.get_quantity("latency");
    a.loss = ar.get_probability("loss");
  } else if (a.model == "lora") {
    a.sf = static_cast<int>(ar.get_integer("sf"));
    if (a.sf > 12) ar.fail("sf", "expected a spreading factor from 7 to 12, got " + std::to_string(a.sf));
    a.sf_assignment = ar.get_string("sf_assignment");
    a.bw_khz = static_cast<int>(ar.get_integer("bw"));
    if (a.bw_khz != 125 && a.bw_khz != 250 && a.bw_khz != 500)
      ar.fail("bw", "expected 125, 250 or 500 (kHz), got " + std::to_string(a.bw_khz));
    a.cr = ar.get_string("cr")[2] - '4';
    a.tx_power_dbm = ar.get_quantity("tx_power");
    if (a.tx_power_dbm < -4 || a.tx_power_dbm > 30) ar.fail("tx_power", "expected a transmit power from -4 to 30 dBm");
    a.preamble = static_cast<int>(ar.get_integer("preamble"));
    a.ldro = ar.get_string("ldro");
    a.confirmed = ar.get_bool("confirmed");
    a.max_transmissions = static_cast<int>(ar.get_integer("max_transmissions"));
    if (a.max_transmissions == 0) a.max_transmissions = a.confirmed ? 8 : 1;
    if (a.max_transmissions > 15) ar.fail("max_transmissions", "expected at most 15 (LoRaWAN NbTrans)");
    a.device_class = ar.get_string("device_class");
    a.radius = ar.get_quantity("radius");
    a.distance = ar.get_quantity("distance");
    if (a.radius > 0 && a.distance > 0) ar.fail("distance", "expected either \"radius\" or \"distance\", not both");
    if (a.radius <= 0 && a.distance <= 0)
      ar.fail("radius", "expected \"radius\" (devices spread in a disc) or \"distance\" for LoRa devices");
  } else if (a.model == "sigfox") {
    a.repetition_loss = ar.get_probability("repetition_loss");
  } else if (a.model == "cellular") {
    static const std::vector<std::string> techs = {"nb-iot", "nb-iot-nb2", "lte-m",   "gprs",
                                                   "3g",     "lte",        "5g-embb", "5g-urllc"};
    a.technology = ar.get_string("technology");
    if (std::find(techs.begin(), techs.end(), a.technology) == techs.end()) {
      std::string msg = "expected a cellular technology (nb-iot, nb-iot-nb2, lte-m, gprs, 3g, lte, 5g-embb, "
                        "5g-urllc), got \"" + a.technology + "\"";
      const std::string hint = did_you_mean(a.technology, techs);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      ar.fail("technology", msg);
    }
    a.mcl_db = ar.get_number("mcl");
    a.power_saving = ar.get_string("power_saving");
  } else {
    static const std::vector<std::string> techs = {"zigbee", "ble", "ble-2m", "wifi", "iqrf", "gpio"};
    a.technology = ar.get_string("technology");
    if (std::find(techs.begin(), techs.end(), a.technology) == techs.end()) {
      std::string msg = "expected a short-range technology (zigbee, ble, ble-2m, wifi, iqrf, gpio), got \"" +
                        a.technology + "\"";
      const std::string hint = did_you_mean(a.technology, techs);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      ar.fail("technology", msg);
    }
    a.hops = static_cast<int>(ar.get_integer("hops"));
  }
}

}  // namespace

const ObjectSpec& scenario_spec() { return specs().root; }

json scenario_schema() {
  json s = json_schema_for(scenario_spec(), "https://edgetwin.invalid/schemas/scenario-v1.json",
                           "EdgeTwin scenario (format v1)");
  // SLO bounds accept a number or a string with a unit.
  for (const char* k : {"max", "min"}) {
    auto& p = s["$defs"]["slo"]["properties"][k];
    const std::string desc = p["description"];
    p = {{"anyOf", json::array({json{{"type", "number"}}, json{{"type", "string"}}})}, {"description", desc}};
  }
  return s;
}

const std::vector<std::string>& slo_metrics() {
  static const std::vector<std::string> m = {
      "latency.mean", "latency.p50",   "latency.p95", "latency.p99", "latency.max", "delivery_ratio", "loss_ratio",
      "late_ratio",   "delivered",     "lost",        "utilization", "queue_peak",  "throughput",
      "command_latency.mean", "command_latency.p50", "command_latency.p95", "command_latency.p99",
      "command_latency.max", "command_delivery_ratio", "battery_years",
      "write_latency.mean", "write_latency.p50", "write_latency.p99", "write_latency.max", "write_amplification",
      "growth_per_day_bytes", "missed", "max_duration"};
  return m;
}

std::vector<std::string> BrokerClusterSpec::names() const {
  std::vector<std::string> out;
  for (int k = 1; k <= count; ++k) out.push_back(prefix + "-" + std::to_string(k));
  return out;
}

const DeviceGroupSpec* Scenario::find_group(const std::string& name) const {
  for (const auto& s : sites)
    for (const auto& g : s.device_groups)
      if (g.name == name) return &g;
  return nullptr;
}

std::uint64_t Scenario::device_count() const {
  std::uint64_t n = 0;
  for (const auto& s : sites)
    for (const auto& g : s.device_groups) n += g.count;
  return n;
}

void apply_override(json& doc, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("", "--set expects PATH=VALUE, got \"" + assignment + "\"");
  std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  if (path.front() != '/') {
    std::string p;
    std::stringstream ss(path);
    std::string seg;
    while (std::getline(ss, seg, '.')) p += "/" + pointer_escape(seg);
    path = p;
  }
  json value;
  try {
    value = json::parse(text);
  } catch (const json::parse_error&) {
    value = text;
  }
  json::json_pointer ptr;
  try {
    ptr = json::json_pointer(path);
  } catch (const json::exception& e) {
    throw ScenarioError(path, std::string("--set: invalid path: ") + e.what());
  }
  const json::json_pointer parent = ptr.parent_pointer();
  if (!doc.contains(parent))
    throw ScenarioError(parent.to_string(), "--set " + assignment + ": no such object in the scenario");
  json& holder = doc[parent];
  if (holder.is_array()) {
    const std::string last = ptr.back();
    std::size_t idx = 0;
    try {
      idx = std::stoul(last);
    } catch (...) {
      throw ScenarioError(path, "--set: expected an array index, got \"" + last + "\"");
    }
    if (idx >= holder.size()) throw ScenarioError(path, "--set: index out of range");
    holder[idx] = value;
  } else if (holder.is_object()) {
    holder[ptr.back()] = value;
  } else {
    throw ScenarioError(parent.to_string(), "--set " + assignment + ": not an object or array");
  }
}

Scenario scenario_from_json(const json& doc) {
  const Specs& sp = specs();
  ObjectReader root(doc, "", sp.root);
  Scenario sc;
  sc.name = root.get_string("name");
  sc.description = root.get_string("description");
  sc.seed = static_cast<std::uint64_t>(root.get_integer("seed"));
  sc.duration = root.get_quantity("duration");
  sc.warmup = root.get_quantity("warmup");
  if (sc.warmup >= sc.duration) root.fail("warmup", "expected a warmup shorter than the duration");

  const ObjectReader engine = root.get_object("engine");
  sc.engine.network_model = engine.get_string("network_model");
  sc.engine.simgrid_config = engine.get_strings("simgrid_config");
  for (std::size_t i = 0; i < sc.engine.simgrid_config.size(); ++i)
    if (sc.engine.simgrid_config[i].find(':') == std::string::npos)
      throw ScenarioError(engine.child_pointer("simgrid_config") + "/" + std::to_string(i),
                          "expected \"key:value\", got \"" + sc.engine.simgrid_config[i] + "\"");

  // Entity registry: name -> pointer where it is declared; kinds for reference checks.
  std::map<std::string, std::string> entity_kind;
  const auto declare = [&](const ObjectReader& r, const std::string& key, const std::string& name,
                           const std::string& kind) {
    if (entity_kind.count(name)) r.fail(key, "duplicate entity name \"" + name + "\"");
    entity_kind[name] = kind;
  };

  const ObjectReader platform = root.get_object("platform");
  const auto sites = platform.get_objects("sites");
  if (sites.empty()) platform.fail("sites", "expected at least one site");
  for (const auto& sr : sites) {
    SiteSpec site;
    site.name = sr.get_string("name");
    check_simple_name(sr, "name", site.name);
    declare(sr, "name", site.name, "site");
    const auto gws = sr.get_objects("gateways");
    if (gws.empty()) sr.fail("gateways", "expected at least one gateway");
    for (const auto& gr : gws) {
      const std::string short_name = gr.get_string("name");
      check_simple_name(gr, "name", short_name);
      const std::string full = site.name + "/" + short_name;
      declare(gr, "name", full, "gateway");
      ProcessingSpec gp = read_processing(gr, full, true);
      gp.x = gr.get_quantity("x");
      gp.y = gr.get_quantity("y");
      gp.store_forward_bytes = gr.get_quantity("store_forward");
      gp.tls_handshake = gr.get_quantity("tls_handshake");
      gp.vpn_overhead = gr.get_quantity("vpn_overhead");
      gp.vpn_cost_per_byte = gr.get_quantity("vpn_cost_per_byte");
      {
        const ObjectReader pr = gr.get_object("pipeline");
        gp.filter_drop = pr.get_probability("filter_drop");
        gp.analytics_cost = pr.get_quantity("analytics_cost");
        const ObjectReader la = pr.get_object("local_action");
        gp.action_fraction = la.get_probability("fraction");
        gp.action_cost = la.get_quantity("cost");
        gp.action_actuator_latency = la.get_quantity("actuator_latency");
        const ObjectReader ag = pr.get_object("aggregate");
        gp.aggregate_count = static_cast<int>(ag.get_integer("count"));
        if (gp.aggregate_count > 100000) ag.fail("count", "expected at most 100000 uplinks per publish");
        gp.aggregate_max_wait = ag.get_quantity("max_wait");
        gp.aggregate_record_overhead = ag.get_quantity("record_overhead");
      }
      site.gateways.push_back(gp);
    }
    {
      const ObjectReader lr = sr.get_object("lora");
      site.lora.region = lr.get_string("region");
      site.lora.channels = static_cast<int>(lr.get_integer("channels"));
      const auto defaults = models::radio::default_uplink_channels(*models::radio::parse_region(site.lora.region));
      if (site.lora.channels > static_cast<int>(defaults.size()))
        lr.fail("channels", "expected at most " + std::to_string(defaults.size()) + " channels for " + site.lora.region);
      site.lora.duty_cycle = lr.get_bool("duty_cycle");
      site.lora.capture = lr.get_bool("capture");
      site.lora.capture_threshold_db = lr.get_number("capture_threshold");
      site.lora.preamble_lock = lr.get_bool("preamble_lock");
      site.lora.sf_interference = lr.get_string("sf_interference");
      site.lora.demodulators = static_cast<int>(lr.get_integer("demodulators"));
      site.lora.pl_d0_db = lr.get_number("pl_d0");
      site.lora.d0_m = lr.get_quantity("d0");
      site.lora.gamma = lr.get_number("gamma");
      site.lora.sigma_db = lr.get_number("sigma");
    }
    const auto routers = sr.get_strings("routers");
    for (std::size_t i = 0; i < routers.size(); ++i) {
      const std::string full = site.name + "/" + routers[i];
      if (entity_kind.count(full))
        throw ScenarioError(sr.child_pointer("routers") + "/" + std::to_string(i), "duplicate entity name \"" + full + "\"");
      entity_kind[full] = "router";
      site.routers.push_back(full);
    }
    for (const auto& dr : sr.get_objects("device_groups")) {
      DeviceGroupSpec g;
      const std::string short_name = dr.get_string("name");
      check_simple_name(dr, "name", short_name);
      g.name = site.name + "/" + short_name;
      g.site = site.name;
      g.pointer = dr.pointer();
      declare(dr, "name", g.name, "device_group");
      g.count = static_cast<std::uint64_t>(dr.get_integer("count"));
      if (g.count > 100000000ULL) dr.fail("count", "expected at most 100,000,000 devices per group");
      const auto names = dr.get_strings("gateways");
      if (names.empty()) dr.fail("gateways", "expected at least one gateway");
      std::vector<std::string> site_gw;
      for (const auto& gw : site.gateways) site_gw.push_back(gw.name);
      for (std::size_t i = 0; i < names.size(); ++i) {
        std::string full = names[i].find('/') == std::string::npos ? site.name + "/" + names[i] : names[i];
        if (std::find(site_gw.begin(), site_gw.end(), full) == site_gw.end()) {
          std::string msg = "unknown gateway \"" + names[i] + "\" (a device group attaches to gateways of its own site)";
          const std::string hint = did_you_mean(full, site_gw);
          if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
          throw ScenarioError(dr.child_pointer("gateways") + "/" + std::to_string(i), msg);
        }
        g.gateways.push_back(full);
      }
      const ObjectReader ar = dr.get_object("access");
      read_access(ar, g.access);
      const ObjectReader br = dr.get_object("battery");
      g.battery.capacity_mah = br.get_number("capacity_mah");
      g.battery.voltage = br.get_number("voltage");
      g.battery.self_discharge_per_year = br.get_number("self_discharge_per_year");
      g.tenant = dr.get_string("tenant");
      g.cpu = dr.get_quantity("cpu");
      site.device_groups.push_back(std::move(g));
    }
    sc.sites.push_back(std::move(site));
  }

  const ObjectReader lbr = platform.get_object("load_balancer");
  const std::string lb_name = lbr.get_string("name");
  check_simple_name(lbr, "name", lb_name);
  declare(lbr, "name", lb_name, "load_balancer");
  sc.load_balancer.node = read_processing(lbr, lb_name, true);
  sc.load_balancer.policy = lbr.get_string("policy");
  sc.load_balancer.health_check_interval = lbr.get_quantity("health_check_interval");
  sc.load_balancer.failure_threshold = static_cast<int>(lbr.get_integer("failure_threshold"));

  const ObjectReader br = platform.get_object("brokers");
  sc.brokers.count = static_cast<int>(br.get_integer("count"));
  if (sc.brokers.count > 1000) br.fail("count", "expected at most 1000 brokers");
  sc.brokers.prefix = br.get_string("prefix");
  check_simple_name(br, "prefix", sc.brokers.prefix);
  sc.brokers.node = read_processing(br, sc.brokers.prefix, false);
  sc.brokers.node.cost_per_message = br.get_quantity("cost_per_publish");
  sc.brokers.node.cost_per_byte = br.get_quantity("cost_per_byte");
  sc.brokers.cost_per_delivery = br.get_quantity("cost_per_delivery");
  sc.brokers.cost_per_connect = br.get_quantity("cost_per_connect");
  sc.brokers.cost_per_puback = br.get_quantity("cost_per_puback");
  sc.brokers.keepalive = br.get_quantity("keepalive");
  sc.brokers.detection = br.get_string("detection");
  sc.brokers.reconnect_backoff = br.get_quantity("reconnect_backoff");
  sc.brokers.reconnect_backoff_max = br.get_quantity("reconnect_backoff_max");
  sc.brokers.restart_after = br.get_quantity("restart_after");
  {
    const ObjectReader cl = br.get_object("cluster");
    sc.brokers.cluster = cl.get_bool("enabled");
    sc.brokers.interconnect_bandwidth = cl.get_quantity("bandwidth");
    sc.brokers.interconnect_latency = cl.get_quantity("latency");
    sc.brokers.cost_per_forward = cl.get_quantity("cost_per_forward");
    const ObjectReader se = br.get_object("sessions");
    sc.brokers.persistent_sessions = se.get_bool("persistent");
    sc.brokers.max_queued = static_cast<std::uint64_t>(se.get_integer("max_queued"));
    sc.brokers.queue_qos0 = se.get_bool("queue_qos0");
    std::set<std::string> tenants, quoted;
    for (const auto& site : sc.sites)
      for (const auto& g : site.device_groups)
        if (!g.tenant.empty()) tenants.insert(g.tenant);
    for (const auto& qr : br.get_objects("tenant_quotas")) {
      BrokerClusterSpec::TenantQuota q;
      q.tenant = qr.get_string("tenant");
      if (!tenants.count(q.tenant)) {
        std::vector<std::string> known(tenants.begin(), tenants.end());
        std::string msg = "unknown tenant \"" + q.tenant + "\" (no device group has it)";
        const std::string hint = did_you_mean(q.tenant, known);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        qr.fail("tenant", msg);
      }
      if (!quoted.insert(q.tenant).second) qr.fail("tenant", "a second quota for tenant \"" + q.tenant + "\"");
      q.rate = qr.get_number("rate");
      q.burst = static_cast<double>(qr.get_integer("burst"));
      if (q.burst <= 0) q.burst = std::max(1.0, std::ceil(q.rate));
      sc.brokers.tenant_quotas.push_back(q);
    }
  }
  for (const auto& n : sc.brokers.names()) declare(br, "prefix", n, "broker");

  const ObjectReader cr = platform.get_object("cloud");
  const auto nodes = cr.get_objects("nodes");
  if (nodes.empty()) cr.fail("nodes", "expected at least one cloud node");
  for (const auto& nr : nodes) {
    const std::string short_name = nr.get_string("name");
    check_simple_name(nr, "name", short_name);
    const std::string full = "cloud/" + short_name;
    declare(nr, "name", full, "cloud_node");
    sc.cloud_nodes.push_back(read_processing(nr, full, false));
    sc.cloud_nodes.back().kind = nr.get_string("kind");
    sc.cloud_nodes.back().zone = nr.get_string("zone");
    sc.cloud_nodes.back().memory = nr.get_quantity("memory");
  }
  for (const auto& str_r : cr.get_objects("storage")) {
    StorageSpec st;
    st.pointer = str_r.pointer();
    st.name = str_r.get_string("name");
    check_simple_name(str_r, "name", st.name);
    for (const auto& other : sc.storage)
      if (other.name == st.name) str_r.fail("name", "duplicate storage name \"" + st.name + "\"");
    st.osds = static_cast<std::uint32_t>(str_r.get_integer("osds"));
    st.replication = static_cast<std::uint32_t>(str_r.get_integer("replication"));
    if (st.replication > st.osds)
      str_r.fail("replication", "expected at most osds (" + std::to_string(st.osds) + ") copies, got " +
                                    std::to_string(st.replication));
    if (st.osds > 1024) str_r.fail("osds", "expected at most 1024 OSDs");
    st.disk_bandwidth = str_r.get_quantity("disk_write_bandwidth");
    const ObjectReader cn = str_r.get_object("cluster_network");
    st.cluster_bandwidth = cn.get_quantity("bandwidth");
    st.cluster_latency = cn.get_quantity("latency");
    const ObjectReader pn = str_r.get_object("public_network");
    st.public_bandwidth = pn.get_quantity("bandwidth");
    st.public_latency = pn.get_quantity("latency");
    st.object_overhead = str_r.get_quantity("object_overhead");
    sc.storage.push_back(std::move(st));
  }
  if (platform.has("logging")) {
    const ObjectReader lr = platform.get_object("logging");
    LoggingSpec& lg = sc.logging;
    lg.enabled = true;
    lg.pointer = lr.pointer();
    lg.node = lr.get_string("node");
    std::vector<std::string> cloud_names, gateway_names;
    for (const auto& n : sc.cloud_nodes) cloud_names.push_back(n.name);
    for (const auto& site : sc.sites)
      for (const auto& gw : site.gateways) gateway_names.push_back(gw.name);
    if (std::find(cloud_names.begin(), cloud_names.end(), lg.node) == cloud_names.end()) {
      std::string msg = "unknown cloud node \"" + lg.node + "\"";
      const std::string hint = did_you_mean(lg.node, cloud_names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      lr.fail("node", msg);
    }
    lg.gateways = lr.has("gateways") ? lr.get_strings("gateways") : gateway_names;
    for (std::size_t i = 0; i < lg.gateways.size(); ++i)
      if (std::find(gateway_names.begin(), gateway_names.end(), lg.gateways[i]) == gateway_names.end()) {
        std::string msg = "unknown gateway \"" + lg.gateways[i] + "\" (write site/gw)";
        const std::string hint = did_you_mean(lg.gateways[i], gateway_names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        throw ScenarioError(lr.child_pointer("gateways") + "/" + std::to_string(i), msg);
      }
    lg.ship_rate = lr.get_quantity("ship_rate");
    lg.bytes_per_message = lr.get_quantity("bytes_per_message");
    if (lg.ship_rate <= 0 && lg.bytes_per_message <= 0)
      lr.fail("ship_rate", "expected a ship_rate or bytes_per_message above zero (the gateways would log nothing)");
    lg.flush = lr.get_quantity("flush");
    lg.ingest_cost_per_byte = lr.get_quantity("ingest_cost_per_byte");
    lg.index_cost_per_byte = lr.get_quantity("index_cost_per_byte");
    lg.replicas = static_cast<std::uint32_t>(lr.get_integer("replicas"));
    lg.index_overhead = lr.get_number("index_overhead");
  }

  std::vector<std::string> endpoint_names;
  for (const auto& [n, k] : entity_kind)
    if (k != "device_group" && k != "site") endpoint_names.push_back(n);
  endpoint_names.push_back("brokers");
  std::set<std::string> link_names;
  for (const auto& lr : platform.get_objects("links")) {
    LinkSpec l;
    l.name = lr.get_string("name");
    l.pointer = lr.pointer();
    if (!link_names.insert(l.name).second || entity_kind.count(l.name))
      lr.fail("name", "duplicate name \"" + l.name + "\"");
    const auto between = lr.get_strings("between");
    if (between.size() != 2) lr.fail("between", "expected exactly two endpoints");
    if (between[0] == between[1]) lr.fail("between", "expected two different endpoints");
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string& e = between[i];
      const std::string ptr = lr.child_pointer("between") + "/" + std::to_string(i);
      if (e == "brokers") continue;
      auto it = entity_kind.find(e);
      if (it == entity_kind.end()) {
        std::string msg = "unknown entity \"" + e + "\"";
        const std::string hint = did_you_mean(e, endpoint_names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        throw ScenarioError(ptr, msg);
      }
      if (it->second == "device_group" || it->second == "site")
        throw ScenarioError(ptr, "a link joins gateways, routers, the load balancer, brokers or cloud nodes; \"" + e +
                                     "\" is a " + it->second);
    }
    l.a = between[0];
    l.b = between[1];
    l.bandwidth = lr.get_quantity("bandwidth");
    l.latency = lr.get_quantity("latency");
    l.shared = lr.get_string("sharing") == "shared";
    // Expand the "brokers" endpoint into one link per broker.
    if (l.a == "brokers" || l.b == "brokers") {
      if (l.a == "brokers" && l.b == "brokers") lr.fail("between", "expected at most one \"brokers\" endpoint");
      for (const auto& bname : sc.brokers.names()) {
        LinkSpec x = l;
        x.name = l.name + "/" + bname;
        (x.a == "brokers" ? x.a : x.b) = bname;
        sc.links.push_back(x);
      }
    } else {
      sc.links.push_back(l);
    }
  }

  const ObjectReader workload = root.get_object("workload");
  std::vector<std::string> group_names;
  for (const auto& s : sc.sites)
    for (const auto& g : s.device_groups) group_names.push_back(g.name);
  for (const auto& tr : workload.get_objects("traffic")) {
    TrafficSpec t;
    t.pointer = tr.pointer();
    t.group = tr.get_string("group");
    if (!sc.find_group(t.group)) {
      std::string msg = "unknown device group \"" + t.group + "\" (write site/group)";
      const std::string hint = did_you_mean(t.group, group_names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      tr.fail("group", msg);
    }
    t.pattern = tr.get_string("pattern");
    t.period = tr.get_quantity("period");
    t.jitter = tr.get_quantity("jitter");
    t.start = tr.get_quantity("start");
    t.burst_size = static_cast<std::uint64_t>(tr.get_integer("burst_size"));
    t.burst_spacing = tr.get_quantity("burst_spacing");
    const double payload = tr.get_quantity("payload");
    if (payload != std::floor(payload)) tr.fail("payload", "expected a whole number of bytes");
    if (payload > 268435456.0) tr.fail("payload", "expected at most 256MiB (the MQTT maximum)");
    t.payload = static_cast<std::uint64_t>(payload);
    check_payload_fits_access(tr, *sc.find_group(t.group), sc, t.payload);
    t.qos = static_cast<int>(tr.get_integer("qos"));
    if (t.qos > 1) tr.fail("qos", "expected 0 or 1 (QoS 2 is not modelled), got " + std::to_string(t.qos));
    t.topic = tr.get_string("topic");
    if (t.topic.empty() || t.topic.find_first_of("+#") != std::string::npos)
      tr.fail("topic", "expected a topic name without wildcards, got \"" + t.topic + "\"");
    t.latency_budget = tr.get_quantity("latency_budget");
    if (t.pattern == "burst" && t.burst_spacing * static_cast<double>(t.burst_size) > t.period)
      tr.fail("burst_spacing", "expected burst_size x burst_spacing to fit in the period");
    if (t.start >= sc.duration) tr.fail("start", "expected a start before the end of the scenario");
    sc.traffic.push_back(std::move(t));
  }
  std::vector<std::string> node_names;
  for (const auto& n : sc.cloud_nodes) node_names.push_back(n.name);
  std::set<std::string> service_names;
  for (const auto& svr : workload.get_objects("services")) {
    ServiceSpec s;
    s.pointer = svr.pointer();
    s.name = svr.get_string("name");
    check_simple_name(svr, "name", s.name);
    if (!service_names.insert(s.name).second) svr.fail("name", "duplicate service name \"" + s.name + "\"");
    s.node = svr.get_string("node");
    if (std::find(node_names.begin(), node_names.end(), s.node) == node_names.end()) {
      std::string msg = "unknown cloud node \"" + s.node + "\"";
      const std::string hint = did_you_mean(s.node, node_names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      svr.fail("node", msg);
    }
    s.subscribe = svr.get_strings("subscribe");
    if (s.subscribe.empty()) svr.fail("subscribe", "expected at least one topic filter");
    for (std::size_t i = 0; i < s.subscribe.size(); ++i) {
      const std::string& f = s.subscribe[i];
      const auto hash = f.find('#');
      bool bad = f.empty() || (hash != std::string::npos && (hash != f.size() - 1 || (hash > 0 && f[hash - 1] != '/')));
      for (std::size_t p = f.find('+'); !bad && p != std::string::npos; p = f.find('+', p + 1))
        if ((p > 0 && f[p - 1] != '/') || (p + 1 < f.size() && f[p + 1] != '/')) bad = true;
      if (bad)
        throw ScenarioError(svr.child_pointer("subscribe") + "/" + std::to_string(i),
                            "expected an MQTT topic filter ('+' and '#' only as whole levels, '#' last), got \"" + f +
                                "\"");
    }
    s.cost_per_message = svr.get_quantity("cost_per_message");
    s.cost_per_byte = svr.get_quantity("cost_per_byte");
    s.tenant = svr.get_string("tenant");
    s.store = svr.get_string("store");
    s.store_batch = static_cast<std::uint64_t>(svr.get_integer("store_batch"));
    if (!s.store.empty()) {
      std::vector<std::string> names;
      for (const auto& st : sc.storage) names.push_back(st.name);
      if (std::find(names.begin(), names.end(), s.store) == names.end()) {
        std::string msg = "unknown storage cluster \"" + s.store + "\" (declare it in platform.cloud.storage)";
        const std::string hint = did_you_mean(s.store, names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        svr.fail("store", msg);
      }
    }
    s.model = svr.get_string("model");
    {
      const std::vector<std::string> paas_only = {"pod", "replicas", "nodes", "zones", "startup", "autoscale",
                                                  "restart_policy", "eviction_timeout", "node_monitor_grace",
                                                  "queue_capacity"};
      const std::vector<std::string> saas_only = {"latency", "rate_limit", "burst"};
      for (const auto& k : paas_only)
        if (svr.has(k) && s.model != "paas")
          svr.fail(k, "\"" + k + "\" applies to paas services only (this one is " + s.model + ")");
      for (const auto& k : saas_only)
        if (svr.has(k) && s.model != "saas")
          svr.fail(k, "\"" + k + "\" applies to saas services only (this one is " + s.model + ")");
      if (s.model == "saas" && (svr.has("cost_per_message") || svr.has("cost_per_byte")))
        svr.fail(svr.has("cost_per_message") ? "cost_per_message" : "cost_per_byte",
                 "a saas endpoint costs latency, not CPU on your nodes: use \"latency\"");
    }
    if (s.model == "paas") {
      const ObjectReader pr = svr.get_object("pod");
      s.pod_cpu = pr.get_number("cpu");
      s.pod_memory = pr.get_quantity("memory");
      s.replicas = static_cast<int>(svr.get_integer("replicas"));
      s.startup = svr.get_quantity("startup");
      s.restart_policy = svr.get_string("restart_policy");
      s.eviction_timeout = svr.get_quantity("eviction_timeout");
      s.node_monitor_grace = svr.get_quantity("node_monitor_grace");
      s.queue_capacity = static_cast<std::uint64_t>(svr.get_integer("queue_capacity"));
      const auto zones = svr.get_strings("zones");
      std::vector<std::string> allowed = svr.get_strings("nodes");
      for (std::size_t i = 0; i < allowed.size(); ++i) {
        const auto* n = [&]() -> const ProcessingSpec* {
          for (const auto& cn : sc.cloud_nodes)
            if (cn.name == allowed[i]) return &cn;
          return nullptr;
        }();
        const std::string ptr = svr.child_pointer("nodes") + "/" + std::to_string(i);
        if (!n) {
          std::string msg = "unknown cloud node \"" + allowed[i] + "\"";
          const std::string hint = did_you_mean(allowed[i], node_names);
          if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
          throw ScenarioError(ptr, msg);
        }
        if (n->kind != "k8s-worker")
          throw ScenarioError(ptr, "expected a k8s-worker node for pods, \"" + allowed[i] + "\" is an " + n->kind);
      }
      if (!svr.has("nodes"))
        for (const auto& cn : sc.cloud_nodes)
          if (cn.kind == "k8s-worker") allowed.push_back(cn.name);
      for (const auto& name : allowed) {
        const ProcessingSpec* n = nullptr;
        for (const auto& cn : sc.cloud_nodes)
          if (cn.name == name) n = &cn;
        if (!zones.empty() && std::find(zones.begin(), zones.end(), n->zone) == zones.end()) continue;
        if (s.pod_cpu > n->cores + 1e-9) continue;
        if (s.pod_memory > 0 && n->memory > 0 && s.pod_memory > n->memory) continue;
        s.pod_nodes.push_back(name);
      }
      if (s.pod_nodes.empty())
        svr.fail(svr.has("nodes") ? "nodes" : "model",
                 "no k8s-worker node (in the given nodes/zones) can ever hold one pod of this service (cpu " +
                     std::to_string(s.pod_cpu) + " cores)");
      if (svr.has("autoscale")) {
        const ObjectReader ar = svr.get_object("autoscale");
        auto& a = s.autoscale;
        a.enabled = true;
        a.min = static_cast<int>(ar.get_integer("min"));
        a.max = static_cast<int>(ar.get_integer("max"));
        a.target_cpu = ar.get_probability("target_cpu");
        a.sync_period = ar.get_quantity("sync_period");
        a.scale_down_stabilization = ar.get_quantity("scale_down_stabilization");
        a.scale_up_stabilization = ar.get_quantity("scale_up_stabilization");
        a.tolerance = ar.get_number("tolerance");
        if (a.max < a.min) ar.fail("max", "expected max >= min (" + std::to_string(a.min) + ")");
        if (a.target_cpu <= 0) ar.fail("target_cpu", "expected a target utilization above 0");
        if (s.replicas < a.min || s.replicas > a.max)
          svr.fail("replicas", "expected initial replicas within autoscale [min, max] = [" + std::to_string(a.min) +
                                   ", " + std::to_string(a.max) + "]");
      }
    }
    if (s.model == "saas") {
      s.latency = svr.get_quantity("latency");
      s.rate_limit = svr.get_number("rate_limit");
      s.burst = svr.get_number("burst");
      if (s.rate_limit > 0 && s.burst <= 0) s.burst = std::max(1.0, s.rate_limit);
      if (s.rate_limit <= 0 && svr.has("burst")) svr.fail("burst", "a burst needs a rate_limit");
    }
    sc.services.push_back(std::move(s));
  }

  for (const auto& cr : workload.get_objects("commands")) {
    CommandSpec c;
    c.pointer = cr.pointer();
    c.group = cr.get_string("group");
    if (!sc.find_group(c.group)) {
      std::string msg = "unknown device group \"" + c.group + "\" (write site/group)";
      const std::string hint = did_you_mean(c.group, group_names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      cr.fail("group", msg);
    }
    c.from = cr.get_string("from");
    if (!service_names.count(c.from)) {
      std::vector<std::string> names(service_names.begin(), service_names.end());
      std::string msg = "unknown service \"" + c.from + "\"";
      const std::string hint = did_you_mean(c.from, names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      cr.fail("from", msg);
    }
    for (const auto& sv : sc.services)
      if (sv.name == c.from && sv.model != "iaas")
        cr.fail("from", "commands from a " + sv.model + " service are not modelled yet (use an iaas service)");
    c.period = cr.get_quantity("period");
    c.payload = static_cast<std::uint64_t>(cr.get_quantity("payload"));
    c.expiry = cr.get_quantity("expiry");
    const auto* g = sc.find_group(c.group);
    if (g->access.model == "sigfox" && c.payload != 8)
      cr.fail("payload", "Sigfox downlinks carry exactly 8 bytes, got " + std::to_string(c.payload));
    sc.commands.push_back(std::move(c));
  }

  for (const auto& jr : workload.get_objects("batch_jobs")) {
    BatchJobSpec j;
    j.pointer = jr.pointer();
    j.name = jr.get_string("name");
    check_simple_name(jr, "name", j.name);
    for (const auto& other : sc.batch_jobs)
      if (other.name == j.name) jr.fail("name", "duplicate batch job name \"" + j.name + "\"");
    j.every = jr.get_quantity("every");
    j.input = jr.get_string("input");
    {
      std::vector<std::string> names;
      for (const auto& st : sc.storage) names.push_back(st.name);
      for (const auto& sv : sc.services) names.push_back(sv.name);
      if (std::find(names.begin(), names.end(), j.input) == names.end()) {
        std::string msg = "unknown storage cluster or service \"" + j.input + "\"";
        const std::string hint = did_you_mean(j.input, names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        jr.fail("input", msg);
      }
    }
    {
      bool is_store = false, is_service = false;
      for (const auto& st : sc.storage) is_store = is_store || st.name == j.input;
      for (const auto& sv : sc.services) is_service = is_service || sv.name == j.input;
      if (is_store && is_service)
        jr.fail("input", "\"" + j.input + "\" names both a storage cluster and a service; rename one");
    }
    for (const auto& sr : jr.get_objects("stages"))
      j.stages.push_back(BatchStageSpec{sr.get_quantity("cost_per_byte"), sr.get_number("shuffle")});
    if (j.stages.empty()) jr.fail("stages", "expected at least one stage");
    j.parallelism = static_cast<std::uint32_t>(jr.get_integer("parallelism"));
    if (j.parallelism > 100000) jr.fail("parallelism", "expected at most 100000 tasks per stage");
    j.executors = jr.get_strings("executors");
    if (j.executors.empty()) jr.fail("executors", "expected at least one cloud node");
    for (std::size_t i = 0; i < j.executors.size(); ++i) {
      const std::string& e = j.executors[i];
      if (std::find(node_names.begin(), node_names.end(), e) == node_names.end()) {
        std::string msg = "unknown cloud node \"" + e + "\"";
        const std::string hint = did_you_mean(e, node_names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        throw ScenarioError(jr.child_pointer("executors") + "/" + std::to_string(i), msg);
      }
      for (std::size_t k = 0; k < i; ++k)
        if (j.executors[k] == e)
          throw ScenarioError(jr.child_pointer("executors") + "/" + std::to_string(i),
                              "duplicate executor \"" + e + "\"");
    }
    const ObjectReader nr = jr.get_object("shuffle_network");
    j.shuffle_bandwidth = nr.get_quantity("bandwidth");
    j.shuffle_latency = nr.get_quantity("latency");
    sc.batch_jobs.push_back(std::move(j));
  }

  for (const auto& ar : workload.get_objects("applications")) {
    ApplicationSpec a;
    a.pointer = ar.pointer();
    a.name = ar.get_string("name");
    check_simple_name(ar, "name", a.name);
    if (service_names.count(a.name)) ar.fail("name", "duplicate entity name \"" + a.name + "\" (a service has it)");
    declare(ar, "name", a.name, "application");
    a.group = ar.get_string("group");
    const DeviceGroupSpec* g = sc.find_group(a.group);
    if (!g) {
      std::string msg = "unknown device group \"" + a.group + "\" (write site/group)";
      const std::string hint = did_you_mean(a.group, group_names);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      ar.fail("group", msg);
    }
    std::vector<std::size_t> feeds;
    for (std::size_t t = 0; t < sc.traffic.size(); ++t)
      if (sc.traffic[t].group == a.group) feeds.push_back(t);
    if (feeds.size() != 1)
      ar.fail("group", "expected exactly one traffic entry for device group \"" + a.group + "\" (its frames), found " +
                           std::to_string(feeds.size()));
    a.traffic = feeds[0];
    const auto& m = g->access.model;
    if (m != "generic" && m != "short-range" && m != "cellular")
      ar.fail("group", "device group \"" + a.group + "\" uses " + m +
                           " access: applications need an access model with an on-demand downlink (generic, "
                           "short-range, cellular)");
    a.service = ar.get_string("service");
    a.response = static_cast<std::uint64_t>(ar.get_quantity("response"));
    a.latency_budget = ar.get_quantity("latency_budget");
    const auto stages = ar.get_objects("stages");
    if (stages.empty()) ar.fail("stages", "expected at least one stage");
    static const std::map<std::string, int> rank = {{"device", 0}, {"edge", 1}, {"cloud", 2}};
    a.access_bytes = sc.traffic[a.traffic].payload;
    a.edge_bytes = 0;
    bool any_edge = false;
    int prev = 0;
    for (const auto& str_ : stages) {
      AppStageSpec st;
      st.name = str_.get_string("name");
      st.cost = str_.get_quantity("cost");
      const double out = str_.get_quantity("output");
      if (out != std::floor(out)) str_.fail("output", "expected a whole number of bytes");
      if (out > 268435456.0) str_.fail("output", "expected at most 256MiB (the MQTT maximum)");
      st.output = static_cast<std::uint64_t>(out);
      st.placement = str_.get_string("placement");
      const int r = rank.at(st.placement);
      if (r < prev)
        str_.fail("placement", "placement \"" + st.placement + "\" after a stage on the " +
                                   (prev == 2 ? std::string("cloud") : std::string("edge")) +
                                   ": placement must be monotone along the chain (device, then edge, then cloud)");
      prev = r;
      if (r == 0) {
        if (g->cpu <= 0)
          str_.fail("placement", "stage on the device, but device group \"" + a.group +
                                     "\" has no cpu (set device_groups[].cpu, e.g. \"2Gf\")");
        a.device_cost += st.cost;
        a.access_bytes = st.output;
      } else if (r == 1) {
        a.edge_cost += st.cost;
        a.edge_bytes = st.output;
        any_edge = true;
      } else {
        a.cloud_cost += st.cost;
      }
      a.last = st.placement;
      a.stages.push_back(std::move(st));
    }
    if (!any_edge) a.edge_bytes = a.access_bytes;
    if (a.last == "cloud") {
      if (a.service.empty()) ar.fail("service", "a stage is in the cloud: name the service hosting it");
      const ServiceSpec* svc = nullptr;
      for (const auto& s : sc.services)
        if (s.name == a.service) svc = &s;
      if (!svc) {
        std::vector<std::string> names(service_names.begin(), service_names.end());
        std::string msg = "unknown service \"" + a.service + "\"";
        const std::string hint = did_you_mean(a.service, names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        ar.fail("service", msg);
      }
      const auto& t = sc.traffic[a.traffic];
      const std::string site = g->site;
      const std::string topic = models::mqtt::expand_group_topic(t.topic, site, g->name.substr(site.size() + 1));
      bool subscribed = false;
      for (const auto& f : svc->subscribe) subscribed = subscribed || models::mqtt::filter_matches_group_topic(f, topic);
      if (!subscribed)
        ar.fail("service", "service \"" + a.service + "\" does not subscribe to the frames' topic \"" + t.topic +
                               "\" (add a matching filter to its subscribe list)");
      for (const auto& site_ : sc.sites)
        for (const auto& gw : site_.gateways)
          if (std::find(g->gateways.begin(), g->gateways.end(), gw.name) != g->gateways.end() && gw.aggregate_count > 1)
            ar.fail("group", "gateway \"" + gw.name + "\" aggregates uplinks: cloud stages need one PUBLISH per frame");
    }
    for (const auto& other : sc.applications)
      if (other.group == a.group) ar.fail("group", "device group \"" + a.group + "\" already feeds application \"" + other.name + "\"");
    sc.applications.push_back(std::move(a));
  }

  for (const auto& rr : workload.get_objects("rollouts")) {
    RolloutSpec r;
    r.pointer = rr.pointer();
    r.name = rr.get_string("name");
    if (r.name.empty()) rr.fail("name", "expected a non-empty rollout name");
    for (const auto& o : sc.rollouts)
      if (o.name == r.name) rr.fail("name", "duplicate rollout name \"" + r.name + "\"");
    r.at = rr.get_quantity("at");
    if (r.at >= sc.duration) rr.fail("at", "expected a time before the end of the scenario's duration");
    const ObjectReader reg = rr.get_object("registry");
    r.registry_node = reg.get_string("node");
    {
      auto it = entity_kind.find(r.registry_node);
      if (it == entity_kind.end()) {
        std::vector<std::string> names;
        for (const auto& [n, k] : entity_kind)
          if (k == "cloud_node" || k == "broker" || k == "load_balancer") names.push_back(n);
        std::string msg = "unknown registry node \"" + r.registry_node + "\"";
        const std::string hint = did_you_mean(r.registry_node, names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        reg.fail("node", msg);
      }
      if (it->second != "cloud_node" && it->second != "broker" && it->second != "load_balancer")
        reg.fail("node", "the registry must run on a cloud node, a broker or the load balancer, not on " +
                             it->second + " \"" + r.registry_node + "\"");
    }
    r.registry_bandwidth = reg.get_quantity("bandwidth");
    const ObjectReader img = rr.get_object("image");
    for (const auto& lr : img.get_objects("layers"))
      r.layers.push_back({lr.get_quantity("size"), lr.get_bool("cached")});
    if (r.layers.empty()) img.fail("layers", "expected at least one layer");
    if (rr.has("gateways")) {
      const auto names = rr.get_strings("gateways");
      if (names.empty()) rr.fail("gateways", "expected at least one gateway or site (omit the field for all)");
      for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string ptr = rr.child_pointer("gateways") + "/" + std::to_string(i);
        auto it = entity_kind.find(names[i]);
        std::vector<std::string> add;
        if (it != entity_kind.end() && it->second == "gateway") {
          add.push_back(names[i]);
        } else if (it != entity_kind.end() && it->second == "site") {
          for (const auto& site : sc.sites)
            if (site.name == names[i])
              for (const auto& gw : site.gateways) add.push_back(gw.name);
        } else {
          std::vector<std::string> known;
          for (const auto& [n, k] : entity_kind)
            if (k == "gateway" || k == "site") known.push_back(n);
          std::string msg = "expected a gateway (site/gateway) or a site, got \"" + names[i] + "\"";
          const std::string hint = did_you_mean(names[i], known);
          if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
          throw ScenarioError(ptr, msg);
        }
        for (const auto& g : add) {
          if (std::find(r.gateways.begin(), r.gateways.end(), g) != r.gateways.end())
            throw ScenarioError(ptr, "gateway \"" + g + "\" is listed twice in this rollout");
          r.gateways.push_back(g);
        }
      }
    } else {
      for (const auto& site : sc.sites)
        for (const auto& gw : site.gateways) r.gateways.push_back(gw.name);
    }
    r.max_unavailable = static_cast<int>(std::min<std::int64_t>(rr.get_integer("max_unavailable"), 1000000));
    r.max_concurrent_downloads =
        static_cast<int>(std::min<std::int64_t>(rr.get_integer("max_concurrent_downloads"), 1000000));
    r.restart = rr.get_quantity("restart");
    r.pull = rr.get_string("pull");
    r.during_restart = rr.get_string("during_restart");
    sc.rollouts.push_back(std::move(r));
  }

  std::vector<std::string> all_entities;
  for (const auto& [n, k] : entity_kind) all_entities.push_back(n);
  for (const auto& l : sc.links) all_entities.push_back(l.name);
  for (const auto& fr : root.get_objects("faults")) {
    FaultSpec f;
    f.pointer = fr.pointer();
    f.at = fr.get_quantity("at");
    if (f.at > sc.duration) fr.fail("at", "expected a time within the scenario's duration");
    f.target = fr.get_string("target");
    bool paas_target = false;  // a container crash in a paas service's pods
    for (const auto& svc : sc.services)
      if (svc.name == f.target && svc.model == "paas") paas_target = true;
    if (!paas_target && std::find(all_entities.begin(), all_entities.end(), f.target) == all_entities.end()) {
      std::string msg = "unknown target \"" + f.target + "\"";
      const std::string hint = did_you_mean(f.target, all_entities);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      fr.fail("target", msg);
    }
    f.action = fr.get_string("action");
    f.duration = fr.get_quantity("for");
    f.params = fr.raw("params");
    if (paas_target) {
      if (f.action != "crash")
        fr.fail("action", "a paas service \"" + f.target + "\" takes only crash (its containers exit; the restart "
                          "policy brings them back), got \"" + f.action + "\"");
      if (f.duration > 0)
        fr.fail("for", "a container crash has no duration: the restart policy (CrashLoopBackOff) or the "
                       "ReplicaSet brings the pod back");
      if (!f.params.is_null()) {
        if (!f.params.is_object())
          fr.fail("params", "expected an object like {\"pods\": 2}, got " + brief(f.params));
        for (auto it = f.params.begin(); it != f.params.end(); ++it)
          if (it.key() != "pods" || !it->is_number_integer() || it->get<long long>() < 1)
            throw ScenarioError(fr.child_pointer("params") + "/" + it.key(),
                                "expected \"pods\": a positive integer (containers that crash), got " +
                                    brief(*it));
      }
      sc.faults.push_back(std::move(f));
      continue;
    }
    {
      const bool is_link = !entity_kind.count(f.target);
      const std::string kind = is_link ? "link" : entity_kind.at(f.target);
      const bool ok = (f.action == "crash" || f.action == "restore")
                          ? (kind == "gateway" || kind == "load_balancer" || kind == "broker" || kind == "cloud_node" ||
                             kind == "link")
                      : f.action == "degrade" ? kind == "link"
                                              : kind == "site";
      if (!ok)
        fr.fail("action", "action \"" + f.action + "\" does not apply to " + kind + " \"" + f.target +
                              "\" (crash/restore: gateways, load balancer, brokers, cloud nodes, links; degrade: "
                              "links; partition: sites)");
      if (f.action == "degrade") {
        if (!f.params.is_object() || f.params.empty())
          fr.fail("params", "degrade needs params: bandwidth and/or latency");
        for (auto it = f.params.begin(); it != f.params.end(); ++it) {
          const std::string ptr = fr.child_pointer("params") + "/" + it.key();
          std::optional<double> v;
          if (it.key() == "bandwidth" && it->is_string()) v = models::units::parse(Kind::bandwidth, it->get<std::string>());
          else if (it.key() == "latency" && it->is_string()) v = models::units::parse(Kind::duration, it->get<std::string>());
          else if (it.key() == "loss")
            throw ScenarioError(ptr, "packet loss on a wired (TCP) link is not modelled yet: MQTT over TCP "
                                     "retransmits; degrade bandwidth or latency instead");
          else throw ScenarioError(ptr, "unknown or malformed degrade parameter (bandwidth like \"10Mbps\", latency "
                                        "like \"50ms\", loss a probability)");
          if (!v || *v < 0 || (it.key() == "bandwidth" && *v <= 0))
            throw ScenarioError(ptr, "expected a positive bandwidth or a non-negative latency, got " + brief(*it));
          if (it.key() == "bandwidth") f.bandwidth = *v;
          if (it.key() == "latency") f.latency = *v;
        }
      }
    }
    sc.faults.push_back(std::move(f));
  }

  std::vector<std::string> scopes = all_entities;  // entities, and tenants (their device groups together)
  for (const auto& site : sc.sites)
    for (const auto& g : site.device_groups)
      if (!g.tenant.empty() && !entity_kind.count(g.tenant)) {
        scopes.push_back(g.tenant);
        entity_kind[g.tenant] = "tenant";
      }
  for (const auto& st : sc.storage)
    if (!entity_kind.count(st.name)) {
      scopes.push_back(st.name);
      entity_kind[st.name] = "storage";
    }
  for (const auto& j : sc.batch_jobs)
    if (!entity_kind.count(j.name)) {
      scopes.push_back(j.name);
      entity_kind[j.name] = "batch_job";
    }
  for (const auto& s : root.get_objects("slo")) {
    SloSpec slo;
    slo.pointer = s.pointer();
    slo.metric = s.get_string("metric");
    const auto& metrics = slo_metrics();
    if (std::find(metrics.begin(), metrics.end(), slo.metric) == metrics.end()) {
      std::string msg = "unknown metric \"" + slo.metric + "\"";
      const std::string hint = did_you_mean(slo.metric, metrics);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      s.fail("metric", msg);
    }
    slo.scope = s.get_string("scope");
    if (!slo.scope.empty() && std::find(scopes.begin(), scopes.end(), slo.scope) == scopes.end()) {
      std::string msg = "unknown scope \"" + slo.scope + "\"";
      const std::string hint = did_you_mean(slo.scope, scopes);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      s.fail("scope", msg);
    }
    if (!slo.scope.empty()) {
      auto kind = entity_kind.count(slo.scope) ? entity_kind.at(slo.scope) : std::string("link");
      const bool node_metric = slo.metric == "utilization" || slo.metric == "queue_peak";
      const bool storage_metric = slo.metric.rfind("write_", 0) == 0 || slo.metric == "growth_per_day_bytes";
      const bool batch_metric = slo.metric == "missed" || slo.metric == "max_duration";
      const bool app_metric = slo.metric.rfind("latency.", 0) == 0 || slo.metric == "late_ratio" ||
                              slo.metric == "delivery_ratio";
      const bool ok = kind == "storage"                          ? storage_metric
                      : kind == "batch_job"                      ? batch_metric
                      : (storage_metric || batch_metric)         ? false
                      : kind == "application"                    ? app_metric
                      : (kind == "device_group" || kind == "tenant") ? !node_metric
                      : kind == "link"       ? slo.metric == "utilization"
                      : kind == "site"       ? false
                                             : node_metric;
      if (!ok)
        s.fail("metric", "metric \"" + slo.metric + "\" does not apply to " + kind + " \"" + slo.scope +
                             "\" (device groups and tenants: latency.*, delivery_ratio, loss_ratio, late_ratio, delivered, lost, "
                             "throughput; applications: latency.* (response time), late_ratio, delivery_ratio (responses per frame); nodes: "
                             "utilization, queue_peak; links: utilization; storage: write_latency.*, write_amplification, "
                             "growth_per_day_bytes; batch jobs: missed, max_duration)");
    }
    slo.max = read_bound(s, "max", slo.metric);
    slo.min = read_bound(s, "min", slo.metric);
    if (!slo.max && !slo.min) s.fail("", "expected \"max\" or \"min\"");
    slo.text = slo.metric + (slo.scope.empty() ? "" : "[" + slo.scope + "]");
    sc.slos.push_back(std::move(slo));
  }

  if (root.has("alerting")) {
    const ObjectReader ar = root.get_object("alerting");
    sc.alerting.scrape_interval = ar.get_quantity("scrape_interval");
    sc.alerting.evaluation_interval = ar.get_quantity("evaluation_interval");
    if (sc.duration / std::min(sc.alerting.scrape_interval, sc.alerting.evaluation_interval) > 1e6)
      ar.fail("scrape_interval", "expected at most a million scrapes and evaluations");
    const auto rules = ar.get_objects("rules");
    if (rules.empty()) ar.fail("rules", "expected at least one rule");
    std::set<std::string> up_scopes;
    for (const auto& [n, k] : entity_kind)
      if (k == "gateway" || k == "load_balancer" || k == "broker" || k == "cloud_node") up_scopes.insert(n);
    for (const auto& l : sc.links) up_scopes.insert(l.name);
    for (const auto& rr : rules) {
      AlertRuleSpec a;
      a.pointer = rr.pointer();
      a.name = rr.get_string("name");
      for (const auto& other : sc.alerting.rules)
        if (other.name == a.name) rr.fail("name", "duplicate alert name \"" + a.name + "\"");
      a.metric = rr.get_string("metric");
      a.scope = rr.get_string("scope");
      a.condition = rr.get_string("condition");
      a.threshold = rr.get_number("threshold");
      a.window = rr.get_quantity("window");
      a.for_ = rr.get_quantity("for");
      if (a.metric == "up") {
        if (!up_scopes.count(a.scope)) {
          std::vector<std::string> names(up_scopes.begin(), up_scopes.end());
          std::string msg = "expected a gateway, load balancer, broker, cloud node or link for metric \"up\", got \"" +
                            a.scope + "\"";
          const std::string hint = did_you_mean(a.scope, names);
          if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
          rr.fail("scope", msg);
        }
      } else if (!a.scope.empty() && !sc.find_group(a.scope)) {
        std::string msg = "unknown device group \"" + a.scope + "\" (write site/group, or leave empty for all)";
        const std::string hint = did_you_mean(a.scope, group_names);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        rr.fail("scope", msg);
      }
      sc.alerting.rules.push_back(std::move(a));
    }
  }

  const ObjectReader out = root.get_object("outputs");
  sc.outputs.interval = out.get_quantity("interval");
  sc.outputs.trace = out.get_bool("trace");
  sc.outputs.trace_limit = static_cast<std::uint64_t>(out.get_integer("trace_limit"));
  if (sc.duration / sc.outputs.interval > 1e6) out.fail("interval", "expected at most a million intervals");
  sc.mapping = root.raw("mapping");
  sc.cost = root.raw("cost");
  sc.canonical_json = doc.dump();
  return sc;
}

std::uint64_t max_scenario_size(const std::string& path) {
  const char* env = std::getenv("EDGETWIN_MAX_SCENARIO_SIZE");
  if (!env || !*env) return kDefaultMaxScenarioSize;
  const auto v = models::units::parse(models::units::Kind::data_size, env);
  if (!v || !(*v >= 1) || *v > 1e15)
    throw ScenarioFileError(path, "", std::string("EDGETWIN_MAX_SCENARIO_SIZE: expected a data size like \"64MiB\", got \"") +
                                          env + "\"");
  return static_cast<std::uint64_t>(*v);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  const std::uint64_t limit = max_scenario_size(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioFileError(path, "", "cannot open the file");
  // Read at most limit + 1 bytes: a huge file (or a device that never ends) is refused, not loaded.
  std::string text;
  char chunk[65536];
  while (in && text.size() <= limit) {
    in.read(chunk, static_cast<std::streamsize>(std::min<std::uint64_t>(sizeof chunk, limit + 1 - text.size())));
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (text.size() > limit)
    throw ScenarioFileError(path, "", "file is larger than the limit max_scenario_size = " + std::to_string(limit) +
                                          " bytes (set EDGETWIN_MAX_SCENARIO_SIZE, e.g. \"256MiB\", to raise it)");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size()); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    const auto p = what.find("syntax error");
    if (p != std::string::npos) what = what.substr(p);
    throw ScenarioFileError(path, "", "line " + std::to_string(line) + ", column " + std::to_string(col) +
                                          ": invalid JSON: " + what);
  }
  try {
    for (const auto& o : overrides) apply_override(doc, o);
    Scenario sc = scenario_from_json(doc);
    Topology check(sc);  // reachability: unreachable device groups and services are scenario errors
    if (sc.logging.enabled)
      for (std::size_t i = 0; i < sc.logging.gateways.size(); ++i)
        if (!check.has_route(sc.logging.gateways[i], sc.logging.node))
          throw ScenarioError(sc.logging.pointer + "/node", "gateway \"" + sc.logging.gateways[i] +
                                                                "\" cannot reach the logging node \"" +
                                                                sc.logging.node + "\" over the links");
    sc.file = path;
    return sc;
  } catch (const ScenarioError& e) {
    throw ScenarioFileError(path, e.pointer(), e.message());
  }
}

}  // namespace edgetwin::sim
