// twin/whatif.cpp — what-if requests, faulted forks of the calibrated scenario, drill reports, and
// the job worker running `edgetwin run` children.
#include "twin/whatif.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "models/core/units.hpp"
#include "twin/calibration.hpp"

namespace edgetwin::twin {

using nlohmann::json;

json WhatIfRequest::to_json() const {
  json j = {{"fail", target}, {"action", action}, {"for", duration_text(duration)}};
  if (at >= 0) j["at"] = duration_text(at);
  if (horizon > 0) j["horizon"] = duration_text(horizon);
  if (!params.is_null()) j["params"] = params;
  return j;
}

namespace {

double duration_field(const json& j, const char* key) {
  const auto& v = j.at(key);
  if (!v.is_string()) throw std::invalid_argument(std::string("\"") + key + "\": expected a duration like \"120s\"");
  const auto d = models::units::parse(models::units::Kind::duration, v.get<std::string>());
  if (!d || *d < 0)
    throw std::invalid_argument(std::string("\"") + key + "\": expected a duration like \"120s\", got \"" +
                                v.get<std::string>() + "\"");
  return *d;
}

}  // namespace

WhatIfRequest parse_whatif_request(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("a what-if request is a JSON object like {\"fail\": \"broker-2\", \"for\": \"120s\"}");
  static const std::vector<std::string> known = {"fail", "target", "action", "for", "at", "horizon", "params",
                                                 "response_topic", "correlation"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end())
      throw std::invalid_argument("unknown key \"" + it.key() + "\" in the what-if request");
  WhatIfRequest r;
  const char* tkey = j.contains("fail") ? "fail" : "target";
  if (!j.contains(tkey) || !j[tkey].is_string() || j[tkey].get<std::string>().empty())
    throw std::invalid_argument("\"fail\": expected the entity to fail, e.g. \"broker-2\"");
  r.target = j[tkey].get<std::string>();
  if (j.contains("action")) {
    if (!j["action"].is_string()) throw std::invalid_argument("\"action\": expected crash, degrade or partition");
    r.action = j["action"].get<std::string>();
    if (r.action != "crash" && r.action != "degrade" && r.action != "partition")
      throw std::invalid_argument("\"action\": expected crash, degrade or partition, got \"" + r.action + "\"");
  }
  if (j.contains("for")) r.duration = duration_field(j, "for");
  if (j.contains("at")) r.at = duration_field(j, "at");
  if (j.contains("horizon")) r.horizon = duration_field(j, "horizon");
  if (j.contains("params")) r.params = j["params"];
  return r;
}

std::string check_target(const sim::Scenario& sc, const std::string& target) {
  for (const auto& b : sc.brokers.names())
    if (b == target) return "";
  for (const auto& s : sc.sites) {
    for (const auto& g : s.gateways)
      if (g.name == target) return "";
    for (const auto& g : s.device_groups)
      if (g.name == target) return "";
    for (const auto& r : s.routers)
      if (r == target) return "";
  }
  for (const auto& l : sc.links)
    if (l.name == target || target.rfind(l.name + "/", 0) == 0) return "";
  for (const auto& n : sc.cloud_nodes)
    if (n.name == target) return "";
  if (sc.load_balancer.node.name == target) return "";
  for (const auto& s : sc.services)
    if (s.name == target) return "";
  return "no entity \"" + target + "\" in scenario " + sc.name + " (brokers are " +
         (sc.brokers.names().empty() ? std::string("none") : sc.brokers.names().front() + "...") + ")";
}

json faulted_scenario(const json& calibrated, const WhatIfRequest& r, double horizon) {
  json doc = calibrated;
  const double h = r.horizon > 0 ? r.horizon : horizon;
  const double at = r.at >= 0 ? r.at : h / 4;
  doc["duration"] = duration_text(std::max(h, at + r.duration + 1.0));
  json fault = {{"at", duration_text(at)}, {"target", r.target}, {"action", r.action}};
  if (r.duration > 0) fault["for"] = duration_text(r.duration);
  if (!r.params.is_null()) fault["params"] = r.params;
  doc["faults"] = json::array({fault});
  doc["name"] = doc.value("name", std::string("twin")) + "-whatif";
  return doc;
}

namespace {

json delta(double base, double faulted) { return {{"baseline", base}, {"faulted", faulted}, {"delta", faulted - base}}; }

json group_kpis(const json& g) {
  return {{"sent", g.value("sent", 0)},
          {"delivered", g.value("delivered", 0)},
          {"delivery_ratio", g.value("delivery_ratio", 0.0)},
          {"latency_p99", g.contains("latency") ? g["latency"].value("p99", 0.0) : 0.0}};
}

}  // namespace

json drill_report(const WhatIfRequest& request, const json& baseline, const json& faulted) {
  json report = {{"format", "edgetwin-drill"}, {"version", 1}, {"request", request.to_json()}};
  json base = json::object();
  if (baseline.is_object() && baseline.contains("groups"))
    for (auto it = baseline["groups"].begin(); it != baseline["groups"].end(); ++it) base[it.key()] = group_kpis(it.value());
  const json no_totals = json::object();
  const json& base_totals = baseline.is_object() && baseline.contains("totals") ? baseline["totals"] : no_totals;
  report["baseline"] = {{"groups", base}, {"delivery_ratio", base_totals.value("delivery_ratio", 0.0)}};
  if (!baseline.is_object() || !faulted.is_object() || !faulted.contains("groups") || !faulted.contains("totals"))
    return report;
  json groups = json::object();
  std::vector<std::pair<double, std::string>> ranked;
  for (auto it = faulted["groups"].begin(); it != faulted["groups"].end(); ++it) {
    const auto& f = it.value();
    const json b = baseline.contains("groups") && baseline["groups"].contains(it.key()) ? baseline["groups"][it.key()]
                                                                                         : json::object();
    const double bd = b.value("delivery_ratio", 0.0), fd = f.value("delivery_ratio", 0.0);
    groups[it.key()] = {
        {"delivery_ratio", delta(bd, fd)},
        {"delivered", delta(b.value("delivered", 0.0), f.value("delivered", 0.0))},
        {"lost", delta(b.contains("lost") ? b["lost"].value("total", 0.0) : 0.0, f.contains("lost") ? f["lost"].value("total", 0.0) : 0.0)},
        {"latency_p99", delta(b.contains("latency") ? b["latency"].value("p99", 0.0) : 0.0,
                              f.contains("latency") ? f["latency"].value("p99", 0.0) : 0.0)}};
    ranked.emplace_back(fd - bd, it.key());
  }
  std::sort(ranked.begin(), ranked.end());
  json order = json::array();
  for (const auto& [d, name] : ranked) order.push_back({{"group", name}, {"delivery_ratio_delta", d}});
  json nodes = json::object();
  if (faulted.contains("nodes"))
    for (auto it = faulted["nodes"].begin(); it != faulted["nodes"].end(); ++it) {
      const json b = baseline.contains("nodes") && baseline["nodes"].contains(it.key()) ? baseline["nodes"][it.key()]
                                                                                       : json::object();
      nodes[it.key()] = {{"utilization", delta(b.value("utilization", 0.0), it.value().value("utilization", 0.0))},
                         {"queue_peak", delta(b.value("queue_peak", 0.0), it.value().value("queue_peak", 0.0))}};
    }
  report["impact"] = {{"groups", groups},
                      {"nodes", nodes},
                      {"delivery_ratio", delta(base_totals.value("delivery_ratio", 0.0),
                                               faulted["totals"].value("delivery_ratio", 0.0))},
                      {"ranked", order}};
  return report;
}

JobRunner::JobRunner(std::string edgetwin, std::string work_dir, double timeout, std::function<void(JobResult)> done)
    : edgetwin_(std::move(edgetwin)), work_dir_(std::move(work_dir)), timeout_(timeout), done_(std::move(done)) {
  thread_ = std::thread([this] { loop(); });
}

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void JobRunner::submit(Job job) {
  {
    std::lock_guard<std::mutex> l(mu_);
    (job.kind == Job::Kind::predict ? running_predict_ : running_whatif_)++;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

std::size_t JobRunner::pending(Job::Kind kind) const {
  std::lock_guard<std::mutex> l(mu_);
  return kind == Job::Kind::predict ? running_predict_ : running_whatif_;
}

void JobRunner::loop() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    JobResult r;
    try {
      r = run(job);
    } catch (const std::exception& e) {
      r.kind = job.kind;
      r.id = job.id;
      r.status = "failed";
      r.report = {{"error", e.what()}};
      r.reply = job.reply;
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      (job.kind == Job::Kind::predict ? running_predict_ : running_whatif_)--;
    }
    done_(std::move(r));
  }
}

json JobRunner::run_scenario(const json& scenario, const std::string& dir, ChildResult& child) {
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/scenario.json";
  {
    std::ofstream out(file);
    out << scenario.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + file);
  }
  child = run_child({edgetwin_, "run", file, "--out", dir + "/results", "--quiet"}, dir + "/stdout.txt",
                    dir + "/stderr.txt", timeout_);
  // Exit 0 (SLOs held) and 1 (an SLO failed) both wrote a complete results folder.
  if (child.exit_code != 0 && child.exit_code != 1) return nullptr;
  // manifest.json is written last: a folder without it is not a complete run, whatever the exit code.
  if (!std::filesystem::exists(dir + "/results/manifest.json")) {
    child.stderr_text = dir + "/results has no manifest.json: the run's results are incomplete\n" + child.stderr_text;
    return nullptr;
  }
  std::ifstream in(dir + "/results/summary.json");
  json s = json::parse(in, nullptr, false);
  return s.is_discarded() ? json() : s;
}

namespace {
std::string first_line(const std::string& s) {
  const auto p = s.find('\n');
  return p == std::string::npos ? s : s.substr(0, p);
}
std::string child_error(const ChildResult& c) {
  if (c.timed_out) return "edgetwin run did not finish in time";
  if (c.exit_code < 0 || c.exit_code == 127) return "cannot execute edgetwin: " + first_line(c.stderr_text);
  return "edgetwin run exited with " + std::to_string(c.exit_code) + ": " + first_line(c.stderr_text);
}
}  // namespace

JobResult JobRunner::run(const Job& job) {
  JobResult r;
  r.kind = job.kind;
  r.id = job.id;
  r.reply = job.reply;
  const std::string dir = work_dir_ + "/job-" + std::to_string(job.id);
  ChildResult child;
  if (job.kind == Job::Kind::predict) {
    json s = run_scenario(job.scenario, dir, child);
    if (s.is_null()) {
      r.status = "failed";
      r.report = {{"error", child_error(child)}};
    } else {
      r.status = "ok";
      r.summary = std::move(s);
    }
    return r;
  }
  json base_doc = job.scenario;
  const double h = job.request.horizon > 0 ? job.request.horizon : job.horizon;
  base_doc["duration"] = faulted_scenario(job.scenario, job.request, job.horizon)["duration"];
  base_doc["name"] = base_doc.value("name", std::string("twin")) + "-baseline";
  (void)h;
  const json baseline = run_scenario(base_doc, dir + "/baseline", child);
  if (baseline.is_null()) {
    r.status = "failed";
    r.report = {{"error", "baseline run failed: " + child_error(child)}, {"request", job.request.to_json()}};
    return r;
  }
  ChildResult fchild;
  const json faulted = run_scenario(faulted_scenario(job.scenario, job.request, job.horizon), dir + "/faulted", fchild);
  r.report = drill_report(job.request, baseline, faulted);
  if (faulted.is_null()) {
    const bool refused = fchild.exit_code == 2 && fchild.stderr_text.find("/faults") != std::string::npos;
    r.status = refused ? "unsupported" : "failed";
    r.report["error"] = child_error(fchild);
    if (refused)
      r.report["message"] =
          "the edgetwin simulator in use does not execute fault scripts yet (broker-cluster failover models have "
          "not landed); the baseline prediction from the current calibrated state is included, the impact is not";
  } else {
    r.status = "ok";
    std::ifstream drill(dir + "/faulted/results/drill.json");
    if (drill) {
      json d = json::parse(drill, nullptr, false);
      if (!d.is_discarded()) r.report["drill"] = std::move(d);
    }
  }
  r.report["status"] = r.status;
  return r;
}

}  // namespace edgetwin::twin
