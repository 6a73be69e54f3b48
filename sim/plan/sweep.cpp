// sim/plan/sweep.cpp — sweep specs, run plans, shards, the sweep database, CSVs and merging.
#include "sim/plan/sweep.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/core/rng.hpp"
#include "sim/plan/db.hpp"
#include "sim/plan/kpis.hpp"
#include "sim/plan/runner.hpp"
#include "sim/plan/stats.hpp"
#include "sim/results.hpp"
#include "sim/scenario_loader.hpp"

namespace edgetwin::plan {

namespace fs = std::filesystem;
using nlohmann::json;
using sim::FieldSpec;
using sim::FieldType;
using sim::ObjectReader;
using sim::ObjectSpec;
using sim::ScenarioError;
using sim::ScenarioFileError;

namespace {

FieldSpec field(std::string name, FieldType type, bool required, std::string help, json def = nullptr) {
  return sim::make_field(std::move(name), type, required, std::move(help), std::move(def));
}

struct Specs {
  ObjectSpec axis{"sweep axis", "one swept path: explicit values, or from/to/step", {}};
  ObjectSpec root{"sweep", "a sweep: a grid (or a list of points) over scenario paths, times replications", {}};
  Specs() {
    FieldSpec step = field("step", FieldType::number, false, "range: increment (> 0)");
    step.minimum = 0.0;
    step.exclusive_minimum = true;
    axis.fields = {field("path", FieldType::string, true,
                         "scenario path as for --set: JSON pointer or dotted (platform.brokers.count)"),
                   field("values", FieldType::free_object, false, "array of values (JSON: numbers, \"30s\", ...)"),
                   field("from", FieldType::number, false, "range: first value"),
                   field("to", FieldType::number, false, "range: last value (included when reached)"), step};
    FieldSpec reps = field("replications", FieldType::integer, false, "runs per point, each with its own seed", 1);
    reps.minimum = 1.0;
    FieldSpec seed = field("seed", FieldType::integer, false,
                           "base seed (default: the scenario's); replication r uses a seed derived from (base, r)");
    seed.minimum = 0.0;
    FieldSpec grid = field("grid", FieldType::object_array, false, "axes of a full grid (cartesian product)");
    grid.object = &axis;
    root.fields = {field("name", FieldType::string, false, "sweep name (default: the spec file's stem)"),
                   field("description", FieldType::string, false, "what the sweep answers", ""),
                   field("scenario", FieldType::string, true, "scenario file, relative to this spec file"),
                   field("set", FieldType::free_object, false,
                         "overrides applied to every run: {\"path\": value} (e.g. {\"duration\": \"30s\"})"),
                   grid,
                   field("points", FieldType::free_object, false,
                         "instead of grid: an array of points, each {\"path\": value, ...}"),
                   reps, seed};
  }
};

const Specs& specs() {
  static const Specs s;
  return s;
}

std::string hex64(std::uint64_t h) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

// Numbers as JSON writes them (shortest round trip): CSVs and the database agree to the bit.
std::string num(double v) { return std::isfinite(v) ? json(v).dump() : std::string(); }

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

std::vector<std::string> SweepPoint::overrides() const {
  std::vector<std::string> out;
  for (const auto& [p, v] : params) out.push_back(p + "=" + v.dump());
  return out;
}

std::string SweepPoint::label() const {
  std::string s;
  for (const auto& [p, v] : params) s += (s.empty() ? "" : ", ") + p + "=" + value_text(v);
  return s.empty() ? "(base)" : s;
}

std::string sweep_spec_markdown() { return sim::markdown_reference(specs().root); }

SweepSpec load_sweep_spec(const std::string& file, const std::vector<std::string>& cli_overrides,
                          std::optional<int> replications) {
  SweepSpec spec;
  spec.file = file;
  json doc;
  try {
    doc = json::parse(read_text(file));
  } catch (const json::parse_error& e) {
    throw ScenarioFileError(file, "", std::string("invalid JSON: ") + e.what());
  } catch (const std::runtime_error&) {
    throw ScenarioFileError(file, "", "cannot open the file");
  }
  try {
    const ObjectReader r(doc, "", specs().root);
    spec.name = r.has("name") ? r.get_string("name") : fs::path(file).stem().string();
    const std::string scen = r.get_string("scenario");
    spec.scenario = fs::path(scen).is_absolute() ? scen : (fs::path(file).parent_path() / scen).lexically_normal().string();
    if (spec.scenario.empty()) spec.scenario = scen;
    if (r.has("set")) {
      const json& set = r.raw("set");
      if (!set.is_object()) r.fail("set", "expected an object {\"path\": value}, got " + sim::brief(set));
      for (auto it = set.begin(); it != set.end(); ++it) spec.base_overrides.push_back(it.key() + "=" + it.value().dump());
    }
    for (const auto& o : cli_overrides) spec.base_overrides.push_back(o);
    spec.replications = replications ? *replications : static_cast<int>(r.get_integer("replications"));
    if (spec.replications < 1 || spec.replications > 100000)
      throw ScenarioError("/replications", "expected 1 to 100000 replications");

    if (r.has("grid") == r.has("points")) r.fail("", "expected either \"grid\" or \"points\"");
    if (r.has("grid")) {
      std::vector<std::pair<std::string, std::vector<json>>> axes;
      for (const auto& a : r.get_objects("grid")) {
        const std::string path = a.get_string("path");
        std::vector<json> values;
        if (a.has("values")) {
          const json& v = a.raw("values");
          if (!v.is_array() || v.empty()) a.fail("values", "expected a non-empty array of values, got " + sim::brief(v));
          if (a.has("from") || a.has("to") || a.has("step")) a.fail("values", "expected either values or from/to/step");
          values.assign(v.begin(), v.end());
        } else {
          if (!a.has("from") || !a.has("to") || !a.has("step")) a.fail("", "expected \"values\" or \"from\", \"to\" and \"step\"");
          const double from = a.get_number("from"), to = a.get_number("to"), step = a.get_number("step");
          if (to < from) a.fail("to", "expected \"to\" not below \"from\"");
          const bool integral = a.raw("from").is_number_integer() && a.raw("step").is_number_integer();
          const double n = std::floor((to - from) / step + 1e-9) + 1;
          if (n > 10000) a.fail("step", "expected at most 10000 values per axis");
          for (int i = 0; i < static_cast<int>(n); ++i) {
            const double x = from + i * step;
            values.push_back(integral ? json(static_cast<std::int64_t>(std::llround(x))) : json(x));
          }
        }
        for (const auto& [p, _] : axes)
          if (p == path) a.fail("path", "path \"" + path + "\" swept twice");
        axes.emplace_back(path, std::move(values));
        spec.param_paths.push_back(path);
      }
      if (axes.empty()) r.fail("grid", "expected at least one axis");
      // Cartesian product, the last axis varying fastest.
      std::vector<std::size_t> idx(axes.size(), 0);
      std::size_t total = 1;
      for (const auto& a : axes) total *= a.second.size();
      if (total > 100000) r.fail("grid", "expected at most 100000 points");
      for (std::size_t k = 0; k < total; ++k) {
        SweepPoint p;
        p.id = static_cast<int>(k);
        for (std::size_t d = 0; d < axes.size(); ++d) p.params.emplace_back(axes[d].first, axes[d].second[idx[d]]);
        spec.points.push_back(std::move(p));
        for (std::size_t d = axes.size(); d-- > 0;) {
          if (++idx[d] < axes[d].second.size()) break;
          idx[d] = 0;
        }
      }
    } else {
      const json& pts = r.raw("points");
      if (!pts.is_array() || pts.empty()) r.fail("points", "expected a non-empty array of points");
      for (std::size_t i = 0; i < pts.size(); ++i) {
        if (!pts[i].is_object())
          throw ScenarioError("/points/" + std::to_string(i), "expected an object {\"path\": value, ...}");
        SweepPoint p;
        p.id = static_cast<int>(i);
        for (auto it = pts[i].begin(); it != pts[i].end(); ++it) {
          p.params.emplace_back(it.key(), it.value());
          if (std::find(spec.param_paths.begin(), spec.param_paths.end(), it.key()) == spec.param_paths.end())
            spec.param_paths.push_back(it.key());
        }
        spec.points.push_back(std::move(p));
      }
    }
    if (spec.points.size() * static_cast<std::size_t>(spec.replications) > 10000000)
      r.fail("replications", "expected at most 10,000,000 runs in one sweep");
    if (r.has("seed")) spec.base_seed = static_cast<std::uint64_t>(r.get_integer("seed"));
  } catch (const ScenarioError& e) {
    throw ScenarioFileError(file, e.pointer(), e.message());
  }

  // Every point must make a valid scenario: report a bad path or value before anything runs.
  sim::Scenario base = sim::load_scenario(spec.scenario, spec.base_overrides);
  if (!doc.contains("seed")) spec.base_seed = base.seed;
  for (const auto& p : spec.points) {
    std::vector<std::string> o = spec.base_overrides;
    for (const auto& x : p.overrides()) o.push_back(x);
    try {
      sim::load_scenario(spec.scenario, o);
    } catch (const ScenarioFileError& e) {
      throw ScenarioFileError(file, "/points/" + std::to_string(p.id),
                              "point " + std::to_string(p.id) + " (" + p.label() + ") makes an invalid scenario: " +
                                  e.what());
    } catch (const std::exception& e) {
      throw ScenarioFileError(file, "/points/" + std::to_string(p.id),
                              "point " + std::to_string(p.id) + " (" + p.label() + "): " + e.what());
    }
  }
  json id = {{"scenario_hash", hex64(models::fnv1a64(read_text(spec.scenario)))},
             {"base_overrides", spec.base_overrides},
             {"replications", spec.replications},
             {"base_seed", spec.base_seed}};
  json pts = json::array();
  for (const auto& p : spec.points) pts.push_back(p.overrides());
  id["points"] = pts;
  spec.hash = "fnv1a64:" + hex64(models::fnv1a64(id.dump()));
  return spec;
}

std::vector<PlannedRun> plan_runs(const SweepSpec& spec) {
  std::vector<PlannedRun> out;
  for (const auto& p : spec.points)
    for (int r = 0; r < spec.replications; ++r)
      out.push_back({p.id * spec.replications + r, p.id, r, replication_seed(spec.base_seed, r)});
  return out;
}

Shard parse_shard(const std::string& text) {
  Shard s;
  const auto slash = text.find('/');
  const std::string index_text = slash == std::string::npos ? "auto" : text.substr(0, slash);
  const std::string count_text = slash == std::string::npos ? text : text.substr(slash + 1);
  auto parse_int = [](const std::string& t, const std::string& what) {
    if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos)
      throw std::invalid_argument("expected " + what + " as a non-negative integer, got \"" + t + "\"");
    return std::stoi(t);
  };
  s.count = parse_int(count_text, "the shard count N in --shard I/N");
  if (s.count < 1) throw std::invalid_argument("expected a shard count of at least 1");
  if (index_text == "auto" || index_text.empty()) {
    if (const char* id = std::getenv("SLURM_ARRAY_TASK_ID")) {
      s.index = parse_int(id, "SLURM_ARRAY_TASK_ID");
      if (const char* min = std::getenv("SLURM_ARRAY_TASK_MIN")) s.index -= parse_int(min, "SLURM_ARRAY_TASK_MIN");
    } else if (const char* k = std::getenv("JOB_COMPLETION_INDEX")) {
      s.index = parse_int(k, "JOB_COMPLETION_INDEX");
    } else {
      throw std::invalid_argument("--shard " + text + ": no shard index: give I/N, or run in a Slurm job array "
                                  "(SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)");
    }
  } else {
    s.index = parse_int(index_text, "the shard index I in --shard I/N");
  }
  if (s.index < 0 || s.index >= s.count)
    throw std::invalid_argument("shard index " + std::to_string(s.index) + " is outside 0.." +
                                std::to_string(s.count - 1));
  return s;
}

std::vector<PlannedRun> shard_runs(const std::vector<PlannedRun>& runs, const Shard& shard) {
  std::vector<PlannedRun> out;
  for (const auto& r : runs)
    if (r.run_id % shard.count == shard.index) out.push_back(r);
  return out;
}

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE sweep (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE points (point_id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE parameters (point_id INTEGER NOT NULL, path TEXT NOT NULL, value TEXT NOT NULL, num REAL,
                         PRIMARY KEY (point_id, path));
CREATE TABLE runs (run_id INTEGER PRIMARY KEY, point_id INTEGER NOT NULL, replication INTEGER NOT NULL,
                   seed INTEGER NOT NULL, exit_code INTEGER NOT NULL, verdict TEXT NOT NULL, wall_s REAL,
                   shard INTEGER NOT NULL, error TEXT);
CREATE TABLE kpis (run_id INTEGER NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, name))
  WITHOUT ROWID;
CREATE TABLE point_kpis (point_id INTEGER NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, mean REAL,
                         stddev REAL, ci95_low REAL, ci95_high REAL, min REAL, max REAL,
                         PRIMARY KEY (point_id, name)) WITHOUT ROWID;
CREATE VIEW run_kpis AS
  SELECT r.run_id, r.point_id, r.replication, r.seed, r.verdict, k.name AS kpi, k.value
  FROM runs r JOIN kpis k USING (run_id);
)sql";

void create_db(Db& db, const SweepSpec& spec, const Shard& shard) {
  db.exec("PRAGMA journal_mode=DELETE");
  db.exec(kSchema);
  Transaction t(db);
  Statement meta(db, "INSERT INTO sweep (key, value) VALUES (?, ?)");
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"format", "edgetwin-sweep-v1"},
      {"edgetwin_version", EDGETWIN_VERSION},
      {"name", spec.name},
      {"spec_file", spec.file},
      {"scenario", spec.scenario},
      {"spec_hash", spec.hash},
      {"base_overrides", json(spec.base_overrides).dump()},
      {"param_paths", json(spec.param_paths).dump()},
      {"replications", std::to_string(spec.replications)},
      {"base_seed", std::to_string(spec.base_seed)},
      {"points", std::to_string(spec.points.size())},
      {"runs_total", std::to_string(spec.points.size() * static_cast<std::size_t>(spec.replications))},
      {"shard_index", std::to_string(shard.index)},
      {"shard_count", std::to_string(shard.count)}};
  for (const auto& [k, v] : rows) meta.bind(1, k).bind(2, v).run();
  Statement pt(db, "INSERT INTO points (point_id, label) VALUES (?, ?)");
  Statement par(db, "INSERT INTO parameters (point_id, path, value, num) VALUES (?, ?, ?, ?)");
  for (const auto& p : spec.points) {
    pt.bind(1, static_cast<std::int64_t>(p.id)).bind(2, p.label()).run();
    for (const auto& [path, v] : p.params) {
      par.bind(1, static_cast<std::int64_t>(p.id)).bind(2, path).bind(3, v.dump());
      if (v.is_number()) par.bind(4, v.get<double>());
      else par.bind_null(4);
      par.run();
    }
  }
  t.commit();
}

std::map<std::string, std::string> read_meta(Db& db) {
  std::map<std::string, std::string> m;
  Statement s(db, "SELECT key, value FROM sweep");
  while (s.step()) m[s.get_text(0)] = s.get_text(1);
  return m;
}

}  // namespace

SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) throw std::runtime_error(options.out_dir + ": cannot create the folder: " + ec.message());
  const Shard shard = options.shard.value_or(Shard{});
  char dbname[64];
  if (options.shard)
    std::snprintf(dbname, sizeof dbname, "shard-%04d-of-%04d.db", shard.index, shard.count);
  else
    std::snprintf(dbname, sizeof dbname, "sweep.db");
  SweepReport report;
  report.database = (fs::path(options.out_dir) / dbname).string();
  // Written under a temporary name and renamed when complete: a database in place is a whole one.
  const std::string tmp = report.database + ".partial";
  fs::remove(tmp, ec);
  std::vector<PlannedRun> runs = plan_runs(spec);
  if (options.shard) runs = shard_runs(runs, shard);
  // Each shard has its own run folders: shards of a job array share out_dir and run concurrently.
  const std::string runs_dir = options.shard ? std::string(dbname).substr(0, std::string(dbname).size() - 3) + "-runs"
                                             : std::string("runs");
  {
    Db db(tmp);
    create_db(db, spec, shard);
    Statement ins_run(db,
                      "INSERT INTO runs (run_id, point_id, replication, seed, exit_code, verdict, wall_s, shard, error) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement ins_kpi(db, "INSERT INTO kpis (run_id, name, value) VALUES (?, ?, ?)");
    std::vector<RunRequest> requests;
    for (const auto& r : runs) {
      RunRequest q;
      q.overrides = spec.base_overrides;
      for (const auto& o : spec.points[static_cast<std::size_t>(r.point_id)].overrides()) q.overrides.push_back(o);
      q.seed = r.seed;
      q.name = runs_dir + "/run-" + std::to_string(r.run_id);
      requests.push_back(std::move(q));
    }
    BatchOptions bo;
    bo.edgetwin = options.edgetwin;
    bo.scenario = spec.scenario;
    bo.work_dir = options.out_dir;
    bo.parallel = options.parallel;
    bo.keep_runs = options.keep_runs;
    const auto start = std::chrono::steady_clock::now();
    std::size_t done = 0;
    if (options.progress) options.progress(0, runs.size(), 0.0);
    run_batch(requests, bo, [&](std::size_t i, const RunOutcome& o) {
      const PlannedRun& r = runs[i];
      Transaction t(db);
      ins_run.bind(1, static_cast<std::int64_t>(r.run_id))
          .bind(2, static_cast<std::int64_t>(r.point_id))
          .bind(3, static_cast<std::int64_t>(r.replication))
          .bind(4, static_cast<std::int64_t>(r.seed))
          .bind(5, static_cast<std::int64_t>(o.exit_code))
          .bind(6, o.verdict)
          .bind(7, o.wall_seconds)
          .bind(8, static_cast<std::int64_t>(shard.index));
      if (o.error.empty()) ins_run.bind_null(9);
      else ins_run.bind(9, o.error);
      ins_run.run();
      if (o.completed())
        for (const auto& [name, value] : flatten_kpis(o.summary))
          ins_kpi.bind(1, static_cast<std::int64_t>(r.run_id)).bind(2, name).bind(3, value).run();
      t.commit();
      ++report.runs;
      if (!o.completed()) {
        ++report.failed;
        report.errors.push_back("run " + std::to_string(r.run_id) + " (point " + std::to_string(r.point_id) +
                                ", replication " + std::to_string(r.replication) + ", exit " +
                                std::to_string(o.exit_code) + "): " + o.error);
      }
      ++done;
      if (options.progress)
        options.progress(done, runs.size(),
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    });
  }
  fs::rename(tmp, report.database, ec);
  if (ec) throw std::runtime_error(report.database + ": cannot rename into place: " + ec.message());
  if (!options.shard) finalize_sweep(report.database, options.out_dir);
  // Completed runs' folders are gone unless kept; failed ones stay (log.txt says why).
  if (!options.keep_runs && !report.failed) fs::remove_all(fs::path(options.out_dir) / runs_dir, ec);
  return report;
}

void finalize_sweep(const std::string& database, const std::string& out_dir) {
  Db db(database, false);
  const auto meta = read_meta(db);
  const json paths = json::parse(meta.at("param_paths"));
  {
    Transaction t(db);
    db.exec("DELETE FROM point_kpis");
    Statement ins(db, "INSERT INTO point_kpis (point_id, name, n, mean, stddev, ci95_low, ci95_high, min, max) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Statement q(db,
                "SELECT r.point_id, k.name, k.value FROM kpis k JOIN runs r USING (run_id) "
                "WHERE k.value IS NOT NULL ORDER BY r.point_id, k.name, r.replication");
    std::int64_t cur_point = -1;
    std::string cur_name;
    std::vector<double> values;
    auto flush = [&] {
      if (values.empty()) return;
      const Estimate e = estimate(values);
      ins.bind(1, cur_point).bind(2, cur_name).bind(3, static_cast<std::int64_t>(e.n)).bind(4, e.mean);
      ins.bind(5, e.stddev);
      if (e.n >= 2) ins.bind(6, e.low()).bind(7, e.high());
      else ins.bind_null(6).bind_null(7);
      ins.bind(8, e.min).bind(9, e.max).run();
      values.clear();
    };
    while (q.step()) {
      const std::int64_t p = q.get_int(0);
      std::string name = q.get_text(1);
      if (p != cur_point || name != cur_name) {
        flush();
        cur_point = p;
        cur_name = std::move(name);
      }
      values.push_back(q.get_double(2));
    }
    flush();
    t.commit();
  }

  // Parameters per point, as CSV cells in param_paths order.
  std::map<std::int64_t, std::vector<std::string>> params;
  {
    Statement s(db, "SELECT point_id, path, value FROM parameters ORDER BY point_id");
    std::map<std::int64_t, std::map<std::string, std::string>> raw;
    while (s.step()) raw[s.get_int(0)][s.get_text(1)] = value_text(json::parse(s.get_text(2)));
    for (const auto& [pid, m] : raw)
      for (const auto& p : paths) {
        auto it = m.find(p.get<std::string>());
        params[pid].push_back(it == m.end() ? "" : csv_cell(it->second));
      }
  }
  std::string header_params;
  for (const auto& p : paths) header_params += "," + csv_cell(p.get<std::string>());

  // runs.csv: one row per run, the parameters then every KPI as a column (wide, for pandas).
  std::vector<std::string> names;
  {
    Statement s(db, "SELECT DISTINCT name FROM kpis ORDER BY name");
    while (s.step()) names.push_back(s.get_text(0));
  }
  std::ostringstream runs_csv;
  runs_csv << "run_id,point_id,replication,seed,exit_code,verdict" << header_params;
  for (const auto& n : names) runs_csv << "," << csv_cell(n);
  runs_csv << "\n";
  {
    Statement s(db, "SELECT run_id, point_id, replication, seed, exit_code, verdict FROM runs ORDER BY run_id");
    Statement k(db, "SELECT name, value FROM kpis WHERE run_id = ? ORDER BY name");
    while (s.step()) {
      const std::int64_t run = s.get_int(0), pid = s.get_int(1);
      runs_csv << run << "," << pid << "," << s.get_int(2) << "," << s.get_int(3) << "," << s.get_int(4) << ","
               << s.get_text(5);
      for (const auto& c : params[pid]) runs_csv << "," << c;
      std::map<std::string, double> row;
      k.bind(1, run);
      while (k.step())
        if (!k.is_null(1)) row[k.get_text(0)] = k.get_double(1);
      k.reset();
      for (const auto& n : names) {
        auto it = row.find(n);
        runs_csv << "," << (it == row.end() ? std::string() : num(it->second));
      }
      runs_csv << "\n";
    }
  }
  sim::write_file_atomically((fs::path(out_dir) / "runs.csv").string(), runs_csv.str());

  // points.csv: one row per point and KPI (long): mean, standard deviation, 95 % CI, min, max.
  std::ostringstream pts;
  pts << "point_id" << header_params << ",kpi,n,mean,stddev,ci95_low,ci95_high,min,max\n";
  {
    Statement s(db, "SELECT point_id, name, n, mean, stddev, ci95_low, ci95_high, min, max FROM point_kpis "
                    "ORDER BY point_id, name");
    while (s.step()) {
      const std::int64_t pid = s.get_int(0);
      pts << pid;
      for (const auto& c : params[pid]) pts << "," << c;
      pts << "," << csv_cell(s.get_text(1)) << "," << s.get_int(2);
      for (int c = 3; c <= 8; ++c) pts << "," << (s.is_null(c) ? std::string() : num(s.get_double(c)));
      pts << "\n";
    }
  }
  sim::write_file_atomically((fs::path(out_dir) / "points.csv").string(), pts.str());
}

MergeReport merge_sweeps(const std::vector<std::string>& inputs, const std::string& out_dir) {
  MergeReport rep;
  for (const auto& in : inputs) {
    if (fs::is_directory(in)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(in)) {
        const std::string n = e.path().filename().string();
        if (n.rfind("shard-", 0) == 0 && e.path().extension() == ".db") found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) throw std::invalid_argument(in + ": no shard-*.db files in this folder");
      rep.inputs.insert(rep.inputs.end(), found.begin(), found.end());
    } else if (fs::exists(in)) {
      rep.inputs.push_back(in);
    } else {
      throw std::invalid_argument(in + ": no such file or folder");
    }
  }
  if (rep.inputs.empty()) throw std::invalid_argument("nothing to merge");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  rep.database = (fs::path(out_dir) / "sweep.db").string();
  const std::string tmp = rep.database + ".partial";
  fs::remove(tmp, ec);
  std::map<std::string, std::string> first_meta;
  {
    Db out(tmp);
    out.exec("PRAGMA journal_mode=DELETE");
    out.exec(kSchema);
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < rep.inputs.size(); ++i) {
      const std::string& in = rep.inputs[i];
      std::map<std::string, std::string> meta;
      try {
        Db probe(in, false);
        meta = read_meta(probe);
      } catch (const std::exception& e) {
        throw std::invalid_argument(in + ": not a sweep database (" + e.what() + ")");
      }
      if (meta.count("format") == 0 || meta.at("format") != "edgetwin-sweep-v1")
        throw std::invalid_argument(in + ": not an edgetwin sweep database");
      if (i == 0) {
        first_meta = meta;
      } else if (meta.at("spec_hash") != first_meta.at("spec_hash")) {
        throw std::invalid_argument(in + ": belongs to another sweep (spec hash " + meta.at("spec_hash") + ", " +
                                    rep.inputs[0] + " has " + first_meta.at("spec_hash") + ")");
      }
      {
        Db probe(in, false);
        Statement s(probe, "SELECT run_id FROM runs");
        while (s.step())
          if (!seen.insert(s.get_int(0)).second)
            throw std::invalid_argument(in + ": run " + std::to_string(s.get_int(0)) +
                                        " also appears in another input (the same shard twice?)");
      }
      Statement att(out, "ATTACH DATABASE ? AS src");
      att.bind(1, in);
      att.run();
      {
        Transaction t(out);
        if (i == 0) {
          out.exec("INSERT INTO sweep SELECT * FROM src.sweep");
          out.exec("INSERT INTO points SELECT * FROM src.points");
          out.exec("INSERT INTO parameters SELECT * FROM src.parameters");
        }
        out.exec("INSERT INTO runs SELECT * FROM src.runs");
        out.exec("INSERT INTO kpis SELECT * FROM src.kpis");
        t.commit();
      }
      out.exec("DETACH DATABASE src");
    }
    Transaction t(out);
    out.exec("UPDATE sweep SET value = '0' WHERE key = 'shard_index'");
    out.exec("UPDATE sweep SET value = '1' WHERE key = 'shard_count'");
    Statement ins(out, "INSERT OR REPLACE INTO sweep (key, value) VALUES ('merged_from', ?)");
    ins.bind(1, json(rep.inputs).dump());
    ins.run();
    t.commit();
    rep.runs = seen.size();
    rep.expected = static_cast<std::size_t>(std::stoull(first_meta.at("runs_total")));
  }
  fs::rename(tmp, rep.database, ec);
  if (ec) throw std::runtime_error(rep.database + ": cannot rename into place: " + ec.message());
  finalize_sweep(rep.database, out_dir);
  return rep;
}

}  // namespace edgetwin::plan
