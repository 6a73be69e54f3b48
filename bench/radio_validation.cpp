// bench/radio_validation.cpp — validation table of the radio models (models/radio) against the published reference
// values collected in /work/shared/references/lora.md and queues-cellular-mqtt.md, printed as Markdown tables.
//
// Every "ours" value is computed here, in this run, by calling the model functions; only reference values are
// written in this file. The simulation experiments use the same parameters, seeds and stream names as the unit tests
// (tests/models/test_lora_channel.cpp, test_cellular.cpp, test_energy.cpp), so the figures agree with them.
// Exit code 0 when every row is within its tolerance, 1 otherwise; the last line is "N passed, M failed".
// Usage: bench_radio_validation   (no arguments; runs in about a second)
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "models/core/rng.hpp"
#include "models/radio/cellular.hpp"
#include "models/radio/energy.hpp"
#include "models/radio/lora_channel.hpp"
#include "models/radio/lora_phy.hpp"
#include "models/radio/lorawan_region.hpp"
#include "models/radio/path_loss.hpp"
#include "models/radio/sigfox.hpp"

namespace radio = edgetwin::models::radio;
using edgetwin::models::Rng;
using radio::CoverageClass;
using radio::LdroMode;
using radio::LoraParams;
using radio::Region;

namespace {

// ---- Output: Markdown tables and the pass/fail tally ---------------------------------------------------------------

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

int g_passed = 0;
int g_failed = 0;

/// Records a row's verdict and returns the cell text for the result column.
std::string verdict(bool ok) {
  (ok ? g_passed : g_failed) += 1;
  return ok ? "pass" : "**FAIL**";
}

void heading(const char* title) { std::printf("\n### %s\n", title); }

void header(const std::vector<std::string>& cols) {
  std::string line = "|", rule = "|";
  for (const auto& c : cols) {
    line += " " + c + " |";
    rule += "---|";
  }
  std::printf("%s\n%s\n", line.c_str(), rule.c_str());
}

void row(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (const auto& c : cells) line += " " + c + " |";
  std::printf("%s\n", line.c_str());
}

void note(const char* text) { std::printf("\n%s\n", text); }

std::string cr_name(int cr) { return fmt("4/%d", cr + 4); }

// ---- (a) LoRa time on air ------------------------------------------------------------------------------------------

struct TtnCase {
  int pl, sf, bw, cr;
  std::int64_t toa_us;
};
// avbentem/airtime-calculator src/lora/Airtime.test.ts (lora.md): 8 preamble, explicit header, CRC on, LDRO
// SF11/12@125.
constexpr TtnCase kTtn[] = {
    {14, 7, 125, 1, 46336}, {16, 7, 125, 1, 51456},  {25, 7, 125, 1, 61696},   {14, 7, 250, 1, 23168},
    {25, 7, 250, 1, 30848}, {14, 7, 125, 4, 61696},  {25, 7, 125, 4, 86272},   {16, 7, 250, 4, 34944},
    {14, 8, 125, 1, 82432}, {25, 8, 125, 1, 113152}, {14, 11, 125, 1, 659456}, {25, 11, 125, 1, 823296},
};

struct Ns3Case {
  int pl, sf, bw, cr, preamble;
  bool implicit, crc, ldro;
  std::int64_t toa_us;
};
// signetlabdei/lorawan (ns-3) test/lorawan-test-suite.cc, TimeOnAirTest (lora.md).
constexpr Ns3Case kNs3[] = {
    {10, 7, 125, 1, 8, false, true, false, 41216},   {10, 8, 125, 1, 8, false, true, false, 72192},
    {10, 8, 125, 2, 8, true, true, false, 78336},    {10, 8, 125, 2, 10, true, true, false, 82432},
    {10, 10, 125, 2, 10, true, true, true, 280576},  {10, 10, 500, 2, 10, true, true, true, 70144},
    {10, 10, 500, 2, 10, false, true, true, 82432},  {10, 12, 500, 2, 8, false, true, true, 264192},
    {50, 12, 500, 2, 8, false, true, true, 657408},  {50, 12, 125, 2, 8, false, true, true, 2629632},
    {50, 12, 125, 1, 8, false, true, true, 2301952},
};

void time_on_air() {
  heading("(a) LoRa time on air (lora_phy), tolerance 0 µs");
  note(
      "avbentem/airtime-calculator `Airtime.test.ts`: 8 preamble, explicit header, CRC on, "
      "`LdroMode::sf11_12_at_125`.\n");
  header({"PL", "SF/BW", "CR", "reference µs", "ours µs", "diff µs", "result"});
  for (const auto& c : kTtn) {
    LoraParams p;
    p.sf = c.sf;
    p.bw_khz = c.bw;
    p.cr = c.cr;
    p.ldro = LdroMode::sf11_12_at_125;
    const std::int64_t ours = radio::time_on_air_us(p, c.pl);
    row({fmt("%d", c.pl), fmt("SF%d/%d", c.sf, c.bw), cr_name(c.cr), fmt("%lld", static_cast<long long>(c.toa_us)),
         fmt("%lld", static_cast<long long>(ours)), fmt("%lld", static_cast<long long>(ours - c.toa_us)),
         verdict(ours == c.toa_us)});
  }
  note("signetlabdei/lorawan (ns-3) `TimeOnAirTest`, LDRO forced as given (`LdroMode::on` / `off`).\n");
  header({"PL", "SF/BW", "CR", "Npre", "header", "CRC", "LDRO", "reference µs", "ours µs", "diff µs", "result"});
  for (const auto& c : kNs3) {
    const LoraParams p{c.sf, c.bw, c.cr, c.preamble, c.implicit, c.crc, c.ldro ? LdroMode::on : LdroMode::off};
    const std::int64_t ours = radio::time_on_air_us(p, c.pl);
    row({fmt("%d", c.pl), fmt("SF%d/%d", c.sf, c.bw), cr_name(c.cr), fmt("%d", c.preamble),
         c.implicit ? "implicit" : "explicit", c.crc ? "1" : "0", c.ldro ? "1" : "0",
         fmt("%lld", static_cast<long long>(c.toa_us)), fmt("%lld", static_cast<long long>(ours)),
         fmt("%lld", static_cast<long long>(ours - c.toa_us)), verdict(ours == c.toa_us)});
  }
}

// ---- (b) EU868 duty cycle ------------------------------------------------------------------------------------------

void duty_cycle() {
  heading("(b) EU868 duty cycle (lorawan_region DutyCycleTracker), tolerance 1e-9 s");
  note(
      "ns-3 `LogicalLoraChannelTest` (lora.md): a 2 s frame at 1 % closes its sub-band for 198 s; other sub-bands "
      "stay open. Here the frame starts at t = 10 s on 868.1 MHz.\n");
  radio::DutyCycleTracker t(Region::eu868);
  const bool recorded = t.record(868'100'000, 10.0, 2.0);
  struct Check {
    const char* what;
    double reference, ours;
  };
  const Check checks[] = {
      {"off time after 2 s at 1 % (s)", 198.0, radio::duty_cycle_off_time_s(2.0, 0.01)},
      {"868.1 MHz (same channel) reopens at (s)", 210.0, t.earliest_tx_s(868'100'000)},
      {"868.5 MHz (same 868.0–868.6 sub-band) reopens at (s)", 210.0, t.earliest_tx_s(868'500'000)},
      {"869.525 MHz (10 % sub-band, RX2) open at (s)", 0.0, t.earliest_tx_s(869'525'000)},
      {"868.8 MHz (0.1 % sub-band) open at (s)", 0.0, t.earliest_tx_s(868'800'000)},
      {"best of the 3 default channels (s)", 210.0, t.earliest_tx_s(radio::default_uplink_channels(Region::eu868))},
  };
  header({"check", "reference", "ours", "diff", "result"});
  for (const auto& c : checks) {
    row({c.what, fmt("%.6f", c.reference), fmt("%.6f", c.ours), fmt("%.3g", c.ours - c.reference),
         verdict(recorded && std::abs(c.ours - c.reference) <= 1e-9)});
  }
  // The six ETSI EN 300 220 sub-bands of LoRaMac-node RegionEU868 (lora.md).
  const double dc[] = {0.001, 0.01, 0.01, 0.001, 0.1, 0.01};
  const char* band[] = {"863–865", "865–868", "868.0–868.6", "868.7–869.2", "869.4–869.65", "869.7–870"};
  const auto bands = radio::duty_cycle_sub_bands(Region::eu868);
  note("Sub-band duty cycles (ETSI EN 300 220 as in LoRaMac-node RegionEU868):\n");
  header({"sub-band MHz", "reference", "ours", "result"});
  for (std::size_t i = 0; i < 6; ++i) {
    const double ours = i < bands.size() ? bands[i].duty_cycle : -1.0;
    row({band[i], fmt("%g %%", 100 * dc[i]), fmt("%g %%", 100 * ours), verdict(bands.size() == 6 && ours == dc[i])});
  }
}

// ---- (c) Regional data rates and payload limits --------------------------------------------------------------------

std::string dr_modulation(const radio::DataRate& d) {
  return d.lora ? fmt("SF%d/%d", d.sf, d.bw_khz) : std::string("FSK");
}

void regional_parameters() {
  heading("(c) LoRaWAN regional parameters (lorawan_region) vs RP002-1.0.1, exact");
  note("EU863-870 (§2.4): DR → modulation, indicative bit rate, maximum MACPayload M / application payload N.\n");
  struct EuRef {
    const char* mod;
    int rate, m, n;
  };
  const EuRef eu[] = {{"SF12/125", 250, 59, 51},    {"SF11/125", 440, 59, 51},   {"SF10/125", 980, 59, 51},
                      {"SF9/125", 1760, 123, 115},  {"SF8/125", 3125, 250, 242}, {"SF7/125", 5470, 250, 242},
                      {"SF7/250", 11000, 250, 242}, {"FSK", 0, 250, 242}};
  header({"DR", "reference", "ours", "result"});
  for (int dr = 0; dr <= 7; ++dr) {
    const auto& r = eu[dr];
    const auto d = radio::data_rate(Region::eu868, dr);
    const std::string ref = dr < 7 ? fmt("%s, %d bit/s, %d/%d", r.mod, r.rate, r.m, r.n) : fmt("FSK, %d/%d", r.m, r.n);
    std::string ours = "undefined";
    bool ok = false;
    if (d) {
      ours = dr < 7 ? fmt("%s, %d bit/s, %d/%d", dr_modulation(*d).c_str(), d->bit_rate_bps, d->max_mac_payload,
                          d->max_app_payload)
                    : fmt("%s, %d/%d", dr_modulation(*d).c_str(), d->max_mac_payload, d->max_app_payload);
      ok = ours == ref;
      if (d->lora) ok = ok && radio::uplink_dr_for(Region::eu868, d->sf, d->bw_khz) == dr;
    }
    row({fmt("DR%d", dr), ref, ours, verdict(ok)});
  }
  note("US902-928 (§2.5): uplink DR0–4 → modulation, M / N (N = M − 8, no FOpts); DR5–7 undefined.\n");
  struct UsRef {
    const char* mod;
    int m;
  };
  const UsRef us[] = {{"SF10/125", 19}, {"SF9/125", 61}, {"SF8/125", 133}, {"SF7/125", 250}, {"SF8/500", 250}};
  header({"DR", "reference", "ours", "result"});
  for (int dr = 0; dr <= 4; ++dr) {
    const auto d = radio::data_rate(Region::us915, dr);
    const std::string ref = fmt("%s, %d/%d", us[dr].mod, us[dr].m, us[dr].m - 8);
    const std::string ours =
        d ? fmt("%s, %d/%d", dr_modulation(*d).c_str(), d->max_mac_payload, d->max_app_payload) : "undefined";
    row({fmt("DR%d", dr), ref, ours, verdict(d && d->uplink && ours == ref)});
  }
  bool none = true;
  for (int dr = 5; dr <= 7; ++dr) none = none && !radio::data_rate(Region::us915, dr);
  row({"DR5–7", "undefined", none ? "undefined" : "defined", verdict(none)});
  // US915 dwell time: DR0 with its largest payload (PHY 24 B) fits 400 ms; 30 B does not.
  const auto p0 = radio::uplink_params(Region::us915, 0);
  const double toa24 = radio::time_on_air_s(p0, 24), toa30 = radio::time_on_air_s(p0, 30);
  note("US915 400 ms uplink dwell time (RP002 §2.5) at DR0:\n");
  header({"PHY payload", "time on air", "reference", "ours", "result"});
  const bool ok24 = !radio::check_dwell_time(Region::us915, toa24);
  const bool ok30 = !radio::check_dwell_time(Region::us915, toa30);
  row({"24 B (M = 19)", fmt("%.3f ms", toa24 * 1e3), "allowed", ok24 ? "allowed" : "rejected", verdict(ok24)});
  row({"30 B", fmt("%.3f ms", toa30 * 1e3), "rejected", ok30 ? "allowed" : "rejected", verdict(!ok30)});
}

// ---- Receiver tables and path loss (lora_phy, path_loss) -----------------------------------------------------------

void receiver_and_path_loss() {
  heading("LoRa receiver tables and path loss (lora_phy, path_loss), exact / 0.1 m");
  note("Sensitivity dBm (SX1272/73 datasheet, as used by FLoRa) and demodulation SNR floor dB (lora.md):\n");
  const double sens[6][3] = {{-124, -122, -116}, {-127, -125, -119}, {-130, -128, -122},
                             {-133, -130, -125}, {-135, -132, -128}, {-137, -135, -129}};
  const double snr[6] = {-7.5, -10, -12.5, -15, -17.5, -20};
  header({"SF", "reference 125/250/500 kHz; SNR", "ours", "result"});
  for (int sf = 7; sf <= 12; ++sf) {
    const auto& s = sens[sf - 7];
    const double o125 = radio::sensitivity_dbm(sf, 125), o250 = radio::sensitivity_dbm(sf, 250),
                 o500 = radio::sensitivity_dbm(sf, 500), osnr = radio::snr_floor_db(sf);
    row({fmt("SF%d", sf), fmt("%g / %g / %g; %g", s[0], s[1], s[2], snr[sf - 7]),
         fmt("%g / %g / %g; %g", o125, o250, o500, osnr),
         verdict(o125 == s[0] && o250 == s[1] && o500 == s[2] && osnr == snr[sf - 7])});
  }
  const radio::LogDistancePathLoss pl;
  note("Log-distance path loss, LoRaSim defaults (Bor et al. 2016 from Petäjäjärvi et al. 2015):\n");
  header({"check", "reference", "ours", "result"});
  row({"PL(d0 = 40 m)", "127.41 dB", fmt("%.2f dB", pl.mean_db(40.0)),
       verdict(std::abs(pl.mean_db(40.0) - 127.41) < 1e-9)});
  const double decade = pl.mean_db(400.0) - pl.mean_db(40.0);
  row({"per decade of distance (10·γ, γ = 2.08)", "20.8 dB", fmt("%.2f dB", decade),
       verdict(std::abs(decade - 20.8) < 1e-9)});
  const double range = pl.distance_for_db(14.0 - radio::sensitivity_dbm(12, 125));
  row({"SF12/125 range at 14 dBm (151 dB, LoRaSim)", "544.7 m", fmt("%.1f m", range),
       verdict(std::abs(range - 544.7) < 0.1)});
}

// ---- (d) Pure ALOHA with the channel model alone -------------------------------------------------------------------

// Same traffic as tests/models/test_lora_channel.cpp: 20-byte SF7/125 frames, gaps A + Exp(T), channel uniform among
// `channels`, frames starting in [100 s, 3590 s] of a 1 h run counted; capture, preamble lock, sensitivity and
// demodulator limits off for the plain channel.
double toa20(int sf) {
  LoraParams p;
  p.sf = sf;
  return radio::time_on_air_s(p, 20);
}

radio::ChannelConfig aloha_config(int channels) {
  radio::ChannelConfig c;
  c.channels = channels;
  c.capture = false;
  c.preamble_lock = false;
  c.demodulators = 0;
  c.check_sensitivity = false;
  return c;
}

struct AlohaRun {
  std::uint64_t counted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t delivered_capture = 0;
};

AlohaRun run_aloha(int n, double mean_gap, int channels, std::uint64_t seed, bool with_capture_twin) {
  constexpr double kHorizon = 3600.0, kWarmup = 100.0;
  const double toa = toa20(7);
  Rng rng(seed, "aloha");
  radio::LoraChannel plain(aloha_config(channels));
  radio::ChannelConfig cap_cfg = aloha_config(channels);
  cap_cfg.capture = true;
  cap_cfg.preamble_lock = true;
  radio::LoraChannel capture(cap_cfg);

  // RSSI per device: LoRaSim path loss at a distance uniform in a 2 km disc, 14 dBm, one shadowing draw per device.
  std::vector<double> rssi(static_cast<std::size_t>(n), -100.0);
  if (with_capture_twin) {
    radio::LogDistancePathLoss pl;
    Rng place(seed, "placement");
    for (auto& r : rssi) {
      const double d = radio::distance_uniform_in_disc(place, 2000.0, 1.0);
      r = radio::received_power_dbm(14.0, pl.sample_db(d, place));
    }
  }

  using Ev = std::pair<double, int>;
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> next;
  for (int d = 0; d < n; ++d) next.emplace(rng.uniform(0.0, mean_gap + toa), d);

  AlohaRun run;
  radio::FrameOutcome o;
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
    radio::FrameTx f;
    f.start_s = t;
    f.toa_s = toa;
    f.channel = static_cast<std::uint32_t>(channels > 1 ? rng.below(static_cast<std::uint64_t>(channels)) : 0);
    f.sf = 7;
    f.tag = static_cast<std::uint64_t>(d);
    plain.add_frame(f, rssi[static_cast<std::size_t>(d)]);
    if (with_capture_twin) capture.add_frame(f, rssi[static_cast<std::size_t>(d)]);
    next.emplace(t + toa + rng.exponential(mean_gap), d);
  }
  collect(plain.last_end_s() + 1.0);
  return run;
}

double mean_of(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  return m / static_cast<double>(x.size());
}

double sd_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

void pure_aloha() {
  heading("(d) Pure ALOHA through the LoRa channel model (lora_channel), pass at abs. diff < 3σ");
  const double a = toa20(7);
  std::printf(
      "\nN devices, 20-byte SF7/125 frames (A = %.3f ms), gaps A + Exp(T), capture / preamble lock / sensitivity / "
      "demodulator limits off; frames starting in [100 s, 3590 s] of a 1 h run counted; seeds 1001–1006. "
      "Theory (lora.md): exp(−2(N−1)A/(ch·(T+A))). σ is the standard error of the mean: the larger of sd/√seeds and "
      "the binomial √(2p(1−p)/frames) (a collision removes frames in pairs), as in `LoraChannelValidation.*`.\n\n",
      a * 1e3);
  constexpr int kSeeds = 6;
  header({"N", "T", "channels", "theory", "ours: mean ± sd over seeds", "frames", "abs. diff", "σ", "abs. diff / σ",
          "result"});
  for (const auto& [channels, gap] : {std::pair{1, 100.0}, std::pair{3, 50.0}}) {
    for (int n : {100, 500, 1000}) {
      const double expected = std::exp(-2.0 * (n - 1) * a / (channels * (gap + a)));
      std::vector<double> ratios;
      std::uint64_t counted = 0;
      for (int s = 1; s <= kSeeds; ++s) {
        const auto r = run_aloha(n, gap, channels, 1000 + static_cast<std::uint64_t>(s), false);
        ratios.push_back(static_cast<double>(r.delivered) / static_cast<double>(r.counted));
        counted += r.counted;
      }
      const double mean = mean_of(ratios), sd = sd_of(ratios);
      const double se_binom = std::sqrt(2.0 * mean * (1 - mean) / static_cast<double>(counted));
      const double sigma = std::max(sd / std::sqrt(static_cast<double>(kSeeds)), se_binom);
      const double diff = std::abs(mean - expected);
      row({fmt("%d", n), fmt("%.0f s", gap), channels == 1 ? "1" : "3 random", fmt("%.4f", expected),
           fmt("%.4f ± %.4f", mean, sd), fmt("%llu", static_cast<unsigned long long>(counted)), fmt("%.4f", diff),
           fmt("%.4f", sigma), fmt("%.2f", diff / sigma), verdict(diff < 3.0 * sigma)});
    }
  }

  std::printf(
      "\nCapture (6 dB) + preamble lock (last 5 preamble symbols), same traffic (1 channel, T = 100 s), RSSI from the "
      "LoRaSim path loss at distances uniform in a 2 km disc, seeds 78–80 (as `CaptureAndPreambleLockDeliverMore`). "
      "Pass: more delivered than pure ALOHA for every seed, and for N ≥ 500 a gain above 10 %% of the pure-ALOHA "
      "loss (Bor et al. 2016 capture effect).\n\n");
  header({"N", "pure ALOHA: mean ± sd", "capture + lock: mean ± sd", "smallest gain / loss", "result"});
  for (int n : {100, 500, 1000}) {
    std::vector<double> plain, cap;
    bool ok = true;
    double min_gain_ratio = 1e9;
    for (int s = 1; s <= 3; ++s) {
      const auto r = run_aloha(n, 100.0, 1, 77 + static_cast<std::uint64_t>(s), true);
      const double p = static_cast<double>(r.delivered) / static_cast<double>(r.counted);
      const double c = static_cast<double>(r.delivered_capture) / static_cast<double>(r.counted);
      plain.push_back(p);
      cap.push_back(c);
      min_gain_ratio = std::min(min_gain_ratio, (c - p) / (1.0 - p));
      ok = ok && c > p && (n < 500 || c - p > 0.1 * (1.0 - p));
    }
    row({fmt("%d", n), fmt("%.4f ± %.4f", mean_of(plain), sd_of(plain)), fmt("%.4f ± %.4f", mean_of(cap), sd_of(cap)),
         fmt("%.1f %%", 100 * min_gain_ratio), verdict(ok)});
  }
}

// ---- (e) Sigfox ----------------------------------------------------------------------------------------------------

void sigfox() {
  heading("(e) Sigfox (sigfox)");
  note(
      "Operator documentation (lora.md): 100 bit/s RC1 uplink, 0–12 B payload, each message sent 3 times "
      "(≈ 6 s in RC1), 140 uplinks and 4 downlinks per day. One repetition = (112 overhead bits + 8·payload) / "
      "100 bit/s (frame of the Sigfox technical overview, minimum 16-bit authentication).\n");
  header({"check", "reference", "ours", "tolerance", "result"});
  const double frame12 = radio::sigfox_frame_airtime_s(12);
  const double msg12 = radio::sigfox_message_airtime_s(12);
  const double msg0 = radio::sigfox_message_airtime_s(0);
  row({"one repetition, 12 B", "(112 + 96) bit / 100 bit/s = 2.08 s", fmt("%.3f s", frame12), "1e-9 s",
       verdict(std::abs(frame12 - 2.08) < 1e-9)});
  row({"message (3 repetitions), 12 B", "≈ 6 s", fmt("%.3f s", msg12), "± 0.3 s",
       verdict(std::abs(msg12 - 6.0) <= 0.3)});
  row({"message (3 repetitions), 0 B", "3 × 112 bit / 100 bit/s = 3.36 s", fmt("%.3f s", msg0), "1e-9 s",
       verdict(std::abs(msg0 - 3.36) < 1e-9)});
  const bool payload_ok = !radio::check_sigfox_uplink_payload(12) && radio::check_sigfox_uplink_payload(13);
  row({"largest uplink payload", "12 B", payload_ok ? "12 B (13 B rejected)" : "differs", "exact",
       verdict(payload_ok)});
  radio::SigfoxQuota q;
  int up = 0, down = 0;
  for (int i = 0; i < 200; ++i) up += q.try_uplink(100.0 + i) ? 1 : 0;
  for (int i = 0; i < 10; ++i) down += q.try_downlink(200.0 + i) ? 1 : 0;
  row({"uplinks / downlinks accepted in one day", "140 / 4", fmt("%d / %d", up, down), "exact",
       verdict(up == 140 && down == 4)});
}

// ---- (f) Cellular --------------------------------------------------------------------------------------------------

/// Mean wait of `n` Poisson arrivals through a fresh SharedCellUplink (first 5 % dropped), as in test_cellular.cpp.
double simulate_mean_wait(double rate_bps, double lambda, int n, std::uint64_t seed,
                          const std::function<double(Rng&)>& size) {
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

void cellular() {
  heading("(f) Cellular access (cellular)");
  note(
      "Exception report of 20 B (TR 45.820) from an idle device: setup + R·user plane + transfer. MCL 144 dB is the "
      "edge of normal coverage (R = 1), 164 dB the extreme class (R = 128).\n");
  header({"check", "reference", "ours", "tolerance", "result"});
  const auto m1 = radio::lte_m1_profile();
  const double bytes = radio::kExceptionReportBytes;
  const double m1_edge = radio::uplink_latency_s(m1, radio::coverage_class(m1, 144.0), bytes, true);
  const double m1_164 = radio::uplink_latency_s(m1, radio::coverage_class(m1, 164.0), bytes, true);
  row({"LTE-M latency, normal-coverage edge (144 dB)", "0.1 s (LTE-M white paper 2018)", fmt("%.4f s", m1_edge),
       "1e-6 s", verdict(std::abs(m1_edge - radio::kLteMLatencyNormalEdgeS) < 1e-6)});
  row({"LTE-M latency, 164 dB", "6.2 s (ibid.)", fmt("%.4f s", m1_164), "1e-6 s",
       verdict(std::abs(m1_164 - radio::kLteMLatencyExtremeS) < 1e-6)});
  for (const auto& p : {radio::nb_iot_nb1_profile(), radio::nb_iot_nb2_profile()}) {
    const double lat = radio::uplink_latency_s(p, radio::coverage_class(p, 164.0), bytes, true);
    row({fmt("%s latency, 164 dB", std::string(radio::to_string(p.tech)).c_str()), "≤ 10 s (TR 45.820)",
         fmt("%.3f s", lat), "≤ 10 s", verdict(lat <= radio::kCiotLatencyTargetS)});
  }
  const auto embb = radio::nr_embb_profile(), urllc = radio::nr_urllc_profile();
  row({"5G user plane eMBB / URLLC", "4 ms / 1 ms (ITU-R M.2410)",
       fmt("%.1f ms / %.1f ms", embb.user_plane_latency_s * 1e3, urllc.user_plane_latency_s * 1e3), "exact",
       verdict(embb.user_plane_latency_s == 0.004 && urllc.user_plane_latency_s == 0.001)});
  const double cp = radio::setup_latency_s(embb, CoverageClass::normal);
  row({"5G control plane (idle → connected)", "20 ms (ITU-R M.2410)", fmt("%.1f ms", cp * 1e3), "1e-9 s",
       verdict(std::abs(cp - 0.020) < 1e-9)});

  std::printf(
      "\nShared cell uplink (`SharedCellUplink`, the TR 45.820 NB-IoT carrier: 50,000 devices × 5/h × 20 B = "
      "%.1f bit/s) vs Pollaczek–Khinchine Wq = λE[S²]/(2(1−ρ)): Poisson arrivals, 8 seeds × 200,000 messages "
      "(first 5 %% dropped). Pass: the analytic value lies in the 99 %% Student-t interval of the seed means and "
      "within 2 %% (M/D/1) or 4 %% (M/M/1), as in `CellularSharedUplink.*`.\n\n",
      radio::SharedCellUplink::nb_iot_carrier().resource_rate_bps());
  header({"queue", "ρ", "P-K Wq", "ours: mean ± 99 % CI", "ours / P-K", "result"});
  auto ci99 = [](const std::vector<double>& x) { return 3.499 * sd_of(x) / std::sqrt(static_cast<double>(x.size())); };
  const auto cell = radio::SharedCellUplink::nb_iot_carrier();
  const double d = cell.service_time_s(20.0);
  for (double rho : {0.5, 0.8}) {
    const double lambda = rho / d;
    const double analytic = radio::pollaczek_khinchine_wait_s(lambda, d, d * d);
    std::vector<double> means;
    for (std::uint64_t seed = 1; seed <= 8; ++seed)
      means.push_back(simulate_mean_wait(cell.resource_rate_bps(), lambda, 200000, seed, [](Rng&) { return 20.0; }));
    const double m = mean_of(means), hw = ci99(means);
    row({"M/D/1 (20 B)", fmt("%.1f", rho), fmt("%.3f ms", analytic * 1e3), fmt("%.3f ± %.3f ms", m * 1e3, hw * 1e3),
         fmt("%.4f", m / analytic), verdict(std::abs(m - analytic) <= hw && std::abs(m / analytic - 1.0) <= 0.02)});
  }
  {
    const double rate = 11111.111111111, mean_bytes = 20.0;
    const double es = 8.0 * mean_bytes / rate;
    const double lambda = 0.8 / es;
    const double analytic = radio::pollaczek_khinchine_wait_s(lambda, es, 2 * es * es);
    std::vector<double> means;
    for (std::uint64_t seed = 11; seed <= 18; ++seed)
      means.push_back(
          simulate_mean_wait(rate, lambda, 200000, seed, [&](Rng& r) { return r.exponential(mean_bytes); }));
    const double m = mean_of(means), hw = ci99(means);
    row({"M/M/1 (Exp, mean 20 B)", "0.8", fmt("%.3f ms", analytic * 1e3), fmt("%.3f ± %.3f ms", m * 1e3, hw * 1e3),
         fmt("%.4f", m / analytic), verdict(std::abs(m - analytic) <= hw && std::abs(m / analytic - 1.0) <= 0.04)});
  }
}

// ---- (g) Energy worked example -------------------------------------------------------------------------------------

void energy() {
  heading("(g) Device energy (energy): LoRa meter, 20 B every 15 min, relative tolerance 1e-6");
  note(
      "Worked example of docs/models/radio-cellular-energy.md, computed there by hand: EU868, application 20 B → "
      "PHY 33 B, 96 uplinks a day, no downlink (RX1 at the uplink SF, RX2 at SF12, 6 symbols each), SX1276 at +13 dBm "
      "(29 mA), RX 11.5 mA, standby 1.6 mA, sleep 0.2 µA, 3.6 V, 2400 mAh. Here the time on air comes from "
      "`lora_phy` (datasheet LDRO rule), not from the hand value.\n");
  // Hand values (tests/models/test_energy.cpp, same doc): per SF, ToA s, charge per cycle mC, energy per day J,
  // average current µA, lifetime years without / with 1 %/year self-discharge.
  struct Hand {
    int sf;
    double toa_s, charge_mc, energy_day_j, avg_ua, life_y, life_sd_y;
  };
  const Hand hand[] = {
      {7, 0.071936, 2.086144 + 2.331648 + 0.001488 + 0.1799448764, 1.5894921173, 5.1102498627,
       2400.0 / 0.0051102498627 / 8760.0, 2400.0 / 0.0078499758901 / 8760.0},
      {12, 1.810432, 52.502528 + 4.521984 + 0.001488 + 0.1795590844, 19.770241220, 63.561732316,
       2400.0 / 0.063561732316 / 8760.0, 2400.0 / 0.066301458343 / 8760.0},
  };
  header({"SF", "quantity", "reference (hand)", "ours", "rel. diff", "result"});
  for (const auto& h : hand) {
    LoraParams p;
    p.sf = h.sf;
    const double toa = radio::time_on_air_s(p, 20 + radio::kLorawanOverheadBytes);
    radio::LoraClassACycle c;
    c.toa_s = toa;
    c.rx1_s = radio::lora_rx_window_s(h.sf, 125e3);
    c.rx2_s = radio::lora_rx_window_s(12, 125e3);
    c.period_s = 900.0;
    const auto cycle = radio::lora_class_a_cycle(c);
    const auto currents = radio::sx1276_currents(13.0, 3.6);
    const double avg = radio::average_current_a(cycle, currents);
    const radio::Battery bat{2400.0, 3.6, 0.0}, bat_sd{2400.0, 3.6, 0.01};
    struct Q {
      const char* name;
      const char* unit;
      double ref, ours;
    };
    const Q qs[] = {
        {"time on air", "ms", h.toa_s * 1e3, toa * 1e3},
        {"charge per cycle", "mC", h.charge_mc, radio::charge_c(cycle, currents) * 1e3},
        {"energy per day", "J", h.energy_day_j, radio::energy_j(cycle.scaled(96.0), currents)},
        {"average current", "µA", h.avg_ua, avg * 1e6},
        {"battery lifetime", "years", h.life_y, radio::battery_lifetime_s(bat, avg) / radio::kSecondsPerYear},
        {"lifetime, 1 %/year self-discharge", "years", h.life_sd_y,
         radio::battery_lifetime_s(bat_sd, avg) / radio::kSecondsPerYear},
    };
    for (const auto& q : qs) {
      const double rel = std::abs(q.ours - q.ref) / std::abs(q.ref);
      row({fmt("SF%d", h.sf), q.name, fmt("%.7g %s", q.ref, q.unit), fmt("%.7g %s", q.ours, q.unit), fmt("%.1e", rel),
           verdict(rel <= 1e-6)});
    }
  }
}

}  // namespace

int main() {
  std::printf(
      "Radio model validation (`bench_radio_validation`). References: /work/shared/references/lora.md and "
      "queues-cellular-mqtt.md. Every \"ours\" value is computed by the models in this run.\n");
  time_on_air();
  duty_cycle();
  regional_parameters();
  receiver_and_path_loss();
  pure_aloha();
  sigfox();
  cellular();
  energy();
  std::printf("\n%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
