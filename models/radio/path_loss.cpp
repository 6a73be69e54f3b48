// models/radio/path_loss.cpp — log-distance path loss, placement and SF assignment (see path_loss.hpp).
#include "models/radio/path_loss.hpp"

#include <algorithm>
#include <cmath>

#include "models/radio/lora_phy.hpp"

namespace edgetwin::models::radio {

double LogDistancePathLoss::mean_db(double d_m) const {
  return pl_d0_db + 10.0 * gamma * std::log10(std::max(d_m, 1.0) / d0_m);
}

double LogDistancePathLoss::sample_db(double d_m, Rng& rng) const { return mean_db(d_m) + rng.normal(0.0, sigma_db); }

double LogDistancePathLoss::distance_for_db(double pl_db) const {
  return d0_m * std::pow(10.0, (pl_db - pl_d0_db) / (10.0 * gamma));
}

double snr_db(double rssi_dbm, int bw_khz, double noise_figure_db) {
  return rssi_dbm - noise_floor_dbm(bw_khz, noise_figure_db);
}

Position place_uniform_in_disc(Rng& rng, double radius_m, Position center) {
  const double r = radius_m * std::sqrt(rng.uniform());
  const double theta = 6.283185307179586476925 * rng.uniform();
  return {center.x_m + r * std::cos(theta), center.y_m + r * std::sin(theta)};
}

double distance_uniform_in_disc(Rng& rng, double radius_m, double min_m) {
  // Area-uniform on the annulus [min, R]: r² uniform in [min², R²].
  const double lo = min_m * min_m, hi = radius_m * radius_m;
  return std::sqrt(lo + (hi - lo) * rng.uniform());
}

std::optional<int> smallest_sf_that_reaches(double rssi_dbm, int bw_khz, double margin_db, int min_sf, int max_sf) {
  for (int sf = std::max(min_sf, kMinSf); sf <= std::min(max_sf, kMaxSf); ++sf) {
    if (rssi_dbm - margin_db >= sensitivity_dbm(sf, bw_khz)) return sf;
  }
  return std::nullopt;
}

AdrDecision adr_assign(double snr_max_db, int current_sf, double current_tx_power_dbm, const AdrParams& p) {
  AdrDecision d;
  d.sf = current_sf;
  d.tx_power_dbm = current_tx_power_dbm;
  const double margin = snr_max_db - snr_floor_db(current_sf) - p.installation_margin_db;
  int steps = static_cast<int>(std::floor(margin / p.step_db));
  d.steps = steps;
  while (steps > 0 && d.sf > p.min_sf) {
    --d.sf;
    --steps;
  }
  while (steps > 0 && d.tx_power_dbm - p.tx_power_step_db >= p.min_tx_power_dbm - 1e-9) {
    d.tx_power_dbm -= p.tx_power_step_db;
    --steps;
  }
  while (steps < 0 && d.tx_power_dbm + p.tx_power_step_db <= p.max_tx_power_dbm + 1e-9) {
    d.tx_power_dbm += p.tx_power_step_db;
    ++steps;
  }
  return d;
}

}  // namespace edgetwin::models::radio
