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
    if (i > 0) EXPECT_GE(ranking[i - 1]["lost"].get<double>(), ranking[i]["lost"].get<double>());
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
