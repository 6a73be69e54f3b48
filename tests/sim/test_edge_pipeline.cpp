// Edge gateway features on the analytic scenario (scenarios/analytic-single-device.json): a VPN on
// the backhaul adds exactly its bytes to the gateway -> load balancer hop and its encryption work to
// the gateway and the load balancer. Hand-computed to 1 us, like test_analytic.cpp.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {
// The analytic scenario's tiers (see test_analytic.cpp for the arithmetic).
constexpr double kAccess = 0.005 + 107.0 / 12500.0;
constexpr double kGateway = (1e6 + 1e4 * 100) / 1e9;
constexpr double kBackhaul = (0.010 + 107.0 / 1.25e6) + 100e3 / 1e9 + (0.001 + 107.0 / 12.5e6);
constexpr double kBroker = (500e3 + 250e3) / 1e9;
constexpr double kCloud = (0.002 + 107.0 / 1.25e8) + (4e6 + 2e4 * 100) / 2e9;

CliResult run_analytic(const std::string& out, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"run", source_path("scenarios/analytic-single-device.json"), "--out", out, "--quiet"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  return run_edgetwin(args);
}
}  // namespace

TEST(EdgeVpn, OverheadAndEncryptionAreExactlyAccounted) {
  TempDir dir;
  // VPN: 73 B per packet on the backhaul (e.g. ESP tunnel mode over IPv4 with AES-GCM), 1 kf per
  // byte of the 107-byte MQTT packet at each end:
  //   gateway       + 1e3 x 107 / 1 Gf/s        = 107 us
  //   backhaul link + 73 B / 1.25e6 B/s (10 Mbps) = 58.4 us
  //   load balancer + 1e3 x 107 / 1 Gf/s        = 107 us   (in the backhaul tier, like the LB's own cost)
  const auto r = run_analytic(dir / "vpn", {"/platform/sites/0/gateways/0/vpn_overhead=\"73B\"",
                                            "/platform/sites/0/gateways/0/vpn_cost_per_byte=\"1kf\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double gw = kGateway + 107e-6;
  const double bh = kBackhaul + 73.0 / 1.25e6 + 107e-6;
  const auto rows = read_csv(dir / "vpn/messages.csv");
  ASSERT_EQ(rows.size(), 11u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::array<double, 6> t{};
    for (std::size_t k = 0; k < 6; ++k) t[k] = std::stod(rows[i][4 + k]);
    EXPECT_NEAR(t[1] - t[0], kAccess, 1e-6) << "row " << i;
    EXPECT_NEAR(t[2] - t[1], gw, 1e-6) << "row " << i;
    EXPECT_NEAR(t[3] - t[2], bh, 1e-6) << "row " << i;
    EXPECT_NEAR(t[4] - t[3], kBroker, 1e-6) << "row " << i;
    EXPECT_NEAR(t[5] - t[4], kCloud, 1e-6) << "row " << i;
    EXPECT_NEAR(std::stod(rows[i][10]), kAccess + gw + bh + kBroker + kCloud, 1e-6) << "row " << i;
  }
  const json s = read_json(dir / "vpn/summary.json");
  // Only the tunnelled hop carries the overhead: 10 packets x (107 + 73) B on the backhaul, 107 B after the LB.
  EXPECT_DOUBLE_EQ(s["links"]["backhaul"]["bytes"].get<double>(), 10 * 180.0);
  EXPECT_DOUBLE_EQ(s["links"]["cluster/broker-1"]["bytes"].get<double>(), 10 * 107.0);
  // CPU time: 10 x 107 us more on the gateway and on the load balancer.
  const auto r0 = run_analytic(dir / "plain", {});
  ASSERT_EQ(r0.exit_code, 0) << r0.err;
  const json s0 = read_json(dir / "plain/summary.json");
  for (const char* n : {"lab/gw", "lb"}) {
    auto busy = [&](const json& x) {  // core-seconds = utilization x cores x simulated time
      return x["nodes"][n]["utilization"].get<double>() * x["nodes"][n]["cores"].get<double>() *
             x["simulated_end"].get<double>();
    };
    EXPECT_NEAR(busy(s) - busy(s0), 10 * 107e-6, 1e-7) << n;
  }
}

TEST(EdgePipeline, AnalyticsCostAddsExactlyToTheGatewayTier) {
  TempDir dir;
  // 2 Mf of edge analytics per message on the 1 Gf/s gateway: + 2 ms in the gateway tier, nowhere else.
  const auto r = run_analytic(dir / "a", {"/platform/sites/0/gateways/0/pipeline={\"analytics_cost\": \"2Mf\"}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_csv(dir / "a/messages.csv");
  ASSERT_EQ(rows.size(), 11u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NEAR(std::stod(rows[i][6]) - std::stod(rows[i][5]), kGateway + 0.002, 1e-6) << "row " << i;
    EXPECT_NEAR(std::stod(rows[i][7]) - std::stod(rows[i][6]), kBackhaul, 1e-6) << "row " << i;
  }
}

TEST(EdgePipeline, FilteredMessagesAreNeitherLostNorExpected) {
  TempDir dir;
  const auto check = [&](const std::string& name, const std::string& p, int min_filtered, int max_filtered) {
    const auto r = run_analytic(dir / name, {"/platform/sites/0/gateways/0/pipeline={\"filter_drop\": " + p + "}"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json s = read_json(dir / (name + "/summary.json"));
    const auto& g = s["groups"]["lab/probe"];
    const auto sent = g["sent"].get<std::uint64_t>(), filtered = g["filtered"].get<std::uint64_t>();
    EXPECT_EQ(sent, 10u);
    EXPECT_GE(filtered, static_cast<std::uint64_t>(min_filtered)) << p;
    EXPECT_LE(filtered, static_cast<std::uint64_t>(max_filtered)) << p;
    // Conservation with the filter: expected = (sent - filtered) x subscribers = delivered + lost + unfinished.
    EXPECT_EQ(g["expected_deliveries"].get<std::uint64_t>(), (sent - filtered) * g["subscribers"].get<std::uint64_t>());
    EXPECT_EQ(g["delivered"].get<std::uint64_t>(), sent - filtered);
    EXPECT_EQ(g["lost"]["total"], 0);
    EXPECT_EQ(g["delivery_ratio"].get<double>(), sent == filtered ? 0.0 : 1.0);
    // The filter runs after the gateway's work and before the backhaul: the gateway processed all 10.
    EXPECT_EQ(s["nodes"]["lab/gw"]["processed"], 10);
    EXPECT_EQ(s["nodes"]["lb"]["processed"].get<std::uint64_t>(), sent - filtered);
  };
  check("none", "0", 0, 0);
  check("all", "1", 10, 10);
  check("half", "0.5", 1, 9);
}

TEST(EdgePipeline, LocalActionLoopIsAccessPlusGatewayPlusActuator) {
  TempDir dir;
  // Every message triggers an action: 3 Mf on the 1 Gf/s gateway (after the message's own work, on the
  // same worker) and 4 ms to the actuator. Loop = access + gateway work + 3 ms + 4 ms; the message's
  // own gateway tier includes the action's 3 ms.
  const auto r = run_analytic(
      dir / "la", {"/platform/sites/0/gateways/0/pipeline={\"local_action\": {\"fraction\": 1, \"cost\": \"3Mf\", "
                   "\"actuator_latency\": \"4ms\"}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "la/summary.json");
  const auto& la = s["groups"]["lab/probe"]["local_action"];
  const double loop = kAccess + kGateway + 0.003 + 0.004;
  EXPECT_EQ(la["count"], 10);
  EXPECT_NEAR(la["mean"].get<double>(), loop, 1e-6);
  EXPECT_NEAR(la["max"].get<double>(), loop, 1e-6);
  const auto rows = read_csv(dir / "la/messages.csv");
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_NEAR(std::stod(rows[i][6]) - std::stod(rows[i][5]), kGateway + 0.003, 1e-6) << "row " << i;
  // A fraction of 0 (the default) reports no loop.
  const auto r0 = run_analytic(dir / "none", {});
  ASSERT_EQ(r0.exit_code, 0) << r0.err;
  EXPECT_FALSE(read_json(dir / "none/summary.json")["groups"]["lab/probe"].contains("local_action"));
}
