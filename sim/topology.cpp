// sim/topology.cpp — graph construction, Dijkstra routes and reachability checks.
#include "sim/topology.hpp"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <boost/property_map/property_map.hpp>

#include "sim/spec.hpp"

namespace edgetwin::sim {

namespace {
constexpr double kHopPenalty = 1e-9;  // prefer fewer hops among routes of equal latency
}

Topology::Topology(const Scenario& sc) {
  auto add_vertex = [&](const std::string& name, const std::string& kind) {
    const auto v = boost::add_vertex(VertexInfo{name, kind}, graph_);
    vertex_of_[name] = v;
  };
  for (const auto& site : sc.sites) {
    for (const auto& gw : site.gateways) add_vertex(gw.name, "gateway");
    for (const auto& r : site.routers) add_vertex(r, "router");
    for (const auto& g : site.device_groups) add_vertex(g.name, "device_group");
  }
  add_vertex(sc.load_balancer.node.name, "load_balancer");
  for (const auto& b : sc.brokers.names()) add_vertex(b, "broker");
  for (const auto& n : sc.cloud_nodes) add_vertex(n.name, "cloud_node");

  for (std::size_t i = 0; i < sc.links.size(); ++i) {
    const auto& l = sc.links[i];
    boost::add_edge(vertex_of_.at(l.a), vertex_of_.at(l.b), EdgeInfo{static_cast<int>(i), l.latency + kHopPenalty},
                    graph_);
  }
  for (const auto& site : sc.sites)
    for (const auto& g : site.device_groups)
      for (const auto& gw : g.gateways)
        boost::add_edge(vertex_of_.at(g.name), vertex_of_.at(gw), EdgeInfo{-1, g.access.latency + kHopPenalty},
                        graph_);

  const std::string& lb = sc.load_balancer.node.name;
  std::vector<std::string> sources;
  for (const auto& site : sc.sites)
    for (const auto& gw : site.gateways) sources.push_back(gw.name);
  sources.push_back(lb);
  for (const auto& b : sc.brokers.names()) sources.push_back(b);
  for (const auto& n : sc.cloud_nodes) sources.push_back(n.name);
  // Keep only the routes a run uses (gateway -> load balancer, load balancer -> broker,
  // broker -> cloud node or gateway, cloud node -> broker): storing every pair costs hundreds of
  // MB with a thousand gateways (docs/performance.md).
  auto kind_of = [this](const std::string& name) -> const std::string& { return graph_[vertex_of_.at(name)].kind; };
  // Logging (platform.logging): gateways also ship logs to a cloud node.
  const bool logs = sc.logging.enabled;
  auto wanted = [logs](const std::string& from, const std::string& to) {
    if (from == "gateway") return to == "load_balancer" || (logs && to == "cloud_node");
    if (from == "load_balancer") return to == "broker";
    if (from == "broker") return to == "cloud_node" || to == "gateway";
    return from == "cloud_node" && to == "broker";
  };
  for (const auto& src : sources) {
    const std::string& from = kind_of(src);
    for (auto& [dst, r] : shortest_routes_from(src, [&](const std::string& to) { return wanted(from, to); }))
      routes_[{src, dst}] = std::move(r);
  }
  // Rollouts: the registry's node pulls to every gateway it updates.
  for (const auto& r : sc.rollouts) {
    for (auto& [dst, route] : shortest_routes_from(r.registry_node, [](const std::string& to) { return to == "gateway"; }))
      routes_[{r.registry_node, dst}] = std::move(route);
    for (std::size_t i = 0; i < r.gateways.size(); ++i)
      if (!has_route(r.registry_node, r.gateways[i]))
        throw ScenarioError(r.pointer + "/registry/node", "gateway \"" + r.gateways[i] +
                                                              "\" has no path of links from the registry node \"" +
                                                              r.registry_node + "\"");
  }

  // Reachability: every gateway a device group uses must reach the load balancer.
  for (const auto& site : sc.sites)
    for (const auto& g : site.device_groups) {
      bool any = false;
      for (const auto& gw : g.gateways) any = any || has_route(gw, lb);
      if (!any)
        throw ScenarioError(g.pointer, "device group \"" + g.name + "\" cannot reach the brokers: none of its gateways "
                                       "has a path of links to the load balancer \"" + lb + "\"");
      for (std::size_t i = 0; i < g.gateways.size(); ++i)
        if (!has_route(g.gateways[i], lb))
          throw ScenarioError(g.pointer + "/gateways/" + std::to_string(i),
                              "gateway \"" + g.gateways[i] + "\" has no path of links to the load balancer \"" + lb +
                                  "\"");
    }
  for (const auto& b : sc.brokers.names())
    if (!has_route(lb, b))
      throw ScenarioError("/platform/brokers", "broker \"" + b + "\" cannot be reached from the load balancer \"" + lb +
                                                   "\" (add a link between \"" + lb + "\" and \"brokers\")");
  for (const auto& c : sc.commands) {
    const ServiceSpec* svc = nullptr;
    for (const auto& s : sc.services)
      if (s.name == c.from) svc = &s;
    for (const auto& b : sc.brokers.names()) {
      if (!has_route(svc->node, b))
        throw ScenarioError(c.pointer + "/from", "commands from service \"" + c.from + "\" cannot reach broker \"" +
                                                     b + "\" from cloud node \"" + svc->node + "\"");
      for (const auto& gw : sc.find_group(c.group)->gateways)
        if (!has_route(b, gw))
          throw ScenarioError(c.pointer + "/group", "commands cannot reach gateway \"" + gw + "\" from broker \"" +
                                                        b + "\"");
    }
  }
  for (const auto& s : sc.services)
    for (const auto& b : sc.brokers.names())
      if (!has_route(b, s.node))
        throw ScenarioError(s.pointer + "/node", "cloud node \"" + s.node + "\" of service \"" + s.name +
                                                     "\" cannot be reached from broker \"" + b + "\"");
}

std::map<std::string, std::vector<int>> Topology::shortest_routes_from(
    const std::string& source, const std::function<bool(const std::string& kind)>& wanted) const {
  const std::size_t n = boost::num_vertices(graph_);
  std::vector<double> dist(n);
  std::vector<std::size_t> pred(n);
  const auto s = vertex_of_.at(source);
  // Only wired links route; access attachments (link == -1) are not traversed.
  auto weight = boost::make_function_property_map<Graph::edge_descriptor, double>(
      [this](const Graph::edge_descriptor& e) { return graph_[e].link < 0 ? 1e300 : graph_[e].weight; });
  boost::dijkstra_shortest_paths(graph_, s,
                                 boost::predecessor_map(boost::make_iterator_property_map(pred.begin(),
                                                                                          boost::get(boost::vertex_index, graph_)))
                                     .distance_map(boost::make_iterator_property_map(dist.begin(),
                                                                                     boost::get(boost::vertex_index, graph_)))
                                     .weight_map(weight));
  std::map<std::string, std::vector<int>> out;
  for (std::size_t v = 0; v < n; ++v) {
    if (v == s || pred[v] == v || dist[v] >= 1e299) continue;
    const std::string& kind = graph_[v].kind;
    if (kind == "device_group" || kind == "router" || !wanted(kind)) continue;
    std::vector<int> links;
    bool ok = true;
    for (std::size_t cur = v; cur != s; cur = pred[cur]) {
      if (pred[cur] == cur) {
        ok = false;
        break;
      }
      // Pick the lowest-weight wired edge between pred[cur] and cur (parallel links possible).
      int best = -1;
      double best_w = 1e300;
      auto [ei, ee] = boost::out_edges(pred[cur], graph_);
      for (; ei != ee; ++ei)
        if (boost::target(*ei, graph_) == cur && graph_[*ei].link >= 0 && graph_[*ei].weight < best_w) {
          best_w = graph_[*ei].weight;
          best = graph_[*ei].link;
        }
      if (best < 0) {
        ok = false;
        break;
      }
      // Routing never passes through a device group.
      if (graph_[pred[cur]].kind == "device_group") {
        ok = false;
        break;
      }
      links.push_back(best);
    }
    if (!ok) continue;
    std::reverse(links.begin(), links.end());
    out[graph_[v].name] = std::move(links);
  }
  return out;
}

const std::vector<int>& Topology::route(const std::string& from, const std::string& to) const {
  return routes_.at({from, to});
}

bool Topology::has_route(const std::string& from, const std::string& to) const {
  return routes_.count({from, to}) > 0;
}

}  // namespace edgetwin::sim
