// tests/twin/test_twin_state.cpp — the twin's state machine without a broker: counts, sequence gaps,
// duplicates, out-of-order samples, latency, liveness (stale, Will), malformed payloads, $SYS.
#include <gtest/gtest.h>

#include <random>

#include "sim/scenario_loader.hpp"
#include "twin/counters.hpp"
#include "twin/twin_state.hpp"

namespace {

using namespace edgetwin;
using nlohmann::json;

struct Fixture {
  sim::Scenario sc;
  std::unique_ptr<twin::Twin> t;
  explicit Fixture(json mapping = nullptr) {
    sc = sim::load_scenario(std::string(EDGETWIN_SOURCE_DIR) + "/tests/live-bridge/fixtures/twin-small.json");
    if (!mapping.is_null()) sc.mapping = std::move(mapping);
    t = std::make_unique<twin::Twin>(sc, twin::mapping_from_scenario(sc));
  }
  void up(const std::string& device, std::uint64_t seq, double ts, double rx, double v = 1.0, const char* group = "meters") {
    json p = {{"ts", ts}, {"seq", seq}, {"v", v}};
    t->apply({std::string("plant/") + group + "/" + device + "/up", p.dump(), 1, false, rx});
  }
  void raw(const std::string& topic, const std::string& payload, double rx) { t->apply({topic, payload, 1, false, rx}); }
};

TEST(SequenceTracker, GapsDuplicatesLate) {
  twin::SequenceTracker s;
  using V = twin::SequenceTracker::Verdict;
  EXPECT_EQ(s.add(1), V::newest);
  EXPECT_EQ(s.add(2), V::newest);
  EXPECT_EQ(s.add(5), V::newest);
  EXPECT_EQ(s.missing(), 2u);
  EXPECT_EQ(s.add(4), V::late);
  EXPECT_EQ(s.missing(), 1u);
  EXPECT_EQ(s.add(4), V::duplicate);
  EXPECT_EQ(s.add(5), V::duplicate);
  EXPECT_EQ(s.add(200), V::newest);
  EXPECT_EQ(s.missing(), 1u + 194u);
  EXPECT_EQ(s.add(3), V::too_old);
}

TEST(RateWindow, CountsOverTheWindow) {
  twin::RateWindow r;
  for (int i = 0; i < 100; ++i) r.add(1000.0 + i * 0.1, 10.0);  // 10 msg/s for 10 s
  EXPECT_NEAR(r.rate(1009.95, 10.0), 10.0, 1.01);
  EXPECT_NEAR(r.rate(1015.0, 10.0), 5.0, 1.01);
  EXPECT_EQ(r.rate(1030.0, 10.0), 0.0);
}

TEST(Twin, CountsLatencyAndGroups) {
  Fixture f;
  for (int k = 0; k < 3; ++k)
    for (std::uint64_t s = 1; s <= 10; ++s) f.up(std::to_string(k), s, 100.0 + s, 100.0 + s + 0.020);
  const auto st = f.t->state_json(111.0);
  EXPECT_EQ(st["received"], 30);
  EXPECT_EQ(st["totals"]["devices_seen"], 3);
  const auto& d = st["devices"]["plant/meters#1"];
  EXPECT_EQ(d["accepted"], 10);
  EXPECT_EQ(d["missing"], 0);
  EXPECT_EQ(d["gateway"], "plant/gw-2") << "device 1 of meters uses gateways[1 mod 2]";
  EXPECT_NEAR(d["latency"]["mean"].get<double>(), 0.020, 1e-9);
  EXPECT_NEAR(d["period"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(d["liveness"], "live");
  EXPECT_EQ(d["value"], 1.0);
  const auto& g = st["groups"]["plant/meters"];
  EXPECT_EQ(g["devices_seen"], 3);
  EXPECT_EQ(g["devices_declared"], 6);
  EXPECT_EQ(g["accepted"], 30);
  EXPECT_NEAR(g["latency"]["p50"].get<double>(), 0.020, 0.020 * 0.01);
  EXPECT_NEAR(g["payload"]["mean"].get<double>(), static_cast<double>(json({{"ts", 101.0}, {"seq", 1}, {"v", 1.0}}).dump().size()), 3);
  EXPECT_EQ(st["gateways"]["plant/gw-1"]["received"], 20);
}

TEST(Twin, OutOfOrderAndDuplicatesNeverOverwriteNewest) {
  Fixture f;
  f.up("0", 1, 10, 10.1, 1.0);
  f.up("0", 3, 12, 12.1, 3.0);
  f.up("0", 2, 11, 12.2, 2.0);  // late: fills the gap, does not become the latest value
  f.up("0", 3, 12, 12.3, 3.0);  // duplicate (QoS 1 redelivery)
  f.up("0", 5, 14, 14.1, 5.0);
  f.up("0", 5, 14, 14.2, 99.0);  // duplicate with another value: ignored
  const auto d = f.t->state_json(14.5)["devices"]["plant/meters#0"];
  EXPECT_EQ(d["received"], 6);
  EXPECT_EQ(d["accepted"], 4);
  EXPECT_EQ(d["duplicates"], 2);
  EXPECT_EQ(d["late"], 1);
  EXPECT_EQ(d["missing"], 1) << "seq 4 never arrived";
  EXPECT_EQ(d["value"], 5.0);
  EXPECT_EQ(d["last_source"], 14.0);
  EXPECT_EQ(d["sequence"]["newest"], 5);
}

TEST(Twin, DeviceRestartResetsTheSequence) {
  Fixture f;
  for (std::uint64_t s = 100; s < 200; ++s) f.up("0", s, static_cast<double>(s), s + 0.01);
  f.up("0", 1, 300, 300.01, 7.0);  // counter restarted, time moved on
  const auto d = f.t->state_json(300.5)["devices"]["plant/meters#0"];
  EXPECT_EQ(d["restarts"], 1);
  EXPECT_EQ(d["value"], 7.0);
  EXPECT_EQ(d["accepted"], 101);
}

TEST(Twin, SilentDeviceGoesStaleAfterKPeriods) {
  Fixture f;  // stale_after 3, meters period 1 s
  for (std::uint64_t s = 1; s <= 5; ++s) f.up("0", s, s, s + 0.01);
  f.t->tick(7.0);
  EXPECT_TRUE(f.t->take_alerts().empty());
  EXPECT_EQ(f.t->state_json(7.0)["devices"]["plant/meters#0"]["liveness"], "live");
  f.t->tick(8.02);  // 5.01 + 3 x 1 s = 8.01
  const auto alerts = f.t->take_alerts();
  ASSERT_EQ(alerts.size(), 2u) << "the device, and its gateway which carried nothing else";
  EXPECT_EQ(alerts[0].kind, "stale");
  EXPECT_EQ(alerts[0].entity, "plant/meters#0");
  EXPECT_EQ(alerts[1].entity, "plant/gw-1");
  const auto d = f.t->state_json(8.02)["devices"]["plant/meters#0"];
  EXPECT_EQ(d["liveness"], "stale");
  EXPECT_NEAR(d["stale_since"].get<double>(), 8.01, 1e-9);
  f.up("0", 6, 9, 9.01);
  EXPECT_EQ(f.t->take_alerts().at(0).kind, "recovered");
}

TEST(Twin, WillMarksGatewayDownAtOnce) {
  Fixture f;
  f.raw("site/plant/gw/gw-1/status", "online", 1.0);
  EXPECT_EQ(f.t->state_json(1.0)["gateways"]["plant/gw-1"]["liveness"], "live");
  f.raw("site/plant/gw/gw-1/status", "offline", 2.0);
  const auto alerts = f.t->take_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "down");
  const auto gw = f.t->state_json(2.0)["gateways"]["plant/gw-1"];
  EXPECT_EQ(gw["liveness"], "down");
  EXPECT_EQ(gw["down_since"], 2.0);
  f.raw("site/plant/gw/gw-9/status", "offline", 3.0);
  EXPECT_EQ(f.t->state_json(3.0)["rules"]["gateway-status"]["malformed"]["unknown_gateway"], 1);
}

// The deadline heap behind Twin::tick must raise exactly the stale transitions of the former
// full scan: before each tick, the reference is every device, then every gateway (each by name),
// that is neither flagged stale nor down and whose liveness predicate says stale at that instant.
// Randomised traffic (silences of random length, gaps, duplicates, late samples, irregular
// periods so the observed period moves the deadline both ways) and gateway Will messages.
TEST(Twin, DeadlineHeapRaisesTheSameStaleTransitionsAsAFullScan) {
  Fixture f;
  const double k = f.t->mapping().stale_after;
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Dev {
    std::string id, group;
    double period;
    std::uint64_t seq = 0;
    double silent_until = 0;
  };
  std::vector<Dev> devs;
  for (int i = 0; i < 40; ++i) devs.push_back({std::to_string(i), "meters", 1.0});
  for (int i = 0; i < 20; ++i) devs.push_back({std::to_string(i), "machines", 0.5});
  std::uint64_t stale_seen = 0, recovered = 0, will_down = 0;
  double now = 0;
  double next_tick = 0.1;
  while (now < 400) {
    now += 0.01 + 0.05 * u(rng);
    for (auto& d : devs) {
      if (now < d.silent_until) continue;
      if (u(rng) > 0.04 / d.period) continue;  // about one message per period (in 0.035 s steps)
      if (u(rng) < 0.02) d.silent_until = now + 20 * u(rng) * d.period;  // go silent for 0..20 periods
      const std::uint64_t step = u(rng) < 0.05 ? 1 + static_cast<std::uint64_t>(4 * u(rng)) : 1;  // gaps
      d.seq += step;
      const double skew = (u(rng) - 0.5) * 0.4 * d.period;  // irregular source times
      f.up(d.id, d.seq, now + skew, now, d.seq, d.group.c_str());
      if (u(rng) < 0.03) f.up(d.id, d.seq, now + skew, now, d.seq, d.group.c_str());  // duplicate
      if (u(rng) < 0.03 && d.seq > 3) f.up(d.id, d.seq - 2, now - 2 * d.period, now, 0, d.group.c_str());  // late
    }
    if (u(rng) < 0.004) {
      const std::string gw = u(rng) < 0.5 ? "gw-1" : "gw-2";
      const bool down = u(rng) < 0.6;
      f.raw("site/plant/gw/" + gw + "/status", down ? "offline" : "online", now);
      will_down += down;
    }
    for (const auto& a : f.t->take_alerts()) recovered += a.kind == "recovered";
    if (now < next_tick) continue;
    next_tick = now + 0.05 + 1.5 * u(rng);
    std::vector<std::string> expected;
    for (const auto& [name, d] : f.t->devices())
      if (!d.stale_flag && !d.down && d.liveness(now, k) == twin::Liveness::stale) expected.push_back(name);
    for (const auto& [name, g] : f.t->gateways())
      if (!g.stale_flag && !g.down && g.liveness(now, k) == twin::Liveness::stale) expected.push_back(name);
    f.t->tick(now);
    std::vector<std::string> got;
    for (const auto& a : f.t->take_alerts()) {
      ASSERT_EQ(a.kind, "stale");
      got.push_back(a.entity);
    }
    ASSERT_EQ(got, expected) << "at t = " << now;
    stale_seen += got.size();
    // Nothing that the predicate calls stale is left unflagged.
    for (const auto& [name, d] : f.t->devices())
      ASSERT_TRUE(d.stale_flag || d.down || d.liveness(now, k) != twin::Liveness::stale) << name;
  }
  EXPECT_GT(stale_seen, 100u) << "the traffic must exercise many transitions";
  EXPECT_GT(recovered, 100u);
  EXPECT_GT(will_down, 0u);
  EXPECT_LE(f.t->deadline_entries(), 2 * (f.t->devices().size() + f.t->gateways().size()) + 1024);
}

TEST(Twin, WillMarksAGatewayDownWithoutAStaleAlertAndItGoesStaleAgainAfterComingBack) {
  Fixture f;  // plant/meters#0 (1 s) behind gw-1
  for (std::uint64_t s = 1; s <= 5; ++s) f.up("0", s, s, s + 0.01);
  f.raw("site/plant/gw/gw-1/status", "offline", 5.5);
  ASSERT_EQ(f.t->take_alerts().at(0).kind, "down");
  f.t->tick(20);
  const auto a = f.t->take_alerts();
  ASSERT_EQ(a.size(), 1u) << "only the device: a down gateway is not also stale";
  EXPECT_EQ(a[0].entity, "plant/meters#0");
  f.raw("site/plant/gw/gw-1/status", "online", 21);
  EXPECT_EQ(f.t->take_alerts().at(0).kind, "up");
  f.t->tick(21.5);
  const auto b = f.t->take_alerts();
  ASSERT_EQ(b.size(), 1u) << "back up, the gateway carried nothing for 3 x 1 s: stale at the next tick";
  EXPECT_EQ(b[0].entity, "plant/gw-1");
  EXPECT_EQ(b[0].kind, "stale");
}

TEST(Twin, MalformedPayloadsAreCountedPerRuleAndKept) {
  Fixture f;
  f.up("0", 1, 1, 1.01);
  f.raw("plant/meters/0/up", "{not json", 2);
  f.raw("plant/meters/0/up", R"({"seq": 2, "v": 1})", 3);
  f.raw("plant/meters/0/up", R"({"ts": "yesterday", "seq": 2})", 4);
  f.raw("plant/meters/0/up", R"({"ts": 5, "seq": -3})", 5);
  f.raw("plant/meters/0/up", std::string("{\"ts\": 5, \"seq\": 2, \"v\": \"\xC3\x28\"}"), 6);
  f.raw("plant/meters/0/up", std::string(70000, 'x'), 7);
  f.raw("plant/meters/0/up", "", 8);
  f.raw("plant/meters/0/up", "[1,2,3]", 9);
  f.raw("nobody/listens/here", "x", 10);
  const auto st = f.t->state_json(10);
  const auto& r = st["rules"]["traffic-plant/meters"];
  EXPECT_EQ(r["matched"], 9);
  EXPECT_EQ(r["applied"], 1);
  EXPECT_EQ(r["malformed"]["invalid_json"], 2) << r.dump();
  EXPECT_EQ(r["malformed"]["missing_field:timestamp"], 2);
  EXPECT_EQ(r["malformed"]["wrong_type:timestamp"], 1);
  EXPECT_EQ(r["malformed"]["wrong_type:sequence"], 1);
  EXPECT_EQ(r["malformed"]["invalid_utf8"], 1);
  EXPECT_EQ(r["malformed"]["oversize"], 1);
  EXPECT_EQ(r["malformed_total"], 8);
  EXPECT_EQ(r["last_malformed"].size(), 5u);
  EXPECT_EQ(r["last_malformed"].back()["reason"], "missing_field:timestamp");
  EXPECT_EQ(st["unmatched"], 1);
  EXPECT_EQ(st["devices"]["plant/meters#0"]["accepted"], 1) << "malformed messages never touch the state";
}

TEST(Twin, MirrorsSysStatistics) {
  Fixture f;
  f.raw("$SYS/broker/clients/connected", "12", 1);
  f.raw("$SYS/broker/load/messages/received/1min", "345.67", 2);
  f.raw("$SYS/broker/version", "mosquitto version 2.0.11", 3);
  const auto b = f.t->state_json(3)["brokers"]["broker-1"];
  EXPECT_EQ(b["stats"]["clients/connected"], 12.0);
  EXPECT_EQ(b["stats"]["load/messages/received/1min"], 345.67);
  EXPECT_EQ(b["stats"]["version"], "mosquitto version 2.0.11");
}

TEST(Twin, GenericLayoutResolvesGroupsByGatewayOrName) {
  Fixture f(json{{"presets", {"generic"}}});
  f.raw("site/plant/gw/gw-1/dev/meters-4/up", json({{"ts", 1.0}, {"seq", 1}, {"v", 2}}).dump(), 1.1);
  f.raw("site/plant/gw/gw-2/dev/machines-1/up", json({{"ts", 1.0}, {"seq", 1}, {"v", 2}}).dump(), 1.1);
  f.raw("site/plant/gw/gw-2/dev/thing-1/up", json({{"ts", 1.0}, {"seq", 1}, {"v", 2}}).dump(), 1.1);
  f.raw("site/plant/gw/gw-7/dev/meters-1/up", json({{"ts", 1.0}, {"seq", 1}, {"v", 2}}).dump(), 1.1);
  const auto st = f.t->state_json(2);
  EXPECT_EQ(st["devices"]["plant/meters-4"]["group"], "plant/meters") << "gw-1 only serves meters";
  EXPECT_EQ(st["devices"]["plant/machines-1"]["group"], "plant/machines") << "by name prefix";
  EXPECT_EQ(st["devices"]["plant/thing-1"]["group"], "");
  EXPECT_EQ(st["rules"]["generic-uplink"]["malformed"]["unknown_gateway"], 1);
}

TEST(Twin, ConnectionOutagesAreReported) {
  Fixture f;
  f.t->connection_lost(10, "connection refused");
  f.t->connection_restored(12.5);
  const auto c = f.t->state_json(13)["connection"];
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["seconds"], 2.5);
}

TEST(Twin, UtilitiesAreStrict) {
  EXPECT_TRUE(twin::valid_utf8("plain ascii"));
  EXPECT_TRUE(twin::valid_utf8("\xE2\x82\xAC"));
  EXPECT_FALSE(twin::valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(twin::valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(twin::valid_utf8("\xE2\x82"));          // truncated
  EXPECT_EQ(twin::printable_excerpt("a\x01z"), "a\\x01z");
}

}  // namespace
