// sim/plan/capacity.cpp — bisection over replicated runs, and the cheapest feasible configuration.
#include "sim/plan/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/plan/cost.hpp"
#include "sim/plan/kpis.hpp"
#include "sim/plan/stats.hpp"
#include "sim/scenario_loader.hpp"

namespace edgetwin::plan {

using nlohmann::json;

namespace {

std::string fmt(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

SearchValue parse_value(const std::string& text) {
  SearchValue v;
  const char* s = text.c_str();
  char* end = nullptr;
  v.x = std::strtod(s, &end);
  if (end == s || !std::isfinite(v.x)) throw std::invalid_argument("expected a number (with an optional unit), got \"" + text + "\"");
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  v.unit = unit;
  const std::string digits(s, static_cast<std::size_t>(end - s));
  v.integer = unit.empty() && digits.find_first_of(".eE") == std::string::npos;
  return v;
}

// Per-SLO statistics over the replications of one evaluation.
json slo_stats(const sim::Scenario& sc, const std::vector<RunOutcome>& runs) {
  json out = json::array();
  for (std::size_t i = 0; i < sc.slos.size(); ++i) {
    const auto& slo = sc.slos[i];
    std::vector<double> values;
    int fails = 0;
    for (const auto& r : runs) {
      if (!r.completed() || !r.summary.contains("slo") || r.summary.at("slo").size() <= i) continue;
      const json& v = r.summary.at("slo").at(i);
      values.push_back(v.value("value", 0.0));
      if (!v.value("pass", false)) ++fails;
    }
    const Estimate e = estimate(values);
    json s = {{"slo", slo.text}, {"runs", values.size()}, {"failed", fails}, {"mean", e.mean}};
    if (e.n >= 2) s["ci95"] = {e.low(), e.high()};
    double violation = -1e300;  // relative distance beyond the bound (positive = violated on average)
    std::optional<bool> confident;
    if (slo.max) {
      s["max"] = *slo.max;
      violation = std::max(violation, (e.mean - *slo.max) / std::max(std::abs(*slo.max), 1e-300));
      if (e.n >= 2) confident = e.high() <= *slo.max;
    }
    if (slo.min) {
      s["min"] = *slo.min;
      violation = std::max(violation, (*slo.min - e.mean) / std::max(std::abs(*slo.min), 1e-300));
      if (e.n >= 2) confident = confident.value_or(true) && e.low() >= *slo.min;
    }
    s["relative_violation"] = violation;
    if (confident) s["ci_within_bound"] = *confident;
    out.push_back(s);
  }
  return out;
}

// The busiest resources (nodes and links) by mean utilization over the replications.
json bottlenecks(const std::vector<RunOutcome>& runs, std::size_t top = 3) {
  std::map<std::string, std::vector<double>> util, queue;
  std::map<std::string, std::string> kind;
  for (const auto& r : runs) {
    if (!r.completed()) continue;
    for (const char* section : {"nodes", "links"}) {
      if (!r.summary.contains(section)) continue;
      for (auto it = r.summary.at(section).begin(); it != r.summary.at(section).end(); ++it) {
        util[it.key()].push_back(it.value().value("utilization", 0.0));
        if (it.value().contains("queue_peak")) queue[it.key()].push_back(it.value().value("queue_peak", 0.0));
        kind[it.key()] = std::string(section) == "links" ? "link" : it.value().value("kind", "node");
      }
    }
  }
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [name, v] : util) order.emplace_back(-estimate(v).mean, name);
  std::sort(order.begin(), order.end());
  json out = json::array();
  for (std::size_t i = 0; i < order.size() && i < top; ++i) {
    const std::string& n = order[i].second;
    json b = {{"resource", n}, {"kind", kind[n]}, {"utilization", -order[i].first}};
    if (queue.count(n)) b["queue_peak"] = estimate(queue[n]).max;
    out.push_back(b);
  }
  return out;
}

struct Evaluation {
  double x = 0;
  json value;
  std::vector<RunOutcome> runs;
  int passed = 0;
  int completed = 0;
  bool feasible() const { return completed == static_cast<int>(runs.size()) && passed == completed; }
};

json evaluation_json(const sim::Scenario& sc, const Evaluation& e) {
  return {{"value", e.value},
          {"runs", e.runs.size()},
          {"passed", e.passed},
          {"completed", e.completed},
          {"feasible", e.feasible()},
          {"slo", slo_stats(sc, e.runs)},
          {"bottleneck", bottlenecks(e.runs)}};
}

// Runs R replications for each value (all in one batch, so -j covers them together).
std::vector<Evaluation> evaluate(const std::vector<json>& values, const std::string& path,
                                 const std::vector<std::string>& overrides, int replications, std::uint64_t base_seed,
                                 const BatchOptions& batch, int& counter) {
  std::vector<RunRequest> reqs;
  for (std::size_t i = 0; i < values.size(); ++i)
    for (int r = 0; r < replications; ++r) {
      const json& v = values[i];
      RunRequest q;
      q.overrides = overrides;
      q.overrides.push_back(path + "=" + v.dump());
      q.seed = replication_seed(base_seed, r);
      q.name = "runs/eval-" + std::to_string(counter) + "-" + std::to_string(i) + "-r" + std::to_string(r);
      reqs.push_back(std::move(q));
    }
  ++counter;
  const auto outcomes = run_batch(reqs, batch);
  std::vector<Evaluation> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    out[i].value = values[i];
    for (int r = 0; r < replications; ++r) {
      const RunOutcome& o = outcomes[i * static_cast<std::size_t>(replications) + static_cast<std::size_t>(r)];
      if (o.completed()) ++out[i].completed;
      if (o.completed() && o.verdict == "pass") ++out[i].passed;
      out[i].runs.push_back(o);
    }
  }
  return out;
}

std::string first_error(const std::vector<Evaluation>& evals) {
  for (const auto& e : evals)
    for (const auto& r : e.runs)
      if (!r.completed()) return "a run exited with code " + std::to_string(r.exit_code) + ": " + r.error;
  return {};
}

// The SLO that failed in most replications (ties: the largest relative violation).
json binding_slo(const json& stats) {
  json best;
  for (const auto& s : stats) {
    if (s.value("failed", 0) == 0) continue;
    if (best.is_null() || s.at("failed").get<int>() > best.at("failed").get<int>() ||
        (s.at("failed") == best.at("failed") &&
         s.at("relative_violation").get<double>() > best.at("relative_violation").get<double>()))
      best = s;
  }
  return best;
}

}  // namespace

json SearchValue::to_json() const {
  if (!unit.empty()) {
    char b[48];
    std::snprintf(b, sizeof b, "%.10g%s", x, unit.c_str());
    return b;
  }
  if (integer) return static_cast<std::int64_t>(std::llround(x));
  return x;
}

std::pair<SearchValue, SearchValue> parse_range(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || text.find(':', colon + 1) != std::string::npos)
    throw std::invalid_argument("expected --range LO:HI, got \"" + text + "\"");
  SearchValue lo = parse_value(text.substr(0, colon)), hi = parse_value(text.substr(colon + 1));
  if (lo.unit != hi.unit)
    throw std::invalid_argument("expected LO and HI in the same unit, got \"" + lo.unit + "\" and \"" + hi.unit + "\"");
  if (!(lo.x < hi.x)) throw std::invalid_argument("expected LO < HI in --range, got \"" + text + "\"");
  const bool integer = lo.integer && hi.integer;
  lo.integer = hi.integer = integer;
  return {lo, hi};
}

json find_capacity(const CapacityOptions& o) {
  if (o.replications < 1) throw std::invalid_argument("expected at least 1 replication");
  const auto range = parse_range(o.range);
  const SearchValue lo_v = range.first, hi_v = range.second;
  const sim::Scenario sc = sim::load_scenario(o.scenario, o.overrides);
  if (sc.slos.empty())
    throw sim::ScenarioFileError(o.scenario, "/slo", "a capacity search needs at least one SLO to hold");
  const bool integer = lo_v.integer;
  const double tol = o.tolerance ? *o.tolerance : (integer ? 1.0 : (hi_v.x - lo_v.x) / 100.0);
  if (!(tol > 0)) throw std::invalid_argument("expected a tolerance > 0");
  auto value_at = [&](double x) {
    SearchValue v = lo_v;
    v.x = x;
    return v.to_json();
  };
  // Both ends must make valid scenarios (a bad path is an input error, not an SLO failure).
  for (double x : {lo_v.x, hi_v.x}) {
    std::vector<std::string> ov = o.overrides;
    ov.push_back(o.path + "=" + value_at(x).dump());
    sim::load_scenario(o.scenario, ov);
  }
  BatchOptions batch = o.batch;
  batch.scenario = o.scenario;
  int counter = 0;
  std::vector<Evaluation> all;
  auto log_eval = [&](const Evaluation& e) {
    if (o.log)
      o.log(o.path + " = " + value_at(e.x).dump() + ": " + std::to_string(e.passed) + "/" +
            std::to_string(e.runs.size()) + " replications pass" + (e.feasible() ? "" : "  (fails)"));
  };
  auto run_values = [&](const std::vector<double>& xs) {
    std::vector<json> values;
    for (double x : xs) values.push_back(value_at(x));
    auto evals = evaluate(values, o.path, o.overrides, o.replications, sc.seed, batch, counter);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      evals[i].x = xs[i];
      log_eval(evals[i]);
      all.push_back(evals[i]);
    }
    return evals;
  };

  json result = {{"mode", "capacity"},
                 {"scenario", o.scenario},
                 {"path", o.path},
                 {"range", {value_at(lo_v.x), value_at(hi_v.x)}},
                 {"replications", o.replications},
                 {"tolerance", tol},
                 {"criterion", "every SLO holds in every replication"}};
  auto ends = run_values({lo_v.x, hi_v.x});
  if (const std::string err = first_error(ends); !err.empty()) {
    result["status"] = "error";
    result["error"] = err;
    return result;
  }
  const bool lo_ok = ends[0].feasible(), hi_ok = ends[1].feasible();
  auto finish = [&](const Evaluation* ok, const Evaluation* bad) {
    if (ok) {
      result["capacity"] = ok->value;
      result["at_capacity"] = evaluation_json(sc, *ok);
      result["confidence"] = {{"replications_passed", ok->passed},
                              {"replications", ok->runs.size()},
                              {"failure_probability_upper_95", failure_probability_bound(ok->passed)}};
    }
    if (bad) {
      result["first_failing"] = bad->value;
      const json ev = evaluation_json(sc, *bad);
      result["at_first_failing"] = ev;
      result["binding_slo"] = binding_slo(ev.at("slo"));
      result["bottleneck"] = ev.at("bottleneck").empty() ? json() : ev.at("bottleneck").at(0);
    }
    json evs = json::array();
    std::vector<const Evaluation*> sorted;
    for (const auto& e : all) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->x < b->x; });
    for (const auto* e : sorted)
      evs.push_back({{"value", e->value}, {"passed", e->passed}, {"runs", e->runs.size()}, {"feasible", e->feasible()}});
    result["evaluations"] = evs;
    return result;
  };
  if (lo_ok && hi_ok) {
    result["status"] = "all-pass";
    result["direction"] = "largest";
    return finish(&ends[1], nullptr);
  }
  if (!lo_ok && !hi_ok) {
    result["status"] = "none-pass";
    return finish(nullptr, &ends[0]);
  }
  // Largest feasible value when load grows with the value (count), smallest when it falls (period).
  const bool largest = lo_ok;
  result["direction"] = largest ? "largest" : "smallest";
  Evaluation ok = largest ? ends[0] : ends[1], bad = largest ? ends[1] : ends[0];
  while (std::abs(bad.x - ok.x) > tol) {
    double mid = (ok.x + bad.x) / 2;
    if (integer) {
      mid = largest ? std::floor(mid) : std::ceil(mid);
      if (mid == ok.x || mid == bad.x) break;
    }
    if (const std::string err = [&] {
          auto ev = run_values({mid});
          (ev[0].feasible() ? ok : bad) = ev[0];
          return first_error(ev);
        }();
        !err.empty()) {
      result["status"] = "error";
      result["error"] = err;
      return result;
    }
  }
  result["status"] = "found";
  return finish(&ok, &bad);
}

json minimize_cost(const MinimizeOptions& o) {
  if (o.axes.empty()) throw std::invalid_argument("--minimize cost needs at least one --vary PATH with its values");
  if (o.replications < 1) throw std::invalid_argument("expected at least 1 replication");
  const sim::Scenario base = sim::load_scenario(o.scenario, o.overrides);
  if (base.cost.is_null())
    throw sim::ScenarioFileError(o.scenario, "/cost", "--minimize cost needs prices: add a \"cost\" object");
  if (base.slos.empty())
    throw sim::ScenarioFileError(o.scenario, "/slo", "--minimize cost needs at least one SLO to hold");
  // Configurations in sweep-grid order (last axis fastest), each with its fixed monthly cost.
  struct Config {
    int id;
    std::vector<std::string> overrides;
    json params;
    double fixed;
  };
  std::vector<Config> configs;
  std::vector<std::size_t> idx(o.axes.size(), 0);
  std::size_t total = 1;
  for (const auto& a : o.axes) {
    if (a.values.empty()) throw std::invalid_argument("--vary " + a.path + ": no values");
    total *= a.values.size();
  }
  if (total > 100000) throw std::invalid_argument("expected at most 100000 configurations");
  for (std::size_t k = 0; k < total; ++k) {
    Config c;
    c.id = static_cast<int>(k);
    c.params = json::object();
    std::vector<std::string> ov = o.overrides;
    for (std::size_t d = 0; d < o.axes.size(); ++d) {
      const json& v = o.axes[d].values[idx[d]];
      c.overrides.push_back(o.axes[d].path + "=" + v.dump());
      c.params[o.axes[d].path] = v;
      ov.push_back(c.overrides.back());
    }
    const sim::Scenario sc = sim::load_scenario(o.scenario, ov);
    c.fixed = fixed_monthly_cost(read_cost(sc), sc);
    configs.push_back(std::move(c));
    for (std::size_t d = o.axes.size(); d-- > 0;) {
      if (++idx[d] < o.axes[d].values.size()) break;
      idx[d] = 0;
    }
  }
  std::vector<std::size_t> order(configs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return configs[a].fixed < configs[b].fixed; });

  BatchOptions batch = o.batch;
  batch.scenario = o.scenario;
  const std::size_t per_batch = static_cast<std::size_t>(std::max(1, batch.parallel / o.replications));
  std::optional<std::size_t> best;
  double best_total = 0;
  json best_cost;
  json evaluated = json::array();
  std::size_t next = 0;
  int counter = 0;
  std::string error;
  while (next < order.size()) {
    if (best && configs[order[next]].fixed > best_total) break;  // no cheaper configuration can remain
    std::vector<std::size_t> chunk;
    while (next < order.size() && chunk.size() < per_batch && !(best && configs[order[next]].fixed > best_total))
      chunk.push_back(order[next++]);
    std::vector<RunRequest> reqs;
    for (auto c : chunk)
      for (int r = 0; r < o.replications; ++r) {
        RunRequest q;
        q.overrides = o.overrides;
        q.overrides.insert(q.overrides.end(), configs[c].overrides.begin(), configs[c].overrides.end());
        q.seed = replication_seed(base.seed, r);
        q.name = "runs/config-" + std::to_string(configs[c].id) + "-r" + std::to_string(r) + "-" +
                 std::to_string(counter);
        reqs.push_back(std::move(q));
      }
    ++counter;
    const auto outcomes = run_batch(reqs, batch);
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      const Config& c = configs[chunk[k]];
      int passed = 0, completed = 0;
      std::vector<double> totals;
      std::vector<RunOutcome> runs;
      for (int r = 0; r < o.replications; ++r) {
        const RunOutcome& oc = outcomes[k * static_cast<std::size_t>(o.replications) + static_cast<std::size_t>(r)];
        runs.push_back(oc);
        if (!oc.completed()) {
          if (error.empty()) error = "a run exited with code " + std::to_string(oc.exit_code) + ": " + oc.error;
          continue;
        }
        ++completed;
        if (oc.verdict == "pass") ++passed;
        const auto kpis = flatten_kpis(oc.summary);
        totals.push_back(kpis.count("cost.monthly") ? kpis.at("cost.monthly") : 0.0);
      }
      const bool feasible = completed == o.replications && passed == completed;
      const double mean_total = estimate(totals).mean;
      json e = {{"config", c.id},       {"params", c.params},   {"fixed_monthly", c.fixed},
                {"passed", passed},     {"runs", o.replications}, {"feasible", feasible},
                {"monthly_mean", mean_total}};
      if (!feasible) {
        std::vector<std::string> ov = o.overrides;
        ov.insert(ov.end(), c.overrides.begin(), c.overrides.end());
        const sim::Scenario sc = sim::load_scenario(o.scenario, ov);
        e["binding_slo"] = binding_slo(slo_stats(sc, runs));
        const json b = bottlenecks(runs, 1);
        if (!b.empty()) e["bottleneck"] = b.at(0);
      }
      if (o.log)
        o.log("config " + std::to_string(c.id) + " (" + [&] {
          std::string s;
          for (auto it = c.params.begin(); it != c.params.end(); ++it)
            s += (s.empty() ? "" : ", ") + it.key() + "=" + it.value().dump();
          return s;
        }() + "): " + std::to_string(passed) + "/" + std::to_string(o.replications) + " pass, monthly " +
              fmt(mean_total));
      evaluated.push_back(e);
      if (feasible && (!best || mean_total < best_total || (mean_total == best_total && c.id < configs[*best].id))) {
        best = chunk[k];
        best_total = mean_total;
        // Mean cost by tier over the replications.
        json tiers = json::object();
        for (const auto& r : runs)
          if (r.summary.contains("cost"))
            for (auto it = r.summary["cost"]["by_tier"].begin(); it != r.summary["cost"]["by_tier"].end(); ++it)
              tiers[it.key()] = tiers.value(it.key(), 0.0) + it.value().get<double>() / o.replications;
        std::string currency = "EUR";
        if (runs.front().summary.contains("cost")) currency = runs.front().summary["cost"].value("currency", currency);
        best_cost = {{"currency", currency},
                     {"monthly", mean_total},
                     {"by_tier", tiers}};
      }
    }
  }
  json result = {{"mode", "minimize-cost"},
                 {"scenario", o.scenario},
                 {"replications", o.replications},
                 {"configurations", configs.size()},
                 {"evaluated", evaluated.size()},
                 {"pruned", configs.size() - evaluated.size()},
                 {"criterion", "every SLO holds in every replication; cost = mean monthly cost over replications"},
                 {"evaluations", evaluated}};
  json axes = json::array();
  for (const auto& a : o.axes) axes.push_back({{"path", a.path}, {"values", a.values}});
  result["axes"] = axes;
  if (!error.empty()) {
    result["status"] = "error";
    result["error"] = error;
  } else if (!best) {
    result["status"] = "none-pass";
  } else {
    result["status"] = "found";
    result["best"] = {{"config", configs[*best].id}, {"params", configs[*best].params}, {"cost", best_cost}};
  }
  return result;
}

std::string format_capacity(const json& r) {
  std::ostringstream o;
  const std::string status = r.value("status", "error");
  if (r.value("mode", "") == "minimize-cost") {
    o << "Cheapest configuration meeting every SLO (" << r.at("replications") << " replication(s) each; "
      << r.at("evaluated") << " of " << r.at("configurations") << " configurations simulated, " << r.at("pruned")
      << " pruned by fixed cost)\n\n";
    for (const auto& e : r.at("evaluations")) {
      std::string params;
      for (auto it = e.at("params").begin(); it != e.at("params").end(); ++it)
        params += (params.empty() ? "" : ", ") + it.key() + "=" + it.value().dump();
      char line[512];
      std::snprintf(line, sizeof line, "  config %-4d %-50s %s  %d/%d pass  monthly %10.2f\n", e.at("config").get<int>(),
                    params.c_str(), e.at("feasible").get<bool>() ? "OK  " : "FAIL", e.at("passed").get<int>(),
                    e.at("runs").get<int>(), e.at("monthly_mean").get<double>());
      o << line;
      if (e.contains("binding_slo") && !e.at("binding_slo").is_null())
        o << "              binding: " << e.at("binding_slo").value("slo", "") << " mean "
          << fmt(e.at("binding_slo").value("mean", 0.0))
          << (e.contains("bottleneck") ? "; busiest: " + e.at("bottleneck").value("resource", "") + " " +
                                             fmt(e.at("bottleneck").value("utilization", 0.0))
                                       : std::string())
          << "\n";
    }
    if (status == "found") {
      const json& b = r.at("best");
      o << "\nbest: config " << b.at("config") << ": ";
      for (auto it = b.at("params").begin(); it != b.at("params").end(); ++it) o << it.key() << "=" << it.value().dump() << " ";
      o << "\n  monthly cost " << fmt(b.at("cost").at("monthly").get<double>()) << " "
        << b.at("cost").at("currency").get<std::string>() << " (";
      bool first = true;
      for (auto it = b.at("cost").at("by_tier").begin(); it != b.at("cost").at("by_tier").end(); ++it) {
        o << (first ? "" : ", ") << it.key() << " " << fmt(it.value().get<double>());
        first = false;
      }
      o << ")\n";
    } else if (status == "none-pass") {
      o << "\nno configuration of the grid meets every SLO\n";
    } else {
      o << "\nerror: " << r.value("error", "") << "\n";
    }
    return o.str();
  }
  o << "Capacity search on " << r.at("path").get<std::string>() << " over [" << r.at("range").at(0).dump() << ", "
    << r.at("range").at(1).dump() << "], " << r.at("replications") << " replication(s) per value, tolerance "
    << fmt(r.at("tolerance").get<double>()) << "\n";
  o << "criterion: " << r.at("criterion").get<std::string>() << "\n\n";
  for (const auto& e : r.value("evaluations", json::array()))
    o << "  " << e.at("value").dump() << ": " << e.at("passed") << "/" << e.at("runs") << " pass"
      << (e.at("feasible").get<bool>() ? "" : "  FAIL") << "\n";
  o << "\n";
  if (status == "error") {
    o << "error: " << r.value("error", "") << "\n";
    return o.str();
  }
  if (status == "none-pass") o << "no value in the range meets every SLO (lowest value fails)\n";
  if (status == "all-pass") o << "every value in the range meets every SLO: capacity is at least " << r.at("capacity").dump() << "\n";
  if (status == "found")
    o << (r.value("direction", "largest") == "largest" ? "largest" : "smallest") << " value meeting every SLO: "
      << r.at("capacity").dump() << " (fails at " << r.at("first_failing").dump() << ")\n";
  if (r.contains("confidence")) {
    const json& c = r.at("confidence");
    o << "confidence: " << c.at("replications_passed") << "/" << c.at("replications")
      << " replications passed; with 95 % confidence a run at this value fails with probability <= "
      << fmt(c.at("failure_probability_upper_95").get<double>()) << "\n";
  }
  if (r.contains("at_capacity"))
    for (const auto& s : r.at("at_capacity").at("slo")) {
      o << "  at capacity: " << s.at("slo").get<std::string>() << " mean " << fmt(s.at("mean").get<double>());
      if (s.contains("ci95")) o << " [" << fmt(s["ci95"][0].get<double>()) << ", " << fmt(s["ci95"][1].get<double>()) << "]";
      if (s.contains("max")) o << " max " << fmt(s.at("max").get<double>());
      if (s.contains("min")) o << " min " << fmt(s.at("min").get<double>());
      o << "\n";
    }
  if (r.contains("binding_slo") && !r.at("binding_slo").is_null()) {
    const json& b = r.at("binding_slo");
    o << "binding SLO: " << b.at("slo").get<std::string>() << " (failed in " << b.at("failed") << "/" << b.at("runs")
      << " replications at " << r.at("first_failing").dump() << ", mean " << fmt(b.at("mean").get<double>()) << ")\n";
  }
  if (r.contains("bottleneck") && !r.at("bottleneck").is_null()) {
    const json& b = r.at("bottleneck");
    o << "bottleneck: " << b.at("resource").get<std::string>() << " (" << b.at("kind").get<std::string>()
      << ", utilization " << fmt(b.at("utilization").get<double>());
    if (b.contains("queue_peak")) o << ", queue peak " << fmt(b.at("queue_peak").get<double>());
    o << ")\n";
  }
  return o.str();
}

}  // namespace edgetwin::plan
