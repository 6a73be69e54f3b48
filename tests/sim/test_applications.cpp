// Application pipelines (workload.applications): stages placed on the device, the edge server or the
// cloud, a response back to the device, and the latency breakdown of that response time.
// Based on scenarios/cognitive-assistance.json (capture on the wearable, detect + decide on the edge
// server; the cloud placement moves detect + decide to the application's service).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

const std::vector<std::string> kCloud = {"workload.applications.0.stages.1.placement=cloud",
                                         "workload.applications.0.stages.2.placement=cloud"};
const std::vector<std::string> kOneDevice = {"platform.sites.0.device_groups.0.count=1"};

// One wearable (device 0), no contention anywhere: every segment is known in closed form.
//   Wi-Fi hop (models/radio/short_range.cpp): DIFS 28 us + mean backoff 7.5 x 9 us + HT preamble 36 us
//     + 70 B of MAC/LLC/IP/UDP headers at 65 Mbit/s + SIFS 10 us + ACK (20 us + 14 B at 24 Mbit/s)
//     + 1 ms AP processing, plus the frame at 65 Mbit/s.
constexpr double kWifiHop = 28e-6 + 67.5e-6 + 36e-6 + 70 * 8 / 65e6 + 10e-6 + (20e-6 + 14 * 8 / 24e6) + 1e-3;
//   device: capture, 20 Mf on the wearable's 2 Gf/s CPU
constexpr double kDevice = 20e6 / 2e9;
//   uplink: the capture's 30,000 B output as an MQTT-SN PUBLISH = 6 + 30000 + 3-byte length = 30,009 B
constexpr double kUplink = kWifiHop + 30009 * 8 / 65e6;
//   downlink: the 200 B response as an MQTT-SN PUBLISH = 6 + 200 + 1 = 207 B
constexpr double kDownlinkAccess = kWifiHop + 207 * 8 / 65e6;
//   edge placement: gateway 1 Mf per message + detect 2 Gf + decide 500 Mf, on a 100 Gf/s core
constexpr double kEdge = (1e6 + 2e9 + 500e6) / 100e9;
constexpr double kEdgeTotal = kDevice + kUplink + kEdge + kDownlinkAccess;
//   cloud placement: the gateway only forwards (1 Mf); the frame goes on as an MQTT PUBLISH on topic
//   "lab/wearables/0/up" (18 B): 1 + 3 (remaining length 30,020) + 30,020 = 30,024 B.
constexpr double kFrameWire = 30024;
constexpr double kEdgeForward = 1e6 / 100e9;
//   backhaul: wan 40 ms + 30,024 B at 100 Mbit/s, load balancer 100 kf at 10 Gf/s, cluster 0.5 ms at 1 Gbit/s
constexpr double kBackhaul = (0.040 + kFrameWire / 12.5e6) + 100e3 / 10e9 + (0.0005 + kFrameWire / 1.25e8);
//   broker: 1 Mf per PUBLISH + 0.5 Mf per delivery (one subscriber) at 10 Gf/s
constexpr double kBroker = 1.5e6 / 10e9;
//   cloud: dc link 0.5 ms at 10 Gbit/s, then service 1 Mf + detect 2 Gf + decide 500 Mf at 200 Gf/s
constexpr double kCloudCompute = (0.0005 + kFrameWire / 1.25e9) + (1e6 + 2.5e9) / 200e9;
//   response back: PUBLISH on "lab/wearables/0/up/resp" (23 B) with 200 B = 1 + 2 + 225 = 228 B;
//   service -> broker (dc link), broker 1.5 Mf, broker -> gateway (cluster + wan in one transfer:
//   latencies add, the bytes go at the bottleneck's 100 Mbit/s), gateway 1 Mf.
constexpr double kDownlinkCore =
    (0.0005 + 228 / 1.25e9) + 1.5e6 / 10e9 + (0.0005 + 0.040 + 228 / 12.5e6) + 1e6 / 100e9;
constexpr double kCloudTotal =
    kDevice + kUplink + kEdgeForward + kBackhaul + kBroker + kCloudCompute + kDownlinkCore + kDownlinkAccess;

json app_of(const TempDir& out, const std::string& dir) {
  return read_json(out / (dir + "/summary.json"))["applications"]["assistant"];
}

void expect_every_response(const json& a, double total) {
  ASSERT_GT(a["responses"].get<double>(), 250);  // 5 frames/s for 58 s, less Wi-Fi losses
  EXPECT_NEAR(a["latency"]["min"].get<double>(), total, 1e-6);
  EXPECT_NEAR(a["latency"]["max"].get<double>(), total, 1e-6);
  EXPECT_NEAR(a["latency"]["mean"].get<double>(), total, 1e-6);
}

}  // namespace

TEST(Applications, EdgePlacementResponseEqualsHandComputedSum) {
  TempDir out;
  const auto r = run_with("cognitive-assistance.json", out / "edge", kOneDevice);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(kEdgeTotal, 0.0410784564, 1e-9);  // the arithmetic above, written out once
  const json a = app_of(out, "edge");
  expect_every_response(a, kEdgeTotal);
  const json& b = a["breakdown"];
  EXPECT_NEAR(b["device"].get<double>(), kDevice, 1e-6);
  EXPECT_NEAR(b["uplink_access"].get<double>(), kUplink, 1e-6);
  EXPECT_NEAR(b["edge"].get<double>(), kEdge, 1e-6);
  EXPECT_NEAR(b["downlink_access"].get<double>(), kDownlinkAccess, 1e-6);
  for (const char* k : {"backhaul", "broker", "cloud", "downlink_core"}) EXPECT_EQ(b[k].get<double>(), 0.0) << k;
}

TEST(Applications, CloudPlacementResponseEqualsHandComputedSum) {
  TempDir out;
  std::vector<std::string> sets = kCloud;
  sets.insert(sets.end(), kOneDevice.begin(), kOneDevice.end());
  const auto r = run_with("cognitive-assistance.json", out / "cloud", sets);
  ASSERT_EQ(r.exit_code, 1) << r.err;  // the 100 ms SLO fails
  EXPECT_NEAR(kCloudTotal, 0.1135880100, 1e-9);
  const json a = app_of(out, "cloud");
  expect_every_response(a, kCloudTotal);
  const json& b = a["breakdown"];
  EXPECT_NEAR(b["device"].get<double>(), kDevice, 1e-6);
  EXPECT_NEAR(b["uplink_access"].get<double>(), kUplink, 1e-6);
  EXPECT_NEAR(b["edge"].get<double>(), kEdgeForward, 1e-6);
  EXPECT_NEAR(b["backhaul"].get<double>(), kBackhaul, 1e-6);
  EXPECT_NEAR(b["broker"].get<double>(), kBroker, 1e-6);
  EXPECT_NEAR(b["cloud"].get<double>(), kCloudCompute, 1e-6);
  EXPECT_NEAR(b["downlink_core"].get<double>(), kDownlinkCore, 1e-6);
  EXPECT_NEAR(b["downlink_access"].get<double>(), kDownlinkAccess, 1e-6);
}

TEST(Applications, CloudPlacementFailsTheSloAndTheBreakdownBlamesTheWan) {
  TempDir out;
  const auto r = run_with("cognitive-assistance.json", out / "cloud", kCloud);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json s = read_json(out / "cloud/summary.json");
  EXPECT_EQ(s["verdict"], "fail");
  for (const auto& v : s["slo"]) EXPECT_FALSE(v["pass"].get<bool>()) << v["slo"];
  const json& a = s["applications"]["assistant"];
  EXPECT_EQ(a["stages"], json::array({"capture@device", "detect@cloud", "decide@cloud"}));
  EXPECT_GT(a["latency"]["p99"].get<double>(), 0.1);
  // The segments add up to the mean response time, and the two WAN crossings (frame up through the
  // backhaul, response back through broker and backhaul) take most of it: the cloud's faster CPU
  // (12.5 ms of compute instead of 25 ms at the edge) cannot pay for them.
  double sum = 0;
  for (const auto& [k, v] : a["breakdown"].items()) sum += v.get<double>();
  EXPECT_NEAR(sum, a["latency"]["mean"].get<double>(), 1e-9);
  const double wan = a["breakdown"]["backhaul"].get<double>() + a["breakdown"]["broker"].get<double>() +
                     a["breakdown"]["downlink_core"].get<double>();
  EXPECT_GT(wan, 0.7 * sum);
  EXPECT_GT(a["breakdown"]["backhaul"].get<double>(), a["breakdown"]["cloud"].get<double>());
  EXPECT_GT(a["breakdown"]["downlink_core"].get<double>(), a["breakdown"]["cloud"].get<double>());
}

TEST(Applications, AllStagesOnTheDeviceAnswerOnTheDevice) {
  // Everything on the wearable's 2 Gf/s CPU: (20 Mf + 2 Gf + 500 Mf) / 2 Gf/s = 1.26 s per frame, with
  // one frame every 2 s (no queue on the device): the response time is that, and nothing else.
  TempDir out;
  const auto r = run_with("cognitive-assistance.json", out / "dev",
                          {"workload.applications.0.stages.1.placement=device",
                           "workload.applications.0.stages.2.placement=device", "workload.traffic.0.period=\"2s\"",
                           "platform.sites.0.device_groups.0.count=1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // 1.26 s > 100 ms
  const json a = app_of(out, "dev");
  EXPECT_NEAR(a["latency"]["max"].get<double>(), 1.26, 1e-6);
  EXPECT_NEAR(a["latency"]["min"].get<double>(), 1.26, 1e-6);
  EXPECT_NEAR(a["breakdown"]["device"].get<double>(), 1.26, 1e-6);
  EXPECT_EQ(a["breakdown"]["uplink_access"].get<double>(), 0.0);
}

TEST(Applications, EdgeServerQueueIsMD1) {
  // The edge server as an M/D/1 queue: every stage on the edge (capture too, so frames reach it as
  // they are created), one core, and 4 wearables sending Poisson frames every 200 ms on average:
  // lambda = 20/s x 0.999 (a constant Wi-Fi delay and its 0.1 % loss keep it Poisson). Service
  // D = (1 Mf + 20 Mf + 2 Gf + 500 Mf) / 100 Gf/s = 25.21 ms, rho = lambda D = 0.5037,
  // Wq = rho D / (2 (1 - rho)) = 12.79 ms (Pollaczek-Khinchine), so the edge segment's mean is
  // D + Wq = 38.00 ms. 1,500 s of frames (30,000): seeds 1-4 give Wq within -1.0 %..+2.4 %.
  TempDir out;
  const auto r = run_with("cognitive-assistance.json", out / "q",
                          {"workload.applications.0.stages.0.placement=edge", "platform.sites.0.gateways.0.cores=1",
                           "workload.traffic.0.pattern=poisson", "duration=\"1500s\"", "outputs.interval=\"100s\""});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const json a = app_of(out, "q");
  const double lambda = 20 * (1 - 0.001), d = 0.02521, rho = lambda * d;
  const double wq = rho * d / (2 * (1 - rho));
  EXPECT_NEAR(a["breakdown"]["edge"].get<double>(), d + wq, 0.05 * wq);
  EXPECT_EQ(a["breakdown"]["device"].get<double>(), 0.0);
}

TEST(Applications, EdgeVpnEncryptsWhatLeavesTheEdgeNotTheFrame) {
  // With a VPN on the gateway (1 Mf per byte of the MQTT packet it sends up), an edge placement pays
  // for the last edge stage's output, not for the 30 kB frame: decide's 200 B on
  // "lab/wearables/0/up" is a 1 + 2 + 220 = 223 B PUBLISH, so the edge segment grows by
  // 223 x 1 Mf / 100 Gf/s = 2.23 ms.
  TempDir out;
  std::vector<std::string> sets = kOneDevice;
  sets.push_back("platform.sites.0.gateways.0.vpn_cost_per_byte=\"1Mf\"");
  const auto r = run_with("cognitive-assistance.json", out / "vpn", sets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json a = app_of(out, "vpn");
  EXPECT_NEAR(a["breakdown"]["edge"].get<double>(), kEdge + 223 * 1e6 / 100e9, 1e-6);
  EXPECT_NEAR(a["latency"]["max"].get<double>(), kEdgeTotal + 223 * 1e6 / 100e9, 1e-6);
}

TEST(Applications, TimeSeriesCountsFramesAndResponses) {
  // timeseries.csv: per 10 s interval, the application's frames (by creation time) and responses (by
  // arrival time); they add up to the summary's totals.
  TempDir out;
  const auto r = run_with("cognitive-assistance.json", out / "ts", {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(out / "ts/summary.json");
  double frames = 0, responses = 0, max_latency = 0;
  for (const auto& row : read_csv(out / "ts/timeseries.csv")) {
    if (row.size() < 4 || row[1] != "assistant") continue;
    if (row[2] == "frames") frames += std::stod(row[3]);
    if (row[2] == "responses") responses += std::stod(row[3]);
    if (row[2] == "response_latency_max") max_latency = std::max(max_latency, std::stod(row[3]));
  }
  const auto& a = s["applications"]["assistant"];
  EXPECT_EQ(frames, a["frames"].get<double>());
  EXPECT_EQ(responses, a["responses"].get<double>());
  EXPECT_EQ(max_latency, a["latency"]["max"].get<double>());
}
