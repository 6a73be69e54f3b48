// sim/plan/process.cpp — child processes with posix_spawn and a bounded number in flight.
#include "sim/plan/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace edgetwin::plan {

namespace {

struct Running {
  pid_t pid;
  std::size_t index;
  std::chrono::steady_clock::time_point start;
};

}  // namespace

void run_jobs(const std::vector<Job>& jobs, int parallel,
              const std::function<void(std::size_t, const JobResult&)>& on_done) {
  if (parallel < 1) parallel = 1;
  std::vector<Running> running;
  std::size_t next = 0;
  while (next < jobs.size() || !running.empty()) {
    while (next < jobs.size() && static_cast<int>(running.size()) < parallel) {
      const Job& job = jobs[next];
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
      const std::string log = job.log_file.empty() ? "/dev/null" : job.log_file;
      posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&fa, 1, 2);
      std::vector<char*> argv;
      for (const auto& a : job.argv) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      pid_t pid = 0;
      const int rc = job.argv.empty() ? EINVAL : posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      if (rc != 0) {
        JobResult r;
        r.error = std::string("cannot start ") + (job.argv.empty() ? "(nothing)" : job.argv[0]) + ": " +
                  std::strerror(rc);
        on_done(next, r);
      } else {
        running.push_back({pid, next, std::chrono::steady_clock::now()});
      }
      ++next;
    }
    bool reaped = false;
    for (std::size_t i = 0; i < running.size();) {
      int status = 0;
      const pid_t w = ::waitpid(running[i].pid, &status, WNOHANG);
      if (w == 0 || (w < 0 && errno == EINTR)) {
        ++i;
        continue;
      }
      JobResult r;
      r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - running[i].start).count();
      if (w < 0)
        r.error = std::string("waitpid: ") + std::strerror(errno);
      else
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      const std::size_t index = running[i].index;
      running.erase(running.begin() + static_cast<long>(i));
      on_done(index, r);
      reaped = true;
    }
    if (!reaped && !running.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string self_executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "edgetwin";
  buf[n] = 0;
  return buf;
}

}  // namespace edgetwin::plan
