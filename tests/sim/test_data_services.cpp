// Data services (storage, batch jobs) against hand computations. Each test runs the real binary on
// scenarios/analytic-single-device.json (one message per second, no contention) with a store and a
// batch job added, so every write and every job run is alone and its time is known in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "cli_runner.hpp"
#include "models/cloud/data_services.hpp"

using namespace edgetwin::test;
using nlohmann::json;
namespace cloud = edgetwin::models::cloud;

namespace {

// The store of the hand computations: 4 OSDs, 3 copies, 100 MB/s disks, an 8 Gb/s (1e9 B/s) cluster
// network with 100 us latency, a 1e9 B/s public network with 200 us, 1 MB (1e6 B) of object overhead
// so that the transfers dominate; each 100 B message is one object of S = 1,000,100 B.
json with_store(double overhead_bytes) {
  json j = read_json(source_path("scenarios/analytic-single-device.json"));
  j["outputs"]["trace"] = false;
  j["platform"]["cloud"]["storage"] = json::array(
      {{{"name", "objects"},
        {"osds", 4},
        {"replication", 3},
        {"disk_write_bandwidth", "100MBps"},
        {"cluster_network", {{"bandwidth", "8Gbps"}, {"latency", "100us"}}},
        {"public_network", {{"bandwidth", "8Gbps"}, {"latency", "200us"}}},
        {"object_overhead", std::to_string(static_cast<long long>(overhead_bytes)) + "B"}}});
  j["workload"]["services"][0]["store"] = "objects";
  return j;
}

json run_json(const json& scenario, const TempDir& dir) {
  const std::string path = dir / "scenario.json";
  std::ofstream(path) << scenario.dump(2);
  const auto r = run_edgetwin({"run", path, "--out", dir / "res", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  return read_json(dir / "res/summary.json");
}

}  // namespace

TEST(DataServicesModel, PlacementIsDeterministicDistinctAndBalanced) {
  std::vector<std::uint64_t> primary(8, 0);
  std::uint64_t moved = 0;
  for (int i = 0; i < 8000; ++i) {
    const std::string name = "svc/" + std::to_string(i);
    const auto p = cloud::place_object(name, 8, 3);
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(std::set<std::uint32_t>(p.begin(), p.end()).size(), 3u);
    EXPECT_EQ(p, cloud::place_object(name, 8, 3));
    ++primary[p[0]];
    // Rendezvous hashing (CRUSH straw2-like): a 9th OSD takes over only the objects it wins.
    const auto q = cloud::place_object(name, 9, 1);
    if (q[0] != p[0]) {
      EXPECT_EQ(q[0], 8u);
      ++moved;
    }
  }
  for (auto n : primary) EXPECT_NEAR(static_cast<double>(n), 1000.0, 120.0);  // ~4 sigma of a binomial
  EXPECT_NEAR(static_cast<double>(moved), 8000.0 / 9.0, 120.0);
  EXPECT_EQ(cloud::place_object("x", 2, 5).size(), 2u);  // never more copies than OSDs
}

TEST(DataServicesModel, FormulasWrittenOut) {
  // Single write: 200us + 1,000,100/1e9 + max(1,000,100/1e8, 100us + 2 x 1,000,100/1e9 + 1,000,100/1e8 + 100us) + 200us
  const double s = 1000100;
  cloud::StoreWriteParams p{s, 3, 1e8, 1e9, 1e-4, 1e9, 2e-4};
  EXPECT_NEAR(cloud::idle_write_latency(p), 2e-4 + s / 1e9 + (1e-4 + 2 * s / 1e9 + s / 1e8 + 1e-4) + 2e-4, 1e-15);
  EXPECT_NEAR(cloud::idle_write_latency(p), 0.0136013, 1e-9);
  p.replication = 1;  // no replicas: the primary's disk alone
  EXPECT_NEAR(cloud::idle_write_latency(p), 2e-4 + s / 1e9 + s / 1e8 + 2e-4, 1e-15);
  // 6 tasks on 4 cores: 2 waves of (5e8 / 6) flops at 1 Gf/s.
  EXPECT_NEAR(cloud::idle_stage_duration(5e8, 6, 4, 1e9), 2 * 5e8 / 6 / 1e9, 1e-15);
  EXPECT_NEAR(cloud::idle_stage_duration(5e8, 8, 4, 1e9), 2 * 6.25e7 / 1e9, 1e-15);
  // 1 kB/s of logs, 1 primary + 1 replica, 10 % index overhead: 1000 x 86400 x 2 x 1.1 B/day.
  EXPECT_NEAR(cloud::growth_per_day(1000, 2, 1.1), 190.08e6, 1e-6);
}

TEST(DataServicesStorage, SingleWriteLatencyEqualsDiskAndNetworkArithmetic) {
  TempDir dir;
  const json s = run_json(with_store(1e6), dir);
  const auto& st = s["storage"]["objects"];
  // One message per second for 10 s: 10 objects, each written alone (13.6 ms << 1 s).
  ASSERT_EQ(st["objects"], 10);
  EXPECT_EQ(st["acknowledged"], 10);
  // latency = Lp + S/Bp + Lc + (R-1) S/Bc + S/D + Lc + Lp: the primary's two copies share its NIC
  // (2 x 1 ms), the replica's disk takes 10.001 ms, and that branch is longer than the primary's disk.
  const double hand = 2e-4 + 1000100 / 1e9 + 1e-4 + 2 * 1000100 / 1e9 + 1000100 / 1e8 + 1e-4 + 2e-4;
  EXPECT_NEAR(hand, 0.0136013, 1e-9);
  EXPECT_NEAR(st["write_latency"]["max"].get<double>(), hand, 1e-6);
  EXPECT_NEAR(st["write_latency"]["mean"].get<double>(), hand, 1e-6);
  // Bytes: every object is S; 3 disks get it, 2 copies cross the cluster network, 1 the public one.
  EXPECT_EQ(st["object_bytes"].get<double>(), 10 * 1000100.0);
  EXPECT_EQ(st["disk_bytes"].get<double>(), 3 * 10 * 1000100.0);
  EXPECT_EQ(st["cluster_network_bytes"].get<double>(), 2 * 10 * 1000100.0);
  EXPECT_EQ(st["public_network_bytes"].get<double>(), 10 * 1000100.0);
  // Growth per day = disk bytes over the 10 s window x 86400.
  EXPECT_NEAR(st["growth_per_day_bytes"].get<double>(), 3 * 10 * 1000100.0 / 10 * 86400, 1e-3);
  double per_osd = 0;
  std::uint64_t primaries = 0;
  for (const auto& [name, o] : st["osds"].items()) {
    per_osd += o["disk_bytes"].get<double>();
    primaries += o["primary_objects"].get<std::uint64_t>();
  }
  EXPECT_EQ(per_osd, st["disk_bytes"].get<double>());
  EXPECT_EQ(primaries, 10u);
}

TEST(DataServicesStorage, WriteAmplificationIsExactlyTheReplicationFactor) {
  TempDir dir;
  json sc = with_store(0);
  sc["platform"]["cloud"]["storage"][0]["replication"] = 4;
  sc["workload"]["services"][0]["store_batch"] = 3;  // 3 messages per object: 3 objects, 1 pending
  const json s = run_json(sc, dir);
  const auto& st = s["storage"]["objects"];
  EXPECT_EQ(st["objects"], 3);
  EXPECT_EQ(st["pending_messages"], 1);
  EXPECT_EQ(st["payload_bytes"].get<double>(), 900.0);
  EXPECT_EQ(st["disk_bytes"].get<double>(), 4 * 900.0);
  EXPECT_EQ(st["cluster_network_bytes"].get<double>(), 3 * 900.0);
  EXPECT_EQ(st["write_amplification"].get<double>(), 4.0);
  // The run without a store is unchanged by it: same deliveries and latencies.
  TempDir plain;
  const json p = run_json(read_json(source_path("scenarios/analytic-single-device.json")), plain);
  EXPECT_EQ(p["totals"]["latency"], s["totals"]["latency"]);
  EXPECT_FALSE(p.contains("storage"));
}

TEST(DataServicesBatch, JobDurationEqualsWavesOfTasks) {
  // One run at t = 5 s over the 5 messages (500 B) stored before it. Stage 1: 1 Mf/B x 500 B = 5e8 f
  // in 6 tasks; stage 2: 5 Mf/B x (0.4 x 500 B) = 1e9 f in 6 tasks.
  //  - one 4-core 1 Gf/s executor: 2 waves each: 2 x 5e8/6/1e9 + 2 x 1e9/6/1e9 = 0.5 s, no shuffle;
  //  - two such executors: 1 wave each, plus the shuffle of 200 B: 200/4 = 50 B per ordered pair of
  //    executors, the 2 pairs that change node share the 1e9 B/s link: 100 us + 100 B / 1e9 B/s.
  for (int executors : {1, 2}) {
    TempDir dir;
    json sc = with_store(0);
    sc["platform"]["cloud"]["nodes"] = json::array({{{"name", "node"}, {"cpu", "2Gf"}},
                                                    {{"name", "spark-1"}, {"cpu", "1Gf"}, {"cores", 4}},
                                                    {{"name", "spark-2"}, {"cpu", "1Gf"}, {"cores", 4}}});
    json ex = json::array({"cloud/spark-1"});
    if (executors == 2) ex.push_back("cloud/spark-2");
    sc["workload"]["batch_jobs"] = json::array(
        {{{"name", "rollup"},
          {"every", "5s"},
          {"input", "objects"},
          {"parallelism", 6},
          {"executors", ex},
          {"stages", json::array({{{"cost_per_byte", "1Mf"}, {"shuffle", 0.4}}, {{"cost_per_byte", "5Mf"}}})},
          {"shuffle_network", {{"bandwidth", "8Gbps"}, {"latency", "100us"}}}}});
    const json s = run_json(sc, dir);
    const auto& job = s["batch_jobs"]["rollup"];
    ASSERT_EQ(job["runs"], 1);
    const auto& run = job["run_list"][0];
    EXPECT_EQ(run["at"].get<double>(), 5.0);
    ASSERT_EQ(run["input_bytes"].get<double>(), 500.0);
    EXPECT_EQ(run["flops"].get<double>(), 5e8 + 1e9);
    const std::uint32_t cores = 4 * static_cast<std::uint32_t>(executors);
    double hand = cloud::idle_stage_duration(5e8, 6, cores, 1e9) + cloud::idle_stage_duration(1e9, 6, cores, 1e9);
    if (executors == 1) {
      EXPECT_NEAR(hand, 0.5, 1e-12);
      EXPECT_EQ(run["shuffle_bytes"].get<double>(), 0.0);
    } else {
      hand += 1e-4 + 100.0 / 1e9;
      EXPECT_NEAR(hand, 5e8 / 6 / 1e9 + 1e9 / 6 / 1e9 + 1e-4 + 100e-9, 1e-12);
      EXPECT_EQ(run["shuffle_bytes"].get<double>(), 100.0);
    }
    EXPECT_NEAR(run["duration"].get<double>(), hand, 1e-6) << executors << " executor(s)";
    EXPECT_EQ(run["missed"], false);
    EXPECT_EQ(job["missed"], 0);
  }
}

TEST(DataServicesLogging, LagAndStorageGrowthEqualHandComputation) {
  // The gateway of analytic-single-device ships 1,000 B/s of logs every 2 s: 5 batches of 2,000 B
  // over backhaul (1.25e6 B/s, 10 ms), cluster (12.5e6 B/s, 1 ms) and cloud (1.25e8 B/s, 2 ms) links
  // to cloud/node (2 Gf/s), which spends 100 + 400 f per byte on them.
  //   lag of a batch's oldest line = 2 s + (10 + 1 + 2) ms + 2000 / 1.25e6 + 500 x 2000 / 2e9 = 2.0151 s
  //   growth per day = 1000 B/s x 86400 x (1 + 1 replica) x 1.1 = 190.08 MB/day
  TempDir dir;
  json sc = read_json(source_path("scenarios/analytic-single-device.json"));
  sc["outputs"]["trace"] = false;
  sc["platform"]["logging"] = {{"node", "cloud/node"},          {"ship_rate", "1kBps"},
                               {"flush", "2s"},                 {"ingest_cost_per_byte", "100f"},
                               {"index_cost_per_byte", "400f"}, {"replicas", 1},
                               {"index_overhead", 1.1}};
  const json s = run_json(sc, dir);
  const auto& lg = s["logging"];
  EXPECT_EQ(lg["batches"], 5);
  EXPECT_EQ(lg["bytes_shipped"].get<double>(), 10000.0);
  const double lag = 2 + 0.013 + 2000 / 1.25e6 + 500 * 2000 / 2e9;
  EXPECT_NEAR(lag, 2.0151, 1e-12);
  EXPECT_NEAR(lg["lag"]["max"].get<double>(), lag, 1e-6);
  EXPECT_NEAR(lg["lag"]["mean"].get<double>(), lag, 1e-6);
  EXPECT_NEAR(lg["growth_per_day_bytes"].get<double>(), 190.08e6, 1e-3);
  EXPECT_NEAR(lg["cpu_seconds"].get<double>(), 5 * 500 * 2000 / 2e9, 1e-12);
  // The logs are on the backhaul's byte count, next to the telemetry (10 PUBLISH of 107 B).
  EXPECT_EQ(s["links"]["backhaul"]["bytes"].get<double>(), 10000.0 + 10 * 107.0);
}

TEST(Alerting, TimeToAlertIsScrapeThenForThenEvaluation) {
  // broker-1 crashes at 3.2 s for 4 s. Scrapes and evaluations every 1 s: the scrape at 4 s sees it
  // down (pending), the rule's `for` of 2 s has held at the evaluation at 6 s (fires: 2.8 s after the
  // fault); it is back at 7.2 s, the scrape and evaluation at 8 s resolve the alert.
  TempDir dir;
  json sc = read_json(source_path("scenarios/analytic-single-device.json"));
  sc["outputs"]["trace"] = false;
  sc["faults"] = json::array({{{"at", "3.2s"}, {"target", "broker-1"}, {"action", "crash"}, {"for", "4s"}}});
  sc["alerting"] = {{"scrape_interval", "1s"},
                    {"evaluation_interval", "1s"},
                    {"rules", json::array({{{"name", "broker-down"},
                                            {"metric", "up"},
                                            {"scope", "broker-1"},
                                            {"for", "2s"}},
                                           {{"name", "slow"},
                                            {"metric", "latency.mean"},
                                            {"condition", "above"},
                                            {"threshold", 1.0},
                                            {"window", "5s"}}})}};
  const json s = run_json(sc, dir);
  const auto& a = s["alerts"]["broker-down"];
  ASSERT_EQ(a["fired"], 1);
  EXPECT_NEAR(a["firings"][0]["at"].get<double>(), 6.0, 1e-9);
  EXPECT_NEAR(a["firings"][0]["resolved"].get<double>(), 8.0, 1e-9);
  EXPECT_EQ(s["alerts"]["slow"]["fired"], 0);  // every delivery takes 32.5 ms
  const json drill = read_json(dir / "res/drill.json");
  EXPECT_EQ(drill["faults"][0]["alert"], "broker-down");
  EXPECT_NEAR(drill["faults"][0]["time_to_alert_s"].get<double>(), 2.8, 1e-9);
}

TEST(DataServicesBatch, JobsSharingAnExecutorContendAndMissTheirPeriod) {
  // Two identical jobs on one 4-core 1 Gf/s executor, each run at 5 s = 4 tasks of 500 B x 4 Mf/B / 4
  // = 5e8 f: alone a run takes 0.5 s; together 8 tasks share 4 cores (SimGrid's CPU sharing gives
  // each half a core: task slots are per job, as two Spark applications on one worker), so both
  // runs take 1 s.
  TempDir dir;
  json sc = with_store(0);
  sc["duration"] = "6s";
  sc["platform"]["cloud"]["nodes"] =
      json::array({{{"name", "node"}, {"cpu", "2Gf"}}, {{"name", "spark"}, {"cpu", "1Gf"}, {"cores", 4}}});
  auto job = [](const std::string& name, const std::string& every, const std::string& cost) {
    return json{{"name", name},
                {"every", every},
                {"input", "objects"},
                {"parallelism", 4},
                {"executors", json::array({"cloud/spark"})},
                {"stages", json::array({{{"cost_per_byte", cost}}})}};
  };
  sc["workload"]["batch_jobs"] = json::array({job("a", "5s", "4Mf"), job("b", "5s", "4Mf")});
  const json s = run_json(sc, dir);
  for (const char* name : {"a", "b"}) {
    const auto& run = s["batch_jobs"][name]["run_list"][0];
    ASSERT_EQ(run["input_bytes"].get<double>(), 500.0);
    EXPECT_NEAR(run["duration"].get<double>(), 1.0, 1e-6) << name;  // 2 x the idle 0.5 s
    EXPECT_EQ(run["missed"], false);
  }
  // A run longer than the period is missed: every 2.5 s at 100 Mf/B, the run at 2.5 s over at least
  // 200 B takes at least 200 x 1e8 / 4 / 1e9 = 5 s > 2.5 s (and overlaps the run at 5 s).
  TempDir dir2;
  sc["workload"]["batch_jobs"] = json::array({job("a", "2.5s", "100Mf")});
  const json s2 = run_json(sc, dir2);
  const auto& runs = s2["batch_jobs"]["a"]["run_list"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["missed"], true);
  EXPECT_GE(s2["batch_jobs"]["a"]["missed"].get<int>(), 1);
}

TEST(DataServicesBatch, InputFromAServiceIsThePayloadItConsumed) {
  // No store: the job reads what the service "ingest" consumed since its last run. At 5 s that is
  // the 5 messages of 100 B created at t0 + 0..4 s (t0 < 1 s), each consumed 32.5 ms later:
  // 500 B, at 1 Mf/B on one 1 Gf/s core: 0.5 s.
  TempDir dir;
  json sc = read_json(source_path("scenarios/analytic-single-device.json"));
  sc["outputs"]["trace"] = false;
  sc["platform"]["cloud"]["nodes"].push_back({{"name", "spark"}, {"cpu", "1Gf"}});
  sc["workload"]["batch_jobs"] = json::array({{{"name", "daily"},
                                               {"every", "5s"},
                                               {"input", "ingest"},
                                               {"executors", json::array({"cloud/spark"})},
                                               {"stages", json::array({{{"cost_per_byte", "1Mf"}}})}}});
  const json s = run_json(sc, dir);
  const auto& run = s["batch_jobs"]["daily"]["run_list"][0];
  EXPECT_EQ(run["input_bytes"].get<double>(), 500.0);
  EXPECT_NEAR(run["duration"].get<double>(), 0.5, 1e-6);
  EXPECT_FALSE(s.contains("storage"));
}
