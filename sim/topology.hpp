// sim/topology.hpp — the platform as a Boost.Graph: entities are vertices, wired links and access
// attachments are edges. Routes (shortest by latency, then hops) from every gateway to the load
// balancer, from the load balancer to every broker, and from every broker to every service node are
// computed here; the SimGrid platform is built from these routes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/scenario.hpp"

namespace edgetwin::sim {

class Topology {
 public:
  struct VertexInfo {
    std::string name;
    std::string kind;  // device_group | gateway | router | load_balancer | broker | cloud_node
  };
  struct EdgeInfo {
    int link = -1;  // index in Scenario::links; -1 for a device group's access attachment
    double weight = 0;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexInfo, EdgeInfo>;

  /// Builds the graph and checks reachability; throws ScenarioError (with a JSON pointer) when a
  /// device group cannot reach the brokers or a service cannot be reached from them.
  explicit Topology(const Scenario& scenario);

  /// Link indices (into Scenario::links) along the chosen route; throws std::out_of_range if none.
  const std::vector<int>& route(const std::string& from, const std::string& to) const;
  bool has_route(const std::string& from, const std::string& to) const;

  const Graph& graph() const { return graph_; }
  std::size_t vertex_count() const { return boost::num_vertices(graph_); }
  std::size_t edge_count() const { return boost::num_edges(graph_); }

 private:
  /// Routes from `source` to every vertex whose kind `wanted` accepts.
  std::map<std::string, std::vector<int>> shortest_routes_from(
      const std::string& source, const std::function<bool(const std::string& kind)>& wanted) const;

  Graph graph_;
  std::map<std::string, std::size_t> vertex_of_;
  std::map<std::pair<std::string, std::string>, std::vector<int>> routes_;
};

}  // namespace edgetwin::sim
