// Cloud platform models (docs/models/cloud-and-apps.md): the HPA arithmetic
// against the cases of the Kubernetes documentation, the HPA's timing in scenarios/autoscaling.json,
// the self-healing timeline and QoS split of scenarios/node-failure.json, a single pod as an M/D/1
// queue (its CPU limit as the service rate), and a saas endpoint's token bucket.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "cli_runner.hpp"
#include "sim/hpa.hpp"

using namespace edgetwin::test;
using nlohmann::json;
namespace hpa = edgetwin::sim::hpa;

namespace {

hpa::Observation obs(int current, int ready, double usage_per_pod, double target) {
  hpa::Observation o;
  o.current = current;
  o.ready = ready;
  o.ready_usage = usage_per_pod * ready;
  o.request = 1.0;
  o.target = target;
  return o;
}

json event(const json& ps, const std::string& what, int pod) {
  for (const auto& e : ps["pod_events"])
    if (e["event"] == what && e["pod"] == pod) return e;
  return json();
}

}  // namespace

// --- HPA arithmetic: desired = ceil(current x utilization / target), kubernetes.io "Algorithm details".
TEST(Hpa, DocsRatioDoublesAndHalves) {
  // "if the current metric value is 200m, and the desired value is 100m, the number of replicas will
  // be doubled ... If the current value is instead 50m, you'll halve the number of replicas."
  EXPECT_EQ(hpa::recommend(obs(4, 4, 0.2, 0.1)), 8);
  EXPECT_EQ(hpa::recommend(obs(4, 4, 0.05, 0.1)), 2);
}

TEST(Hpa, DocsWalkthroughPhpApache) {
  // HPA walkthrough: 1 replica at 305 % of its request, target 50 %: ceil(1 x 3.05 / 0.5) = ceil(6.1) = 7.
  EXPECT_EQ(hpa::recommend(obs(1, 1, 3.05, 0.5)), 7);
}

TEST(Hpa, WithinToleranceNoChange) {
  // ratio 0.54 / 0.5 = 1.08: |1 - 1.08| <= 0.1 -> keep 3; 0.56 / 0.5 = 1.12 -> ceil(3 x 1.12) = ceil(3.36) = 4.
  EXPECT_EQ(hpa::recommend(obs(3, 3, 0.54, 0.5)), 3);
  EXPECT_EQ(hpa::recommend(obs(3, 3, 0.56, 0.5)), 4);
  // 0.46 / 0.5 = 0.92 -> keep; 0.3 / 0.5 = 0.6 -> ceil(1.8) = 2.
  EXPECT_EQ(hpa::recommend(obs(3, 3, 0.46, 0.5)), 3);
  EXPECT_EQ(hpa::recommend(obs(3, 3, 0.3, 0.5)), 2);
}

TEST(Hpa, MissingPodsCountFullOnScaleDown) {
  // 3 ready pods at 20 % (target 50 %: usage ratio 0.4) and 1 without a metric. Alone: ceil(0.4 x 3) = 2.
  // Scaling down, the missing pod counts at max(100 %, target) = 100 % = 2.0 in target units:
  // new ratio (0.4 x 3 + 2) / 4 = 0.8, ceil(0.8 x 4) = 4 = current: no scale-down.
  hpa::Observation o = obs(4, 3, 0.2, 0.5);
  EXPECT_EQ(hpa::recommend(o), 2);
  o.missing = 1;
  EXPECT_EQ(hpa::recommend(o), 4);
}

TEST(Hpa, UnreadyPodsCountZeroOnScaleUp) {
  // 1 ready pod at 100 % (target 50 %: ratio 2) and 3 pods still starting: counted at 0 %, the new
  // ratio 2 / 4 = 0.5 reverses the direction -> no change (4). Without them: ceil(2 x 1) = 2.
  hpa::Observation o = obs(4, 1, 1.0, 0.5);
  o.unready = 3;
  EXPECT_EQ(hpa::recommend(o), 4);
  // 2 ready at 100 %, 1 starting: (2 + 2 + 0) / 3 = 1.333, ceil(1.333 x 3) = 4.
  hpa::Observation p = obs(3, 2, 1.0, 0.5);
  p.unready = 1;
  EXPECT_EQ(hpa::recommend(p), 4);
}

TEST(Hpa, NoMetricsNoAction) { EXPECT_EQ(hpa::recommend(obs(3, 0, 0.0, 0.5)), 3); }

TEST(Hpa, ScaleDownStabilizationTakesTheHighestOfTheWindow) {
  hpa::Stabilizer s(1, 10, 0, 300);
  EXPECT_EQ(s.decide(0, 5, 5), 5);
  EXPECT_EQ(s.decide(15, 5, 2), 5);    // window [-285, 15]: max(5, 2) = 5
  EXPECT_EQ(s.decide(290, 5, 2), 5);   // 5 (t = 0) still in (-10, 290]
  EXPECT_EQ(s.decide(300, 5, 2), 2);   // (0, 300]: t = 0 is out (horizontal.go: timestamp.After(cutoff))
  EXPECT_EQ(s.decide(315, 2, 3), 3);   // scale up: no up window, straight to 3
}

TEST(Hpa, ScaleUpLimitAndBounds) {
  // Default scaleUp policies: max(4 pods, 100 %) per period. From 1: at most 5; from 6: 12; clamp to max.
  hpa::Stabilizer s(1, 10, 0, 0);
  EXPECT_EQ(s.decide(0, 1, 20), 5);
  EXPECT_EQ(s.decide(15, 6, 20), 10);
  EXPECT_EQ(s.decide(30, 3, 0), 1);  // min replicas
}

// --- scenarios/autoscaling.json: the load step at 300 s (50 -> 200 msg/s, 100 msg/s per pod).
// Hand computation: sync at 300 s sees [285, 300] at 50 % of one core (target 60 %: ratio 0.83,
// ceil(0.83) = 1, no change). Sync at 315 s: the pod was saturated over [300, 315] (100 %):
// ratio 1.667, ceil(1.667 x 1) = 2 -> the new pod is ready at 315 + 5 = 320 s. Sync at 330 s: the new
// pod has not been ready a whole period (unready, 0 %): (1.667 + 0) / 2 = 0.83 reverses the
// direction -> 2. Sync at 345 s: both saturated, ceil(1.667 x 2) = 4, ready at 350 s. Then 200 msg/s
// over 4 pods = 50 %: ceil(0.83 x 4) = 4, stable. Backlog: 100 msg/s x 20 s = 2000 messages (10 s
// of wait) until 350 s, drained at 200 msg/s in 10 s.
TEST(CloudPlatform, HpaScalesAtSyncPeriodPlusStartup) {
  TempDir dir;
  const auto r = run_with("autoscaling.json", dir / "a", {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "a/summary.json");
  const auto& ps = s["platform_services"]["ingest"];
  ASSERT_EQ(ps["scale_events"].size(), 2u) << ps.dump();
  EXPECT_EQ(ps["scale_events"][0], json({{"time", 315.0}, {"from", 1}, {"to", 2}}));
  EXPECT_EQ(ps["scale_events"][1], json({{"time", 345.0}, {"from", 2}, {"to", 4}}));
  EXPECT_EQ(event(ps, "ready", 1)["time"], 320.0);
  EXPECT_EQ(event(ps, "ready", 2)["time"], 350.0);
  // A slower start and a longer sync period move the step exactly: sync 30 s -> first sync after the
  // step at 330 s (window [300, 330] saturated: ratio 1.667 -> 2), startup 10 s -> ready at 340 s.
  const auto r2 = run_with("autoscaling.json", dir / "b",
                           {"/workload/services/0/autoscale/sync_period=\"30s\"", "/workload/services/0/startup=\"10s\""});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const json s2 = read_json(dir / "b/summary.json");
  const auto& ps2 = s2["platform_services"]["ingest"];
  EXPECT_EQ(ps2["scale_events"][0], json({{"time", 330.0}, {"from", 1}, {"to", 2}}));
  EXPECT_EQ(event(ps2, "ready", 1)["time"], 340.0);
}

// Scale-down: start with 4 pods at 50 msg/s (12.5 % each, target 60 %): usageRatio 0.208,
// ceil(0.208 x 4) = ceil(0.83) = 1. The recommendation history starts empty with the run, so the
// first sync (15 s) scales to 1; the ReplicaSet deletes the most recently ready pods (all ready at
// 0 s: the highest index first), which finish what they run: nothing is lost. The step at 300 s then
// scales up as in the scenario (1 -> 2 at 315 s).
TEST(CloudPlatform, HpaScalesDownAndDeletesGracefully) {
  TempDir dir;
  const auto r = run_with("autoscaling.json", dir / "a", {"/workload/services/0/replicas=4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "a/summary.json");
  const auto& ps = s["platform_services"]["ingest"];
  ASSERT_GE(ps["scale_events"].size(), 2u) << ps.dump();
  EXPECT_EQ(ps["scale_events"][0], json({{"time", 15.0}, {"from", 4}, {"to", 1}}));
  EXPECT_EQ(ps["scale_events"][1], json({{"time", 315.0}, {"from", 1}, {"to", 2}}));
  for (int k : {1, 2, 3}) EXPECT_EQ(event(ps, "deleted", k)["time"], 15.0) << k;
  EXPECT_TRUE(event(ps, "deleted", 0).is_null());
  EXPECT_EQ(ps["replicas"]["min"], 1);
  for (const auto& g : s["groups"]) EXPECT_EQ(g["lost"]["total"], 0);
}

// --- scenarios/node-failure.json with overrides: the self-healing timeline is exact.
TEST(CloudPlatform, EvictionAndRescheduleTimes) {
  TempDir dir;
  // Crash at 60 s, grace 20 s, eviction timeout 100 s, startup 3 s: NotReady at 80 s, evicted at
  // 180 s, the replacement on w3 ready at 183 s; the second replacement waits (Pending) until w2 is
  // back at 450 s, ready at 453 s.
  const auto r = run_with("node-failure.json", dir / "a",
                          {"/workload/services/0/node_monitor_grace=\"20s\"",
                           "/workload/services/0/eviction_timeout=\"100s\"", "/workload/services/0/startup=\"3s\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s1 = read_json(dir / "a/summary.json");
  const auto& ps = s1["platform_services"]["ingest"];
  EXPECT_EQ(event(ps, "crashed", 1)["time"], 60.0);
  EXPECT_EQ(event(ps, "not_ready", 1)["time"], 80.0);
  EXPECT_EQ(event(ps, "evicted", 1)["time"], 180.0);
  EXPECT_EQ(event(ps, "scheduled", 5)["node"], "cloud/w3");
  EXPECT_EQ(event(ps, "ready", 5)["time"], 183.0);
  EXPECT_EQ(event(ps, "pending", 6)["time"], 180.0);
  EXPECT_EQ(event(ps, "scheduled", 6)["time"], 450.0);
  EXPECT_EQ(event(ps, "ready", 6)["time"], 453.0);
  EXPECT_EQ(ps["evictions"], 2);
  EXPECT_EQ(ps["pending_peak"], 1);
}

TEST(CloudPlatform, NodeBackBeforeEvictionRestartPolicy) {
  TempDir dir;
  // w2 back at 160 s (before the eviction at 400 s). always: the kubelet restarts both pods there,
  // ready at 165 s, nothing evicted. never: they fail at 160 s and the ReplicaSet replaces them at once.
  const auto r = run_with("node-failure.json", dir / "a", {"/faults/0/for=\"100s\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s1 = read_json(dir / "a/summary.json");
  const auto& ps = s1["platform_services"]["ingest"];
  EXPECT_EQ(event(ps, "restarted", 1)["time"], 160.0);
  EXPECT_EQ(event(ps, "ready", 1).is_null(), false);
  EXPECT_EQ(ps["pod_events"].back()["time"], 165.0);
  EXPECT_EQ(ps["evictions"], 0);
  EXPECT_EQ(ps["replicas"]["final"], 5);
  const auto r2 = run_with("node-failure.json", dir / "b",
                           {"/faults/0/for=\"100s\"", "/workload/services/0/restart_policy=\"never\""});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const json s2 = read_json(dir / "b/summary.json");
  const auto& ps2 = s2["platform_services"]["ingest"];
  EXPECT_EQ(event(ps2, "failed", 1)["time"], 160.0);
  EXPECT_EQ(event(ps2, "scheduled", 5)["time"], 160.0);
  EXPECT_EQ(event(ps2, "ready", 6)["time"], 165.0);
  EXPECT_EQ(ps2["replicas"]["final"], 5);
}

// --- a single pod is an M/D/1 queue whose service rate is its CPU limit (SimGrid exec bound).
// broker-mm1.json turned around: the broker free, the sink on a 1 Gf node. Poisson arrivals
// lambda = 8/s; 100 Mf per message on a 1 Gf core: D = 0.1 s, rho = 0.8,
// W = rho D / (2 (1 - rho)) + D = 0.08 / 0.4 + 0.1 = 0.3 s. With a limit of half a core and 50 Mf per
// message D is 50e6 / (0.5 x 1e9) = 0.1 s again: the same W. Each paas run is compared with the same
// seed's iaas run on a 1-core node (the exact c-server validated as M/D/1 over 10,000 s by
// QueueOracles.DeterministicServiceIsMD1): the same message times to 1e-9. Over these 3,000 s runs
// from an empty queue the estimate sits 1-3 % below 0.3 (the queue's slow relaxation at rho = 0.8),
// for both.
namespace {
double sink_w(const std::vector<std::string>& extra, int seed, const std::string& out) {
  std::vector<std::string> args = {"run", source_path("scenarios/broker-mm1.json"), "--out", out, "--quiet", "--seed",
                                   std::to_string(seed), "--set", "platform.brokers.cost_per_publish=\"0f\"", "--set",
                                   "duration=\"3100s\""};
  for (const auto& e : extra) {
    args.push_back("--set");
    args.push_back(e);
  }
  const auto r = run_edgetwin(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_json(out + "/summary.json")["groups"]["lab/sources"]["tiers"]["cloud"]["mean"].get<double>();
}
void expect_md1(const std::string& cost, const std::string& pod) {
  TempDir dir;
  double mean = 0;
  for (int seed = 1; seed <= 2; ++seed) {
    const double iaas = sink_w({"/platform/cloud/nodes/0/cores=1", "/workload/services/0/cost_per_message=\"100Mf\""},
                               seed, dir / ("i" + std::to_string(seed)));
    const double paas = sink_w({"/platform/cloud/nodes/0/kind=\"k8s-worker\"", "/workload/services/0/model=\"paas\"",
                                "/workload/services/0/cost_per_message=\"" + cost + "\"", "/workload/services/0/pod=" + pod},
                               seed, dir / ("p" + std::to_string(seed)));
    EXPECT_NEAR(paas, iaas, 1e-9) << "seed " << seed;
    mean += paas / 2;
  }
  EXPECT_NEAR(mean, 0.3, 0.01) << "W = " << mean;
}
}  // namespace

TEST(CloudPlatform, SinglePodIsMD1) { expect_md1("100Mf", "{\"cpu\": 1}"); }

TEST(CloudPlatform, HalfCorePodLimitIsItsServiceRate) { expect_md1("50Mf", "{\"cpu\": 0.5}"); }

// --- saas: a managed endpoint with a latency and a token bucket.
// 200 meters every second (periodic, spread over the first second): 200 requests/s against a limit
// of 50/s with a bucket of 20. Hand computation over [0, T]: accepted = 20 + 50 T (the bucket is
// always empty once the first burst is spent), throttled = 200 T - accepted. With T = 100 s (sent
// 20,000): accepted 5,020 +- one refill, throttled 14,980; every accepted request takes exactly the
// endpoint's 80 ms in the cloud tier (plus the 1 ms hop).
TEST(CloudPlatform, SaasRateLimitAndLatency) {
  TempDir dir;
  const auto r = run_with("autoscaling.json", dir / "a",
                          {"duration=\"100s\"", "/workload/traffic/1/start=\"0s\"",
                           "/workload/services/0={\"name\": \"ingest\", \"model\": \"saas\", \"node\": \"cloud/w1\", "
                           "\"subscribe\": [\"plant/#\"], \"latency\": \"80ms\", \"rate_limit\": 50, \"burst\": 20}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "a/summary.json");
  const double throttled = s["platform_services"]["ingest"]["throttled"].get<double>();
  double delivered = 0, lost = 0, sent = 0;
  for (const auto& g : s["groups"]) {
    delivered += g["delivered"].get<double>();
    lost += g["lost"]["saas_throttled"].get<double>();
    sent += g["sent"].get<double>();
    EXPECT_NEAR(g["tiers"]["cloud"]["min"].get<double>(), 0.081, 0.0005);
    EXPECT_NEAR(g["tiers"]["cloud"]["max"].get<double>(), 0.081, 0.0005);
  }
  EXPECT_EQ(sent, 20000);
  EXPECT_EQ(throttled, lost);
  EXPECT_NEAR(delivered, 20 + 50 * 100, 51);
  EXPECT_NEAR(throttled, 20000 - 5020, 51);
}

// --- a container crash (a fault on the paas service itself): the node stays up. Always: the kubelet
// restarts the container in place after the CrashLoopBackOff delay (10 s, then 20 s for the same pod),
// then `startup` (5 s) until ready. Never: the pod fails and the ReplicaSet replaces it at once.
TEST(CloudPlatform, ContainerCrashRestartsAfterBackOffOrIsReplaced) {
  TempDir dir;
  const std::string faults =
      R"(/faults=[{"at":"60s","target":"ingest","action":"crash","params":{"pods":2}},)"
      R"({"at":"100s","target":"ingest","action":"crash"}])";
  const auto r = run_with("node-failure.json", dir / "a", {faults});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "a/summary.json");
  const auto& ps = s["platform_services"]["ingest"];
  EXPECT_EQ(event(ps, "crashed", 0)["time"], 60.0);
  EXPECT_EQ(event(ps, "crashed", 1)["time"], 60.0);
  EXPECT_EQ(event(ps, "restarted", 1)["time"], 70.0);
  int restarts_of_0 = 0;
  for (const auto& e : ps["pod_events"]) {
    if (e["pod"] != 0) continue;
    if (e["event"] == "restarted") {
      EXPECT_EQ(e["time"], restarts_of_0 == 0 ? 70.0 : 120.0);  // the second crash (100 s) waits 20 s
      ++restarts_of_0;
    }
    if (e["event"] == "ready" && e["time"].get<double>() > 0) {
      EXPECT_TRUE(e["time"] == 75.0 || e["time"] == 125.0) << e;
    }
  }
  EXPECT_EQ(restarts_of_0, 2);
  EXPECT_EQ(ps["evictions"], 0);
  EXPECT_EQ(ps["replicas"]["final"], 5);
  EXPECT_EQ(ps["replicas"]["min"], 3);
  // What the crashed containers were processing: QoS 0 lost, QoS 1 sent again by the broker.
  EXPECT_EQ(s["groups"]["plant/alarms"]["lost"]["total"], 0);
  EXPECT_EQ(s["groups"]["plant/alarms"]["delivery_ratio"], 1.0);
  EXPECT_LE(s["groups"]["plant/telemetry"]["lost"]["service_down"].get<int>(), 3);
  EXPECT_EQ(ps["node_failure"]["lost_qos0"].get<int>(), s["groups"]["plant/telemetry"]["lost"]["service_down"].get<int>());
  EXPECT_EQ(ps["node_failure"]["redelivered_qos1"], ps["node_failure"]["held_qos1"]);  // at once, not at NotReady

  const auto r2 = run_with("node-failure.json", dir / "b", {faults, "/workload/services/0/restart_policy=\"never\""});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const json s2 = read_json(dir / "b/summary.json");
  const auto& ps2 = s2["platform_services"]["ingest"];
  EXPECT_EQ(event(ps2, "failed", 0)["time"], 60.0);
  EXPECT_EQ(event(ps2, "failed", 1)["time"], 60.0);
  EXPECT_EQ(event(ps2, "ready", 5)["time"], 65.0);
  EXPECT_EQ(event(ps2, "ready", 6)["time"], 65.0);
  EXPECT_EQ(event(ps2, "failed", 2)["time"], 100.0);  // pods 0 and 1 are gone: the first ready one is 2
  EXPECT_EQ(event(ps2, "ready", 7)["time"], 105.0);
  EXPECT_EQ(ps2["replicas"]["final"], 5);
}
