// The two ways a processing stage runs (sim/simulation.cpp, class Stage): a stage alone on its host
// is computed as an exact c-server FIFO (no SimGrid activities); `edgetwin run --actor-stages` runs
// every stage with worker actors and SimGrid executions instead. Both must give the same results:
// counts, losses by cause, drops, busy time, queue peaks exactly; latencies to 10 ns, because
// SimGrid ends an execution when less than its precision (1e-9) of work time remains, so each
// executed stage may finish up to ~1 ns before the exact cost / speed the computed path uses.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

json run_summary(const TempDir& dir, const std::string& scenario, const std::vector<std::string>& overrides,
                 bool actor_stages) {
  const std::string out = dir / (actor_stages ? "actors" : "analytic");
  std::vector<std::string> args = {"run", source_path("scenarios/" + scenario), "--out", out, "--quiet"};
  for (const auto& o : overrides) {
    args.push_back("--set");
    args.push_back(o);
  }
  if (actor_stages) args.push_back("--actor-stages");
  const auto r = run_edgetwin(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return read_json(out + "/summary.json");
}

// `same_instant_bursts`: several messages reach a stage at the same instant (a store-and-forward
// buffer released after an outage, a multi-core stage finishing two messages at once). The worker
// actors count them as queued until SimGrid schedules the workers, the computed stage only counts
// messages that wait for a core, so queue peaks may differ there; and the order of the tied
// messages may differ, which swaps their waits.
void expect_same_results(const std::string& scenario, const std::vector<std::string>& overrides = {},
                         bool same_instant_bursts = false) {
  TempDir dir;
  const json a = run_summary(dir, scenario, overrides, false);
  const json b = run_summary(dir, scenario, overrides, true);
  ASSERT_TRUE(a.contains("groups") && b.contains("groups"));
  for (auto it = a["groups"].begin(); it != a["groups"].end(); ++it) {
    const auto& ga = it.value();
    const auto& gb = b["groups"][it.key()];
    const std::string where = scenario + " " + it.key();
    for (const char* k : {"sent", "delivered", "expected_deliveries", "unfinished"})
      EXPECT_EQ(ga[k], gb[k]) << where << " " << k;
    EXPECT_EQ(ga["lost"], gb["lost"]) << where << " lost by cause";
    // Ties: which of two messages reaching a stage at the same instant goes first is up to each
    // path; the two swap their waits, which moves group means (by ~1 us in smart-factory, where
    // the two-core load balancer hands pairs of messages to a broker at the same instant).
    const double tol = same_instant_bursts ? 1e-5 : 1e-8;
    for (const char* k : {"mean", "p50", "p99", "max"}) {
      if (same_instant_bursts && std::string(k) != "mean") continue;
      EXPECT_NEAR(ga["latency"][k].get<double>(), gb["latency"][k].get<double>(), tol) << where << " latency " << k;
    }
    for (const char* t : {"access", "gateway", "backhaul", "broker", "cloud"})
      EXPECT_NEAR(ga["tiers"][t]["mean"].get<double>(), gb["tiers"][t]["mean"].get<double>(), tol)
          << where << " tier " << t;
  }
  for (auto it = a["nodes"].begin(); it != a["nodes"].end(); ++it) {
    const auto& na = it.value();
    const auto& nb = b["nodes"][it.key()];
    const std::string where = scenario + " node " + it.key();
    for (const char* k : {"processed", "dropped"}) EXPECT_EQ(na[k], nb[k]) << where << " " << k;
    if (!same_instant_bursts) {
      EXPECT_EQ(na["queue_peak"], nb["queue_peak"]) << where;
    }
    EXPECT_NEAR(na["utilization"].get<double>(), nb["utilization"].get<double>(), 1e-9) << where;
  }
}

}  // namespace

// Exponential service on one core (M/M/1, ~80 k customers): the draws come in the same order.
TEST(StagePaths, ComputedBrokerMatchesActorsMM1) { expect_same_results("broker-mm1.json"); }

// Two cores, exponential service: the earliest-free-core rule matches two worker actors.
TEST(StagePaths, ComputedBrokerMatchesActorsMM2) {
  expect_same_results("broker-mm1.json", {"/platform/brokers/cores=2", "/platform/brokers/cost_per_publish=200Mf"});
}

// A bounded queue: the same messages are dropped (only waiting messages count against capacity).
TEST(StagePaths, ComputedQueueCapacityDropsMatchActors) {
  expect_same_results("broker-mm1.json", {"/platform/brokers/queue_capacity=2", "/duration=2100s"});
}

// Broker crash and restore with a backlog: queued work lost at the crash, work in progress lost
// when it would have finished (epoch), failover, reconnects and retransmissions.
TEST(StagePaths, ComputedStagesMatchActorsThroughBrokerCrash) { expect_same_results("failover-broker.json", {}, true); }

// Gateway crash with store-and-forward buffers and a backhaul outage.
TEST(StagePaths, ComputedStagesMatchActorsThroughGatewayAndLinkFaults) {
  expect_same_results("gateway-ha.json", {}, true);
  expect_same_results("backhaul-outage.json", {}, true);
}

// Several services on one cloud node keep the worker actors (they contend for its CPU through
// SimGrid); the gateways, the load balancer and the brokers are computed.
TEST(StagePaths, SharedHostKeepsActorsAndMatches) { expect_same_results("smart-factory.json", {}, true); }
