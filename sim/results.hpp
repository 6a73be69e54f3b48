// sim/results.hpp — from run metrics to the results folder: summary.json (KPIs and SLO verdicts),
// groups/nodes/links/timeseries CSVs, messages.csv (trace), manifest.json; every file written
// atomically (temporary file, fsync, rename), the manifest last.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

namespace edgetwin::sim {

struct SloVerdict {
  std::string text;
  std::string metric;
  std::string scope;
  double value = 0;
  std::string bound;  // "max 0.1" / "min 0.99"
  bool pass = true;
};

/// The KPI document (deterministic: same scenario and seed => same bytes).
nlohmann::json make_summary(const Scenario& sc, const RunMetrics& m);

/// Evaluates the scenario's SLOs against a summary document.
std::vector<SloVerdict> evaluate_slos(const Scenario& sc, const nlohmann::json& summary);

struct RunInfo {
  std::vector<std::string> overrides;
  double wall_seconds = 0;
  long peak_rss_kib = 0;
  bool partial = false;
};

/// Per-fault impact: detection, recovery, losses by QoS, backlog, SLO breach window (drill.json).
nlohmann::json drill_json(const RunMetrics& m);
/// The "rollouts" block of summary.json (and drill.json): per rollout and per gateway.
nlohmann::json rollouts_json(const RunMetrics& m);

/// The platform graph for viewers: vertices (name, kind, tier, device count) and edges (wired links
/// and device-group access attachments), plus services and the node each runs on.
nlohmann::json topology_json(const Scenario& sc);

/// Writes every results file into `dir` (created if missing). Returns the summary written.
nlohmann::json write_results(const std::string& dir, const Scenario& sc, const RunMetrics& m, const RunInfo& info);

/// Called before a run starts: removes `dir`/manifest.json if there is one, so that a run killed
/// before write_results() finishes never leaves an older complete-looking folder behind.
/// Throws std::runtime_error when an existing manifest cannot be removed.
void invalidate_results(const std::string& dir);

/// Writes `content` to `path` atomically; throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

/// The human KPI table printed by `edgetwin run`.
void print_kpi_table(std::ostream& out, const nlohmann::json& summary);

}  // namespace edgetwin::sim
