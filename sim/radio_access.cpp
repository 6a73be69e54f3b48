// sim/radio_access.cpp — building the per-group radio state: LoRa placement around the home
// gateway (uniform in a disc, or at a fixed distance), fixed per-link shadowing drawn once (as in
// LoRaSim), SF assignment (fixed, smallest that reaches, converged ADR), per-device duty-cycle
// trackers; cellular coverage class from the MCL; short-range profiles.
#include "sim/radio_access.hpp"

#include <cmath>
#include <stdexcept>

#include "models/radio/path_loss.hpp"

namespace edgetwin::sim {

namespace radio = models::radio;

radio::CellularTech cellular_tech(const std::string& n) {
  if (n == "nb-iot") return radio::CellularTech::nb_iot_nb1;
  if (n == "nb-iot-nb2") return radio::CellularTech::nb_iot_nb2;
  if (n == "lte-m") return radio::CellularTech::lte_m1;
  if (n == "gprs") return radio::CellularTech::gprs;
  if (n == "3g") return radio::CellularTech::umts;
  if (n == "lte") return radio::CellularTech::lte;
  if (n == "5g-embb") return radio::CellularTech::nr_embb;
  if (n == "5g-urllc") return radio::CellularTech::nr_urllc;
  throw std::invalid_argument("unknown cellular technology " + n);
}

radio::ShortRangeProfile short_range_profile_named(const std::string& n, int hops) {
  radio::ShortRangeProfile p;
  if (n == "zigbee")
    p = radio::zigbee_profile(hops);
  else if (n == "ble")
    p = radio::ble_profile(false);
  else if (n == "ble-2m")
    p = radio::ble_profile(true);
  else if (n == "wifi")
    p = radio::wifi_profile();
  else if (n == "iqrf")
    p = radio::iqrf_profile(hops);
  else if (n == "gpio")
    p = radio::wired_gpio_profile();
  else
    throw std::invalid_argument("unknown short-range technology " + n);
  p.hops = hops;
  return p;
}

AccessRuntime::AccessRuntime(const DeviceGroupSpec& g, const SiteSpec& site, std::uint64_t seed)
    : rng(seed, "access/" + g.name), group_(&g) {
  const auto& a = g.access;
  const std::uint64_t n = g.count;
  for (const auto& gw : g.gateways)
    for (std::size_t i = 0; i < site.gateways.size(); ++i)
      if (site.gateways[i].name == gw) home_site_gw_.push_back(static_cast<std::uint32_t>(i));
  if (a.model == "lora") {
    n_site_gw_ = site.gateways.size();
    rssi_.resize(n * n_site_gw_);
    duty_.assign(n, radio::DutyCycleTracker(*radio::parse_region(site.lora.region)));
    pending_.resize(n);
    radio::LogDistancePathLoss pl;
    pl.d0_m = site.lora.d0_m;
    pl.pl_d0_db = site.lora.pl_d0_db;
    pl.gamma = site.lora.gamma;
    pl.sigma_db = site.lora.sigma_db;
    models::Rng place(seed, "placement/" + g.name);
    const bool per_device_sf = a.sf_assignment != "fixed";
    if (per_device_sf) {
      sf_.resize(n);
      power_.resize(n);
    }
    for (std::uint64_t k = 0; k < n; ++k) {
      const auto& home = site.gateways[home_gateway(k)];
      radio::Position pos;
      if (a.radius > 0) {
        pos = radio::place_uniform_in_disc(place, a.radius, radio::Position{home.x, home.y});
      } else {
        const double angle = place.uniform(0.0, 6.283185307179586);
        pos = {home.x + a.distance * std::cos(angle), home.y + a.distance * std::sin(angle)};
      }
      double best = -1e9;
      for (std::size_t gi = 0; gi < n_site_gw_; ++gi) {
        const auto& gw = site.gateways[gi];
        const double d = std::max(1.0, radio::distance_m(pos, radio::Position{gw.x, gw.y}));
        const double loss = pl.sample_db(d, place);  // shadowing fixed per device-gateway link
        const double rx = radio::received_power_dbm(a.tx_power_dbm, loss);
        rssi_[k * n_site_gw_ + gi] = static_cast<float>(rx);
        best = std::max(best, rx);
      }
      if (best < radio::sensitivity_dbm(12, a.bw_khz)) ++unreachable_;
      if (per_device_sf) {
        int sf = a.sf;
        double power = a.tx_power_dbm;
        if (a.sf_assignment == "smallest") {
          sf = radio::smallest_sf_that_reaches(best, a.bw_khz).value_or(12);
        } else {  // adr: the converged state of the network server's ADR from the best link's SNR
          const auto d = radio::adr_assign(radio::snr_db(best, a.bw_khz), a.sf, a.tx_power_dbm);
          sf = d.sf;
          power = d.tx_power_dbm;
          // A lower power lowers every link's RSSI by the same amount.
          for (std::size_t gi = 0; gi < n_site_gw_; ++gi)
            rssi_[k * n_site_gw_ + gi] += static_cast<float>(power - a.tx_power_dbm);
        }
        sf_[k] = static_cast<std::int8_t>(sf);
        power_[k] = static_cast<float>(power);
      }
    }
  } else if (a.model == "cellular") {
    cell_profile_ = radio::cellular_profile(cellular_tech(a.technology));
    coverage_ = radio::coverage_class(cell_profile_, a.mcl_db);
    rrc_.resize(n);
  } else if (a.model == "short-range") {
    short_profile_ = short_range_profile_named(a.technology, a.hops);
  } else if (a.model == "sigfox") {
    sigfox_quota_.resize(n);
  }
}

radio::LoraParams AccessRuntime::lora_params(std::uint64_t k) const {
  radio::LoraParams p;
  p.sf = sf(k);
  p.bw_khz = group_->access.bw_khz;
  p.cr = group_->access.cr;
  p.preamble = group_->access.preamble;
  p.ldro = group_->access.ldro == "sf11-12" ? radio::LdroMode::sf11_12_at_125 : radio::LdroMode::datasheet;
  return p;
}

double AccessRuntime::time_on_air(std::uint64_t k, int phy_payload) const {
  return radio::time_on_air_s(lora_params(k), phy_payload);
}

std::vector<std::uint64_t> AccessRuntime::sf_histogram() const {
  std::vector<std::uint64_t> h(13, 0);
  for (std::uint64_t k = 0; k < group_->count; ++k) ++h[static_cast<std::size_t>(sf(k))];
  return h;
}

radio::RadioCurrents AccessRuntime::currents() const {
  const auto& a = group_->access;
  if (a.model == "cellular") return radio::nb_iot_module_currents(group_->battery.voltage);
  return radio::sx1276_currents(a.model == "lora" ? a.tx_power_dbm : 14.0, group_->battery.voltage);
}

}  // namespace edgetwin::sim
