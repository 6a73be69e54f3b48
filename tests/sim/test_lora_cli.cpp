// `edgetwin lora airtime` reproduces every published time-on-air value of references/lora.md to
// the microsecond (the first output line, in ms with three decimals), and reports regional limits.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

using namespace edgetwin::test;

namespace {
struct Row {
  std::vector<std::string> args;
  std::string first_line;
};
}  // namespace

TEST(LoraAirtimeCli, ReproducesPublishedValues) {
  const std::vector<Row> rows = {
      // avbentem/airtime-calculator (LDRO only SF11/12 at 125 kHz).
      {{"--payload", "14", "--sf", "7"}, "46.336 ms"},
      {{"--payload", "16", "--sf", "7"}, "51.456 ms"},
      {{"--payload", "25", "--sf", "7"}, "61.696 ms"},
      {{"--payload", "14", "--sf", "7", "--bw", "250"}, "23.168 ms"},
      {{"--payload", "25", "--sf", "7", "--bw", "250"}, "30.848 ms"},
      {{"--payload", "14", "--sf", "7", "--cr", "4/8"}, "61.696 ms"},
      {{"--payload", "25", "--sf", "7", "--cr", "4/8"}, "86.272 ms"},
      {{"--payload", "16", "--sf", "7", "--bw", "250", "--cr", "4/8"}, "34.944 ms"},
      {{"--payload", "14", "--sf", "8"}, "82.432 ms"},
      {{"--payload", "25", "--sf", "8"}, "113.152 ms"},
      {{"--payload", "14", "--sf", "11", "--ldro", "sf11-12"}, "659.456 ms"},
      {{"--payload", "25", "--sf", "11", "--ldro", "sf11-12"}, "823.296 ms"},
      // signetlabdei/lorawan (ns-3) TimeOnAirTest.
      {{"--payload", "10", "--sf", "7", "--ldro", "off"}, "41.216 ms"},
      {{"--payload", "10", "--sf", "8", "--ldro", "off"}, "72.192 ms"},
      {{"--payload", "10", "--sf", "8", "--cr", "4/6", "--implicit-header", "--ldro", "off"}, "78.336 ms"},
      {{"--payload", "10", "--sf", "8", "--cr", "4/6", "--preamble", "10", "--implicit-header", "--ldro", "off"},
       "82.432 ms"},
      {{"--payload", "10", "--sf", "10", "--cr", "4/6", "--preamble", "10", "--implicit-header", "--ldro", "on"},
       "280.576 ms"},
      {{"--payload", "10", "--sf", "10", "--bw", "500", "--cr", "4/6", "--preamble", "10", "--implicit-header", "--ldro",
        "on"},
       "70.144 ms"},
      {{"--payload", "10", "--sf", "10", "--bw", "500", "--cr", "4/6", "--preamble", "10", "--ldro", "on"},
       "82.432 ms"},
      {{"--payload", "10", "--sf", "12", "--bw", "500", "--cr", "4/6", "--ldro", "on"}, "264.192 ms"},
      {{"--payload", "50", "--sf", "12", "--bw", "500", "--cr", "4/6", "--ldro", "on"}, "657.408 ms"},
      {{"--payload", "50", "--sf", "12", "--cr", "4/6", "--ldro", "on"}, "2629.632 ms"},
      {{"--payload", "50", "--sf", "12", "--ldro", "on"}, "2301.952 ms"},
  };
  for (const auto& row : rows) {
    std::vector<std::string> args = {"lora", "airtime"};
    args.insert(args.end(), row.args.begin(), row.args.end());
    const auto r = run_edgetwin(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.substr(0, r.out.find('\n')), row.first_line) << "args: " << ::testing::PrintToString(row.args);
  }
}

TEST(LoraAirtimeCli, RegionReportsDutyCycleAndPayloadLimit) {
  // EU868 DR5 = SF7/125; 14-byte PHY payload = 46.336 ms; 1 % sub-band: off for 99 x ToA = 4.587 s.
  const auto r = run_edgetwin({"lora", "airtime", "--region", "EU868", "--dr", "5", "--payload", "14"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "46.336 ms");
  EXPECT_NE(r.out.find("4.587"), std::string::npos) << r.out;
  // An application payload over DR0's 51 bytes is reported.
  const auto big = run_edgetwin({"lora", "airtime", "--region", "EU868", "--dr", "0", "--app-payload", "60"});
  EXPECT_NE((big.out + big.err).find("51"), std::string::npos) << big.out << big.err;
}

TEST(LoraAirtimeCli, BadArgumentsExit2) {
  EXPECT_EQ(run_edgetwin({"lora", "airtime", "--sf", "13", "--payload", "10"}).exit_code, 2);
  EXPECT_EQ(run_edgetwin({"lora", "airtime", "--payload", "ten"}).exit_code, 2);
  EXPECT_EQ(run_edgetwin({"lora", "airtime"}).exit_code, 2);
  EXPECT_EQ(run_edgetwin({"lora", "airtime", "--help"}).exit_code, 0);
}
