// sim/metrics.hpp — what a run measures: per device group, per node, per link, and over time.
// Plain accumulators with no SimGrid dependency; results.cpp turns them into files.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/core/quantile_sketch.hpp"

namespace edgetwin::sim {

/// Latency tiers of the path, in order: each delivery's end-to-end latency is their sum.
inline constexpr std::array<const char*, 5> kTiers = {"access", "gateway", "backhaul", "broker", "cloud"};

/// Why a delivery was lost (counts are in deliveries: a message lost before the broker loses one
/// delivery per subscribing service).
enum class LossCause : int { access = 0, gateway_queue_full, balancer_queue_full, broker_queue_full, service_queue_full };
inline constexpr std::array<const char*, 5> kLossCauses = {"access", "gateway_queue_full", "balancer_queue_full",
                                                           "broker_queue_full", "service_queue_full"};

struct IntervalCounters {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  double latency_sum = 0;
  double latency_max = 0;
};

struct GroupMetrics {
  std::string name;
  std::string tenant;
  std::uint64_t devices = 0;
  int fanout = 0;                 // services subscribed to the group's topics
  std::uint64_t sent = 0;         // messages generated in the measured window
  std::uint64_t expected = 0;     // sent x fanout
  std::uint64_t delivered = 0;    // deliveries to services
  std::uint64_t late = 0;         // deliveries beyond the latency budget
  std::uint64_t unsubscribed = 0; // messages no service subscribes to (reach the broker only)
  std::uint64_t unfinished = 0;   // deliveries still in flight when the run ended
  std::array<std::uint64_t, kLossCauses.size()> lost{};
  models::QuantileSketch latency;
  std::array<models::QuantileSketch, kTiers.size()> tiers;
  std::vector<IntervalCounters> series;
  std::uint64_t lost_total() const {
    std::uint64_t n = 0;
    for (auto x : lost) n += x;
    return n;
  }
};

struct NodeMetrics {
  std::string name;
  std::string kind;  // gateway | load_balancer | broker | cloud_node
  int cores = 1;
  double speed = 0;
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t queue_peak = 0;
  double busy = 0;  // core-seconds spent executing
  std::vector<double> busy_series;
  std::vector<std::uint64_t> queue_series;  // peak queue per interval
};

struct LinkMetrics {
  std::string name;
  double bandwidth = 0;
  double latency = 0;
  double bytes = 0;
  std::uint64_t messages = 0;
  std::vector<double> bytes_series;
};

/// One delivery, for messages.csv (outputs.trace).
struct TraceRow {
  std::uint32_t group;
  std::uint64_t device;
  std::uint32_t service;
  std::uint32_t broker;
  std::array<double, 6> t;  // created, at gateway, gateway done, at broker, broker done, consumed
};

struct RunMetrics {
  double interval = 10;
  double simulated_end = 0;
  std::uint64_t events = 0;
  bool drained = true;
  std::vector<GroupMetrics> groups;
  std::vector<NodeMetrics> nodes;
  std::vector<LinkMetrics> links;
  std::vector<std::string> services;
  std::vector<TraceRow> trace;
};

}  // namespace edgetwin::sim
