// twin/calibration.hpp — from what the twin observed to a scenario `edgetwin run` executes unchanged,
// and the comparison of a run's prediction with the observation (divergence).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "twin/twin_state.hpp"

namespace edgetwin::twin {

struct CalibrationOptions {
  double horizon = 60;  // s: duration of the calibrated scenario
};

/// The calibrated scenario document: the twin's scenario with, per observed device group, the
/// device count seen, the mean observed period, the mean payload size and QoS, the access latency
/// when the gateway stamps its time (access tier measurable), duration = horizon, no warm-up, no
/// faults; what was observed (rates, latency percentiles per tier, broker load) goes under
/// mapping.observed. Throws std::runtime_error when the scenario document cannot be read.
nlohmann::json calibrated_scenario(const Twin& twin, double now, const CalibrationOptions& options = {});

struct DivergenceOptions {
  double tolerance = 0.25;          // relative difference that counts as divergence
  double latency_floor = 0.005;     // s: smaller absolute differences never diverge
  double rate_floor = 0.5;          // messages/s
  double delivery_floor = 0.02;     // ratio
};

/// Compares a run's summary.json (the prediction) with the twin's observation per device group
/// (message rate, delivery ratio, latency p50/p95/p99 up to the broker) and per broker (messages
/// received per second, from $SYS). Returns {"groups": {...}, "brokers": {...}, "diverged": [...]}.
nlohmann::json compare_prediction(const nlohmann::json& summary, const Twin& twin, double now,
                                  const DivergenceOptions& options = {});

/// "1.5s"-style text with full precision, for scenario documents.
std::string duration_text(double seconds);

}  // namespace edgetwin::twin
