// Runs stopped early: `--time-limit` and SIGINT end the run cleanly, write every results file, and
// mark them partial (manifest, summary verdict, JUnit), with their own exit codes (4 and 130).
#include <gtest/gtest.h>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

void expect_partial(const std::string& out, const std::string& reason) {
  const json manifest = read_json(out + "/manifest.json");
  const json summary = read_json(out + "/summary.json");
  EXPECT_TRUE(manifest.at("partial").get<bool>());
  EXPECT_TRUE(summary.at("partial").get<bool>());
  EXPECT_EQ(summary.at("stop_reason"), reason);
  EXPECT_EQ(summary.at("verdict"), "partial");
  // Stopped well before the end of the (two-hour) scenario (which needs a minute or more of wall
  // time); how far it got depends on the machine's load, so only the bound is checked.
  EXPECT_LT(summary.at("simulated_end").get<double>(), 7200.0);
  const auto& t = summary.at("totals");
  EXPECT_LE(t.at("delivered").get<std::uint64_t>(), t.at("expected_deliveries").get<std::uint64_t>());
  for (const char* f : {"groups.csv", "nodes.csv", "links.csv", "timeseries.csv"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
}
}  // namespace

TEST(PartialRun, TimeLimitStopsWithPartialResults) {
  TempDir dir;
  auto r = run_edgetwin({"run", source_path("scenarios/smart-factory.json"), "--out", dir / "r", "--quiet",
                         "--set", "duration=\"2h\"", "--time-limit", "3s", "--junit", dir / "junit.xml"});
  ASSERT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("results are partial"), std::string::npos) << r.err;
  expect_partial(dir / "r", "time-limit");
  const std::string junit = read_text(dir / "junit.xml");
  EXPECT_NE(junit.find("type=\"PartialRun\""), std::string::npos) << junit;
}

TEST(PartialRun, TimeLimitRejectsBadValues) {
  TempDir dir;
  for (const char* bad : {"0", "-3s", "soon"}) {
    auto r = run_edgetwin({"run", source_path("scenarios/smart-factory.json"), "--out", dir / "r", "--time-limit", bad});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--time-limit expects a positive duration"), std::string::npos) << r.err;
  }
}

TEST(PartialRun, SigintStopsWithPartialResults) {
  TempDir dir;
  // Start a two-hour run, wait for its first progress line (it is simulating), then Ctrl-C it.
  const std::string out = dir / "r", err = dir / "err";
  const std::string script =
      shell_quote(edgetwin_binary()) + " run " + shell_quote(source_path("scenarios/smart-factory.json")) +
      " --out " + shell_quote(out) + " --set 'duration=\"2h\"' >/dev/null 2>" + shell_quote(err) +
      " & pid=$!; i=0; while ! grep -q simulated " + shell_quote(err) +
      " 2>/dev/null; do i=$((i+1)); [ $i -gt 1200 ] && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo $?";
  FILE* p = ::popen(("sh -c " + shell_quote(script)).c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[64] = {0};
  const bool got = std::fgets(buf, sizeof buf, p) != nullptr;
  ::pclose(p);
  ASSERT_TRUE(got);
  EXPECT_EQ(std::atoi(buf), 130) << read_text(err);
  expect_partial(out, "interrupted");
}

TEST(PartialRun, CompleteRunIsNotPartial) {
  TempDir dir;
  auto r = run_edgetwin({"run", source_path("scenarios/analytic-single-device.json"), "--out", dir / "r", "--quiet",
                         "--time-limit", "10min"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(read_json(dir / "r/manifest.json").at("partial").get<bool>());
  EXPECT_FALSE(read_json(dir / "r/summary.json").at("partial").get<bool>());
}
