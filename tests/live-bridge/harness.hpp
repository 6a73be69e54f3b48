// tests/live-bridge/harness.hpp — what the integration tests need around the real programs: a
// private Mosquitto on 127.0.0.1 and a random free port (config written by the test, stopped by
// PID), child processes with captured output, polling with generous timeouts (a timeout only ever
// means a hang, never a performance verdict).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgetwin::test {

inline std::string source_path(const std::string& rel) { return std::string(EDGETWIN_SOURCE_DIR) + "/" + rel; }
inline std::string bridge_binary() { return std::string(EDGETWIN_BINARY_DIR) + "/live-bridge/edgetwin-bridge"; }
inline std::string edgetwin_binary() { return std::string(EDGETWIN_BINARY_DIR) + "/sim/edgetwin"; }
inline std::string fixture(const std::string& name) { return source_path("tests/live-bridge/fixtures/" + name); }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// Parsed JSON file, or null while it does not exist or is incomplete.
inline nlohmann::json try_read_json(const std::string& path) {
  const auto j = nlohmann::json::parse(read_text(path), nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

/// Polls `cond` every 20 ms until it holds or `timeout` seconds passed; returns whether it held.
inline bool wait_for(const std::function<bool()>& cond, double timeout = 30.0) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "edgetwin-bridge-test-XXXXXX").string();
    path = ::mkdtemp(templ.data());
    // Mosquitto drops privileges to user "mosquitto" when started as root: let it write here.
    std::filesystem::permissions(path, std::filesystem::perms::all);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

inline bool port_open(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

/// A child process with stdout and stderr in files; terminated (SIGTERM, then SIGKILL) at destruction.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
          const std::vector<std::string>& env = {})
      : out_(out), err_(err) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e; ++e) envp.push_back(*e);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      // Only async-signal-safe calls between fork and exec (the test process may run Paho threads).
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int r = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int n = ::open("/dev/null", O_RDONLY);
      ::dup2(o, 1);
      ::dup2(r, 2);
      ::dup2(n, 0);
      ::execve(args[0], args.data(), envp.data());
      ::_exit(127);
    }
  }
  ~Process() { terminate(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running() {
    if (done_) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      done_ = true;
      code_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return false;
    }
    return true;
  }
  /// Waits for the exit; -1 if it still runs after `timeout` seconds.
  int wait(double timeout = 60) {
    wait_for([this] { return !running(); }, timeout);
    return done_ ? code_ : -1;
  }
  void signal(int sig) {
    if (!done_ && pid_ > 0) ::kill(pid_, sig);
  }
  int terminate(double grace = 10) {
    if (done_ || pid_ <= 0) return code_;
    signal(SIGTERM);
    if (wait(grace) < 0) {
      signal(SIGKILL);
      wait(10);
    }
    return code_;
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  int code_ = -1;
  std::string out_, err_;
};

/// A Mosquitto broker of the test's own on 127.0.0.1.
class Mosquitto {
 public:
  explicit Mosquitto(const TempDir& dir, std::string extra_config = "", bool persistence = false)
      : dir_(dir), port_(free_port()), extra_(std::move(extra_config)), persistence_(persistence) {
    start();
  }
  ~Mosquitto() { stop(); }

  int port() const { return port_; }
  std::string url(const std::string& scheme = "mqtt") const { return scheme + "://127.0.0.1:" + std::to_string(port_); }

  void start() {
    const std::string conf = dir_ / "mosquitto.conf";
    std::string c = "listener " + std::to_string(port_) + " 127.0.0.1\n";
    c += extra_;
    if (extra_.find("allow_anonymous") == std::string::npos) c += "allow_anonymous true\n";
    c += "max_queued_messages 1000000\nmax_queued_bytes 0\nsys_interval 1\nlog_dest stderr\n"
         "log_type error\nlog_type warning\nlog_type notice\nlog_type information\nuser root\n";
    if (persistence_) c += "persistence true\npersistence_location " + (dir_ / "") + "\nautosave_interval 3600\n";
    write_text(conf, c);
    ++starts_;
    proc_ = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", conf},
                                      dir_ / ("mosquitto-" + std::to_string(starts_) + ".out"),
                                      dir_ / ("mosquitto-" + std::to_string(starts_) + ".log"));
    if (!wait_for([this] { return port_open(port_) || !proc_->running(); }, 20) || !proc_->running())
      throw std::runtime_error("mosquitto did not start: " + proc_->err());
  }
  /// SIGTERM (Mosquitto saves its persistence database) and wait.
  void stop() {
    if (proc_) proc_->terminate();
    proc_.reset();
  }
  std::string log() const { return read_text(dir_ / ("mosquitto-" + std::to_string(starts_) + ".log")); }

 private:
  const TempDir& dir_;
  int port_;
  std::string extra_;
  bool persistence_;
  int starts_ = 0;
  std::unique_ptr<Process> proc_;
};

}  // namespace edgetwin::test
