// sim/plan/process.hpp — runs child processes (one `edgetwin run` per simulation, since SimGrid
// allows one engine per process) with at most N at a time.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace edgetwin::plan {

struct Job {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::string log_file;           // stdout and stderr go here ("" = /dev/null)
};

struct JobResult {
  int exit_code = -1;  // exit status, or 128 + signal; -1 if it could not be started
  double wall_seconds = 0;
  std::string error;   // why it could not be started
};

/// Runs every job, at most `parallel` at once, in order of index. `on_done(index, result)` is
/// called in the calling thread as each job finishes (in completion order). Waits only for its own
/// children (never waitpid(-1)).
void run_jobs(const std::vector<Job>& jobs, int parallel,
              const std::function<void(std::size_t, const JobResult&)>& on_done);

/// Path of the running executable (/proc/self/exe), for starting `edgetwin run` children.
std::string self_executable();

}  // namespace edgetwin::plan
