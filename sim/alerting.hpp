// sim/alerting.hpp — Prometheus-like alerting on what the run measures: every scrape_interval the
// targets are sampled (up/down of entities, cumulative delivery and latency counters), every
// evaluation_interval each rule is evaluated on the latest samples; a rule whose condition has held
// for `for` fires, and resolves at the first evaluation where it no longer holds.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::sim {

class Alerting {
 public:
  /// `up(entity)`: whether a gateway, the load balancer, a broker, a cloud node or a link runs now.
  Alerting(const Scenario& sc, RunMetrics& metrics, std::function<bool(const std::string&)> up);
  static bool used(const Scenario& sc) { return !sc.alerting.rules.empty(); }
  /// The scrape-and-evaluate loop (run as a daemon actor).
  void run();
  /// After the run: each fault's first alert (drill.json).
  void finish();

 private:
  struct Sample {
    double t = 0;
    double value = 0;           // up
    double delivered = 0, expected = 0, latency_sum = 0;  // cumulative
  };
  void scrape(double now);
  void evaluate(double now);

  const Scenario& sc_;
  RunMetrics& metrics_;
  std::function<bool(const std::string&)> up_;
  std::vector<std::deque<Sample>> samples_;  // per rule
  std::vector<double> active_since_;          // per rule: condition true since (-1: false)
  std::vector<bool> firing_;
};

}  // namespace edgetwin::sim
