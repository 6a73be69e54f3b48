// models/radio/lorawan_region.hpp — LoRaWAN regional parameters (EU863-870, US902-928) and the EU duty cycle.
//
// Owns: data-rate tables (DR → SF/BW, maximum payload sizes), channel plans, RX1/RX2 parameters, the EU868
// duty-cycle sub-bands with a per-device DutyCycleTracker, the US915 400 ms dwell-time rule, and airtime budget
// helpers (messages per hour/day). Source: LoRa Alliance RP002-1.0.1 §2.4 (EU) and §2.5 (US), sub-bands as in
// LoRaMac-node RegionEU868 (ETSI EN 300 220); see /work/shared/references/lora.md. No allocation after start-up.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "models/core/rng.hpp"
#include "models/radio/lora_phy.hpp"

namespace edgetwin::models::radio {

enum class Region : std::uint8_t { eu868, us915 };

std::string_view region_name(Region r);                     ///< "EU868" / "US915"
std::optional<Region> parse_region(std::string_view name);  ///< case-insensitive "EU868", "US915"

/// LoRaWAN framing overhead without FOpts: MHDR 1 + FHDR 7 + FPort 1 + MIC 4 (LoRaWAN 1.0.x §4).
inline constexpr int kLorawanOverheadBytes = 13;
/// PHY payload = MHDR 1 + MACPayload + MIC 4 (LoRaWAN 1.0.x §4.1).
inline constexpr int kMhdrMicBytes = 5;

struct DataRate {
  int dr = 0;
  bool lora = true;  ///< false: FSK (EU868 DR7), which the LoRa airtime formula does not cover
  int sf = 0;        ///< 0 for FSK
  int bw_khz = 0;
  int bit_rate_bps = 0;     ///< indicative physical bit rate (RP002 data-rate table)
  int max_mac_payload = 0;  ///< M (RP002 maximum payload table)
  int max_app_payload = 0;  ///< N = M − 8 (no FOpts)
  bool uplink = true;
  bool downlink = true;
};

/// The data rate `dr` of region `r`, empty when the region does not define it.
std::optional<DataRate> data_rate(Region r, int dr);
/// The uplink data rate using (sf, bw_khz) in region `r`, empty when none does.
std::optional<int> uplink_dr_for(Region r, int sf, int bw_khz);
/// LoRaWAN uplink PHY parameters at `dr` (8-symbol preamble, explicit header, CRC on, CR 4/5, datasheet LDRO).
/// Precondition: data_rate(r, dr) is a LoRa data rate.
LoraParams uplink_params(Region r, int dr);
/// Downlink PHY parameters (as uplink but payload CRC off, LoRaWAN 1.0.x §4.1).
LoraParams downlink_params(Region r, int dr);

/// Empty when an application payload of `app_bytes` fits data rate `dr`; otherwise a one-line message naming the
/// region and DR, e.g. "application payload 60 B exceeds the 51 B maximum of EU868 DR0 (SF12/125 kHz)".
std::optional<std::string> check_app_payload(Region r, int dr, int app_bytes);
/// The same for a PHY payload (limit M + 5: MHDR + MACPayload + MIC).
std::optional<std::string> check_phy_payload(Region r, int dr, int phy_bytes);

struct Channel {
  std::uint32_t freq_hz = 0;
  int bw_khz = 125;
  int min_dr = 0;
  int max_dr = 5;
};

/// Default uplink channels: EU868 868.1/868.3/868.5 MHz (DR0–5); US915 64 × 125 kHz (902.3 + 0.2·n MHz, DR0–3)
/// then 8 × 500 kHz (903.0 + 1.6·n MHz, DR4).
std::span<const Channel> default_uplink_channels(Region r);
/// Downlink channels: EU868 RX1 uses the uplink channel (same as uplink list); US915 8 × 500 kHz at
/// 923.3 + 0.6·n MHz (DR8–13).
std::span<const Channel> downlink_channels(Region r);

struct SubBand {
  std::uint32_t lo_hz = 0;  ///< inclusive
  std::uint32_t hi_hz = 0;  ///< inclusive
  double duty_cycle = 1.0;  ///< fraction of time the band may be used (0.01 = 1 %)
};

/// EU868: the six ETSI EN 300 220 sub-bands of LoRaMac-node RegionEU868 (863–865 0.1 %, 865–868 1 %,
/// 868.0–868.6 1 %, 868.7–869.2 0.1 %, 869.4–869.65 10 %, 869.7–870 1 %). US915: none (no duty cycle).
std::span<const SubBand> duty_cycle_sub_bands(Region r);
/// Index of the sub-band holding `freq_hz` (first match), −1 when none; always −1 for US915.
int sub_band_index(Region r, std::uint32_t freq_hz);
inline constexpr std::size_t kMaxSubBands = 6;

/// Time a sub-band stays closed after a transmission of `toa_s` at duty cycle `dc`: ToA/dc − ToA.
inline double duty_cycle_off_time_s(double toa_s, double dc) { return dc >= 1.0 ? 0.0 : toa_s / dc - toa_s; }

/// Per-device duty-cycle state (56 bytes, no heap): after a transmission of ToA on a sub-band with duty cycle dc,
/// the whole sub-band is closed until start + ToA/dc; other sub-bands are unaffected (ns-3 LogicalLoraChannelHelper
/// and LoRaMac-node behave the same). Regions without duty cycle never close.
class DutyCycleTracker {
 public:
  explicit DutyCycleTracker(Region r = Region::eu868) : region_(r) {}

  /// Earliest time a transmission may start on `freq_hz`: 0 before any transmission, +inf when the frequency is in
  /// no sub-band of a duty-cycled region (transmitting there is not allowed).
  double earliest_tx_s(std::uint32_t freq_hz) const;
  /// Earliest time over a set of channels (a device picks any open channel).
  double earliest_tx_s(std::span<const Channel> channels) const;
  bool can_transmit(std::uint32_t freq_hz, double now_s) const { return earliest_tx_s(freq_hz) <= now_s; }
  /// Records a transmission; returns false (and records nothing) when the frequency is not allowed.
  bool record(std::uint32_t freq_hz, double start_s, double toa_s);
  /// When sub-band `i` reopens (0 if never used).
  double sub_band_free_at_s(std::size_t i) const { return i < kMaxSubBands ? free_at_[i] : 0.0; }
  Region region() const { return region_; }

 private:
  Region region_;
  std::array<double, kMaxSubBands> free_at_{};
};

/// US915 uplink dwell time limit (RP002-1.0.1 §2.5; FCC 15.247): 400 ms.
inline constexpr double kUs915MaxDwellS = 0.4;
/// Empty when an uplink of `toa_s` respects the region's dwell-time limit; otherwise a one-line message.
std::optional<std::string> check_dwell_time(Region r, double toa_s);

struct RxParams {
  double receive_delay1_s = 1.0;          ///< RECEIVE_DELAY1 (RP002-1.0.1 Table "default settings")
  double receive_delay2_s = 2.0;          ///< RECEIVE_DELAY2 = RECEIVE_DELAY1 + 1 s
  double join_accept_delay1_s = 5.0;      ///< JOIN_ACCEPT_DELAY1
  double join_accept_delay2_s = 6.0;      ///< JOIN_ACCEPT_DELAY2
  double retransmit_timeout_min_s = 1.0;  ///< RETRANSMIT_TIMEOUT 2 s ± 1 s
  double retransmit_timeout_max_s = 3.0;
  std::uint32_t rx2_freq_hz = 0;  ///< EU868 869.525 MHz, US915 923.3 MHz
  int rx2_dr = 0;                 ///< EU868 DR0, US915 DR8
};
RxParams rx_params(Region r);
/// RX1 data rate for an uplink at `uplink_dr` with RX1DROffset `offset`: EU868 max(DR − offset, 0) (offset 0..5);
/// US915 clamp(10 + DR − offset, 8, 13) (offset 0..3), which reproduces RP002's US915 RX1 table.
int rx1_dr(Region r, int uplink_dr, int offset = 0);
/// RX1 frequency: EU868 the uplink frequency; US915 downlink channel (uplink channel mod 8).
std::uint32_t rx1_freq_hz(Region r, std::uint32_t uplink_freq_hz);
/// One draw of RETRANSMIT_TIMEOUT, uniform in [1, 3] s.
inline double retransmit_timeout_s(Rng& rng, const RxParams& p = {}) {
  return rng.uniform(p.retransmit_timeout_min_s, p.retransmit_timeout_max_s);
}

/// Most transmissions of `toa_s` that fit a period under duty cycle `dc` (1 = none): floor(period·dc / ToA).
long max_messages_per_period(double toa_s, double dc, double period_s);
/// TTN Fair Access Policy (operator policy, not RP002): 30 s of uplink airtime per device per day.
inline constexpr double kTtnFairAccessAirtimePerDayS = 30.0;

/// Everything `edgetwin lora airtime --region R --dr N` reports, computed here so it is unit-tested.
struct AirtimeReport {
  Region region = Region::eu868;
  DataRate dr{};
  LoraParams params{};
  int phy_payload = 0;
  std::optional<int> app_payload;  ///< set when the caller gave an application payload
  std::int64_t toa_us = 0;
  double duty_cycle = 1.0;                   ///< of the default channels' sub-band (1 = no duty cycle)
  double off_time_s = 0.0;                   ///< sub-band closed time after one frame
  bool fits = true;                          ///< payload within the DR maximum
  std::optional<std::string> payload_error;  ///< the check_*_payload message when it does not fit
  std::optional<std::string> dwell_error;    ///< US915 uplinks longer than 400 ms
  long per_hour = 0;
  long per_day = 0;
  long ttn_fair_access_per_day = 0;
};
/// Builds the report for region `r`, data rate `dr` (must be a LoRa DR), a PHY payload, and the frame options of
/// `frame` (its sf/bw are replaced by the DR's). `app_payload` only changes how the payload check is phrased.
std::optional<std::string> make_airtime_report(Region r, int dr, int phy_payload, std::optional<int> app_payload,
                                               const LoraParams& frame, AirtimeReport& out);

}  // namespace edgetwin::models::radio
