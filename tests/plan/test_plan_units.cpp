// In-process tests of sim/plan: statistics and seeds, KPI names, JUnit XML, the cost object, sweep
// specs and shards, search ranges, and the resilience analysis of the default scenario.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "cli_runner.hpp"
#include "sim/plan/capacity.hpp"
#include "sim/plan/cost.hpp"
#include "sim/plan/junit.hpp"
#include "sim/plan/kpis.hpp"
#include "sim/plan/resilience.hpp"
#include "sim/plan/stats.hpp"
#include "sim/plan/sweep.hpp"
#include "sim/scenario_loader.hpp"

using namespace edgetwin;
using namespace edgetwin::test;
using nlohmann::json;

TEST(PlanStats, MeanAndStudentInterval) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7); t(0.975, 7) = 2.365.
  const auto e = plan::estimate({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(e.n, 8u);
  EXPECT_DOUBLE_EQ(e.mean, 5.0);
  EXPECT_NEAR(e.stddev, std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_NEAR(e.half_width, 2.365 * std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-12);
  EXPECT_TRUE(std::isnan(plan::estimate({1.0}).half_width)) << "one run gives no interval";
  EXPECT_NEAR(plan::student_t_975(1), 12.706, 1e-9);
  EXPECT_NEAR(plan::student_t_975(30), 2.042, 1e-9);
  EXPECT_NEAR(plan::student_t_975(60), 2.000, 1e-3);   // tables: 2.000
  EXPECT_NEAR(plan::student_t_975(120), 1.980, 1e-3);  // tables: 1.980
  EXPECT_NEAR(plan::failure_probability_bound(30), 0.0950, 1e-3);  // ~ rule of three: 3/30
}

TEST(PlanStats, ReplicationSeedsAreDeterministicAndDistinct) {
  EXPECT_EQ(plan::replication_seed(42, 0), 42u) << "replication 0 is the scenario's own run";
  std::set<std::uint64_t> seen;
  for (int r = 0; r < 1000; ++r) {
    const auto s = plan::replication_seed(42, r);
    EXPECT_EQ(s, plan::replication_seed(42, r));
    EXPECT_LT(s, 1ULL << 53) << "exact in JSON, SQLite and pandas";
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(plan::replication_seed(42, 1), plan::replication_seed(43, 1));
}

TEST(PlanKpis, SloStyleNames) {
  const json s = {
      {"totals", {{"loss_ratio", 0.01}, {"latency", {{"p99", 0.02}}}}},
      {"groups", {{"a/g", {{"delivery_ratio", 0.99}, {"lost", {{"access", 3}, {"total", 4}}},
                           {"tiers", {{"backhaul", {{"p99", 0.005}}}}}}}}},
      {"nodes", {{"broker-1", {{"utilization", 0.5}, {"kind", "broker"}, {"speed", 1e9}, {"cores", 1}}}}},
      {"links", {{"wan", {{"utilization", 0.1}, {"bandwidth", 1e6}, {"latency", 0.01}, {"bytes", 100}}}}},
      {"applications", {{"assist", {{"latency", {{"p99", 0.04}}}, {"breakdown", {{"backhaul", 0.03}}}}}}},
      {"slo", {{{"pass", true}}, {{"pass", false}}}},
      {"cost", {{"monthly_total", 12.5}, {"by_tier", {{"broker", 2.5}}}}}};
  const auto k = plan::flatten_kpis(s);
  EXPECT_EQ(k.at("loss_ratio"), 0.01);
  EXPECT_EQ(k.at("latency.p99"), 0.02);
  EXPECT_EQ(k.at("delivery_ratio[a/g]"), 0.99);
  EXPECT_EQ(k.at("lost[a/g]"), 4);
  EXPECT_EQ(k.at("lost.access[a/g]"), 3);
  EXPECT_EQ(k.at("tier.backhaul.p99[a/g]"), 0.005);
  EXPECT_EQ(k.at("utilization[broker-1]"), 0.5);
  EXPECT_EQ(k.at("bytes[wan]"), 100);
  EXPECT_FALSE(k.count("speed[broker-1]")) << "configuration is not a KPI";
  EXPECT_FALSE(k.count("latency[wan]"));
  EXPECT_EQ(k.at("slo.pass"), 0);
  EXPECT_EQ(k.at("slo.failed"), 1);
  EXPECT_EQ(k.at("cost.monthly"), 12.5);
  EXPECT_EQ(k.at("cost.broker"), 2.5);
  EXPECT_EQ(k.at("latency.p99[assist]"), 0.04) << "applications: response time, as their SLOs name it";
  EXPECT_EQ(k.at("breakdown.backhaul[assist]"), 0.03);
}

TEST(PlanJunit, OneCasePerSloWithTheMeasuredValue) {
  const json s = {{"scenario", "x"},
                  {"seed", 3},
                  {"slo", {{{"slo", "latency.p99[a/<b>]"}, {"value", 0.125}, {"bound", "max 0.1"}, {"pass", false}},
                           {{"slo", "delivery_ratio"}, {"value", 1.0}, {"bound", "min 0.99"}, {"pass", true}}}}};
  const std::string x = plan::junit_xml(s, "f.json");
  EXPECT_NE(x.find("tests=\"2\" failures=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("name=\"latency.p99[a/&lt;b&gt;]\""), std::string::npos) << "names are escaped\n" << x;
  EXPECT_NE(x.find("<failure type=\"SLOViolation\" message=\"measured latency.p99[a/&lt;b&gt;] = 0.125 (bound: max 0.1)\""),
            std::string::npos)
      << x;
  EXPECT_EQ(x.find("<failure", x.find("delivery_ratio")), std::string::npos) << "the passing SLO has no failure";
}

namespace {
sim::Scenario cost_scenario(const std::vector<std::string>& overrides = {}) {
  return sim::load_scenario(source_path("scenarios/capacity-cost.json"), overrides);
}
std::string cost_error(const std::string& assignment) {
  try {
    plan::read_cost(cost_scenario({assignment}));
  } catch (const sim::ScenarioError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(PlanCost, FixedMonthlyCostByTier) {
  const auto sc = cost_scenario();
  const auto model = plan::read_cost(sc);
  ASSERT_TRUE(model.present);
  const json c = plan::monthly_cost(model, sc);
  const auto& t = c.at("by_tier");
  // 60 trackers x 0.5; gateway 25 + 2 cores x 730 h x 0.01; lb 2 x 730 x 0.02 + 2 brokers x (730 x 0.04 +
  // 20 GB x 0.1); cloud node 4 x 730 x 0.04 + 100 GB x 0.1. Backhaul is usage: zero without a run.
  EXPECT_NEAR(t.at("access").get<double>(), 30.0, 1e-9);
  EXPECT_NEAR(t.at("gateway").get<double>(), 25 + 2 * 730 * 0.01, 1e-9);
  EXPECT_NEAR(t.at("broker").get<double>(), 2 * 730 * 0.02 + 2 * (730 * 0.04 + 2.0), 1e-9);
  EXPECT_NEAR(t.at("cloud").get<double>(), 4 * 730 * 0.04 + 10.0, 1e-9);
  EXPECT_EQ(t.at("backhaul").get<double>(), 0.0);
  EXPECT_NEAR(plan::fixed_monthly_cost(model, sc), c.at("monthly_total").get<double>(), 1e-12);
  EXPECT_EQ(model.backhaul_links, std::vector<std::string>{"backhaul"}) << "default: the link into the load balancer";
  // Backhaul usage: bytes per simulated second scaled to a month.
  const json summary = {{"simulated_end", 10.0}, {"links", {{"backhaul", {{"bytes", 1e6}}}}}, {"nodes", json::object()}};
  EXPECT_NEAR(plan::monthly_cost(model, sc, summary)["by_tier"]["backhaul"].get<double>(),
              1e6 / 10.0 * 730 * 3600 / 1e9 * 0.05, 1e-9);
}

TEST(PlanCost, InvalidPricesNameTheirPointer) {
  EXPECT_NE(cost_error("/cost/backhaul/links=[\"backhual\"]").find("/cost/backhaul/links/0: unknown link \"backhual\"; "
                                                                   "did you mean \"backhaul\"?"),
            std::string::npos);
  EXPECT_NE(cost_error("/cost/broker/vcpu_hour=-1").find("/cost/broker/vcpu_hour: expected a value at least 0"),
            std::string::npos);
  EXPECT_NE(cost_error("/cost/brokers={}").find("/cost/brokers: unknown key \"brokers\""), std::string::npos);
  EXPECT_NE(cost_error("/cost/cellular/groups=[\"depot/tracker\"]").find("/cost/cellular/groups/0: unknown device group"),
            std::string::npos);
  EXPECT_NE(cost_error("/cost/gateway/storage=\"lots\"").find("/cost/gateway/storage: expected a data size"),
            std::string::npos);
  EXPECT_NE(cost_error("/cost/saas_broker={\"per_million_messages\": 1}").find("/cost/saas_broker: a SaaS broker replaces"),
            std::string::npos);
  EXPECT_EQ(cost_error("/cost/currency=\"USD\""), "no error");
}

TEST(PlanSweepSpec, GridIsACartesianProductLastAxisFastest) {
  const auto spec = plan::load_sweep_spec(source_path("tests/plan/data/cost-grid.json"));
  ASSERT_EQ(spec.points.size(), 9u);
  EXPECT_EQ(spec.points[1].label(), "platform.brokers.count=1, platform.sites.0.gateways.0.cores=2");
  EXPECT_EQ(spec.points[3].overrides(),
            (std::vector<std::string>{"platform.brokers.count=2", "platform.sites.0.gateways.0.cores=1"}));
  EXPECT_EQ(spec.base_seed, 11u) << "the scenario's seed";
  const auto runs = plan::plan_runs(spec);
  ASSERT_EQ(runs.size(), 18u);
  EXPECT_EQ(runs[5].run_id, 5);
  EXPECT_EQ(runs[5].point_id, 2);
  EXPECT_EQ(runs[5].replication, 1);
  EXPECT_EQ(runs[5].seed, plan::replication_seed(11, 1));
  // from/to/step ranges.
  const auto shards = plan::load_sweep_spec(source_path("tests/plan/data/broker-shards.json"));
  ASSERT_EQ(shards.points.size(), 3u);
  EXPECT_EQ(shards.points[2].params[0].second, json(1000));
  EXPECT_NE(spec.hash, shards.hash);
  EXPECT_EQ(spec.hash, plan::load_sweep_spec(source_path("tests/plan/data/cost-grid.json")).hash);
  EXPECT_NE(spec.hash, plan::load_sweep_spec(source_path("tests/plan/data/cost-grid.json"), {}, 3).hash);
}

TEST(PlanSweepSpec, ShardsPartitionTheRuns) {
  const auto spec = plan::load_sweep_spec(source_path("tests/plan/data/cost-grid.json"));
  const auto runs = plan::plan_runs(spec);
  std::set<int> all;
  for (int i = 0; i < 4; ++i)
    for (const auto& r : plan::shard_runs(runs, {i, 4})) EXPECT_TRUE(all.insert(r.run_id).second);
  EXPECT_EQ(all.size(), runs.size());
}

TEST(PlanSweepSpec, ShardIndexFromTheJobArray) {
  EXPECT_EQ(plan::parse_shard("2/5").index, 2);
  EXPECT_THROW(plan::parse_shard("5/5"), std::invalid_argument);
  EXPECT_THROW(plan::parse_shard("x/5"), std::invalid_argument);
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  ::setenv("JOB_COMPLETION_INDEX", "3", 1);
  EXPECT_EQ(plan::parse_shard("auto/4").index, 3);
  ::setenv("SLURM_ARRAY_TASK_ID", "2", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
  EXPECT_EQ(plan::parse_shard("4").index, 1) << "Slurm first, rebased on the array's first index";
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  ::unsetenv("JOB_COMPLETION_INDEX");
  EXPECT_THROW(plan::parse_shard("auto/4"), std::invalid_argument);
}

TEST(PlanSweepSpec, ErrorsNameFileAndPointer) {
  TempDir tmp;
  auto err = [&](const json& spec) {
    std::ofstream(tmp / "s.json") << spec.dump();
    try {
      plan::load_sweep_spec(tmp / "s.json");
    } catch (const sim::ScenarioFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string scen = source_path("scenarios/capacity-broker.json");
  EXPECT_NE(err({{"scenario", scen}, {"grdi", json::array()}}).find("/grdi: unknown key \"grdi\" in sweep; did you mean \"grid\"?"),
            std::string::npos);
  EXPECT_NE(err({{"scenario", scen}, {"grid", {{{"path", "duration"}, {"values", 3}}}}}).find("/grid/0/values: expected a non-empty array"),
            std::string::npos);
  const std::string bad = err({{"scenario", scen}, {"points", {{{"platform.brokers.count", 0}}}}});
  EXPECT_NE(bad.find("s.json: /points/0: point 0 (platform.brokers.count=0) makes an invalid scenario"), std::string::npos)
      << bad;
  EXPECT_NE(bad.find("/platform/brokers/count"), std::string::npos) << bad;
}

TEST(PlanCapacity, Ranges) {
  auto [lo, hi] = plan::parse_range("100:2000");
  EXPECT_TRUE(lo.integer);
  EXPECT_EQ(hi.to_json(), json(2000));
  auto [a, b] = plan::parse_range("10ms:250ms");
  EXPECT_EQ(a.unit, "ms");
  EXPECT_EQ(b.to_json(), json("250ms"));
  EXPECT_FALSE(plan::parse_range("0.5:1").first.integer);
  EXPECT_THROW(plan::parse_range("10ms:1s"), std::invalid_argument);
  EXPECT_THROW(plan::parse_range("5:1"), std::invalid_argument);
  EXPECT_THROW(plan::parse_range("5"), std::invalid_argument);
}

TEST(PlanResilience, DefaultScenarioSinglePointsOfFailure) {
  const auto a = plan::analyze_resilience(sim::load_scenario(source_path("scenarios/smart-factory.json")));
  auto group = [&](const std::string& name) {
    for (const auto& g : a.at("groups"))
      if (g.at("group") == name) return g;
    return json();
  };
  auto spofs = [&](const json& g) {
    std::set<std::string> s;
    for (const auto& x : g.at("single_points_of_failure")) s.insert(x.at("element").get<std::string>());
    return s;
  };
  // Meters attach to both gateways: the site router, the WAN, the load balancer and the ingest node
  // remain single points of failure; a gateway, a LAN link or one broker of three do not.
  const json meters = group("plant-north/meters");
  EXPECT_EQ(spofs(meters), (std::set<std::string>{"plant-north/router", "north-wan", "lb", "cloud/k8s-1"}));
  EXPECT_EQ(meters.at("redundancy").at("gateways"), 2);
  EXPECT_EQ(meters.at("redundancy").at("backhaul_disjoint_paths"), 1);
  EXPECT_EQ(meters.at("redundancy").at("brokers"), 3);
  // Wearables hang off gw-1 alone; machines feed two services on two nodes.
  EXPECT_TRUE(spofs(group("plant-north/wearables")).count("plant-north/gw-1"));
  EXPECT_TRUE(spofs(group("plant-north/wearables")).count("north-lan-1"));
  EXPECT_TRUE(spofs(group("plant-north/machines")).count("cloud/k8s-2"));
  EXPECT_EQ(group("plant-north/machines").at("services").size(), 2u);
  // Graph view (Boost): the WANs are bridges, the routers articulation points.
  const auto& bridges = a.at("bridges");
  EXPECT_NE(std::find(bridges.begin(), bridges.end(), "north-wan"), bridges.end());
  const auto& arts = a.at("articulation_points");
  EXPECT_NE(std::find(arts.begin(), arts.end(), "plant-south/router"), arts.end());
  // The route: group -> gateway -> LAN -> router -> WAN -> load balancer.
  EXPECT_EQ(group("plant-north/wearables")["paths"]["to_load_balancer"][0],
            json({"plant-north/wearables", "plant-north/gw-1", "[north-lan-1]", "plant-north/router", "[north-wan]",
                  "lb"}));
}

namespace {
std::string generated_section(const std::string& doc, const std::string& name) {
  const std::string begin = "<!-- BEGIN GENERATED: " + name + " -->\n", end = "<!-- END GENERATED: " + name + " -->";
  const auto b = doc.find(begin), e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "(section " + name + " missing)";
  return doc.substr(b + begin.size(), e - b - begin.size());
}
}  // namespace

TEST(PlanDocs, ReferenceTablesAreGeneratedFromTheSpecs) {
  const std::string doc = read_text(source_path("docs/capacity-planning.md"));
  EXPECT_EQ(generated_section(doc, "cost"), plan::cost_markdown_reference())
      << "regenerate docs/capacity-planning.md's cost section from plan::cost_markdown_reference()";
  EXPECT_EQ(generated_section(doc, "sweep spec"), plan::sweep_spec_markdown())
      << "regenerate docs/capacity-planning.md's sweep section from plan::sweep_spec_markdown()";
}
