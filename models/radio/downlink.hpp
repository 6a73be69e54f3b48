// models/radio/downlink.hpp — downlink reachability: when can a command that is ready at time t reach a device?
//
// Owns: LoRaWAN class A (RX1/RX2 after the device's next uplink), class B (ping slots in the 128 s beacon period),
// class C (at once, subject to the gateway's earliest transmit time) and always-on links. NB-IoT / LTE-M under PSM and
// eDRX are in cellular.hpp (psm_next_reachable_s, edrx_next_paging_s), included here for callers of this header.
// Pure functions, no allocation. Times are seconds of simulated time; results are when the downlink transmission can
// start (the caller adds the downlink's own airtime).
#pragma once

#include <cstdint>

#include "models/radio/cellular.hpp"

namespace edgetwin::models::radio {

/// Where a downlink goes: receive window 1 or 2 of class A, a class B ping slot, or a continuously open receiver.
enum class DownlinkWindow : std::uint8_t { none, rx1, rx2, ping_slot, continuous };

struct DownlinkSlot {
  bool ok = false;  ///< false: not deliverable with the given uplink / constraints
  double time_s = 0.0;
  DownlinkWindow window = DownlinkWindow::none;
};

// ---- Class A
// ----------------------------------------------------------------------------------------------------------

struct ClassAParams {
  double receive_delay1_s = 1.0;  // RECEIVE_DELAY1 1 s (LoRaWAN RP002-1.0.1, EU863-870 defaults)
  double receive_delay2_s = 2.0;  // RECEIVE_DELAY2 2 s (RP002-1.0.1)
};

/// Downlink after one uplink that ended at `uplink_end_s`. The network server must have the command before RX1 opens
/// (ready_s <= uplink_end + RECEIVE_DELAY1); it uses RX1 if the gateway can transmit then (gateway_free_s <= RX1),
/// else RX2 if the gateway is free by RX2, else this uplink gives no chance.
DownlinkSlot class_a_downlink(double ready_s, double uplink_end_s, double gateway_free_s, const ClassAParams& p = {});

/// For a device whose uplinks end at first_uplink_end_s + k * period_s (k = 0, 1, ...): the first uplink whose
/// windows can carry the command, and the window used. O(1).
DownlinkSlot class_a_next_downlink(double ready_s, double first_uplink_end_s, double period_s, double gateway_free_s,
                                   const ClassAParams& p = {});

// ---- Class B
// ----------------------------------------------------------------------------------------------------------

struct ClassBParams {
  double beacon_period_s = 128.0;    // BEACON_INTERVAL 128 s (LoRaWAN 1.0.4 / 1.1 class B §13)
  double beacon_reserved_s = 2.120;  // BEACON_RESERVED 2.120 s (ibid.)
  double slot_len_s = 0.030;         // ping slot length 30 ms; 4096 slots fill the 122.88 s beacon window (ibid.)
  int periodicity = 7;               // 0..7: pingNb = 2^(7 - periodicity), one slot every ~2^periodicity s
  double beacon_epoch_s = 0.0;       // simulated time of a beacon (GPS time multiple of 128 s)
  std::uint64_t device_key = 0;      // per-device seed of the pseudo-random ping offset (stands in for DevAddr + AES)
};

int class_b_ping_nb(const ClassBParams& p);
/// Ping period in slots: 2^12 / pingNb.
int class_b_ping_period_slots(const ClassBParams& p);
/// Pseudo-random ping offset in [0, ping period) for the beacon period with this index (deterministic per device).
int class_b_ping_offset(const ClassBParams& p, std::int64_t beacon_index);
/// The first ping slot starting at or after max(ready_s, gateway_free_s).
DownlinkSlot class_b_next_ping_slot(double ready_s, double gateway_free_s, const ClassBParams& p);

// ---- Class C and always-on links
// --------------------------------------------------------------------------------------

/// Class C: the receiver is open (RX2 parameters) whenever the device is not transmitting: at once, once the gateway
/// may transmit (its duty-cycle / busy state is the caller's `gateway_free_s`).
DownlinkSlot class_c_downlink(double ready_s, double gateway_free_s);
/// Always-on links (wired, Wi-Fi, connected cellular): deliverable when ready.
DownlinkSlot always_on_downlink(double ready_s);

/// NB-IoT / LTE-M in PSM: the device's next reachable instant (see psm_next_reachable_s in cellular.hpp).
DownlinkSlot psm_downlink(double ready_s, double last_activity_end_s, double next_uplink_s, const PsmConfig& c);
/// NB-IoT / LTE-M in eDRX: the next paging occasion.
DownlinkSlot edrx_downlink(double ready_s, const EdrxConfig& c);

}  // namespace edgetwin::models::radio
