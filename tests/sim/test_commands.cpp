// Commands to devices (downlink): a command issued by a cloud service travels service -> broker ->
// gateway -> device. Without contention its latency is the sum of each hop's closed-form time.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "models/protocol/mqtt_packet.hpp"

using namespace edgetwin::test;
namespace mqtt = edgetwin::models::mqtt;

namespace {

// scenarios/analytic-single-device.json with one uplink only (period 1000 s) and a 20-byte command
// every 5 s (Poisson) from the ingest service to the probe, for 600 s.
const std::vector<std::string> kCommandSets = {
    "duration=600s", "workload.traffic.0.period=1000s",
    R"(workload.commands=[{"group":"lab/probe","from":"ingest","period":"5s","payload":"20B"}])"};

}  // namespace

TEST(Commands, LatencyIsTheSumOfEveryHopWithoutContention) {
  TempDir out;
  const auto r = run_with("analytic-single-device.json", out / "r", kCommandSets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = read_json(out / "r/summary.json");
  const auto& c = s["groups"]["lab/probe"]["commands"];
  // Hand computation (CM02: a transfer takes the route's latency + size / its narrowest bandwidth):
  const double payload = 20;
  // Topic "cmd/lab/probe/0" (15 bytes), QoS 1: PUBLISH = 1 + 1 + (2 + 15 + 2 + 20) = 41 bytes.
  const double wire = static_cast<double>(mqtt::publish_packet_size(15, 20, 1));
  ASSERT_EQ(wire, 41);
  const double service = (4e6 + 2e4 * payload) / 2e9;              // ingest on the 2 Gf node
  const double to_broker = 2e-3 + wire / 1.25e8;                    // link "cloud", 1 Gbps
  const double broker = (500e3 + 250e3) / 1e9;                      // publish + one delivery
  const double to_gateway = (1e-3 + 10e-3) + wire / 1.25e6;         // "cluster" + "backhaul", 10 Mbps
  const double gateway = (1e6 + 1e4 * payload) / 1e9;               // gateway per message + per byte
  const double access = 5e-3 + mqtt::mqttsn_publish_size(20) / 12500.0;  // MQTT-SN 27 B at 100 kbit/s
  const double expected = service + to_broker + broker + to_gateway + gateway + access;
  EXPECT_GT(c["sent"].get<int>(), 90);
  EXPECT_EQ(c["delivered"], c["sent"]);
  EXPECT_EQ(c["lost"], 0);
  EXPECT_NEAR(c["latency"]["min"].get<double>(), expected, 1e-6);
  EXPECT_NEAR(c["latency"]["max"].get<double>(), expected, 1e-6);
  EXPECT_NEAR(c["latency"]["mean"].get<double>(), expected, 1e-6);
}

TEST(Commands, ExpiryCountsCommandsThatArriveTooLate) {
  // The same path with an expiry shorter than the hop sum: every command expires, none is delivered.
  TempDir out;
  auto sets = kCommandSets;
  sets.back() = R"(workload.commands=[{"group":"lab/probe","from":"ingest","period":"5s","payload":"20B","expiry":"10ms"}])";
  const auto r = run_with("analytic-single-device.json", out / "r", sets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = read_json(out / "r/summary.json")["groups"]["lab/probe"]["commands"];
  EXPECT_GT(c["sent"].get<int>(), 90);
  EXPECT_EQ(c["delivered"], 0);
  EXPECT_EQ(c["expired"], c["sent"]);
}
