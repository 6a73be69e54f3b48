// Gateway aggregation, broker clustering (inter-broker forwarding, subscriber re-homing, session
// takeover) and persistent sessions for offline subscribers, checked against hand arithmetic on
// scenarios/analytic-single-device.json (one device, 1 message/s, no contention) and against the
// store-and-forward drill scenarios/backhaul-outage.json.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

struct TraceRow {
  std::uint64_t device;
  int broker;
  double t[6];
  double latency;
};

std::vector<TraceRow> trace(const std::string& dir) {
  std::vector<TraceRow> out;
  auto rows = read_csv(dir + "/messages.csv");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    TraceRow r{};
    r.device = std::stoull(rows[i][1]);
    r.broker = std::stoi(rows[i][3]);
    for (int k = 0; k < 6; ++k) r.t[k] = std::stod(rows[i][4 + static_cast<std::size_t>(k)]);
    r.latency = std::stod(rows[i][10]);
    out.push_back(r);
  }
  return out;
}

std::map<std::string, std::vector<std::string>> by_first_column(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> m;
  for (auto& row : read_csv(csv)) m[row[0]] = row;
  return m;
}
constexpr double kUs = 1e-6;
}  // namespace

// ---- gateway aggregation ----------------------------------------------------------------------

TEST(Aggregation, CountFillsBatchesAndEachMessageKeepsItsOwnLatency) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "a",
                    {"platform.sites.0.gateways.0.pipeline={\"aggregate\":{\"count\":4,\"max_wait\":\"10s\"}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = trace(dir / "a");
  ASSERT_EQ(rows.size(), 10u);  // every message delivered, one row each
  // Batches of 4 consecutive messages (1 s apart) leave the gateway together: member i of a batch
  // waited (3 - i) s longer than the last one, to the microsecond; the rest of the path is shared.
  for (std::size_t b = 0; b < 2; ++b)
    for (std::size_t i = 0; i < 4; ++i) {
      const auto& m = rows[b * 4 + i];
      const auto& last = rows[b * 4 + 3];
      EXPECT_EQ(m.t[2], last.t[2]);
      EXPECT_EQ(m.t[5], last.t[5]);
      EXPECT_NEAR(m.latency - last.latency, 3.0 - static_cast<double>(i), kUs);
    }
  // The last two messages never fill a batch: they leave max_wait (10 s) after the first was ready
  // (its gateway work, 2 Mf at 1 Gf/s, ends 2 ms after it arrived).
  EXPECT_NEAR(rows[8].t[2] - rows[8].t[1], 10.0 + 0.002, kUs);
  EXPECT_NEAR(rows[9].t[2] - rows[9].t[1], 9.0 + 0.002, kUs);
  // The broker handles one PUBLISH per batch (3), the gateway 10 messages + 3 batches to send.
  auto nodes = by_first_column(dir / "a/nodes.csv");
  EXPECT_EQ(nodes["broker-1"][4], "3");
  EXPECT_EQ(nodes["lab/gw"][4], "13");
  EXPECT_EQ(nodes["ingest"][4], "3");
}

TEST(Aggregation, BatchPayloadPaysPerByteCostsOnce) {
  TempDir dir;
  // Without aggregation, the last message of a batch would see the single-message latency of the
  // analytic scenario; packed with 3 others (+300 B payload, + 8 B record overhead each, and the
  // gateway name "lab/gw" instead of the device id "0" in the topic: +5 B), the service's
  // 20 kf/B at 2 Gf/s adds 332 x 10 us and the three wired hops carry 337 B more.
  auto r = run_with("analytic-single-device.json", dir / "a",
                    {"platform.sites.0.gateways.0.pipeline={\"aggregate\":{\"count\":4,\"max_wait\":\"10s\","
                     "\"record_overhead\":\"8B\"}}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto r0 = run_with("analytic-single-device.json", dir / "s", {});
  ASSERT_EQ(r0.exit_code, 0) << r0.err;
  const double single = trace(dir / "s")[3].latency;
  const double last = trace(dir / "a")[3].latency;
  const double extra_bytes = 300 + 4 * 8 + 5;
  const double service = 20e3 * (300 + 4 * 8) / 2e9;
  const double wire = extra_bytes / 1.25e6 + extra_bytes / 12.5e6 + extra_bytes / 125e6;
  EXPECT_NEAR(last - single, service + wire, kUs);
}

TEST(Aggregation, GatewayCrashLosesWhatWaitsForItsBatch) {
  TempDir dir;
  // Crash the gateway at 6.5 s: messages 4, 5, 6 (created at ~4.55, 5.55, 6.55 s; the last one
  // arrives after the crash) are lost with it; the first batch (0..3) is through.
  auto r = run_with("analytic-single-device.json", dir / "a",
                    {"platform.sites.0.gateways.0.pipeline={\"aggregate\":{\"count\":4,\"max_wait\":\"30s\"}}",
                     "faults=[{\"at\":\"6.5s\",\"target\":\"lab/gw\",\"action\":\"crash\"}]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "a/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["delivered"], 4);
  EXPECT_EQ(g["lost"]["gateway_down"], 6);  // 2 waiting in the batch + 4 sent to the dead gateway
}

// ---- broker clustering ------------------------------------------------------------------------

namespace {
const std::vector<std::string> kCluster = {
    "platform.brokers.count=2", "platform.sites.0.device_groups.0.count=2",
    "platform.brokers.cluster={\"enabled\":true,\"latency\":\"1ms\",\"bandwidth\":\"100Mbps\","
    "\"cost_per_forward\":\"200kf\"}"};
}

TEST(BrokerCluster, RemoteSubscriberGetsMessagesOverTheInterconnect) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "c", kCluster);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The only subscriber (ingest) is homed on broker-1. Device 0 publishes on broker-1 (round-robin),
  // device 1 on broker-2, whose messages cross the interconnect: + cost_per_forward at both brokers
  // (2 x 200 kf at 1 Gf/s) + 1 ms + the 107 B PUBLISH at 100 Mbit/s, exactly, and nothing else.
  double d0 = -1, d1 = -1;
  for (const auto& m : trace(dir / "c")) (m.device == 0 ? d0 : d1) = m.latency;
  EXPECT_NEAR(d0, 0.032505016, kUs);  // the analytic single-device latency (docs/scenario-format.md)
  EXPECT_NEAR(d1 - d0, 2 * 200e3 / 1e9 + 1e-3 + 107.0 / 12.5e6, kUs);
  auto links = by_first_column(dir / "c/links.csv");
  EXPECT_EQ(links["brokers/interconnect"][4], "10");  // device 1's 10 messages
  EXPECT_EQ(links["cloud/broker-2"][4], "0");         // nobody is subscribed on broker-2
  EXPECT_EQ(links["cloud/broker-1"][4], "20");
}

TEST(BrokerCluster, OffByDefaultEverySubscriberIsOnEveryBroker) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "c",
                    {"platform.brokers.count=2", "platform.sites.0.device_groups.0.count=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& m : trace(dir / "c")) EXPECT_NEAR(m.latency, 0.032505016, kUs);
  auto links = by_first_column(dir / "c/links.csv");
  EXPECT_EQ(links.count("brokers/interconnect"), 0u);
  EXPECT_EQ(links["cloud/broker-2"][4], "10");
}

TEST(BrokerCluster, SubscriberRehomesWhenItsBrokerDies) {
  TempDir dir;
  auto sets = kCluster;
  sets.push_back("platform.brokers.detection=\"reset\"");
  sets.push_back("faults=[{\"at\":\"3.2s\",\"target\":\"broker-1\",\"action\":\"crash\"}]");
  auto r = run_with("analytic-single-device.json", dir / "c", sets);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "c/summary.json");
  const auto& f = s["faults"][0];
  EXPECT_EQ(f["sessions"]["subscribers_rehomed"], 1);
  // After the crash, ingest is on broker-2: device 1's messages no longer cross the interconnect
  // and arrive over cloud/broker-2; device 0 reconnects to broker-2 as well. Nothing published
  // after the subscriber moved is lost.
  auto links = by_first_column(dir / "c/links.csv");
  EXPECT_EQ(links["brokers/interconnect"][4], "4");  // device 1's messages at ~0, 1, 2, 3 s
  int late_d1 = 0;
  for (const auto& m : trace(dir / "c"))
    if (m.device == 1 && m.t[0] > 3.2) {
      ++late_d1;
      EXPECT_EQ(m.broker, 2);
    }
  EXPECT_EQ(late_d1, 6);
}

TEST(BrokerCluster, ReconnectingClientsTakeTheirSessionOverFromTheOldBroker) {
  TempDir dir;
  // backhaul-outage: gw-1's link is cut for 60 s; its 100 panels reconnect through the load
  // balancer, which (round-robin) puts about half of them on the other broker while the old one is
  // still up: those sessions are taken over across the interconnect. QoS 1 still loses nothing
  // beyond what the store-and-forward buffer cannot hold.
  auto base = run_with("backhaul-outage.json", dir / "b", {});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  auto r = run_with("backhaul-outage.json", dir / "c",
                    {"platform.brokers.cluster={\"enabled\":true,\"cost_per_forward\":\"100kf\"}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s0 = read_json(dir / "b/summary.json"), s = read_json(dir / "c/summary.json");
  const auto& f = s["faults"][0];
  const auto taken = f["sessions"]["taken_over"].get<std::uint64_t>();
  EXPECT_GT(taken, 20u);
  EXPECT_LT(taken, 80u);
  EXPECT_EQ(s0["faults"][0]["sessions"]["taken_over"], 0);
  EXPECT_EQ(f["reconnected"], f["sessions_affected"]);
  EXPECT_EQ(s["groups"]["depot/panels"]["lost"]["total"], s0["groups"]["depot/panels"]["lost"]["total"]);
  EXPECT_EQ(s["groups"]["depot/meters"]["lost"]["total"], 0);
}

// ---- persistent sessions ----------------------------------------------------------------------

namespace {
std::vector<std::string> service_outage(std::vector<std::string> extra) {
  std::vector<std::string> s = {"workload.traffic.0.qos=1",
                                "faults=[{\"at\":\"3s\",\"target\":\"cloud/node\",\"action\":\"crash\",\"for\":\"4s\"}]"};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}
}  // namespace

TEST(PersistentSessions, CleanSessionsLoseWhatIsSentWhileTheSubscriberIsDown) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "p", service_outage({}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "p/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["lost"]["service_down"], 4);  // messages created at ~3.55, 4.55, 5.55, 6.55 s
  EXPECT_EQ(g["delivered"], 6);
}

TEST(PersistentSessions, BrokerHoldsQos1ForTheOfflineSubscriberAndDeliversOnReturn) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "p",
                    service_outage({"platform.brokers.sessions={\"persistent\":true}"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "p/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["lost"]["total"], 0);
  EXPECT_EQ(g["delivered"], 10);
  EXPECT_EQ(s["faults"][0]["sessions"]["queued_for_offline_subscribers"], 4);
  EXPECT_EQ(s["faults"][0]["sessions"]["peak_offline_queue"], 4);
  // The held messages reach the service once it is back at 7 s (plus the broker -> service hop).
  for (const auto& m : trace(dir / "p"))
    if (m.t[0] > 3.0 && m.t[0] < 7.0) {
      EXPECT_GT(m.t[5], 7.0);
    }
}

TEST(PersistentSessions, QueueLimitDropsTheExcess) {
  TempDir dir;
  auto r = run_with("analytic-single-device.json", dir / "p",
                    service_outage({"platform.brokers.sessions={\"persistent\":true,\"max_queued\":3}"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = read_json(dir / "p/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["lost"]["session_queue_full"], 1);
  EXPECT_EQ(g["delivered"], 9);
}

TEST(PersistentSessions, Qos0IsQueuedOnlyWhenConfiguredAndDetected) {
  TempDir dir;
  // QoS 0 is not kept for offline subscribers by default (Mosquitto: queue_qos0_messages false).
  auto r = run_with("analytic-single-device.json", dir / "a",
                    {"platform.brokers.sessions={\"persistent\":true}",
                     "faults=[{\"at\":\"3s\",\"target\":\"cloud/node\",\"action\":\"crash\",\"for\":\"4s\"}]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_json(dir / "a/summary.json")["groups"]["lab/probe"]["lost"]["service_down"], 4);
  // With queue_qos0 and a connection reset noticed at once, they are kept too.
  auto r2 = run_with("analytic-single-device.json", dir / "b",
                     {"platform.brokers.sessions={\"persistent\":true,\"queue_qos0\":true}",
                      "platform.brokers.detection=\"reset\"",
                      "faults=[{\"at\":\"3s\",\"target\":\"cloud/node\",\"action\":\"crash\",\"for\":\"4s\"}]"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const json s = read_json(dir / "b/summary.json");
  const auto& g = s["groups"]["lab/probe"];
  EXPECT_EQ(g["lost"]["total"], 0);
  EXPECT_EQ(g["delivered"], 10);
}
