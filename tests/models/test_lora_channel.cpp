// tests/models/test_lora_channel.cpp — LoRa reception model: unit cases for every rule (capture, preamble lock,
// Croce et al. 2018 SIR thresholds, demodulators, half duplex, multi-gateway deduplication) and the pure-ALOHA
// validation against exp(−2·(N−1)·A / (ch·(T + A))) (lora.md, "Collisions").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <queue>
#include <stdexcept>
#include <vector>

#include "models/core/rng.hpp"
#include "models/radio/lora_channel.hpp"
#include "models/radio/lora_phy.hpp"
#include "models/radio/path_loss.hpp"

namespace radio = edgetwin::models::radio;
using radio::ChannelConfig;
using radio::FrameOutcome;
using radio::FrameTx;
using radio::LoraChannel;
using radio::RxCause;

namespace {

// Time on air of a 20-byte LoRaWAN uplink at `sf`/125 kHz (lora_phy, datasheet LDRO rule).
double toa20(int sf) {
  radio::LoraParams p;
  p.sf = sf;
  return radio::time_on_air_s(p, 20);
}
const double kToa20 = toa20(7);  // 56.576 ms

FrameTx frame(double start, double toa = kToa20, std::uint32_t channel = 0, int sf = 7, std::uint64_t tag = 0) {
  FrameTx f;
  f.start_s = start;
  f.toa_s = toa;
  f.channel = channel;
  f.sf = sf;
  f.tag = tag;
  return f;
}

// Drains every frame and returns the single-gateway cause per frame id.
std::vector<RxCause> drain(LoraChannel& ch) {
  std::vector<RxCause> causes(ch.stats().frames_added, RxCause::received);
  FrameOutcome o;
  while (ch.next_outcome(ch.last_end_s(), o)) {
    if (!o.gateways.empty()) causes[o.id] = o.gateways[0].cause;
  }
  EXPECT_EQ(ch.pending(), 0u);
  return causes;
}

ChannelConfig aloha_config(int channels = 1) {
  ChannelConfig c;
  c.channels = channels;
  c.capture = false;
  c.preamble_lock = false;
  c.demodulators = 0;
  c.check_sensitivity = false;
  return c;
}

}  // namespace

TEST(LoraChannel, SingleFrameReceivedOrBelowSensitivity) {
  LoraChannel ch;
  ch.add_frame(frame(0.0), -100.0);
  ch.add_frame(frame(1.0), -124.5);  // SF7/125 sensitivity is −124 dBm
  ch.add_frame(frame(2.0), -124.0);
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::received);
  EXPECT_EQ(c[1], RxCause::below_sensitivity);
  EXPECT_EQ(c[2], RxCause::received);
}

TEST(LoraChannel, OverlapWithoutCaptureKillsBoth) {
  LoraChannel ch(aloha_config());
  ch.add_frame(frame(0.0), -100.0);
  ch.add_frame(frame(0.03), -80.0);
  ch.add_frame(frame(0.03 + kToa20), -100.0);  // starts exactly when the previous ends: no overlap
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::collision);
  EXPECT_EQ(c[1], RxCause::collision);
  EXPECT_EQ(c[2], RxCause::received);
}

TEST(LoraChannel, DifferentChannelsDoNotInterfere) {
  LoraChannel ch(aloha_config(2));
  ch.add_frame(frame(0.0, kToa20, 0), -100.0);
  ch.add_frame(frame(0.01, kToa20, 1), -100.0);
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::received);
  EXPECT_EQ(c[1], RxCause::received);
}

TEST(LoraChannel, CaptureSixDecibels) {
  ChannelConfig cfg;
  cfg.preamble_lock = false;
  LoraChannel ch(cfg);
  ch.add_frame(frame(0.0), -100.0);  // 6 dB above the next one: captured
  ch.add_frame(frame(0.01), -106.0);
  ch.add_frame(frame(1.0), -100.0);  // only 5.9 dB: both lost
  ch.add_frame(frame(1.01), -105.9);
  ch.add_frame(frame(2.0), -110.0);  // the later, stronger frame captures
  ch.add_frame(frame(2.02), -95.0);
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::received);
  EXPECT_EQ(c[1], RxCause::collision);
  EXPECT_EQ(c[2], RxCause::collision);
  EXPECT_EQ(c[3], RxCause::collision);
  EXPECT_EQ(c[4], RxCause::collision);
  EXPECT_EQ(c[5], RxCause::received);
}

TEST(LoraChannel, PreambleLockSurvivesEarlyEndingInterferer) {
  // Wanted W starts at 0.05 with 8 preamble symbols at SF7 (Tsym 1.024 ms): its critical section starts at
  // 0.05 + 3·1.024 ms = 0.053072 s. An equal-power interferer ending at 0.053 does not hurt W; one ending at
  // 0.0532 does. The interferer itself always loses (W covers its end).
  for (bool lock : {false, true}) {
    ChannelConfig cfg = aloha_config();
    cfg.preamble_lock = lock;
    LoraChannel ch(cfg);
    ch.add_frame(frame(0.0, 0.053), -100.0);
    ch.add_frame(frame(0.05), -100.0);
    ch.add_frame(frame(1.0, 0.0532), -100.0);
    ch.add_frame(frame(1.05), -100.0);
    const auto c = drain(ch);
    EXPECT_EQ(c[0], RxCause::collision);
    EXPECT_EQ(c[1], lock ? RxCause::received : RxCause::collision) << "lock " << lock;
    EXPECT_EQ(c[2], RxCause::collision);
    EXPECT_EQ(c[3], RxCause::collision);
  }
}

TEST(LoraChannel, SfOrthogonalityModes) {
  EXPECT_EQ(radio::croce_sir_threshold_db(7, 8), -8.0);
  EXPECT_EQ(radio::croce_sir_threshold_db(12, 7), -25.0);
  EXPECT_EQ(radio::croce_sir_threshold_db(10, 12), -18.0);
  EXPECT_EQ(radio::croce_sir_threshold_db(9, 9), 1.0);
  EXPECT_TRUE(std::isnan(radio::croce_sir_threshold_db(6, 7)));
  const double toa9 = toa20(9);
  EXPECT_DOUBLE_EQ(kToa20, 0.056576);
  EXPECT_DOUBLE_EQ(toa9, 0.185344);
  for (auto mode : {radio::SfInterference::orthogonal, radio::SfInterference::croce2018}) {
    ChannelConfig cfg = aloha_config();
    cfg.sf_interference = mode;
    LoraChannel ch(cfg);
    // SF7 at −100 vs SF9 at −95: SIR −5 dB ≥ −9 (SF7 survives), +5 ≥ −13 (SF9 survives).
    ch.add_frame(frame(0.0, kToa20, 0, 7), -100.0);
    ch.add_frame(frame(0.01, toa9, 0, 9), -95.0);
    // SF7 at −100 vs SF9 at −90: SIR −10 dB < −9: SF7 lost under Croce; SF9 survives.
    ch.add_frame(frame(1.0, kToa20, 0, 7), -100.0);
    ch.add_frame(frame(1.01, toa9, 0, 9), -90.0);
    // SF12 at −100 vs SF7 at −74: SIR −26 < −25: SF12 lost under Croce.
    ch.add_frame(frame(2.0, toa20(12), 0, 12), -100.0);
    ch.add_frame(frame(2.5, kToa20, 0, 7), -74.0);
    const auto c = drain(ch);
    const bool croce = mode == radio::SfInterference::croce2018;
    EXPECT_EQ(c[0], RxCause::received);
    EXPECT_EQ(c[1], RxCause::received);
    EXPECT_EQ(c[2], croce ? RxCause::collision : RxCause::received);
    EXPECT_EQ(c[3], RxCause::received);
    EXPECT_EQ(c[4], croce ? RxCause::collision : RxCause::received);
    EXPECT_EQ(c[5], RxCause::received);
  }
}

TEST(LoraChannel, DemodulatorLimit) {
  ChannelConfig cfg;
  cfg.channels = 4;
  cfg.demodulators = 2;
  LoraChannel ch(cfg);
  ch.add_frame(frame(0.0, 0.1, 0), -100.0);
  ch.add_frame(frame(0.01, 0.1, 1), -100.0);
  ch.add_frame(frame(0.02, 0.1, 2), -100.0);   // both paths busy
  ch.add_frame(frame(0.1, 0.1, 3), -100.0);    // first path free again at 0.1
  ch.add_frame(frame(0.105, 0.1, 2), -130.0);  // below sensitivity: takes no path
  ch.add_frame(frame(0.109, 0.1, 0), -100.0);  // second path freed at 0.11 → still busy
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::received);
  EXPECT_EQ(c[1], RxCause::received);
  EXPECT_EQ(c[2], RxCause::demodulator_busy);
  EXPECT_EQ(c[3], RxCause::received);
  EXPECT_EQ(c[4], RxCause::below_sensitivity);
  EXPECT_EQ(c[5], RxCause::demodulator_busy);
  EXPECT_EQ(ch.stats().by_cause[static_cast<int>(RxCause::demodulator_busy)], 2u);
}

TEST(LoraChannel, HalfDuplexGateway) {
  LoraChannel ch;
  ch.add_gateway_busy(0, 1.0, 1.5);
  ch.add_frame(frame(0.0), -100.0);   // before the downlink
  ch.add_frame(frame(0.97), -100.0);  // runs into the downlink
  ch.add_frame(frame(1.2), -100.0);   // during
  ch.add_frame(frame(1.5), -100.0);   // right after
  ch.add_frame(frame(2.0, 0.3), -100.0);
  ch.add_gateway_busy(0, 2.1, 2.2);  // a downlink scheduled while the frame is on the air
  const auto c = drain(ch);
  EXPECT_EQ(c[0], RxCause::received);
  EXPECT_EQ(c[1], RxCause::half_duplex);
  EXPECT_EQ(c[2], RxCause::half_duplex);
  EXPECT_EQ(c[3], RxCause::received);
  EXPECT_EQ(c[4], RxCause::half_duplex);
}

TEST(LoraChannel, MultiGatewayAndDeduplication) {
  ChannelConfig cfg;
  cfg.gateways = 3;
  cfg.preamble_lock = false;
  LoraChannel ch(cfg);
  const radio::GatewayLink a_links[] = {{0, -100.0}, {1, -110.0}, {2, -126.0}};
  const radio::GatewayLink b_links[] = {{0, -103.0}};
  const auto a = ch.add_frame(frame(0.0, kToa20, 0, 7, 42), a_links);
  const auto b = ch.add_frame(frame(0.01, kToa20, 0, 7, 43), b_links);
  FrameOutcome o;
  EXPECT_FALSE(ch.next_outcome(kToa20 - 1e-6, o));  // nothing is final before the first end
  ASSERT_TRUE(ch.next_outcome(1.0, o));
  EXPECT_EQ(o.id, a);
  EXPECT_EQ(o.tag, 42u);
  ASSERT_EQ(o.gateways.size(), 3u);
  EXPECT_EQ(o.gateways[0].cause, RxCause::collision);  // 3 dB apart at gw0: both lost there
  EXPECT_EQ(o.gateways[1].cause, RxCause::received);
  EXPECT_EQ(o.gateways[2].cause, RxCause::below_sensitivity);
  EXPECT_TRUE(o.network.delivered);
  EXPECT_EQ(o.network.best_gateway, 1);
  EXPECT_EQ(o.network.copies, 1);
  ASSERT_TRUE(ch.next_outcome(1.0, o));
  EXPECT_EQ(o.id, b);
  EXPECT_FALSE(o.network.delivered);
  EXPECT_EQ(o.network.best_gateway, -1);
  EXPECT_FALSE(ch.next_outcome(1.0, o));
  EXPECT_EQ(ch.stats().frames_delivered, 1u);
  // Deduplication alone: two copies count once, the strongest gateway wins.
  const radio::GatewayOutcome copies[] = {
      {0, RxCause::received, -110.0}, {1, RxCause::collision, -90.0}, {2, RxCause::received, -101.0}};
  const auto d = radio::deduplicate(copies);
  EXPECT_TRUE(d.delivered);
  EXPECT_EQ(d.copies, 2);
  EXPECT_EQ(d.best_gateway, 2);
}

TEST(LoraChannel, OutcomesInEndOrderAndOrderingContract) {
  LoraChannel ch(aloha_config(2));
  ch.add_frame(frame(0.0, 1.0, 0), -100.0);
  ch.add_frame(frame(0.1, 0.2, 1), -100.0);
  FrameOutcome o;
  ASSERT_TRUE(ch.next_outcome(0.5, o));
  EXPECT_EQ(o.id, 1u);  // ends first
  EXPECT_FALSE(ch.next_outcome(0.5, o));
  EXPECT_THROW(ch.add_frame(frame(0.4), -100.0), std::invalid_argument);  // before now
  ch.add_frame(frame(0.6, 0.1, 0), -100.0);
  EXPECT_THROW(ch.add_frame(frame(0.55), -100.0), std::invalid_argument);         // out of start order
  EXPECT_THROW(ch.add_frame(frame(0.7, 0.1, 2), -100.0), std::invalid_argument);  // no channel 2
  ASSERT_TRUE(ch.next_outcome(2.0, o));
  EXPECT_EQ(o.id, 2u);
  EXPECT_EQ(o.gateways[0].cause, RxCause::collision);  // inside frame 0
  ASSERT_TRUE(ch.next_outcome(2.0, o));
  EXPECT_EQ(o.id, 0u);
  EXPECT_EQ(o.gateways[0].cause, RxCause::collision);
}

TEST(LoraChannel, FinishedFramesAreRecycled) {
  // 20 000 frames, about 2 on the air at a time: the record pool stays at the peak concurrency.
  LoraChannel ch(aloha_config(4));
  edgetwin::models::Rng rng(5, "recycle");
  FrameOutcome o;
  double t = 0;
  for (int i = 0; i < 20000; ++i) {
    t += rng.exponential(kToa20 / 2);
    while (ch.next_outcome(t, o)) {
    }
    ch.add_frame(frame(t, kToa20, static_cast<std::uint32_t>(rng.below(4))), -100.0);
  }
  while (ch.next_outcome(ch.last_end_s(), o)) {
  }
  EXPECT_EQ(ch.pending(), 0u);
  EXPECT_EQ(ch.stats().frames_final, 20000u);
  EXPECT_LT(ch.pooled_records(), 40u);
}

TEST(PathLoss, LogDistanceLoraSimDefaults) {
  const radio::LogDistancePathLoss pl;
  EXPECT_DOUBLE_EQ(pl.mean_db(40.0), 127.41);
  EXPECT_NEAR(pl.mean_db(400.0), 127.41 + 20.8, 1e-9);  // one decade: 10·γ
  EXPECT_NEAR(pl.distance_for_db(pl.mean_db(1234.0)), 1234.0, 1e-6);
  // LoRaSim's maximum range at 14 dBm and SF12/125 (−137 dBm): PL 151 dB ⇒ d0·10^((151 − 127.41)/20.8) ≈ 544.7 m.
  EXPECT_NEAR(pl.distance_for_db(14.0 + 137.0), 40.0 * std::pow(10.0, 23.59 / 20.8), 1e-9);
  EXPECT_NEAR(pl.distance_for_db(151.0), 544.7, 0.1);
  EXPECT_DOUBLE_EQ(radio::received_power_dbm(14.0, 140.0), -126.0);
  edgetwin::models::Rng rng(11, "shadowing");
  double sum = 0, sum2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double x = pl.sample_db(400.0, rng) - pl.mean_db(400.0);
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(sum2 / n), 3.57, 0.05);
}

TEST(PathLoss, PlacementIsUniformInTheDiscAndDeterministic) {
  edgetwin::models::Rng a(9, "place"), b(9, "place");
  const radio::Position c{100.0, -50.0};
  double sum_r = 0;
  int inner = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const auto p = radio::place_uniform_in_disc(a, 1000.0, c);
    const auto q = radio::place_uniform_in_disc(b, 1000.0, c);
    ASSERT_EQ(p.x_m, q.x_m);
    ASSERT_EQ(p.y_m, q.y_m);
    const double r = radio::distance_m(p, c);
    ASSERT_LE(r, 1000.0);
    sum_r += r;
    inner += r < 500.0 ? 1 : 0;
  }
  EXPECT_NEAR(sum_r / n, 2000.0 / 3.0, 3.0);                 // E[r] = 2R/3 for a uniform disc
  EXPECT_NEAR(static_cast<double>(inner) / n, 0.25, 0.005);  // area fraction of the inner half-radius disc
  edgetwin::models::Rng d(1, "dist");
  for (int i = 0; i < 1000; ++i) {
    const double r = radio::distance_uniform_in_disc(d, 1000.0, 10.0);
    ASSERT_GE(r, 10.0);
    ASSERT_LE(r, 1000.0);
  }
}

TEST(PathLoss, SmallestSfThatReaches) {
  EXPECT_EQ(radio::smallest_sf_that_reaches(-100.0), 7);
  EXPECT_EQ(radio::smallest_sf_that_reaches(-124.0), 7);
  EXPECT_EQ(radio::smallest_sf_that_reaches(-124.1), 8);
  EXPECT_EQ(radio::smallest_sf_that_reaches(-131.0), 10);
  EXPECT_EQ(radio::smallest_sf_that_reaches(-137.0), 12);
  EXPECT_FALSE(radio::smallest_sf_that_reaches(-137.5));
  EXPECT_EQ(radio::smallest_sf_that_reaches(-127.0, 125, 3.0), 9);  // −130 needed: SF9
  EXPECT_EQ(radio::smallest_sf_that_reaches(-120.0, 500), 9);       // 500 kHz: SF8 −119, SF9 −122
}

TEST(PathLoss, AdrAssignment) {
  // SF12, SNRmax 5 dB: margin 5 − (−20) − 10 = 15 dB ⇒ 5 steps ⇒ SF7, power unchanged.
  auto d = radio::adr_assign(5.0, 12, 14.0);
  EXPECT_EQ(d.steps, 5);
  EXPECT_EQ(d.sf, 7);
  EXPECT_EQ(d.tx_power_dbm, 14.0);
  // SF12, SNRmax −5 dB: margin 5 dB ⇒ 1 step ⇒ SF11.
  d = radio::adr_assign(-5.0, 12, 14.0);
  EXPECT_EQ(d.sf, 11);
  // Margin 2.9 dB: no step.
  d = radio::adr_assign(-7.1, 12, 14.0);
  EXPECT_EQ(d.steps, 0);
  EXPECT_EQ(d.sf, 12);
  // SF7 with 8 steps: 2 dB power steps down to the 2 dBm floor (14 → 2 takes 6 steps).
  d = radio::adr_assign(-7.5 + 10 + 24, 7, 14.0);
  EXPECT_EQ(d.steps, 8);
  EXPECT_EQ(d.sf, 7);
  EXPECT_EQ(d.tx_power_dbm, 2.0);
  // Negative margin raises the power (never the SF), up to +16 dBm.
  d = radio::adr_assign(-20.0, 9, 10.0);
  EXPECT_EQ(d.sf, 9);
  EXPECT_EQ(d.tx_power_dbm, 16.0);
  // With the SNR from RSSI: −120 dBm on 125 kHz is SNR −120 − (−117.03) ≈ −3 dB.
  EXPECT_NEAR(radio::snr_db(-120.0, 125), -2.97, 0.01);
}

namespace {

struct AlohaRun {
  std::uint64_t counted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t delivered_capture = 0;  // same traffic through a channel with capture + preamble lock
};

// N devices, each sending 20-byte SF7 frames with gaps A + Exp(T) (pure ALOHA with exponential think time), on a
// channel chosen uniformly among `channels`. Frames starting in [warmup, horizon − 10 s] are counted.
AlohaRun run_aloha(int n, double mean_gap, int channels, std::uint64_t seed, bool with_capture_twin) {
  constexpr double kHorizon = 3600.0, kWarmup = 100.0;
  edgetwin::models::Rng rng(seed, "aloha");
  LoraChannel plain(aloha_config(channels));
  ChannelConfig cap_cfg = aloha_config(channels);
  cap_cfg.capture = true;
  cap_cfg.preamble_lock = true;
  LoraChannel capture(cap_cfg);

  // RSSI per device from LoRaSim path loss at a distance uniform in a 2 km disc (14 dBm, shadowing per device).
  std::vector<double> rssi(static_cast<std::size_t>(n), -100.0);
  if (with_capture_twin) {
    radio::LogDistancePathLoss pl;
    edgetwin::models::Rng place(seed, "placement");
    for (auto& r : rssi) {
      const double d = radio::distance_uniform_in_disc(place, 2000.0, 1.0);
      r = radio::received_power_dbm(14.0, pl.sample_db(d, place));
    }
  }

  using Ev = std::pair<double, int>;
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> next;
  for (int d = 0; d < n; ++d) next.emplace(rng.uniform(0.0, mean_gap + kToa20), d);

  AlohaRun run;
  FrameOutcome o;
  auto collect = [&](double now) {
    while (plain.next_outcome(now, o)) {
      if (o.start_s < kWarmup || o.start_s > kHorizon - 10.0) continue;
      ++run.counted;
      run.delivered += o.network.delivered ? 1 : 0;
    }
    while (with_capture_twin && capture.next_outcome(now, o)) {
      if (o.start_s < kWarmup || o.start_s > kHorizon - 10.0) continue;
      run.delivered_capture += o.network.delivered ? 1 : 0;
    }
  };
  while (!next.empty()) {
    const auto [t, d] = next.top();
    next.pop();
    if (t > kHorizon) continue;
    collect(t);
    FrameTx f = frame(t, kToa20, static_cast<std::uint32_t>(channels > 1 ? rng.below(channels) : 0), 7, d);
    plain.add_frame(f, rssi[static_cast<std::size_t>(d)]);
    if (with_capture_twin) capture.add_frame(f, rssi[static_cast<std::size_t>(d)]);
    next.emplace(t + kToa20 + rng.exponential(mean_gap), d);
  }
  collect(plain.last_end_s() + 1.0);
  return run;
}

void check_aloha(int n, double mean_gap, int channels) {
  constexpr int kSeeds = 6;
  const double expected = std::exp(-2.0 * (n - 1) * kToa20 / (channels * (mean_gap + kToa20)));
  std::vector<double> ratios;
  std::uint64_t counted = 0, delivered = 0;
  for (int s = 1; s <= kSeeds; ++s) {
    const auto r = run_aloha(n, mean_gap, channels, 1000 + s, false);
    ratios.push_back(static_cast<double>(r.delivered) / static_cast<double>(r.counted));
    counted += r.counted;
    delivered += r.delivered;
  }
  double mean = 0;
  for (double r : ratios) mean += r / kSeeds;
  double var = 0;
  for (double r : ratios) var += (r - mean) * (r - mean) / (kSeeds - 1);
  // σ of the mean: the larger of the seed-to-seed standard error and the binomial one (×√2 because a collision
  // removes frames in pairs).
  const double se_seeds = std::sqrt(var / kSeeds);
  const double se_binom = std::sqrt(2.0 * mean * (1 - mean) / static_cast<double>(counted));
  const double sigma = std::max(se_seeds, se_binom);
  std::printf(
      "ALOHA N=%d T=%.0f s ch=%d: delivery %.4f (%llu frames), exp(-2(N-1)A/(ch(T+A))) %.4f, |diff| %.4f = "
      "%.2f sigma\n",
      n, mean_gap, channels, mean, static_cast<unsigned long long>(counted), expected, std::abs(mean - expected),
      std::abs(mean - expected) / sigma);
  EXPECT_GT(expected, 0.3);
  EXPECT_LT(expected, 0.97);
  EXPECT_NEAR(mean, expected, 3.0 * sigma) << "N=" << n << " ch=" << channels;
}

}  // namespace

TEST(LoraChannelValidation, PureAlohaOneChannel) {
  for (int n : {100, 500, 1000}) check_aloha(n, 100.0, 1);
}

TEST(LoraChannelValidation, PureAlohaThreeRandomChannels) {
  for (int n : {100, 500, 1000}) check_aloha(n, 50.0, 3);
}

TEST(LoraChannelValidation, CaptureAndPreambleLockDeliverMore) {
  for (int n : {100, 500, 1000}) {
    for (int s = 1; s <= 3; ++s) {
      const auto r = run_aloha(n, 100.0, 1, 77 + s, true);
      const double plain = static_cast<double>(r.delivered) / static_cast<double>(r.counted);
      const double cap = static_cast<double>(r.delivered_capture) / static_cast<double>(r.counted);
      if (s == 1) std::printf("N=%d: pure ALOHA %.4f, capture + preamble lock %.4f\n", n, plain, cap);
      EXPECT_GT(cap, plain) << "N=" << n << " seed " << s;
      // Capture needs a 6 dB gap; at 2 km most pairs have one, so the gain is substantial once collisions matter.
      if (n >= 500) {
        EXPECT_GT(cap - plain, 0.1 * (1.0 - plain)) << "N=" << n;
      }
    }
  }
}
