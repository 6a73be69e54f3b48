// `edgetwin drill`: one child run per target with a crash added, ranked by impact; drill.json written.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace {
std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}
}  // namespace

TEST(Drill, KillsEachBrokerAndRanksThem) {
  const auto dir = std::filesystem::temp_directory_path() / ("drill-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin drill " + EDGETWIN_SOURCE_DIR +
                          "/scenarios/failover-broker.json --kill-each broker,lb --at 100s --for 30s -j 2 --set " +
                          "'/faults=[]' --out " + dir.string() + " > " + (dir / "out.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp((dir / "out.txt").string());
  const auto report = nlohmann::json::parse(slurp((dir / "drill.json").string()));
  const auto& ranking = report["ranking"];
  ASSERT_EQ(ranking.size(), 4u);  // three brokers and the load balancer
  // Losing the load balancer cuts every gateway off: it must rank first.
  EXPECT_EQ(ranking[0]["target"], "lb");
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    EXPECT_EQ(ranking[i]["rank"], i + 1);
    EXPECT_TRUE(ranking[i]["completed"].get<bool>());
    if (i > 0) {
      EXPECT_GE(ranking[i - 1]["lost"].get<double>(), ranking[i]["lost"].get<double>());
    }
  }
  for (const auto& r : ranking)
    if (r["kind"] == "broker") {
      EXPECT_DOUBLE_EQ(r["detection_s"].get<double>(), 15.0);
      EXPECT_EQ(r["fault"]["lost"]["qos1"], 0);
    }
  EXPECT_NE(slurp((dir / "out.txt").string()).find("ranked by impact"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Drill, BadArguments) {
  const std::string base = std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin drill " + EDGETWIN_SOURCE_DIR +
                           "/scenarios/failover-broker.json ";
  EXPECT_EQ(WEXITSTATUS(std::system((base + "--kill-each routers >/dev/null 2>&1").c_str())), 2);
  EXPECT_EQ(WEXITSTATUS(std::system((base + ">/dev/null 2>&1").c_str())), 2);
  EXPECT_EQ(WEXITSTATUS(std::system((base + "--kill-each broker --at 1h >/dev/null 2>&1").c_str())), 2);
}

TEST(Drill, LeavesTheScenariosOwnFaultsOutUnlessAskedToKeepThem) {
  // failover-broker.json scripts its own broker crash; a drill ranks each target's crash alone, so
  // by default the result equals a drill of the same scenario with its faults removed by hand.
  const auto dir = std::filesystem::temp_directory_path() / ("drill-own-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string base = std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin drill " + EDGETWIN_SOURCE_DIR +
                           "/scenarios/failover-broker.json --kill-each lb --at 200s --for 30s -j 2 ";
  auto drill = [&](const std::string& extra, const std::string& name) {
    const std::string out = (dir / name).string();
    const std::string cmd = base + extra + " --out " + out + " > " + out + ".txt 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << slurp(out + ".txt");
    return nlohmann::json::parse(slurp(out + "/drill.json"))["ranking"];
  };
  const auto by_default = drill("", "default");
  const auto cleared = drill("--set '/faults=[]'", "cleared");
  const auto kept = drill("--keep-faults", "kept");
  EXPECT_NE(slurp((dir / "default.txt").string()).find("fault(s) are left out"), std::string::npos);
  EXPECT_EQ(by_default, cleared);
  // Kept, the scenario's own broker-2 crash (120 s, before the load balancer's at 200 s) adds its losses.
  EXPECT_GT(kept[0]["lost"].get<double>(), by_default[0]["lost"].get<double>());
  std::filesystem::remove_all(dir);
}

TEST(Drill, PodKindCrashesAContainerOfEachPaasService) {
  // node-failure.json has one paas service (ingest, 5 pods): one run, its container crash restarted by
  // the restart policy (no --for), ranked next to the worker nodes.
  const auto dir = std::filesystem::temp_directory_path() / ("drill-pod-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin drill " + EDGETWIN_SOURCE_DIR +
                          "/scenarios/node-failure.json --kill-each pod,node --at 60s --for 100s -j 2 --out " +
                          dir.string() + " > " + (dir / "out.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp((dir / "out.txt").string());
  const auto ranking = nlohmann::json::parse(slurp((dir / "drill.json").string()))["ranking"];
  ASSERT_EQ(ranking.size(), 4u);  // three workers and the ingest service's pods
  int pods = 0;
  for (const auto& r : ranking) {
    EXPECT_TRUE(r["completed"].get<bool>()) << r["target"];
    if (r["kind"] != "pod") continue;
    ++pods;
    EXPECT_EQ(r["target"], "ingest");
    EXPECT_EQ(r["fault"]["for"], 0);  // no --for: the restart policy ends it
  }
  EXPECT_EQ(pods, 1);
  // Losing w2 (two of the five pods) costs more than one container restarting in 15 s.
  EXPECT_EQ(ranking[0]["target"], "cloud/w2");
  std::filesystem::remove_all(dir);
}
