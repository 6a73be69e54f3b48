// Queueing oracles for the broker model itself (the same Stage that serves every broker): Poisson
// arrivals into the broker of scenarios/broker-mm1.json, and the broker tier's mean (queue + service)
// compared with the textbook sojourn time W = Wq + 1/mu over 5 replications, at 95 % confidence.
//   M/M/1  lambda 8/s, mu 10/s           Wq = rho / (mu - lambda) = 0.4 s        W = 0.5 s
//   M/M/2  lambda 8/s, mu 5/s per core   Wq = C(2, 1.6) / (2 mu - lambda) = 0.355556 s, W = 0.555556 s
//   M/D/1  lambda 8/s, D = 0.1 s         Wq = rho D / (2 (1 - rho)) = 0.2 s      W = 0.3 s
// (references/queues-cellular-mqtt.md, Kleinrock vol. 1.)
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"

using namespace edgetwin::test;

namespace {

struct Estimate {
  double mean = 0, half_width = 0, utilization = 0;
};

Estimate replicate(const std::vector<std::string>& overrides) {
  TempDir dir;
  std::vector<double> w;
  double util = 0;
  for (int seed = 1; seed <= 5; ++seed) {
    std::vector<std::string> args = {"run", source_path("scenarios/broker-mm1.json"), "--out",
                                     dir / ("r" + std::to_string(seed)), "--quiet", "--seed", std::to_string(seed)};
    for (const auto& o : overrides) {
      args.push_back("--set");
      args.push_back(o);
    }
    const auto r = run_edgetwin(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto s = read_json(dir / ("r" + std::to_string(seed) + "/summary.json"));
    w.push_back(s["groups"]["lab/sources"]["tiers"]["broker"]["mean"].get<double>());
    util += s["nodes"]["broker-1"]["utilization"].get<double>() / 5;
  }
  Estimate e;
  for (double x : w) e.mean += x / w.size();
  double var = 0;
  for (double x : w) var += (x - e.mean) * (x - e.mean) / (w.size() - 1);
  e.half_width = 2.776 * std::sqrt(var / w.size());  // Student t, 4 degrees of freedom, 95 %
  e.utilization = util;
  return e;
}

double erlang_c(int c, double a) {
  double b = 1.0;  // Erlang B recursion, then C = c B / (c - a (1 - B))
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return c * b / (c - a * (1 - b));
}

}  // namespace

TEST(QueueOracles, BrokerIsMM1) {
  const Estimate e = replicate({});
  const double w = 1.0 / (10.0 - 8.0);
  EXPECT_NEAR(e.mean, w, e.half_width) << "W = " << e.mean << " +- " << e.half_width;
  EXPECT_NEAR(e.utilization, 0.8, 0.02);
}

TEST(QueueOracles, TwoCoreBrokerIsMM2) {
  const Estimate e = replicate({"platform.brokers.cores=2", "platform.brokers.cost_per_publish=\"200Mf\""});
  const double mu = 5.0, lambda = 8.0;
  const double wq = erlang_c(2, lambda / mu) / (2 * mu - lambda);
  EXPECT_NEAR(wq, 0.355556, 1e-6);  // the worked value of the reference
  EXPECT_NEAR(e.mean, wq + 1 / mu, e.half_width) << "W = " << e.mean << " +- " << e.half_width;
}

TEST(QueueOracles, DeterministicServiceIsMD1) {
  const Estimate e = replicate({"platform.brokers.service_time=deterministic"});
  const double rho = 0.8, d = 0.1;
  EXPECT_NEAR(e.mean, rho * d / (2 * (1 - rho)) + d, e.half_width) << "W = " << e.mean << " +- " << e.half_width;
}
