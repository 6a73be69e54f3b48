// A sweep on a real Slurm cluster: a single node on 127.0.0.1 (munged with a generated key,
// slurmctld and slurmd with a generated slurm.conf, all in a temporary folder, stopped by PID at the
// end) runs docs/slurm/sweep-array.sbatch as a job array of 3 shards; `edgetwin merge` combines
// them, and the result must equal the same sweep run locally, bit for bit.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "cli_runner.hpp"

using namespace edgetwin::test;

namespace {

bool executable(const std::string& p) { return ::access(p.c_str(), X_OK) == 0; }

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

struct Shell {
  int exit_code;
  std::string out;
};

Shell sh(const std::string& cmd, const TempDir& tmp) {
  const std::string o = tmp / "sh.out";
  const int status = std::system((cmd + " >" + shell_quote(o) + " 2>&1 </dev/null").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_text(o)};
}

// The daemons of the test cluster, stopped by the PIDs they wrote (never by name).
struct Cluster {
  TempDir dir;
  std::string conf;
  ~Cluster() {
    for (const char* d : {"slurmd", "slurmctld", "munged"}) {
      const std::string pid_text = read_text(dir / (std::string(d) + ".pid"));
      const pid_t pid = static_cast<pid_t>(std::atol(pid_text.c_str()));
      if (pid <= 1) continue;
      ::kill(pid, SIGTERM);
      for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
    }
  }
  std::string env() const { return "SLURM_CONF=" + shell_quote(conf) + " "; }
  std::string logs() const {
    return "--- slurmctld.log\n" + read_text(dir / "slurmctld.log") + "--- slurmd.log\n" + read_text(dir / "slurmd.log") +
           "--- munged.log\n" + read_text(dir / "munged.log");
  }
};

}  // namespace

TEST(PlanSlurm, JobArraySweepMergesToTheLocalSweep) {
  for (const char* p : {"/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch",
                        "/usr/bin/sinfo"})
    if (!executable(p))
      GTEST_SKIP() << p << " not found: Debian's slurm-wlm and munge are not installed (scripts/setup.sh installs "
                   << "them; apt-get install slurm-wlm munge)";
  if (::geteuid() != 0) GTEST_SKIP() << "slurmd must run as root to start jobs; run the suite as root (as CI does)";

  Cluster c;
  const std::string d = c.dir.path.string();
  {
    std::ofstream key(c.dir / "munge.key", std::ios::binary);
    std::ifstream rnd("/dev/urandom", std::ios::binary);
    std::string bytes(1024, '\0');
    rnd.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    key << bytes;
  }
  ::chmod((c.dir / "munge.key").c_str(), 0400);
  const auto m = sh("/usr/sbin/munged --force --socket=" + shell_quote(c.dir / "munge.socket") + " --key-file=" +
                        shell_quote(c.dir / "munge.key") + " --pid-file=" + shell_quote(c.dir / "munged.pid") +
                        " --log-file=" + shell_quote(c.dir / "munged.log") + " --seed-file=" +
                        shell_quote(c.dir / "munged.seed"),
                    c.dir);
  ASSERT_EQ(m.exit_code, 0) << m.out << c.logs();

  const int ctld_port = free_port(), slurmd_port = free_port();
  ASSERT_TRUE(ctld_port > 0 && slurmd_port > 0 && ctld_port != slurmd_port);
  std::filesystem::create_directories(c.dir / "state");
  std::filesystem::create_directories(c.dir / "spool");
  std::ofstream(c.dir / "plugstack.conf") << "";
  c.conf = c.dir / "slurm.conf";
  std::ofstream(c.conf) << "ClusterName=edgetwintest\n"
                           "SlurmctldHost=localhost(127.0.0.1)\n"
                           "SlurmUser=root\nSlurmdUser=root\n"
                           "SlurmctldPort=" << ctld_port << "\nSlurmdPort=" << slurmd_port << "\n"
                           "AuthType=auth/munge\nCredType=cred/munge\n"
                           "AuthInfo=socket=" << d << "/munge.socket\n"
                           "StateSaveLocation=" << d << "/state\nSlurmdSpoolDir=" << d << "/spool\n"
                           "SlurmctldPidFile=" << d << "/slurmctld.pid\nSlurmdPidFile=" << d << "/slurmd.pid\n"
                           "SlurmctldLogFile=" << d << "/slurmctld.log\nSlurmdLogFile=" << d << "/slurmd.log\n"
                           "PlugStackConfig=" << d << "/plugstack.conf\n"
                           "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nSwitchType=switch/none\n"
                           "MpiDefault=none\nJobAcctGatherType=jobacct_gather/none\n"
                           "AccountingStorageType=accounting_storage/none\n"
                           "SchedulerType=sched/builtin\nSelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
                           "ReturnToService=2\n"
                           "NodeName=localnode NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=2 State=UNKNOWN\n"
                           "PartitionName=debug Nodes=localnode Default=YES MaxTime=INFINITE State=UP\n";
  const auto ctld = sh(c.env() + "/usr/sbin/slurmctld", c.dir);
  ASSERT_EQ(ctld.exit_code, 0) << ctld.out << c.logs();
  const auto slurmd = sh(c.env() + "/usr/sbin/slurmd -N localnode", c.dir);
  ASSERT_EQ(slurmd.exit_code, 0) << slurmd.out << c.logs();
  // Wait (at most a minute) for the node to register; this bounds the wait, it asserts nothing on time.
  std::string state;
  for (int i = 0; i < 120 && state != "idle"; ++i) {
    state = sh(c.env() + "sinfo -h -o %T", c.dir).out;
    while (!state.empty() && (state.back() == '\n' || state.back() == ' ')) state.pop_back();
    if (state != "idle") std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(state, "idle") << c.logs();

  // The sweep as a job array of 3 shards, with the batch script the docs ship.
  const std::string spec = source_path("tests/plan/data/broker-shards.json");
  const auto job = sh(c.env() + "timeout 600 sbatch --parsable --wait --array=0-2 --cpus-per-task=1 --chdir=" +
                          shell_quote(d) + " --output=" + shell_quote(d + "/slurm-%A_%a.out") +
                          " --export=ALL,EDGETWIN=" + shell_quote(edgetwin_binary()) + " " +
                          shell_quote(source_path("docs/slurm/sweep-array.sbatch")) + " " + shell_quote(spec) + " " +
                          shell_quote(d + "/out"),
                      c.dir);
  std::string job_logs;
  for (const auto& e : std::filesystem::directory_iterator(c.dir.path))
    if (e.path().filename().string().rfind("slurm-", 0) == 0) job_logs += read_text(e.path().string());
  ASSERT_EQ(job.exit_code, 0) << job.out << job_logs << c.logs();
  for (const char* shard : {"shard-0000-of-0003.db", "shard-0001-of-0003.db", "shard-0002-of-0003.db"})
    EXPECT_TRUE(std::filesystem::exists(d + "/out/" + shard)) << shard << "\n" << job_logs;

  const auto merged = run_edgetwin({"merge", d + "/out"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const auto local = run_edgetwin({"sweep", spec, "-j", "2", "--quiet", "--out", d + "/local"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  for (const char* f : {"runs.csv", "points.csv"}) {
    const std::string a = read_text(d + "/local/" + f);
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, read_text(d + "/out/" + f)) << f << ": the Slurm sweep differs from the local one";
  }
}
