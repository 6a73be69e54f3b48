// models/radio/sigfox.hpp — Sigfox uplink/downlink airtime, payload limits, daily quotas and message success.
//
// Owns the Sigfox RC1 model: 100 bit/s DBPSK uplink, 0–12 byte payloads, each message sent as 3 repetitions on
// different frequencies (≈ 6 s in RC1), 140 uplinks and 4 downlinks of 8 bytes per day (Sigfox operator
// documentation, /work/shared/references/lora.md). Frame overhead: preamble 19 + frame sync/header 29 + device ID 32
// + authentication (HMAC) 16 + FCS 16 = 112 bits (Sigfox "Technical Overview" uplink frame figure; HMAC is 16–40
// bits, the minimum is used). No allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace edgetwin::models::radio {

struct SigfoxParams {
  double bit_rate_bps = 100.0;          ///< RC1 uplink DBPSK (Sigfox radio specifications; RC2/RC4: 600)
  int overhead_bits = 112;              ///< 19 preamble + 29 sync/header + 32 ID + 16 HMAC + 16 FCS (see file comment)
  int repetitions = 3;                  ///< 1 + 2 repeats on different frequencies (Sigfox operator documentation)
  double inter_repetition_gap_s = 0.0;  ///< silence between repetitions (not published; 0 keeps ≈ 6 s in RC1)
};

inline constexpr int kSigfoxMaxUplinkPayload = 12;  ///< bytes (Sigfox operator documentation)
inline constexpr int kSigfoxDownlinkPayload = 8;    ///< bytes, fixed size (Sigfox operator documentation)
inline constexpr int kSigfoxUplinksPerDay = 140;    ///< Sigfox subscription limit
inline constexpr int kSigfoxDownlinksPerDay = 4;    ///< Sigfox subscription limit

/// Empty when `bytes` is a valid uplink payload (0..12), otherwise a one-line message.
std::optional<std::string> check_sigfox_uplink_payload(int bytes);
/// Empty when `bytes` is a valid downlink payload (exactly 8), otherwise a one-line message.
std::optional<std::string> check_sigfox_downlink_payload(int bytes);

/// Airtime of one repetition: (overhead + 8·payload) / bit rate. 12 bytes at RC1: 208 bit → 2.08 s.
double sigfox_frame_airtime_s(int payload_bytes, const SigfoxParams& p = {});
/// Airtime of a whole message: repetitions·frame + gaps. 12 bytes at RC1: 6.24 s.
double sigfox_message_airtime_s(int payload_bytes, const SigfoxParams& p = {});

/// P(message received) when each repetition is lost independently with probability p: 1 − p^repetitions.
double sigfox_message_success(double repetition_loss, int repetitions = 3);

/// Per-device daily quota (16 bytes): calendar days of 86 400 s from simulation time 0.
class SigfoxQuota {
 public:
  /// Consumes one uplink at `now_s` if the day still has one; false when the 140 are used.
  bool try_uplink(double now_s);
  /// Consumes one downlink at `now_s` if the day still has one; false when the 4 are used.
  bool try_downlink(double now_s);
  int uplinks_today(double now_s) const { return day_of(now_s) == day_ ? uplinks_ : 0; }
  int downlinks_today(double now_s) const { return day_of(now_s) == day_ ? downlinks_ : 0; }
  /// Start of the next day, when a device that hit the limit may send again.
  static double next_day_s(double now_s);

 private:
  static std::int64_t day_of(double now_s);
  void roll(double now_s);
  std::int64_t day_ = -1;
  std::int32_t uplinks_ = 0;
  std::int32_t downlinks_ = 0;
};

}  // namespace edgetwin::models::radio
