// Edge application rollout (workload.rollouts): small platforms whose pull, downtime and total
// rollout times are computed by hand (docs/models/cloud-and-apps.md), and what happens to the
// uplinks that reach a gateway while its pipeline restarts.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

// Three gateways behind their own 8 Mbps (1 MB/s) / 10 ms backhauls, a registry on cloud/registry
// behind 1 Gbps / 1 ms to the load balancer; a fourth gateway ("idle") carries the only device, so
// no uplink crosses the rollout's backhauls (times are exact).
json small_platform() {
  json gws = json::array();
  json links = json::array();
  for (const char* g : {"gw-1", "gw-2", "gw-3", "idle"}) {
    gws.push_back({{"name", g}, {"cpu", "1Gf"}, {"cost_per_message", "1Mf"}});
    links.push_back({{"name", std::string("backhaul-") + g},
                     {"between", {std::string("lab/") + g, "lb"}},
                     {"bandwidth", "8Mbps"},
                     {"latency", "10ms"}});
  }
  links.push_back({{"name", "cluster"}, {"between", {"lb", "brokers"}}, {"bandwidth", "1Gbps"}, {"latency", "1ms"}});
  links.push_back({{"name", "cloud"}, {"between", {"brokers", "cloud/node"}}, {"bandwidth", "1Gbps"}, {"latency", "1ms"}});
  links.push_back(
      {{"name", "registry-lan"}, {"between", {"lb", "cloud/registry"}}, {"bandwidth", "1Gbps"}, {"latency", "1ms"}});
  return {
      {"name", "rollout-small"},
      {"seed", 1},
      {"duration", "100s"},
      {"engine", {{"network_model", "CM02"}}},
      {"platform",
       {{"sites",
         {{{"name", "lab"},
           {"gateways", gws},
           {"device_groups",
            {{{"name", "probe"}, {"count", 1}, {"gateways", {"idle"}},
              {"access", {{"bandwidth", "100kbps"}, {"latency", "5ms"}}}}}}}}},
        {"links", links},
        {"load_balancer", {{"cpu", "1Gf"}, {"cost_per_message", "100kf"}}},
        {"brokers", {{"count", 1}, {"cpu", "1Gf"}, {"cost_per_publish", "500kf"}}},
        {"cloud", {{"nodes", {{{"name", "node"}, {"cpu", "2Gf"}}, {{"name", "registry"}, {"cpu", "1Gf"}}}}}}}},
      {"workload",
       {{"traffic", {{{"group", "lab/probe"}, {"pattern", "periodic"}, {"period", "1s"}, {"payload", "100B"}}}},
        {"services", {{{"name", "ingest"}, {"node", "cloud/node"}, {"subscribe", {"#"}}}}},
        {"rollouts",
         {{{"name", "v2"},
           {"at", "10s"},
           {"registry", {{"node", "cloud/registry"}, {"bandwidth", "100Mbps"}}},
           {"image", {{"layers", {{{"size", "2MB"}}, {{"size", "1MB"}, {"cached", true}}, {{"size", "3MB"}}}}}},
           {"gateways", {"lab/gw-1", "lab/gw-2", "lab/gw-3"}},
           {"max_unavailable", 2},
           {"restart", "4s"}}}}}}};
}

json run_json(TempDir& dir, const std::string& name, const json& sc) {
  const std::string file = dir / (name + ".json");
  std::ofstream(file) << sc.dump(2);
  const auto r = run_edgetwin({"run", file, "--out", dir / name, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_json(dir / (name + "/summary.json"));
}

const json& gateway(const json& s, int i) { return s["rollouts"][0]["gateways"][static_cast<std::size_t>(i)]; }

}  // namespace

// Route registry -> gateway: egress (0 s) + registry-lan (1 ms) + backhaul (10 ms): L = 11 ms.
// Per-flow rate: min(backhaul 1 MB/s, registry 12.5 MB/s / 2 pulls, lan 125 MB/s / 2, TCP gamma
// 4 MiB / (2 x 11 ms) = 190.7 MB/s) = 1 MB/s: the backhaul. Layers 2 MB and 3 MB (1 MB cached).
TEST(Rollout, ExactTimesBackhaulBound) {
  TempDir dir;
  json sc = small_platform();
  // One layer at a time: pull = (L + 2 MB / 1 MB/s) + (L + 3 MB / 1 MB/s) = 5.022 s; with the
  // 4 s restart a gateway takes 9.022 s. gw-1 and gw-2 from 10 s, gw-3 when they are back:
  // pull [19.022, 24.044], down [24.044, 28.044]; total 18.044 s.
  sc["workload"]["rollouts"][0]["max_concurrent_downloads"] = 1;
  json s = run_json(dir, "seq", sc);
  const auto& ro = s["rollouts"][0];
  EXPECT_NEAR(gateway(s, 0)["pull_s"].get<double>(), 5.022, 1e-9);
  EXPECT_NEAR(gateway(s, 1)["down_start"].get<double>(), 15.022, 1e-9);
  EXPECT_NEAR(gateway(s, 1)["down_end"].get<double>(), 19.022, 1e-9);
  EXPECT_NEAR(gateway(s, 2)["pull_start"].get<double>(), 19.022, 1e-9);
  EXPECT_NEAR(gateway(s, 2)["down_start"].get<double>(), 24.044, 1e-9);
  EXPECT_NEAR(ro["total_time_s"].get<double>(), 18.044, 1e-9);
  EXPECT_NEAR(gateway(s, 2)["downtime_s"].get<double>(), 4.0, 1e-9);
  EXPECT_DOUBLE_EQ(ro["backhaul_bytes"].get<double>(), 15e6);
  EXPECT_DOUBLE_EQ(ro["link_bytes"]["registry-lan"].get<double>(), 15e6);
  EXPECT_DOUBLE_EQ(ro["link_bytes"]["backhaul-gw-3"].get<double>(), 5e6);
  EXPECT_FALSE(ro["link_bytes"].contains("backhaul-idle"));
  // The pulled bytes count in the links' own totals too (the idle gateway's backhaul carries only
  // the probe's uplinks).
  EXPECT_DOUBLE_EQ(s["links"]["backhaul-gw-1"]["bytes"].get<double>(), 5e6);

  // Both layers at once (default 3): they share the backhaul (0.5 MB/s each) until the 2 MB one
  // ends at L + 4 s, then the last 1 MB goes at 1 MB/s: pull = L + 5 s = 5.011 s (the backhaul
  // stays busy: one latency instead of two). Total = 2 x (5.011 + 4) = 18.022 s.
  sc["workload"]["rollouts"][0].erase("max_concurrent_downloads");
  s = run_json(dir, "par", sc);
  EXPECT_NEAR(gateway(s, 0)["pull_s"].get<double>(), 5.011, 1e-9);
  EXPECT_NEAR(s["rollouts"][0]["total_time_s"].get<double>(), 18.022, 1e-9);
}

TEST(Rollout, ExactTimesRegistryAndTcpBound) {
  TempDir dir;
  // Registry egress 8 Mbps = 1 MB/s shared by the 2 concurrent pulls: 0.5 MB/s each (< backhaul).
  // Recreate (pull after-stop): down during the pull and the restart. gw-1, gw-2: pull = L + 5 MB /
  // 0.5 MB/s = 10.011 s, downtime 14.011 s; gw-3 then pulls alone at min(1 MB/s registry, 1 MB/s
  // backhaul): 5.011 s, downtime 9.011 s. Total = 14.011 + 9.011 = 23.022 s.
  json sc = small_platform();
  auto& r = sc["workload"]["rollouts"][0];
  r["registry"]["bandwidth"] = "8Mbps";
  r["pull"] = "after-stop";
  json s = run_json(dir, "registry", sc);
  EXPECT_NEAR(gateway(s, 0)["pull_s"].get<double>(), 10.011, 1e-9);
  EXPECT_NEAR(gateway(s, 0)["downtime_s"].get<double>(), 14.011, 1e-9);
  EXPECT_NEAR(gateway(s, 0)["down_start"].get<double>(), 10.0, 1e-9);
  EXPECT_NEAR(gateway(s, 2)["downtime_s"].get<double>(), 9.011, 1e-9);
  EXPECT_NEAR(s["rollouts"][0]["total_time_s"].get<double>(), 23.022, 1e-9);

  // A long fat pipe: backhaul 1 Gbps / 100 ms, registry 10 Gbps, one 10 MB layer to one gateway.
  // SimGrid's TCP window bound caps the flow at gamma / (2 x route latency) = 4194304 B / (2 x
  // 101 ms) = 20.76 MB/s, far below the links: pull = 0.101 + 1e7 / (4194304 / 0.202) s.
  json fat = small_platform();
  for (auto& l : fat["platform"]["links"])
    if (l["name"] == "backhaul-gw-1") {
      l["bandwidth"] = "1Gbps";
      l["latency"] = "100ms";
    }
  auto& f = fat["workload"]["rollouts"][0];
  f["registry"]["bandwidth"] = "10Gbps";
  f["gateways"] = {"lab/gw-1"};
  f["image"]["layers"] = {{{"size", "10MB"}}};
  s = run_json(dir, "fat", fat);
  EXPECT_NEAR(gateway(s, 0)["pull_s"].get<double>(), 0.101 + 1e7 / (4194304.0 / 0.202), 1e-9);
}

// One gateway with 4 devices sending every second (5 ms access): its pipeline is down for exactly
// 5 s, a window that holds exactly 5 arrivals of each periodic device, whatever their phases: 20.
TEST(Rollout, UplinksDuringRestartAreBufferedOrLost) {
  TempDir dir;
  json sc = small_platform();
  sc["duration"] = "30s";
  sc["platform"]["sites"][0]["device_groups"][0]["count"] = 4;
  sc["platform"]["sites"][0]["device_groups"][0]["gateways"] = {"gw-1"};
  sc["platform"]["sites"][0]["gateways"][0]["store_forward"] = "64KiB";
  auto& r = sc["workload"]["rollouts"][0];
  r["gateways"] = {"lab/gw-1"};
  r["restart"] = "5s";

  json s = run_json(dir, "buffer", sc);  // default: buffer
  const auto& gb = gateway(s, 0);
  EXPECT_EQ(gb["messages_buffered"], 20);
  EXPECT_EQ(gb["messages_lost"], 0);
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["lost"]["total"], 0);
  EXPECT_EQ(g["delivered"], g["expected_deliveries"]);  // held, then processed after the restart
  EXPECT_GT(g["latency"]["max"].get<double>(), 4.0);
  EXPECT_LT(g["latency"]["max"].get<double>(), 5.1);

  r["during_restart"] = "drop";
  s = run_json(dir, "drop", sc);
  EXPECT_EQ(gateway(s, 0)["messages_lost"], 20);
  EXPECT_EQ(gateway(s, 0)["messages_buffered"], 0);
  const auto& d = s["groups"]["lab/probe"];
  EXPECT_EQ(d["lost"]["gateway_restart"], 20);
  EXPECT_EQ(d["lost"]["total"], 20);
  EXPECT_EQ(d["delivered"].get<int>() + 20, d["expected_deliveries"].get<int>());

  // Buffer bounded by the gateway's store_forward bytes: the rest is lost as buffer_overflow.
  r["during_restart"] = "buffer";
  sc["platform"]["sites"][0]["gateways"][0]["store_forward"] = "1kB";
  s = run_json(dir, "small", sc);
  const auto& gs = gateway(s, 0);
  EXPECT_GT(gs["messages_buffered"].get<int>(), 0);
  EXPECT_GT(gs["messages_lost"].get<int>(), 0);
  EXPECT_EQ(gs["messages_buffered"].get<int>() + gs["messages_lost"].get<int>(), 20);
  EXPECT_EQ(s["groups"]["lab/probe"]["lost"]["buffer_overflow"], gs["messages_lost"]);
}

TEST(Rollout, Deterministic) {
  TempDir dir;
  const auto a = run_with("rollout.json", dir / "a", {"duration=\"200s\""});
  const auto b = run_with("rollout.json", dir / "b", {"duration=\"200s\""});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* f : {"summary.json", "links.csv", "timeseries.csv"})
    EXPECT_EQ(read_text(dir / (std::string("a/") + f)), read_text(dir / (std::string("b/") + f))) << f;
  const json s = read_json(dir / "a/summary.json");
  // Cut at 200 s: two waves are back by 60 + 2 x 56.02 = 172 s, the third is still restarting, so
  // the rollout has no total time and 20 gateways are updated.
  EXPECT_TRUE(s["rollouts"][0]["total_time_s"].is_null());
  EXPECT_EQ(s["rollouts"][0]["gateways_updated"], 20);
}
