// models/radio/downlink.cpp — downlink reachability for LoRaWAN classes A/B/C, PSM/eDRX and always-on links.
#include "models/radio/downlink.hpp"

#include <algorithm>
#include <cmath>

#include "models/core/rng.hpp"

namespace edgetwin::models::radio {

DownlinkSlot class_a_downlink(double ready_s, double uplink_end_s, double gateway_free_s, const ClassAParams& p) {
  const double rx1 = uplink_end_s + p.receive_delay1_s;
  const double rx2 = uplink_end_s + p.receive_delay2_s;
  if (ready_s > rx1) return {};  // the network server decides before RX1 opens
  if (gateway_free_s <= rx1) return {true, rx1, DownlinkWindow::rx1};
  if (gateway_free_s <= rx2) return {true, rx2, DownlinkWindow::rx2};
  return {};
}

DownlinkSlot class_a_next_downlink(double ready_s, double first_uplink_end_s, double period_s, double gateway_free_s,
                                   const ClassAParams& p) {
  if (period_s <= 0.0) return class_a_downlink(ready_s, first_uplink_end_s, gateway_free_s, p);
  // Smallest k with end_k + RECEIVE_DELAY1 >= ready and end_k + RECEIVE_DELAY2 >= gateway_free.
  const double k_ready = std::ceil((ready_s - p.receive_delay1_s - first_uplink_end_s) / period_s);
  const double k_gw = std::ceil((gateway_free_s - p.receive_delay2_s - first_uplink_end_s) / period_s);
  const double k = std::max({0.0, k_ready, k_gw});
  DownlinkSlot s = class_a_downlink(ready_s, first_uplink_end_s + k * period_s, gateway_free_s, p);
  // Rounding at an exact boundary can miss by one ulp: the next uplink then certainly works.
  if (!s.ok) s = class_a_downlink(ready_s, first_uplink_end_s + (k + 1.0) * period_s, gateway_free_s, p);
  return s;
}

int class_b_ping_nb(const ClassBParams& p) {
  const int periodicity = std::clamp(p.periodicity, 0, 7);
  return 1 << (7 - periodicity);
}

int class_b_ping_period_slots(const ClassBParams& p) { return 4096 / class_b_ping_nb(p); }

int class_b_ping_offset(const ClassBParams& p, std::int64_t beacon_index) {
  // LoRaWAN derives the offset from AES128(key 0, beacon time | DevAddr); any well-spread per-(device, beacon) value
  // uniform over the ping period has the same timing statistics, so a 64-bit mix stands in for AES here.
  const std::uint64_t h = mix64(p.device_key, static_cast<std::uint64_t>(beacon_index));
  return static_cast<int>(h % static_cast<std::uint64_t>(class_b_ping_period_slots(p)));
}

DownlinkSlot class_b_next_ping_slot(double ready_s, double gateway_free_s, const ClassBParams& p) {
  const double t = std::max(ready_s, gateway_free_s);
  const int ping_nb = class_b_ping_nb(p);
  const int period_slots = class_b_ping_period_slots(p);
  const auto first_beacon = static_cast<std::int64_t>(std::floor((t - p.beacon_epoch_s) / p.beacon_period_s));
  for (std::int64_t b = first_beacon; b <= first_beacon + 1; ++b) {
    const double window_start = p.beacon_epoch_s + static_cast<double>(b) * p.beacon_period_s + p.beacon_reserved_s;
    const int offset = class_b_ping_offset(p, b);
    const double first_slot = window_start + offset * p.slot_len_s;
    const double period = period_slots * p.slot_len_s;
    double n = t <= first_slot ? 0.0 : std::ceil((t - first_slot) / period);
    double slot = window_start + (offset + n * period_slots) * p.slot_len_s;
    if (slot < t) {  // rounding put the slot a hair before t: take the next one
      n += 1.0;
      slot = window_start + (offset + n * period_slots) * p.slot_len_s;
    }
    if (n < ping_nb) return {true, slot, DownlinkWindow::ping_slot};
  }
  return {};  // unreachable: the second beacon period always has a slot after t
}

DownlinkSlot class_c_downlink(double ready_s, double gateway_free_s) {
  return {true, std::max(ready_s, gateway_free_s), DownlinkWindow::continuous};
}

DownlinkSlot always_on_downlink(double ready_s) { return {true, ready_s, DownlinkWindow::continuous}; }

DownlinkSlot psm_downlink(double ready_s, double last_activity_end_s, double next_uplink_s, const PsmConfig& c) {
  const double t = psm_next_reachable_s(c, ready_s, last_activity_end_s, next_uplink_s);
  if (!std::isfinite(t)) return {};
  return {true, t, DownlinkWindow::continuous};
}

DownlinkSlot edrx_downlink(double ready_s, const EdrxConfig& c) {
  return {true, edrx_next_paging_s(c, ready_s), DownlinkWindow::continuous};
}

}  // namespace edgetwin::models::radio
