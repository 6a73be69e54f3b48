// tests/models/test_sigfox.cpp — Sigfox airtime, payload limits, quotas and repetition success (lora.md, Sigfox).
#include <gtest/gtest.h>

#include <cmath>

#include "models/core/rng.hpp"
#include "models/radio/sigfox.hpp"

namespace radio = edgetwin::models::radio;

TEST(Sigfox, PayloadLimits) {
  for (int b = 0; b <= 12; ++b) EXPECT_FALSE(radio::check_sigfox_uplink_payload(b));
  const auto e = radio::check_sigfox_uplink_payload(13);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "Sigfox uplink payload must be 0..12 bytes, got 13");
  EXPECT_TRUE(radio::check_sigfox_uplink_payload(-1));
  EXPECT_FALSE(radio::check_sigfox_downlink_payload(8));
  EXPECT_TRUE(radio::check_sigfox_downlink_payload(9));
}

TEST(Sigfox, AirtimeAbout6SecondsInRc1) {
  // 112 overhead bits + 96 payload bits at 100 bit/s = 2.08 s per repetition; 3 repetitions ≈ 6 s (lora.md).
  EXPECT_DOUBLE_EQ(radio::sigfox_frame_airtime_s(12), 2.08);
  EXPECT_DOUBLE_EQ(radio::sigfox_frame_airtime_s(0), 1.12);
  EXPECT_DOUBLE_EQ(radio::sigfox_message_airtime_s(12), 6.24);
  EXPECT_NEAR(radio::sigfox_message_airtime_s(12), 6.0, 0.3);
  radio::SigfoxParams rc2;
  rc2.bit_rate_bps = 600;
  rc2.inter_repetition_gap_s = 0.5;
  EXPECT_NEAR(radio::sigfox_message_airtime_s(12, rc2), 3 * 208 / 600.0 + 1.0, 1e-12);
}

TEST(Sigfox, RepetitionSuccess) {
  EXPECT_DOUBLE_EQ(radio::sigfox_message_success(0.0), 1.0);
  EXPECT_DOUBLE_EQ(radio::sigfox_message_success(1.0), 0.0);
  EXPECT_NEAR(radio::sigfox_message_success(0.1), 0.999, 1e-12);
  EXPECT_NEAR(radio::sigfox_message_success(0.5), 0.875, 1e-12);
  EXPECT_NEAR(radio::sigfox_message_success(0.5, 1), 0.5, 1e-12);
  // Monte Carlo check of 1 − p^3 with independent repetition losses.
  edgetwin::models::Rng rng(3, "sigfox");
  int ok = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    ok += (!rng.chance(0.4) || !rng.chance(0.4) || !rng.chance(0.4)) ? 1 : 0;
  }
  const double p = radio::sigfox_message_success(0.4);
  EXPECT_NEAR(static_cast<double>(ok) / n, p, 3 * std::sqrt(p * (1 - p) / n));
}

TEST(Sigfox, DailyQuotas) {
  radio::SigfoxQuota q;
  int sent = 0;
  for (int i = 0; i < 200; ++i) sent += q.try_uplink(100.0 + i) ? 1 : 0;
  EXPECT_EQ(sent, 140);
  EXPECT_EQ(q.uplinks_today(500.0), 140);
  EXPECT_FALSE(q.try_uplink(86399.0));
  EXPECT_DOUBLE_EQ(radio::SigfoxQuota::next_day_s(500.0), 86400.0);
  EXPECT_TRUE(q.try_uplink(86400.0));  // a new day
  EXPECT_EQ(q.uplinks_today(86401.0), 1);
  int down = 0;
  for (int i = 0; i < 10; ++i) down += q.try_downlink(90000.0 + i) ? 1 : 0;
  EXPECT_EQ(down, 4);
  EXPECT_EQ(q.downlinks_today(90000.0), 4);
  EXPECT_EQ(q.downlinks_today(2 * 86400.0), 0);
}
