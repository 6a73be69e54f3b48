// sim/plan/drill.cpp — kill each broker / gateway / link / cloud node in turn (one child run each,
// -j at a time), read each run's fault report and SLO verdicts, and rank the targets by impact:
// deliveries lost, then late deliveries, then the time until traffic flows again.
#include "sim/plan/drill.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "models/core/units.hpp"
#include "sim/plan/process.hpp"
#include "sim/plan/runner.hpp"
#include "sim/results.hpp"
#include "sim/scenario_loader.hpp"

namespace edgetwin::plan {

using nlohmann::json;

namespace {

constexpr const char* kUsage =
    "usage: edgetwin drill SCENARIO --kill-each KINDS [--at T] [--for D] [-j N] [--keep-faults] [--set PATH=VALUE]...\n"
    "                      [--out DIR]\n"
    "\n"
    "  --kill-each KINDS  comma-separated: broker, gateway, link, node (cloud nodes), lb, pod (one\n"
    "                     container crash in each paas service; its restart policy brings it back)\n"
    "  --at T             when each target crashes (default: a quarter into the measured window)\n"
    "  --for D            how long it stays down (default 60s; 0s = until the end)\n"
    "  -j N               runs at once (default: number of cores)\n"
    "  --keep-faults      keep the scenario's own fault script in every run (default: each run has only\n"
    "                     its target's crash, so the impact ranked is that target's alone)\n"
    "  --out DIR          also write the ranking as DIR/drill.json\n"
    "\n"
    "One run per target, each the scenario plus one crash; then a table ranking the targets by\n"
    "deliveries lost, late deliveries and recovery time. Exit 0, or 2 on invalid input.\n";

struct Target {
  std::string name, kind;
};

}  // namespace

int cli_drill(const std::vector<std::string>& a, std::ostream& out, std::ostream& err) {
  std::string scenario, kinds, at_text, for_text = "60s", out_dir;
  bool keep_faults = false;
  int parallel = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto value = [&](std::string& into) {
      if (i + 1 >= a.size()) {
        err << "edgetwin drill: " << a[i] << " needs a value\n" << kUsage;
        return false;
      }
      into = a[++i];
      return true;
    };
    if (a[i] == "--help" || a[i] == "-h") {
      out << kUsage;
      return 0;
    } else if (a[i] == "--kill-each") {
      if (!value(kinds)) return 2;
    } else if (a[i] == "--keep-faults") {
      keep_faults = true;
    } else if (a[i] == "--at") {
      if (!value(at_text)) return 2;
    } else if (a[i] == "--for") {
      if (!value(for_text)) return 2;
    } else if (a[i] == "--out") {
      if (!value(out_dir)) return 2;
    } else if (a[i] == "--set") {
      std::string v;
      if (!value(v)) return 2;
      sets.push_back(v);
    } else if (a[i] == "-j") {
      std::string v;
      if (!value(v)) return 2;
      try {
        parallel = std::stoi(v);
      } catch (...) {
        parallel = 0;
      }
      if (parallel < 1) {
        err << "edgetwin drill: -j expects a positive integer, got \"" << v << "\"\n";
        return 2;
      }
    } else if (!a[i].empty() && a[i][0] == '-') {
      err << "edgetwin drill: unknown option " << a[i] << "\n" << kUsage;
      return 2;
    } else if (scenario.empty()) {
      scenario = a[i];
    } else {
      err << "edgetwin drill: unexpected argument " << a[i] << "\n" << kUsage;
      return 2;
    }
  }
  if (scenario.empty() || kinds.empty()) {
    err << "edgetwin drill: needs SCENARIO and --kill-each\n" << kUsage;
    return 2;
  }
  sim::Scenario sc;
  try {
    sc = sim::load_scenario(scenario, sets);
  } catch (const sim::ScenarioFileError& e) {
    err << e.what() << "\n";
    return 2;
  }
  const double at = at_text.empty() ? sc.warmup + 0.25 * (sc.duration - sc.warmup)
                                    : models::units::parse(models::units::Kind::duration, at_text).value_or(-1);
  const double down_for = models::units::parse(models::units::Kind::duration, for_text).value_or(-1);
  if (at < 0 || at >= sc.duration) {
    err << "edgetwin drill: --at expects a duration within the scenario, got \"" << at_text << "\"\n";
    return 2;
  }
  if (down_for < 0) {
    err << "edgetwin drill: --for expects a duration like \"60s\", got \"" << for_text << "\"\n";
    return 2;
  }
  std::vector<Target> targets;
  std::stringstream ks(kinds);
  std::string kind;
  while (std::getline(ks, kind, ',')) {
    if (kind == "broker" || kind == "brokers") {
      for (const auto& b : sc.brokers.names()) targets.push_back({b, "broker"});
    } else if (kind == "gateway" || kind == "gateways") {
      for (const auto& s : sc.sites)
        for (const auto& g : s.gateways) targets.push_back({g.name, "gateway"});
    } else if (kind == "link" || kind == "links") {
      for (const auto& l : sc.links) targets.push_back({l.name, "link"});
    } else if (kind == "node" || kind == "nodes") {
      for (const auto& n : sc.cloud_nodes) targets.push_back({n.name, "cloud node"});
    } else if (kind == "lb") {
      targets.push_back({sc.load_balancer.node.name, "load balancer"});
    } else if (kind == "pod" || kind == "pods") {
      for (const auto& svc : sc.services)
        if (svc.model == "paas") targets.push_back({svc.name, "pod"});
    } else {
      err << "edgetwin drill: --kill-each expects broker, gateway, link, node, lb or pod, got \"" << kind << "\"\n";
      return 2;
    }
  }
  const std::string work = (std::filesystem::temp_directory_path() /
                            ("edgetwin-drill-" + std::to_string(::getpid())))
                               .string();
  std::filesystem::create_directories(work);
  std::vector<RunRequest> requests;
  // A scenario's own faults would overlap the target's crash: their losses and recoveries would be
  // attributed to every target alike. Left out unless asked for.
  json existing = json::parse(sc.canonical_json).value("faults", json::array());
  if (!keep_faults && !existing.empty()) {
    err << "edgetwin drill: the scenario's own " << existing.size()
        << " fault(s) are left out: each run has only its target's crash (--keep-faults keeps them)\n";
    existing = json::array();
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    RunRequest r;
    r.overrides = sets;
    json faults = existing;
    json f = {{"at", std::to_string(at) + "s"}, {"target", targets[i].name}, {"action", "crash"}};
    // A container crash has no duration: the service's restart policy brings the pod back.
    if (down_for > 0 && targets[i].kind != "pod") f["for"] = std::to_string(down_for) + "s";
    faults.push_back(f);
    r.overrides.push_back("/faults=" + faults.dump());
    r.seed = sc.seed;
    r.name = "target-" + std::to_string(i);
    requests.push_back(r);
  }
  BatchOptions opt;
  opt.edgetwin = self_executable();
  opt.scenario = scenario;
  opt.work_dir = work;
  opt.parallel = parallel;
  std::size_t done = 0;
  const auto outcomes = run_batch(requests, opt, [&](std::size_t, const RunOutcome&) {
    ++done;
    err << "\redgetwin drill: " << done << "/" << requests.size() << " runs" << std::flush;
  });
  err << "\n";
  std::error_code ec;
  std::filesystem::remove_all(work, ec);

  struct Row {
    Target target;
    std::uint64_t lost = 0, late = 0;
    double recovery = -1, detection = -1;
    std::string slo;
    bool ok = false;
  };
  std::vector<Row> rows;
  json report = json::array();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    Row row;
    row.target = targets[i];
    const auto& o = outcomes[i];
    row.ok = o.completed() && o.summary.contains("faults");
    if (row.ok) {
      const json& f = o.summary["faults"].back();
      row.lost = f["lost"]["qos0"].get<std::uint64_t>() + f["lost"]["qos1"].get<std::uint64_t>();
      // Deliveries lost for any reason beyond the no-fault causes (a dead gateway's devices lose
      // their radio traffic too): all losses the run counted with fault causes.
      std::uint64_t fault_lost = 0;
      for (auto it = o.summary["groups"].begin(); it != o.summary["groups"].end(); ++it)
        for (const char* c : {"gateway_down", "broker_down", "balancer_down", "link_down", "service_down",
                              "buffer_overflow", "session_queue_full"})
          fault_lost += it.value()["lost"][c].get<std::uint64_t>();
      row.lost = std::max(row.lost, fault_lost);
      row.late = f["late"].get<std::uint64_t>();
      row.recovery = f["recovery_s"].is_null() ? -1 : f["recovery_s"].get<double>();
      row.detection = f["detection_s"].is_null() ? -1 : f["detection_s"].get<double>();
      row.slo = o.summary.value("verdict", "");
    }
    report.push_back({{"target", row.target.name}, {"kind", row.target.kind}, {"completed", row.ok},
                      {"lost", row.lost}, {"late", row.late},
                      {"recovery_s", row.recovery < 0 ? json(nullptr) : json(row.recovery)},
                      {"detection_s", row.detection < 0 ? json(nullptr) : json(row.detection)},
                      {"slo", row.slo}, {"fault", row.ok ? outcomes[i].summary["faults"].back() : json(nullptr)}});
    rows.push_back(row);
  }
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto& a1 = rows[x];
    const auto& b1 = rows[y];
    if (a1.lost != b1.lost) return a1.lost > b1.lost;
    if (a1.late != b1.late) return a1.late > b1.late;
    return a1.recovery > b1.recovery;
  });
  char line[256];
  out << "Failover drill on " << sc.name << ": each target crashes at " << models::units::format_duration(at)
      << (down_for > 0 ? " for " + models::units::format_duration(down_for) : std::string(" until the end"))
      << ", ranked by impact\n\n";
  std::snprintf(line, sizeof line, "%4s  %-28s %-14s %10s %8s %12s %12s  %s\n", "rank", "target", "kind", "lost",
                "late", "detect s", "recover s", "SLOs");
  out << line;
  json ranked = json::array();
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto& row = rows[order[r]];
    auto num = [](double v) {
      char b[32];
      if (v < 0) return std::string("-");
      std::snprintf(b, sizeof b, "%.2f", v);
      return std::string(b);
    };
    std::snprintf(line, sizeof line, "%4zu  %-28s %-14s %10llu %8llu %12s %12s  %s\n", r + 1, row.target.name.c_str(),
                  row.target.kind.c_str(), static_cast<unsigned long long>(row.lost),
                  static_cast<unsigned long long>(row.late), num(row.detection).c_str(), num(row.recovery).c_str(),
                  row.ok ? row.slo.c_str() : "run failed");
    out << line;
    json entry = report[order[r]];
    entry["rank"] = r + 1;
    ranked.push_back(entry);
  }
  if (!out_dir.empty()) {
    std::filesystem::create_directories(out_dir, ec);
    sim::write_file_atomically((std::filesystem::path(out_dir) / "drill.json").string(),
                               json({{"scenario", sc.name}, {"at", at}, {"for", down_for}, {"ranking", ranked}}).dump(2) +
                                   "\n");
  }
  for (const auto& row : rows)
    if (!row.ok) return 3;
  return 0;
}

}  // namespace edgetwin::plan
