// tests/models/test_downlink.cpp — downlink reachability: LoRaWAN class A waits for the next uplink's RX1/RX2, class B
// for the next ping slot (checked against a brute-force enumeration of slots), class C and always-on links at once,
// PSM devices for their next wake-up and eDRX devices for their next paging occasion.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "models/core/rng.hpp"
#include "models/radio/downlink.hpp"

namespace radio = edgetwin::models::radio;
using edgetwin::models::Rng;
using radio::DownlinkWindow;

TEST(DownlinkClassA, OnlyInTheWindowsAfterAnUplink) {
  // Uplink ends at 100 s: RX1 opens at 101 s, RX2 at 102 s (RECEIVE_DELAY1/2 = 1/2 s).
  auto s = radio::class_a_downlink(50.0, 100.0, 0.0);
  ASSERT_TRUE(s.ok);
  EXPECT_DOUBLE_EQ(s.time_s, 101.0);
  EXPECT_EQ(s.window, DownlinkWindow::rx1);
  // Ready exactly when RX1 opens: still this uplink.
  EXPECT_TRUE(radio::class_a_downlink(101.0, 100.0, 0.0).ok);
  // Ready after RX1 opened: too late for this uplink.
  EXPECT_FALSE(radio::class_a_downlink(101.5, 100.0, 0.0).ok);
  // Gateway busy (duty cycle) at RX1 but free by RX2: RX2.
  s = radio::class_a_downlink(50.0, 100.0, 101.5);
  ASSERT_TRUE(s.ok);
  EXPECT_DOUBLE_EQ(s.time_s, 102.0);
  EXPECT_EQ(s.window, DownlinkWindow::rx2);
  // Gateway busy past RX2: no chance with this uplink.
  EXPECT_FALSE(radio::class_a_downlink(50.0, 100.0, 103.0).ok);
}

TEST(DownlinkClassA, WaitsForTheNextUplink) {
  // Uplinks end at 100 + 900 k.
  auto s = radio::class_a_next_downlink(101.5, 100.0, 900.0, 0.0);  // missed RX1 of the first: next uplink
  ASSERT_TRUE(s.ok);
  EXPECT_DOUBLE_EQ(s.time_s, 1001.0);
  EXPECT_EQ(s.window, DownlinkWindow::rx1);
  s = radio::class_a_next_downlink(0.0, 100.0, 900.0, 0.0);  // ready early: first uplink
  EXPECT_DOUBLE_EQ(s.time_s, 101.0);
  s = radio::class_a_next_downlink(101.5, 100.0, 900.0, 1001.5);  // gateway busy at RX1 of the second: its RX2
  EXPECT_DOUBLE_EQ(s.time_s, 1002.0);
  EXPECT_EQ(s.window, DownlinkWindow::rx2);
  s = radio::class_a_next_downlink(101.5, 100.0, 900.0, 1003.0);  // busy past RX2 too: third uplink, RX1
  EXPECT_DOUBLE_EQ(s.time_s, 1901.0);
  EXPECT_EQ(s.window, DownlinkWindow::rx1);
  // Delay grows with the uplink period: a rarely-reporting device is reached late.
  Rng rng(1, "class-a");
  for (int i = 0; i < 1000; ++i) {
    const double ready = rng.uniform(0.0, 1e5);
    const auto r = radio::class_a_next_downlink(ready, 100.0, 900.0, 0.0);
    ASSERT_TRUE(r.ok);
    EXPECT_GE(r.time_s, ready);
    EXPECT_LE(r.time_s, ready + 900.0 + 1e-6);
    EXPECT_NEAR(std::fmod(r.time_s - 101.0, 900.0), 0.0, 1e-6);
  }
}

TEST(DownlinkClassB, PingSlotLayout) {
  radio::ClassBParams p;
  p.periodicity = 7;
  EXPECT_EQ(radio::class_b_ping_nb(p), 1);
  EXPECT_EQ(radio::class_b_ping_period_slots(p), 4096);
  p.periodicity = 0;
  EXPECT_EQ(radio::class_b_ping_nb(p), 128);
  EXPECT_EQ(radio::class_b_ping_period_slots(p), 32);  // a slot every 0.96 s
  p.periodicity = 5;
  EXPECT_EQ(radio::class_b_ping_nb(p), 4);
  for (std::int64_t b = 0; b < 100; ++b) {
    const int off = radio::class_b_ping_offset(p, b);
    EXPECT_GE(off, 0);
    EXPECT_LT(off, radio::class_b_ping_period_slots(p));
  }
}

TEST(DownlinkClassB, WaitsForTheNextPingSlot) {
  // Brute force: every slot of beacons b-1..b+2, smallest one >= max(ready, gateway_free).
  for (int periodicity : {0, 3, 7}) {
    radio::ClassBParams p;
    p.periodicity = periodicity;
    p.device_key = 0xABCDEFu + static_cast<std::uint64_t>(periodicity);
    p.beacon_epoch_s = 16.0;
    Rng rng(9, "class-b");
    for (int i = 0; i < 500; ++i) {
      const double ready = rng.uniform(0.0, 5000.0);
      const double gw = rng.chance(0.3) ? ready + rng.uniform(0.0, 60.0) : 0.0;
      const double t = std::max(ready, gw);
      const auto b0 = static_cast<std::int64_t>(std::floor((t - p.beacon_epoch_s) / 128.0));
      double best = std::numeric_limits<double>::infinity();
      for (std::int64_t b = b0 - 1; b <= b0 + 2; ++b) {
        const int off = radio::class_b_ping_offset(p, b);
        for (int n = 0; n < radio::class_b_ping_nb(p); ++n) {
          const double slot =
              p.beacon_epoch_s + b * 128.0 + 2.120 + (off + n * radio::class_b_ping_period_slots(p)) * 0.030;
          if (slot >= t && slot < best) best = slot;
        }
      }
      const auto s = radio::class_b_next_ping_slot(ready, gw, p);
      ASSERT_TRUE(s.ok);
      EXPECT_EQ(s.window, DownlinkWindow::ping_slot);
      EXPECT_NEAR(s.time_s, best, 1e-9) << "periodicity " << periodicity << " t " << t;
      // Every slot lies in the beacon window [beacon + 2.12 s, beacon + 2.12 + 122.88 s).
      double in_period = std::fmod(s.time_s - p.beacon_epoch_s, 128.0);
      if (in_period < 0.0) in_period += 128.0;  // slots before the epoch belong to earlier beacons
      EXPECT_GE(in_period, 2.120 - 1e-9);
      EXPECT_LT(in_period, 2.120 + 122.88);
    }
  }
  // The slot period shortens the wait: mean wait with 128 slots per beacon is far below one beacon period.
  radio::ClassBParams fast;
  fast.periodicity = 0;
  Rng rng(10, "class-b-wait");
  double wait = 0.0;
  for (int i = 0; i < 2000; ++i) {
    const double t = rng.uniform(0.0, 1e5);
    wait += radio::class_b_next_ping_slot(t, 0.0, fast).time_s - t;
  }
  EXPECT_LT(wait / 2000.0, 1.0);
}

TEST(DownlinkClassC, AtOnceUnlessTheGatewayIsBusy) {
  auto s = radio::class_c_downlink(50.0, 0.0);
  EXPECT_TRUE(s.ok);
  EXPECT_DOUBLE_EQ(s.time_s, 50.0);
  EXPECT_EQ(s.window, DownlinkWindow::continuous);
  EXPECT_DOUBLE_EQ(radio::class_c_downlink(50.0, 60.0).time_s, 60.0);
  EXPECT_DOUBLE_EQ(radio::always_on_downlink(12.5).time_s, 12.5);
  // Class C is never later than class A for the same command (class A needs an uplink).
  EXPECT_LT(radio::class_c_downlink(101.5, 0.0).time_s, radio::class_a_next_downlink(101.5, 100.0, 900.0, 0.0).time_s);
}

TEST(DownlinkCellular, PsmWaitsForTheNextWakeAndEdrxForThePagingOccasion) {
  const auto psm = radio::default_psm_config();  // T3324 60 s, T3412 1 day, DRX 2.56 s
  // Command 10 s after the uplink ended at 0: inside the active time, next paging occasion 10.24 s.
  auto s = radio::psm_downlink(10.0, 0.0, 900.0, psm);
  ASSERT_TRUE(s.ok);
  EXPECT_NEAR(s.time_s, 10.24, 1e-12);
  // Command after the active time: waits for the device's next uplink at 900 s.
  s = radio::psm_downlink(120.0, 0.0, 900.0, psm);
  EXPECT_DOUBLE_EQ(s.time_s, 900.0);
  // PSM without eDRX is much later than eDRX for the same command.
  const auto edrx = radio::default_edrx_config();
  const auto e = radio::edrx_downlink(120.0, edrx);
  EXPECT_TRUE(e.ok);
  EXPECT_NEAR(e.time_s, 2 * 81.92, 1e-12);
  EXPECT_LT(e.time_s, s.time_s);
  // No TAU and no uplink: unreachable.
  radio::PsmConfig never = psm;
  never.t3412_s = 0.0;
  EXPECT_FALSE(radio::psm_downlink(120.0, 0.0, std::numeric_limits<double>::infinity(), never).ok);
}
