// models/cloud/data_services.hpp — pure formulas of the cloud data services (no SimGrid):
// CRUSH-like object placement on a replicated object store (Ceph), the write amplification
// arithmetic, and the duration of a Spark-like batch job on an idle cluster.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace edgetwin::models::cloud {

/// The OSDs holding an object, primary first: rendezvous (highest-random-weight) hashing of the
/// object name with each OSD index, the R highest scores win. Like CRUSH's straw2 buckets with equal
/// weights: deterministic, pseudo-random, no table, and adding an OSD moves only ~1/n of the objects.
std::vector<std::uint32_t> place_object(std::string_view object, std::uint32_t osds, std::uint32_t replication);

/// One object's write on an idle store (Ceph primary-copy replication; every message alone on its
/// links and disks): client -> primary over the public network, the primary writes its disk while
/// sending the object to the R-1 replicas in parallel (the copies share the primary's NIC), each
/// replica writes its disk and acknowledges (a zero-byte message: one latency), then the primary
/// acknowledges the client.
///   latency = Lp + S/Bp + max(S/D, Lc + (R-1) S/Bc + S/D + Lc) + Lp
struct StoreWriteParams {
  double object_bytes = 0;       // S: payload + per-object overhead
  std::uint32_t replication = 3;  // R
  double disk_bandwidth = 0;     // D, bytes/s
  double cluster_bandwidth = 0;  // Bc, bytes/s (an OSD's NIC)
  double cluster_latency = 0;    // Lc, s
  double public_bandwidth = 0;   // Bp, bytes/s
  double public_latency = 0;     // Lp, s
};
double idle_write_latency(const StoreWriteParams& p);

/// A Spark-like job on an idle cluster of identical executors: each stage is `tasks` equal tasks of
/// cost/tasks flops run in waves on the executors' cores (one task per core):
///   duration = sum over stages of ceil(tasks / cores) * (cost / tasks) / speed  (+ shuffles)
double idle_stage_duration(double stage_flops, std::uint32_t tasks, std::uint32_t cores, double core_speed);

/// Storage growth per day of a log pipeline (ELK-like) or a store: bytes/day written to disks.
///   growth = rate * 86400 * copies * overhead
double growth_per_day(double bytes_per_second, double copies, double overhead);

}  // namespace edgetwin::models::cloud
