// sim/radio_access.hpp — per-device-group state of the radio access models, built from the scenario
// and driven by the simulation's device scheduler: LoRa placement, SF assignment and per-device
// duty cycle; cellular and short-range profiles by name; energy accounting. No SimGrid here: the
// decisions are the models' (models/radio); this file only keeps the state they need.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/core/rng.hpp"
#include "models/radio/cellular.hpp"
#include "models/radio/downlink.hpp"
#include "models/radio/energy.hpp"
#include "models/radio/lora_channel.hpp"
#include "models/radio/lora_phy.hpp"
#include "models/radio/lorawan_region.hpp"
#include "models/radio/short_range.hpp"
#include "models/radio/sigfox.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::sim {

/// The LoRa radio side of one site: the shared channel (its gateways are the receivers) and each
/// gateway's downlink duty cycle.
struct SiteRadio {
  models::radio::Region region = models::radio::Region::eu868;
  std::unique_ptr<models::radio::LoraChannel> channel;
  std::vector<models::radio::DutyCycleTracker> gateway_duty;
  std::vector<std::size_t> gateway_stage;  // site gateway index -> global gateway stage index
  std::vector<std::uint32_t> uplink_freqs;
  bool duty_cycle = true;
};

/// Energy accumulated over the measured window for a whole device group.
struct EnergyAccount {
  models::radio::StateTimes active;  // tx, rx and idle (wake-up) time of all devices; sleep is the rest
  double extra_charge_c = 0;         // charge not expressed as state times (none today)
};

/// Per-group access runtime.
class AccessRuntime {
 public:
  AccessRuntime(const DeviceGroupSpec& group, const SiteSpec& site, std::uint64_t seed);

  const DeviceGroupSpec& group() const { return *group_; }
  const std::string& model() const { return group_->access.model; }

  // --- LoRa ---------------------------------------------------------------------------------
  /// Site-local index of device k's home gateway (gateways[k mod n] of the group).
  std::uint32_t home_gateway(std::uint64_t k) const { return home_site_gw_[k % home_site_gw_.size()]; }
  int sf(std::uint64_t k) const { return sf_.empty() ? group_->access.sf : sf_[k]; }
  double tx_power_dbm(std::uint64_t k) const { return power_.empty() ? group_->access.tx_power_dbm : power_[k]; }
  /// Mean RSSI (path loss with the device's fixed shadowing) of device k at every site gateway.
  const float* rssi(std::uint64_t k) const { return &rssi_[k * n_site_gw_]; }
  std::size_t site_gateways() const { return n_site_gw_; }
  models::radio::LoraParams lora_params(std::uint64_t k) const;
  double time_on_air(std::uint64_t k, int phy_payload) const;
  models::radio::DutyCycleTracker& duty(std::uint64_t k) { return duty_[k]; }
  /// Histogram of assigned spreading factors (index 7..12).
  std::vector<std::uint64_t> sf_histogram() const;
  /// Devices whose best mean RSSI is below the sensitivity of SF12 (cannot be heard at all).
  std::uint64_t unreachable() const { return unreachable_; }

  struct LoraPending {
    void* message = nullptr;  // the uplink being (re)transmitted; null once handed to the gateway
    std::uint32_t traffic = 0;
    int attempts = 0;
    bool delivered = false;  // the network has it (at least one gateway received a transmission)
    bool active = false;
    bool measured = false;
    std::uint32_t freq_hz = 0;  // channel of the last transmission
  };
  LoraPending& pending(std::uint64_t k) { return pending_[k]; }

  // --- cellular, short-range, Sigfox ------------------------------------------------------------
  const models::radio::CellularProfile& cellular() const { return cell_profile_; }
  models::radio::CoverageClass coverage() const { return coverage_; }
  models::radio::RrcState& rrc(std::uint64_t k) { return rrc_[k]; }
  const models::radio::ShortRangeProfile& short_range() const { return short_profile_; }
  models::radio::SigfoxQuota& sigfox_quota(std::uint64_t k) { return sigfox_quota_[k]; }

  /// Time of each device's next uplink (for downlink reachability), kept by the scheduler.
  std::vector<double> next_uplink;
  /// Commands waiting for the device's next uplink (LoRaWAN class A, Sigfox).
  std::unordered_map<std::uint64_t, std::deque<void*>> waiting_commands;

  // --- energy -------------------------------------------------------------------------------
  EnergyAccount energy;
  models::radio::RadioCurrents currents() const;

  models::Rng rng;

 private:
  const DeviceGroupSpec* group_;
  std::vector<std::uint32_t> home_site_gw_;
  std::size_t n_site_gw_ = 0;
  std::vector<float> rssi_;
  std::vector<std::int8_t> sf_;
  std::vector<float> power_;
  std::vector<models::radio::DutyCycleTracker> duty_;
  std::vector<LoraPending> pending_;
  std::uint64_t unreachable_ = 0;
  models::radio::CellularProfile cell_profile_{};
  models::radio::CoverageClass coverage_ = models::radio::CoverageClass::normal;
  std::vector<models::radio::RrcState> rrc_;
  models::radio::ShortRangeProfile short_profile_{};
  std::vector<models::radio::SigfoxQuota> sigfox_quota_;
};

/// Cellular technology by its scenario name ("nb-iot", "lte-m", ...).
models::radio::CellularTech cellular_tech(const std::string& name);
/// Short-range profile by its scenario name and hop count.
models::radio::ShortRangeProfile short_range_profile_named(const std::string& name, int hops);

}  // namespace edgetwin::sim
