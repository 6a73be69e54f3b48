// tests/live-bridge/test_units.cpp — the bridge's pure parts, no broker: the recording format (cut
// anywhere, damaged), the emulator's schedule (traffic models, determinism, faults, payload sizes),
// broker options (URLs, password never from the command line).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "harness.hpp"
#include "live-bridge/bridge.hpp"
#include "live-bridge/emulator_schedule.hpp"
#include "live-bridge/mqtt_options.hpp"
#include "live-bridge/recording.hpp"
#include "sim/scenario_loader.hpp"

namespace {

using namespace edgetwin;
using nlohmann::json;

std::vector<bridge::Record> sample_records() {
  return {{bridge::Record::message, 1.25, 1, false, "plant/meters/0/up", R"({"ts":1,"seq":1})"},
          {bridge::Record::message, 2.5, 0, true, "site/plant/gw/gw-1/status", "online"},
          {bridge::Record::connection_lost, 3.0, 0, false, "", "connection reset"},
          {bridge::Record::connection_restored, 4.0, 0, false, "", ""},
          {bridge::Record::message, 5.0, 1, false, "bin", std::string("\0\x01\xFF", 3)}};
}

TEST(Recording, RoundTrip) {
  test::TempDir dir;
  const auto recs = sample_records();
  {
    bridge::RecordingWriter w(dir / "r.bin", {{"scenario", "x"}});
    for (const auto& r : recs) w.append(r);
  }
  bridge::RecordingReader rd(dir / "r.bin");
  EXPECT_EQ(rd.header()["scenario"], "x");
  bridge::Record r;
  for (const auto& want : recs) {
    ASSERT_TRUE(rd.next(r));
    EXPECT_EQ(r.type, want.type);
    EXPECT_EQ(r.receive_time, want.receive_time);
    EXPECT_EQ(r.qos, want.qos);
    EXPECT_EQ(r.retained, want.retained);
    EXPECT_EQ(r.topic, want.topic);
    EXPECT_EQ(r.payload, want.payload);
  }
  EXPECT_FALSE(rd.next(r));
  EXPECT_EQ(rd.end(), bridge::RecordingReader::End::complete);
}

TEST(Recording, CutAnywhereReplaysUpToTheLastCompleteRecord) {
  test::TempDir dir;
  const auto recs = sample_records();
  std::vector<std::uint64_t> ends;  // file size after each record
  {
    bridge::RecordingWriter w(dir / "r.bin", {{"scenario", "x"}});
    ends.push_back(std::filesystem::file_size(dir / "r.bin"));
    for (const auto& r : recs) {
      w.append(r);
      w.flush();
      ends.push_back(std::filesystem::file_size(dir / "r.bin"));
    }
  }
  const std::string full = test::read_text(dir / "r.bin");
  for (std::size_t cut = ends.front(); cut <= full.size(); ++cut) {
    test::write_text(dir / "cut.bin", full.substr(0, cut));
    bridge::RecordingReader rd(dir / "cut.bin");
    bridge::Record r;
    std::size_t n = 0;
    while (rd.next(r)) ++n;
    std::size_t expected = 0;
    while (expected + 1 < ends.size() && ends[expected + 1] <= cut) ++expected;
    EXPECT_EQ(n, expected) << "cut at " << cut;
    const bool at_boundary = std::find(ends.begin(), ends.end(), cut) != ends.end();
    EXPECT_EQ(rd.end(), at_boundary ? bridge::RecordingReader::End::complete : bridge::RecordingReader::End::truncated)
        << "cut at " << cut;
  }
}

TEST(Recording, DamageIsDetected) {
  test::TempDir dir;
  {
    bridge::RecordingWriter w(dir / "r.bin", {{"scenario", "x"}});
    for (const auto& r : sample_records()) w.append(r);
  }
  std::string bytes = test::read_text(dir / "r.bin");
  const auto header_end = bytes.find("plant/meters");  // inside the first record
  bytes[header_end + 2] ^= 0x20;
  test::write_text(dir / "bad.bin", bytes);
  bridge::RecordingReader rd(dir / "bad.bin");
  bridge::Record r;
  EXPECT_FALSE(rd.next(r));
  EXPECT_EQ(rd.end(), bridge::RecordingReader::End::corrupt);
  test::write_text(dir / "nope.bin", "hello world, this is not a recording");
  EXPECT_THROW(bridge::RecordingReader{dir / "nope.bin"}, std::runtime_error);
  std::string v2 = test::read_text(dir / "r.bin");
  v2[8] = 2;
  test::write_text(dir / "v2.bin", v2);
  try {
    bridge::RecordingReader rd2(dir / "v2.bin");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("version 2"), std::string::npos);
  }
  EXPECT_EQ(bridge::crc32("123456789", 9), 0xCBF43926u);  // the standard check value
}

sim::Scenario small() { return sim::load_scenario(test::fixture("twin-small.json")); }

TEST(EmulatorSchedule, FollowsTheScenarioTrafficDeterministically) {
  const auto sc = small();
  bridge::EmulatorSchedule a(sc), b(sc);
  std::map<std::string, int> per_device;
  bridge::EmulatedMessage ma, mb;
  double last = 0;
  while (a.next(ma)) {
    ASSERT_TRUE(b.next(mb));
    EXPECT_EQ(ma.time, mb.time);
    EXPECT_EQ(ma.device, mb.device);
    EXPECT_EQ(ma.value, mb.value);
    EXPECT_GE(ma.time, last);
    last = ma.time;
    per_device[a.devices()[ma.device].name]++;
    EXPECT_EQ(ma.seq, static_cast<std::uint64_t>(per_device[a.devices()[ma.device].name]));
  }
  EXPECT_FALSE(b.next(mb));
  EXPECT_EQ(per_device.size(), 10u);
  EXPECT_EQ(per_device["plant/meters#0"], 5) << "1 s period (+ up to 50 ms jitter) over 5 s";
  EXPECT_EQ(per_device["plant/machines#3"], 10) << "500 ms period over 5 s";
  EXPECT_EQ(a.devices()[0].topic, "plant/meters/0/up");
  EXPECT_EQ(a.devices()[1].gateway, "plant/gw-2");
  bridge::EmulatorSchedule limited(sc, 2, 2.0);
  EXPECT_EQ(limited.devices().size(), 4u);
}

TEST(EmulatorSchedule, PoissonMeanAndFaults) {
  auto sc = small();
  sc.traffic[0].pattern = "poisson";
  sc.duration = 2000;
  sc.faults.push_back({"", 200, "plant/gw-1", "crash", 100, nullptr});
  bridge::EmulatorSchedule s(sc);
  s.add_silence("plant/machines#1", 100, 1e300);
  std::map<std::string, std::pair<int, double>> stats;
  bridge::EmulatedMessage m;
  while (s.next(m)) {
    const auto& d = s.devices()[m.device];
    EXPECT_FALSE(d.name == "plant/machines#1" && m.time >= 100) << "silenced device sent at " << m.time;
    EXPECT_FALSE(d.gateway == "plant/gw-1" && m.time >= 200 && m.time < 300) << d.name << " sent through a dead gateway";
    stats[d.name].first++;
    stats[d.name].second = m.time;
  }
  const double n = stats["plant/meters#1"].first;  // gw-2: never silenced
  EXPECT_NEAR(n, 2000.0, 4 * std::sqrt(2000.0)) << "Poisson with mean 1 s over 2000 s";
  ASSERT_EQ(s.gateway_events().size(), 2u);
  EXPECT_TRUE(s.gateway_events()[0].down);
  EXPECT_EQ(s.gateway_events()[1].time, 300);
  EXPECT_GT(s.skipped(), 0u);
}

TEST(EmulatorSchedule, PayloadHasTheDeclaredSize) {
  for (std::size_t size : {96u, 128u, 2048u}) {
    const auto p = bridge::emulator_payload(1795700000.123456, 1795700000.2, 42, 21.5, size);
    EXPECT_EQ(p.size(), size);
    const auto j = json::parse(p);
    EXPECT_EQ(j["seq"], 42);
    EXPECT_NEAR(j["ts"].get<double>(), 1795700000.123456, 1e-6);
  }
  EXPECT_GT(bridge::emulator_payload(1, 1, 1, 1, 10).size(), 10u) << "never below the record itself";
}

TEST(EntityStateTopic, KeepsLevelsAndEncodesWhatATopicNameMayNotContain) {
  using edgetwin::bridge::entity_state_topic;
  const std::string p = "edgetwin/twin/plant";
  EXPECT_EQ(entity_state_topic(p, "device", "plant/meters#7"), "edgetwin/twin/plant/state/device/plant/meters%237");
  EXPECT_EQ(entity_state_topic(p, "gateway", "plant/gw-1"), "edgetwin/twin/plant/state/gateway/plant/gw-1");
  EXPECT_EQ(entity_state_topic(p, "device", "a+b%c#"), "edgetwin/twin/plant/state/device/a%2Bb%25c%23");
  // Distinct names give distinct topics ('%' itself is encoded).
  EXPECT_NE(entity_state_topic(p, "device", "x%23"), entity_state_topic(p, "device", "x#"));
}

TEST(BrokerOptions, UrlsAndSecrets) {
  EXPECT_EQ(bridge::paho_uri("mqtt://127.0.0.1:1884"), "tcp://127.0.0.1:1884");
  EXPECT_EQ(bridge::paho_uri("mqtts://broker.example"), "ssl://broker.example:8883");
  EXPECT_THROW(bridge::paho_uri("http://x"), std::invalid_argument);
  EXPECT_THROW(bridge::paho_uri("mqtt://user:pw@host:1"), std::invalid_argument);
  std::vector<std::string> args = {"x.json", "--broker", "mqtt://127.0.0.1:1", "--password", "hunter2"};
  bridge::BrokerOptions o;
  try {
    bridge::parse_broker_options(args, o);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--password-file"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
  test::TempDir dir;
  test::write_text(dir / "pw", "s3cret\n");
  args = {"x.json", "--broker", "mqtts://127.0.0.1:2", "--username", "twin", "--password-file", dir / "pw", "--ca-file", "ca.crt"};
  bridge::BrokerOptions p;
  bridge::parse_broker_options(args, p);
  EXPECT_EQ(args, std::vector<std::string>{"x.json"});
  EXPECT_EQ(p.password, "s3cret");
  ::setenv("EDGETWIN_TEST_PW", "from-env", 1);
  args = {"--username", "u", "--password-env", "EDGETWIN_TEST_PW"};
  bridge::BrokerOptions q;
  bridge::parse_broker_options(args, q);
  EXPECT_EQ(q.password, "from-env");
  args = {"--password-env", "EDGETWIN_TEST_PW"};
  bridge::BrokerOptions r;
  EXPECT_THROW(bridge::parse_broker_options(args, r), std::invalid_argument) << "a password without a user";
}

}  // namespace
