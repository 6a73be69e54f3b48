// The radio access models inside the simulator: pure ALOHA through a whole run against its closed
// form, capture helping, the energy worked example reproduced by a run, downlink classes, a loaded
// NB-IoT cell, and the scenario errors the access models add.
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

// One site, one gateway at the origin, one device group; gateway -> lb -> broker -> cloud.
json lora_scenario(const json& access, const json& traffic, const json& site_lora, std::uint64_t count,
                   const std::string& duration) {
  json sc = json::parse(R"({
    "name": "radio-test", "seed": 1, "duration": "1h",
    "platform": {
      "sites": [ { "name": "s", "gateways": [ { "name": "gw", "cpu": "1Gf", "cores": 4 } ],
                   "device_groups": [ { "name": "dev", "count": 1, "gateways": ["gw"], "access": {} } ] } ],
      "links": [ { "name": "bh", "between": ["s/gw", "lb"], "bandwidth": "100Mbps", "latency": "5ms" },
                 { "name": "cl", "between": ["lb", "brokers"], "bandwidth": "1Gbps" },
                 { "name": "cn", "between": ["brokers", "cloud/n"], "bandwidth": "1Gbps" } ],
      "load_balancer": { "cpu": "1Gf" },
      "brokers": { "count": 1, "cpu": "1Gf" },
      "cloud": { "nodes": [ { "name": "n", "cpu": "1Gf", "cores": 4 } ] }
    },
    "workload": { "traffic": [], "services": [ { "name": "ingest", "node": "cloud/n", "subscribe": ["#"] } ] }
  })");
  sc["duration"] = duration;
  sc["platform"]["sites"][0]["device_groups"][0]["access"] = access;
  sc["platform"]["sites"][0]["device_groups"][0]["count"] = count;
  if (!site_lora.is_null()) sc["platform"]["sites"][0]["lora"] = site_lora;
  json t = traffic;
  t["group"] = "s/dev";
  sc["workload"]["traffic"].push_back(t);
  return sc;
}

json run_json(const json& scenario, TempDir& dir, const std::string& name, const std::vector<std::string>& extra = {}) {
  const std::string file = dir / (name + ".json");
  std::ofstream(file) << scenario.dump(2);
  std::vector<std::string> args = {"run", file, "--out", dir / name, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_edgetwin(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return read_json(dir / (name + "/summary.json"));
}

}  // namespace

// Pure ALOHA (lora.md): one SF, one channel, no capture, orthogonal SFs, no duty cycle, every frame
// above sensitivity: P(success) = exp(-2 (N-1) A / (T + A)), checked over 5 seeds within 3 sigma.
TEST(RadioInSimulation, PureAlohaMatchesClosedForm) {
  TempDir dir;
  const json access = {{"model", "lora"}, {"sf", 7}, {"distance", "20m"}};
  const json traffic = {{"pattern", "poisson"}, {"period", "100s"}, {"payload", "20B"}};
  const json site = {{"channels", 1}, {"duty_cycle", false}, {"capture", false}, {"preamble_lock", false},
                     {"demodulators", 64}};
  const double A = 0.071936;  // SF7/125, CR 4/5, 33-byte PHY payload (20 + 13), explicit header, CRC
  for (const int n : {100, 500}) {
    std::vector<double> ratios;
    for (int seed = 1; seed <= 5; ++seed) {
      const json s = run_json(lora_scenario(access, traffic, site, static_cast<std::uint64_t>(n), "2000s"), dir,
                              "aloha-" + std::to_string(n) + "-" + std::to_string(seed),
                              {"--seed", std::to_string(seed)});
      const auto& g = s["groups"]["s/dev"];
      // Only collisions lose frames, apart from the rare message created while the previous one is
      // still on the air (an exponential gap shorter than A: probability A/T, about 0.07 %).
      EXPECT_EQ(g["lost"]["total"].get<int>(),
                g["lost"]["collision"].get<int>() + g["lost"]["device_busy"].get<int>());
      EXPECT_LT(g["lost"]["device_busy"].get<double>(), 0.005 * g["sent"].get<double>());
      ratios.push_back(g["delivery_ratio"].get<double>());
    }
    double mean = 0, var = 0;
    for (double r : ratios) mean += r / ratios.size();
    for (double r : ratios) var += (r - mean) * (r - mean) / (ratios.size() - 1);
    const double expected = std::exp(-2.0 * (n - 1) * A / (100.0 + A));
    EXPECT_NEAR(mean, expected, 3 * std::sqrt(var / ratios.size()) + 0.01) << "N=" << n;
  }
}

TEST(RadioInSimulation, CaptureAndPreambleLockDeliverMore) {
  TempDir dir;
  const json access = {{"model", "lora"}, {"sf", 7}, {"radius", "200m"}};
  const json traffic = {{"pattern", "poisson"}, {"period", "100s"}, {"payload", "20B"}};
  const json off = {{"channels", 1}, {"duty_cycle", false}, {"capture", false}, {"preamble_lock", false},
                    {"demodulators", 64}};
  json on = off;
  on["capture"] = true;
  on["preamble_lock"] = true;
  const json a = run_json(lora_scenario(access, traffic, off, 500, "1000s"), dir, "off");
  const json b = run_json(lora_scenario(access, traffic, on, 500, "1000s"), dir, "on");
  EXPECT_GT(b["groups"]["s/dev"]["delivery_ratio"].get<double>(),
            a["groups"]["s/dev"]["delivery_ratio"].get<double>() + 0.02);
}

// docs/models/radio-cellular-energy.md, worked example: a LoRa meter, 20 bytes every 15 minutes at SF7,
// +13 dBm, class A, 2400 mAh at 3.6 V. Per uplink (SX1276 currents: TX 29 mA at +13 dBm, RX 11.5 mA,
// standby 1.6 mA, sleep 0.2 uA):
//   TX      0.071936 s x 29 mA                         = 2.086144 mC
//   RX      (RX1 6 symbols at SF7 0.006144 s + RX2 6 symbols at SF12 0.196608 s) x 11.5 mA = 2.331648 mC
//   wake-up 3 x 310 us x 1.6 mA                          = 0.001488 mC
//   sleep   (900 - 0.071936 - 0.202752 - 0.00093) s x 0.2 uA = 0.1799448764 mC
// 96 uplinks a day: charge 96 x 4.5992248764 mC = 0.441525588 C a day; x 3.6 V = 1.58949212 J a day.
TEST(RadioInSimulation, EnergyOfTheWorkedExampleEqualsHandComputation) {
  TempDir dir;
  const json access = {{"model", "lora"}, {"sf", 7}, {"distance", "20m"}, {"tx_power", "13dBm"}};
  const json traffic = {{"pattern", "periodic"}, {"period", "15min"}, {"payload", "20B"}};
  const json s = run_json(lora_scenario(access, traffic, nullptr, 1, "1d"), dir, "energy");
  const auto& e = s["groups"]["s/dev"]["energy"];
  const double charge_per_day_c = 96 * (2.086144 + 2.331648 + 0.001488 + 0.1799448764) * 1e-3;
  EXPECT_NEAR(e["energy_per_day_j"].get<double>(), charge_per_day_c * 3.6, 1e-6);
  EXPECT_NEAR(e["average_current_ma"].get<double>(), charge_per_day_c / 86400.0 * 1e3, 1e-9);
  // No self-discharge: 2400 mAh / average current.
  EXPECT_NEAR(e["battery_years"].get<double>(), 2400.0 / (charge_per_day_c / 86400.0 * 1e3) / 8760.0, 1e-3);
  EXPECT_EQ(s["groups"]["s/dev"]["radio"]["transmissions"], 96);
}

// A class A device's command waits for its next uplink; a class C device's goes out at once.
TEST(RadioInSimulation, ClassACommandWaitsForUplinkClassCDoesNot) {
  TempDir dir;
  const json traffic = {{"pattern", "periodic"}, {"period", "10min"}, {"payload", "10B"}};
  auto with_commands = [&](const std::string& cls) {
    json sc = lora_scenario({{"model", "lora"}, {"sf", 7}, {"distance", "20m"}, {"device_class", cls}}, traffic,
                            nullptr, 20, "2h");
    sc["workload"]["commands"] = json::array({{{"group", "s/dev"}, {"from", "ingest"}, {"period", "30min"}}});
    return run_json(sc, dir, "class-" + cls)["groups"]["s/dev"]["commands"];
  };
  const json a = with_commands("A");
  const json c = with_commands("C");
  ASSERT_GT(a["delivered"].get<int>(), 10);
  ASSERT_GT(c["delivered"].get<int>(), 10);
  // Class C: backhaul + broker + one RX2 downlink at SF12 (~1 s); only the gateway's 10 % duty cycle
  // on the RX2 sub-band (about 9 s off after each such downlink) can hold a command back.
  EXPECT_LT(c["latency"]["p50"].get<double>(), 3.0);
  EXPECT_LT(c["latency"]["max"].get<double>(), 60.0);
  // Class A: until the next uplink (every 600 s): minutes on average, a whole period at most unless the
  // gateway's duty cycle closes both receive windows of that uplink.
  EXPECT_GT(a["latency"]["mean"].get<double>(), 100.0);
  EXPECT_LT(a["latency"]["p50"].get<double>(), 600.0);
}

// A loaded NB-IoT cell: the more devices share its uplink, the longer they queue.
TEST(RadioInSimulation, NbIotCellLatencyRisesWithDeviceCount) {
  TempDir dir;
  const json access = {{"model", "cellular"}, {"technology", "nb-iot"}, {"mcl", 150}};
  const json traffic = {{"pattern", "poisson"}, {"period", "1h"}, {"payload", "50B"}};
  double last = 0;
  for (const int n : {500, 4000, 8000}) {
    const json s = run_json(lora_scenario(access, traffic, nullptr, static_cast<std::uint64_t>(n), "1h"), dir,
                            "cell-" + std::to_string(n));
    const double access_mean = s["groups"]["s/dev"]["tiers"]["access"]["mean"].get<double>();
    EXPECT_GT(access_mean, last) << n << " devices";
    last = access_mean;
  }
}

TEST(RadioInSimulation, AccessModelErrorsNameGroupAndDataRate) {
  TempDir dir;
  auto validate = [&](const json& sc) {
    const std::string file = dir / "bad.json";
    std::ofstream(file) << sc.dump(2);
    return run_edgetwin({"validate", file});
  };
  const json traffic = {{"pattern", "periodic"}, {"period", "10min"}, {"payload", "60B"}};
  // EU868 DR0 (SF12/125) carries at most 51 bytes of application payload.
  auto r = validate(lora_scenario({{"model", "lora"}, {"sf", 12}, {"distance", "20m"}}, traffic, nullptr, 1, "1h"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/workload/traffic/0/payload: device group \"s/dev\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("DR0"), std::string::npos) << r.err;
  // Sigfox: 12 bytes at most.
  r = validate(lora_scenario({{"model", "sigfox"}}, traffic, nullptr, 1, "1h"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at most 12 bytes"), std::string::npos) << r.err;
  // A field of another model is an error, not silently ignored.
  r = validate(lora_scenario({{"model", "cellular"}, {"technology", "nb-iot"}, {"sf", 9}}, traffic, nullptr, 1, "1h"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/platform/sites/0/device_groups/0/access/sf: \"sf\" does not apply to access model"),
            std::string::npos)
      << r.err;
  r = validate(lora_scenario({{"model", "cellular"}, {"technology", "nbiot"}}, traffic, nullptr, 1, "1h"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean \"nb-iot\""), std::string::npos) << r.err;
}
