// sim/alerting.cpp — see alerting.hpp.
#include "sim/alerting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

namespace edgetwin::sim {

namespace s4u = simgrid::s4u;

Alerting::Alerting(const Scenario& sc, RunMetrics& metrics, std::function<bool(const std::string&)> up)
    : sc_(sc), metrics_(metrics), up_(std::move(up)) {
  for (const auto& r : sc_.alerting.rules) {
    AlertMetrics a;
    a.name = r.name;
    metrics_.alerts.push_back(std::move(a));
  }
  samples_.resize(sc_.alerting.rules.size());
  active_since_.assign(sc_.alerting.rules.size(), -1.0);
  firing_.assign(sc_.alerting.rules.size(), false);
}

void Alerting::run() {
  // Scrapes at k x scrape_interval, evaluations at k x evaluation_interval; at a common instant the
  // scrape comes first (Prometheus evaluates on what it has stored).
  const double si = sc_.alerting.scrape_interval, ei = sc_.alerting.evaluation_interval;
  std::uint64_t ks = 1, ke = 1;
  for (;;) {
    const double ts = static_cast<double>(ks) * si, te = static_cast<double>(ke) * ei;
    const double next = std::min(ts, te);
    if (next > sc_.duration + 1e-9) return;
    s4u::this_actor::sleep_until(next);
    if (ts <= next) {
      scrape(ts);
      ++ks;
    }
    if (te <= next) {
      evaluate(te);
      ++ke;
    }
  }
}

void Alerting::scrape(double now) {
  for (std::size_t i = 0; i < sc_.alerting.rules.size(); ++i) {
    const auto& r = sc_.alerting.rules[i];
    Sample s;
    s.t = now;
    if (r.metric == "up") {
      s.value = up_(r.scope) ? 1.0 : 0.0;
    } else {
      for (const auto& g : metrics_.groups) {
        if (!r.scope.empty() && g.name != r.scope) continue;
        s.delivered += static_cast<double>(g.delivered);
        s.expected += static_cast<double>(g.expected);
        s.latency_sum += g.latency.sum();
      }
    }
    auto& q = samples_[i];
    q.push_back(s);
    // Keep the samples of the window, and the one just before it (the range's start).
    while (q.size() > 2 && q[1].t <= now - r.window + 1e-9) q.pop_front();
  }
}

void Alerting::evaluate(double now) {
  for (std::size_t i = 0; i < sc_.alerting.rules.size(); ++i) {
    const auto& r = sc_.alerting.rules[i];
    const auto& q = samples_[i];
    if (q.empty()) continue;
    bool has_value = true;
    double v = 0;
    if (r.metric == "up") {
      v = q.back().value;
    } else {
      // Over [now - window, now]: the increase between the oldest sample in range (or the sample
      // before the range starts, when the run is older than the window) and the newest.
      Sample first{};  // before the first scrape, every counter was 0
      for (const auto& s : q)
        if (s.t <= now - r.window + 1e-9) first = s;
      const Sample& last = q.back();
      const double delivered = last.delivered - first.delivered, expected = last.expected - first.expected;
      if (r.metric == "delivery_ratio") {
        has_value = expected > 0;
        if (has_value) v = delivered / expected;
      } else {
        has_value = delivered > 0;
        if (has_value) v = (last.latency_sum - first.latency_sum) / delivered;
      }
    }
    const bool cond = has_value && (r.condition == "below" ? v < r.threshold : v > r.threshold);
    auto& firings = metrics_.alerts[i].firings;
    if (!cond) {
      active_since_[i] = -1;
      if (firing_[i]) {
        firing_[i] = false;
        firings.back().second = now;
      }
      continue;
    }
    if (active_since_[i] < 0) active_since_[i] = now;  // pending
    if (!firing_[i] && now - active_since_[i] >= r.for_ - 1e-9) {
      firing_[i] = true;
      firings.emplace_back(now, -1.0);
    }
  }
}

void Alerting::finish() {
  // Each fault's time to alert: the first alert that fired at or after its start and before the
  // next fault's start.
  for (std::size_t f = 0; f < metrics_.faults.size(); ++f) {
    auto& rep = metrics_.faults[f];
    if (sc_.faults[f].action == "restore") continue;
    double until = std::numeric_limits<double>::infinity();
    for (std::size_t g = 0; g < sc_.faults.size(); ++g)
      if (sc_.faults[g].at > rep.at) until = std::min(until, sc_.faults[g].at);
    for (const auto& a : metrics_.alerts)
      for (const auto& [at, resolved] : a.firings)
        if (at >= rep.at - 1e-9 && at < until && (rep.alert_s < 0 || at - rep.at < rep.alert_s)) {
          rep.alert_s = at - rep.at;
          rep.alert = a.name;
        }
  }
}

}  // namespace edgetwin::sim
