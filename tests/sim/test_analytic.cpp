// Analytic end-to-end test: one device, no contention, CM02. Every message's latency must equal the
// hand-computed sum of its hops to 1 µs, and each tier must match its own term.
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"

using namespace edgetwin::test;

namespace {
// scenarios/analytic-single-device.json, hop by hop (sizes from MQTT-SN 1.2 and MQTT 3.1.1):
//   access frame   = MQTT-SN PUBLISH of 100 B = 1+1+1+2+2+100 = 107 B over 100 kbps (12,500 B/s) + 5 ms
//   wired packet   = MQTT PUBLISH, topic "t/0" (3 B), QoS 0: 1 + 1 + (2+3+100) = 107 B
//   gateway CPU    = (1 Mf + 10 kf x 100 B) / 1 Gf/s
//   backhaul       = 10 ms + 107 B / 1.25e6 B/s  (10 Mbps)
//   load balancer  = 100 kf / 1 Gf/s
//   cluster link   = 1 ms + 107 B / 12.5e6 B/s  (100 Mbps)
//   broker CPU     = (500 kf publish + 250 kf x 1 subscriber) / 1 Gf/s
//   cloud link     = 2 ms + 107 B / 1.25e8 B/s  (1 Gbps)
//   service CPU    = (4 Mf + 20 kf x 100 B) / 2 Gf/s
constexpr double kAccess = 0.005 + 107.0 / 12500.0;
constexpr double kGateway = (1e6 + 1e4 * 100) / 1e9;
constexpr double kBackhaul = (0.010 + 107.0 / 1.25e6) + 100e3 / 1e9 + (0.001 + 107.0 / 12.5e6);
constexpr double kBroker = (500e3 + 250e3) / 1e9;
constexpr double kCloud = (0.002 + 107.0 / 1.25e8) + (4e6 + 2e4 * 100) / 2e9;
constexpr double kTotal = kAccess + kGateway + kBackhaul + kBroker + kCloud;
}  // namespace

TEST(AnalyticEndToEnd, EveryMessageLatencyEqualsHandComputedSum) {
  TempDir out;
  const auto r = run_edgetwin({"run", source_path("scenarios/analytic-single-device.json"), "--out", out / "res",
                               "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_csv(out / "res/messages.csv");
  ASSERT_EQ(rows.size(), 11u) << "header + one message per second for 10 s";
  EXPECT_NEAR(kTotal, 0.032505016, 1e-12);  // the arithmetic above, written out once
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::array<double, 6> t{};
    for (std::size_t k = 0; k < 6; ++k) t[k] = std::stod(rows[i][4 + k]);
    EXPECT_NEAR(t[1] - t[0], kAccess, 1e-6) << "row " << i;
    EXPECT_NEAR(t[2] - t[1], kGateway, 1e-6) << "row " << i;
    EXPECT_NEAR(t[3] - t[2], kBackhaul, 1e-6) << "row " << i;
    EXPECT_NEAR(t[4] - t[3], kBroker, 1e-6) << "row " << i;
    EXPECT_NEAR(t[5] - t[4], kCloud, 1e-6) << "row " << i;
    EXPECT_NEAR(std::stod(rows[i][10]), kTotal, 1e-6) << "row " << i;
  }
  const auto s = read_json(out / "res/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["sent"], 10);
  EXPECT_EQ(g["delivered"], 10);
  EXPECT_NEAR(g["latency"]["max"].get<double>(), kTotal, 1e-6);
  EXPECT_NEAR(g["latency"]["p99"].get<double>(), kTotal, 1e-6);
  EXPECT_NEAR(g["tiers"]["backhaul"]["mean"].get<double>(), kBackhaul, 1e-6);
}

TEST(AnalyticEndToEnd, LinkLatencyChangeShiftsEveryMessageByTheSameAmount) {
  TempDir out;
  const auto r = run_edgetwin({"run", source_path("scenarios/analytic-single-device.json"), "--out", out / "res",
                               "--quiet", "--set", "/platform/links/0/latency=\"25ms\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_csv(out / "res/messages.csv");
  ASSERT_GT(rows.size(), 1u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_NEAR(std::stod(rows[i][10]), kTotal + 0.015, 1e-6);
}
