// bench/bridge_ingest.cpp — how fast the live twin ingests MQTT on loopback, next to mosquitto_sub.
//
// For QoS 0 and QoS 1: a private Mosquitto on 127.0.0.1 (random port) queues N messages for two
// offline persistent sessions (queue_qos0_messages on, no queue limit); then mosquitto_sub drains
// its session and `edgetwin-bridge twin` drains its own (the twin applying every message to its
// state before it exits), each timed from process start to exit. Both read the same stream, from
// the same starting point, so the ratio twin / mosquitto_sub says how close the bridge comes to
// what the broker can hand out. Repeated R times, median reported. Prints figures only; never a
// pass/fail verdict.
//
// usage: bench_bridge_ingest [N messages, default 200000] [R repetitions, default 3] [OTHER_BRIDGE]
// Needs the build tree's live-bridge/edgetwin-bridge, /usr/sbin/mosquitto and mosquitto_sub.
// OTHER_BRIDGE (optional): another edgetwin-bridge binary (say, a build of an earlier commit) that
// drains a third session of the same stream in the same runs, for before/after comparisons.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

double g_last_cpu = 0;  // CPU seconds (user + system) of the last child waited for

int wait_exit(pid_t pid) {
  int st = 0;
  rusage ru{};
  ::wait4(pid, &st, 0, &ru);
  g_last_cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/// Runs to completion; returns wall seconds, or -1 on a non-zero exit.
double timed(const std::vector<std::string>& argv, const std::string& dir, const std::string& tag) {
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = wait_exit(spawn(argv, dir + "/" + tag + ".out", dir + "/" + tag + ".err"));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0) {
    std::ifstream err(dir + "/" + tag + ".err");
    const std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "%s (%s) exited with %d:\n%s\n", argv[0].c_str(), tag.c_str(), rc, text.c_str());
    return -1;
  }
  return s;
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

bool port_open(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 200000;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string other = argc > 3 ? argv[3] : "";
  const fs::path self = fs::read_symlink("/proc/self/exe");
  const std::string bridge = (self.parent_path() / ".." / "live-bridge" / "edgetwin-bridge").string();
  const std::string source = EDGETWIN_BENCH_DIR;  // __FILE__ is relative to the build folder
  const std::string scenario = source + "/bridge_ingest_scenario.json";
  if (!fs::exists(bridge)) {
    std::fprintf(stderr, "no %s: build the edgetwin-bridge target first\n", bridge.c_str());
    return 3;
  }
  std::string templ = (fs::temp_directory_path() / "edgetwin-bench-XXXXXX").string();
  const std::string dir = ::mkdtemp(templ.data());
  fs::permissions(dir, fs::perms::all);
  const int port = free_port();
  const std::string url = "mqtt://127.0.0.1:" + std::to_string(port);
  {
    std::ofstream c(dir + "/mosquitto.conf");
    c << "listener " << port << " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_queued_bytes 0\n"
      << "queue_qos0_messages true\nmax_inflight_messages 20\nlog_dest stderr\nlog_type error\nuser root\n";
  }
  const pid_t broker = spawn({"/usr/sbin/mosquitto", "-c", dir + "/mosquitto.conf"}, dir + "/mosquitto.out",
                             dir + "/mosquitto.err");
  for (int i = 0; i < 200 && !port_open(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::string duration = std::to_string(n / 1000) + "s";
  const std::string count = std::to_string(n);

  std::printf("bridge ingest on loopback: %ld messages of 64 B per run, %d runs, median\n", n, reps);
  if (other.empty())
    std::printf("%-5s %18s %18s %8s\n", "QoS", "mosquitto_sub/s", "edgetwin twin/s", "ratio");
  else
    std::printf("%-5s %18s %18s %8s %18s %8s\n", "QoS", "mosquitto_sub/s", "edgetwin twin/s", "ratio", "other twin/s",
                "ratio");
  int status = 0;
  for (const int qos : {0, 1}) {
    const std::string q = std::to_string(qos);
    const std::string sub_id = "bench-sub-q" + q, twin_id = "bench-twin-q" + q;
    // Persistent sessions, then offline while the messages are published.
    timed({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(port), "-i", sub_id, "-c", "-q", "1", "-t",
           "bench/#", "-E"},
          dir, "sub-session");
    timed({bridge, "twin", scenario, "--broker", url, "--client-id", twin_id, "--no-publish", "--exit-after", "300ms"},
          dir, "twin-session");
    if (!other.empty())
      timed({other, "twin", scenario, "--broker", url, "--client-id", twin_id + "-other", "--no-publish", "--exit-after",
             "300ms"},
            dir, "other-session");
    std::vector<double> sub_rates, twin_rates, other_rates, sub_cpu, twin_cpu, other_cpu;
    for (int r = 0; r < reps; ++r) {
      if (timed({bridge, "emulate", scenario, "--broker", url, "--speed", "1e9", "--duration", duration, "--qos", q,
                 "--client-id", "bench-pub"},
                dir, "publish") < 0) {
        status = 3;
        break;
      }
      const double ts = timed({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(port), "-i", sub_id, "-c", "-q",
                               "1", "-t", "bench/#", "-C", count},
                              dir, "sub");
      sub_cpu.push_back(g_last_cpu);
      const double tt = timed({bridge, "twin", scenario, "--broker", url, "--client-id", twin_id, "--no-publish",
                               "--exit-after-messages", count, "--exit-after", "600s"},
                              dir, "twin");
      twin_cpu.push_back(g_last_cpu);
      const double to = other.empty() ? 1.0
                                      : timed({other, "twin", scenario, "--broker", url, "--client-id", twin_id + "-other",
                                               "--no-publish", "--exit-after-messages", count, "--exit-after", "600s"},
                                              dir, "other");
      other_cpu.push_back(other.empty() ? 0.0 : g_last_cpu);
      if (ts <= 0 || tt <= 0 || to <= 0) {
        status = 3;
        break;
      }
      sub_rates.push_back(n / ts);
      twin_rates.push_back(n / tt);
      other_rates.push_back(n / to);
    }
    const double s = median(sub_rates), t = median(twin_rates), o = median(other_rates);
    if (other.empty())
      std::printf("%-5d %18.0f %18.0f %8.2f\n", qos, s, t, s > 0 ? t / s : 0.0);
    else
      std::printf("%-5d %18.0f %18.0f %8.2f %18.0f %8.2f\n", qos, s, t, s > 0 ? t / s : 0.0, o, s > 0 ? o / s : 0.0);
    // CPU time per message (user + system, whole process, start to exit): unlike wall time it
    // hardly depends on what else runs on the machine.
    const double cs = 1e6 * median(sub_cpu) / n, ct = 1e6 * median(twin_cpu) / n, co = 1e6 * median(other_cpu) / n;
    if (other.empty())
      std::printf("      CPU us/msg: mosquitto_sub %.2f, twin %.2f (%.2fx)\n", cs, ct, cs > 0 ? ct / cs : 0.0);
    else
      std::printf("      CPU us/msg: mosquitto_sub %.2f, twin %.2f (%.2fx), other %.2f (%.2fx)\n", cs, ct,
                  cs > 0 ? ct / cs : 0.0, co, cs > 0 ? co / cs : 0.0);
    std::fflush(stdout);
  }
  ::kill(broker, SIGTERM);
  wait_exit(broker);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return status;
}
