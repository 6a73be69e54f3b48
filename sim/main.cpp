// sim/main.cpp — the `edgetwin` command line: run, validate, schema, lora; sweep, capacity, analyze,
// merge (sim/plan/cli_plan.cpp).
// Exit codes: 0 ok, 1 an SLO failed, 2 invalid input, 3 internal or I/O error.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "models/core/units.hpp"
#include "sim/cli_lora.hpp"
#include "sim/plan/cli_plan.hpp"
#include "sim/plan/drill.hpp"
#include "sim/results.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

namespace {

using namespace edgetwin::sim;

constexpr const char* kUsage =
    "EdgeTwin " EDGETWIN_VERSION " — discrete-event simulator and digital twin of IoT edge-cloud systems\n"
    "\n"
    "usage: edgetwin <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO       simulate a scenario, write its results folder, print the KPI table\n"
    "  validate SCENARIO  check a scenario without running it\n"
    "  schema [--markdown] print the scenario format's JSON Schema (or its Markdown reference)\n"
    "  lora airtime ...   LoRa time-on-air calculator (edgetwin lora airtime --help)\n"
    "  sweep SPEC         grid of runs x replications: SQLite + CSV, mean and 95 % CI per point\n"
    "  capacity SCENARIO  largest value of a path meeting every SLO; --minimize cost: cheapest sizing\n"
    "  analyze SCENARIO   single points of failure, redundancy per tier and routes per device group\n"
    "  merge INPUT...     combine the shard databases of a sweep run as a job array\n"
    "  drill SCENARIO     kill each broker/gateway/link/node in turn (one run each), rank by impact\n"
    "\n"
    "exit codes: 0 ok, 1 an SLO failed, 2 invalid input, 3 internal or I/O error\n"
    "Run `edgetwin <command> --help` for a command's options.\n";

constexpr const char* kRunUsage =
    "usage: edgetwin run SCENARIO [--out DIR] [--seed N] [--set PATH=VALUE]... [--junit FILE] [--time-limit T]\n"
    "                    [--quiet] [--actor-stages]\n"
    "\n"
    "  --out DIR          results folder (default results/<scenario name>)\n"
    "  --seed N           override the scenario's seed\n"
    "  --set PATH=VALUE   override any scenario value; PATH is a JSON pointer (/platform/brokers/count)\n"
    "                     or dotted (platform.brokers.count); VALUE is JSON, or else a string\n"
    "  --junit FILE       write the SLO verdicts as JUnit XML (one test case per SLO, value in the message)\n"
    "  --time-limit T     stop after T of wall time (\"90s\", \"5min\", or seconds) and write what was\n"
    "                     measured so far, marked partial (summary verdict \"partial\"); exit 4\n"
    "  --quiet            print no KPI table and no progress\n"
    "  --actor-stages     run every processing stage with worker actors and SimGrid executions, also\n"
    "                     the stages alone on their host (computed as c-server queues by default);\n"
    "                     the same results up to same-instant event order, slower (for checking)\n"
    "\n"
    "Writes manifest.json, summary.json, groups.csv, nodes.csv, links.csv, timeseries.csv (and\n"
    "messages.csv when outputs.trace is on). Exit 1 when an SLO fails, 2 on an invalid scenario,\n"
    "3 on an internal error, 4 when stopped by --time-limit, 130 when stopped by SIGINT (Ctrl-C;\n"
    "results are still written, marked partial; a second Ctrl-C ends the process at once).\n";

constexpr const char* kValidateUsage =
    "usage: edgetwin validate SCENARIO [--set PATH=VALUE]...\n"
    "\n"
    "Checks the scenario (syntax, keys, units, references, reachability) without running it.\n"
    "Prints \"ok\" and exits 0, or prints FILE: /json/pointer: what was expected, and exits 2.\n";

struct Args {
  std::string scenario;
  std::string out;
  std::string junit;
  std::vector<std::string> overrides;
  double time_limit = 0;
  bool quiet = false;
  bool actor_stages = false;
  bool help = false;
};

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

bool parse_args(const std::vector<std::string>& a, bool allow_run_options, Args& args, std::string& error) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= a.size()) {
        error = w + " needs a value";
        return false;
      }
      into = a[++i];
      return true;
    };
    if (w == "--help" || w == "-h") {
      args.help = true;
    } else if (w == "--set") {
      std::string v;
      if (!value(v)) return false;
      args.overrides.push_back(v);
    } else if (w.rfind("--set=", 0) == 0) {
      args.overrides.push_back(w.substr(6));
    } else if (allow_run_options && w == "--out") {
      if (!value(args.out)) return false;
    } else if (allow_run_options && w == "--seed") {
      std::string v;
      if (!value(v)) return false;
      if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
        error = "--seed expects a non-negative integer, got \"" + v + "\"";
        return false;
      }
      args.overrides.push_back("/seed=" + v);
    } else if (allow_run_options && w == "--time-limit") {
      std::string v;
      if (!value(v)) return false;
      auto t = edgetwin::models::units::parse(edgetwin::models::units::Kind::duration, v);
      if (!t && !v.empty() && v.find_first_not_of("0123456789.") == std::string::npos) t = std::stod(v);
      if (!t || !(*t > 0)) {
        error = "--time-limit expects a positive duration (\"90s\", \"5min\" or seconds), got \"" + v + "\"";
        return false;
      }
      args.time_limit = *t;
    } else if (allow_run_options && w == "--junit") {
      if (!value(args.junit)) return false;
    } else if (allow_run_options && w == "--quiet") {
      args.quiet = true;
    } else if (allow_run_options && w == "--actor-stages") {
      args.actor_stages = true;
    } else if (!w.empty() && w[0] == '-') {
      error = "unknown option " + w;
      return false;
    } else if (args.scenario.empty()) {
      args.scenario = w;
    } else {
      error = "unexpected argument " + w;
      return false;
    }
  }
  if (!args.help && args.scenario.empty()) {
    error = "missing SCENARIO";
    return false;
  }
  return true;
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

int cmd_run(const std::vector<std::string>& a) {
  Args args;
  std::string error;
  if (!parse_args(a, true, args, error)) {
    std::cerr << "edgetwin run: " << error << "\n" << kRunUsage;
    return 2;
  }
  if (args.help) {
    std::cout << kRunUsage;
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();  // wall time covers loading, simulating and writing
  std::signal(SIGINT, on_sigint);  // from here on, Ctrl-C stops the run and still writes (partial) results
  Scenario sc;
  try {
    sc = load_scenario(args.scenario, args.overrides);
  } catch (const ScenarioFileError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  try {
    edgetwin::plan::check_cost(sc);
  } catch (const ScenarioError& e) {
    std::cerr << sc.file << ": " << e.what() << "\n";
    return 2;
  }
  const std::string out = args.out.empty() ? "results/" + sc.name : args.out;
  RunOptions opt;
  if (!args.quiet) opt.progress = &std::cerr;
  opt.time_limit = args.time_limit;
  opt.interrupt = &g_interrupted;
  opt.actor_stages = args.actor_stages;
  RunMetrics metrics;
  try {
    invalidate_results(out);  // manifest.json goes first and comes back last: a killed run reads as incomplete
    metrics = run_simulation(sc, opt);
  } catch (const std::exception& e) {
    std::cerr << "edgetwin run: simulation failed: " << e.what() << "\n";
    return 3;
  }
  RunInfo info;
  info.overrides = args.overrides;
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  info.peak_rss_kib = peak_rss_kib();
  // A run that ends normally is complete (undrained deliveries are "unfinished" in the summary); one
  // stopped by --time-limit or SIGINT is partial: manifest and summary say so, the verdict is "partial".
  info.partial = metrics.partial;
  nlohmann::json summary;
  try {
    summary = write_results(out, sc, metrics, info);
    edgetwin::plan::finish_run(out, sc, summary, args.junit);
  } catch (const std::exception& e) {
    std::cerr << "edgetwin run: " << e.what() << "\n";
    return 3;
  }
  if (!args.quiet) {
    print_kpi_table(std::cout, summary);
    edgetwin::plan::print_cost(std::cout, summary);
    std::cout << "\nresults: " << out << " (" << metrics.events << " events, "
              << static_cast<long>(info.wall_seconds * 1000) << " ms wall)\n";
  }
  if (metrics.partial) {
    std::cerr << "edgetwin run: stopped early (" << metrics.stop_reason << ") at simulated " << metrics.simulated_end
              << " s of " << sc.duration << " s; results are partial\n";
    return metrics.stop_reason == "interrupted" ? 130 : 4;
  }
  return summary.at("verdict") == "fail" ? 1 : 0;
}

int cmd_validate(const std::vector<std::string>& a) {
  Args args;
  std::string error;
  if (!parse_args(a, false, args, error)) {
    std::cerr << "edgetwin validate: " << error << "\n" << kValidateUsage;
    return 2;
  }
  if (args.help) {
    std::cout << kValidateUsage;
    return 0;
  }
  try {
    const Scenario sc = load_scenario(args.scenario, args.overrides);
    try {
      edgetwin::plan::check_cost(sc);
    } catch (const ScenarioError& e) {
      std::cerr << sc.file << ": " << e.what() << "\n";
      return 2;
    }
    std::cout << "ok: " << sc.file << ": scenario \"" << sc.name << "\", " << sc.device_count() << " devices, "
              << sc.brokers.count << " brokers, " << sc.services.size() << " services\n";
    return 0;
  } catch (const ScenarioFileError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty() || a[0] == "--help" || a[0] == "-h" || a[0] == "help") {
    std::cout << kUsage;
    return a.empty() ? 2 : 0;
  }
  if (a[0] == "--version") {
    std::cout << "edgetwin " << EDGETWIN_VERSION << "\n";
    return 0;
  }
  const std::string cmd = a[0];
  a.erase(a.begin());
  try {
    if (cmd == "run") return cmd_run(a);
    if (cmd == "validate") return cmd_validate(a);
    if (cmd == "schema") {
      if (!a.empty() && a[0] == "--markdown")
        std::cout << markdown_reference(scenario_spec());
      else
        std::cout << scenario_schema().dump(2) << "\n";
      return 0;
    }
    if (cmd == "lora") return edgetwin::cli::run_lora(a, std::cout, std::cerr);
    if (cmd == "sweep") return edgetwin::plan::cli_sweep(a, std::cout, std::cerr);
    if (cmd == "capacity") return edgetwin::plan::cli_capacity(a, std::cout, std::cerr);
    if (cmd == "analyze") return edgetwin::plan::cli_analyze(a, std::cout, std::cerr);
    if (cmd == "merge") return edgetwin::plan::cli_merge(a, std::cout, std::cerr);
    if (cmd == "drill") return edgetwin::plan::cli_drill(a, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "edgetwin " << cmd << ": internal error: " << e.what() << "\n";
    return 3;
  }
  std::cerr << "edgetwin: unknown command \"" << cmd << "\"\n" << kUsage;
  return 2;
}
