// models/radio/cellular.hpp — cellular access models: NB-IoT / LTE-M coverage classes and connection setup, GPRS / 3G /
// LTE / 5G profiles with RRC promotion and inactivity, PSM / eDRX reachability, and the shared cell uplink queue.
//
// Owns: the per-message latency of a cellular uplink (setup when idle + user plane + transfer), the device's RRC state
// (connected until an inactivity timer expires), when a PSM or eDRX device can next be reached, and the FIFO queue that
// models a cell's uplink resource shared by its devices. Pure code: no SimGrid, no I/O, no heap allocation per call.
// Sources and the calibration are in docs/models/radio-cellular-energy.md.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace edgetwin::models::radio {

enum class CellularTech : std::uint8_t { nb_iot_nb1, nb_iot_nb2, lte_m1, gprs, umts, lte, nr_embb, nr_urllc };

/// Coverage enhancement level (TS 36.331 CE levels 0..2). `none` = beyond the deepest class: no service.
enum class CoverageClass : std::uint8_t { normal = 0, robust = 1, extreme = 2, none = 3 };

std::string_view to_string(CellularTech tech);
std::string_view to_string(CoverageClass cls);

/// One coverage class: devices whose maximum coupling loss is at most `max_mcl_db` (and above the previous class's
/// bound) use `repetitions` for every uplink/downlink transmission and control message.
struct CoverageClassSpec {
  double max_mcl_db = 0.0;
  int repetitions = 1;
};

/// Idle->connected setup delay model: setup(R) = fixed_s + R * per_repetition_s, R = the class's repetition factor.
/// fixed_s is processing and scheduling that coverage does not stretch; per_repetition_s is the airtime of the
/// random-access + RRC exchange (preamble, RAR, Msg3, Msg4, grants) at one repetition.
struct SetupTiming {
  double fixed_s = 0.0;
  double per_repetition_s = 0.0;
};

/// A cellular technology profile. Broadband technologies have one coverage class with 1 repetition.
struct CellularProfile {
  CellularTech tech = CellularTech::lte;
  double ul_peak_bps = 0.0;           ///< one device's uplink rate at 1 repetition
  double dl_peak_bps = 0.0;           ///< one device's downlink rate at 1 repetition
  double user_plane_latency_s = 0.0;  ///< one-way radio user-plane latency in connected mode, per repetition
  SetupTiming setup;                  ///< RA + RRC connection setup (idle -> connected promotion)
  double inactivity_timer_s = 0.0;    ///< connected -> idle after this long without traffic
  double cell_ul_capacity_bps = 0.0;  ///< uplink resource of one cell/carrier shared by its devices
  std::array<CoverageClassSpec, 3> coverage{};
  int coverage_classes = 1;  ///< how many entries of `coverage` are used (1 for broadband, 3 for CIoT)
};

// ---- Published reference points used for the calibration (see the .cpp and the doc) --------------------------------

/// TR 45.820 traffic model: exception report application payload, bytes (assumption: no protocol overhead added).
inline constexpr double kExceptionReportBytes = 20.0;
/// LTE-M white paper (Evaluation of LTE-M towards 5G IoT requirements, v1.1, 2018): latency at the edge of normal cov.
inline constexpr double kLteMLatencyNormalEdgeS = 0.1;
/// Same white paper: exception report latency at 164 dB MCL.
inline constexpr double kLteMLatencyExtremeS = 6.2;
/// 3GPP TR 45.820 CIoT target: exception report latency at 164 dB MCL at most 10 s.
inline constexpr double kCiotLatencyTargetS = 10.0;

/// Solves fixed_s and per_repetition_s so that an idle device's report of `bytes` takes `latency_lo_s` with `reps_lo`
/// repetitions and `latency_hi_s` with `reps_hi` (two linear equations; see uplink_latency_s for the model).
SetupTiming calibrate_setup(double latency_lo_s, int reps_lo, double latency_hi_s, int reps_hi, double bytes,
                            double ul_peak_bps, double user_plane_latency_s);

// ---- Profiles with defaults (every number cited in cellular.cpp) ----------------------------------------------------
CellularProfile nb_iot_nb1_profile();
CellularProfile nb_iot_nb2_profile();
CellularProfile lte_m1_profile();
CellularProfile gprs_profile();
CellularProfile umts_profile();
CellularProfile lte_profile();
CellularProfile nr_embb_profile();
CellularProfile nr_urllc_profile();
CellularProfile cellular_profile(CellularTech tech);

// ---- Coverage and per-message latency
// --------------------------------------------------------------------------------

/// The coverage class a device with this maximum coupling loss falls in (`none` beyond the last class).
CoverageClass coverage_class(const CellularProfile& p, double mcl_db);
/// Repetition factor of a class (0 for `none`).
int repetitions(const CellularProfile& p, CoverageClass cls);
/// Effective uplink / downlink rate: peak / repetitions (0 for `none`).
double effective_ul_rate_bps(const CellularProfile& p, CoverageClass cls);
double effective_dl_rate_bps(const CellularProfile& p, CoverageClass cls);
/// RA + RRC connection setup time in this class: fixed_s + R * per_repetition_s.
double setup_latency_s(const CellularProfile& p, CoverageClass cls);
/// Airtime of `bytes` on the uplink in this class: 8 * bytes / effective_ul_rate.
double ul_transfer_s(const CellularProfile& p, CoverageClass cls, double bytes);
/// One uplink message: (idle ? setup : 0) + R * user_plane_latency + transfer. +inf for `none`.
double uplink_latency_s(const CellularProfile& p, CoverageClass cls, double bytes, bool idle);

/// Per-device RRC state for a cohort: keep one of these (16 bytes) per device in a compact array.
struct RrcState {
  double last_activity_end_s = -std::numeric_limits<double>::infinity();  ///< end of the last transfer
  /// True when the device has dropped back to idle at `now_s` (inactivity timer expired).
  bool idle_at(const CellularProfile& p, double now_s) const;
  /// A message of `bytes` handed to the modem at `now_s`: returns its radio latency (promotion paid only when idle)
  /// and records the activity, so a message soon after another one does not pay the promotion again.
  double send(const CellularProfile& p, CoverageClass cls, double now_s, double bytes);
};

// ---- PSM and eDRX: when is a device reachable for downlink
// --------------------------------------------------------------

/// Power saving mode (TS 24.008 / 23.682): after each uplink or TAU the device stays reachable (idle, paged every
/// `idle_drx_cycle_s`) for T3324, then sleeps unreachable until the next periodic TAU (T3412 after the last activity)
/// or its next own uplink.
struct PsmConfig {
  double t3324_s = 0.0;
  double t3412_s = 0.0;
  double idle_drx_cycle_s = 0.0;  ///< paging cycle during the active time (0: reachable at once)
};
PsmConfig default_psm_config();

/// Extended DRX (TS 36.304 §7.3): every `cycle_s` a paging time window of `ptw_s` opens at `offset_s` (device phase);
/// inside it, paging occasions every `paging_cycle_s`.
struct EdrxConfig {
  double cycle_s = 0.0;
  double ptw_s = 0.0;
  double paging_cycle_s = 0.0;
  double offset_s = 0.0;
};
EdrxConfig default_edrx_config();

/// Earliest time >= t at which a PSM device can receive a downlink. `last_activity_end_s` is when its last uplink or
/// TAU finished (it went idle then); `next_uplink_s` its next own uplink (+inf if unknown). Before the last activity
/// ended the device is connected and reachable at once.
double psm_next_reachable_s(const PsmConfig& c, double t, double last_activity_end_s, double next_uplink_s);
/// Earliest paging occasion >= t of an eDRX device.
double edrx_next_paging_s(const EdrxConfig& c, double t);

// ---- Shared cell uplink
// -------------------------------------------------------------------------------------------------

/// A cell's uplink resource shared by its devices as one FIFO server (work-conserving, first come first served).
/// Service time of a message = 8 * bytes * cost_factor / resource_rate_bps. O(1) state, no allocation.
class SharedCellUplink {
 public:
  explicit SharedCellUplink(double resource_rate_bps);

  /// Equivalent uplink resource rate from a capacity statement "devices per cell at uplinks_per_hour of bytes each"
  /// (TR 45.820: 50,000 devices, 5 uplinks/h, 20 B), taken as the load at utilisation `utilisation` (1 = saturation).
  static double equivalent_rate_bps(double devices, double uplinks_per_hour, double bytes, double utilisation = 1.0);
  /// The TR 45.820 NB-IoT carrier: 50,000 devices x 5/h x 20 B at saturation = 11,111.1 bit/s.
  static SharedCellUplink nb_iot_carrier();

  /// Admits a message arriving at `arrival_s`; returns when its transmission completes. Messages are served in call
  /// order (the natural order of an event-driven caller). `cost_factor` scales the resource used (e.g. repetitions
  /// relative to the cell's reference coverage mix).
  double admit(double arrival_s, double bytes, double cost_factor = 1.0);
  double service_time_s(double bytes, double cost_factor = 1.0) const;

  double resource_rate_bps() const { return rate_bps_; }
  double busy_until_s() const { return busy_until_s_; }
  std::uint64_t admitted() const { return admitted_; }
  double total_wait_s() const { return total_wait_s_; }
  double mean_wait_s() const { return admitted_ ? total_wait_s_ / static_cast<double>(admitted_) : 0.0; }
  void reset();

 private:
  double rate_bps_;
  double busy_until_s_ = -std::numeric_limits<double>::infinity();
  std::uint64_t admitted_ = 0;
  double total_wait_s_ = 0.0;
};

/// Pollaczek–Khinchine mean wait in queue of an M/G/1 queue: lambda * E[S^2] / (2 (1 - rho)); +inf when rho >= 1.
double pollaczek_khinchine_wait_s(double lambda_per_s, double mean_service_s, double second_moment_service_s2);

}  // namespace edgetwin::models::radio
