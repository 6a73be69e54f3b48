// The planning commands through the real `edgetwin` binary: SLO exit codes and JUnit, cost in the
// summary, sweeps (load, confidence intervals), the analytic capacity limit, --minimize cost against
// an exhaustive sweep, shards merged equal to the unsharded sweep, and `analyze`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>

#include "cli_runner.hpp"
#include "sim/plan/db.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

const std::string kBroker = source_path("scenarios/capacity-broker.json");
const std::string kCost = source_path("scenarios/capacity-cost.json");
const std::string kDevices = "platform.sites.0.device_groups.0.count";

// points.csv as {point_id: {kpi: {column: value}}}.
std::map<int, std::map<std::string, std::map<std::string, std::string>>> read_points(const std::string& path) {
  const auto rows = read_csv(path);
  std::map<int, std::map<std::string, std::map<std::string, std::string>>> out;
  const auto& h = rows.at(0);
  const auto kpi_col = static_cast<std::size_t>(std::find(h.begin(), h.end(), "kpi") - h.begin());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    auto& cell = out[std::stoi(rows[r][0])][rows[r][kpi_col]];
    for (std::size_t c = 0; c < h.size() && c < rows[r].size(); ++c) cell[h[c]] = rows[r][c];
  }
  return out;
}

double num(const std::string& s) { return s.empty() ? NAN : std::stod(s); }

}  // namespace

TEST(PlanRun, FailingSloExitsOneAndJunitNamesItWithTheValue) {
  TempDir tmp;
  // 900 devices x 1 message/s at 1 ms each: broker-1 is 90 % busy, above its 80 % SLO.
  const auto fail = run_edgetwin({"run", kBroker, "--out", tmp / "f", "--quiet", "--set", kDevices + "=900", "--set",
                                  "duration=\"5s\"", "--junit", tmp / "f.xml"});
  EXPECT_EQ(fail.exit_code, 1) << fail.err;
  const std::string x = read_text(tmp / "f.xml");
  EXPECT_NE(x.find("failures=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("<testcase classname=\"edgetwin.slo.capacity-broker\" name=\"utilization[broker-1]\""),
            std::string::npos)
      << x;
  const std::size_t f = x.find("<failure type=\"SLOViolation\" message=\"measured utilization[broker-1] = 0.8");
  ASSERT_NE(f, std::string::npos) << x;
  const double value = read_json(tmp / "f/summary.json")["slo"][0]["value"].get<double>();
  EXPECT_NEAR(value, 0.9, 0.01);
  char measured[64];
  std::snprintf(measured, sizeof measured, "= %.9g (bound: max 0.8)", value);
  EXPECT_NE(x.find(measured, f), std::string::npos) << "the measured value is in the message\n" << x;

  const auto pass = run_edgetwin({"run", kBroker, "--out", tmp / "p", "--quiet", "--set", "duration=\"5s\"", "--junit",
                                  tmp / "p.xml"});
  EXPECT_EQ(pass.exit_code, 0) << pass.err;
  const std::string y = read_text(tmp / "p.xml");
  EXPECT_NE(y.find("tests=\"2\" failures=\"0\""), std::string::npos) << y;
  EXPECT_EQ(y.find("<failure"), std::string::npos) << y;
}

TEST(PlanRun, SummaryReportsMonthlyCostByTier) {
  TempDir tmp;
  const auto r = run_edgetwin({"run", kCost, "--out", tmp / "c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("monthly cost (EUR)"), std::string::npos) << r.out;
  const json s = read_json(tmp / "c/summary.json");
  const json& c = s.at("cost");
  double sum = 0;
  for (auto it = c["by_tier"].begin(); it != c["by_tier"].end(); ++it) sum += it.value().get<double>();
  EXPECT_NEAR(sum, c["monthly_total"].get<double>(), 1e-9);
  // Backhaul: bytes carried per simulated second, for a month, at 0.05 EUR/GB.
  const double bytes = s["links"]["backhaul"]["bytes"].get<double>();
  EXPECT_NEAR(c["by_tier"]["backhaul"].get<double>(), bytes / s["simulated_end"].get<double>() * 730 * 3600 / 1e9 * 0.05,
              1e-9);
  EXPECT_GT(c["by_tier"]["backhaul"].get<double>(), 0);
  // The manifest is still written last and still lists the summary.
  EXPECT_EQ(read_json(tmp / "c/manifest.json")["files"][0], "summary.json");
  // Invalid prices are input errors with the JSON pointer, in validate and run.
  for (const char* cmd : {"validate", "run"}) {
    const auto bad = run_edgetwin({cmd, kCost, "--set", "/cost/backhaul/per_gb=\"cheap\""});
    EXPECT_EQ(bad.exit_code, 2) << cmd;
    EXPECT_NE(bad.err.find("capacity-cost.json: /cost/backhaul/per_gb: expected a number"), std::string::npos) << bad.err;
  }
}

TEST(PlanSweep, LatencyAndLossGrowWithLoadAndIntervalsShrinkWithReplications) {
  TempDir tmp;
  const auto r = run_edgetwin({"sweep", source_path("tests/plan/data/wearables-small.json"), "-j", "2", "--out", tmp / "s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("9/9 runs 100%"), std::string::npos) << "progress bar\n" << r.err;
  EXPECT_NE(r.err.find("ETA"), std::string::npos);
  const auto p = read_points(tmp / "s/points.csv");
  ASSERT_EQ(p.size(), 3u);
  const std::string lat = "latency.p99[plant-north/wearables]", loss = "loss_ratio[plant-north/wearables]";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(p.at(i).at(lat).at("n"), "3");
  EXPECT_LT(num(p.at(0).at(lat).at("mean")), num(p.at(1).at(lat).at("mean")));
  EXPECT_LT(num(p.at(1).at(lat).at("mean")), num(p.at(2).at(lat).at("mean")));
  EXPECT_GT(num(p.at(2).at(lat).at("mean")), 0.1) << "80 wearables overload gw-1";
  EXPECT_EQ(num(p.at(0).at(loss).at("mean")), 0.0);
  EXPECT_GT(num(p.at(2).at(loss).at("mean")), 0.05) << "its 200-message queue overflows";
  EXPECT_LE(num(p.at(1).at(loss).at("mean")), num(p.at(2).at(loss).at("mean")));
  for (int i = 0; i < 3; ++i) {
    EXPECT_LE(num(p.at(i).at(lat).at("ci95_low")), num(p.at(i).at(lat).at("mean")));
    EXPECT_GE(num(p.at(i).at(lat).at("ci95_high")), num(p.at(i).at(lat).at("mean")));
  }
  // runs.csv: one row per run with its parameters and KPIs; the database has the same runs.
  const auto runs = read_csv(tmp / "s/runs.csv");
  ASSERT_EQ(runs.size(), 10u);
  EXPECT_EQ(runs[0][6], "platform.sites.0.device_groups.2.count");
  edgetwin::plan::Db db(tmp / "s/sweep.db", false);
  edgetwin::plan::Statement q(db, "SELECT COUNT(*), COUNT(DISTINCT seed) FROM runs WHERE exit_code IN (0, 1)");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.get_int(0), 9);
  EXPECT_EQ(q.get_int(1), 3) << "replication r has the same seed at every point";

  // The same point with more replications: a narrower interval (replications 0..2 are shared).
  auto half_width = [&](const std::string& dir, const std::string& reps) {
    const auto s = run_edgetwin({"sweep", source_path("tests/plan/data/wearables-one-point.json"), "-j", "2", "--out",
                                 tmp / dir, "--quiet", "--replications", reps});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    const auto c = read_points(tmp / (dir + "/points.csv")).at(0).at(lat);
    return (num(c.at("ci95_high")) - num(c.at("ci95_low"))) / 2;
  };
  const double w3 = half_width("r3", "3"), w8 = half_width("r8", "8");
  EXPECT_LT(w8, w3) << "8 replications: +/- " << w8 << " s; 3 replications: +/- " << w3 << " s";
}

TEST(PlanCapacity, FindsTheAnalyticBrokerLimit) {
  TempDir tmp;
  // One broker serving 1000 messages/s, devices sending 1/s, SLO utilization <= 0.8: limit 800.
  const auto r = run_edgetwin({"capacity", kBroker, "--vary", kDevices, "--range", "100:2000", "--replications", "2",
                               "--tolerance", "5", "-j", "2", "--set", "duration=\"10s\"", "--out", tmp / "c",
                               "--json", tmp / "c.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json c = read_json(tmp / "c.json");
  EXPECT_EQ(c["status"], "found");
  const int cap = c["capacity"].get<int>(), fail = c["first_failing"].get<int>();
  EXPECT_LE(cap, 800);
  EXPECT_GE(cap, 800 - 5) << "within the tolerance";
  EXPECT_GT(fail, 800);
  EXPECT_LE(fail - cap, 5);
  EXPECT_EQ(c["binding_slo"]["slo"], "utilization[broker-1]");
  EXPECT_EQ(c["bottleneck"]["resource"], "broker-1");
  EXPECT_NEAR(c["bottleneck"]["utilization"].get<double>(), fail / 1000.0, 0.01);
  EXPECT_EQ(c["confidence"]["replications_passed"], 2);
  EXPECT_NE(r.out.find("binding SLO: utilization[broker-1]"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(tmp / "c/capacity.json"));
}

TEST(PlanCapacity, MinimizeCostEqualsExhaustiveSweep) {
  TempDir tmp;
  const auto m = run_edgetwin({"capacity", kCost, "--minimize", "cost", "--vary", "platform.brokers.count", "--range",
                               "1:3", "--vary", "platform.sites.0.gateways.0.cores", "--values", "1,2,4",
                               "--replications", "2", "-j", "2", "--out", tmp / "m", "--json", tmp / "m.json"});
  ASSERT_EQ(m.exit_code, 0) << m.err << m.out;
  const json best = read_json(tmp / "m.json")["best"];
  const auto s = run_edgetwin({"sweep", source_path("tests/plan/data/cost-grid.json"), "-j", "2", "--quiet", "--out",
                               tmp / "s"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // Exhaustive answer: the lowest mean monthly cost among points where every replication passed.
  const auto p = read_points(tmp / "s/points.csv");
  int best_point = -1;
  double best_cost = 0;
  for (const auto& [id, kpis] : p) {
    if (num(kpis.at("slo.pass").at("min")) < 1) continue;
    const double c = num(kpis.at("cost.monthly").at("mean"));
    if (best_point < 0 || c < best_cost) {
      best_point = id;
      best_cost = c;
    }
  }
  ASSERT_GE(best_point, 0);
  EXPECT_EQ(best["config"].get<int>(), best_point);
  EXPECT_EQ(best["cost"]["monthly"].get<double>(), best_cost) << "same runs, same seeds, same bits";
  EXPECT_EQ(best["params"]["platform.brokers.count"], 2);
  EXPECT_EQ(best["params"]["platform.sites.0.gateways.0.cores"], 2);
}

TEST(PlanShards, ThreeLocalShardsMergeToTheUnshardedSweep) {
  TempDir tmp;
  const std::string spec = source_path("tests/plan/data/broker-shards.json");
  const auto whole = run_edgetwin({"sweep", spec, "-j", "2", "--quiet", "--out", tmp / "whole"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  for (int i = 0; i < 3; ++i) {
    // Shard 2 takes its index from the environment, as in a Slurm job array.
    std::vector<std::string> args = {"sweep", spec, "-j", "2", "--quiet", "--out", tmp / "sharded"};
    if (i == 2) {
      ::setenv("SLURM_ARRAY_TASK_ID", "2", 1);
      args.insert(args.end(), {"--shard", "auto/3"});
    } else {
      args.insert(args.end(), {"--shard", std::to_string(i) + "/3"});
    }
    const auto r = run_edgetwin(args);
    ::unsetenv("SLURM_ARRAY_TASK_ID");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    char name[64];
    std::snprintf(name, sizeof name, "sharded/shard-%04d-of-0003.db", i);
    EXPECT_TRUE(std::filesystem::exists(tmp / name)) << name;
  }
  // Merging only two shards is reported as incomplete (exit 3); all three is complete.
  const auto part = run_edgetwin({"merge", "--out", tmp / "part", tmp / "sharded/shard-0000-of-0003.db",
                                  tmp / "sharded/shard-0001-of-0003.db"});
  EXPECT_EQ(part.exit_code, 3) << part.err;
  EXPECT_NE(part.err.find("run(s) missing"), std::string::npos) << part.err;
  const auto merged = run_edgetwin({"merge", tmp / "sharded"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.out.find("merged 3 shard(s): 6 of 6 runs"), std::string::npos) << merged.out;
  for (const char* f : {"runs.csv", "points.csv"}) {
    const std::string a = read_text(tmp / ("whole/" + std::string(f)));
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, read_text(tmp / ("sharded/" + std::string(f)))) << f << ": merged shards differ from the sweep";
  }
  auto dump = [](const std::string& path) {
    edgetwin::plan::Db db(path, false);
    std::string out;
    edgetwin::plan::Statement q(db, "SELECT r.run_id, r.seed, r.exit_code, r.verdict, k.name, k.value FROM runs r "
                                    "JOIN kpis k USING (run_id) ORDER BY r.run_id, k.name");
    while (q.step()) {
      out += std::to_string(q.get_int(0)) + " " + std::to_string(q.get_int(1)) + " " + std::to_string(q.get_int(2)) +
             " " + q.get_text(3) + " " + q.get_text(4) + " ";
      char b[40];
      std::snprintf(b, sizeof b, "%a\n", q.get_double(5));
      out += b;
    }
    return out;
  };
  const std::string a = dump(tmp / "whole/sweep.db");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, dump(tmp / "sharded/sweep.db")) << "every KPI of every run, bit for bit";
  // The same shard twice, or shards of another sweep, are refused.
  const auto twice = run_edgetwin({"merge", "--out", tmp / "twice", tmp / "sharded/shard-0000-of-0003.db",
                                   tmp / "sharded/shard-0000-of-0003.db"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("also appears in another input"), std::string::npos) << twice.err;
  const auto other = run_edgetwin({"sweep", spec, "--quiet", "--replications", "1", "--shard", "0/3", "--out",
                                   tmp / "other"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const auto mixed = run_edgetwin({"merge", "--out", tmp / "mixed", tmp / "sharded/shard-0001-of-0003.db",
                                   tmp / "other/shard-0000-of-0003.db"});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("belongs to another sweep"), std::string::npos) << mixed.err;
}

TEST(PlanSweep, InvalidSpecsAndOptionsExitTwo) {
  TempDir tmp;
  std::ofstream(tmp / "bad.json") << R"({"scenario": ")" << kBroker
                                  << R"(", "grid": [{"path": "platform.brokers.cuont", "values": [1, 2]}]})";
  const auto r = run_edgetwin({"sweep", tmp / "bad.json", "--out", tmp / "o"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.json: /points/0: point 0 (platform.brokers.cuont=1) makes an invalid scenario"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run_edgetwin({"sweep", tmp / "bad.json", "--shard", "3/3"}).exit_code, 2);
  EXPECT_EQ(run_edgetwin({"capacity", kBroker, "--vary", kDevices, "--range", "9:1"}).exit_code, 2);
  EXPECT_EQ(run_edgetwin({"capacity", source_path("scenarios/analytic-single-device.json"), "--vary", kDevices,
                          "--range", "1:9"})
                .exit_code,
            2)
      << "a capacity search needs SLOs";
}

TEST(PlanAnalyze, PrintsSinglePointsOfFailurePerGroup) {
  TempDir tmp;
  const auto r = run_edgetwin({"analyze", source_path("scenarios/smart-factory.json"), "--json", tmp / "a.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("plant-north/wearables (20 devices) -> ingest@cloud/k8s-1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("north-wan (link, bridge)"), std::string::npos) << r.out;
  EXPECT_EQ(read_json(tmp / "a.json")["groups"].size(), 6u);
  EXPECT_EQ(run_edgetwin({"analyze", "nope.json"}).exit_code, 2);
}
