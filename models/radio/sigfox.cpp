// models/radio/sigfox.cpp — Sigfox airtime, payload checks, quotas and repetition success (see sigfox.hpp).
#include "models/radio/sigfox.hpp"

#include <cmath>

namespace edgetwin::models::radio {

std::optional<std::string> check_sigfox_uplink_payload(int bytes) {
  if (bytes < 0 || bytes > kSigfoxMaxUplinkPayload) {
    return "Sigfox uplink payload must be 0..12 bytes, got " + std::to_string(bytes);
  }
  return std::nullopt;
}

std::optional<std::string> check_sigfox_downlink_payload(int bytes) {
  if (bytes != kSigfoxDownlinkPayload) return "Sigfox downlink payload is 8 bytes, got " + std::to_string(bytes);
  return std::nullopt;
}

double sigfox_frame_airtime_s(int payload_bytes, const SigfoxParams& p) {
  return (p.overhead_bits + 8.0 * payload_bytes) / p.bit_rate_bps;
}

double sigfox_message_airtime_s(int payload_bytes, const SigfoxParams& p) {
  return p.repetitions * sigfox_frame_airtime_s(payload_bytes, p) + (p.repetitions - 1) * p.inter_repetition_gap_s;
}

double sigfox_message_success(double repetition_loss, int repetitions) {
  return 1.0 - std::pow(repetition_loss, repetitions);
}

std::int64_t SigfoxQuota::day_of(double now_s) { return static_cast<std::int64_t>(std::floor(now_s / 86400.0)); }

double SigfoxQuota::next_day_s(double now_s) { return static_cast<double>(day_of(now_s) + 1) * 86400.0; }

void SigfoxQuota::roll(double now_s) {
  const auto d = day_of(now_s);
  if (d != day_) {
    day_ = d;
    uplinks_ = 0;
    downlinks_ = 0;
  }
}

bool SigfoxQuota::try_uplink(double now_s) {
  roll(now_s);
  if (uplinks_ >= kSigfoxUplinksPerDay) return false;
  ++uplinks_;
  return true;
}

bool SigfoxQuota::try_downlink(double now_s) {
  roll(now_s);
  if (downlinks_ >= kSigfoxDownlinksPerDay) return false;
  ++downlinks_;
  return true;
}

}  // namespace edgetwin::models::radio
