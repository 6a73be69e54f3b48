// sim/plan/cost.cpp — the cost object's spec, its validation and the monthly cost by tier.
#include "sim/plan/cost.hpp"

#include <algorithm>
#include <set>

#include "sim/topology.hpp"

namespace edgetwin::plan {

using nlohmann::json;
using sim::FieldSpec;
using sim::FieldType;
using sim::ObjectReader;
using sim::ObjectSpec;
using sim::ScenarioError;

namespace {

FieldSpec number(std::string name, std::string help, json def = 0) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::number;
  f.help = std::move(help);
  f.default_value = std::move(def);
  f.minimum = 0.0;
  return f;
}
FieldSpec field(std::string name, FieldType type, std::string help, json def = nullptr) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.help = std::move(help);
  f.default_value = std::move(def);
  return f;
}
FieldSpec object(std::string name, const ObjectSpec* spec, std::string help) {
  FieldSpec f = field(std::move(name), FieldType::object, std::move(help));
  f.object = spec;
  return f;
}

constexpr const char* kNodeKinds[] = {"gateway", "load_balancer", "broker", "cloud_node"};

struct Specs {
  ObjectSpec node{"node price", "prices of one kind of node; each node of that kind costs per_month + "
                                "vcpu_hour x cores x hours_per_month + gb_month x storage",
                  {}};
  ObjectSpec traffic{"traffic price", "a price per GB carried by the listed links", {}};
  ObjectSpec saas{"SaaS broker", "a managed MQTT broker billed per message instead of the broker nodes", {}};
  ObjectSpec cellular{"cellular plans", "cellular data plans, per device per month", {}};
  ObjectSpec root{"cost", "prices: the summary reports the configuration's monthly cost by tier", {}};

  Specs() {
    FieldSpec storage = field("storage", FieldType::quantity, "storage provisioned per node", "0GB");
    storage.unit = models::units::Kind::data_size;
    storage.minimum = 0.0;
    node.fields = {number("per_month", "fixed price per node per month (lease, management, licence)"),
                   number("vcpu_hour", "price per core per hour"),
                   number("gb_month", "price per GB of storage per month"), storage};
    FieldSpec links = field("links", FieldType::string_array,
                            "link names (a link to \"brokers\" by its name covers every broker's copy)");
    traffic.fields = {number("per_gb", "price per GB (10^9 bytes) carried"), links};
    FieldSpec per_million = number("per_million_messages", "price per million messages (PUBLISH in + deliveries out)");
    per_million.required = true;
    per_million.default_value = nullptr;
    saas.fields = {per_million};
    FieldSpec per_device = number("per_device_month", "price of one device's data plan per month");
    per_device.required = true;
    per_device.default_value = nullptr;
    FieldSpec groups = field("groups", FieldType::string_array, "device groups on cellular plans (site/group)");
    groups.required = true;
    cellular.fields = {per_device, groups};
    FieldSpec hours = number("hours_per_month", "hours billed per month", 730);
    hours.minimum = 0.0;
    hours.exclusive_minimum = true;
    root.fields = {field("currency", FieldType::string, "currency of every price (a label only)", "EUR"), hours};
    for (const char* k : kNodeKinds)
      root.fields.push_back(object(k, &node, std::string("prices of each ") + k + " node"));
    root.fields.push_back(object("backhaul", &traffic,
                                 "price per GB of backhaul; links default to the last link of each gateway's "
                                 "route to the load balancer"));
    root.fields.push_back(object("egress", &traffic, "price per GB leaving a provider; links are required"));
    root.fields.push_back(object("saas_broker", &saas, "a SaaS broker priced per message (replaces broker node prices)"));
    root.fields.push_back(object("cellular", &cellular, "cellular data plans per device"));
  }
};

const Specs& specs() {
  static const Specs s;
  return s;
}

NodePrice read_node(const ObjectReader& r) {
  NodePrice p;
  p.per_month = r.get_number("per_month");
  p.vcpu_hour = r.get_number("vcpu_hour");
  p.gb_month = r.get_number("gb_month");
  p.storage_gb = r.get_quantity("storage") / 1e9;
  return p;
}

// Resolves link names against the scenario: a "brokers" link's name covers each expanded copy.
std::vector<std::string> resolve_links(const ObjectReader& r, const sim::Scenario& sc) {
  std::vector<std::string> out, known;
  for (const auto& l : sc.links) known.push_back(l.name);
  const auto names = r.get_strings("links");
  for (std::size_t i = 0; i < names.size(); ++i) {
    bool found = false;
    for (const auto& l : sc.links)
      if (l.name == names[i] || l.name.rfind(names[i] + "/", 0) == 0) {
        out.push_back(l.name);
        found = true;
      }
    if (!found) {
      std::string msg = "unknown link \"" + names[i] + "\"";
      const std::string hint = sim::did_you_mean(names[i], known);
      if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
      throw ScenarioError(r.child_pointer("links") + "/" + std::to_string(i), msg);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Item {
  std::string tier, item, unit;
  double quantity = 0, unit_price = 0;
};

std::vector<Item> items(const CostModel& m, const sim::Scenario& sc, const json& summary) {
  std::vector<Item> out;
  auto node_items = [&](const std::string& tier, const std::string& kind, const std::string& name, int cores) {
    auto it = m.nodes.find(kind);
    if (it == m.nodes.end()) return;
    const NodePrice& p = it->second;
    if (p.per_month > 0) out.push_back({tier, name, "node-month", 1, p.per_month});
    if (p.vcpu_hour > 0) out.push_back({tier, name, "vCPU-hour", cores * m.hours_per_month, p.vcpu_hour});
    if (p.gb_month > 0 && p.storage_gb > 0) out.push_back({tier, name, "GB-month", p.storage_gb, p.gb_month});
  };
  if (m.cellular_per_device_month > 0)
    for (const auto& g : m.cellular_groups)
      out.push_back({"access", g, "device-month", static_cast<double>(sc.find_group(g)->count),
                     m.cellular_per_device_month});
  for (const auto& site : sc.sites)
    for (const auto& gw : site.gateways) node_items("gateway", "gateway", gw.name, gw.cores);
  const double month_s = m.hours_per_month * 3600.0;
  const bool usage = summary.is_object() && summary.contains("links");
  const double end = usage ? summary.value("simulated_end", 0.0) : 0.0;
  auto link_items = [&](const std::string& tier, const std::vector<std::string>& links, double per_gb) {
    if (per_gb <= 0) return;
    for (const auto& l : links) {
      double gb = 0;
      if (usage && end > 0 && summary.at("links").contains(l))
        gb = summary.at("links").at(l).value("bytes", 0.0) / end * month_s / 1e9;
      out.push_back({tier, l, "GB", gb, per_gb});
    }
  };
  link_items("backhaul", m.backhaul_links, m.backhaul_per_gb);
  node_items("broker", "load_balancer", sc.load_balancer.node.name, sc.load_balancer.node.cores);
  if (m.saas_broker) {
    double messages = 0;  // PUBLISH packets into the brokers + deliveries out of them, per month
    if (usage && end > 0)
      for (auto it = summary.at("nodes").begin(); it != summary.at("nodes").end(); ++it) {
        const std::string kind = it.value().value("kind", "");
        if (kind == "broker" || kind == "service") messages += it.value().value("processed", 0.0);
      }
    out.push_back({"broker", "saas-broker", "million messages", end > 0 ? messages / end * month_s / 1e6 : 0.0,
                   m.saas_per_million_messages});
  } else {
    for (const auto& b : sc.brokers.names()) node_items("broker", "broker", b, sc.brokers.node.cores);
  }
  for (const auto& n : sc.cloud_nodes) node_items("cloud", "cloud_node", n.name, n.cores);
  link_items("cloud", m.egress_links, m.egress_per_gb);
  return out;
}

}  // namespace

const ObjectSpec& cost_spec() { return specs().root; }

CostModel read_cost(const sim::Scenario& sc) {
  CostModel m;
  if (sc.cost.is_null()) return m;
  const ObjectReader r(sc.cost, "/cost", specs().root);
  m.present = true;
  m.currency = r.get_string("currency");
  m.hours_per_month = r.get_number("hours_per_month");
  for (const char* k : kNodeKinds)
    if (r.has(k)) m.nodes[k] = read_node(r.get_object(k));
  if (r.has("backhaul")) {
    const ObjectReader b = r.get_object("backhaul");
    m.backhaul_per_gb = b.get_number("per_gb");
    if (b.has("links")) {
      m.backhaul_links = resolve_links(b, sc);
    } else {
      // The last link of each gateway's route to the load balancer: where a site's traffic leaves it.
      const sim::Topology topo(sc);
      std::set<std::string> names;
      for (const auto& site : sc.sites)
        for (const auto& gw : site.gateways)
          if (topo.has_route(gw.name, sc.load_balancer.node.name)) {
            const auto& route = topo.route(gw.name, sc.load_balancer.node.name);
            if (!route.empty()) names.insert(sc.links[static_cast<std::size_t>(route.back())].name);
          }
      m.backhaul_links.assign(names.begin(), names.end());
    }
  }
  if (r.has("egress")) {
    const ObjectReader e = r.get_object("egress");
    m.egress_per_gb = e.get_number("per_gb");
    if (!e.has("links")) e.fail("links", "expected the links whose traffic is billed as egress");
    m.egress_links = resolve_links(e, sc);
  }
  if (r.has("saas_broker")) {
    m.saas_broker = true;
    m.saas_per_million_messages = r.get_object("saas_broker").get_number("per_million_messages");
    if (r.has("broker"))
      r.fail("saas_broker", "a SaaS broker replaces the broker nodes' prices; remove either \"broker\" or "
                            "\"saas_broker\"");
  }
  if (r.has("cellular")) {
    const ObjectReader c = r.get_object("cellular");
    m.cellular_per_device_month = c.get_number("per_device_month");
    const auto groups = c.get_strings("groups");
    std::vector<std::string> known;
    for (const auto& s : sc.sites)
      for (const auto& g : s.device_groups) known.push_back(g.name);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (!sc.find_group(groups[i])) {
        std::string msg = "unknown device group \"" + groups[i] + "\" (write site/group)";
        const std::string hint = sim::did_you_mean(groups[i], known);
        if (!hint.empty()) msg += "; did you mean \"" + hint + "\"?";
        throw ScenarioError(c.child_pointer("groups") + "/" + std::to_string(i), msg);
      }
      if (std::count(groups.begin(), groups.begin() + static_cast<long>(i), groups[i]))
        throw ScenarioError(c.child_pointer("groups") + "/" + std::to_string(i),
                            "device group \"" + groups[i] + "\" listed twice");
    }
    m.cellular_groups = groups;
  }
  return m;
}

json monthly_cost(const CostModel& model, const sim::Scenario& sc, const json& summary) {
  json by_tier = json::object();
  for (const auto* t : {"access", "gateway", "backhaul", "broker", "cloud"}) by_tier[t] = 0.0;
  json list = json::array();
  double total = 0;
  for (const auto& i : items(model, sc, summary)) {
    const double amount = i.quantity * i.unit_price;
    by_tier[i.tier] = by_tier[i.tier].get<double>() + amount;
    total += amount;
    list.push_back({{"tier", i.tier}, {"item", i.item}, {"unit", i.unit}, {"quantity", i.quantity},
                    {"unit_price", i.unit_price}, {"monthly", amount}});
  }
  return {{"currency", model.currency}, {"hours_per_month", model.hours_per_month}, {"monthly_total", total},
          {"by_tier", by_tier}, {"items", list}};
}

double fixed_monthly_cost(const CostModel& model, const sim::Scenario& sc) {
  return monthly_cost(model, sc).at("monthly_total").get<double>();
}

std::string cost_markdown_reference() { return sim::markdown_reference(cost_spec()); }

}  // namespace edgetwin::plan
