// sim/plan/sweep.hpp — parameter sweeps: a grid (or list) of points over any scenario path (the
// paths of --set) x replications with distinct seeds; every run a child process; all runs and KPIs
// in one SQLite database (tables sweep, points, parameters, runs, kpis, point_kpis) plus CSVs; per
// point the mean and 95 % confidence interval of every KPI. Sweeps shard into job arrays
// (--shard I/N) whose databases `merge` combines; merged shards equal the unsharded sweep exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgetwin::plan {

struct SweepPoint {
  int id = 0;
  std::vector<std::pair<std::string, nlohmann::json>> params;  // path -> value, in spec order
  std::vector<std::string> overrides() const;                  // "path=<json>"
  std::string label() const;                                    // "path=value, ..."
};

struct SweepSpec {
  std::string file;      // the spec file
  std::string name;
  std::string scenario;  // scenario file (relative paths in the spec are relative to the spec)
  std::vector<std::string> base_overrides;  // the spec's "set" then the command line's --set
  std::vector<std::string> param_paths;     // every swept path, in spec order
  std::vector<SweepPoint> points;
  int replications = 1;
  std::uint64_t base_seed = 1;
  std::string hash;      // identifies the sweep (scenario text, overrides, points, replications, seed)
};

/// Reads and validates a sweep spec, and loads every point's scenario in process (so a bad path
/// or value is reported before anything runs). Throws sim::ScenarioFileError ("file: /ptr: msg").
SweepSpec load_sweep_spec(const std::string& file, const std::vector<std::string>& cli_overrides = {},
                          std::optional<int> replications = std::nullopt);

/// The `sweep` spec format, as Markdown (for docs/capacity-planning.md).
std::string sweep_spec_markdown();

struct PlannedRun {
  int run_id = 0;  // point_id * replications + replication
  int point_id = 0;
  int replication = 0;
  std::uint64_t seed = 0;
};

std::vector<PlannedRun> plan_runs(const SweepSpec& spec);

struct Shard {
  int index = 0;
  int count = 1;
};

/// "I/N" (0 <= I < N), or "auto/N" / "N": the index from SLURM_ARRAY_TASK_ID (minus
/// SLURM_ARRAY_TASK_MIN when set) or JOB_COMPLETION_INDEX (Kubernetes Indexed Job). Throws
/// std::invalid_argument with the reason.
Shard parse_shard(const std::string& text);

/// Runs of one shard: run_id mod N == I (interleaved, so shards get similar work).
std::vector<PlannedRun> shard_runs(const std::vector<PlannedRun>& runs, const Shard& shard);

struct SweepOptions {
  std::string edgetwin;  // executable for the child runs
  std::string out_dir;
  int parallel = 1;
  bool keep_runs = false;
  std::optional<Shard> shard;  // set: write out_dir/shard-I-of-N.db only
  std::function<void(std::size_t done, std::size_t total, double elapsed_s)> progress;
};

struct SweepReport {
  std::string database;       // the database written
  std::size_t runs = 0;       // runs executed
  std::size_t failed = 0;     // runs that did not complete (exit code not 0/1)
  std::vector<std::string> errors;  // one line per failed run
};

/// Runs a sweep (or its shard) and writes the database; unsharded sweeps also get point_kpis and
/// the CSVs (runs.csv wide, points.csv long). Throws std::runtime_error on I/O errors.
SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options);

/// Aggregates point_kpis (mean, 95 % CI per point and KPI) and writes runs.csv and points.csv next
/// to the database.
void finalize_sweep(const std::string& database, const std::string& out_dir);

struct MergeReport {
  std::string database;
  std::size_t runs = 0;
  std::size_t expected = 0;
  std::vector<std::string> inputs;
};

/// Merges shard databases (files, or folders holding shard-*.db) into out_dir/sweep.db and
/// finalizes it. Throws std::invalid_argument when the inputs are not shards of one sweep
/// (different hash, overlapping runs), std::runtime_error on I/O errors.
MergeReport merge_sweeps(const std::vector<std::string>& inputs, const std::string& out_dir);

}  // namespace edgetwin::plan
