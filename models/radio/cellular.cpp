// models/radio/cellular.cpp — cellular access models (see cellular.hpp). Every default below cites its source in one
// line; "assumption" marks a number chosen here and explained in docs/models/radio-cellular-energy.md.
#include "models/radio/cellular.hpp"

#include <algorithm>
#include <cmath>

namespace edgetwin::models::radio {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Coverage class bounds: TR 45.820 takes GPRS's 144 dB MCL as the reference and targets +20 dB = 164 dB; the middle
// class at +10 dB = 154 dB is the usual three-level split (TS 36.331 CE levels 0..2 are configured on such bounds).
constexpr double kMclNormalDb = 144.0;   // TR 45.820 §5.1: GPRS reference MCL
constexpr double kMclRobustDb = 154.0;   // TR 45.820: +10 dB intermediate class
constexpr double kMclExtremeDb = 164.0;  // TR 45.820 §5.1: CIoT coverage target (MCL 164 dB)

/// Repetitions needed to gain `extra_db` over the 1-repetition link: ideal energy combining adds 3.01 dB per doubling,
/// so R = smallest power of two >= 10^(extra_db / 10). 144->154 dB: 16; 144->164 dB: 128 (= NB-IoT's maximum NPUSCH
/// repetition number, TS 36.213 §16.5.1.1; within LTE-M CE mode B's 2048).
int repetitions_for_gain_db(double extra_db) {
  const double needed = std::pow(10.0, extra_db / 10.0);
  int r = 1;
  while (r < needed - 1e-9) r *= 2;
  return r;
}

std::array<CoverageClassSpec, 3> ciot_classes() {
  return {CoverageClassSpec{kMclNormalDb, 1},
          CoverageClassSpec{kMclRobustDb, repetitions_for_gain_db(kMclRobustDb - kMclNormalDb)},
          CoverageClassSpec{kMclExtremeDb, repetitions_for_gain_db(kMclExtremeDb - kMclNormalDb)}};
}

std::array<CoverageClassSpec, 3> single_class(double max_mcl_db) {
  return {CoverageClassSpec{max_mcl_db, 1}, CoverageClassSpec{}, CoverageClassSpec{}};
}

// LTE-M user-plane latency: reference "LTE-M Cat-M1 latency 10-15 ms"; we take the low end.
constexpr double kLteMUserPlaneS = 0.010;
// NB-IoT connected-mode user plane: assumption 20 ms (NPDCCH->NPUSCH scheduling gap >= 8 ms, TS 36.213 §16.5, plus
// NPDCCH and resource-unit durations: about twice LTE-M's).
constexpr double kNbIotUserPlaneS = 0.020;
// RRC inactivity timer for CIoT devices: assumption 10 s (operator-configured; 10-20 s is common; release assistance
// can make it 0).
constexpr double kCiotInactivityS = 10.0;

/// LTE-M setup timing calibrated on the LTE-M white paper: 0.1 s at the normal-coverage edge (R = 1), 6.2 s at 164 dB
/// (R = 128), for a 20-byte exception report at 375 kbit/s with 10 ms user plane per repetition.
SetupTiming lte_m_setup() {
  return calibrate_setup(kLteMLatencyNormalEdgeS, 1, kLteMLatencyExtremeS, repetitions_for_gain_db(20.0),
                         kExceptionReportBytes, 375e3, kLteMUserPlaneS);
}

}  // namespace

std::string_view to_string(CellularTech tech) {
  switch (tech) {
    case CellularTech::nb_iot_nb1:
      return "nb-iot-nb1";
    case CellularTech::nb_iot_nb2:
      return "nb-iot-nb2";
    case CellularTech::lte_m1:
      return "lte-m1";
    case CellularTech::gprs:
      return "gprs";
    case CellularTech::umts:
      return "umts";
    case CellularTech::lte:
      return "lte";
    case CellularTech::nr_embb:
      return "5g-embb";
    case CellularTech::nr_urllc:
      return "5g-urllc";
  }
  return "unknown";
}

std::string_view to_string(CoverageClass cls) {
  switch (cls) {
    case CoverageClass::normal:
      return "normal";
    case CoverageClass::robust:
      return "robust";
    case CoverageClass::extreme:
      return "extreme";
    case CoverageClass::none:
      return "none";
  }
  return "unknown";
}

SetupTiming calibrate_setup(double latency_lo_s, int reps_lo, double latency_hi_s, int reps_hi, double bytes,
                            double ul_peak_bps, double user_plane_latency_s) {
  // Idle latency L(R) = fixed + R * per_rep + R * (user_plane + 8 bytes / peak): subtract the known part, solve.
  const double per_rep_known = user_plane_latency_s + 8.0 * bytes / ul_peak_bps;
  const double y_lo = latency_lo_s - reps_lo * per_rep_known;
  const double y_hi = latency_hi_s - reps_hi * per_rep_known;
  SetupTiming s;
  s.per_repetition_s = (y_hi - y_lo) / static_cast<double>(reps_hi - reps_lo);
  s.fixed_s = y_lo - reps_lo * s.per_repetition_s;
  return s;
}

CellularProfile lte_m1_profile() {
  CellularProfile p;
  p.tech = CellularTech::lte_m1;
  p.ul_peak_bps = 375e3;  // reference: Cat-M1 375 kbit/s UL, half duplex (3GPP Rel-13)
  p.dl_peak_bps = 300e3;  // reference: Cat-M1 300 kbit/s DL, half duplex
  p.user_plane_latency_s = kLteMUserPlaneS;
  p.setup = lte_m_setup();  // calibrated: LTE-M white paper 2018, 0.1 s normal edge / 6.2 s at 164 dB
  p.inactivity_timer_s = kCiotInactivityS;
  // assumption: capacity scales with bandwidth, 6 PRB (1.08 MHz) vs NB-IoT's 1 PRB => 6 x the TR 45.820 carrier rate.
  p.cell_ul_capacity_bps = 6.0 * SharedCellUplink::equivalent_rate_bps(50000.0, 5.0, 20.0);
  p.coverage = ciot_classes();
  p.coverage_classes = 3;
  return p;
}

CellularProfile nb_iot_nb1_profile() {
  CellularProfile p;
  p.tech = CellularTech::nb_iot_nb1;
  p.ul_peak_bps = 62e3;  // reference: Cat-NB1 ~62 kbit/s UL (180 kHz, half duplex)
  p.dl_peak_bps = 26e3;  // reference: Cat-NB1 ~26 kbit/s DL
  p.user_plane_latency_s = kNbIotUserPlaneS;
  // assumption: same RA + RRC exchange and per-repetition control airtime as LTE-M (both run the LTE procedure on
  // 1-ms subframes); only the data rate differs. Check: TR 45.820 <= 10 s at 164 dB (tests/models/test_cellular.cpp).
  p.setup = lte_m_setup();
  p.inactivity_timer_s = kCiotInactivityS;
  p.cell_ul_capacity_bps = SharedCellUplink::equivalent_rate_bps(50000.0, 5.0, 20.0);  // TR 45.820 capacity target
  p.coverage = ciot_classes();
  p.coverage_classes = 3;
  return p;
}

CellularProfile nb_iot_nb2_profile() {
  CellularProfile p = nb_iot_nb1_profile();
  p.tech = CellularTech::nb_iot_nb2;
  p.ul_peak_bps = 159e3;  // reference: Cat-NB2 ~159 kbit/s UL (Rel-14)
  p.dl_peak_bps = 127e3;  // reference: Cat-NB2 ~127 kbit/s DL
  return p;
}

CellularProfile gprs_profile() {
  CellularProfile p;
  p.tech = CellularTech::gprs;
  p.ul_peak_bps = 2 * 13.4e3;     // CS-2 13.4 kbit/s per timeslot (3GPP TS 45.003); 2 UL slots, multislot class 10
  p.dl_peak_bps = 4 * 13.4e3;     // 4 DL slots, multislot class 10 (3GPP TS 45.002 Annex B)
  p.user_plane_latency_s = 0.35;  // assumption: half of the ~0.6-1 s round trips commonly measured on GPRS
  p.setup = {0.5, 0.0};           // assumption: uplink TBF establishment (RACH + immediate assignment) ~0.5 s
  p.inactivity_timer_s = 32.0;    // READY timer T3314 default 32 s (3GPP TS 24.008)
  p.cell_ul_capacity_bps = 4 * 13.4e3;      // assumption: 4 of a carrier's 8 timeslots for packet data, CS-2
  p.coverage = single_class(kMclNormalDb);  // TR 45.820: GPRS reference MCL 144 dB
  return p;
}

CellularProfile umts_profile() {
  CellularProfile p;
  p.tech = CellularTech::umts;
  p.ul_peak_bps = 5.76e6;            // HSUPA category 6 (3GPP TS 25.306)
  p.dl_peak_bps = 14.4e6;            // HSDPA category 10 (3GPP TS 25.306)
  p.user_plane_latency_s = 0.050;    // assumption: HSPA round trip ~100 ms
  p.setup = {2.0, 0.0};              // IDLE -> DCH promotion ~2 s measured (Qian et al., IMC 2010)
  p.inactivity_timer_s = 17.0;       // DCH tail 5 s + FACH tail 12 s (Qian et al., IMC 2010)
  p.cell_ul_capacity_bps = 1.5e6;    // assumption: order of an HSUPA cell's uplink throughput
  p.coverage = single_class(140.7);  // assumption: as LTE (TR 45.820 LTE reference MCL 140.7 dB)
  return p;
}

CellularProfile lte_profile() {
  CellularProfile p;
  p.tech = CellularTech::lte;
  p.ul_peak_bps = 51e6;                 // UE category 4 uplink 51 Mbit/s (3GPP TS 36.306)
  p.dl_peak_bps = 150e6;                // UE category 4 downlink 150 Mbit/s (3GPP TS 36.306)
  p.user_plane_latency_s = 0.010;       // ~10 ms one way (3GPP TR 25.913 target 5 ms + scheduling request / grant)
  p.setup = {0.1, 0.0};                 // idle -> active < 100 ms (3GPP TR 25.913 §7.1 control-plane target)
  p.inactivity_timer_s = 11.576;        // LTE RRC tail measured 11.576 s (Huang et al., MobiSys 2012)
  p.cell_ul_capacity_bps = 20e6 * 1.4;  // 20 MHz x 1.4 bit/s/Hz/cell UL (ITU-R M.2134 base coverage urban)
  p.coverage = single_class(140.7);     // TR 45.820: LTE reference MCL 140.7 dB
  return p;
}

CellularProfile nr_embb_profile() {
  CellularProfile p;
  p.tech = CellularTech::nr_embb;
  p.ul_peak_bps = 50e6;                  // ITU-R M.2410: user-experienced UL data rate 50 Mbit/s (dense urban eMBB)
  p.dl_peak_bps = 100e6;                 // ITU-R M.2410: user-experienced DL data rate 100 Mbit/s
  p.user_plane_latency_s = 0.004;        // ITU-R M.2410: user-plane latency 4 ms (eMBB)
  p.setup = {0.020, 0.0};                // ITU-R M.2410: control-plane latency 20 ms
  p.inactivity_timer_s = 10.0;           // assumption: operator RRC inactivity timer, same order as LTE
  p.cell_ul_capacity_bps = 100e6 * 5.4;  // 100 MHz x 5.4 bit/s/Hz/TRxP UL (ITU-R M.2410 dense urban eMBB)
  p.coverage = single_class(140.7);      // assumption: as LTE
  return p;
}

CellularProfile nr_urllc_profile() {
  CellularProfile p = nr_embb_profile();
  p.tech = CellularTech::nr_urllc;
  p.user_plane_latency_s = 0.001;        // ITU-R M.2410: user-plane latency 1 ms (URLLC)
  p.cell_ul_capacity_bps = 100e6 * 1.6;  // assumption: robust MCS, 1.6 bit/s/Hz (M.2410's rural UL figure) on 100 MHz
  return p;
}

CellularProfile cellular_profile(CellularTech tech) {
  switch (tech) {
    case CellularTech::nb_iot_nb1:
      return nb_iot_nb1_profile();
    case CellularTech::nb_iot_nb2:
      return nb_iot_nb2_profile();
    case CellularTech::lte_m1:
      return lte_m1_profile();
    case CellularTech::gprs:
      return gprs_profile();
    case CellularTech::umts:
      return umts_profile();
    case CellularTech::lte:
      return lte_profile();
    case CellularTech::nr_embb:
      return nr_embb_profile();
    case CellularTech::nr_urllc:
      return nr_urllc_profile();
  }
  return lte_profile();
}

CoverageClass coverage_class(const CellularProfile& p, double mcl_db) {
  for (int i = 0; i < p.coverage_classes; ++i)
    if (mcl_db <= p.coverage[static_cast<std::size_t>(i)].max_mcl_db) return static_cast<CoverageClass>(i);
  return CoverageClass::none;
}

int repetitions(const CellularProfile& p, CoverageClass cls) {
  const int i = static_cast<int>(cls);
  if (cls == CoverageClass::none || i >= p.coverage_classes) return 0;
  return p.coverage[static_cast<std::size_t>(i)].repetitions;
}

double effective_ul_rate_bps(const CellularProfile& p, CoverageClass cls) {
  const int r = repetitions(p, cls);
  return r > 0 ? p.ul_peak_bps / r : 0.0;
}

double effective_dl_rate_bps(const CellularProfile& p, CoverageClass cls) {
  const int r = repetitions(p, cls);
  return r > 0 ? p.dl_peak_bps / r : 0.0;
}

double setup_latency_s(const CellularProfile& p, CoverageClass cls) {
  const int r = repetitions(p, cls);
  return r > 0 ? p.setup.fixed_s + r * p.setup.per_repetition_s : kInf;
}

double ul_transfer_s(const CellularProfile& p, CoverageClass cls, double bytes) {
  const double rate = effective_ul_rate_bps(p, cls);
  return rate > 0.0 ? 8.0 * bytes / rate : kInf;
}

double uplink_latency_s(const CellularProfile& p, CoverageClass cls, double bytes, bool idle) {
  const int r = repetitions(p, cls);
  if (r <= 0) return kInf;
  return (idle ? setup_latency_s(p, cls) : 0.0) + r * p.user_plane_latency_s + ul_transfer_s(p, cls, bytes);
}

bool RrcState::idle_at(const CellularProfile& p, double now_s) const {
  return now_s - last_activity_end_s >= p.inactivity_timer_s;
}

double RrcState::send(const CellularProfile& p, CoverageClass cls, double now_s, double bytes) {
  const bool idle = idle_at(p, now_s);
  // One modem sends one message at a time: a message handed over mid-transfer starts when the previous one ends.
  const double start = idle ? now_s : std::max(now_s, last_activity_end_s);
  const double end = start + uplink_latency_s(p, cls, bytes, idle);
  last_activity_end_s = end;
  return end - now_s;
}

PsmConfig default_psm_config() {
  PsmConfig c;
  c.t3324_s = 60.0;           // assumption: 1 min active time (3GPP range 0-11160 s, TS 24.008 GPRS timer 2)
  c.t3412_s = 86400.0;        // assumption: one periodic TAU a day (T3412-extended allows up to ~413 days)
  c.idle_drx_cycle_s = 2.56;  // default paging cycle 2.56 s, longest of TS 36.304's 0.32-2.56 s values
  return c;
}

EdrxConfig default_edrx_config() {
  EdrxConfig c;
  c.cycle_s = 81.92;        // eDRX cycle 81.92 s (TS 24.008 value set; LTE-M 20.48-2621.44 s per the reference)
  c.ptw_s = 2.56;           // paging time window 2.56 s (nRF9160 product spec eDRX figures use this PTW)
  c.paging_cycle_s = 1.28;  // paging cycle inside the PTW 1.28 s (TS 36.304 value set)
  c.offset_s = 0.0;
  return c;
}

namespace {

/// Earliest point >= t inside the reachable period that starts with a wake-up (uplink or TAU) at w. At the wake itself
/// the device is connected, so pending data goes at once; afterwards it is idle and paged every idle_drx_cycle_s
/// until T3324 expires. +inf when that period ends before t.
double reach_after_wake(const PsmConfig& c, double w, double t) {
  if (t <= w) return w;
  const double end = w + c.t3324_s;
  if (t >= end) return kInf;
  if (c.idle_drx_cycle_s <= 0.0) return t;
  const double po = w + std::ceil((t - w) / c.idle_drx_cycle_s) * c.idle_drx_cycle_s;
  return po < end ? po : kInf;
}

}  // namespace

double psm_next_reachable_s(const PsmConfig& c, double t, double last_activity_end_s, double next_uplink_s) {
  if (t < last_activity_end_s) return t;  // still connected after its last activity
  double base = last_activity_end_s;
  bool uplink_pending = std::isfinite(next_uplink_s) && next_uplink_s > base;
  for (int guard = 0; guard < 8; ++guard) {
    const double r = reach_after_wake(c, base, t);
    if (r < kInf) return r;
    // Next wake: the first periodic TAU (timer restarted at `base`) whose reachable period can still contain t, or the
    // device's own next uplink if that comes first (it restarts T3412 too).
    double next_tau = kInf;
    if (c.t3412_s > 0.0) {
      const double k = std::max(1.0, std::floor((t - c.t3324_s - base) / c.t3412_s) + 1.0);
      next_tau = base + k * c.t3412_s;
    }
    if (uplink_pending && next_uplink_s <= next_tau) {
      base = next_uplink_s;
      uplink_pending = false;
    } else if (next_tau < kInf) {
      base = next_tau;
    } else {
      return kInf;  // no TAU and no uplink: never reachable again
    }
  }
  return kInf;
}

double edrx_next_paging_s(const EdrxConfig& c, double t) {
  if (c.cycle_s <= 0.0) return t;
  const double k = std::floor((t - c.offset_s) / c.cycle_s);
  for (int i = 0; i < 2; ++i) {
    const double start = c.offset_s + (k + i) * c.cycle_s;
    if (t <= start) return start;
    const double end = start + c.ptw_s;
    if (t < end) {
      if (c.paging_cycle_s <= 0.0) return t;
      const double po = start + std::ceil((t - start) / c.paging_cycle_s) * c.paging_cycle_s;
      if (po < end) return po;
    }
  }
  return c.offset_s + (k + 2) * c.cycle_s;
}

SharedCellUplink::SharedCellUplink(double resource_rate_bps) : rate_bps_(resource_rate_bps) {}

double SharedCellUplink::equivalent_rate_bps(double devices, double uplinks_per_hour, double bytes,
                                             double utilisation) {
  return devices * (uplinks_per_hour / 3600.0) * 8.0 * bytes / utilisation;
}

SharedCellUplink SharedCellUplink::nb_iot_carrier() {
  // TR 45.820 capacity target: 50,000 devices per 200 kHz carrier, 5 uplinks/h of 20 B, taken as saturation.
  return SharedCellUplink(equivalent_rate_bps(50000.0, 5.0, 20.0, 1.0));
}

double SharedCellUplink::service_time_s(double bytes, double cost_factor) const {
  return 8.0 * bytes * cost_factor / rate_bps_;
}

double SharedCellUplink::admit(double arrival_s, double bytes, double cost_factor) {
  const double start = std::max(arrival_s, busy_until_s_);
  const double completion = start + service_time_s(bytes, cost_factor);
  total_wait_s_ += start - arrival_s;
  ++admitted_;
  busy_until_s_ = completion;
  return completion;
}

void SharedCellUplink::reset() {
  busy_until_s_ = -kInf;
  admitted_ = 0;
  total_wait_s_ = 0.0;
}

double pollaczek_khinchine_wait_s(double lambda_per_s, double mean_service_s, double second_moment_service_s2) {
  const double rho = lambda_per_s * mean_service_s;
  if (rho >= 1.0) return kInf;
  return lambda_per_s * second_moment_service_s2 / (2.0 * (1.0 - rho));
}

}  // namespace edgetwin::models::radio
