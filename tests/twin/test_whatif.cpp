// tests/twin/test_whatif.cpp — what-if requests, the job runner's child runs (with stand-in
// simulators: one that refuses fault scripts as today's edgetwin does, one that runs them), drill
// reports, and calibrated scenarios accepted by the scenario loader.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "sim/scenario_loader.hpp"
#include "twin/calibration.hpp"
#include "twin/twin_state.hpp"
#include "twin/whatif.hpp"

namespace {

using namespace edgetwin;
using nlohmann::json;

struct Dir {
  std::filesystem::path path;
  Dir() {
    std::string t = (std::filesystem::temp_directory_path() / "edgetwin-whatif-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& n) const { return (path / n).string(); }
};

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

/// A stand-in for `edgetwin run FILE --out DIR --quiet` that copies a canned summary.
/// A stand-in for `edgetwin run`: writes summary.json and then, as the real one does, manifest.json
/// last (unless `manifest` is false: what a run killed before its end leaves).
std::string fake_edgetwin(const Dir& d, bool refuse_faults, bool manifest = true) {
  const json base = {{"duration", 10.0}, {"warmup", 0.0}, {"simulated_end", 10.0},
                     {"totals", {{"delivery_ratio", 1.0}}},
                     {"groups", {{"plant/meters", {{"sent", 60}, {"delivered", 60}, {"delivery_ratio", 1.0},
                                                   {"lost", {{"total", 0}}}, {"latency", {{"p99", 0.02}}}}}}},
                     {"nodes", {{"broker-2", {{"utilization", 0.3}, {"queue_peak", 3}}}}}};
  json faulted = base;
  faulted["totals"]["delivery_ratio"] = 0.5;
  faulted["groups"]["plant/meters"]["delivered"] = 30;
  faulted["groups"]["plant/meters"]["delivery_ratio"] = 0.5;
  faulted["groups"]["plant/meters"]["lost"]["total"] = 30;
  faulted["nodes"]["broker-2"]["utilization"] = 0.0;
  write(d / "base.json", base.dump());
  write(d / "faulted.json", faulted.dump());
  const std::string script = d / (refuse_faults ? "edgetwin-refuse" : "edgetwin-faults");
  write(script, "#!/bin/sh\nf=\"$2\"; out=\"$4\"; mkdir -p \"$out\"\n"
                "if grep -q '\"faults\"' \"$f\"; then\n" +
                    std::string(refuse_faults ? "  echo \"$f: /faults: fault scripts are validated but not executed by this version\" >&2; exit 2\n"
                                              : "  cp '" + (d / "faulted.json") + "' \"$out/summary.json\"; " +
                                                    (manifest ? "echo '{}' > \"$out/manifest.json\"; " : "") + "exit 0\n") +
                    "fi\ncp '" + (d / "base.json") + "' \"$out/summary.json\"\n" +
                    (manifest ? "echo '{}' > \"$out/manifest.json\"\n" : ""));
  ::chmod(script.c_str(), 0755);
  return script;
}

twin::JobResult run_job(const std::string& edgetwin, const std::string& work, twin::Job job) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<twin::JobResult> got;
  {
    twin::JobRunner runner(edgetwin, work, 60, [&](twin::JobResult r) {
      std::lock_guard<std::mutex> l(mu);
      got = std::move(r);
      cv.notify_all();
    });
    runner.submit(std::move(job));
    std::unique_lock<std::mutex> l(mu);
    cv.wait_for(l, std::chrono::seconds(60), [&] { return got.has_value(); });
  }
  EXPECT_TRUE(got.has_value());
  return got.value_or(twin::JobResult{});
}

sim::Scenario fixture() {
  return sim::load_scenario(std::string(EDGETWIN_SOURCE_DIR) + "/tests/live-bridge/fixtures/twin-small.json");
}

TEST(WhatIf, ParsesRequests) {
  const auto r = twin::parse_whatif_request({{"fail", "broker-2"}, {"for", "120s"}, {"horizon", "5min"}});
  EXPECT_EQ(r.target, "broker-2");
  EXPECT_EQ(r.action, "crash");
  EXPECT_EQ(r.duration, 120);
  EXPECT_EQ(r.horizon, 300);
  EXPECT_THROW(twin::parse_whatif_request({{"for", "1s"}}), std::invalid_argument);
  EXPECT_THROW(twin::parse_whatif_request({{"fail", "x"}, {"for", 120}}), std::invalid_argument);
  EXPECT_THROW(twin::parse_whatif_request({{"fail", "x"}, {"action", "explode"}}), std::invalid_argument);
  EXPECT_THROW(twin::parse_whatif_request({{"fail", "x"}, {"fro", "1s"}}), std::invalid_argument);
  const auto sc = fixture();
  EXPECT_EQ(twin::check_target(sc, "broker-2"), "");
  EXPECT_EQ(twin::check_target(sc, "plant/gw-1"), "");
  EXPECT_EQ(twin::check_target(sc, "backhaul-1"), "");
  EXPECT_NE(twin::check_target(sc, "broker-9"), "");
  const json f = twin::faulted_scenario({{"name", "x"}, {"duration", "60s"}}, r, 60);
  EXPECT_EQ(f["faults"][0]["target"], "broker-2");
  EXPECT_EQ(f["faults"][0]["for"], "120s");
  EXPECT_EQ(f["faults"][0]["at"], "75s") << "a quarter into the 300 s horizon";
}

twin::Job whatif_job(const twin::Twin& t) {
  twin::Job job;
  job.kind = twin::Job::Kind::whatif;
  job.id = 1;
  job.horizon = 10;
  job.request = twin::parse_whatif_request({{"fail", "broker-2"}, {"for", "5s"}});
  job.scenario = twin::calibrated_scenario(t, 100, {10});
  job.reply = {{"topic", "x"}};
  return job;
}

TEST(WhatIf, DegradesCleanlyWhenTheSimulatorRefusesFaults) {
  Dir d;
  const auto sc = fixture();
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  t.apply({"plant/meters/0/up", R"({"ts": 99.9, "seq": 1, "v": 1})", 1, false, 100});
  const auto r = run_job(fake_edgetwin(d, true), d / "work", whatif_job(t));
  EXPECT_EQ(r.status, "unsupported");
  EXPECT_NE(r.report.value("message", "").find("fault scripts"), std::string::npos) << r.report.dump(1);
  EXPECT_NE(r.report.value("error", "").find("/faults"), std::string::npos);
  EXPECT_EQ(r.report["baseline"]["groups"]["plant/meters"]["delivery_ratio"], 1.0);
  EXPECT_FALSE(r.report.contains("impact"));
}

TEST(WhatIf, ResultsWithoutManifestAreRefusedAsIncomplete) {
  Dir d;
  const auto sc = fixture();
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  t.apply({"plant/meters/0/up", R"({"ts": 99.9, "seq": 1, "v": 1})", 1, false, 100});
  const auto r = run_job(fake_edgetwin(d, false, false), d / "work", whatif_job(t));
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.report.dump().find("has no manifest.json: the run's results are incomplete"), std::string::npos)
      << r.report.dump(1);
  EXPECT_FALSE(r.report.contains("impact"));
}

TEST(WhatIf, DrillReportWhenFaultsRun) {
  Dir d;
  const auto sc = fixture();
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  t.apply({"plant/meters/0/up", R"({"ts": 99.9, "seq": 1, "v": 1})", 1, false, 100});
  const auto r = run_job(fake_edgetwin(d, false), d / "work", whatif_job(t));
  ASSERT_EQ(r.status, "ok") << r.report.dump(1);
  const auto& g = r.report["impact"]["groups"]["plant/meters"];
  EXPECT_EQ(g["delivery_ratio"]["delta"], -0.5);
  EXPECT_EQ(g["lost"]["faulted"], 30);
  EXPECT_EQ(r.report["impact"]["ranked"][0]["group"], "plant/meters");
  EXPECT_EQ(r.report["impact"]["nodes"]["broker-2"]["utilization"]["delta"], -0.3);
  // The faulted fork really carried the fault.
  const json faulted = json::parse(std::ifstream(d / "work/job-1/faulted/scenario.json"));
  EXPECT_EQ(faulted["faults"][0]["target"], "broker-2");
}

TEST(WhatIf, MissingSimulatorIsAClearFailure) {
  Dir d;
  const auto sc = fixture();
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  t.apply({"plant/meters/0/up", R"({"ts": 99.9, "seq": 1, "v": 1})", 1, false, 100});
  const auto r = run_job(d / "no-such-edgetwin", d / "work", whatif_job(t));
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.report.value("error", "").find("cannot execute"), std::string::npos) << r.report.dump(1);
}

TEST(Calibration, ScenarioFromObservationIsValidAndCarriesWhatWasSeen) {
  const auto sc = fixture();
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  // 3 of 6 meters seen, every 2 s, 40-byte payloads... with gateway timestamps (access tier).
  for (int k = 0; k < 3; ++k)
    for (int s = 1; s <= 10; ++s) {
      const double ts = 1000 + 2.0 * s + 0.1 * k;
      json p = {{"ts", ts}, {"gw_ts", ts + 0.010}, {"seq", s}, {"v", 1}};
      std::string payload = p.dump();
      payload.resize(120, ' ');
      t.apply({"plant/meters/" + std::to_string(k) + "/up", payload, 1, false, ts + 0.030});
    }
  const json doc = twin::calibrated_scenario(t, 1030, {42});
  EXPECT_EQ(doc["duration"], "42s");
  EXPECT_FALSE(doc.contains("faults"));
  const auto& group = doc["platform"]["sites"][0]["device_groups"][0];
  EXPECT_EQ(group["count"], 3);
  const auto& traffic = doc["workload"]["traffic"][0];
  EXPECT_EQ(traffic["payload"], "120B");
  // Periodic with 50 ms jitter: mean interval 2 s = period + jitter / 2.
  EXPECT_NEAR(models::units::parse(models::units::Kind::duration, traffic["period"].get<std::string>()).value(), 1.975, 1e-6);
  EXPECT_TRUE(doc["mapping"]["observed"]["groups"]["plant/meters"].contains("tiers"));
  EXPECT_EQ(doc["workload"]["traffic"][1]["period"], "500ms") << "unobserved groups keep their declaration";
  // The loader accepts it, mapping included.
  const auto loaded = sim::scenario_from_json(doc);
  EXPECT_EQ(loaded.find_group("plant/meters")->count, 3u);
  EXPECT_NO_THROW(twin::mapping_from_scenario(loaded));
}

}  // namespace
