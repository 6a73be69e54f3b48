// Unit parser: every unit family, SI vs IEC multiples, and rejection of malformed quantities.
#include <gtest/gtest.h>

#include "models/core/units.hpp"

using edgetwin::models::units::Kind;
using edgetwin::models::units::parse;

TEST(Units, Durations) {
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "40ms"), 0.040);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "1.5s"), 1.5);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "250us"), 250e-6);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "2min"), 120.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "1h"), 3600.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "1d"), 86400.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, " 3 s "), 3.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::duration, "1e-3s"), 1e-3);
}

TEST(Units, DataSizesSiAndIec) {
  EXPECT_DOUBLE_EQ(*parse(Kind::data_size, "2KiB"), 2048.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::data_size, "2kB"), 2000.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::data_size, "1MiB"), 1048576.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::data_size, "24B"), 24.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::data_size, "16bit"), 2.0);
}

TEST(Units, BandwidthsInBytesPerSecond) {
  EXPECT_DOUBLE_EQ(*parse(Kind::bandwidth, "250kbps"), 31250.0);
  EXPECT_DOUBLE_EQ(*parse(Kind::bandwidth, "1Gbps"), 125e6);
  EXPECT_DOUBLE_EQ(*parse(Kind::bandwidth, "125MBps"), 125e6);
  EXPECT_DOUBLE_EQ(*parse(Kind::bandwidth, "5.47kbps"), 683.75);
}

TEST(Units, FlopsAndSpeeds) {
  EXPECT_DOUBLE_EQ(*parse(Kind::flops, "1.5Gf"), 1.5e9);
  EXPECT_DOUBLE_EQ(*parse(Kind::flops, "20kf"), 2e4);
  EXPECT_DOUBLE_EQ(*parse(Kind::cpu_speed, "2Gf"), 2e9);
  EXPECT_DOUBLE_EQ(*parse(Kind::cpu_speed, "2Gf/s"), 2e9);
  EXPECT_FALSE(parse(Kind::flops, "2Gf/s"));
}

TEST(Units, RatiosAndOthers) {
  EXPECT_DOUBLE_EQ(*parse(Kind::ratio, "1%"), 0.01);
  EXPECT_DOUBLE_EQ(*parse(Kind::ratio, "0.25"), 0.25);
  EXPECT_DOUBLE_EQ(*parse(Kind::frequency, "868.1MHz"), 868.1e6);
  EXPECT_DOUBLE_EQ(*parse(Kind::power_dbm, "14dBm"), 14.0);
}

TEST(Units, RejectsMalformed) {
  EXPECT_FALSE(parse(Kind::cpu_speed, "fast"));
  EXPECT_FALSE(parse(Kind::duration, "40"));       // a unit is required
  EXPECT_FALSE(parse(Kind::duration, "40 parsecs"));
  EXPECT_FALSE(parse(Kind::duration, "ms"));
  EXPECT_FALSE(parse(Kind::duration, ""));
  EXPECT_FALSE(parse(Kind::duration, "nan s"));
  EXPECT_FALSE(parse(Kind::duration, "inf s"));
  EXPECT_FALSE(parse(Kind::data_size, "2KiB extra"));
  EXPECT_FALSE(parse(Kind::bandwidth, "10Mb"));   // a size, not a rate
  EXPECT_TRUE(parse(Kind::duration, "-5s"));       // parses; ranges are the loader's job
}
