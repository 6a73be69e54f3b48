// tests/sim/cli_runner.hpp — runs the real `edgetwin` binary (one SimGrid engine per process, as in
// production) and reads what it wrote: exit code, stdout, stderr, results files.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgetwin::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string source_path(const std::string& rel) { return std::string(EDGETWIN_SOURCE_DIR) + "/" + rel; }
inline std::string edgetwin_binary() { return std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin"; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// A fresh temporary folder, removed at destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "edgetwin-test-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline CliResult run_edgetwin(const std::vector<std::string>& args) {
  TempDir tmp;
  std::string cmd = shell_quote(edgetwin_binary());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(tmp / "out") + " 2>" + shell_quote(tmp / "err") + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(tmp / "out");
  r.err = read_text(tmp / "err");
  return r;
}

/// `edgetwin run scenarios/SCENARIO --out OUT --quiet --set S...`
inline CliResult run_with(const std::string& scenario, const std::string& out, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"run", source_path("scenarios/" + scenario), "--out", out, "--quiet"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  return run_edgetwin(args);
}

inline nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

/// Reads a CSV into rows of cells (no quoting: our files never need it).
inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace edgetwin::test
