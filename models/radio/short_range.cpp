// models/radio/short_range.cpp — short-range and wired access profiles and formulas (see short_range.hpp).
// Every default cites its source in one line; "assumption" marks numbers chosen here (see the doc).
#include "models/radio/short_range.hpp"

#include <cmath>

namespace edgetwin::models::radio {

namespace {

// IEEE 802.15.4 (2.4 GHz O-QPSK PHY) constants, IEEE 802.15.4-2006 §6.4 / §7.4.
constexpr double k154SymbolS = 16e-6;                                         // 62.5 ksymbol/s
constexpr double k154ByteS = 2 * k154SymbolS;                                 // 2 symbols per byte at 250 kbit/s
constexpr double k154BackoffPeriodS = 20 * k154SymbolS;                       // aUnitBackoffPeriod = 20 symbols
constexpr double k154MeanInitialBackoffS = (7.0 / 2.0) * k154BackoffPeriodS;  // macMinBE = 3: uniform 0..7 periods
constexpr double k154CcaS = 8 * k154SymbolS;                                  // CCA over 8 symbols
constexpr double k154TurnaroundS = 12 * k154SymbolS;                          // aTurnaroundTime = 12 symbols
// Frame overhead: SHR+PHR 6 B, MAC header 9 B (short addresses) + FCS 2 B, ZigBee NWK header 8 B (assumption: minimal).
constexpr double k154FrameOverheadBytes = 6 + 9 + 2 + 8;
constexpr double k154AckBytes = 6 + 5;  // ACK frame: SHR+PHR + 5-byte MPDU

// Bluetooth LE link layer (Bluetooth Core 5.0 Vol 6 Part B §2.1, §4.1).
constexpr double kBleTifsS = 150e-6;  // T_IFS inter-frame space
// Data PDU overhead: access address 4 + header 2 + CRC 3 + L2CAP 4 + ATT 3 = 16 B, plus the preamble (1 B 1M, 2 B 2M).
constexpr double kBleDataOverheadBytes = 16.0;
constexpr double kBleEmptyPduBytes = 9.0;  // peer's empty ack PDU: access address 4 + header 2 + CRC 3

// IEEE 802.11n 2.4 GHz (IEEE 802.11-2012 §18/§20): SIFS 10 us, short slot 9 us, DIFS = SIFS + 2 slots.
constexpr double kWifiSifsS = 10e-6;
constexpr double kWifiSlotS = 9e-6;
constexpr double kWifiDifsS = kWifiSifsS + 2 * kWifiSlotS;
constexpr double kWifiMeanBackoffS = 7.5 * kWifiSlotS;  // CWmin = 15: uniform 0..15 slots
constexpr double kWifiHtPreambleS = 36e-6;              // HT-mixed preamble + headers, 1 spatial stream
constexpr double kWifiAckS = 20e-6 + 14 * 8 / 24e6;     // legacy preamble + 14-byte ACK at 24 Mbit/s
constexpr double kWifiRateBps = 65e6;                   // HT20 MCS7, 1 SS, 800 ns GI (IEEE 802.11-2012 Table 20-30)
constexpr double kWifiHeaderBytes = 34 + 8 + 28;        // MAC header+FCS, LLC/SNAP, IPv4+UDP
constexpr double kWifiApProcessingS = 1e-3;             // assumption: AP bridging / driver processing per hop

}  // namespace

std::string_view to_string(ShortRangeTech tech) {
  switch (tech) {
    case ShortRangeTech::zigbee:
      return "zigbee";
    case ShortRangeTech::ble_1m:
      return "ble-1m";
    case ShortRangeTech::ble_2m:
      return "ble-2m";
    case ShortRangeTech::wifi:
      return "wifi";
    case ShortRangeTech::iqrf:
      return "iqrf";
    case ShortRangeTech::wired_gpio:
      return "wired-gpio";
  }
  return "unknown";
}

ShortRangeProfile zigbee_profile(int hops) {
  ShortRangeProfile p;
  p.tech = ShortRangeTech::zigbee;
  p.rate_bps = 250e3;  // IEEE 802.15.4-2006 §6.5: 2.4 GHz O-QPSK 250 kbit/s
  // Unslotted CSMA-CA mean backoff + CCA + turnaround, frame overhead, turnaround + ACK: 2.784 ms per hop.
  p.per_hop_latency_s = k154MeanInitialBackoffS + k154CcaS + k154TurnaroundS + k154FrameOverheadBytes * k154ByteS +
                        k154TurnaroundS + k154AckBytes * k154ByteS;
  p.loss_per_hop = 0.01;  // assumption: residual loss after macMaxFrameRetries = 3
  p.hops = hops;          // assumption: 3 mesh hops by default
  return p;
}

ShortRangeProfile ble_profile(bool phy_2m, double connection_interval_s) {
  ShortRangeProfile p;
  p.tech = phy_2m ? ShortRangeTech::ble_2m : ShortRangeTech::ble_1m;
  p.rate_bps = phy_2m ? 2e6 : 1e6;  // Bluetooth Core 5.0 Vol 6 Part A: LE 1M / LE 2M PHY
  const double preamble_bytes = phy_2m ? 2.0 : 1.0;
  // Data PDU overhead + T_IFS + peer's empty ack PDU + T_IFS: 0.516 ms on 1M, 0.416 ms on 2M.
  p.per_hop_latency_s = (kBleDataOverheadBytes + preamble_bytes) * 8.0 / p.rate_bps + kBleTifsS +
                        (kBleEmptyPduBytes + preamble_bytes) * 8.0 / p.rate_bps + kBleTifsS;
  p.loss_per_hop = 0.01;  // assumption: residual loss once link-layer retransmissions are exhausted
  p.hops = 1;
  p.connection_interval_s = connection_interval_s;  // assumption 30 ms; spec range 7.5 ms-4 s (Core 5.0 Vol 6 B §4.5.1)
  return p;
}

ShortRangeProfile wifi_profile() {
  ShortRangeProfile p;
  p.tech = ShortRangeTech::wifi;
  p.rate_bps = kWifiRateBps;
  // DIFS + mean backoff + preamble + headers + SIFS + ACK = 0.18 ms, plus 1 ms AP processing (assumption).
  p.per_hop_latency_s = kWifiDifsS + kWifiMeanBackoffS + kWifiHtPreambleS + kWifiHeaderBytes * 8.0 / kWifiRateBps +
                        kWifiSifsS + kWifiAckS + kWifiApProcessingS;
  p.loss_per_hop = 0.001;  // assumption: residual loss after the 802.11 retry limit (7 short retries)
  p.hops = 1;
  return p;
}

ShortRangeProfile iqrf_profile(int hops) {
  ShortRangeProfile p;
  p.tech = ShortRangeTech::iqrf;
  p.rate_bps = 19.2e3;          // IQRF TR-7xD transceiver RF bit rate 19.2 kbit/s (STD mode)
  p.per_hop_latency_s = 40e-3;  // assumption: one IQMESH routing timeslot of ~40 ms per hop (time-slotted routing)
  p.loss_per_hop = 0.01;        // assumption
  p.hops = hops;                // assumption: 3 hops by default (IQMESH allows up to 239)
  return p;
}

ShortRangeProfile wired_gpio_profile() {
  ShortRangeProfile p;
  p.tech = ShortRangeTech::wired_gpio;
  p.rate_bps = 1e6;             // a wired bus next to the GPIO line: I2C Fast-mode Plus 1 Mbit/s (NXP UM10204)
  p.per_hop_latency_s = 10e-6;  // assumption: interrupt latency of the gateway's GPIO driver, order of 10 us
  p.loss_per_hop = 0.0;         // wired: no loss modelled
  p.hops = 1;
  return p;
}

ShortRangeProfile short_range_profile(ShortRangeTech tech) {
  switch (tech) {
    case ShortRangeTech::zigbee:
      return zigbee_profile();
    case ShortRangeTech::ble_1m:
      return ble_profile(false);
    case ShortRangeTech::ble_2m:
      return ble_profile(true);
    case ShortRangeTech::wifi:
      return wifi_profile();
    case ShortRangeTech::iqrf:
      return iqrf_profile();
    case ShortRangeTech::wired_gpio:
      return wired_gpio_profile();
  }
  return wired_gpio_profile();
}

double delivery_probability(const ShortRangeProfile& p) {
  return std::pow(1.0 - p.loss_per_hop, static_cast<double>(p.hops));
}

double short_range_latency_s(const ShortRangeProfile& p, double bytes, double connection_wait_s) {
  return p.hops * (p.per_hop_latency_s + 8.0 * bytes / p.rate_bps) + connection_wait_s;
}

double short_range_mean_latency_s(const ShortRangeProfile& p, double bytes) {
  return short_range_latency_s(p, bytes, 0.5 * p.connection_interval_s);
}

ShortRangeOutcome sample_short_range(const ShortRangeProfile& p, double bytes, Rng& rng) {
  ShortRangeOutcome o;
  o.delivered = rng.chance(delivery_probability(p));
  const double wait = p.connection_interval_s > 0.0 ? rng.uniform(0.0, p.connection_interval_s) : 0.0;
  o.latency_s = short_range_latency_s(p, bytes, wait);
  return o;
}

}  // namespace edgetwin::models::radio
