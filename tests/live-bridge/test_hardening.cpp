// tests/live-bridge/test_hardening.cpp — issue #9: limits on everything from outside (topic length,
// entities per rule, payload size, recording record size, scenario file size), kill -9 during a
// simulation run and during a recording, credentials never written anywhere, TLS verification on by
// default, and the twin under a least-privilege Mosquitto ACL (real broker on 127.0.0.1).
#include <gtest/gtest.h>

#include <mqtt/async_client.h>

#include <filesystem>

#include "harness.hpp"
#include "live-bridge/recording.hpp"
#include "sim/scenario_loader.hpp"
#include "twin/twin_state.hpp"

namespace {

using namespace edgetwin::test;
using namespace edgetwin;
using nlohmann::json;
namespace fs = std::filesystem;

std::string meter_payload(std::uint64_t seq) {
  return json{{"ts", 1000.0 + static_cast<double>(seq)}, {"seq", seq}, {"v", 1.5}}.dump();
}

std::vector<twin::Alert> limit_alerts(twin::Twin& t) {
  std::vector<twin::Alert> out;
  for (auto& a : t.take_alerts())
    if (a.kind == "limit") out.push_back(std::move(a));
  return out;
}

// ---- limits inside the twin ----------------------------------------------------------------------

TEST(Limits, TopicLengthIsCountedAndReportedOnce) {
  const sim::Scenario sc = sim::load_scenario(fixture("twin-small.json"), {"mapping.max_topic_length=40"});
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  const std::string long_topic = "plant/meters/" + std::string(100, 'x') + "/up";
  t.apply({long_topic, meter_payload(1), 1, false, 1000});
  auto alerts = limit_alerts(t);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].message.find("mapping.max_topic_length = 40"), std::string::npos) << alerts[0].message;
  t.apply({long_topic, meter_payload(2), 1, false, 1001});
  EXPECT_TRUE(limit_alerts(t).empty()) << "reported once, then only counted";
  t.apply({"plant/meters/meters-1/up", meter_payload(3), 1, false, 1002});  // within the limit
  const json s = t.state_json(1003);
  EXPECT_EQ(s["limits"]["mapping.max_topic_length"]["hits"], 2);
  EXPECT_EQ(s["limits"]["mapping.max_topic_length"]["limit"], 40);
  EXPECT_EQ(s["totals"]["devices_seen"], 1) << "dropped topics create nothing";
  EXPECT_EQ(t.limits().hits("mapping.max_topic_length"), 2u);
}

TEST(Limits, EntitiesPerRuleAreBoundedPerRuleAndByDefault) {
  const sim::Scenario sc = sim::load_scenario(fixture("twin-small.json"), {"mapping.max_entities_per_rule=3"});
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  for (int i = 0; i < 5; ++i)
    t.apply({"plant/meters/meters-" + std::to_string(i) + "/up", meter_payload(1), 1, false, 1000.0 + i});
  t.apply({"plant/meters/meters-0/up", meter_payload(2), 1, false, 1010});  // a known device still counts
  const json s = t.state_json(1011);
  const json& rule = s["rules"]["traffic-plant/meters"];
  EXPECT_EQ(rule["entities"], 3);
  EXPECT_EQ(rule["malformed"]["entity_limit"], 2);
  EXPECT_EQ(s["devices"]["plant/meters#meters-0"]["received"], 2);
  const json& lim = s["limits"]["mapping.max_entities_per_rule/traffic-plant/meters"];
  EXPECT_EQ(lim["hits"], 2);
  EXPECT_EQ(lim["limit"], 3);
  EXPECT_EQ(lim["scope"], "traffic-plant/meters");
  ASSERT_EQ(limit_alerts(t).size(), 1u);

  // A rule of its own with max_entities overrides the mapping-wide value.
  const sim::Scenario sc2 = sim::load_scenario(
      fixture("twin-small.json"),
      {R"(mapping.rules=[{"name":"wild","topic":"wild/{device}","device":"{device}","max_entities":1,)"
       R"("payload":{"format":"text"}}])"});
  twin::Twin t2(sc2, twin::mapping_from_scenario(sc2));
  t2.apply({"wild/a", "1", 0, false, 1});
  t2.apply({"wild/b", "1", 0, false, 2});
  EXPECT_EQ(t2.state_json(3)["limits"]["mapping.max_entities_per_rule/wild"]["limit"], 1);
  EXPECT_EQ(t2.devices().size(), 1u);
}

TEST(Limits, PayloadSizeIsMalformedAndReportedAsALimit) {
  const sim::Scenario sc = sim::load_scenario(fixture("twin-small.json"), {"mapping.max_payload=64B"});
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  t.apply({"plant/meters/meters-1/up", std::string(65, '{'), 1, false, 1000});
  const json s = t.state_json(1001);
  EXPECT_EQ(s["rules"]["traffic-plant/meters"]["malformed"]["oversize"], 1);
  EXPECT_EQ(s["limits"]["mapping.max_payload"]["hits"], 1);
  EXPECT_EQ(s["limits"]["mapping.max_payload"]["limit"], 64);
  EXPECT_EQ(limit_alerts(t).size(), 1u);
}

TEST(Limits, MappingLimitsAreValidated) {
  EXPECT_THROW(
      {
        const sim::Scenario sc = sim::load_scenario(fixture("twin-small.json"), {"mapping.max_topic_length=0"});
        (void)twin::mapping_from_scenario(sc);
      },
      sim::ScenarioError);
}

// ---- recording record size -------------------------------------------------------------------------

TEST(Limits, RecordingWriterSkipsRecordsOverItsLimitAndTheReaderStopsAtThem) {
  TempDir d;
  {
    bridge::RecordingWriter w(d / "small.rec", json{{"format", "edgetwin-recording"}}, 1024);
    EXPECT_TRUE(w.append({bridge::Record::message, 1.0, 1, false, "a/b", std::string(500, 'x')}));
    EXPECT_FALSE(w.append({bridge::Record::message, 2.0, 1, false, "a/b", std::string(2000, 'x')}));
    EXPECT_TRUE(w.append({bridge::Record::message, 3.0, 1, false, "a/b", "y"}));
    EXPECT_EQ(w.oversize(), 1u);
    EXPECT_EQ(w.records(), 2u);
  }
  {
    bridge::RecordingReader r(d / "small.rec");
    bridge::Record rec;
    int n = 0;
    while (r.next(rec)) ++n;
    EXPECT_EQ(n, 2);
    EXPECT_EQ(r.end(), bridge::RecordingReader::End::complete);
  }
  {
    bridge::RecordingWriter w(d / "big.rec", json{{"format", "edgetwin-recording"}});
    w.append({bridge::Record::message, 1.0, 1, false, "a/b", std::string(100, 'x')});
    w.append({bridge::Record::message, 2.0, 1, false, "a/b", std::string(5000, 'x')});
    w.append({bridge::Record::message, 3.0, 1, false, "a/b", "z"});
  }
  bridge::RecordingReader r(d / "big.rec", 1024);
  bridge::Record rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.payload.size(), 100u);
  EXPECT_FALSE(r.next(rec));
  EXPECT_EQ(r.end(), bridge::RecordingReader::End::oversize);
  EXPECT_EQ(r.oversize_length(), 5000u + 3u + bridge::kRecordOverhead);
}

TEST(Limits, RecordWhoseTopicLengthWrapsAroundIsCorruptNotARead) {
  // Regression: a checksummed record with topic length 0xFFFFFFFF made 15 + length wrap around.
  bridge::RecordingReader r(source_path("tests/fuzz/crashes/recording/topic-length-wraps-u32"));
  bridge::Record rec;
  EXPECT_FALSE(r.next(rec));
  EXPECT_EQ(r.end(), bridge::RecordingReader::End::corrupt);
}

TEST(Limits, RejectedRecordingsLeakNoFileDescriptor) {
  // Regression (fuzz_recording ended with "Too many open files"): the reader's constructor threw
  // after opening the file, and no destructor closes it then.
  TempDir d;
  write_text(d / "bad.rec", "ETWINREC-not-a-recording");
  write_text(d / "badheader.rec", std::string("ETWINREC\x01\0\0\0\x02\0\0\0{}\0\0\0\0", 22));
  auto open_fds = [] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
    return n;
  };
  const std::size_t before = open_fds();
  for (int i = 0; i < 200; ++i) {
    EXPECT_THROW(bridge::RecordingReader(d / "bad.rec"), std::runtime_error);
    EXPECT_THROW(bridge::RecordingReader(d / "badheader.rec"), std::runtime_error);
  }
  EXPECT_EQ(open_fds(), before);
}

TEST(Limits, ReplayNamesTheRecordLimit) {
  TempDir d;
  {
    bridge::RecordingWriter w(d / "rec.bin", json{{"format", "edgetwin-recording"}});
    w.append({bridge::Record::message, 1000.0, 1, false, "plant/meters/meters-1/up", meter_payload(1)});
    w.append({bridge::Record::message, 1001.0, 1, false, "plant/meters/meters-1/up", std::string(4000, ' ')});
  }
  Process p({bridge_binary(), "replay", d / "rec.bin", fixture("twin-small.json"), "--max-record", "1KiB"},
            d / "out", d / "err");
  ASSERT_EQ(p.wait(), 0) << p.err();
  EXPECT_NE(p.err().find("over the limit recording.max_record = 1024"), std::string::npos) << p.err();
  EXPECT_NE(p.out().find("replayed 1 records"), std::string::npos) << p.out();
  Process bad({bridge_binary(), "replay", d / "rec.bin", fixture("twin-small.json"), "--max-record", "lots"},
              d / "out2", d / "err2");
  EXPECT_EQ(bad.wait(), 2);
  EXPECT_NE(bad.err().find("--max-record expects a data size"), std::string::npos) << bad.err();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST(Limits, LiveTwinCountsLimitHitsInItsStateAndLogsEachLimitOnce) {
  TempDir d;
  Mosquitto broker(d);
  // meters topics "plant/meters/N/up" are 17 bytes, machines topics "plant/machines/N/up" 19: the
  // machines' are over the topic limit. Records: meters 15 + 17 + 96 = 128 bytes, machines
  // 15 + 19 + 128 = 162, over the record limit.
  Process twin({bridge_binary(), "twin", fixture("twin-small.json"), "--broker", broker.url(), "--client-id",
                "limits-twin", "--record", d / "rec.bin", "--max-record", "150B", "--state-out", d / "state.json",
                "--state-every", "100ms", "--set", "mapping.max_topic_length=18", "--set", "mapping.sys_broker=\"\""},
               d / "twin.out", d / "twin.err");
  ASSERT_TRUE(wait_for([&] { return twin.err().find("subscribed") != std::string::npos || !twin.running(); }));
  ASSERT_TRUE(twin.running()) << twin.err();
  Process emu({bridge_binary(), "emulate", fixture("twin-small.json"), "--broker", broker.url(), "--speed", "10",
               "--report", d / "report.json"},
              d / "emu.out", d / "emu.err");
  ASSERT_EQ(emu.wait(120), 0) << emu.err();
  const json report = try_read_json(d / "report.json");
  std::uint64_t meters = 0, machines = 0;
  for (auto it = report["devices"].begin(); it != report["devices"].end(); ++it)
    (it.key().find("machines") != std::string::npos ? machines : meters) += it.value()["published"].get<std::uint64_t>();
  ASSERT_GT(machines, 0u);
  EXPECT_TRUE(wait_for([&] {
    const json st = try_read_json(d / "state.json");
    return !st.is_null() && st["received"].get<std::uint64_t>() >= meters + machines;
  }));
  ASSERT_EQ(twin.terminate(), 0) << twin.err();
  const json st = try_read_json(d / "state.json");
  ASSERT_TRUE(st["limits"].contains("mapping.max_topic_length")) << st["limits"].dump();
  ASSERT_TRUE(st["limits"].contains("recording.max_record")) << st["limits"].dump();
  // Every message but the meters' is over the topic limit: the machines' and the gateways' retained
  // status messages ("site/plant/gw/gw-1/status").
  EXPECT_EQ(st["limits"]["mapping.max_topic_length"]["hits"], st["received"].get<std::uint64_t>() - meters);
  EXPECT_GE(st["limits"]["mapping.max_topic_length"]["hits"], machines);
  EXPECT_EQ(st["limits"]["mapping.max_topic_length"]["limit"], 18);
  EXPECT_EQ(st["limits"]["recording.max_record"]["hits"], machines);
  EXPECT_EQ(st["limits"]["recording.max_record"]["limit"], 150);
  EXPECT_EQ(st["totals"]["accepted"], meters);
  const std::string log = twin.err();
  EXPECT_EQ(count(log, "limit mapping.max_topic_length = 18"), 1u) << log;
  EXPECT_EQ(count(log, "limit recording.max_record = 150"), 1u) << log;
  // The recording holds the meters' messages only, and replays to the same accepted count.
  Process replay({bridge_binary(), "replay", d / "rec.bin", fixture("twin-small.json"), "--state-out", d / "replayed.json",
                  "--set", "mapping.sys_broker=\"\""},
                 d / "replay.out", d / "replay.err");
  ASSERT_EQ(replay.wait(), 0) << replay.err();
  EXPECT_EQ(try_read_json(d / "replayed.json")["totals"]["accepted"], meters);
}

// ---- scenario file size ------------------------------------------------------------------------------

TEST(Limits, ScenarioFileSizeIsAClearErrorWithExit2) {
  TempDir d;
  const std::string scenario = fixture("twin-small.json");
  const auto size = fs::file_size(scenario);
  Process small({edgetwin_binary(), "validate", scenario}, d / "o1", d / "e1", {"EDGETWIN_MAX_SCENARIO_SIZE=1KiB"});
  EXPECT_EQ(small.wait(), 2);
  EXPECT_NE(small.err().find(scenario + ": file is larger than the limit max_scenario_size = 1024 bytes"),
            std::string::npos)
      << small.err();
  Process bridge({bridge_binary(), "replay", d / "none.rec", scenario}, d / "o2", d / "e2",
                 {"EDGETWIN_MAX_SCENARIO_SIZE=1KiB"});
  EXPECT_EQ(bridge.wait(), 2);
  EXPECT_NE(bridge.err().find("max_scenario_size = 1024"), std::string::npos) << bridge.err();
  Process enough({edgetwin_binary(), "validate", scenario}, d / "o3", d / "e3",
                 {"EDGETWIN_MAX_SCENARIO_SIZE=" + std::to_string(size) + "B"});
  EXPECT_EQ(enough.wait(), 0) << enough.err();
  Process garbage({edgetwin_binary(), "validate", scenario}, d / "o4", d / "e4", {"EDGETWIN_MAX_SCENARIO_SIZE=big"});
  EXPECT_EQ(garbage.wait(), 2);
  EXPECT_NE(garbage.err().find("EDGETWIN_MAX_SCENARIO_SIZE: expected a data size"), std::string::npos) << garbage.err();
}

// ---- kill -9 --------------------------------------------------------------------------------------------

TEST(KillNine, RunKilledMidRunLeavesAFolderThatDoesNotReadAsComplete) {
  TempDir d;
  const std::string out = d / "results";
  // A complete run first: the folder then has a manifest.
  Process first({edgetwin_binary(), "run", fixture("twin-small.json"), "--out", out, "--quiet"}, d / "o1", d / "e1");
  ASSERT_EQ(first.wait(300), 0) << first.err();
  ASSERT_TRUE(fs::exists(out + "/manifest.json"));
  // The same folder again, with a run far too long to finish: the old manifest must go before the
  // simulation starts (that is what the test waits for), and nothing may bring it back when killed.
  Process run({edgetwin_binary(), "run", fixture("twin-small.json"), "--out", out, "--quiet", "--set",
               "duration=250h", "--set", "platform.sites.0.device_groups.0.count=20000"},
              d / "o2", d / "e2");
  ASSERT_TRUE(wait_for([&] { return !fs::exists(out + "/manifest.json") || !run.running(); }, 300));
  ASSERT_TRUE(run.running()) << "the long run ended on its own: " << run.err();
  run.signal(SIGKILL);
  EXPECT_EQ(run.wait(60), 128 + SIGKILL);
  EXPECT_FALSE(fs::exists(out + "/manifest.json")) << "a killed run must not read as complete";
  for (const auto& e : fs::directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos)
        << "temporary files are renamed or absent, never half-written under the final name: " << e.path();
}

TEST(KillNine, TwinKilledWhileRecordingReplaysUpToTheLastCompleteRecordDeterministically) {
  TempDir d;
  Mosquitto broker(d);
  const std::string rec = d / "rec.bin";
  Process twin({bridge_binary(), "twin", fixture("twin-small.json"), "--broker", broker.url(), "--record", rec,
                "--client-id", "kill-twin", "--no-publish"},
               d / "twin.out", d / "twin.err");
  ASSERT_TRUE(wait_for([&] { return twin.err().find("subscribed") != std::string::npos || !twin.running(); }));
  ASSERT_TRUE(twin.running()) << twin.err();
  // Emulate for long enough that the twin is killed while messages keep coming.
  Process emu({bridge_binary(), "emulate", fixture("twin-small.json"), "--broker", broker.url(), "--speed", "20",
               "--duration", "1h"},
              d / "emu.out", d / "emu.err");
  // The recording is flushed every second: wait until it holds a good number of records.
  auto size = [&] { return fs::exists(rec) ? fs::file_size(rec) : 0; };
  ASSERT_TRUE(wait_for([&] { return size() > 20000 || !twin.running(); }, 120)) << twin.err();
  ASSERT_TRUE(twin.running()) << twin.err();
  twin.signal(SIGKILL);
  EXPECT_EQ(twin.wait(60), 128 + SIGKILL);
  emu.terminate();
  // Whatever the kill left, the reader gives complete records only and says how it ended.
  std::uint64_t n = 0;
  std::string end;
  {
    bridge::RecordingReader r(rec);
    bridge::Record x;
    while (r.next(x)) {
      ++n;
      EXPECT_TRUE(x.type != bridge::Record::message || x.topic.rfind("plant/", 0) == 0 ||
                  x.topic.rfind("site/plant/", 0) == 0 || x.topic.rfind("$SYS", 0) == 0)
          << x.topic;
    }
    EXPECT_NE(r.end(), bridge::RecordingReader::End::corrupt);
    EXPECT_NE(r.end(), bridge::RecordingReader::End::oversize);
    EXPECT_LE(r.end_offset(), fs::file_size(rec));
  }
  EXPECT_GT(n, 100u);
  // Replay twice: same state file, byte for byte.
  std::string states[2];
  for (int i = 0; i < 2; ++i) {
    const std::string out = d / ("state-" + std::to_string(i) + ".json");
    Process replay({bridge_binary(), "replay", rec, fixture("twin-small.json"), "--state-out", out},
                   d / ("replay" + std::to_string(i) + ".out"), d / ("replay" + std::to_string(i) + ".err"));
    ASSERT_EQ(replay.wait(120), 0) << replay.err();
    EXPECT_NE(replay.out().find("replayed " + std::to_string(n) + " records"), std::string::npos) << replay.out();
    states[i] = read_text(out);
  }
  EXPECT_FALSE(states[0].empty());
  EXPECT_EQ(states[0], states[1]) << "replay is deterministic";
  EXPECT_GT(json::parse(states[0])["totals"]["accepted"].get<std::uint64_t>(), 50u);
}

// ---- security of the live side -----------------------------------------------------------------------

/// CA + server certificate for 127.0.0.1, made by openssl now; and a Mosquitto password file.
void make_tls(const TempDir& d) {
  write_text(d / "san.ext", "subjectAltName=IP:127.0.0.1\n");
  const std::string cmd =
      "cd '" + d.path.string() +
      "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj '/CN=EdgeTwin test CA' "
      ">openssl.log 2>&1 && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
      "-subj '/CN=127.0.0.1' >>openssl.log 2>&1 && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key "
      "-CAcreateserial -out server.crt -days 1 -extfile san.ext >>openssl.log 2>&1 && chmod 644 *.key";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_text(d / "openssl.log");
}

TEST(Security, TlsVerifiesTheServerByDefault) {
  TempDir d;
  make_tls(d);
  Mosquitto broker(d, "cafile " + (d / "ca.crt") + "\ncertfile " + (d / "server.crt") + "\nkeyfile " +
                          (d / "server.key") + "\n");
  // No --ca-file: the server certificate (signed by a CA nobody trusts) must be refused.
  Process untrusted({bridge_binary(), "twin", fixture("twin-small.json"), "--broker", broker.url("mqtts"),
                     "--client-id", "untrusted", "--no-publish"},
                    d / "u.out", d / "u.err");
  EXPECT_EQ(untrusted.wait(120), 4) << untrusted.err();
  EXPECT_NE(untrusted.err().find("over TLS"), std::string::npos) << untrusted.err();
  // With the CA it connects; --insecure (tests only) connects without verification.
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--ca-file", d / "ca.crt"}, std::vector<std::string>{"--insecure"}}) {
    std::vector<std::string> argv = {bridge_binary(), "twin", fixture("twin-small.json"), "--broker",
                                     broker.url("mqtts"), "--no-publish", "--client-id", "ok-" + extra[0]};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process ok(argv, d / ("ok" + extra[0] + ".out"), d / ("ok" + extra[0] + ".err"));  // fresh files per run
    EXPECT_TRUE(wait_for([&] { return ok.err().find("subscribed") != std::string::npos || !ok.running(); }, 60));
    EXPECT_TRUE(ok.running()) << extra[0] << ": " << ok.err();
    EXPECT_EQ(ok.terminate(), 0) << extra[0] << ": " << ok.err();
  }
}

/// Every regular file under `dir` (recursively) and the given extra files, as one string each.
bool found_anywhere(const std::string& secret, const std::vector<std::string>& files, const std::string& dir,
                    std::string& where) {
  std::vector<std::string> all = files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) all.push_back(e.path().string());
  for (const auto& f : all)
    if (read_text(f).find(secret) != std::string::npos) {
      where = f;
      return true;
    }
  return false;
}

TEST(Security, TheTwinUnderALeastPrivilegeAclWorksAndTheBrokerDeniesEverythingElse) {
  TempDir d;
  const std::string secret = "s3cret-Tw1n-pw";
  ASSERT_EQ(std::system(("mosquitto_passwd -b -c '" + (d / "passwd") + "' twin '" + secret + "' >/dev/null 2>&1 && "
                         "mosquitto_passwd -b '" + (d / "passwd") + "' emu emu-pw >/dev/null 2>&1 && "
                         "mosquitto_passwd -b '" + (d / "passwd") + "' ops ops-pw >/dev/null 2>&1 && chmod 644 '" +
                         (d / "passwd") + "'")
                            .c_str()),
            0);
  // What the twin needs and nothing more: read the scenario's device topics and the gateway status
  // topics, write (and read its what-if requests) under its own prefix. $SYS is not granted: the
  // mapping's sys_broker rule is switched off below.
  const std::string prefix = "acme/twins/plant";
  write_text(d / "acl",
             "user twin\n"
             "topic read plant/+/+/up\n"
             "topic read site/+/gw/+/status\n"
             "topic readwrite " + prefix + "/#\n"
             "\nuser emu\n"
             "topic write plant/#\n"
             "topic write site/#\n"
             "\nuser ops\n"
             "topic read " + prefix + "/#\n");
  ASSERT_EQ(std::system(("chmod 644 '" + (d / "acl") + "'").c_str()), 0);
  Mosquitto broker(d, "allow_anonymous false\npassword_file " + (d / "passwd") + "\nacl_file " + (d / "acl") +
                          "\nlog_type debug\n");
  write_text(d / "pw", secret + "\n");

  // An operator watching the twin's output topics.
  mqtt::async_client ops(broker.url("tcp"), "ops", mqtt::create_options(MQTTVERSION_5));
  ops.start_consuming();
  ops.connect(mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).user_name("ops").password("ops-pw").finalize())
      ->wait();
  ops.subscribe(prefix + "/state", 1)->wait();

  const std::vector<std::string> sets = {"--set", "mapping.sys_broker=\"\""};  // JSON "": no $SYS rule
  std::vector<std::string> argv = {bridge_binary(), "twin", fixture("twin-small.json"), "--broker", broker.url(),
                                   "--username", "twin", "--password-file", d / "pw", "--topic-prefix", prefix,
                                   "--client-id", "twin-acl", "--record", d / "rec.bin", "--state-out",
                                   d / "state.json", "--state-every", "100ms", "--calibrate-out",
                                   d / "calibrated.json", "--work-dir", d / "work"};
  argv.insert(argv.end(), sets.begin(), sets.end());
  fs::create_directories(d / "work");
  Process twin(argv, d / "twin.out", d / "twin.err");
  ASSERT_TRUE(wait_for([&] { return twin.err().find("subscribed") != std::string::npos || !twin.running(); }))
      << twin.err();
  ASSERT_TRUE(twin.running()) << twin.err();
  Process emu({bridge_binary(), "emulate", fixture("twin-small.json"), "--broker", broker.url(), "--username", "emu",
               "--password-env", "EMU_PW", "--speed", "10", "--duration", "2s", "--report", d / "report.json"},
              d / "emu.out", d / "emu.err", {"EMU_PW=emu-pw"});
  ASSERT_EQ(emu.wait(120), 0) << emu.err();
  const auto published = try_read_json(d / "report.json")["published"].get<std::uint64_t>();
  // The twin works under the ACL: it receives everything and its state reaches the operator.
  EXPECT_TRUE(wait_for([&] {
    const json s = try_read_json(d / "state.json");
    return !s.is_null() && s["totals"].value("accepted", std::uint64_t{0}) >= published;
  })) << read_text(d / "state.json");
  mqtt::const_message_ptr state_msg;
  EXPECT_TRUE(wait_for([&] {
    mqtt::const_message_ptr m;
    while (ops.try_consume_message(&m))
      if (m && m->get_topic() == prefix + "/state") state_msg = m;
    return state_msg != nullptr;
  })) << "the twin's state under its own prefix reaches a subscriber";

  // The same credentials outside the allowed topics: the broker denies the publish (MQTT 5 PUBACK
  // reason 135, not authorized) and says so in its log.
  mqtt::async_client as_twin(broker.url("tcp"), "twin-intruder", mqtt::create_options(MQTTVERSION_5));
  as_twin.connect(
             mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).user_name("twin").password(secret).finalize())
      ->wait();
  int reason = 0;
  try {
    auto tok = as_twin.publish(mqtt::make_message("edgetwin/twin/plant/state", "forged", 1, false));
    tok->wait();
    reason = tok->get_reason_code();
  } catch (const mqtt::exception& e) {
    reason = e.get_reason_code();
  }
  EXPECT_EQ(reason, mqtt::ReasonCode::NOT_AUTHORIZED);
  as_twin.disconnect()->wait();
  EXPECT_TRUE(wait_for([&] { return broker.log().find("Denied PUBLISH from twin-intruder") != std::string::npos; }))
      << broker.log();

  ASSERT_EQ(twin.terminate(), 0) << twin.err();
  ops.disconnect()->wait();

  // The password is nowhere: not in the twin's output, recording, state, calibrated scenario, work
  // folder, nor in what the emulator printed (its password came from the environment).
  std::string where;
  EXPECT_FALSE(found_anywhere(secret, {d / "twin.out", d / "twin.err"}, d / "work", where)) << where;
  EXPECT_FALSE(found_anywhere(secret, {d / "rec.bin", d / "state.json", d / "calibrated.json"}, d / "work", where))
      << where;
  EXPECT_FALSE(found_anywhere("emu-pw", {d / "emu.out", d / "emu.err", d / "report.json"}, d / "work", where)) << where;
  EXPECT_TRUE(fs::exists(d / "rec.bin"));
  EXPECT_TRUE(fs::exists(d / "calibrated.json"));
}

}  // namespace
