// sim/plan/cost.hpp — the scenario's optional `cost` object: prices as scenario parameters, and the
// monthly cost of a configuration broken down by tier (access, gateway, backhaul, broker, cloud).
//
// The loader keeps `cost` verbatim (Scenario::cost); it is validated here, with JSON pointers under
// "/cost", by the commands that use it (run, validate, sweep, capacity). Fixed prices (per vCPU-hour,
// per GB-month of storage, per node per month, per device per month) need only the scenario; usage
// prices (per GB of backhaul or egress, per million broker messages) need a run's summary, whose
// rates are scaled to a month.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"
#include "sim/spec.hpp"

namespace edgetwin::plan {

/// Prices of one kind of node (gateway, load_balancer, broker, cloud_node).
struct NodePrice {
  double per_month = 0;   // per node per month (lease, management, licence)
  double vcpu_hour = 0;   // per core per hour
  double gb_month = 0;    // per GB of storage per month
  double storage_gb = 0;  // GB of storage provisioned per node
};

struct CostModel {
  bool present = false;
  std::string currency = "EUR";
  double hours_per_month = 730;
  std::map<std::string, NodePrice> nodes;  // by node kind
  double backhaul_per_gb = 0;
  std::vector<std::string> backhaul_links;  // link names as in the summary (brokers links expanded)
  double egress_per_gb = 0;
  std::vector<std::string> egress_links;
  bool saas_broker = false;
  double saas_per_million_messages = 0;
  double cellular_per_device_month = 0;
  std::vector<std::string> cellular_groups;
};

/// The declared spec of the `cost` object (for docs and validation).
const sim::ObjectSpec& cost_spec();

/// Validates `sc.cost` against the spec and the scenario (link and group names); throws
/// sim::ScenarioError with a pointer under "/cost". An absent cost gives `present == false`.
CostModel read_cost(const sim::Scenario& sc);

/// Monthly cost: {"currency", "monthly_total", "by_tier": {tier: amount}, "items": [...]}. Without
/// a summary, usage-based items count zero (what `fixed_monthly_cost` returns).
nlohmann::json monthly_cost(const CostModel& model, const sim::Scenario& sc,
                            const nlohmann::json& summary = nullptr);

/// The part of the monthly cost that does not depend on traffic (a lower bound of the total).
double fixed_monthly_cost(const CostModel& model, const sim::Scenario& sc);

/// Markdown reference of the cost object (one table per nested object).
std::string cost_markdown_reference();

}  // namespace edgetwin::plan
