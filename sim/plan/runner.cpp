// sim/plan/runner.cpp — `edgetwin run` children and their summaries.
#include "sim/plan/runner.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/plan/process.hpp"

namespace edgetwin::plan {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

std::string tail(const std::string& s, std::size_t lines) {
  std::size_t pos = s.size(), n = 0;
  while (pos > 0 && n <= lines) {
    pos = s.rfind('\n', pos - 1);
    if (pos == std::string::npos) return s;
    ++n;
  }
  return s.substr(pos + 1);
}

}  // namespace

std::vector<RunOutcome> run_batch(const std::vector<RunRequest>& requests, const BatchOptions& options,
                                  const std::function<void(std::size_t, const RunOutcome&)>& on_done) {
  std::vector<Job> jobs;
  std::vector<fs::path> dirs;
  for (const auto& r : requests) {
    const fs::path dir = fs::path(options.work_dir) / r.name;
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    Job j;
    j.argv = {options.edgetwin, "run", options.scenario, "--out", dir.string(), "--quiet", "--seed",
              std::to_string(r.seed)};
    for (const auto& o : r.overrides) {
      j.argv.push_back("--set");
      j.argv.push_back(o);
    }
    j.log_file = (dir / "log.txt").string();
    jobs.push_back(std::move(j));
    dirs.push_back(dir);
  }
  std::vector<RunOutcome> out(requests.size());
  run_jobs(jobs, options.parallel, [&](std::size_t i, const JobResult& jr) {
    RunOutcome& o = out[i];
    o.exit_code = jr.exit_code;
    o.wall_seconds = jr.wall_seconds;
    o.verdict = "error";
    if (o.completed() && !fs::exists(dirs[i] / "manifest.json")) {
      // manifest.json is written last: without it the folder is not a complete run (killed, disk full).
      o.exit_code = 3;
      o.error = (dirs[i]).string() + " has no manifest.json: the run did not finish, its results are incomplete";
    } else if (o.completed()) {
      try {
        o.summary = json::parse(read_file(dirs[i] / "summary.json"));
        o.verdict = o.summary.value("verdict", "no-slo");
      } catch (const std::exception& e) {
        o.exit_code = 3;
        o.error = "cannot read " + (dirs[i] / "summary.json").string() + ": " + e.what();
      }
    } else {
      o.error = jr.error.empty() ? tail(read_file(dirs[i] / "log.txt"), 5) : jr.error;
    }
    // Failed runs keep their folder (log.txt says why); completed ones are removed unless asked.
    if (o.completed() && !options.keep_runs) {
      std::error_code ec;
      fs::remove_all(dirs[i], ec);
    }
    if (on_done) on_done(i, o);
  });
  return out;
}

}  // namespace edgetwin::plan
