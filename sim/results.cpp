// sim/results.cpp — summary, CSVs, manifest, SLO verdicts and the printed KPI table.
#include "sim/results.hpp"
#include "sim/data_services.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include <xbt/base.h>
#include <simgrid/version.h>

#include "models/core/rng.hpp"
#include "models/core/units.hpp"
#include "sim/topology.hpp"

namespace edgetwin::sim {

using nlohmann::json;

namespace {

json latency_json(const models::QuantileSketch& s) {
  return {{"count", s.count()}, {"mean", s.mean()},        {"p50", s.quantile(0.50)}, {"p95", s.quantile(0.95)},
          {"p99", s.quantile(0.99)}, {"max", s.max()},     {"min", s.min()}};
}

double ratio(std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

std::string num(double v) {
  // Shortest round-trip representation, as JSON writes it: CSVs and JSON agree to the bit.
  return json(v).dump();
}

/// The roll-up of several device groups (the whole run, or one tenant's groups).
json rollup(const std::vector<const GroupMetrics*>& gs, double window) {
  models::QuantileSketch latency;
  std::uint64_t devices = 0, sent = 0, expected = 0, delivered = 0, lost = 0, late = 0, unfinished = 0,
                unsubscribed = 0;
  for (const auto* g : gs) {
    latency.merge(g->latency);
    devices += g->devices;
    sent += g->sent;
    expected += g->expected;
    delivered += g->delivered;
    lost += g->lost_total();
    late += g->late;
    unfinished += g->unfinished;
    unsubscribed += g->unsubscribed;
  }
  return {{"devices", devices},
          {"sent", sent},
          {"expected_deliveries", expected},
          {"delivered", delivered},
          {"delivery_ratio", ratio(delivered, expected)},
          {"lost", lost},
          {"loss_ratio", ratio(lost, expected)},
          {"late", late},
          {"late_ratio", ratio(late, delivered)},
          {"unfinished", unfinished},
          {"unsubscribed", unsubscribed},
          {"throughput", static_cast<double>(delivered) / window},
          {"latency", latency_json(latency)}};
}

}  // namespace

json make_summary(const Scenario& sc, const RunMetrics& m) {
  json s;
  s["scenario"] = sc.name;
  s["seed"] = sc.seed;
  s["duration"] = sc.duration;
  s["warmup"] = sc.warmup;
  s["simulated_end"] = m.simulated_end;
  s["drained"] = m.drained;
  s["partial"] = m.partial;
  if (m.partial) s["stop_reason"] = m.stop_reason;
  const double window = sc.duration - sc.warmup;
  const bool has_saas = std::any_of(sc.services.begin(), sc.services.end(), [](const ServiceSpec& v) { return v.model == "saas"; });
  json groups = json::object();
  for (const auto& g : m.groups) {
    json lost_json = json::object();
    for (std::size_t c = 0; c < kLossCauses.size(); ++c) {
      // gateway_restart exists only with rollouts (results of scenarios without them are unchanged).
      if (c == static_cast<std::size_t>(LossCause::gateway_restart) && sc.rollouts.empty()) continue;
      // saas_throttled only where a saas service exists (earlier scenarios' summaries stay as they were)
      if (static_cast<LossCause>(c) == LossCause::saas_throttled && !has_saas) continue;
      lost_json[kLossCauses[c]] = g.lost[c];
    }
    lost_json["total"] = g.lost_total();
    json tiers = json::object();
    for (std::size_t k = 0; k < kTiers.size(); ++k) tiers[kTiers[k]] = latency_json(g.tiers[k]);
    groups[g.name] = {{"devices", g.devices},
                      {"tenant", g.tenant},
                      {"subscribers", g.fanout},
                      {"sent", g.sent},
                      {"expected_deliveries", g.expected},
                      {"delivered", g.delivered},
                      {"delivery_ratio", ratio(g.delivered, g.expected)},
                      {"loss_ratio", ratio(g.lost_total(), g.expected)},
                      {"lost", lost_json},
                      {"late", g.late},
                      {"late_ratio", ratio(g.late, g.delivered)},
                      {"unfinished", g.unfinished},
                      {"unsubscribed", g.unsubscribed},
                      {"duplicates", g.duplicates},
                      {"filtered", g.filtered},
                      {"throughput", static_cast<double>(g.delivered) / window},
                      {"latency", latency_json(g.latency)},
                      {"tiers", tiers},
                      {"access_model", g.access_model}};
    json& gj = groups[g.name];
    if (g.local_action.count() > 0) gj["local_action"] = latency_json(g.local_action);
    if (g.access_model != "generic") {
      const auto& r = g.radio;
      gj["radio"] = {{"transmissions", r.transmissions}, {"retransmissions", r.retransmissions},
                     {"extra_gateway_copies", r.extra_copies}, {"duplicates", r.duplicates},
                     {"acks", r.acks}, {"no_ack", r.no_ack}, {"deferrals", r.deferrals},
                     {"mean_deferral", r.deferrals ? r.deferral_time / static_cast<double>(r.deferrals) : 0.0}};
      if (!r.sf_histogram.empty()) {
        json h = json::object();
        for (std::size_t sf = 7; sf < r.sf_histogram.size(); ++sf)
          if (r.sf_histogram[sf]) h["SF" + std::to_string(sf)] = r.sf_histogram[sf];
        gj["radio"]["devices_per_sf"] = h;
        gj["radio"]["unreachable_devices"] = r.unreachable_devices;
      }
    }
    if (!g.energy.currents.empty()) {
      const auto& e = g.energy;
      const double per_day = 86400.0 / (e.window_s * static_cast<double>(g.devices));
      gj["energy"] = {{"average_current_ma", e.average_current_a * 1e3},
                      {"energy_per_day_j", e.energy_per_day_j},
                      {"battery_years", e.battery_years},
                      {"tx_s_per_day", e.tx_s * per_day},
                      {"rx_s_per_day", e.rx_s * per_day},
                      {"idle_s_per_day", e.idle_s * per_day},
                      {"currents", e.currents}};
    }
    if (g.commands.sent > 0) {
      const auto& c = g.commands;
      gj["commands"] = {{"sent", c.sent},
                        {"delivered", c.delivered},
                        {"expired", c.expired},
                        {"lost", c.lost},
                        {"unfinished", c.unfinished},
                        {"delivery_ratio", ratio(c.delivered, c.sent)},
                        {"latency", latency_json(c.latency)}};
    }
  }
  s["groups"] = groups;
  std::vector<const GroupMetrics*> every;
  for (const auto& g : m.groups) every.push_back(&g);
  s["totals"] = rollup(every, window);
  // Per tenant: its device groups together (and the services it owns), so a tenant's SLO can be
  // written and checked like a group's.
  std::map<std::string, std::vector<const GroupMetrics*>> by_tenant;
  for (const auto& g : m.groups)
    if (!g.tenant.empty()) by_tenant[g.tenant].push_back(&g);
  if (!by_tenant.empty()) {
    json tenants = json::object();
    for (const auto& [name, gs] : by_tenant) {
      json t = rollup(gs, window);
      std::uint64_t refused = 0;
      json group_names = json::array(), services = json::array();
      for (const auto* g : gs) {
        refused += g->lost[static_cast<std::size_t>(LossCause::tenant_quota)];
        group_names.push_back(g->name);
      }
      for (const auto& svc : sc.services)
        if (svc.tenant == name) services.push_back(svc.name);
      t["groups"] = group_names;
      t["services"] = services;
      t["refused_by_quota"] = refused;
      tenants[name] = t;
    }
    s["tenants"] = tenants;
  }
  json nodes = json::object();
  double max_util = 0;
  for (const auto& n : m.nodes) {
    const double util = m.simulated_end > 0 ? n.busy / (n.cores * m.simulated_end) : 0.0;
    max_util = std::max(max_util, util);
    nodes[n.name] = {{"kind", n.kind},         {"cores", n.cores},       {"speed", n.speed},
                     {"processed", n.processed}, {"dropped", n.dropped}, {"utilization", util},
                     {"queue_peak", n.queue_peak}};
  }
  s["nodes"] = nodes;
  json links = json::object();
  double max_link = 0;
  for (const auto& l : m.links) {
    const double util = m.simulated_end > 0 ? l.bytes / (l.bandwidth * m.simulated_end) : 0.0;
    max_link = std::max(max_link, util);
    links[l.name] = {{"bandwidth", l.bandwidth}, {"latency", l.latency}, {"bytes", l.bytes},
                     {"messages", l.messages},   {"utilization", util}};
  }
  s["links"] = links;
  s["totals"]["utilization"] = max_util;
  s["totals"]["queue_peak"] = 0;
  for (const auto& n : m.nodes)
    s["totals"]["queue_peak"] = std::max<std::uint64_t>(s["totals"]["queue_peak"].get<std::uint64_t>(), n.queue_peak);

  add_data_services_summary(sc, m, s);
  if (!m.alerts.empty()) {
    json alerts = json::object();
    for (std::size_t i = 0; i < m.alerts.size(); ++i) {
      const auto& a = m.alerts[i];
      const auto& r = sc.alerting.rules[i];
      json firings = json::array();
      for (const auto& [at, resolved] : a.firings)
        firings.push_back({{"at", at}, {"resolved", resolved < 0 ? json(nullptr) : json(resolved)}});
      alerts[a.name] = {{"metric", r.metric}, {"scope", r.scope}, {"fired", a.firings.size()}, {"firings", firings}};
    }
    s["alerts"] = alerts;
  }
  if (!m.apps.empty()) {
    // Applications: response time from frame creation to the response at the device, and where it goes.
    json apps = json::object();
    for (std::size_t i = 0; i < m.apps.size(); ++i) {
      const AppMetrics& a = m.apps[i];
      const ApplicationSpec& spec = sc.applications[i];
      json stages = json::array();
      for (const auto& st : spec.stages) stages.push_back(st.name + "@" + st.placement);
      json breakdown = json::object();
      for (std::size_t k = 0; k < kAppSegments.size(); ++k)
        breakdown[kAppSegments[k]] = a.responses ? a.segment_sum[k] / static_cast<double>(a.responses) : 0.0;
      const std::uint64_t missing = a.frames - std::min(a.frames, a.responses + a.unfinished);
      apps[a.name] = {{"group", spec.group},
                      {"service", spec.service},
                      {"stages", stages},
                      {"frames", a.frames},
                      {"responses", a.responses},
                      {"delivery_ratio", ratio(a.responses, a.frames)},
                      {"no_response", missing},
                      {"unfinished", a.unfinished},
                      {"latency_budget", spec.latency_budget},
                      {"late", a.late},
                      {"late_ratio", ratio(a.late, a.responses)},
                      {"latency", latency_json(a.latency)},
                      {"breakdown", breakdown}};
    }
    s["applications"] = apps;
  }
  const auto verdicts = evaluate_slos(sc, s);
  json slo = json::array();
  bool pass = true;
  for (const auto& v : verdicts) {
    slo.push_back({{"slo", v.text}, {"metric", v.metric}, {"scope", v.scope}, {"value", v.value},
                   {"bound", v.bound}, {"pass", v.pass}});
    pass = pass && v.pass;
  }
  s["slo"] = slo;
  if (!m.faults.empty()) s["faults"] = drill_json(m)["faults"];
  if (!m.rollouts.empty()) s["rollouts"] = rollouts_json(m);
  if (!m.platform_services.empty()) {
    json ps = json::object();
    for (const auto& p : m.platform_services) {
      json j = {{"model", p.model}};
      if (p.model == "paas") {
        json ev = json::array(), pods = json::array();
        for (const auto& e : p.scale_events) ev.push_back({{"time", e.time}, {"from", e.from}, {"to", e.to}});
        for (const auto& e : p.pod_events)
          pods.push_back({{"time", e.time}, {"event", e.what}, {"pod", e.pod}, {"node", e.node}});
        j["replicas"] = {{"min", p.replicas_min}, {"max", p.replicas_max}, {"final", p.replicas_final}};
        j["scale_events"] = ev;
        j["evictions"] = p.evictions;
        j["pending_peak"] = p.pending_peak;
        j["node_failure"] = {{"lost_qos0", p.dead_endpoint_qos0},
                             {"held_qos1", p.dead_endpoint_qos1},
                             {"redelivered_qos1", p.redelivered_qos1}};
        j["pod_events"] = pods;
      } else {
        j["throttled"] = p.throttled;
      }
      ps[p.name] = j;
    }
    s["platform_services"] = ps;
  }
  // A run stopped early (time limit, interrupt) has no verdict: its SLO values cover only [0, simulated_end].
  s["verdict"] = m.partial ? "partial" : verdicts.empty() ? "no-slo" : (pass ? "pass" : "fail");
  return s;
}

std::vector<SloVerdict> evaluate_slos(const Scenario& sc, const json& summary) {
  std::vector<SloVerdict> out;
  for (const auto& slo : sc.slos) {
    SloVerdict v;
    v.text = slo.text;
    v.metric = slo.metric;
    v.scope = slo.scope;
    const json* scope = &summary.at("totals");
    if (!slo.scope.empty()) {
      if (summary.at("groups").contains(slo.scope))
        scope = &summary.at("groups").at(slo.scope);
      else if (summary.contains("tenants") && summary.at("tenants").contains(slo.scope))
        scope = &summary.at("tenants").at(slo.scope);
      else if (summary.at("nodes").contains(slo.scope))
        scope = &summary.at("nodes").at(slo.scope);
      else if (summary.at("links").contains(slo.scope))
        scope = &summary.at("links").at(slo.scope);
      else if (summary.contains("storage") && summary.at("storage").contains(slo.scope))
        scope = &summary.at("storage").at(slo.scope);
      else if (summary.contains("batch_jobs") && summary.at("batch_jobs").contains(slo.scope))
        scope = &summary.at("batch_jobs").at(slo.scope);
      else if (summary.contains("applications") && summary.at("applications").contains(slo.scope))
        scope = &summary.at("applications").at(slo.scope);
    }
    const json* value = nullptr;
    if (slo.metric.rfind("command_latency.", 0) == 0) {
      if (scope->contains("commands")) value = &scope->at("commands").at("latency").at(slo.metric.substr(16));
    } else if (slo.metric == "command_delivery_ratio") {
      if (scope->contains("commands")) value = &scope->at("commands").at("delivery_ratio");
    } else if (slo.metric == "battery_years") {
      if (scope->contains("energy")) value = &scope->at("energy").at("battery_years");
    } else if (slo.metric.rfind("write_latency.", 0) == 0) {
      if (scope->contains("write_latency")) value = &scope->at("write_latency").at(slo.metric.substr(14));
    } else if (slo.metric.rfind("latency.", 0) == 0) {
      if (scope->contains("latency")) value = &scope->at("latency").at(slo.metric.substr(8));
    } else if (slo.metric == "lost") {
      if (scope->contains("lost")) value = scope->at("lost").is_object() ? &scope->at("lost").at("total") : &scope->at("lost");
    } else if (scope->contains(slo.metric)) {
      value = &scope->at(slo.metric);
    }
    if (!value) {
      v.pass = false;
      v.bound = "metric not available for this scope";
      out.push_back(v);
      continue;
    }
    v.value = value->get<double>();
    std::ostringstream b;
    b << std::setprecision(6);
    if (slo.max) {
      b << "max " << *slo.max;
      v.pass = v.pass && v.value <= *slo.max;
    }
    if (slo.min) {
      b << (slo.max ? ", " : "") << "min " << *slo.min;
      v.pass = v.pass && v.value >= *slo.min;
    }
    v.bound = b.str();
    out.push_back(v);
  }
  return out;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(path + ": write failed: " + err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": cannot flush: " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": cannot rename into place: " + err);
  }
}

json rollouts_json(const RunMetrics& m) {
  json out = json::array();
  auto opt = [](double v) { return v < 0 ? json(nullptr) : json(v); };
  for (const auto& r : m.rollouts) {
    json gws = json::array();
    double total_bytes = 0, downtime_sum = 0, downtime_max = 0;
    std::uint64_t buffered = 0, lost = 0, completed = 0;
    for (const auto& g : r.gateways) {
      const bool done = g.down_end >= 0;
      const double downtime = done ? g.down_end - g.down_start : -1;
      if (done) {
        ++completed;
        downtime_sum += downtime;
        downtime_max = std::max(downtime_max, downtime);
      }
      total_bytes += g.bytes;
      buffered += g.buffered;
      lost += g.lost;
      gws.push_back({{"gateway", g.name},
                     {"pull_start", opt(g.pull_start)},
                     {"pull_end", opt(g.pull_end)},
                     {"pull_s", g.pull_end >= 0 ? json(g.pull_end - g.pull_start) : json(nullptr)},
                     {"down_start", opt(g.down_start)},
                     {"down_end", opt(g.down_end)},
                     {"downtime_s", opt(downtime)},
                     {"bytes_pulled", g.bytes},
                     {"messages_buffered", g.buffered},
                     {"messages_lost", g.lost}});
    }
    json links = json::object();
    for (const auto& [name, b] : r.link_bytes) links[name] = b;
    out.push_back({{"name", r.name},
                   {"at", r.at},
                   {"max_unavailable", r.max_unavailable},
                   {"gateways_total", r.gateways.size()},
                   {"gateways_updated", completed},
                   {"end", opt(r.end)},
                   {"total_time_s", r.end < 0 ? json(nullptr) : json(r.end - r.at)},
                   {"pull_bytes_per_gateway", r.pull_bytes_per_gateway},
                   {"backhaul_bytes", total_bytes},
                   {"link_bytes", links},
                   {"downtime_s", {{"total", downtime_sum},
                                   {"mean", completed ? downtime_sum / static_cast<double>(completed) : 0.0},
                                   {"max", downtime_max}}},
                   {"messages_buffered", buffered},
                   {"messages_lost", lost},
                   {"gateways", gws}});
  }
  return out;
}

json drill_json(const RunMetrics& m) {
  json faults = json::array();
  for (const auto& f : m.faults) {
    auto opt = [](double v) { return v < 0 ? json(nullptr) : json(v); };
    faults.push_back({{"target", f.target},
                      {"action", f.action},
                      {"at", f.at},
                      {"for", f.duration},
                      {"detection_s", opt(f.detection_s)},
                      {"lb_removal_s", opt(f.lb_removal_s)},
                      {"sessions_affected", f.sessions_affected},
                      {"reconnected", f.reconnected},
                      {"first_reconnect_s", opt(f.first_reconnect_s)},
                      {"last_reconnect_s", opt(f.last_reconnect_s)},
                      {"recovery_s", opt(f.recovery_s)},
                      {"lost", {{"qos0", f.lost_qos0}, {"qos1", f.lost_qos1}}},
                      {"late", f.late},
                      {"peak_backlog", {{"messages", f.peak_backlog_messages}, {"bytes", f.peak_backlog_bytes}}},
                      {"sessions", {{"taken_over", f.takeovers},
                                    {"subscribers_rehomed", f.subscribers_rehomed},
                                    {"queued_for_offline_subscribers", f.queued_offline},
                                    {"peak_offline_queue", f.peak_offline_queue}}},
                      {"slo_breach_window_s",
                       f.breach_start < 0 ? json(nullptr) : json({f.breach_start, f.breach_end})}});
    if (!m.alerts.empty()) {  // alerting rules: the fault's time to alert
      faults.back()["alert"] = f.alert.empty() ? json(nullptr) : json(f.alert);
      faults.back()["time_to_alert_s"] = opt(f.alert_s);
    }
  }
  json d = {{"faults", faults}};
  if (!m.rollouts.empty()) d["rollouts"] = rollouts_json(m);
  return d;
}

json topology_json(const Scenario& sc) {
  const Topology topo(sc);
  const auto& g = topo.graph();
  // Tier index for layout: devices 0, gateways 1, routers 2, load balancer 3, brokers 4, cloud 5.
  const std::map<std::string, int> tier = {{"device_group", 0}, {"gateway", 1},   {"router", 2},
                                           {"load_balancer", 3}, {"broker", 4}, {"cloud_node", 5}};
  json vertices = json::array();
  for (std::size_t v = 0; v < boost::num_vertices(g); ++v) {
    json x = {{"name", g[v].name}, {"kind", g[v].kind}, {"tier", tier.at(g[v].kind)}};
    if (g[v].kind == "device_group") x["count"] = sc.find_group(g[v].name)->count;
    vertices.push_back(x);
  }
  json edges = json::array();
  for (const auto& l : sc.links)
    edges.push_back({{"kind", "link"}, {"name", l.name}, {"a", l.a}, {"b", l.b}, {"bandwidth", l.bandwidth},
                     {"latency", l.latency}});
  for (const auto& site : sc.sites)
    for (const auto& grp : site.device_groups)
      for (const auto& gw : grp.gateways)
        edges.push_back({{"kind", "access"}, {"name", grp.name + "->" + gw}, {"a", grp.name}, {"b", gw},
                         {"bandwidth", grp.access.bandwidth}, {"latency", grp.access.latency}});
  json services = json::array();
  for (const auto& s : sc.services)
    services.push_back({{"name", s.name}, {"node", s.node}, {"subscribe", s.subscribe}});
  return {{"vertices", vertices}, {"edges", edges}, {"services", services}};
}

void invalidate_results(const std::string& dir) {
  std::error_code ec;
  const auto manifest = std::filesystem::path(dir) / "manifest.json";
  if (std::filesystem::remove(manifest, ec); ec && ec != std::errc::no_such_file_or_directory)
    throw std::runtime_error(manifest.string() + ": cannot remove the previous manifest: " + ec.message());
}

json write_results(const std::string& dir, const Scenario& sc, const RunMetrics& m, const RunInfo& info) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the results folder: " + ec.message());
  // An older manifest would vouch for files being replaced: remove it first, write it last.
  fs::remove(fs::path(dir) / "manifest.json", ec);

  const json summary = make_summary(sc, m);
  write_file_atomically((fs::path(dir) / "summary.json").string(), summary.dump(2) + "\n");

  std::ostringstream groups;
  groups << "group,devices,sent,expected_deliveries,delivered,delivery_ratio,lost,late,unfinished,unsubscribed,"
            "latency_mean,latency_p50,latency_p95,latency_p99,latency_max";
  for (const auto* t : kTiers) groups << ",tier_" << t << "_mean,tier_" << t << "_p99";
  groups << "\n";
  for (const auto& g : m.groups) {
    groups << g.name << "," << g.devices << "," << g.sent << "," << g.expected << "," << g.delivered << ","
           << num(ratio(g.delivered, g.expected)) << "," << g.lost_total() << "," << g.late << "," << g.unfinished
           << "," << g.unsubscribed << "," << num(g.latency.mean()) << "," << num(g.latency.quantile(0.5)) << ","
           << num(g.latency.quantile(0.95)) << "," << num(g.latency.quantile(0.99)) << "," << num(g.latency.max());
    for (std::size_t k = 0; k < kTiers.size(); ++k)
      groups << "," << num(g.tiers[k].mean()) << "," << num(g.tiers[k].quantile(0.99));
    groups << "\n";
  }
  write_file_atomically((fs::path(dir) / "groups.csv").string(), groups.str());

  std::ostringstream nodes;
  nodes << "node,kind,cores,speed,processed,dropped,utilization,queue_peak\n";
  for (const auto& n : m.nodes)
    nodes << n.name << "," << n.kind << "," << n.cores << "," << num(n.speed) << "," << n.processed << ","
          << n.dropped << "," << num(m.simulated_end > 0 ? n.busy / (n.cores * m.simulated_end) : 0.0) << ","
          << n.queue_peak << "\n";
  write_file_atomically((fs::path(dir) / "nodes.csv").string(), nodes.str());

  std::ostringstream links;
  links << "link,bandwidth,latency,bytes,messages,utilization\n";
  for (const auto& l : m.links)
    links << l.name << "," << num(l.bandwidth) << "," << num(l.latency) << "," << num(l.bytes) << "," << l.messages
          << "," << num(m.simulated_end > 0 ? l.bytes / (l.bandwidth * m.simulated_end) : 0.0) << "\n";
  write_file_atomically((fs::path(dir) / "links.csv").string(), links.str());

  // Long format: one row per (interval, entity, metric); intervals past the simulated end are omitted.
  std::ostringstream ts;
  ts << "time,entity,metric,value\n";
  const std::size_t n_iv =
      std::min<std::size_t>(m.groups.empty() ? 0 : m.groups[0].series.size(),
                            static_cast<std::size_t>(std::ceil(m.simulated_end / m.interval)));
  for (std::size_t i = 0; i < n_iv; ++i) {
    const double t0 = static_cast<double>(i) * m.interval;
    const double len = std::min(m.interval, m.simulated_end - t0);
    for (const auto& g : m.groups) {
      const auto& c = g.series[i];
      ts << num(t0) << "," << g.name << ",sent," << c.sent << "\n";
      ts << num(t0) << "," << g.name << ",delivered," << c.delivered << "\n";
      ts << num(t0) << "," << g.name << ",lost," << c.lost << "\n";
      ts << num(t0) << "," << g.name << ",latency_mean," << num(c.delivered ? c.latency_sum / c.delivered : 0.0)
         << "\n";
      ts << num(t0) << "," << g.name << ",latency_max," << num(c.latency_max) << "\n";
    }
    for (const auto& n : m.nodes) {
      ts << num(t0) << "," << n.name << ",utilization," << num(len > 0 ? n.busy_series[i] / (n.cores * len) : 0.0)
         << "\n";
      ts << num(t0) << "," << n.name << ",queue_peak," << n.queue_series[i] << "\n";
    }
    for (const auto& a : m.apps) {
      const auto& c = a.series[i];
      ts << num(t0) << "," << a.name << ",frames," << c.sent << "\n";
      ts << num(t0) << "," << a.name << ",responses," << c.delivered << "\n";
      ts << num(t0) << "," << a.name << ",response_latency_mean,"
         << num(c.delivered ? c.latency_sum / c.delivered : 0.0) << "\n";
      ts << num(t0) << "," << a.name << ",response_latency_max," << num(c.latency_max) << "\n";
    }
    for (const auto& p : m.platform_services)
      if (p.model == "paas") {
        ts << num(t0) << "," << p.name << ",replicas," << p.ready_series[i] << "\n";
        ts << num(t0) << "," << p.name << ",desired_replicas," << p.desired_series[i] << "\n";
        ts << num(t0) << "," << p.name << ",pending_pods," << p.pending_series[i] << "\n";
      }
    for (const auto& l : m.links)
      ts << num(t0) << "," << l.name << ",utilization," << num(len > 0 ? l.bytes_series[i] / (l.bandwidth * len) : 0.0)
         << "\n";
    // Data services (only when the scenario has them): bytes written to a store's disks (all
    // copies), log bytes indexed, whether an alert was firing during the interval.
    for (const auto& st : m.storage)
      if (i < st.disk_bytes_series.size()) ts << num(t0) << "," << st.name << ",disk_bytes," << num(st.disk_bytes_series[i]) << "\n";
    if (m.logging.enabled && i < m.logging.bytes_series.size())
      ts << num(t0) << ",logging,indexed_bytes," << num(m.logging.bytes_series[i]) << "\n";
    for (const auto& a : m.alerts) {
      const double t1 = t0 + m.interval;
      int firing = 0;
      for (const auto& [at, resolved] : a.firings)
        if (at < t1 && (resolved < 0 || resolved > t0)) firing = 1;
      ts << num(t0) << "," << a.name << ",firing," << firing << "\n";
    }
  }
  write_file_atomically((fs::path(dir) / "timeseries.csv").string(), ts.str());

  write_file_atomically((fs::path(dir) / "topology.json").string(), topology_json(sc).dump(2) + "\n");
  std::vector<std::string> files = {"summary.json", "groups.csv",     "nodes.csv",
                                    "links.csv",    "timeseries.csv", "topology.json"};
  if (!m.faults.empty()) {
    write_file_atomically((fs::path(dir) / "drill.json").string(), drill_json(m).dump(2) + "\n");
    files.push_back("drill.json");
  }
  if (sc.outputs.trace) {
    std::ostringstream tr;
    tr << "group,device,service,broker,t_created,t_gateway_in,t_gateway_out,t_broker_in,t_broker_out,t_consumed,"
          "latency\n";
    tr << std::setprecision(17);
    for (const auto& r : m.trace) {
      tr << m.groups[r.group].name << "," << r.device << "," << m.services[r.service] << "," << (r.broker + 1);
      for (double t : r.t) tr << "," << num(t);
      tr << "," << num(r.t[5] - r.t[0]) << "\n";
    }
    write_file_atomically((fs::path(dir) / "messages.csv").string(), tr.str());
    files.push_back("messages.csv");
  }

  json manifest = {{"format", "edgetwin-results-v1"},
                   {"edgetwin_version", EDGETWIN_VERSION},
                   {"simgrid_version", std::to_string(SIMGRID_VERSION_MAJOR) + "." +
                                           std::to_string(SIMGRID_VERSION_MINOR)},
                   {"scenario", sc.name},
                   {"scenario_file", sc.file},
                   {"scenario_hash", "fnv1a64:" + [&] {
                      char b[17];
                      std::snprintf(b, sizeof b, "%016llx",
                                    static_cast<unsigned long long>(models::fnv1a64(sc.canonical_json)));
                      return std::string(b);
                    }()},
                   {"seed", sc.seed},
                   {"overrides", info.overrides},
                   {"network_model", sc.engine.network_model},
                   {"simulated_end", m.simulated_end},
                   {"events", m.events},
                   {"wall_time_s", info.wall_seconds},
                   {"peak_rss_kib", info.peak_rss_kib},
                   {"partial", info.partial},
                   {"files", files}};
  write_file_atomically((fs::path(dir) / "manifest.json").string(), manifest.dump(2) + "\n");
  return summary;
}

void print_kpi_table(std::ostream& out, const json& s) {
  auto ms = [](double sec) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", sec * 1e3);
    return std::string(b);
  };
  char line[512];
  out << "Scenario " << s.at("scenario").get<std::string>() << " (seed " << s.at("seed") << ", "
      << models::units::format_duration(s.at("duration").get<double>()) << " simulated)\n\n";
  if (s.value("partial", false))
    out << "PARTIAL RESULTS: stopped (" << s.value("stop_reason", std::string("?")) << ") at simulated "
        << models::units::format_duration(s.at("simulated_end").get<double>()) << "; no verdict\n\n";
  std::snprintf(line, sizeof line, "%-28s %9s %10s %10s %9s %8s %9s %9s %9s %9s\n", "device group", "devices", "sent",
                "delivered", "ratio", "lost", "p50 ms", "p95 ms", "p99 ms", "max ms");
  out << line;
  auto row = [&](const std::string& name, const json& g) {
    std::snprintf(line, sizeof line, "%-28s %9llu %10llu %10llu %9.5f %8llu %9s %9s %9s %9s\n", name.c_str(),
                  static_cast<unsigned long long>(g.at("devices").get<std::uint64_t>()),
                  static_cast<unsigned long long>(g.at("sent").get<std::uint64_t>()),
                  static_cast<unsigned long long>(g.at("delivered").get<std::uint64_t>()),
                  g.at("delivery_ratio").get<double>(),
                  static_cast<unsigned long long>(g.at("lost").is_object() ? g.at("lost").at("total").get<std::uint64_t>()
                                                                           : g.at("lost").get<std::uint64_t>()),
                  ms(g.at("latency").at("p50")).c_str(), ms(g.at("latency").at("p95")).c_str(),
                  ms(g.at("latency").at("p99")).c_str(), ms(g.at("latency").at("max")).c_str());
    out << line;
  };
  for (auto it = s.at("groups").begin(); it != s.at("groups").end(); ++it) row(it.key(), it.value());
  row("all", s.at("totals"));

  out << "\nlatency by tier, mean ms (p99 ms)\n";
  std::snprintf(line, sizeof line, "%-28s", "device group");
  out << line;
  for (const auto* t : kTiers) {
    std::snprintf(line, sizeof line, " %18s", t);
    out << line;
  }
  out << "\n";
  for (auto it = s.at("groups").begin(); it != s.at("groups").end(); ++it) {
    std::snprintf(line, sizeof line, "%-28s", it.key().c_str());
    out << line;
    for (const auto* t : kTiers) {
      const auto& tier = it.value().at("tiers").at(t);
      std::snprintf(line, sizeof line, " %8s (%8s)", ms(tier.at("mean")).c_str(), ms(tier.at("p99")).c_str());
      out << line;
    }
    out << "\n";
  }

  if (s.contains("applications")) {
    out << "\napplications: response time (frame created -> response at the device), mean ms by segment\n";
    for (auto it = s.at("applications").begin(); it != s.at("applications").end(); ++it) {
      const auto& a = it.value();
      std::snprintf(line, sizeof line, "%-28s responses %llu/%llu, p50 %s ms, p99 %s ms, late %llu\n", it.key().c_str(),
                    static_cast<unsigned long long>(a.at("responses").get<std::uint64_t>()),
                    static_cast<unsigned long long>(a.at("frames").get<std::uint64_t>()),
                    ms(a.at("latency").at("p50")).c_str(), ms(a.at("latency").at("p99")).c_str(),
                    static_cast<unsigned long long>(a.at("late").get<std::uint64_t>()));
      out << line << "  ";
      for (const auto* seg : kAppSegments) out << " " << seg << " " << ms(a.at("breakdown").at(seg));
      out << "\n";
    }
  }

  out << "\nnodes by utilization\n";
  std::vector<std::pair<double, std::string>> nodes;
  for (auto it = s.at("nodes").begin(); it != s.at("nodes").end(); ++it)
    nodes.emplace_back(-it.value().at("utilization").get<double>(), it.key());
  std::sort(nodes.begin(), nodes.end());
  std::snprintf(line, sizeof line, "%-28s %-14s %6s %12s %8s %11s\n", "node", "kind", "cores", "processed", "util",
                "queue peak");
  out << line;
  for (std::size_t i = 0; i < nodes.size() && i < 12; ++i) {
    const auto& n = s.at("nodes").at(nodes[i].second);
    std::snprintf(line, sizeof line, "%-28s %-14s %6d %12llu %7.1f%% %11llu\n", nodes[i].second.c_str(),
                  n.at("kind").get<std::string>().c_str(), n.at("cores").get<int>(),
                  static_cast<unsigned long long>(n.at("processed").get<std::uint64_t>()),
                  100.0 * n.at("utilization").get<double>(),
                  static_cast<unsigned long long>(n.at("queue_peak").get<std::uint64_t>()));
    out << line;
  }
  if (!s.at("slo").empty()) {
    out << "\nSLOs\n";
    for (const auto& v : s.at("slo")) {
      std::snprintf(line, sizeof line, "  %-4s %-40s value %-12.6g %s\n", v.at("pass").get<bool>() ? "PASS" : "FAIL",
                    v.at("slo").get<std::string>().c_str(), v.at("value").get<double>(),
                    v.at("bound").get<std::string>().c_str());
      out << line;
    }
  }
}

}  // namespace edgetwin::sim
