// models/radio/energy.hpp — device energy from the radio's time in each state, and battery lifetime.
//
// Owns: charge and energy of a device from its state times (transmit, receive, idle/standby, sleep/PSM) and the
// currents of its radio at a supply voltage; the state times of one LoRaWAN class A uplink cycle and of one NB-IoT /
// LTE-M PSM cycle; and the battery lifetime those give. Defaults: Semtech SX1276 datasheet and NB-IoT module figures,
// cited in energy.cpp. The LoRa time on air is an input (`toa_s`), computed by the LoRa PHY model elsewhere.
#pragma once

#include "models/radio/cellular.hpp"

namespace edgetwin::models::radio {

/// Supply currents of a radio in each state (amperes) and its supply voltage (volts).
struct RadioCurrents {
  double tx_a = 0.0;
  double rx_a = 0.0;
  double idle_a = 0.0;   ///< standby / idle (oscillator on, not transmitting or receiving)
  double sleep_a = 0.0;  ///< sleep, or PSM for cellular modules
  double supply_v = 0.0;
};

/// Time spent in each state (seconds).
struct StateTimes {
  double tx_s = 0.0;
  double rx_s = 0.0;
  double idle_s = 0.0;
  double sleep_s = 0.0;

  double total_s() const { return tx_s + rx_s + idle_s + sleep_s; }
  StateTimes& operator+=(const StateTimes& o);
  StateTimes scaled(double k) const;
};

/// Sum of current x time over the states (coulombs).
double charge_c(const StateTimes& t, const RadioCurrents& i);
/// supply_v x charge (joules).
double energy_j(const StateTimes& t, const RadioCurrents& i);
/// charge / total time (amperes); 0 when no time.
double average_current_a(const StateTimes& t, const RadioCurrents& i);

struct Battery {
  double capacity_mah = 2400.0;          // assumption: AA-size 3.6 V Li-SOCl2 cell class (2.4-2.6 Ah)
  double voltage_v = 3.6;                // Li-SOCl2 nominal voltage 3.6 V
  double self_discharge_per_year = 0.0;  // fraction of nominal capacity lost per year (Li-SOCl2 makers quote <= 1 %)
};

/// Lifetime (seconds) at a constant average current: capacity / (I + self_discharge x capacity / year), year = 365 d.
double battery_lifetime_s(const Battery& b, double average_current_a);
inline constexpr double kSecondsPerYear = 365.0 * 86400.0;

// ---- Semtech SX1276 -----------------------------------------------------------------------------------------------

/// Transmit current at an output power: the datasheet's figure for the lowest tabulated level >= tx_power_dbm
/// (+7, +13 dBm on RFO; +17, +20 dBm on PA_BOOST). Conservative between tabulated points; clamps at +20 dBm.
double sx1276_tx_current_a(double tx_power_dbm);
RadioCurrents sx1276_currents(double tx_power_dbm, double supply_v = 3.6);

/// LoRa symbol time 2^SF / BW (seconds); local copy so this model does not depend on the PHY model's files.
double lora_symbol_time_s(int sf, double bw_hz);
/// A receive window that finds no preamble: open for `symbols` symbols at the window's data rate, then times out.
double lora_rx_window_s(int sf, double bw_hz, int symbols = 6);

/// One LoRaWAN class A uplink cycle with no downlink: wake, TX for toa_s, sleep until RX1 (LoRaMac-node puts the radio
/// to sleep after TxDone), RX1 window, sleep, RX2 window, sleep for the rest of the period. Each radio wake-up spends
/// `wakeup_s` in standby (crystal + synthesizer start).
struct LoraClassACycle {
  double toa_s = 0.0;
  double rx1_s = 0.0;
  double rx2_s = 0.0;  ///< 0 when RX1 received a downlink (RX2 is then not opened)
  double period_s = 0.0;
  int radio_wakeups = 3;     ///< TX, RX1, RX2
  double wakeup_s = 310e-6;  // SX1276 datasheet: TS_OSC 250 us crystal start + TS_FS 60 us synthesizer wake-up
};
StateTimes lora_class_a_cycle(const LoraClassACycle& c);

// ---- NB-IoT / LTE-M module -------------------------------------------------------------------------------------

RadioCurrents nb_iot_module_currents(double supply_v = 3.6);

/// One PSM cycle of a cellular device sending `bytes` every period_s: connection setup (receiving), data transfer
/// (transmitting), connected until the inactivity timer (receiving; 0 with release assistance), idle with DRX for
/// T3324, PSM for the rest. A periodic TAU (every T3412) strictly inside the period costs one more setup + connected
/// tail (TS 24.301 §5.3.5: T3412 restarts on leaving connected mode, so a TAU due when the next uplink goes is not sent).
StateTimes cellular_psm_cycle(const CellularProfile& p, CoverageClass cls, double bytes, double period_s,
                              const PsmConfig& psm, bool release_assistance);

}  // namespace edgetwin::models::radio
