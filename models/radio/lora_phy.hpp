// models/radio/lora_phy.hpp — the LoRa physical layer: symbol time, time on air, sensitivity and SNR floors.
//
// Owns the Semtech time-on-air formula (SX1276/77/78/79 datasheet §4.1.1.7, same in SX1272/73 and AN1200.13) with
// every parameter, computed in exact integer microseconds, and the per-SF/BW receiver tables used by the channel
// model. Pure functions, no allocation; the reference values are in /work/shared/references/lora.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace edgetwin::models::radio {

/// When the low-data-rate optimisation (DE bit) is on.
enum class LdroMode : std::uint8_t {
  datasheet,       ///< on when Tsym > 16 ms (SX1276 datasheet §4.1.1.6): SF11/12@125, SF12@250
  sf11_12_at_125,  ///< on only for SF11/SF12 at 125 kHz (TTN airtime calculator, LMiC, LoRaSim)
  on,              ///< forced on
  off,             ///< forced off
};

/// One LoRa modulation + frame configuration. Defaults: a LoRaWAN uplink (RP002-1.0.1: 8-symbol preamble,
/// explicit header, payload CRC on, CR 4/5) at SF7/125 kHz.
struct LoraParams {
  int sf = 7;        ///< spreading factor, 6..12 (SX1276 datasheet §4.1.1.2)
  int bw_khz = 125;  ///< bandwidth, 125 / 250 / 500 kHz (the LoRaWAN bandwidths)
  int cr = 1;        ///< coding rate 1..4 = 4/5..4/8 (datasheet §4.1.1.3)
  int preamble = 8;  ///< programmed preamble symbols (LoRaWAN up- and downlinks: 8, RP002-1.0.1)
  bool implicit_header = false;
  bool crc = true;  ///< payload CRC (LoRaWAN uplinks on, downlinks off)
  LdroMode ldro = LdroMode::datasheet;
};

/// Empty when `p` is a valid configuration, otherwise a one-line reason ("SF must be 6..12, got 13").
std::optional<std::string> check_params(const LoraParams& p);

/// Symbol time 2^SF / BW in microseconds; exact for BW 125/250/500 kHz (2^SF·8, ·4, ·2 µs).
std::int64_t symbol_time_us(int sf, int bw_khz);
inline double symbol_time_s(int sf, int bw_khz) { return static_cast<double>(symbol_time_us(sf, bw_khz)) * 1e-6; }

/// Whether DE (low-data-rate optimisation) is on for this configuration under its LdroMode.
bool ldro_enabled(const LoraParams& p);

/// Number of payload symbols n_payload = 8 + max(ceil((8PL−4SF+28+16CRC−20IH)/(4(SF−2DE)))·(CR+4), 0).
int payload_symbols(const LoraParams& p, int payload_bytes);

/// Preamble duration (n_preamble + 4.25)·Tsym in microseconds (exact).
std::int64_t preamble_time_us(const LoraParams& p);

/// Time on air of a PHY payload of `payload_bytes` bytes, in exact microseconds. Preconditions: check_params(p)
/// is empty and 0 <= payload_bytes <= 255 (the SX127x FIFO / RegPayloadLength limit).
std::int64_t time_on_air_us(const LoraParams& p, int payload_bytes);
inline double time_on_air_s(const LoraParams& p, int payload_bytes) {
  return static_cast<double>(time_on_air_us(p, payload_bytes)) * 1e-6;
}

/// Equivalent bit rate SF·(4/(4+CR))·BW/2^SF in bit/s (datasheet §4.1.1.4, eq. "Rb").
double bit_rate_bps(int sf, int bw_khz, int cr);

/// Receiver sensitivity in dBm (SX1272/73 datasheet Table 10, as used by FLoRa); SF6..12 × 125/250/500 kHz.
double sensitivity_dbm(int sf, int bw_khz);

/// Demodulation SNR floor in dB (SX1276 datasheet Table 13): SF6 −5 … SF12 −20 in 2.5 dB steps.
double snr_floor_db(int sf);

/// Thermal noise floor −174 + 10·log10(BW_Hz) + NF in dBm (kTB at 290 K; NF 6 dB as in Semtech AN1200.22).
double noise_floor_dbm(int bw_khz, double noise_figure_db = 6.0);

/// The lowest and highest spreading factors the model supports.
inline constexpr int kMinSf = 6;
inline constexpr int kMaxSf = 12;
/// Largest PHY payload the SX127x accepts (RegPayloadLength is 8 bits; datasheet §4.1.2.3).
inline constexpr int kMaxPhyPayload = 255;

}  // namespace edgetwin::models::radio
