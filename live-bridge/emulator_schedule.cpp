// live-bridge/emulator_schedule.cpp — the emulator's message schedule from the scenario's traffic.
#include "live-bridge/emulator_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace edgetwin::bridge {

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

EmulatorSchedule::EmulatorSchedule(const sim::Scenario& sc, std::uint64_t limit, double duration)
    : sc_(&sc), duration_(duration > 0 ? duration : sc.duration) {
  for (std::size_t ti = 0; ti < sc.traffic.size(); ++ti) {
    const auto& t = sc.traffic[ti];
    const auto* g = sc.find_group(t.group);
    if (!g) continue;
    const std::string short_group = t.group.substr(t.group.find('/') + 1);
    const std::uint64_t n = limit > 0 ? std::min<std::uint64_t>(limit, g->count) : g->count;
    for (std::uint64_t k = 0; k < n; ++k) {
      EmulatedDevice d;
      d.name = t.group + "#" + std::to_string(k);
      d.topic = replace_all(replace_all(replace_all(t.topic, "{site}", g->site), "{group}", short_group), "{device}",
                            std::to_string(k));
      d.gateway = g->gateways.empty() ? "" : g->gateways[k % g->gateways.size()];
      d.traffic = ti;
      d.rng = models::Rng(sc.seed, "emulate/" + d.name);
      // Devices start uniformly spread over [start, start + period), as the simulator's cohorts do.
      d.next = t.start + d.rng.uniform(0.0, t.period);
      d.burst_left = t.pattern == "burst" ? t.burst_size : 0;
      devices_.push_back(std::move(d));
    }
  }
  for (std::size_t i = 0; i < devices_.size(); ++i) heap_.push({devices_[i].next, i});

  // Scripted faults: crash silences a device, a group or a gateway (and fires the gateway's Will)
  // from `at` for `for` seconds (0: until a restore or the end).
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& f : sc.faults) {
    if (f.action == "crash") {
      double to = f.duration > 0 ? f.at + f.duration : inf;
      for (const auto& r : sc.faults)
        if (r.action == "restore" && r.target == f.target && r.at > f.at) to = std::min(to, r.at);
      silent_.push_back({f.target, f.at, to});
      bool is_gateway = false;
      for (const auto& s : sc.sites)
        for (const auto& g : s.gateways) is_gateway = is_gateway || g.name == f.target;
      if (is_gateway) {
        gateway_events_.push_back({f.at, f.target, true});
        if (to < duration_) gateway_events_.push_back({to, f.target, false});
      }
    }
  }
  std::sort(gateway_events_.begin(), gateway_events_.end(),
            [](const GatewayEvent& a, const GatewayEvent& b) { return a.time < b.time; });
}

void EmulatorSchedule::add_silence(const std::string& target, double from, double to) {
  silent_.push_back({target, from, to});
}

bool EmulatorSchedule::silenced(std::size_t device, double t) const {
  const auto& d = devices_[device];
  const std::string& group = sc_->traffic[d.traffic].group;
  for (const auto& w : silent_)
    if (t >= w.from && t < w.to && (w.target == d.name || w.target == group || w.target == d.gateway)) return true;
  return false;
}

void EmulatorSchedule::schedule_next(std::size_t i) {
  auto& d = devices_[i];
  const auto& t = sc_->traffic[d.traffic];
  if (t.pattern == "poisson") {
    d.next += d.rng.exponential(t.period);
  } else if (t.pattern == "burst") {
    if (d.burst_left > 1) {
      --d.burst_left;
      d.next += t.burst_spacing;
    } else {
      d.burst_left = t.burst_size;
      d.next += t.period - static_cast<double>(t.burst_size - 1) * t.burst_spacing;
    }
  } else {
    d.next += t.period + (t.jitter > 0 ? d.rng.uniform(0.0, t.jitter) : 0.0);
  }
  heap_.push({d.next, i});
}

bool EmulatorSchedule::next(EmulatedMessage& m) {
  while (!heap_.empty()) {
    const auto [time, i] = heap_.top();
    heap_.pop();
    if (time >= duration_) continue;  // this device is done
    auto& d = devices_[i];
    ++d.seq;
    const double value = std::round(d.rng.normal(20.0, 2.0) * 1000.0) / 1000.0;
    schedule_next(i);
    if (silenced(i, time)) {
      ++skipped_;
      continue;
    }
    m = EmulatedMessage{time, i, d.seq, value};
    return true;
  }
  return false;
}

std::string emulator_payload(double source_time, double gateway_time, std::uint64_t seq, double value,
                             std::size_t size) {
  char buf[160];
  const int n = std::snprintf(buf, sizeof buf, "{\"ts\":%.6f,\"gw_ts\":%.6f,\"seq\":%llu,\"v\":%.3f", source_time,
                              gateway_time, static_cast<unsigned long long>(seq), value);
  std::string s(buf, static_cast<std::size_t>(n));
  const std::size_t pad_overhead = 10;  // ,"pad":"" and }
  if (size > s.size() + pad_overhead) {
    s += ",\"pad\":\"";
    s.append(size - s.size() - 2, 'x');
    s += "\"";
  }
  s += "}";
  return s;
}

}  // namespace edgetwin::bridge
