// models/radio/lorawan_region.cpp — LoRaWAN EU868/US915 regional parameters and duty-cycle tracking.
#include "models/radio/lorawan_region.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace edgetwin::models::radio {
namespace {

// EU863-870 data rates: RP002-1.0.1 §2.4.3 (DR, SF/BW, indicative bit rate) and §2.4.6 (M / N); DR7 is FSK 50 kbps.
constexpr DataRate kEu868[] = {
    {0, true, 12, 125, 250, 59, 51, true, true},    {1, true, 11, 125, 440, 59, 51, true, true},
    {2, true, 10, 125, 980, 59, 51, true, true},    {3, true, 9, 125, 1760, 123, 115, true, true},
    {4, true, 8, 125, 3125, 250, 242, true, true},  {5, true, 7, 125, 5470, 250, 242, true, true},
    {6, true, 7, 250, 11000, 250, 242, true, true}, {7, false, 0, 0, 50000, 250, 242, true, true},
};

// US902-928 data rates: RP002-1.0.1 §2.5.3 and §2.5.6. Uplink DR0–4 M as in lora.md (N = M − 8); downlink DR8–13
// M/N from the RP002 US902-928 maximum payload table.
constexpr DataRate kUs915[] = {
    {0, true, 10, 125, 980, 19, 11, true, false},     {1, true, 9, 125, 1760, 61, 53, true, false},
    {2, true, 8, 125, 3125, 133, 125, true, false},   {3, true, 7, 125, 5470, 250, 242, true, false},
    {4, true, 8, 500, 12500, 250, 242, true, false},  {8, true, 12, 500, 980, 61, 53, false, true},
    {9, true, 11, 500, 1760, 137, 129, false, true},  {10, true, 10, 500, 3900, 250, 242, false, true},
    {11, true, 9, 500, 7000, 250, 242, false, true},  {12, true, 8, 500, 12500, 250, 242, false, true},
    {13, true, 7, 500, 21900, 250, 242, false, true},
};

std::span<const DataRate> table(Region r) {
  if (r == Region::us915) return kUs915;
  return kEu868;
}

// EU868 default channels (RP002-1.0.1 §2.4.2).
constexpr Channel kEu868Channels[] = {{868'100'000, 125, 0, 5}, {868'300'000, 125, 0, 5}, {868'500'000, 125, 0, 5}};

// ETSI EN 300 220 sub-bands as in LoRaMac-node RegionEU868 (lora.md). Order matters: first match wins at the
// shared 865.0/868.0 MHz edges (both 1 %).
constexpr SubBand kEu868SubBands[] = {
    {863'000'000, 864'999'999, 0.001},  // 863–865 MHz 0.1 %
    {865'000'000, 868'000'000, 0.01},   // 865–868 MHz 1 %
    {868'000'001, 868'600'000, 0.01},   // 868.0–868.6 MHz 1 % (default channels)
    {868'700'000, 869'200'000, 0.001},  // 868.7–869.2 MHz 0.1 %
    {869'400'000, 869'650'000, 0.1},    // 869.4–869.65 MHz 10 % (RX2)
    {869'700'000, 870'000'000, 0.01},   // 869.7–870 MHz 1 %
};

struct Us915Plan {
  std::array<Channel, 72> up{};
  std::array<Channel, 8> down{};
  Us915Plan() {
    // RP002-1.0.1 §2.5.2: 902.3 + 0.2·n MHz (n < 64, 125 kHz, DR0–3); 903.0 + 1.6·n MHz (n < 8, 500 kHz, DR4);
    // downlink 923.3 + 0.6·n MHz (500 kHz, DR8–13).
    for (std::uint32_t n = 0; n < 64; ++n) up[n] = {902'300'000u + 200'000u * n, 125, 0, 3};
    for (std::uint32_t n = 0; n < 8; ++n) up[64 + n] = {903'000'000u + 1'600'000u * n, 500, 4, 4};
    for (std::uint32_t n = 0; n < 8; ++n) down[n] = {923'300'000u + 600'000u * n, 500, 8, 13};
  }
};
const Us915Plan& us915_plan() {
  static const Us915Plan plan;
  return plan;
}

std::string dr_label(Region r, const DataRate& d) {
  std::string s = std::string(region_name(r)) + " DR" + std::to_string(d.dr);
  if (d.lora) {
    s += " (SF" + std::to_string(d.sf) + "/" + std::to_string(d.bw_khz) + " kHz)";
  } else {
    s += " (FSK)";
  }
  return s;
}

}  // namespace

std::string_view region_name(Region r) { return r == Region::us915 ? "US915" : "EU868"; }

std::optional<Region> parse_region(std::string_view name) {
  std::string up;
  for (char c : name) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "EU868" || up == "EU863-870") return Region::eu868;
  if (up == "US915" || up == "US902-928") return Region::us915;
  return std::nullopt;
}

std::optional<DataRate> data_rate(Region r, int dr) {
  for (const auto& d : table(r)) {
    if (d.dr == dr) return d;
  }
  return std::nullopt;
}

std::optional<int> uplink_dr_for(Region r, int sf, int bw_khz) {
  for (const auto& d : table(r)) {
    if (d.lora && d.uplink && d.sf == sf && d.bw_khz == bw_khz) return d.dr;
  }
  return std::nullopt;
}

LoraParams uplink_params(Region r, int dr) {
  LoraParams p;
  if (auto d = data_rate(r, dr); d && d->lora) {
    p.sf = d->sf;
    p.bw_khz = d->bw_khz;
  }
  return p;
}

LoraParams downlink_params(Region r, int dr) {
  LoraParams p = uplink_params(r, dr);
  p.crc = false;
  return p;
}

std::optional<std::string> check_app_payload(Region r, int dr, int app_bytes) {
  const auto d = data_rate(r, dr);
  if (!d) return std::string(region_name(r)) + " has no DR" + std::to_string(dr);
  if (app_bytes < 0) return "application payload must be >= 0 B, got " + std::to_string(app_bytes);
  if (app_bytes > d->max_app_payload) {
    return "application payload " + std::to_string(app_bytes) + " B exceeds the " + std::to_string(d->max_app_payload) +
           " B maximum of " + dr_label(r, *d);
  }
  return std::nullopt;
}

std::optional<std::string> check_phy_payload(Region r, int dr, int phy_bytes) {
  const auto d = data_rate(r, dr);
  if (!d) return std::string(region_name(r)) + " has no DR" + std::to_string(dr);
  if (phy_bytes < 0) return "PHY payload must be >= 0 B, got " + std::to_string(phy_bytes);
  const int max_phy = d->max_mac_payload + kMhdrMicBytes;
  if (phy_bytes > max_phy) {
    return "PHY payload " + std::to_string(phy_bytes) + " B exceeds the " + std::to_string(max_phy) +
           " B maximum (MACPayload " + std::to_string(d->max_mac_payload) + " B) of " + dr_label(r, *d);
  }
  return std::nullopt;
}

std::span<const Channel> default_uplink_channels(Region r) {
  if (r == Region::us915) return us915_plan().up;
  return kEu868Channels;
}

std::span<const Channel> downlink_channels(Region r) {
  if (r == Region::us915) return us915_plan().down;
  return kEu868Channels;
}

std::span<const SubBand> duty_cycle_sub_bands(Region r) {
  if (r == Region::us915) return {};
  return kEu868SubBands;
}

int sub_band_index(Region r, std::uint32_t freq_hz) {
  const auto bands = duty_cycle_sub_bands(r);
  for (std::size_t i = 0; i < bands.size(); ++i) {
    if (freq_hz >= bands[i].lo_hz && freq_hz <= bands[i].hi_hz) return static_cast<int>(i);
  }
  return -1;
}

double DutyCycleTracker::earliest_tx_s(std::uint32_t freq_hz) const {
  if (duty_cycle_sub_bands(region_).empty()) return 0.0;
  const int b = sub_band_index(region_, freq_hz);
  if (b < 0) return std::numeric_limits<double>::infinity();
  return free_at_[static_cast<std::size_t>(b)];
}

double DutyCycleTracker::earliest_tx_s(std::span<const Channel> channels) const {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& c : channels) best = std::min(best, earliest_tx_s(c.freq_hz));
  return best;
}

bool DutyCycleTracker::record(std::uint32_t freq_hz, double start_s, double toa_s) {
  const auto bands = duty_cycle_sub_bands(region_);
  if (bands.empty()) return true;
  const int b = sub_band_index(region_, freq_hz);
  if (b < 0) return false;
  const auto i = static_cast<std::size_t>(b);
  // Closed for ToA/dc − ToA after the end of the frame, i.e. until start + ToA/dc.
  free_at_[i] = std::max(free_at_[i], start_s + toa_s + duty_cycle_off_time_s(toa_s, bands[i].duty_cycle));
  return true;
}

std::optional<std::string> check_dwell_time(Region r, double toa_s) {
  if (r == Region::us915 && toa_s > kUs915MaxDwellS) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", toa_s * 1e3);
    return "uplink time on air " + std::string(ms) + " ms exceeds the US915 400 ms dwell time";
  }
  return std::nullopt;
}

RxParams rx_params(Region r) {
  RxParams p;
  if (r == Region::us915) {
    p.rx2_freq_hz = 923'300'000;  // RP002-1.0.1 §2.5.7
    p.rx2_dr = 8;
  } else {
    p.rx2_freq_hz = 869'525'000;  // RP002-1.0.1 §2.4.7
    p.rx2_dr = 0;
  }
  return p;
}

int rx1_dr(Region r, int uplink_dr, int offset) {
  if (r == Region::us915) return std::clamp(10 + uplink_dr - offset, 8, 13);
  return std::max(uplink_dr - offset, 0);
}

std::uint32_t rx1_freq_hz(Region r, std::uint32_t uplink_freq_hz) {
  if (r != Region::us915) return uplink_freq_hz;
  const auto up = us915_plan().up;
  for (std::size_t c = 0; c < up.size(); ++c) {
    if (up[c].freq_hz == uplink_freq_hz) return us915_plan().down[c % 8].freq_hz;
  }
  return 0;
}

long max_messages_per_period(double toa_s, double dc, double period_s) {
  if (toa_s <= 0.0) return 0;
  // Small tolerance so that an exact budget (36 s of airtime / 2 s frames) is not lost to rounding.
  return static_cast<long>(std::floor(period_s * std::min(dc, 1.0) / toa_s + 1e-9));
}

std::optional<std::string> make_airtime_report(Region r, int dr, int phy_payload, std::optional<int> app_payload,
                                               const LoraParams& frame, AirtimeReport& out) {
  const auto d = data_rate(r, dr);
  if (!d) return std::string(region_name(r)) + " has no DR" + std::to_string(dr);
  if (!d->lora) return dr_label(r, *d) + " is not a LoRa data rate";
  if (phy_payload < 0 || phy_payload > kMaxPhyPayload) {
    return "PHY payload must be 0..255 B, got " + std::to_string(phy_payload);
  }
  out = AirtimeReport{};
  out.region = r;
  out.dr = *d;
  out.params = frame;
  out.params.sf = d->sf;
  out.params.bw_khz = d->bw_khz;
  if (auto e = check_params(out.params)) return e;
  out.phy_payload = phy_payload;
  out.app_payload = app_payload;
  out.toa_us = time_on_air_us(out.params, phy_payload);
  const double toa_s = static_cast<double>(out.toa_us) * 1e-6;
  // Duty cycle of the sub-band holding the default channels (EU868: 868.0–868.6 MHz, 1 %).
  const auto channels = default_uplink_channels(r);
  const auto bands = duty_cycle_sub_bands(r);
  const int b = channels.empty() ? -1 : sub_band_index(r, channels.front().freq_hz);
  out.duty_cycle = b >= 0 ? bands[static_cast<std::size_t>(b)].duty_cycle : 1.0;
  out.off_time_s = duty_cycle_off_time_s(toa_s, out.duty_cycle);
  out.payload_error = app_payload ? check_app_payload(r, dr, *app_payload) : check_phy_payload(r, dr, phy_payload);
  out.fits = !out.payload_error.has_value();
  out.dwell_error = check_dwell_time(r, toa_s);
  out.per_hour = max_messages_per_period(toa_s, out.duty_cycle, 3600.0);
  out.per_day = max_messages_per_period(toa_s, out.duty_cycle, 86400.0);
  out.ttn_fair_access_per_day = max_messages_per_period(toa_s, 1.0, kTtnFairAccessAirtimePerDayS);
  return std::nullopt;
}

}  // namespace edgetwin::models::radio
