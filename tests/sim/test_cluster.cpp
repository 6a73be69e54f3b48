// Broker cluster behaviour: per-operation costs (PUBACK), QoS 1 duplicates after a broker crash
// (PUBACKs lost in flight), on scenarios/analytic-single-device.json and scenarios/failover-broker.json.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {
// scenarios/analytic-single-device.json: broker CPU = (500 kf publish + 250 kf x 1 subscriber) / 1 Gf/s.
constexpr double kBroker = (500e3 + 250e3) / 1e9;
}  // namespace

TEST(BrokerCosts, PubackCostAddsToQos1BrokerTimeOnly) {
  TempDir dir;
  // QoS 1: every PUBLISH is acknowledged: + 300 kf / 1 Gf/s = 300 us in the broker tier, exactly.
  auto r = run_with("analytic-single-device.json", dir / "q1",
                    {"workload.traffic.0.qos=1", "platform.brokers.cost_per_puback=\"300kf\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = read_csv(dir / "q1/messages.csv");
  ASSERT_EQ(rows.size(), 11u);
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_NEAR(std::stod(rows[i][8]) - std::stod(rows[i][7]), kBroker + 300e3 / 1e9, 1e-6) << "row " << i;
  // QoS 0 is never acknowledged: the PUBACK cost does not apply.
  r = run_with("analytic-single-device.json", dir / "q0", {"platform.brokers.cost_per_puback=\"300kf\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = read_csv(dir / "q0/messages.csv");
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_NEAR(std::stod(rows[i][8]) - std::stod(rows[i][7]), kBroker, 1e-6) << "row " << i;
}

TEST(BrokerCosts, PubackCostLoadsTheBrokers) {
  TempDir dir;
  ASSERT_EQ(run_with("failover-broker.json", dir / "a", {"faults=[]"}).exit_code, 0);
  ASSERT_EQ(run_with("failover-broker.json", dir / "b", {"faults=[]", "platform.brokers.cost_per_puback=\"5Mf\""})
                .exit_code,
            0);
  const json a = read_json(dir / "a/summary.json"), b = read_json(dir / "b/summary.json");
  // 100 alarms, Poisson 5 s: 20 QoS 1 publishes/s over 3 brokers x 5 ms each = about +3.3 % busy each.
  const double ua = a["nodes"]["broker-1"]["utilization"].get<double>();
  const double ub = b["nodes"]["broker-1"]["utilization"].get<double>();
  EXPECT_NEAR(ub - ua, 20.0 / 3 * 0.005, 0.01) << ua << " -> " << ub;
}

namespace {
json failover_summary(TempDir& dir, const std::string& name, const std::vector<std::string>& sets) {
  const auto r = run_with("failover-broker.json", dir / name, sets);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_json(dir / (name + "/summary.json"));
}
}  // namespace

TEST(BrokerQos1, DuplicatesGrowWithRouteLatencyAndNeverForQos0) {
  TempDir dir;
  // Default: 10.2 ms gateway -> broker; alarms publish 20/s, a third of them to broker-2: ~0.07
  // PUBACKs in flight when it crashes. With 2 s backhauls, ~2 s x 20/3 per s = ~13 duplicates.
  const json base = failover_summary(dir, "base", {});
  const json slow = failover_summary(dir, "slow", {"platform.links.0.latency=\"2s\"", "platform.links.1.latency=\"2s\""});
  const auto& ab = base["groups"]["plant/alarms"];
  const auto& as = slow["groups"]["plant/alarms"];
  EXPECT_LE(ab["duplicates"].get<int>(), 2);
  EXPECT_GE(as["duplicates"].get<int>(), 4);
  EXPECT_LE(as["duplicates"].get<int>(), 30);
  EXPECT_GT(as["duplicates"].get<int>(), ab["duplicates"].get<int>());
  // QoS 0 is never acknowledged nor retransmitted.
  EXPECT_EQ(slow["groups"]["plant/sensors"]["duplicates"], 0);
  // Duplicates are not extra deliveries: QoS 1 still loses nothing and never exceeds its expectation.
  for (const json* s : {&base, &slow}) {
    const auto& g = (*s)["groups"]["plant/alarms"];
    EXPECT_EQ(g["lost"]["total"], 0);
    EXPECT_EQ(g["delivered"].get<std::uint64_t>() + g["unfinished"].get<std::uint64_t>(),
              g["expected_deliveries"].get<std::uint64_t>());
    EXPECT_LE(g["delivery_ratio"].get<double>(), 1.0);
  }
  // The same slow backhauls with the alarms at QoS 0: no duplicates at all.
  const json q0 = failover_summary(dir, "q0", {"platform.links.0.latency=\"2s\"", "platform.links.1.latency=\"2s\"",
                                               "workload.traffic.1.qos=0"});
  EXPECT_EQ(q0["groups"]["plant/alarms"]["duplicates"], 0);
}
