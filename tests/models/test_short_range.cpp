// tests/models/test_short_range.cpp — short-range / wired access: per-hop overheads derived from the standards'
// constants (by hand here), delivery (1-p)^hops, latency hops x (per hop + bytes/rate) + BLE connection wait.
#include <gtest/gtest.h>

#include <cmath>

#include "models/core/rng.hpp"
#include "models/radio/short_range.hpp"

namespace radio = edgetwin::models::radio;
using edgetwin::models::Rng;

TEST(ShortRange, ZigbeePerHopFromIeee802154Constants) {
  const auto z = radio::zigbee_profile(3);
  // Symbol 16 us, byte 32 us. Mean initial backoff 3.5 x 320 us = 1120 us; CCA 128 us; turnaround 192 us;
  // 25 B of PHY/MAC/NWK overhead = 800 us; turnaround 192 us; ACK 11 B = 352 us. Sum = 2784 us.
  EXPECT_NEAR(z.per_hop_latency_s, 1120e-6 + 128e-6 + 192e-6 + 800e-6 + 192e-6 + 352e-6, 1e-12);
  EXPECT_NEAR(z.per_hop_latency_s, 2.784e-3, 1e-12);
  // 20 B over 3 hops: 3 x (2.784 ms + 160 bit / 250 kbit/s = 0.64 ms) = 10.272 ms.
  EXPECT_NEAR(radio::short_range_latency_s(z, 20.0), 10.272e-3, 1e-12);
  // (1 - 0.01)^3 = 0.970299.
  EXPECT_NEAR(radio::delivery_probability(z), 0.970299, 1e-12);
  // More hops: lower delivery, higher latency, linearly.
  const auto z6 = radio::zigbee_profile(6);
  EXPECT_NEAR(radio::delivery_probability(z6), std::pow(0.99, 6), 1e-12);
  EXPECT_NEAR(radio::short_range_latency_s(z6, 20.0), 2.0 * radio::short_range_latency_s(z, 20.0), 1e-12);
}

TEST(ShortRange, BleConnectionIntervalWaitIsUniform) {
  const auto b1 = radio::ble_profile(false, 0.030);
  const auto b2 = radio::ble_profile(true, 0.030);
  // 1M: 17 B x 8 us + 150 us + 10 B x 8 us + 150 us = 516 us; 2M: 18 B x 4 us + 150 + 11 B x 4 us + 150 = 416 us.
  EXPECT_NEAR(b1.per_hop_latency_s, 516e-6, 1e-12);
  EXPECT_NEAR(b2.per_hop_latency_s, 416e-6, 1e-12);
  const double base1 = 516e-6 + 160.0 / 1e6;
  EXPECT_NEAR(radio::short_range_latency_s(b1, 20.0), base1, 1e-12);
  EXPECT_NEAR(radio::short_range_mean_latency_s(b1, 20.0), base1 + 0.015, 1e-12);
  EXPECT_LT(radio::short_range_latency_s(b2, 20.0), radio::short_range_latency_s(b1, 20.0));
  // Samples: in [base, base + interval), mean base + interval/2 within 4 standard errors (sd = interval/sqrt(12)).
  Rng rng(3, "ble");
  const int n = 20000;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const auto o = radio::sample_short_range(b1, 20.0, rng);
    EXPECT_GE(o.latency_s, base1);
    EXPECT_LT(o.latency_s, base1 + 0.030);
    sum += o.latency_s;
  }
  const double se = 0.030 / std::sqrt(12.0) / std::sqrt(static_cast<double>(n));
  EXPECT_NEAR(sum / n, base1 + 0.015, 4.0 * se);
}

TEST(ShortRange, SampledDeliveryMatchesProbability) {
  auto z = radio::zigbee_profile(5);
  z.loss_per_hop = 0.05;
  const double p = std::pow(0.95, 5);  // 0.7737809375
  Rng rng(5, "zigbee");
  const int n = 50000;
  int ok = 0;
  for (int i = 0; i < n; ++i) ok += radio::sample_short_range(z, 20.0, rng).delivered ? 1 : 0;
  const double se = std::sqrt(p * (1.0 - p) / n);
  EXPECT_NEAR(static_cast<double>(ok) / n, p, 4.0 * se);
}

TEST(ShortRange, WifiIqrfAndWiredProfiles) {
  const auto w = radio::wifi_profile();
  // DIFS 28 + backoff 67.5 + preamble 36 + 70 B at 65 Mbit/s + SIFS 10 + ACK (20 + 112 bit / 24 Mbit/s) + AP 1000 us.
  EXPECT_NEAR(w.per_hop_latency_s, (28 + 67.5 + 36 + 10 + 20 + 1000) * 1e-6 + 560.0 / 65e6 + 112.0 / 24e6, 1e-12);
  const auto i = radio::iqrf_profile(3);
  EXPECT_NEAR(radio::short_range_latency_s(i, 20.0), 3.0 * (0.040 + 160.0 / 19200.0), 1e-12);
  const auto g = radio::wired_gpio_profile();
  EXPECT_DOUBLE_EQ(radio::delivery_probability(g), 1.0);
  EXPECT_NEAR(radio::short_range_latency_s(g, 20.0), 10e-6 + 160e-6, 1e-15);
  // Near-zero wired < Wi-Fi < BLE mean < ZigBee 3 hops < IQRF 3 hops, for 20 B.
  EXPECT_LT(radio::short_range_latency_s(g, 20.0), radio::short_range_latency_s(w, 20.0));
  EXPECT_LT(radio::short_range_latency_s(w, 20.0), radio::short_range_mean_latency_s(radio::ble_profile(), 20.0));
  EXPECT_LT(radio::short_range_mean_latency_s(radio::ble_profile(), 20.0) - 0.015,
            radio::short_range_latency_s(radio::zigbee_profile(3), 20.0));
  EXPECT_LT(radio::short_range_latency_s(radio::zigbee_profile(3), 20.0), radio::short_range_latency_s(i, 20.0));
  for (auto t : {radio::ShortRangeTech::zigbee, radio::ShortRangeTech::ble_1m, radio::ShortRangeTech::ble_2m,
                 radio::ShortRangeTech::wifi, radio::ShortRangeTech::iqrf, radio::ShortRangeTech::wired_gpio})
    EXPECT_EQ(radio::short_range_profile(t).tech, t);
}
