// twin/child_run.hpp — running `edgetwin run` as a child process (one SimGrid engine per process),
// for the twin's predictions and what-if forks.
#pragma once

#include <string>
#include <vector>

namespace edgetwin::twin {

struct ChildResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it could not start
  bool timed_out = false;
  std::string stderr_text;  // what the child wrote on stderr (its error line, if any)
};

/// Runs `argv` (argv[0] is the executable path) with stdout and stderr redirected to the given
/// files and stdin from /dev/null; kills it after `timeout` seconds. Never throws.
ChildResult run_child(const std::vector<std::string>& argv, const std::string& stdout_path,
                      const std::string& stderr_path, double timeout);

/// The `edgetwin` executable: `hint` when given, else $EDGETWIN_BIN, else `../sim/edgetwin` or
/// `edgetwin` next to the running executable (build tree / install), else "edgetwin" (PATH).
std::string find_edgetwin(const std::string& hint);

}  // namespace edgetwin::twin
