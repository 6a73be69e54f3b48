// models/cloud/data_services.cpp — see data_services.hpp.
#include "models/cloud/data_services.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "models/core/rng.hpp"

namespace edgetwin::models::cloud {

std::vector<std::uint32_t> place_object(std::string_view object, std::uint32_t osds, std::uint32_t replication) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> score;
  score.reserve(osds);
  const std::uint64_t h = fnv1a64(object);
  for (std::uint32_t i = 0; i < osds; ++i) score.emplace_back(mix64(h, i), i);
  const std::uint32_t r = std::min(replication, osds);
  std::partial_sort(score.begin(), score.begin() + r, score.end(),
                    [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < r; ++i) out.push_back(score[i].second);
  return out;
}

double idle_write_latency(const StoreWriteParams& p) {
  const double s = p.object_bytes;
  const double disk = s / p.disk_bandwidth;
  const double to_primary = p.public_latency + s / p.public_bandwidth;
  double replicas = 0;
  if (p.replication > 1)
    replicas = p.cluster_latency + static_cast<double>(p.replication - 1) * s / p.cluster_bandwidth + disk +
               p.cluster_latency;
  return to_primary + std::max(disk, replicas) + p.public_latency;
}

double idle_stage_duration(double stage_flops, std::uint32_t tasks, std::uint32_t cores, double core_speed) {
  if (tasks == 0 || cores == 0) return 0;
  const double waves = std::ceil(static_cast<double>(tasks) / static_cast<double>(cores));
  return waves * (stage_flops / tasks) / core_speed;
}

double growth_per_day(double bytes_per_second, double copies, double overhead) {
  return bytes_per_second * 86400.0 * copies * overhead;
}

}  // namespace edgetwin::models::cloud
