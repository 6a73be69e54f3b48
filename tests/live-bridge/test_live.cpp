// tests/live-bridge/test_live.cpp — the real edgetwin-bridge against a real Mosquitto started by the
// test on 127.0.0.1 (random free port): emulator -> broker -> twin counts, broker restart, staleness
// and Will, out-of-order/duplicate/malformed traffic, TLS and passwords, what-if and prediction,
// replay equal to the live run, calibration executable by edgetwin run.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include <mqtt/async_client.h>

#include "harness.hpp"

namespace {

using namespace edgetwin::test;
using nlohmann::json;

/// A running `edgetwin-bridge twin` writing its state file every 100 ms.
struct TwinProcess {
  const TempDir& dir;
  std::string state;
  std::unique_ptr<Process> p;
  TwinProcess(const TempDir& d, const std::string& scenario, const std::string& url, std::vector<std::string> extra = {},
              std::vector<std::string> env = {}, const std::string& tag = "twin")
      : dir(d), state(d / (tag + "-state.json")) {
    std::vector<std::string> argv = {bridge_binary(), "twin", scenario, "--broker", url, "--state-out", state,
                                     "--state-every", "100ms", "--client-id", "test-" + tag, "--edgetwin",
                                     edgetwin_binary()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    p = std::make_unique<Process>(argv, d / (tag + ".out"), d / (tag + ".err"), env);
  }
  json read() const { return try_read_json(state); }
  /// Waits until the twin is connected and has subscribed (its first state file says connected).
  bool ready() {
    return wait_for([&] {
      const auto s = read();
      return !s.is_null() && s["bridge"].value("connected", false);
    }) && wait_for([&] { return p->err().find("subscribed") != std::string::npos; });
  }
  std::uint64_t accepted() const {
    const auto s = read();
    return s.is_null() ? 0 : s["totals"].value("accepted", std::uint64_t{0});
  }
};

json run_emulator(const TempDir& d, const std::string& scenario, const std::string& url, std::vector<std::string> extra = {},
                  std::vector<std::string> env = {}) {
  std::vector<std::string> argv = {bridge_binary(), "emulate", scenario, "--broker", url, "--report", d / "report.json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Process emu(argv, d / "emu.out", d / "emu.err", env);
  const int rc = emu.wait(120);
  EXPECT_EQ(rc, 0) << emu.err();
  return try_read_json(d / "report.json");
}

void expect_counts_equal(const json& report, const json& state) {
  ASSERT_FALSE(report.is_null());
  ASSERT_FALSE(state.is_null());
  for (auto it = report["devices"].begin(); it != report["devices"].end(); ++it) {
    const auto& d = state["devices"][it.key()];
    EXPECT_EQ(d.value("accepted", std::uint64_t{0}), it.value()["published"].get<std::uint64_t>()) << it.key();
    EXPECT_EQ(d.value("missing", std::uint64_t{1}), 0u) << it.key();
  }
}

TEST(LiveBridge, EmulatorToTwinCountsAreExactAndReplayGivesTheSameState) {
  TempDir d;
  Mosquitto broker(d);
  TwinProcess twin(d, fixture("twin-small.json"), broker.url(),
                   {"--record", d / "rec.bin", "--calibrate-out", d / "calibrated.json"});
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  const json report = run_emulator(d, fixture("twin-small.json"), broker.url(), {"--speed", "5"});
  ASSERT_FALSE(report.is_null());
  const auto published = report["published"].get<std::uint64_t>();
  EXPECT_EQ(published, 70u) << "10 devices over 5 s: meters every 1 s, machines every 500 ms";
  EXPECT_TRUE(wait_for([&] { return twin.accepted() >= published; })) << twin.accepted() << " of " << published;
  ASSERT_EQ(twin.p->terminate(), 0) << twin.p->err();
  json live = twin.read();
  expect_counts_equal(report, live);
  EXPECT_EQ(live["totals"]["duplicates"], 0);
  EXPECT_EQ(live["totals"]["malformed"], 0);
  EXPECT_GT(live["brokers"]["broker-1"]["stats"].size(), 5u) << "$SYS statistics mirrored into broker-1";
  EXPECT_EQ(live["gateways"]["plant/gw-1"]["status"], "online");

  // Replay the recording with no broker: the same state, at the same instant.
  Process replay({bridge_binary(), "replay", d / "rec.bin", fixture("twin-small.json"), "--state-out", d / "replay.json",
                  "--as-of", live["as_of"].dump()},
                 d / "replay.out", d / "replay.err");
  ASSERT_EQ(replay.wait(60), 0) << replay.err();
  EXPECT_NE(replay.out().find("(complete)"), std::string::npos) << replay.out();
  json replayed = try_read_json(d / "replay.json");
  live.erase("bridge");
  live.erase("prediction");
  EXPECT_EQ(live, replayed) << "live and replayed states differ";

  // A recording cut off mid-record replays up to its last complete record.
  const std::string rec = read_text(d / "rec.bin");
  write_text(d / "cut.bin", rec.substr(0, rec.size() - 7));
  Process cut({bridge_binary(), "replay", d / "cut.bin", fixture("twin-small.json")}, d / "cut.out", d / "cut.err");
  ASSERT_EQ(cut.wait(60), 0) << cut.err();
  EXPECT_NE(cut.out().find("(truncated)"), std::string::npos) << cut.out();

  // The calibrated scenario runs unchanged.
  const json cal = try_read_json(d / "calibrated.json");
  ASSERT_FALSE(cal.is_null());
  EXPECT_EQ(cal["platform"]["sites"][0]["device_groups"][0]["count"], 6);
  EXPECT_EQ(cal["workload"]["traffic"][0]["payload"], "96B");
  EXPECT_TRUE(cal["mapping"]["observed"]["groups"].contains("plant/machines"));
  Process run({edgetwin_binary(), "run", d / "calibrated.json", "--out", d / "cal-results", "--quiet"}, d / "run.out",
              d / "run.err");
  const int rc = run.wait(120);
  EXPECT_TRUE(rc == 0 || rc == 1) << run.err();
  EXPECT_FALSE(try_read_json(d / "cal-results/summary.json").is_null());
}

TEST(LiveBridge, BrokerRestartLosesNothingAtQos1AndTheGapIsReported) {
  TempDir d;
  Mosquitto broker(d, "", /*persistence=*/true);
  TwinProcess twin(d, fixture("twin-small.json"), broker.url());
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  std::vector<std::string> argv = {bridge_binary(), "emulate", fixture("twin-small.json"), "--broker", broker.url(),
                                   "--speed", "2", "--duration", "8s", "--report", d / "report.json",
                                   "--client-id", "emu-restart"};
  Process emu(argv, d / "emu.out", d / "emu.err");
  ASSERT_TRUE(wait_for([&] { return twin.accepted() >= 20; })) << "traffic flows before the restart";
  broker.stop();  // SIGTERM: Mosquitto writes its persistence database
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  broker.start();
  ASSERT_EQ(emu.wait(120), 0) << emu.err();
  const json report = try_read_json(d / "report.json");
  ASSERT_FALSE(report.is_null());
  const auto published = report["published"].get<std::uint64_t>();
  EXPECT_EQ(published, 8u * 14u) << "10 devices over 8 s";
  EXPECT_TRUE(wait_for([&] { return twin.accepted() >= published; }, 60)) << twin.accepted() << " of " << published;
  ASSERT_EQ(twin.p->terminate(), 0) << twin.p->err();
  const json state = twin.read();
  expect_counts_equal(report, state);
  ASSERT_GE(state["connection"].size(), 1u) << "the outage is reported";
  EXPECT_TRUE(state["connection"][0].contains("restored_at")) << state["connection"].dump();
  EXPECT_GT(state["connection"][0].value("seconds", 0.0), 0.0);
}

TEST(LiveBridge, SilentDeviceGoesStaleAndWillMarksGatewayDownAtOnce) {
  TempDir d;
  Mosquitto broker(d);
  TwinProcess twin(d, fixture("twin-faults.json"), broker.url());
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  const json report = run_emulator(d, fixture("twin-faults.json"), broker.url(), {"--speed", "1", "--silence", "plant/probe#0@1s"});
  ASSERT_FALSE(report.is_null());
  EXPECT_GT(report["skipped_silenced"].get<int>(), 0);
  EXPECT_TRUE(wait_for([&] { return twin.accepted() >= report["published"].get<std::uint64_t>(); }));
  ASSERT_EQ(twin.p->terminate(), 0);
  const json s = twin.read();
  const std::string err = twin.p->err();
  // The probe (200 ms period, k = 3) was declared stale 600 ms after its last message, while the
  // other devices of its gateway were still sending.
  const auto& probe = s["devices"]["plant/probe#0"];
  ASSERT_TRUE(probe.contains("stale_since")) << probe.dump();
  EXPECT_NEAR(probe["stale_since"].get<double>() - probe["last_receive"].get<double>(), 3 * probe["period"].get<double>(), 1e-6);
  EXPECT_LT(probe["stale_since"].get<double>(), s["devices"]["plant/machines#0"]["last_receive"].get<double>());
  EXPECT_NE(err.find("alert: stale plant/probe#0"), std::string::npos) << err;
  // The gateway's Will arrived as soon as it crashed: down before staleness could have said so.
  const auto& gw = s["gateways"]["plant/gw-1"];
  EXPECT_EQ(gw["liveness"], "down");
  EXPECT_EQ(gw["status"], "offline");
  EXPECT_LE(gw["down_since"].get<double>(), gw["last_receive"].get<double>() + 3 * 0.25);
  EXPECT_LT(gw["down_since"].get<double>(), s["gateways"]["plant/gw-2"]["last_receive"].get<double>());
  EXPECT_NE(err.find("alert: down plant/gw-1"), std::string::npos) << err;
  EXPECT_EQ(s["gateways"]["plant/gw-2"]["liveness"], "live");
}

/// Retained messages a subscriber gets at once: topic -> payload (mosquitto_sub --retained-only).
std::map<std::string, std::string> retained(const TempDir& d, const Mosquitto& broker, const std::vector<std::string>& filters) {
  std::vector<std::string> argv = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(broker.port()), "-v",
                                   "--retained-only", "-W", "2"};
  for (const auto& f : filters) argv.insert(argv.end(), {"-t", f});
  Process sub(argv, d / "retained.out", d / "retained.err");
  sub.wait(30);
  std::map<std::string, std::string> out;
  std::istringstream in(sub.out());
  for (std::string line; std::getline(in, line);) {
    const auto sp = line.find(' ');
    out[line.substr(0, sp)] = sp == std::string::npos ? "" : line.substr(sp + 1);
  }
  return out;
}

TEST(LiveBridge, PerEntityRetainedStateReachesALateSubscriberAndLeftoversAreCleared) {
  TempDir d;
  Mosquitto broker(d);
  const std::string prefix = "edgetwin/twin/twin-small";
  // Retained state an earlier run left for a device this twin has never seen.
  const std::string ghost = prefix + "/state/device/plant/ghost%231";
  Process pub({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(broker.port()), "-r", "-q", "1", "-t", ghost,
               "-m", R"({"accepted": 1})"},
              d / "pub.out", d / "pub.err");
  ASSERT_EQ(pub.wait(30), 0) << pub.err();
  ASSERT_EQ(retained(d, broker, {ghost}).count(ghost), 1u);

  TwinProcess twin(d, fixture("twin-small.json"), broker.url());
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  const json report = run_emulator(d, fixture("twin-small.json"), broker.url(), {"--speed", "5"});
  ASSERT_FALSE(report.is_null());
  const auto published = report["published"].get<std::uint64_t>();
  ASSERT_TRUE(wait_for([&] { return twin.accepted() >= published; })) << twin.accepted() << " of " << published;
  // Everything applied; wait until no device state is pending (published every 100 ms here).
  ASSERT_TRUE(wait_for([&] {
    const json s = twin.read();
    return !s.is_null() && s["bridge"].value("entity_pending", 1) == 0 && s["bridge"].value("retained_cleared", 0) == 1;
  })) << twin.read()["bridge"].dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // A subscriber that arrives now gets each entity's state at once, from retained messages.
  const auto got = retained(d, broker, {prefix + "/state/#", prefix + "/topology"});
  ASSERT_TRUE(twin.p->terminate() == 0) << twin.p->err();
  const json state = twin.read();
  EXPECT_EQ(got.count(ghost), 0u) << "the leftover of an entity this twin does not have is cleared";
  std::size_t devices = 0;
  for (auto it = report["devices"].begin(); it != report["devices"].end(); ++it) {
    // "plant/meters#3" -> .../state/device/plant/meters%233
    std::string name = it.key();
    name.replace(name.find('#'), 1, "%23");
    const auto topic = prefix + "/state/device/" + name;
    ASSERT_EQ(got.count(topic), 1u) << topic;
    const json j = json::parse(got.at(topic));
    EXPECT_EQ(j["accepted"].get<std::uint64_t>(), it.value()["published"].get<std::uint64_t>()) << topic;
    EXPECT_EQ(j["missing"], 0) << topic;
    EXPECT_EQ(j["group"], state["devices"][it.key()]["group"]);
    ++devices;
  }
  EXPECT_EQ(devices, 10u);
  for (const char* gw : {"plant/gw-1", "plant/gw-2"}) {
    const auto topic = prefix + "/state/gateway/" + gw;
    ASSERT_EQ(got.count(topic), 1u) << topic;
    EXPECT_EQ(json::parse(got.at(topic))["received"], state["gateways"][gw]["received"]) << topic;
    EXPECT_EQ(json::parse(got.at(topic))["status"], "online");
  }
  for (const char* g : {"plant/meters", "plant/machines"}) {
    const auto topic = prefix + "/state/group/" + g;
    ASSERT_EQ(got.count(topic), 1u) << topic;
    EXPECT_EQ(json::parse(got.at(topic))["accepted"], state["groups"][g]["accepted"]) << topic;
  }
  EXPECT_EQ(got.count(prefix + "/state/broker/broker-1"), 1u) << "$SYS mirrored into broker-1";
  ASSERT_EQ(got.count(prefix + "/topology"), 1u);
  const json topo = json::parse(got.at(prefix + "/topology"));
  EXPECT_EQ(topo["format"], "edgetwin-twin-topology");
  EXPECT_EQ(topo["devices_seen"], 10);
  EXPECT_EQ(topo["sites"][0]["groups"][0]["topic"], prefix + "/state/group/plant/meters");
  EXPECT_EQ(topo["sites"][0]["groups"][0]["devices_seen"], 6);
  EXPECT_GE(state["bridge"]["entity_publishes"].get<std::uint64_t>(), 16u) << "10 devices, 2 gateways, 2 groups, a broker, the topology";
}

TEST(LiveBridge, RetainedEntityStateIsPublishedAgainAfterABrokerRestartThatLostIt) {
  TempDir d;
  Mosquitto broker(d);  // no persistence: a restart loses every retained message
  const std::string prefix = "edgetwin/twin/twin-small";
  TwinProcess twin(d, fixture("twin-small.json"), broker.url());
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  const json report = run_emulator(d, fixture("twin-small.json"), broker.url(), {"--speed", "5"});
  ASSERT_FALSE(report.is_null());
  const auto published = report["published"].get<std::uint64_t>();
  ASSERT_TRUE(wait_for([&] { return twin.accepted() >= published; }));
  ASSERT_TRUE(wait_for([&] { return twin.read()["bridge"].value("entity_pending", 1) == 0; }));
  broker.stop();
  broker.start();
  ASSERT_TRUE(wait_for([&] {
    const json s = twin.read();
    return !s.is_null() && s["connection"].size() == 1 && s["connection"][0].contains("restored_at") &&
           s["bridge"].value("entity_pending", 1) == 0;
  }, 60)) << twin.read().dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto got = retained(d, broker, {prefix + "/state/#", prefix + "/topology"});
  ASSERT_EQ(twin.p->terminate(), 0) << twin.p->err();
  std::size_t devices = 0;
  for (const auto& [topic, payload] : got) devices += topic.rfind(prefix + "/state/device/", 0) == 0;
  EXPECT_EQ(devices, 10u);
  EXPECT_EQ(got.count(prefix + "/state/group/plant/meters"), 1u);
  EXPECT_EQ(got.count(prefix + "/topology"), 1u);
  EXPECT_EQ(json::parse(got.at(prefix + "/state/device/plant/meters%230"))["accepted"],
            report["devices"]["plant/meters#0"]["published"]);
}

TEST(LiveBridge, OutOfOrderDuplicatesAndMalformedPayloads) {
  TempDir d;
  Mosquitto broker(d);
  TwinProcess twin(d, fixture("twin-small.json"), broker.url());
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  mqtt::async_client pub("tcp://127.0.0.1:" + std::to_string(broker.port()), "test-publisher");
  pub.connect()->wait();
  auto send = [&](const std::string& payload) { pub.publish("plant/meters/0/up", payload.data(), payload.size(), 1, false)->wait(); };
  auto up = [&](int seq, double v) { send(json({{"ts", 1000.0 + seq}, {"seq", seq}, {"v", v}}).dump()); };
  up(1, 1);
  up(3, 3);
  up(2, 2);  // out of order
  up(3, 33);  // duplicate
  up(5, 5);
  send("{this is not json");
  send(R"({"ts": "soon", "seq": 6})");
  send(R"({"seq": 7})");
  send(std::string("{\"ts\": 1007, \"seq\": 7, \"v\": \"\xFF\xFE\"}"));
  send(std::string(70 * 1024, 'x'));
  up(6, 6);
  pub.disconnect()->wait();
  EXPECT_TRUE(wait_for([&] {
    const auto s = twin.read();
    return !s.is_null() && s["rules"]["traffic-plant/meters"].value("matched", 0) >= 11;
  }));
  ASSERT_EQ(twin.p->terminate(), 0);
  const json s = twin.read();
  const auto& dev = s["devices"]["plant/meters#0"];
  EXPECT_EQ(dev["accepted"], 5);
  EXPECT_EQ(dev["duplicates"], 1);
  EXPECT_EQ(dev["late"], 1);
  EXPECT_EQ(dev["missing"], 1) << "seq 4 never came";
  EXPECT_EQ(dev["value"], 6.0) << "the newest sample wins, not the last delivered";
  const auto& rule = s["rules"]["traffic-plant/meters"];
  EXPECT_EQ(rule["malformed_total"], 5) << rule.dump();
  EXPECT_EQ(rule["malformed"]["invalid_json"], 1);
  EXPECT_EQ(rule["malformed"]["wrong_type:timestamp"], 1);
  EXPECT_EQ(rule["malformed"]["missing_field:timestamp"], 1);
  EXPECT_EQ(rule["malformed"]["invalid_utf8"], 1);
  EXPECT_EQ(rule["malformed"]["oversize"], 1);
  EXPECT_EQ(rule["last_malformed"].size(), 5u);
}

/// A test CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl now.
void make_certificates(const TempDir& d) {
  write_text(d / "san.ext", "subjectAltName=IP:127.0.0.1\n");
  const std::string q = "cd '" + d.path.string() + "' && ";
  const std::string cmd =
      q + "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj '/CN=EdgeTwin test CA' "
          ">openssl.log 2>&1 && "
          "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' >>openssl.log 2>&1 && "
          "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 "
          "-extfile san.ext >>openssl.log 2>&1 && "
          "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=edgetwin-twin' >>openssl.log 2>&1 && "
          "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 1 "
          ">>openssl.log 2>&1 && chmod 644 *.key";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_text(d / "openssl.log");
  ASSERT_EQ(std::system(("mosquitto_passwd -b -c '" + (d / "passwd") + "' twin 'correct horse' >/dev/null 2>&1").c_str()), 0);
  ASSERT_EQ(std::system(("chmod 644 '" + (d / "passwd") + "'").c_str()), 0);
}

TEST(LiveBridge, TlsWithClientCertificateAndPasswordWorksAndAWrongPasswordIsAClearError) {
  TempDir d;
  make_certificates(d);
  const std::string tls = "cafile " + (d / "ca.crt") + "\ncertfile " + (d / "server.crt") + "\nkeyfile " +
                          (d / "server.key") + "\nrequire_certificate true\nallow_anonymous false\npassword_file " +
                          (d / "passwd") + "\n";
  Mosquitto broker(d, tls);
  write_text(d / "pw", "correct horse\n");
  const std::vector<std::string> creds = {"--ca-file", d / "ca.crt", "--cert", d / "client.crt", "--key",
                                          d / "client.key", "--username", "twin"};
  std::vector<std::string> twin_args = creds;
  twin_args.insert(twin_args.end(), {"--password-file", d / "pw"});
  TwinProcess twin(d, fixture("twin-small.json"), broker.url("mqtts"), twin_args);
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  std::vector<std::string> emu_args = creds;
  emu_args.insert(emu_args.end(), {"--password-env", "EDGETWIN_TEST_PASSWORD", "--speed", "10", "--duration", "2s"});
  const json report = run_emulator(d, fixture("twin-small.json"), broker.url("mqtts"), emu_args,
                                   {"EDGETWIN_TEST_PASSWORD=correct horse"});
  ASSERT_FALSE(report.is_null());
  EXPECT_TRUE(wait_for([&] { return twin.accepted() >= report["published"].get<std::uint64_t>(); }));
  ASSERT_EQ(twin.p->terminate(), 0);
  expect_counts_equal(report, twin.read());
  EXPECT_EQ(twin.p->err().find("correct horse"), std::string::npos) << "the password is never logged";

  write_text(d / "bad", "battery staple\n");
  std::vector<std::string> bad = creds;
  bad.insert(bad.end(), {"--password-file", d / "bad"});
  TwinProcess wrong(d, fixture("twin-small.json"), broker.url("mqtts"), bad, {}, "wrong");
  EXPECT_EQ(wrong.p->wait(60), 4);
  const std::string err = wrong.p->err();
  EXPECT_NE(err.find("bad user name or password"), std::string::npos) << err;
  EXPECT_EQ(err.find("battery staple"), std::string::npos) << "the password is never logged";

  Process plain({bridge_binary(), "twin", fixture("twin-small.json"), "--broker", broker.url("mqtts"), "--password",
                 "x"},
                d / "plain.out", d / "plain.err");
  EXPECT_EQ(plain.wait(30), 2);
  EXPECT_NE(plain.err().find("--password-file"), std::string::npos);
}

TEST(LiveBridge, WhatIfOnARunningTwinReturnsADrillReportAndPredictionsAreCompared) {
  TempDir d;
  Mosquitto broker(d);
  TwinProcess twin(d, fixture("twin-small.json"), broker.url(),
                   {"--predict-every", "500ms", "--horizon", "5s", "--work-dir", d / "work"});
  ASSERT_TRUE(twin.ready()) << twin.p->err();
  run_emulator(d, fixture("twin-small.json"), broker.url(), {"--speed", "10"});
  ASSERT_TRUE(wait_for([&] { return twin.accepted() >= 70; }));

  Process ask({bridge_binary(), "whatif", "--broker", broker.url(), "--fail", "broker-2", "--for", "2s", "--horizon",
               "6s", "--timeout", "120s"},
              d / "ask.out", d / "ask.err");
  const int rc = ask.wait(150);
  const json answer = json::parse(ask.out(), nullptr, false);
  ASSERT_FALSE(answer.is_discarded()) << ask.out() << ask.err();
  ASSERT_TRUE(answer.value("status", "") == "ok" || answer.value("status", "") == "unsupported") << answer.dump(1);
  EXPECT_EQ(answer["request"]["fail"], "broker-2");
  EXPECT_TRUE(answer["baseline"]["groups"].contains("plant/meters")) << answer.dump(1);
  if (answer["status"] == "ok") {
    EXPECT_EQ(rc, 0);
    EXPECT_TRUE(answer.contains("impact"));
  } else {
    // This edgetwin refuses fault scripts (the broker-cluster failover models have not landed):
    // the twin says so clearly and still returns the baseline from the calibrated state.
    EXPECT_EQ(answer["status"], "unsupported") << answer.dump(1);
    EXPECT_EQ(rc, 1);
    EXPECT_NE(answer.value("message", "").find("fault"), std::string::npos);
  }

  Process bad({bridge_binary(), "whatif", "--broker", broker.url(), "--twin", "twin-small", "--fail", "broker-9"},
              d / "bad.out", d / "bad.err");
  EXPECT_EQ(bad.wait(60), 1);
  EXPECT_NE(bad.out().find("no entity \\\"broker-9\\\""), std::string::npos) << bad.out();

  EXPECT_TRUE(wait_for([&] { return twin.read().contains("prediction"); }, 60));
  const json prediction = twin.read()["prediction"];
  EXPECT_TRUE(prediction["groups"]["plant/machines"].contains("rate")) << prediction.dump(1);
  EXPECT_TRUE(prediction["groups"]["plant/machines"].contains("latency.p99"));
  EXPECT_TRUE(prediction.contains("diverged"));
  twin.p->terminate();
}

}  // namespace
