// tests/models/test_energy.cpp — device energy: the worked LoRa meter example of docs/models/radio-cellular-energy.md,
// computed here by hand (arithmetic spelled out, independent of the model's code path) and compared with the model;
// SX1276 current levels; battery lifetime with self-discharge; NB-IoT PSM cycles.
#include <gtest/gtest.h>

#include <cmath>

#include "models/radio/energy.hpp"

namespace radio = edgetwin::models::radio;

namespace {

// ---- Hand computation of the worked example (same numbers as the doc) ----------------------------------------------
// LoRa meter: 20 B application payload -> PHY payload 33 B (+13 B LoRaWAN overhead), one uplink every 15 min (900 s,
// 96 a day), EU868, 8-symbol preamble, explicit header, CRC on, CR 4/5, TX +13 dBm on RFO (29 mA), RX 11.5 mA,
// standby 1.6 mA, sleep 0.2 uA, battery 2400 mAh at 3.6 V.
//
// Time on air (SX1276 datasheet §4.1.1.7):
//   SF7/125:  Tsym = 128 / 125000 = 0.001024 s; Tpreamble = 12.25 x 0.001024 = 0.012544 s
//             n = 8 + ceil((264 - 28 + 28 + 16) / 28) x 5 = 8 + 10 x 5 = 58; ToA = 0.012544 + 58 x 0.001024 = 0.071936
//             s
//   SF12/125 with LDRO: Tsym = 4096 / 125000 = 0.032768 s; Tpreamble = 12.25 x 0.032768 = 0.401408 s
//             n = 8 + ceil((264 - 48 + 28 + 16) / 40) x 5 = 8 + 7 x 5 = 43; ToA = 0.401408 + 43 x 0.032768 = 1.810432 s
// Receive windows (no downlink): 6 symbols each. RX1 at the uplink's SF, RX2 at DR0 = SF12/125:
//   6 x 0.001024 = 0.006144 s (SF7),  6 x 0.032768 = 0.196608 s (SF12)
// Standby: 3 wake-ups x 310 us = 0.00093 s.
constexpr double kToaSf7 = 0.071936;
constexpr double kToaSf12 = 1.810432;
constexpr double kRxSf7 = 0.006144;
constexpr double kRxSf12 = 0.196608;
constexpr double kStandby = 0.00093;

// SF7 per cycle, in mA x s = mC:
//   TX      0.071936 x 29                                  = 2.086144
//   RX      (0.006144 + 0.196608) x 11.5 = 0.202752 x 11.5  = 2.331648
//   standby 0.00093 x 1.6                                  = 0.001488
//   sleep   (900 - 0.071936 - 0.202752 - 0.00093) x 0.0002 = 899.724382 x 0.0002 = 0.1799448764
//   total                                                  = 4.5992248764 mC per cycle
//   per day x 96 = 441.52558813 mC; energy 3.6 V x 0.44152558813 C = 1.5894921173 J
//   average current 4.5992248764 / 900 = 0.0051102498627 mA
//   lifetime 2400 / 0.0051102498627 = 469643.97 h = 53.61 years (radio only, no self-discharge)
//   with 1 %/year self-discharge: 2400 / (0.0051102498627 + 0.01 x 2400 / 8760 = 0.0027397260274)
//                                 = 2400 / 0.0078499758901 = 305733.0 h = 34.901 years
constexpr double kSf7ChargePerCycleMc = 2.086144 + 2.331648 + 0.001488 + 0.1799448764;
constexpr double kSf7EnergyPerDayJ = 1.5894921173;
constexpr double kSf7AvgCurrentMa = 0.0051102498627;
constexpr double kSf7LifetimeYears = 2400.0 / 0.0051102498627 / 8760.0;
constexpr double kSf7LifetimeSdYears = 2400.0 / 0.0078499758901 / 8760.0;

// SF12 per cycle:
//   TX      1.810432 x 29                                  = 52.502528
//   RX      (0.196608 + 0.196608) x 11.5 = 0.393216 x 11.5  = 4.521984
//   standby 0.00093 x 1.6                                  = 0.001488
//   sleep   (900 - 1.810432 - 0.393216 - 0.00093) x 0.0002 = 897.795422 x 0.0002 = 0.1795590844
//   total                                                  = 57.2055590844 mC per cycle
//   per day x 96 = 5491.733672 mC; energy 3.6 x 5.491733672 = 19.770241220 J
//   average current 57.2055590844 / 900 = 0.063561732316 mA
//   lifetime 2400 / 0.063561732316 = 37758.6 h = 4.310 years; with 1 %/year: 2400 / 0.066301458343 = 4.132 years
constexpr double kSf12ChargePerCycleMc = 52.502528 + 4.521984 + 0.001488 + 0.1795590844;
constexpr double kSf12EnergyPerDayJ = 19.770241220;
constexpr double kSf12AvgCurrentMa = 0.063561732316;
constexpr double kSf12LifetimeYears = 2400.0 / 0.063561732316 / 8760.0;
constexpr double kSf12LifetimeSdYears = 2400.0 / 0.066301458343 / 8760.0;

struct ModelResult {
  double charge_per_cycle_mc, energy_per_day_j, avg_current_ma, lifetime_years, lifetime_sd_years;
};

ModelResult run_model(double toa_s, int rx1_sf) {
  radio::LoraClassACycle c;
  c.toa_s = toa_s;
  c.rx1_s = radio::lora_rx_window_s(rx1_sf, 125e3);
  c.rx2_s = radio::lora_rx_window_s(12, 125e3);  // RX2 at DR0 (SF12/125) in EU868
  c.period_s = 900.0;
  const auto cycle = radio::lora_class_a_cycle(c);
  const auto currents = radio::sx1276_currents(13.0, 3.6);
  const auto day = cycle.scaled(96.0);
  radio::Battery battery{2400.0, 3.6, 0.0};
  radio::Battery battery_sd{2400.0, 3.6, 0.01};
  const double avg = radio::average_current_a(cycle, currents);
  return {radio::charge_c(cycle, currents) * 1e3, radio::energy_j(day, currents), avg * 1e3,
          radio::battery_lifetime_s(battery, avg) / radio::kSecondsPerYear,
          radio::battery_lifetime_s(battery_sd, avg) / radio::kSecondsPerYear};
}

}  // namespace

TEST(EnergyLoraMeter, TimeOnAirFromTheDatasheetFormula) {
  // The hand values above, recomputed from the formula (the model takes ToA as an input; this guards the example).
  auto toa = [](int sf, int pl, bool ldro) {
    const double tsym = std::ldexp(1.0, sf) / 125e3;
    const double n =
        8 + std::max(std::ceil((8.0 * pl - 4.0 * sf + 28 + 16) / (4.0 * (sf - 2 * (ldro ? 1 : 0)))) * 5, 0.0);
    return (8 + 4.25) * tsym + n * tsym;
  };
  EXPECT_NEAR(toa(7, 33, false), kToaSf7, 1e-12);
  EXPECT_NEAR(toa(12, 33, true), kToaSf12, 1e-12);
  EXPECT_NEAR(toa(7, 25, false), 0.061696, 1e-12);  // lora.md reference row: PL 25, SF7/125, 4/5 -> 61.696 ms
  EXPECT_NEAR(radio::lora_rx_window_s(7, 125e3), kRxSf7, 1e-15);
  EXPECT_NEAR(radio::lora_rx_window_s(12, 125e3), kRxSf12, 1e-15);
}

TEST(EnergyLoraMeter, Sf7MatchesHandComputation) {
  const auto m = run_model(kToaSf7, 7);
  EXPECT_NEAR(m.charge_per_cycle_mc, kSf7ChargePerCycleMc, 1e-9);
  EXPECT_NEAR(m.energy_per_day_j, kSf7EnergyPerDayJ, 1e-8);
  EXPECT_NEAR(m.avg_current_ma, kSf7AvgCurrentMa, 1e-12);
  // Year: the model uses 365 d = 8760 h, as the hand computation.
  EXPECT_NEAR(m.lifetime_years, kSf7LifetimeYears, 1e-6);
  EXPECT_NEAR(m.lifetime_years, 53.61, 0.01);
  EXPECT_NEAR(m.lifetime_sd_years, kSf7LifetimeSdYears, 1e-6);
  EXPECT_NEAR(m.lifetime_sd_years, 34.90, 0.01);
  // State times sum to the period.
  radio::LoraClassACycle c{kToaSf7, kRxSf7, kRxSf12, 900.0};
  EXPECT_NEAR(radio::lora_class_a_cycle(c).total_s(), 900.0, 1e-9);
  EXPECT_NEAR(radio::lora_class_a_cycle(c).idle_s, kStandby, 1e-15);
}

TEST(EnergyLoraMeter, Sf12MatchesHandComputation) {
  const auto m = run_model(kToaSf12, 12);
  EXPECT_NEAR(m.charge_per_cycle_mc, kSf12ChargePerCycleMc, 1e-9);
  EXPECT_NEAR(m.energy_per_day_j, kSf12EnergyPerDayJ, 1e-7);
  EXPECT_NEAR(m.avg_current_ma, kSf12AvgCurrentMa, 1e-12);
  EXPECT_NEAR(m.lifetime_years, kSf12LifetimeYears, 1e-6);
  EXPECT_NEAR(m.lifetime_years, 4.310, 0.001);
  EXPECT_NEAR(m.lifetime_sd_years, kSf12LifetimeSdYears, 1e-6);
  EXPECT_NEAR(m.lifetime_sd_years, 4.132, 0.001);
  // SF12 costs ~12x the energy of SF7 for the same message.
  EXPECT_GT(m.energy_per_day_j / kSf7EnergyPerDayJ, 12.0);
}

TEST(EnergyModel, Sx1276TransmitLevels) {
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(20.0), 0.120);
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(17.0), 0.087);
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(14.0), 0.087);  // between points: the next tabulated level up
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(13.0), 0.029);
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(7.0), 0.020);
  EXPECT_DOUBLE_EQ(radio::sx1276_tx_current_a(0.0), 0.020);
  const auto c = radio::sx1276_currents(20.0, 3.3);
  EXPECT_DOUBLE_EQ(c.rx_a, 11.5e-3);
  EXPECT_DOUBLE_EQ(c.idle_a, 1.6e-3);
  EXPECT_DOUBLE_EQ(c.sleep_a, 0.2e-6);
  EXPECT_DOUBLE_EQ(c.supply_v, 3.3);
  // Energy = V x sum(I t): 1 s TX at 120 mA + 2 s RX at 11.5 mA at 3.3 V = 3.3 x (0.120 + 0.023) = 0.4719 J.
  radio::StateTimes t;
  t.tx_s = 1.0;
  t.rx_s = 2.0;
  EXPECT_NEAR(radio::energy_j(t, c), 0.4719, 1e-12);
}

TEST(EnergyModel, BatteryLifetimeWithSelfDischarge) {
  // 1000 mAh at 1 mA: 1000 h. With 10 %/year: 1000 / (1 + 0.1 x 1000 / 8760) h.
  radio::Battery b{1000.0, 3.6, 0.0};
  EXPECT_NEAR(radio::battery_lifetime_s(b, 1e-3) / 3600.0, 1000.0, 1e-9);
  b.self_discharge_per_year = 0.1;
  EXPECT_NEAR(radio::battery_lifetime_s(b, 1e-3) / 3600.0, 1000.0 / (1.0 + 100.0 / 8760.0), 1e-9);
  // Self-discharge alone empties the cell in 1 / rate years.
  EXPECT_NEAR(radio::battery_lifetime_s(b, 0.0) / radio::kSecondsPerYear, 10.0, 1e-9);
  b.self_discharge_per_year = 0.0;
  EXPECT_TRUE(std::isinf(radio::battery_lifetime_s(b, 0.0)));
}

TEST(EnergyCellular, PsmCycleStateTimesAndCoverageCost) {
  const auto nb = radio::nb_iot_nb1_profile();
  radio::PsmConfig psm{60.0, 86400.0, 2.56};
  const double period = 3600.0;
  const auto normal = radio::cellular_psm_cycle(nb, radio::CoverageClass::normal, 200.0, period, psm, false);
  // By hand (normal, R = 1): TX = 1600 / 62000 = 0.0258065 s; RX = setup 0.0895733 + user plane 0.020 + tail 10 s.
  EXPECT_NEAR(normal.tx_s, 1600.0 / 62000.0, 1e-12);
  EXPECT_NEAR(normal.rx_s, 0.0519685039 + 0.0376048294 + 0.020 + 10.0, 1e-8);
  EXPECT_DOUBLE_EQ(normal.idle_s, 60.0);
  EXPECT_NEAR(normal.total_s(), period, 1e-9);
  const auto c = radio::nb_iot_module_currents();
  // Release assistance drops the 10 s connected tail: less charge.
  const auto rai = radio::cellular_psm_cycle(nb, radio::CoverageClass::normal, 200.0, period, psm, true);
  EXPECT_NEAR(radio::charge_c(normal, c) - radio::charge_c(rai, c), 10.0 * (c.rx_a - c.sleep_a), 1e-9);
  // Extreme coverage: 128 repetitions multiply airtime and charge.
  const auto extreme = radio::cellular_psm_cycle(nb, radio::CoverageClass::extreme, 200.0, period, psm, true);
  EXPECT_NEAR(extreme.tx_s, 128.0 * 1600.0 / 62000.0, 1e-9);
  EXPECT_GT(radio::charge_c(extreme, c), 5.0 * radio::charge_c(rai, c));
  // Periodic TAUs fall at k x T3412 strictly inside the period (T3412 restarts at every uplink): a two-day period
  // has one (at day 1; the one due at day 2 coincides with the next uplink), 2.5 days two, one day none.
  const auto two_days = radio::cellular_psm_cycle(nb, radio::CoverageClass::normal, 200.0, 2 * 86400.0, psm, true);
  EXPECT_DOUBLE_EQ(two_days.idle_s, 2 * 60.0);
  const auto two_and_half = radio::cellular_psm_cycle(nb, radio::CoverageClass::normal, 200.0, 2.5 * 86400.0, psm, true);
  EXPECT_DOUBLE_EQ(two_and_half.idle_s, 3 * 60.0);
  const auto one_day = radio::cellular_psm_cycle(nb, radio::CoverageClass::normal, 200.0, 86400.0, psm, true);
  EXPECT_DOUBLE_EQ(one_day.idle_s, 60.0);
}
