// tests/models/test_lorawan_region.cpp — LoRaWAN EU868/US915 regional parameters (RP002-1.0.1) and the duty cycle,
// against /work/shared/references/lora.md.
#include <gtest/gtest.h>

#include <cmath>

#include "models/radio/lorawan_region.hpp"

namespace radio = edgetwin::models::radio;
using radio::Region;

TEST(LorawanRegion, Eu868DataRates) {
  const int sf[] = {12, 11, 10, 9, 8, 7, 7};
  const int bw[] = {125, 125, 125, 125, 125, 125, 250};
  const int rate[] = {250, 440, 980, 1760, 3125, 5470, 11000};
  const int m[] = {59, 59, 59, 123, 250, 250, 250, 250};
  const int n[] = {51, 51, 51, 115, 242, 242, 242, 242};
  for (int dr = 0; dr <= 6; ++dr) {
    const auto d = radio::data_rate(Region::eu868, dr);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->lora);
    EXPECT_EQ(d->sf, sf[dr]);
    EXPECT_EQ(d->bw_khz, bw[dr]);
    EXPECT_EQ(d->bit_rate_bps, rate[dr]);
    EXPECT_EQ(radio::uplink_dr_for(Region::eu868, sf[dr], bw[dr]), dr);
  }
  for (int dr = 0; dr <= 7; ++dr) {
    EXPECT_EQ(radio::data_rate(Region::eu868, dr)->max_mac_payload, m[dr]);
    EXPECT_EQ(radio::data_rate(Region::eu868, dr)->max_app_payload, n[dr]);
  }
  EXPECT_FALSE(radio::data_rate(Region::eu868, 7)->lora);  // FSK
  EXPECT_FALSE(radio::data_rate(Region::eu868, 8));
}

TEST(LorawanRegion, Us915DataRates) {
  const int sf[] = {10, 9, 8, 7, 8};
  const int bw[] = {125, 125, 125, 125, 500};
  const int m[] = {19, 61, 133, 250, 250};
  for (int dr = 0; dr <= 4; ++dr) {
    const auto d = radio::data_rate(Region::us915, dr);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->sf, sf[dr]);
    EXPECT_EQ(d->bw_khz, bw[dr]);
    EXPECT_EQ(d->max_mac_payload, m[dr]);
    EXPECT_EQ(d->max_app_payload, m[dr] - 8);
    EXPECT_TRUE(d->uplink);
  }
  for (int dr = 5; dr <= 7; ++dr) EXPECT_FALSE(radio::data_rate(Region::us915, dr));
  for (int dr = 8; dr <= 13; ++dr) {
    const auto d = radio::data_rate(Region::us915, dr);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->sf, 20 - dr);
    EXPECT_EQ(d->bw_khz, 500);
    EXPECT_FALSE(d->uplink);
  }
  EXPECT_FALSE(radio::uplink_dr_for(Region::us915, 12, 125));
}

TEST(LorawanRegion, PayloadLimitsNameTheDataRate) {
  EXPECT_FALSE(radio::check_app_payload(Region::eu868, 0, 51));
  const auto e = radio::check_app_payload(Region::eu868, 0, 52);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "application payload 52 B exceeds the 51 B maximum of EU868 DR0 (SF12/125 kHz)");
  EXPECT_FALSE(radio::check_app_payload(Region::eu868, 3, 115));
  EXPECT_TRUE(radio::check_app_payload(Region::eu868, 3, 116));
  EXPECT_FALSE(radio::check_app_payload(Region::eu868, 5, 242));
  EXPECT_TRUE(radio::check_app_payload(Region::eu868, 5, 243));
  EXPECT_FALSE(radio::check_app_payload(Region::us915, 0, 11));
  const auto u = radio::check_app_payload(Region::us915, 0, 12);
  ASSERT_TRUE(u);
  EXPECT_NE(u->find("US915 DR0 (SF10/125 kHz)"), std::string::npos);
  EXPECT_TRUE(radio::check_app_payload(Region::us915, 6, 1));  // undefined DR
  // PHY limit = M + MHDR + MIC.
  EXPECT_FALSE(radio::check_phy_payload(Region::eu868, 0, 64));
  EXPECT_TRUE(radio::check_phy_payload(Region::eu868, 0, 65));
}

TEST(LorawanRegion, ChannelPlans) {
  const auto eu = radio::default_uplink_channels(Region::eu868);
  ASSERT_EQ(eu.size(), 3u);
  EXPECT_EQ(eu[0].freq_hz, 868'100'000u);
  EXPECT_EQ(eu[1].freq_hz, 868'300'000u);
  EXPECT_EQ(eu[2].freq_hz, 868'500'000u);
  const auto us = radio::default_uplink_channels(Region::us915);
  ASSERT_EQ(us.size(), 72u);
  EXPECT_EQ(us[0].freq_hz, 902'300'000u);
  EXPECT_EQ(us[63].freq_hz, 914'900'000u);
  EXPECT_EQ(us[64].freq_hz, 903'000'000u);
  EXPECT_EQ(us[64].bw_khz, 500);
  EXPECT_EQ(us[71].freq_hz, 914'200'000u);
  const auto down = radio::downlink_channels(Region::us915);
  ASSERT_EQ(down.size(), 8u);
  EXPECT_EQ(down[0].freq_hz, 923'300'000u);
  EXPECT_EQ(down[7].freq_hz, 927'500'000u);
}

TEST(LorawanRegion, RxWindows) {
  const auto eu = radio::rx_params(Region::eu868);
  EXPECT_EQ(eu.receive_delay1_s, 1.0);
  EXPECT_EQ(eu.receive_delay2_s, 2.0);
  EXPECT_EQ(eu.rx2_freq_hz, 869'525'000u);
  EXPECT_EQ(eu.rx2_dr, 0);
  const auto us = radio::rx_params(Region::us915);
  EXPECT_EQ(us.rx2_freq_hz, 923'300'000u);
  EXPECT_EQ(us.rx2_dr, 8);
  EXPECT_EQ(radio::rx1_dr(Region::eu868, 5, 0), 5);
  EXPECT_EQ(radio::rx1_dr(Region::eu868, 5, 2), 3);
  EXPECT_EQ(radio::rx1_dr(Region::eu868, 1, 3), 0);
  // RP002 US902-928 RX1 table.
  EXPECT_EQ(radio::rx1_dr(Region::us915, 0, 0), 10);
  EXPECT_EQ(radio::rx1_dr(Region::us915, 0, 3), 8);
  EXPECT_EQ(radio::rx1_dr(Region::us915, 3, 0), 13);
  EXPECT_EQ(radio::rx1_dr(Region::us915, 4, 0), 13);
  EXPECT_EQ(radio::rx1_dr(Region::us915, 4, 3), 11);
  EXPECT_EQ(radio::rx1_freq_hz(Region::eu868, 868'300'000), 868'300'000u);
  EXPECT_EQ(radio::rx1_freq_hz(Region::us915, 904'100'000), 923'900'000u);  // uplink ch 9 → downlink ch 1
  EXPECT_EQ(radio::rx1_freq_hz(Region::us915, 903'000'000), 923'300'000u);  // ch 64 → 0
  edgetwin::models::Rng rng(7, "retransmit");
  double lo = 10, hi = 0, sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double t = radio::retransmit_timeout_s(rng);
    lo = std::min(lo, t);
    hi = std::max(hi, t);
    sum += t;
  }
  EXPECT_GE(lo, 1.0);
  EXPECT_LE(hi, 3.0);
  EXPECT_NEAR(sum / 10000, 2.0, 0.03);
}

TEST(LorawanRegion, SubBands) {
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 863'500'000), 0);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 866'000'000), 1);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 868'100'000), 2);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 868'500'000), 2);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 868'650'000), -1);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 868'800'000), 3);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 869'525'000), 4);
  EXPECT_EQ(radio::sub_band_index(Region::eu868, 869'850'000), 5);
  const double dc[] = {0.001, 0.01, 0.01, 0.001, 0.1, 0.01};
  const auto bands = radio::duty_cycle_sub_bands(Region::eu868);
  ASSERT_EQ(bands.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(bands[i].duty_cycle, dc[i]);
  EXPECT_TRUE(radio::duty_cycle_sub_bands(Region::us915).empty());
}

TEST(LorawanRegion, DutyCycleTwoSecondsAtOnePercentCloses198Seconds) {
  // ns-3 LogicalLoraChannelTest: 2 s at 1 % ⇒ the sub-band is closed for 198 s; other sub-bands stay open.
  EXPECT_DOUBLE_EQ(radio::duty_cycle_off_time_s(2.0, 0.01), 198.0);
  radio::DutyCycleTracker t(Region::eu868);
  EXPECT_EQ(t.earliest_tx_s(868'100'000), 0.0);
  ASSERT_TRUE(t.record(868'100'000, 10.0, 2.0));
  EXPECT_DOUBLE_EQ(t.earliest_tx_s(868'100'000), 10.0 + 2.0 + 198.0);
  EXPECT_DOUBLE_EQ(t.earliest_tx_s(868'500'000), 210.0);  // same sub-band, other channel: closed too
  EXPECT_FALSE(t.can_transmit(868'300'000, 209.9));
  EXPECT_TRUE(t.can_transmit(868'300'000, 210.0));
  EXPECT_EQ(t.earliest_tx_s(869'525'000), 0.0);  // 10 % band untouched
  EXPECT_EQ(t.earliest_tx_s(868'800'000), 0.0);  // 0.1 % band untouched
  EXPECT_TRUE(t.can_transmit(869'525'000, 12.0));
  // 0.1 %: 1 s closes 999 s after the end.
  ASSERT_TRUE(t.record(868'800'000, 0.0, 1.0));
  EXPECT_DOUBLE_EQ(t.earliest_tx_s(868'800'000), 1000.0);
  EXPECT_DOUBLE_EQ(t.sub_band_free_at_s(2), 210.0);
  // Best over the three default channels; a frequency in no sub-band is never allowed.
  EXPECT_DOUBLE_EQ(t.earliest_tx_s(radio::default_uplink_channels(Region::eu868)), 210.0);
  EXPECT_TRUE(std::isinf(t.earliest_tx_s(868'650'000)));
  EXPECT_FALSE(t.record(868'650'000, 0.0, 1.0));
  // US915 has no duty cycle.
  radio::DutyCycleTracker us(Region::us915);
  EXPECT_TRUE(us.record(902'300'000, 0.0, 0.3));
  EXPECT_EQ(us.earliest_tx_s(902'300'000), 0.0);
}

TEST(LorawanRegion, DwellTimeUs915) {
  // DR0 (SF10/125) with the largest payload (M 19 ⇒ PHY 24 B): 370.688 ms, within 400 ms.
  const auto p = radio::uplink_params(Region::us915, 0);
  EXPECT_EQ(radio::time_on_air_us(p, 24), 370688);
  EXPECT_FALSE(radio::check_dwell_time(Region::us915, radio::time_on_air_s(p, 24)));
  const auto e = radio::check_dwell_time(Region::us915, radio::time_on_air_s(p, 30));  // 452.608 ms
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("400 ms dwell"), std::string::npos);
  EXPECT_FALSE(radio::check_dwell_time(Region::eu868, 2.0));
}

TEST(LorawanRegion, MessagesPerPeriod) {
  EXPECT_EQ(radio::max_messages_per_period(2.0, 0.01, 3600), 18);  // 36 s of airtime per hour
  EXPECT_EQ(radio::max_messages_per_period(2.0, 0.01, 86400), 432);
  EXPECT_EQ(radio::max_messages_per_period(0.046336, 0.01, 3600), 776);
  EXPECT_EQ(radio::max_messages_per_period(0.046336, 1.0, 30), 647);  // TTN fair access
  EXPECT_EQ(radio::max_messages_per_period(0.0, 0.01, 3600), 0);
}

TEST(LorawanRegion, AirtimeReport) {
  radio::AirtimeReport r;
  ASSERT_FALSE(radio::make_airtime_report(Region::eu868, 5, 14, std::nullopt, {}, r));
  EXPECT_EQ(r.toa_us, 46336);
  EXPECT_EQ(r.duty_cycle, 0.01);
  EXPECT_NEAR(r.off_time_s, 0.046336 * 99, 1e-9);
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(r.per_hour, 776);
  EXPECT_EQ(r.per_day, 18646);
  // Application payload too large for DR0.
  ASSERT_FALSE(radio::make_airtime_report(Region::eu868, 0, 60 + 13, 60, {}, r));
  EXPECT_FALSE(r.fits);
  ASSERT_TRUE(r.payload_error);
  EXPECT_NE(r.payload_error->find("EU868 DR0"), std::string::npos);
  EXPECT_EQ(r.params.sf, 12);
  // US915: no duty cycle, dwell check.
  ASSERT_FALSE(radio::make_airtime_report(Region::us915, 0, 30, std::nullopt, {}, r));
  EXPECT_EQ(r.duty_cycle, 1.0);
  EXPECT_EQ(r.off_time_s, 0.0);
  EXPECT_TRUE(r.dwell_error);
  EXPECT_FALSE(r.fits);  // 30 B PHY > 24 B
  // Errors.
  EXPECT_TRUE(radio::make_airtime_report(Region::eu868, 7, 20, std::nullopt, {}, r));  // FSK
  EXPECT_TRUE(radio::make_airtime_report(Region::us915, 5, 20, std::nullopt, {}, r));
  EXPECT_TRUE(radio::make_airtime_report(Region::eu868, 5, 300, std::nullopt, {}, r));
}

TEST(LorawanRegion, ParseRegion) {
  EXPECT_EQ(radio::parse_region("EU868"), Region::eu868);
  EXPECT_EQ(radio::parse_region("us915"), Region::us915);
  EXPECT_FALSE(radio::parse_region("AS923"));
  EXPECT_EQ(radio::region_name(Region::us915), "US915");
}
