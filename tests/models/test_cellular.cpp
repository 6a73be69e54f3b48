// tests/models/test_cellular.cpp — cellular access models against published figures and queueing theory:
// coverage classes and LTE-M / NB-IoT latency (LTE-M white paper 2018, TR 45.820), RRC promotion and inactivity,
// PSM / eDRX reachability, and the shared cell uplink queue against Pollaczek–Khinchine over several seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/core/rng.hpp"
#include "models/radio/cellular.hpp"

namespace radio = edgetwin::models::radio;
using edgetwin::models::Rng;
using radio::CoverageClass;

TEST(CellularCoverage, ClassesFromMaximumCouplingLoss) {
  const auto p = radio::nb_iot_nb1_profile();
  EXPECT_EQ(radio::coverage_class(p, 120.0), CoverageClass::normal);
  EXPECT_EQ(radio::coverage_class(p, 144.0), CoverageClass::normal);
  EXPECT_EQ(radio::coverage_class(p, 144.1), CoverageClass::robust);
  EXPECT_EQ(radio::coverage_class(p, 154.0), CoverageClass::robust);
  EXPECT_EQ(radio::coverage_class(p, 160.0), CoverageClass::extreme);
  EXPECT_EQ(radio::coverage_class(p, 164.0), CoverageClass::extreme);
  EXPECT_EQ(radio::coverage_class(p, 164.5), CoverageClass::none);
  // Broadband profiles have one class: beyond it there is no service.
  EXPECT_EQ(radio::coverage_class(radio::lte_profile(), 150.0), CoverageClass::none);
}

TEST(CellularCoverage, RepetitionsCloseTheCouplingLossGap) {
  // 3 dB per doubling: R >= 10^(gain/10) rounded up to a power of two: +10 dB -> 16, +20 dB -> 128.
  for (const auto& p : {radio::nb_iot_nb1_profile(), radio::nb_iot_nb2_profile(), radio::lte_m1_profile()}) {
    EXPECT_EQ(radio::repetitions(p, CoverageClass::normal), 1);
    EXPECT_EQ(radio::repetitions(p, CoverageClass::robust), 16);
    EXPECT_EQ(radio::repetitions(p, CoverageClass::extreme), 128);
    EXPECT_EQ(radio::repetitions(p, CoverageClass::none), 0);
    // Each class's repetitions recover at least the extra coupling loss of its upper bound over 144 dB.
    EXPECT_GE(10.0 * std::log10(16.0), 154.0 - 144.0);
    EXPECT_GE(10.0 * std::log10(128.0), 164.0 - 144.0);
  }
}

TEST(CellularCoverage, EffectiveRatesArePeakOverRepetitions) {
  const auto nb1 = radio::nb_iot_nb1_profile();
  EXPECT_DOUBLE_EQ(radio::effective_ul_rate_bps(nb1, CoverageClass::normal), 62000.0);
  EXPECT_DOUBLE_EQ(radio::effective_ul_rate_bps(nb1, CoverageClass::extreme), 62000.0 / 128.0);
  EXPECT_DOUBLE_EQ(radio::effective_dl_rate_bps(nb1, CoverageClass::normal), 26000.0);
  const auto nb2 = radio::nb_iot_nb2_profile();
  EXPECT_DOUBLE_EQ(radio::effective_ul_rate_bps(nb2, CoverageClass::normal), 159000.0);
  EXPECT_DOUBLE_EQ(radio::effective_dl_rate_bps(nb2, CoverageClass::robust), 127000.0 / 16.0);
  const auto m1 = radio::lte_m1_profile();
  EXPECT_DOUBLE_EQ(radio::effective_ul_rate_bps(m1, CoverageClass::normal), 375000.0);
  EXPECT_DOUBLE_EQ(radio::effective_dl_rate_bps(m1, CoverageClass::normal), 300000.0);
  EXPECT_DOUBLE_EQ(radio::effective_ul_rate_bps(m1, CoverageClass::none), 0.0);
}

TEST(CellularLatency, LteMExceptionReportMatchesWhitePaper) {
  const auto m1 = radio::lte_m1_profile();
  // LTE-M white paper (2018): 0.1 s at the edge of normal coverage, 6.2 s at 164 dB, 20-byte exception report.
  EXPECT_NEAR(radio::uplink_latency_s(m1, CoverageClass::normal, 20.0, true), 0.1, 1e-9);
  EXPECT_NEAR(radio::uplink_latency_s(m1, CoverageClass::extreme, 20.0, true), 6.2, 1e-9);
  // Hand solution of the two calibration equations, independent of calibrate_setup():
  //   known per repetition k = 0.010 + 160 / 375000 = 0.0104266667 s
  //   R = 1:   f + p       = 0.1 - k       = 0.0895733333
  //   R = 128: f + 128 p   = 6.2 - 128 k   = 4.8653866667
  //   p = (4.8653866667 - 0.0895733333) / 127 = 0.0376048294 s,  f = 0.0519685039 s
  EXPECT_NEAR(m1.setup.per_repetition_s, 0.0376048294, 1e-9);
  EXPECT_NEAR(m1.setup.fixed_s, 0.0519685039, 1e-9);
  // Robust coverage lies in between.
  const double robust = radio::uplink_latency_s(m1, CoverageClass::robust, 20.0, true);
  EXPECT_GT(robust, 0.1);
  EXPECT_LT(robust, 6.2);
}

TEST(CellularLatency, NbIotMeetsTheTr45820TargetAtExtremeCoverage) {
  for (const auto& p : {radio::nb_iot_nb1_profile(), radio::nb_iot_nb2_profile(), radio::lte_m1_profile()}) {
    const double normal = radio::uplink_latency_s(p, CoverageClass::normal, radio::kExceptionReportBytes, true);
    const double robust = radio::uplink_latency_s(p, CoverageClass::robust, radio::kExceptionReportBytes, true);
    const double extreme = radio::uplink_latency_s(p, CoverageClass::extreme, radio::kExceptionReportBytes, true);
    EXPECT_LE(extreme, radio::kCiotLatencyTargetS) << radio::to_string(p.tech);
    EXPECT_LT(normal, robust);
    EXPECT_LT(robust, extreme);
    EXPECT_TRUE(std::isinf(radio::uplink_latency_s(p, CoverageClass::none, 20.0, true)));
  }
  // NB1 at 164 dB by hand: 0.0519685 + 128 * (0.0376048 + 0.020) + 128 * 160 / 62000 = 7.7557 s.
  const auto nb1 = radio::nb_iot_nb1_profile();
  EXPECT_NEAR(radio::uplink_latency_s(nb1, CoverageClass::extreme, 20.0, true),
              0.0519685039 + 128.0 * (0.0376048294 + 0.020) + 128.0 * 160.0 / 62000.0, 1e-8);
  // NB2 is faster than NB1 (higher rate), by exactly the transfer-time difference.
  const auto nb2 = radio::nb_iot_nb2_profile();
  EXPECT_NEAR(radio::uplink_latency_s(nb1, CoverageClass::extreme, 20.0, true) -
                  radio::uplink_latency_s(nb2, CoverageClass::extreme, 20.0, true),
              128.0 * 160.0 / 62000.0 - 128.0 * 160.0 / 159000.0, 1e-9);
}

TEST(CellularLatency, BroadbandUserPlaneAndControlPlane) {
  // ITU-R M.2410: user plane 4 ms eMBB, 1 ms URLLC; control plane 20 ms.
  EXPECT_DOUBLE_EQ(radio::nr_embb_profile().user_plane_latency_s, 0.004);
  EXPECT_DOUBLE_EQ(radio::nr_urllc_profile().user_plane_latency_s, 0.001);
  EXPECT_DOUBLE_EQ(radio::setup_latency_s(radio::nr_embb_profile(), CoverageClass::normal), 0.020);
  // Connected-mode latency ordering: URLLC < eMBB < LTE < 3G < GPRS, for a 20-byte message.
  const double bytes = 20.0;
  auto connected = [&](const radio::CellularProfile& p) {
    return radio::uplink_latency_s(p, CoverageClass::normal, bytes, false);
  };
  EXPECT_LT(connected(radio::nr_urllc_profile()), connected(radio::nr_embb_profile()));
  EXPECT_LT(connected(radio::nr_embb_profile()), connected(radio::lte_profile()));
  EXPECT_LT(connected(radio::lte_profile()), connected(radio::umts_profile()));
  EXPECT_LT(connected(radio::umts_profile()), connected(radio::gprs_profile()));
  // URLLC connected: 1 ms + 160 bit / 50 Mbit/s.
  EXPECT_NEAR(connected(radio::nr_urllc_profile()), 0.001 + 160.0 / 50e6, 1e-12);
  for (auto tech : {radio::CellularTech::nb_iot_nb1, radio::CellularTech::nb_iot_nb2, radio::CellularTech::lte_m1,
                    radio::CellularTech::gprs, radio::CellularTech::umts, radio::CellularTech::lte,
                    radio::CellularTech::nr_embb, radio::CellularTech::nr_urllc}) {
    EXPECT_EQ(radio::cellular_profile(tech).tech, tech);
    EXPECT_GT(radio::cellular_profile(tech).cell_ul_capacity_bps, 0.0);
  }
}

TEST(CellularRrc, PromotionOnlyAfterTheInactivityTimer) {
  const auto lte = radio::lte_profile();
  radio::RrcState s;
  const double transfer = 8.0 * 100.0 / 51e6;
  // First message: idle -> connected promotion (100 ms) + user plane (10 ms) + transfer.
  const double first = s.send(lte, CoverageClass::normal, 10.0, 100.0);
  EXPECT_NEAR(first, 0.1 + 0.010 + transfer, 1e-12);
  // One second later: still connected (timer 11.576 s): no promotion.
  const double second = s.send(lte, CoverageClass::normal, 11.0, 100.0);
  EXPECT_NEAR(second, 0.010 + transfer, 1e-12);
  // 11 s after the end of the second: still connected; 12 s after: idle again, promotion paid.
  const double end2 = 11.0 + second;
  EXPECT_FALSE(s.idle_at(lte, end2 + 11.0));
  EXPECT_TRUE(s.idle_at(lte, end2 + 12.0));
  EXPECT_NEAR(s.send(lte, CoverageClass::normal, end2 + 12.0, 100.0), 0.1 + 0.010 + transfer, 1e-12);
  // 3G pays its ~2 s promotion; a message sent mid-transfer waits for the modem.
  const auto umts = radio::umts_profile();
  radio::RrcState u;
  const double a = u.send(umts, CoverageClass::normal, 0.0, 20.0);
  EXPECT_GT(a, 2.0);
  const double b = u.send(umts, CoverageClass::normal, 1.0, 20.0);  // modem busy until `a`
  EXPECT_NEAR(b, (a - 1.0) + 0.050 + 160.0 / 5.76e6, 1e-12);
}

TEST(CellularPsm, ReachableDuringActiveTimeThenAtNextWake) {
  radio::PsmConfig c;
  c.t3324_s = 60.0;
  c.t3412_s = 86400.0;
  c.idle_drx_cycle_s = 2.56;
  const double inf = std::numeric_limits<double>::infinity();
  // Connected (before the uplink's end): at once.
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, -1.0, 0.0, 3600.0), -1.0);
  // Active time: next paging occasion, 10 s -> 4 x 2.56 = 10.24 s.
  EXPECT_NEAR(radio::psm_next_reachable_s(c, 10.0, 0.0, 3600.0), 10.24, 1e-12);
  // Active time ends at 60 s; the last paging occasion before it is 23 x 2.56 = 58.88 s.
  EXPECT_NEAR(radio::psm_next_reachable_s(c, 58.0, 0.0, 3600.0), 58.88, 1e-12);
  // 59 s: next occasion would be 61.44 > 60: wait for the next uplink at 3600 s.
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, 59.0, 0.0, 3600.0), 3600.0);
  // No uplink planned: the periodic TAU after T3412.
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, 100.0, 0.0, inf), 86400.0);
  // Inside the active time after that uplink: 3620 s -> 3600 + 8 x 2.56.
  EXPECT_NEAR(radio::psm_next_reachable_s(c, 3620.0, 0.0, 3600.0), 3600.0 + 8 * 2.56, 1e-9);
  // After that active time too: the TAU timer restarted at the uplink.
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, 3700.0, 0.0, 3600.0), 3600.0 + 86400.0);
  // Long after, TAUs every T3412: a command at 200000 s waits for the TAU at 3 x 86400.
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, 200000.0, 0.0, inf), 3 * 86400.0);
  // T3324 = 0: only at wake-ups.
  c.t3324_s = 0.0;
  EXPECT_DOUBLE_EQ(radio::psm_next_reachable_s(c, 1.0, 0.0, 500.0), 500.0);
}

TEST(CellularEdrx, NextPagingOccasion) {
  radio::EdrxConfig c;
  c.cycle_s = 81.92;
  c.ptw_s = 2.56;
  c.paging_cycle_s = 1.28;
  c.offset_s = 0.0;
  EXPECT_DOUBLE_EQ(radio::edrx_next_paging_s(c, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(radio::edrx_next_paging_s(c, 1.0), 1.28);
  EXPECT_DOUBLE_EQ(radio::edrx_next_paging_s(c, 2.0), 81.92);  // 2.56 is the window's end: next cycle
  EXPECT_DOUBLE_EQ(radio::edrx_next_paging_s(c, 50.0), 81.92);
  EXPECT_NEAR(radio::edrx_next_paging_s(c, 82.0), 81.92 + 1.28, 1e-12);
  c.offset_s = 10.0;
  EXPECT_DOUBLE_EQ(radio::edrx_next_paging_s(c, 5.0), 10.0);
  EXPECT_NEAR(radio::edrx_next_paging_s(c, 13.0), 10.0 + 81.92, 1e-12);
  // Worst case wait is one cycle; never earlier than t.
  Rng rng(7, "edrx");
  const auto d = radio::default_edrx_config();
  for (int i = 0; i < 1000; ++i) {
    const double t = rng.uniform(0.0, 1e5);
    const double po = radio::edrx_next_paging_s(d, t);
    EXPECT_GE(po, t);
    EXPECT_LE(po, t + d.cycle_s + 1e-9);
  }
}

// ---- Shared cell uplink
// ----------------------------------------------------------------------------------------------

namespace {

/// Mean wait of `n` Poisson arrivals at rate lambda through a fresh queue; bytes drawn by `size` (first 5 % dropped).
template <class SizeFn>
double simulate_mean_wait(double rate_bps, double lambda, int n, std::uint64_t seed, SizeFn size) {
  radio::SharedCellUplink cell(rate_bps);
  Rng rng(seed, "cell-uplink");
  double t = 0.0, wait_sum = 0.0;
  const int warmup = n / 20;
  for (int i = 0; i < n + warmup; ++i) {
    t += rng.exponential(1.0 / lambda);
    const double bytes = size(rng);
    const double done = cell.admit(t, bytes);
    if (i >= warmup) wait_sum += done - t - cell.service_time_s(bytes);
  }
  return wait_sum / n;
}

struct Ci {
  double mean, half_width;
};

/// 99 % Student-t interval over per-seed means (t quantile for 7 degrees of freedom: 3.499).
Ci confidence_99(const std::vector<double>& x) {
  double m = 0.0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  const double sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
  return {m, 3.499 * sd / std::sqrt(static_cast<double>(x.size()))};
}

}  // namespace

TEST(CellularSharedUplink, Tr45820CarrierEquivalentRate) {
  // 50,000 devices x 5 uplinks/h x 20 B x 8 bit / 3600 s = 11,111.1 bit/s.
  EXPECT_NEAR(radio::SharedCellUplink::nb_iot_carrier().resource_rate_bps(), 50000.0 * 5.0 * 160.0 / 3600.0, 1e-9);
  EXPECT_NEAR(radio::SharedCellUplink::equivalent_rate_bps(50000, 5, 20, 0.5), 2 * 11111.111111, 1e-5);
  // FIFO by hand: two 20-byte messages at t = 0 and a third long after.
  radio::SharedCellUplink cell(8000.0);  // 20 B = 0.02 s
  EXPECT_DOUBLE_EQ(cell.admit(0.0, 20.0), 0.02);
  EXPECT_DOUBLE_EQ(cell.admit(0.0, 20.0), 0.04);
  EXPECT_DOUBLE_EQ(cell.admit(0.03, 20.0), 0.06);
  EXPECT_DOUBLE_EQ(cell.admit(5.0, 20.0, 2.0), 5.04);  // cost factor 2 (e.g. twice the repetitions)
  EXPECT_EQ(cell.admitted(), 4u);
  EXPECT_NEAR(cell.mean_wait_s(), (0.0 + 0.02 + 0.01 + 0.0) / 4.0, 1e-15);
}

TEST(CellularSharedUplink, MD1MeanWaitMatchesPollaczekKhinchine) {
  const auto cell = radio::SharedCellUplink::nb_iot_carrier();
  const double bytes = 20.0;
  const double d = cell.service_time_s(bytes);  // 0.0144 s
  for (double rho : {0.5, 0.8}) {
    const double lambda = rho / d;
    const double analytic = radio::pollaczek_khinchine_wait_s(lambda, d, d * d);  // = rho D / (2 (1 - rho))
    EXPECT_NEAR(analytic, rho * d / (2.0 * (1.0 - rho)), 1e-15);
    std::vector<double> means;
    for (std::uint64_t seed = 1; seed <= 8; ++seed)
      means.push_back(simulate_mean_wait(cell.resource_rate_bps(), lambda, 200000, seed, [&](Rng&) { return bytes; }));
    const Ci ci = confidence_99(means);
    EXPECT_NEAR(ci.mean, analytic, ci.half_width) << "rho=" << rho;
    EXPECT_NEAR(ci.mean / analytic, 1.0, 0.02) << "rho=" << rho;
  }
}

TEST(CellularSharedUplink, MM1MeanWaitWithExponentialSizes) {
  // Exponential message sizes => M/M/1: Wq = rho / (mu - lambda); P-K with E[S^2] = 2 E[S]^2 gives the same.
  const double rate = 11111.111111111;
  const double mean_bytes = 20.0;
  const double es = 8.0 * mean_bytes / rate;
  const double lambda = 0.8 / es;
  const double mu = 1.0 / es;
  const double analytic = 0.8 / (mu - lambda);
  EXPECT_NEAR(radio::pollaczek_khinchine_wait_s(lambda, es, 2 * es * es), analytic, 1e-12);
  std::vector<double> means;
  for (std::uint64_t seed = 11; seed <= 18; ++seed)
    means.push_back(simulate_mean_wait(rate, lambda, 200000, seed, [&](Rng& r) { return r.exponential(mean_bytes); }));
  const Ci ci = confidence_99(means);
  EXPECT_NEAR(ci.mean, analytic, ci.half_width);
  EXPECT_NEAR(ci.mean / analytic, 1.0, 0.04);
}

TEST(CellularSharedUplink, LatencyRisesWithDeviceCount) {
  // Devices reporting every 720 s (5/h, 20 B) with random phases on the TR 45.820 carrier. Thousands of superposed
  // periodic streams are close to Poisson, so the mean wait follows M/D/1 at the same load (within 10 %: one phase
  // draw per N), and it grows with N: 10k devices rho = 0.2, 45k devices rho = 0.9.
  const auto proto = radio::SharedCellUplink::nb_iot_carrier();
  const double d = proto.service_time_s(20.0);
  double previous = -1.0;
  for (int devices : {10000, 30000, 40000, 45000}) {
    Rng rng(42, "phases");
    std::vector<double> phase(static_cast<std::size_t>(devices));
    for (auto& p : phase) p = rng.uniform(0.0, 720.0);
    std::sort(phase.begin(), phase.end());
    radio::SharedCellUplink cell = proto;
    double wait = 0.0;
    long n = 0;
    for (int period = 0; period < 4; ++period) {
      for (double p : phase) {
        const double t = p + 720.0 * period;
        const double done = cell.admit(t, 20.0);
        if (period > 0) {  // first period is warm-up
          wait += done - t - d;
          ++n;
        }
      }
    }
    const double mean_wait = wait / static_cast<double>(n);
    const double lambda = devices / 720.0;
    const double md1 = radio::pollaczek_khinchine_wait_s(lambda, d, d * d);
    EXPECT_GT(mean_wait, previous) << devices;
    EXPECT_NEAR(mean_wait / md1, 1.0, 0.10) << devices;
    previous = mean_wait;
  }
}
