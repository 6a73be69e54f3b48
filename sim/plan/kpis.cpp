// sim/plan/kpis.cpp — summary.json to named KPIs (see kpis.hpp for the naming).
#include "sim/plan/kpis.hpp"

namespace edgetwin::plan {

using nlohmann::json;

namespace {

// Numbers anywhere below `obj` become "prefix.key.sub" (the object "lost" keeps its total as "lost").
// Configuration echoed in the summary (node speed and cores, link bandwidth and latency) is not a KPI.
void walk(const json& obj, const std::string& prefix, const std::string& scope, std::map<std::string, double>& out,
          bool skip_config = false) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (skip_config && (it.key() == "speed" || it.key() == "cores" || it.key() == "bandwidth" || it.key() == "latency"))
      continue;
    std::string name = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (name == "lost.total") name = "lost";
    if (name == "tiers" || name.rfind("tiers.", 0) == 0) name = "tier" + name.substr(5);
    if (it.value().is_object()) {
      walk(it.value(), name, scope, out);
    } else if (it.value().is_number()) {
      out[scope.empty() ? name : name + "[" + scope + "]"] = it.value().get<double>();
    }
  }
}

}  // namespace

std::map<std::string, double> flatten_kpis(const json& summary) {
  std::map<std::string, double> out;
  if (summary.contains("totals")) walk(summary.at("totals"), "", "", out);
  for (const char* section : {"groups", "nodes", "links", "applications"}) {
    if (!summary.contains(section)) continue;
    const bool config = std::string(section) == "nodes" || std::string(section) == "links";
    for (auto it = summary.at(section).begin(); it != summary.at(section).end(); ++it)
      walk(it.value(), "", it.key(), out, config);
  }
  if (summary.contains("cost")) {
    const json& c = summary.at("cost");
    if (c.contains("monthly_total")) out["cost.monthly"] = c.at("monthly_total").get<double>();
    if (c.contains("by_tier"))
      for (auto it = c.at("by_tier").begin(); it != c.at("by_tier").end(); ++it)
        out["cost." + it.key()] = it.value().get<double>();
  }
  if (summary.contains("slo") && !summary.at("slo").empty()) {
    int failed = 0;
    for (const auto& v : summary.at("slo"))
      if (!v.value("pass", false)) ++failed;
    out["slo.pass"] = failed == 0 ? 1.0 : 0.0;
    out["slo.failed"] = failed;
  }
  return out;
}

}  // namespace edgetwin::plan
