// Failover behaviour of scenarios/failover-broker.json under variations: detection follows the
// keep-alive, the reconnect storm loads the surviving brokers, QoS 0 in-flight loss shrinks with a TCP
// reset, drill.json is written, and fault scripts that do not apply are scenario errors.
#include <gtest/gtest.h>

#include <map>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {
json run_failover(TempDir& dir, const std::string& name, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"run", source_path("scenarios/failover-broker.json"), "--out", dir / name, "--quiet"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const auto r = run_edgetwin(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_json(dir / (name + "/drill.json"));
}

// Utilization of `node` in the interval starting at `t` (timeseries.csv, 5 s intervals).
double utilization_at(const std::string& csv, const std::string& node, double t) {
  for (const auto& row : read_csv(csv))
    if (row.size() == 4 && row[1] == node && row[2] == "utilization" && std::abs(std::stod(row[0]) - t) < 1e-9)
      return std::stod(row[3]);
  return -1;
}
}  // namespace

TEST(Failover, DetectionFollowsKeepAlive) {
  TempDir dir;
  for (const double ka : {6.0, 20.0}) {
    const json d = run_failover(dir, "ka" + std::to_string(static_cast<int>(ka)),
                                {"platform.brokers.keepalive=\"" + std::to_string(static_cast<int>(ka)) + "s\""});
    EXPECT_DOUBLE_EQ(d["faults"][0]["detection_s"].get<double>(), 1.5 * ka);
    EXPECT_GE(d["faults"][0]["first_reconnect_s"].get<double>(), 1.5 * ka);
  }
  const json reset = run_failover(dir, "reset", {"platform.brokers.detection=reset"});
  EXPECT_DOUBLE_EQ(reset["faults"][0]["detection_s"].get<double>(), 0.0);
  const json slow = run_failover(dir, "slow", {"platform.brokers.keepalive=\"20s\""});
  // Noticing at once loses far less QoS 0 traffic than waiting 30 s for the keep-alive.
  EXPECT_LT(reset["faults"][0]["lost"]["qos0"].get<double>(), 0.2 * slow["faults"][0]["lost"]["qos0"].get<double>());
}

TEST(Failover, ReconnectStormLoadsSurvivors) {
  TempDir dir;
  run_failover(dir, "storm", {});
  const std::string ts = dir / "storm/timeseries.csv";
  // Sessions reconnect from 135 s (crash at 120 s + 15 s detection); each CONNECT costs 20 ms of a
  // survivor's single core, on top of the steady publish load seen before the crash.
  for (const char* b : {"broker-1", "broker-3"}) {
    const double before = utilization_at(ts, b, 100.0);
    const double storm = utilization_at(ts, b, 135.0);
    ASSERT_GE(before, 0.0) << b;
    EXPECT_GT(storm, before + 0.2) << b << ": " << before << " -> " << storm;
  }
  const json s = read_json(dir / "storm/summary.json");
  EXPECT_GT(s["nodes"]["broker-1"]["queue_peak"].get<int>(), 10);
}

TEST(Failover, FaultScriptErrors) {
  TempDir dir;
  json sc = read_json(source_path("scenarios/failover-broker.json"));
  auto validate = [&](const json& faults) {
    sc["faults"] = faults;
    const std::string file = dir / "f.json";
    std::ofstream(file) << sc.dump(2);
    return run_edgetwin({"validate", file});
  };
  auto r = validate(json::array({{{"at", "10s"}, {"target", "broker-2"}, {"action", "degrade"}}}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/faults/0/action: action \"degrade\" does not apply to broker"), std::string::npos) << r.err;
  r = validate(json::array({{{"at", "10s"}, {"target", "plant"}, {"action", "crash"}}}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not apply to site"), std::string::npos) << r.err;
  r = validate(json::array({{{"at", "10s"}, {"target", "backhaul-1"}, {"action", "degrade"},
                             {"params", {{"bandwidth", "fast"}}}}}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/faults/0/params/bandwidth"), std::string::npos) << r.err;
  r = validate(json::array({{{"at", "10s"}, {"target", "backhaul-1"}, {"action", "degrade"},
                             {"params", {{"latency", "200ms"}}}}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Failover, DegradeChangesLinkLatencyAndRejectsLoss) {
  TempDir dir;
  json sc = read_json(source_path("scenarios/failover-broker.json"));
  // backhaul-1 latency 10 ms -> 210 ms from 50 s to 100 s: gw-1's traffic is 200 ms later meanwhile.
  sc["faults"] = json::array({{{"at", "50s"}, {"target", "backhaul-1"}, {"action", "degrade"}, {"for", "50s"},
                               {"params", {{"latency", "210ms"}}}}});
  const std::string file = dir / "degrade.json";
  std::ofstream(file) << sc.dump(2);
  const auto r = run_edgetwin({"run", file, "--out", dir / "d", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "d/summary.json");
  // Normally ~17 ms end to end; with 200 ms more on the backhaul (and messages queued behind the
  // slower in-order stream while it changes) the worst case lies between 0.2 and 0.3 s.
  const double worst = s["groups"]["plant/sensors"]["latency"]["max"].get<double>();
  EXPECT_GT(worst, 0.2);
  EXPECT_LT(worst, 0.3);
  EXPECT_EQ(s["groups"]["plant/sensors"]["lost"]["total"], 0);
  sc["faults"][0]["params"] = {{"loss", 0.1}};
  std::ofstream(file) << sc.dump(2);
  const auto bad = run_edgetwin({"validate", file});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("/faults/0/params/loss: packet loss on a wired (TCP) link is not modelled"), std::string::npos)
      << bad.err;
}
