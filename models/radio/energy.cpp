// models/radio/energy.cpp — device energy and battery lifetime (see energy.hpp). Every default cites its source in one
// line; "assumption" marks numbers chosen here (see docs/models/radio-cellular-energy.md).
#include "models/radio/energy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgetwin::models::radio {

namespace {

// Semtech SX1276/77/78/79 datasheet (Rev. 7, 2020), Table 6 "Power Consumption Specification", typical values, 3.3 V.
constexpr double kSx1276SleepA = 0.2e-6;    // IDDSL: sleep mode 0.2 uA
constexpr double kSx1276StandbyA = 1.6e-3;  // IDDST: standby, crystal oscillator enabled, 1.6 mA
constexpr double kSx1276RxA = 11.5e-3;      // IDDR: receive, LnaBoost on, band 1 (862-1020 MHz), 11.5 mA
constexpr double kSx1276Tx7dBmA = 20e-3;    // IDDT: RFOP = +7 dBm on RFO_HF, 20 mA
constexpr double kSx1276Tx13dBmA = 29e-3;   // IDDT: RFOP = +13 dBm on RFO_HF, 29 mA
constexpr double kSx1276Tx17dBmA = 87e-3;   // IDDT: RFOP = +17 dBm on PA_BOOST, 87 mA
constexpr double kSx1276Tx20dBmA = 120e-3;  // IDDT: RFOP = +20 dBm on PA_BOOST, 120 mA

// NB-IoT module class figures (see the doc's "NB-IoT module currents" note on how firm each one is).
constexpr double kNbIotTxA = 220e-3;  // TX at +23 dBm: Quectel BC95 / u-blox SARA-N2 class, 200-250 mA (not one table)
constexpr double kNbIotRxA = 55e-3;   // RX / connected monitoring: same module class, 50-60 mA (not one table)
constexpr double kNbIotIdleA = 1e-3;  // idle with DRX: "current ... in the ~mA range" (u-blox SARA-N2 SIM, Table 4)
constexpr double kNbIotPsmA = 4e-6;  // PSM / deep sleep: typ. 4 uA (Quectel BC65 hardware design §3.5.2)

}  // namespace

StateTimes& StateTimes::operator+=(const StateTimes& o) {
  tx_s += o.tx_s;
  rx_s += o.rx_s;
  idle_s += o.idle_s;
  sleep_s += o.sleep_s;
  return *this;
}

StateTimes StateTimes::scaled(double k) const { return {tx_s * k, rx_s * k, idle_s * k, sleep_s * k}; }

double charge_c(const StateTimes& t, const RadioCurrents& i) {
  return t.tx_s * i.tx_a + t.rx_s * i.rx_a + t.idle_s * i.idle_a + t.sleep_s * i.sleep_a;
}

double energy_j(const StateTimes& t, const RadioCurrents& i) { return i.supply_v * charge_c(t, i); }

double average_current_a(const StateTimes& t, const RadioCurrents& i) {
  const double total = t.total_s();
  return total > 0.0 ? charge_c(t, i) / total : 0.0;
}

double battery_lifetime_s(const Battery& b, double average_current_a) {
  const double capacity_c = b.capacity_mah * 3.6;  // 1 mAh = 3.6 C
  const double drain_a = average_current_a + b.self_discharge_per_year * capacity_c / kSecondsPerYear;
  if (drain_a <= 0.0) return std::numeric_limits<double>::infinity();
  return capacity_c / drain_a;
}

double sx1276_tx_current_a(double tx_power_dbm) {
  if (tx_power_dbm <= 7.0) return kSx1276Tx7dBmA;
  if (tx_power_dbm <= 13.0) return kSx1276Tx13dBmA;
  if (tx_power_dbm <= 17.0) return kSx1276Tx17dBmA;
  return kSx1276Tx20dBmA;
}

RadioCurrents sx1276_currents(double tx_power_dbm, double supply_v) {
  return {sx1276_tx_current_a(tx_power_dbm), kSx1276RxA, kSx1276StandbyA, kSx1276SleepA, supply_v};
}

double lora_symbol_time_s(int sf, double bw_hz) { return std::ldexp(1.0, sf) / bw_hz; }

double lora_rx_window_s(int sf, double bw_hz, int symbols) { return symbols * lora_symbol_time_s(sf, bw_hz); }

StateTimes lora_class_a_cycle(const LoraClassACycle& c) {
  StateTimes t;
  t.tx_s = c.toa_s;
  t.rx_s = c.rx1_s + c.rx2_s;
  t.idle_s = c.radio_wakeups * c.wakeup_s;
  t.sleep_s = std::max(0.0, c.period_s - t.tx_s - t.rx_s - t.idle_s);
  return t;
}

RadioCurrents nb_iot_module_currents(double supply_v) {
  return {kNbIotTxA, kNbIotRxA, kNbIotIdleA, kNbIotPsmA, supply_v};
}

StateTimes cellular_psm_cycle(const CellularProfile& p, CoverageClass cls, double bytes, double period_s,
                              const PsmConfig& psm, bool release_assistance) {
  const double setup = setup_latency_s(p, cls);
  const double tail = release_assistance ? 0.0 : p.inactivity_timer_s;
  const double user_plane = repetitions(p, cls) * p.user_plane_latency_s;
  StateTimes t;
  t.tx_s = ul_transfer_s(p, cls, bytes);
  t.rx_s = setup + user_plane + tail;
  t.idle_s = psm.t3324_s;
  // T3412 restarts whenever the device leaves connected mode, so periodic TAUs fall at k x T3412
  // strictly inside the period; one due exactly when the next uplink goes is not needed.
  const double taus = (psm.t3412_s > 0.0 && period_s > 0.0) ? std::ceil(period_s / psm.t3412_s) - 1.0 : 0.0;
  t.rx_s += taus * (setup + tail);
  t.idle_s += taus * psm.t3324_s;
  t.sleep_s = std::max(0.0, period_s - t.tx_s - t.rx_s - t.idle_s);
  return t;
}

}  // namespace edgetwin::models::radio
