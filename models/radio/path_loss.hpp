// models/radio/path_loss.hpp — log-distance path loss with shadowing, device placement, and SF assignment.
//
// Owns: the LoRaSim propagation model (Bor et al. 2016, parameters from Petäjäjärvi et al. 2015), received power,
// deterministic placement of devices around a gateway, the "smallest airtime SF that reaches" rule and an
// ADR-like SF/power assignment after the Semtech/TTN network-server ADR algorithm. No allocation.
#pragma once

#include <cmath>
#include <optional>

#include "models/core/rng.hpp"

namespace edgetwin::models::radio {

/// PL(d) = PL(d0) + 10·γ·log10(d/d0) + Xσ, Xσ ~ N(0, σ²). Defaults: LoRaSim (Bor et al. 2016, from the
/// Petäjäjärvi et al. 2015 Oulu measurements): d0 = 40 m, PL(d0) = 127.41 dB, γ = 2.08, σ = 3.57 dB.
struct LogDistancePathLoss {
  double d0_m = 40.0;        ///< reference distance (LoRaSim)
  double pl_d0_db = 127.41;  ///< path loss at d0 (LoRaSim)
  double gamma = 2.08;       ///< path-loss exponent (LoRaSim)
  double sigma_db = 3.57;    ///< shadowing standard deviation (LoRaSim)

  /// Mean path loss at distance d (no shadowing); d is clamped below to 1 m to stay finite.
  double mean_db(double d_m) const;
  /// One shadowed draw PL(d) + N(0, σ²) from `rng`.
  double sample_db(double d_m, Rng& rng) const;
  /// Distance at which the mean path loss equals `pl_db` (inverse of mean_db).
  double distance_for_db(double pl_db) const;
};

/// Received power P_rx = P_tx + G_tx + G_rx − PL (dBm).
inline double received_power_dbm(double tx_power_dbm, double path_loss_db, double antenna_gains_db = 0.0) {
  return tx_power_dbm + antenna_gains_db - path_loss_db;
}

/// SNR of a frame received at `rssi_dbm` on bandwidth `bw_khz` against the thermal noise floor (NF 6 dB).
double snr_db(double rssi_dbm, int bw_khz, double noise_figure_db = 6.0);

struct Position {
  double x_m = 0.0;
  double y_m = 0.0;
};

inline double distance_m(Position a, Position b) {
  const double dx = a.x_m - b.x_m, dy = a.y_m - b.y_m;
  return std::sqrt(dx * dx + dy * dy);
}

/// A point uniform in the disc of radius `radius_m` around `center` (r = R·√U, θ = 2πU'). Deterministic in `rng`.
Position place_uniform_in_disc(Rng& rng, double radius_m, Position center = {});
/// A distance uniform over the disc's area, optionally at least `min_m` from the centre.
double distance_uniform_in_disc(Rng& rng, double radius_m, double min_m = 0.0);

/// The smallest SF (hence smallest airtime) in [min_sf, max_sf] whose sensitivity at `bw_khz` is at most
/// rssi − margin; empty when even max_sf does not reach (LoRaSim's "experiment 0/1" SF choice).
std::optional<int> smallest_sf_that_reaches(double rssi_dbm, int bw_khz = 125, double margin_db = 0.0, int min_sf = 7,
                                            int max_sf = 12);

/// Parameters of the ADR-like assignment (Semtech LoRaWAN network-server ADR, as used by TTN/ChirpStack).
struct AdrParams {
  double installation_margin_db = 10.0;  ///< "margin_db" default 10 dB (Semtech ADR / TTN)
  double step_db = 3.0;                  ///< one step = 3 dB of SNR margin (Semtech ADR)
  int min_sf = 7;                        ///< fastest SF allowed (EU868 DR5)
  int max_sf = 12;                       ///< slowest SF (EU868 DR0)
  double min_tx_power_dbm = 2.0;         ///< EU868 TXPower 7 = max EIRP − 14 dB (RP002-1.0.1 §2.4.3)
  double max_tx_power_dbm = 16.0;        ///< EU868 max EIRP +16 dBm (RP002-1.0.1 §2.4.3)
  double tx_power_step_db = 2.0;         ///< EU868 TXPower index step 2 dB (RP002-1.0.1 §2.4.3)
};

struct AdrDecision {
  int sf = 12;
  double tx_power_dbm = 16.0;
  int steps = 0;  ///< NStep = floor(margin / step) before it was spent
};

/// margin = SNRmax − SNRreq(sf) − installation margin; NStep = floor(margin/3); each positive step lowers the SF
/// by one until min_sf, then lowers the power by one power step; negative steps raise the power up to the maximum
/// (the SF is never raised by the network, as in the Semtech algorithm).
AdrDecision adr_assign(double snr_max_db, int current_sf, double current_tx_power_dbm, const AdrParams& p = {});

}  // namespace edgetwin::models::radio
