// sim/plan/cli_plan.cpp — argument parsing and reports of sweep, capacity, analyze and merge; the
// cost and JUnit additions to `run`.
#include "sim/plan/cli_plan.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "sim/plan/capacity.hpp"
#include "sim/plan/cost.hpp"
#include "sim/plan/db.hpp"
#include "sim/plan/junit.hpp"
#include "sim/plan/process.hpp"
#include "sim/plan/resilience.hpp"
#include "sim/plan/sweep.hpp"
#include "sim/results.hpp"
#include "sim/scenario_loader.hpp"

namespace edgetwin::plan {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSweepUsage =
    "usage: edgetwin sweep SPEC [-j N] [--out DIR] [--replications R] [--set PATH=VALUE]... [--shard I/N]\n"
    "                      [--show KPI]... [--keep-runs] [--quiet]\n"
    "\n"
    "Runs every point of the sweep SPEC (a JSON file: scenario, set, grid or points, replications, seed)\n"
    "R times with seeds derived from (base seed, replication), each run an `edgetwin run` child process.\n"
    "Writes DIR/sweep.db (SQLite: sweep, points, parameters, runs, kpis, point_kpis; view run_kpis),\n"
    "DIR/runs.csv (one row per run) and DIR/points.csv (per point and KPI: n, mean, 95 % CI).\n"
    "\n"
    "  -j N               runs at once (default: the number of CPUs)\n"
    "  --out DIR          output folder (default results/sweep-<name>)\n"
    "  --replications R   override the spec's replications\n"
    "  --set PATH=VALUE   override applied to every run (after the spec's \"set\")\n"
    "  --shard I/N        run only shard I of N (runs with run_id mod N == I) into DIR/shard-I-of-N.db;\n"
    "                     I may be \"auto\" (or omitted: --shard N) to take it from SLURM_ARRAY_TASK_ID\n"
    "                     (minus SLURM_ARRAY_TASK_MIN) or JOB_COMPLETION_INDEX; combine with `edgetwin merge`\n"
    "  --show KPI         KPI column of the printed table (default latency.p99, loss_ratio, slo.pass)\n"
    "  --keep-runs        keep every run's results folder under DIR/runs/ (shards: DIR/shard-I-of-N-runs/)\n"
    "  --quiet            no progress bar and no table\n"
    "\n"
    "exit codes: 0 every run completed (SLO failures are results, not errors), 2 invalid spec or point,\n"
    "3 a run did not complete (see the runs table's error column) or an I/O error\n";

constexpr const char* kCapacityUsage =
    "usage: edgetwin capacity SCENARIO --vary PATH --range LO:HI [--replications R] [--tolerance T]\n"
    "                         [-j N] [--set PATH=VALUE]... [--out DIR] [--json FILE] [--quiet]\n"
    "       edgetwin capacity SCENARIO --minimize cost --vary PATH (--values A,B,.. | --range LO:HI[:STEP])\n"
    "                         [--vary PATH ...]... [--replications R] [-j N] [--set PATH=VALUE]... [--json FILE]\n"
    "\n"
    "Capacity: bisection over PATH in [LO, HI] (integers when LO and HI are; a unit like 10ms:200ms is\n"
    "kept) for the largest value at which every SLO holds in every replication (the smallest when the\n"
    "SLOs hold at HI but not at LO). Reports the binding SLO and the bottleneck resource at the knee.\n"
    "Default tolerance: 1 for integers, 1 % of the range otherwise.\n"
    "\n"
    "--minimize cost: the configuration of the grid of sizing paths with the lowest mean monthly cost\n"
    "(the scenario's \"cost\" prices) at which every SLO holds in every replication.\n"
    "\n"
    "  -j N               runs at once (default: the number of CPUs)\n"
    "  --out DIR          work folder; capacity.json goes there (default results/capacity-<scenario>)\n"
    "  --json FILE        also write the result document to FILE\n"
    "\n"
    "exit codes: 0 found (or every value passes), 1 no value/configuration meets the SLOs, 2 invalid input,\n"
    "3 a run did not complete\n";

constexpr const char* kAnalyzeUsage =
    "usage: edgetwin analyze SCENARIO [--set PATH=VALUE]... [--json FILE]\n"
    "\n"
    "Structural resilience from the topology graph: per device group the single points of failure\n"
    "between it and the cloud services it feeds (articulation points and bridges), the redundancy of\n"
    "each tier and the routes its traffic takes.\n";

constexpr const char* kMergeUsage =
    "usage: edgetwin merge [--out DIR] INPUT...\n"
    "\n"
    "Merges the shard databases of one sweep (files, or folders holding shard-*.db) into DIR/sweep.db\n"
    "and writes runs.csv and points.csv. DIR defaults to the folder of the first input.\n"
    "exit codes: 0 complete, 2 inputs from different sweeps or overlapping shards, 3 runs missing (the\n"
    "merged database is written anyway) or an I/O error\n";

int default_jobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

bool parse_int(const std::string& s, int& v) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  v = std::stoi(s);
  return true;
}

// A small option scanner: `take(i, into)` reads the value after option a[i].
struct Scanner {
  const std::vector<std::string>& a;
  std::string error;
  bool take(std::size_t& i, std::string& into) {
    if (i + 1 >= a.size()) {
      error = a[i] + " needs a value";
      return false;
    }
    into = a[++i];
    return true;
  }
};

bool jobs_option(Scanner& s, std::size_t& i, int& jobs, bool& handled) {
  handled = true;
  const std::string& w = s.a[i];
  std::string v;
  if (w == "-j" || w == "--jobs") {
    if (!s.take(i, v)) return false;
  } else if (w.rfind("-j", 0) == 0 && w.size() > 2 && w[2] != '-') {
    v = w.substr(2);
  } else {
    handled = false;
    return true;
  }
  if (!parse_int(v, jobs) || jobs < 1) {
    s.error = "-j expects a positive integer, got \"" + v + "\"";
    return false;
  }
  return true;
}

std::string hms(double s) {
  if (!std::isfinite(s) || s < 0) return "--:--";
  const long t = std::lround(s);
  char b[32];
  if (t >= 3600)
    std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(b, sizeof b, "%ld:%02ld", t / 60, t % 60);
  return b;
}

// Progress bar with ETA on stderr: redrawn in place on a terminal, one line per 10 % otherwise.
struct ProgressBar {
  std::ostream& err;
  bool tty = ::isatty(2) != 0;
  int last_decile = -1;
  void operator()(std::size_t done, std::size_t total, double elapsed) {
    if (total == 0) return;
    const double f = static_cast<double>(done) / static_cast<double>(total);
    const double eta = done ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : NAN;
    const int width = 30, fill = static_cast<int>(f * width);
    std::string bar = "[" + std::string(static_cast<std::size_t>(fill), '#') +
                      std::string(static_cast<std::size_t>(width - fill), '.') + "]";
    char line[160];
    std::snprintf(line, sizeof line, "%s %zu/%zu runs %3.0f%%  elapsed %s  ETA %s", bar.c_str(), done, total, f * 100,
                  hms(elapsed).c_str(), done ? hms(eta).c_str() : "--:--");
    if (tty) {
      err << "\r" << line << (done == total ? "\n" : "") << std::flush;
    } else {
      const int decile = static_cast<int>(f * 10);
      if (decile != last_decile) {
        err << line << "\n" << std::flush;
        last_decile = decile;
      }
    }
  }
};

std::string g6(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

void print_sweep_table(std::ostream& out, const std::string& database, std::vector<std::string> show) {
  Db db(database, false);
  if (show.empty()) show = {"latency.p99", "loss_ratio", "slo.pass"};
  {
    Statement s(db, "SELECT 1 FROM point_kpis WHERE name = 'cost.monthly' LIMIT 1");
    if (s.step() && std::find(show.begin(), show.end(), "cost.monthly") == show.end()) show.push_back("cost.monthly");
  }
  out << "\nper point: mean [95 % confidence interval] over replications\n";
  Statement pts(db, "SELECT point_id, label FROM points ORDER BY point_id");
  Statement k(db, "SELECT n, mean, ci95_low, ci95_high FROM point_kpis WHERE point_id = ? AND name = ?");
  char line[256];
  std::snprintf(line, sizeof line, "%-6s %-44s", "point", "parameters");
  out << line;
  for (const auto& n : show) {
    std::snprintf(line, sizeof line, " %34s", n.c_str());
    out << line;
  }
  out << "\n";
  while (pts.step()) {
    std::string label = pts.get_text(1);
    if (label.size() > 44) label = "..." + label.substr(label.size() - 41);
    std::snprintf(line, sizeof line, "%-6lld %-44s", static_cast<long long>(pts.get_int(0)), label.c_str());
    out << line;
    for (const auto& n : show) {
      k.bind(1, pts.get_int(0)).bind(2, n);
      std::string cell = "-";
      if (k.step()) {
        cell = g6(k.get_double(1));
        if (!k.is_null(2)) cell += " [" + g6(k.get_double(2)) + ", " + g6(k.get_double(3)) + "]";
      }
      k.reset();
      std::snprintf(line, sizeof line, " %34s", cell.c_str());
      out << line;
    }
    out << "\n";
  }
}

bool write_text(const std::string& path, const std::string& text, std::ostream& err, const char* cmd) {
  try {
    sim::write_file_atomically(path, text);
    return true;
  } catch (const std::exception& e) {
    err << "edgetwin " << cmd << ": " << e.what() << "\n";
    return false;
  }
}

}  // namespace

int cli_sweep(const std::vector<std::string>& a, std::ostream& out, std::ostream& err) {
  Scanner s{a, {}};
  std::string spec_file, out_dir, shard_text, reps_text;
  std::vector<std::string> overrides, show;
  int jobs = default_jobs();
  bool keep = false, quiet = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    bool handled = false;
    if (!jobs_option(s, i, jobs, handled)) break;
    if (handled) continue;
    std::string v;
    if (w == "--help" || w == "-h") {
      out << kSweepUsage;
      return 0;
    } else if (w == "--out") {
      if (!s.take(i, out_dir)) break;
    } else if (w == "--set") {
      if (!s.take(i, v)) break;
      overrides.push_back(v);
    } else if (w == "--shard") {
      if (!s.take(i, shard_text)) break;
    } else if (w == "--replications") {
      if (!s.take(i, reps_text)) break;
    } else if (w == "--show") {
      if (!s.take(i, v)) break;
      show.push_back(v);
    } else if (w == "--keep-runs") {
      keep = true;
    } else if (w == "--quiet") {
      quiet = true;
    } else if (!w.empty() && w[0] == '-') {
      s.error = "unknown option " + w;
      break;
    } else if (spec_file.empty()) {
      spec_file = w;
    } else {
      s.error = "unexpected argument " + w;
      break;
    }
  }
  if (s.error.empty() && spec_file.empty()) s.error = "missing SPEC";
  std::optional<int> reps;
  if (s.error.empty() && !reps_text.empty()) {
    int r = 0;
    if (!parse_int(reps_text, r) || r < 1) s.error = "--replications expects a positive integer, got \"" + reps_text + "\"";
    reps = r;
  }
  std::optional<Shard> shard;
  if (s.error.empty() && !shard_text.empty()) try {
      shard = parse_shard(shard_text);
    } catch (const std::invalid_argument& e) {
      s.error = e.what();
    }
  if (!s.error.empty()) {
    err << "edgetwin sweep: " << s.error << "\n" << kSweepUsage;
    return 2;
  }
  SweepSpec spec;
  try {
    spec = load_sweep_spec(spec_file, overrides, reps);
  } catch (const sim::ScenarioFileError& e) {
    err << e.what() << "\n";
    return 2;
  }
  SweepOptions o;
  o.edgetwin = self_executable();
  o.out_dir = out_dir.empty() ? "results/sweep-" + spec.name : out_dir;
  o.parallel = jobs;
  o.keep_runs = keep;
  o.shard = shard;
  ProgressBar bar{err};
  if (!quiet) o.progress = [&bar](std::size_t d, std::size_t t, double e) { bar(d, t, e); };
  const std::size_t total = spec.points.size() * static_cast<std::size_t>(spec.replications);
  if (!quiet)
    err << "sweep " << spec.name << ": " << spec.points.size() << " points x " << spec.replications
        << " replications = " << total << " runs"
        << (shard ? " (shard " + std::to_string(shard->index) + "/" + std::to_string(shard->count) + ")" : "")
        << ", " << jobs << " at once\n";
  SweepReport rep;
  try {
    rep = run_sweep(spec, o);
  } catch (const std::exception& e) {
    err << "edgetwin sweep: " << e.what() << "\n";
    return 3;
  }
  for (const auto& e : rep.errors) err << "edgetwin sweep: " << e << "\n";
  if (!quiet) {
    out << "sweep " << spec.name << ": " << rep.runs << " runs (" << rep.failed << " did not complete) -> "
        << rep.database << "\n";
    if (!shard) {
      out << "tables: runs.csv, points.csv in " << o.out_dir << "\n";
      try {
        print_sweep_table(out, rep.database, show);
      } catch (const std::exception& e) {
        err << "edgetwin sweep: " << e.what() << "\n";
        return 3;
      }
    }
  }
  return rep.failed ? 3 : 0;
}

int cli_merge(const std::vector<std::string>& a, std::ostream& out, std::ostream& err) {
  Scanner s{a, {}};
  std::string out_dir;
  std::vector<std::string> inputs;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    if (w == "--help" || w == "-h") {
      out << kMergeUsage;
      return 0;
    } else if (w == "--out") {
      if (!s.take(i, out_dir)) break;
    } else if (!w.empty() && w[0] == '-') {
      s.error = "unknown option " + w;
      break;
    } else {
      inputs.push_back(w);
    }
  }
  if (s.error.empty() && inputs.empty()) s.error = "missing INPUT";
  if (!s.error.empty()) {
    err << "edgetwin merge: " << s.error << "\n" << kMergeUsage;
    return 2;
  }
  if (out_dir.empty()) out_dir = fs::is_directory(inputs[0]) ? inputs[0] : fs::path(inputs[0]).parent_path().string();
  if (out_dir.empty()) out_dir = ".";
  MergeReport rep;
  try {
    rep = merge_sweeps(inputs, out_dir);
  } catch (const std::invalid_argument& e) {
    err << "edgetwin merge: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "edgetwin merge: " << e.what() << "\n";
    return 3;
  }
  out << "merged " << rep.inputs.size() << " shard(s): " << rep.runs << " of " << rep.expected << " runs -> "
      << rep.database << " (runs.csv, points.csv in " << out_dir << ")\n";
  if (rep.runs != rep.expected) {
    err << "edgetwin merge: incomplete: " << rep.expected - rep.runs << " run(s) missing (a shard did not run?)\n";
    return 3;
  }
  return 0;
}

int cli_capacity(const std::vector<std::string>& a, std::ostream& out, std::ostream& err) {
  Scanner s{a, {}};
  std::string scenario, out_dir, json_file, minimize, reps_text, tol_text;
  std::vector<std::string> overrides;
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;  // path, [kind, text]
  int jobs = default_jobs();
  bool keep = false, quiet = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    bool handled = false;
    if (!jobs_option(s, i, jobs, handled)) break;
    if (handled) continue;
    std::string v;
    if (w == "--help" || w == "-h") {
      out << kCapacityUsage;
      return 0;
    } else if (w == "--vary") {
      if (!s.take(i, v)) break;
      axes.push_back({v, {}});
    } else if (w == "--range" || w == "--values") {
      if (!s.take(i, v)) break;
      if (axes.empty() || !axes.back().second.empty()) {
        s.error = w + " must follow its --vary PATH";
        break;
      }
      axes.back().second = {w, v};
    } else if (w == "--minimize") {
      if (!s.take(i, minimize)) break;
      if (minimize != "cost") {
        s.error = "--minimize supports \"cost\", got \"" + minimize + "\"";
        break;
      }
    } else if (w == "--replications") {
      if (!s.take(i, reps_text)) break;
    } else if (w == "--tolerance") {
      if (!s.take(i, tol_text)) break;
    } else if (w == "--set") {
      if (!s.take(i, v)) break;
      overrides.push_back(v);
    } else if (w == "--out") {
      if (!s.take(i, out_dir)) break;
    } else if (w == "--json") {
      if (!s.take(i, json_file)) break;
    } else if (w == "--keep-runs") {
      keep = true;
    } else if (w == "--quiet") {
      quiet = true;
    } else if (!w.empty() && w[0] == '-') {
      s.error = "unknown option " + w;
      break;
    } else if (scenario.empty()) {
      scenario = w;
    } else {
      s.error = "unexpected argument " + w;
      break;
    }
  }
  if (s.error.empty() && scenario.empty()) s.error = "missing SCENARIO";
  if (s.error.empty() && axes.empty()) s.error = "missing --vary PATH";
  for (const auto& [p, spec] : axes)
    if (s.error.empty() && spec.empty()) s.error = "--vary " + p + " needs --range LO:HI or --values A,B,...";
  if (s.error.empty() && minimize.empty() && (axes.size() != 1 || axes[0].second[0] != "--range"))
    s.error = "a capacity search varies one path: --vary PATH --range LO:HI (several paths: --minimize cost)";
  int reps = 1;
  if (s.error.empty() && !reps_text.empty() && (!parse_int(reps_text, reps) || reps < 1))
    s.error = "--replications expects a positive integer, got \"" + reps_text + "\"";
  std::optional<double> tol;
  if (s.error.empty() && !tol_text.empty()) {
    char* end = nullptr;
    tol = std::strtod(tol_text.c_str(), &end);
    if (*end || !(*tol > 0)) s.error = "--tolerance expects a number > 0, got \"" + tol_text + "\"";
  }
  if (!s.error.empty()) {
    err << "edgetwin capacity: " << s.error << "\n" << kCapacityUsage;
    return 2;
  }
  BatchOptions batch;
  batch.edgetwin = self_executable();
  batch.parallel = jobs;
  batch.keep_runs = keep;
  auto log = [&](const std::string& line) {
    if (!quiet) err << "  " << line << "\n" << std::flush;
  };
  json result;
  try {
    const sim::Scenario sc = sim::load_scenario(scenario, overrides);
    check_cost(sc);
    batch.work_dir = out_dir.empty() ? "results/capacity-" + sc.name : out_dir;
    if (minimize.empty()) {
      CapacityOptions o;
      o.scenario = scenario;
      o.overrides = overrides;
      o.path = axes[0].first;
      o.range = axes[0].second[1];
      o.replications = reps;
      o.tolerance = tol;
      o.batch = batch;
      o.log = log;
      result = find_capacity(o);
    } else {
      MinimizeOptions o;
      o.scenario = scenario;
      o.overrides = overrides;
      o.replications = reps;
      o.batch = batch;
      o.log = log;
      for (const auto& [path, spec] : axes) {
        SizingAxis ax;
        ax.path = path;
        if (spec[0] == "--values") {
          std::stringstream ss(spec[1]);
          std::string item;
          while (std::getline(ss, item, ',')) {
            json v = json::parse(item, nullptr, false);
            ax.values.push_back(v.is_discarded() ? json(item) : v);
          }
        } else {
          // LO:HI[:STEP], integers.
          std::vector<std::string> parts;
          std::stringstream ss(spec[1]);
          std::string item;
          while (std::getline(ss, item, ':')) parts.push_back(item);
          int lo = 0, hi = 0, step = 1;
          if (parts.size() < 2 || parts.size() > 3 || !parse_int(parts[0], lo) || !parse_int(parts[1], hi) ||
              (parts.size() == 3 && (!parse_int(parts[2], step) || step < 1)) || hi < lo)
            throw std::invalid_argument("--range for --minimize expects integers LO:HI[:STEP], got \"" + spec[1] + "\"");
          for (int x = lo; x <= hi; x += step) ax.values.push_back(x);
        }
        o.axes.push_back(std::move(ax));
      }
      result = minimize_cost(o);
    }
  } catch (const sim::ScenarioFileError& e) {
    err << e.what() << "\n";
    return 2;
  } catch (const sim::ScenarioError& e) {
    err << scenario << ": " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    err << "edgetwin capacity: " << e.what() << "\n";
    return 2;
  }
  out << format_capacity(result);
  const std::string doc = result.dump(2) + "\n";
  std::error_code ec;
  fs::create_directories(batch.work_dir, ec);
  if (!write_text((fs::path(batch.work_dir) / "capacity.json").string(), doc, err, "capacity")) return 3;
  if (!json_file.empty() && !write_text(json_file, doc, err, "capacity")) return 3;
  fs::remove(fs::path(batch.work_dir) / "runs", ec);  // only removed when empty
  const std::string status = result.value("status", "error");
  if (status == "error") return 3;
  return status == "none-pass" ? 1 : 0;
}

int cli_analyze(const std::vector<std::string>& a, std::ostream& out, std::ostream& err) {
  Scanner s{a, {}};
  std::string scenario, json_file;
  std::vector<std::string> overrides;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& w = a[i];
    std::string v;
    if (w == "--help" || w == "-h") {
      out << kAnalyzeUsage;
      return 0;
    } else if (w == "--set") {
      if (!s.take(i, v)) break;
      overrides.push_back(v);
    } else if (w == "--json") {
      if (!s.take(i, json_file)) break;
    } else if (!w.empty() && w[0] == '-') {
      s.error = "unknown option " + w;
      break;
    } else if (scenario.empty()) {
      scenario = w;
    } else {
      s.error = "unexpected argument " + w;
      break;
    }
  }
  if (s.error.empty() && scenario.empty()) s.error = "missing SCENARIO";
  if (!s.error.empty()) {
    err << "edgetwin analyze: " << s.error << "\n" << kAnalyzeUsage;
    return 2;
  }
  json analysis;
  try {
    analysis = analyze_resilience(sim::load_scenario(scenario, overrides));
  } catch (const sim::ScenarioFileError& e) {
    err << e.what() << "\n";
    return 2;
  }
  out << format_resilience(analysis);
  if (!json_file.empty() && !write_text(json_file, analysis.dump(2) + "\n", err, "analyze")) return 3;
  return 0;
}

void check_cost(const sim::Scenario& sc) { (void)read_cost(sc); }

void finish_run(const std::string& dir, const sim::Scenario& sc, json& summary, const std::string& junit_file) {
  const CostModel model = read_cost(sc);
  if (model.present) {
    summary["cost"] = monthly_cost(model, sc, summary);
    // The manifest vouches for the files: remove it, replace the summary, write it back last.
    const fs::path manifest = fs::path(dir) / "manifest.json";
    std::ifstream in(manifest, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    in.close();
    std::error_code ec;
    fs::remove(manifest, ec);
    sim::write_file_atomically((fs::path(dir) / "summary.json").string(), summary.dump(2) + "\n");
    if (!text.str().empty()) sim::write_file_atomically(manifest.string(), text.str());
  }
  if (!junit_file.empty()) sim::write_file_atomically(junit_file, junit_xml(summary, sc.file));
}

void print_cost(std::ostream& out, const json& summary) {
  if (!summary.contains("cost")) return;
  const json& c = summary.at("cost");
  char line[256];
  out << "\nmonthly cost (" << c.value("currency", "") << ")\n";
  for (auto it = c.at("by_tier").begin(); it != c.at("by_tier").end(); ++it) {
    std::snprintf(line, sizeof line, "  %-10s %14.2f\n", it.key().c_str(), it.value().get<double>());
    out << line;
  }
  std::snprintf(line, sizeof line, "  %-10s %14.2f\n", "total", c.at("monthly_total").get<double>());
  out << line;
}

}  // namespace edgetwin::plan
