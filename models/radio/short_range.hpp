// models/radio/short_range.hpp — short-range and wired access: ZigBee, BLE, Wi-Fi, IQRF, wired GPIO.
//
// Owns: the delivery probability and latency of one message over a multi-hop short-range path:
//   P(delivered) = (1 - p_hop)^hops,   latency = hops * (per_hop_latency + 8 * bytes / rate) + wait,
// where `wait` is BLE's wait for the next connection event, uniform in [0, connection_interval). Pure code, no
// allocation per call. Defaults and their sources are in short_range.cpp and docs/models/radio-cellular-energy.md.
#pragma once

#include <cstdint>
#include <string_view>

#include "models/core/rng.hpp"

namespace edgetwin::models::radio {

enum class ShortRangeTech : std::uint8_t { zigbee, ble_1m, ble_2m, wifi, iqrf, wired_gpio };

std::string_view to_string(ShortRangeTech tech);

struct ShortRangeProfile {
  ShortRangeTech tech = ShortRangeTech::zigbee;
  double rate_bps = 0.0;               ///< PHY bit rate of one hop
  double per_hop_latency_s = 0.0;      ///< MAC/PHY overhead per hop (access, headers, ACK, forwarding)
  double loss_per_hop = 0.0;           ///< residual loss probability per hop (after MAC retries)
  int hops = 1;                        ///< hops from the device to the gateway
  double connection_interval_s = 0.0;  ///< BLE connection interval (0: the link is always ready)
};

ShortRangeProfile zigbee_profile(int hops = 3);
ShortRangeProfile ble_profile(bool phy_2m = false, double connection_interval_s = 0.030);
ShortRangeProfile wifi_profile();
ShortRangeProfile iqrf_profile(int hops = 3);
ShortRangeProfile wired_gpio_profile();
ShortRangeProfile short_range_profile(ShortRangeTech tech);

/// (1 - loss_per_hop)^hops.
double delivery_probability(const ShortRangeProfile& p);
/// hops * (per_hop_latency + 8 * bytes / rate) + connection_wait_s (the caller's BLE wait, 0 for others).
double short_range_latency_s(const ShortRangeProfile& p, double bytes, double connection_wait_s = 0.0);
/// Mean latency: the BLE wait averages connection_interval / 2.
double short_range_mean_latency_s(const ShortRangeProfile& p, double bytes);

struct ShortRangeOutcome {
  bool delivered = false;
  double latency_s = 0.0;  ///< meaningful when delivered
};
/// One message: a Bernoulli draw for delivery, then the latency with the BLE wait drawn uniform in [0, interval).
ShortRangeOutcome sample_short_range(const ShortRangeProfile& p, double bytes, Rng& rng);

}  // namespace edgetwin::models::radio
