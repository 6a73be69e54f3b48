// sim/hpa.hpp — the decision arithmetic of a Kubernetes HorizontalPodAutoscaler (CPU utilization
// metric), as documented in https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
// ("Algorithm details") and implemented in pkg/controller/podautoscaler (replica_calculator.go,
// horizontal.go). Pure functions: no SimGrid, unit-tested against the docs' hand-computed cases.
#pragma once

#include <algorithm>
#include <cmath>
#include <deque>
#include <utility>

namespace edgetwin::sim::hpa {

/// What the controller sees at one sync.
struct Observation {
  int current = 0;         // the Deployment's replicas (spec)
  int ready = 0;           // ready pods with a metric
  double ready_usage = 0;  // CPU used by the ready pods over the last period, in cores (sum)
  double request = 1;      // CPU request of one pod, cores
  int unready = 0;         // pods scheduled but not yet ready (starting)
  int missing = 0;         // pods without a metric (pending, or on a node that stopped reporting)
  double target = 0.8;     // target utilization (0.8 = 80 %)
  double tolerance = 0.1;
};

/// The raw recommendation (replica_calculator.go GetResourceReplicas):
///   usageRatio = (ready_usage / (ready x request)) / target
///   no unready/missing pods: |1 - usageRatio| <= tolerance -> current; else ceil(usageRatio x ready)
///   otherwise: missing pods count at 100 % of the target when scaling down and 0 % when scaling up,
///   unready pods at 0 % when scaling up (ignored when scaling down); the ratio is recomputed over all
///   of them, and no change if it is within the tolerance or reverses the direction.
inline int recommend(const Observation& o) {
  if (o.ready <= 0 || o.request <= 0) return o.current;  // no metrics: the HPA does not act
  const double usage_ratio = (o.ready_usage / (o.ready * o.request)) / o.target;
  const bool rebalance_unready = o.unready > 0 && usage_ratio > 1.0;
  if (!rebalance_unready && o.missing == 0) {
    if (std::abs(1.0 - usage_ratio) <= o.tolerance) return o.current;
    return static_cast<int>(std::ceil(usage_ratio * o.ready - 1e-9));
  }
  // Utilization in units of the target: ready pods as measured; missing ones 1 (down) or 0 (up);
  // unready ones 0 when scaling up.
  double sum = usage_ratio * o.ready;
  int count = o.ready;
  if (o.missing > 0) {
    if (usage_ratio < 1.0) sum += o.missing * std::max(1.0, o.target) / o.target;  // max(100 %, target) of the request
    count += o.missing;
  }
  if (rebalance_unready) count += o.unready;
  const double new_ratio = sum / count;
  if (std::abs(1.0 - new_ratio) <= o.tolerance || (usage_ratio < 1.0 && new_ratio > 1.0) ||
      (usage_ratio > 1.0 && new_ratio < 1.0))
    return o.current;
  const int n = static_cast<int>(std::ceil(new_ratio * count - 1e-9));
  if ((new_ratio < 1.0 && n > o.current) || (new_ratio > 1.0 && n < o.current)) return o.current;
  return n;
}

/// Stabilization (horizontal.go stabilizeRecommendationWithBehaviors) and limits: scale up to the
/// lowest recommendation of the last scale_up_window, down to the highest of the last
/// scale_down_window (the current one included), then the default scale-up policy (at most
/// max(4 pods, 100 %) more per period) and clamp to [min, max].
class Stabilizer {
 public:
  Stabilizer(int min, int max, double up_window, double down_window)
      : min_(min), max_(max), up_window_(up_window), down_window_(down_window) {}

  int decide(double now, int current, int recommendation) {
    // As horizontal.go: start from this recommendation, take in the earlier ones strictly after
    // each cutoff (now - window), then record this one.
    int up = recommendation, down = recommendation;
    for (const auto& [t, r] : history_) {
      if (t > now - up_window_ + 1e-9) up = std::min(up, r);
      if (t > now - down_window_ + 1e-9) down = std::max(down, r);
    }
    history_.emplace_back(now, recommendation);
    const double keep = std::max(up_window_, down_window_);
    while (!history_.empty() && history_.front().first <= now - keep + 1e-9) history_.pop_front();
    int desired = current;
    if (desired < up) desired = up;
    if (desired > down) desired = down;
    if (desired > current) desired = std::min(desired, std::max(2 * current, current + 4));
    return std::clamp(desired, min_, max_);
  }

 private:
  int min_, max_;
  double up_window_, down_window_;
  std::deque<std::pair<double, int>> history_;
};

}  // namespace edgetwin::sim::hpa
