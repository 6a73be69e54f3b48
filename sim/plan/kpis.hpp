// sim/plan/kpis.hpp — one run's summary.json as a flat list of named KPIs, for sweeps and searches.
//
// Names follow the SLO convention metric[scope]: "latency.p99[plant-north/wearables]",
// "utilization[broker-1]", "loss_ratio" (whole system, no scope). Per group also "lost.<cause>",
// "tier.<tier>.<stat>"; per link "bytes"; with a cost model "cost.monthly" and "cost.<tier>";
// with SLOs "slo.pass" (1 when every SLO held) and "slo.failed" (how many failed).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace edgetwin::plan {

/// Every numeric KPI of a summary, sorted by name.
std::map<std::string, double> flatten_kpis(const nlohmann::json& summary);

}  // namespace edgetwin::plan
