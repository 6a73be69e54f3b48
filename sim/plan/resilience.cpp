// sim/plan/resilience.cpp — articulation points, bridges, per-group single points of failure,
// redundancy per tier (disjoint paths), and routes.
#include "sim/plan/resilience.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <sstream>

#include <boost/graph/biconnected_components.hpp>

#include "models/protocol/mqtt_topic.hpp"
#include "sim/topology.hpp"

namespace edgetwin::plan {

using nlohmann::json;
using sim::Topology;

namespace {

// Same rule as the simulation (models/protocol/mqtt_topic.hpp).
bool group_matches(const std::string& filter, const std::string& topic_template, const std::string& site,
                   const std::string& group) {
  return models::mqtt::filter_matches_group_topic(filter, models::mqtt::expand_group_topic(topic_template, site, group));
}

struct Graph {
  const Topology::Graph& g;
  std::map<std::string, std::size_t> vertex;
  // Wired reachability from `from` to `to` with one vertex or one link removed; never through a
  // device group (devices do not route).
  bool reaches(std::size_t from, std::size_t to, std::size_t removed_v, int removed_link) const {
    if (from == removed_v || to == removed_v) return false;
    std::vector<char> seen(boost::num_vertices(g), 0);
    std::deque<std::size_t> q{from};
    seen[from] = 1;
    while (!q.empty()) {
      const std::size_t v = q.front();
      q.pop_front();
      if (v == to) return true;
      auto [ei, ee] = boost::out_edges(v, g);
      for (; ei != ee; ++ei) {
        const int link = g[*ei].link;
        if (link < 0 || link == removed_link) continue;
        const std::size_t w = boost::target(*ei, g);
        if (seen[w] || w == removed_v || g[w].kind == "device_group") continue;
        seen[w] = 1;
        q.push_back(w);
      }
    }
    return false;
  }
};

// Maximum number of link-disjoint paths from a set of sources to a target (unit capacities,
// augmenting paths by BFS; platforms have tens of links).
int disjoint_paths(const Topology::Graph& g, const std::vector<std::size_t>& sources, std::size_t target) {
  const std::size_t n = boost::num_vertices(g);
  const std::size_t super = n;
  std::map<std::pair<std::size_t, std::size_t>, int> cap;
  std::vector<std::vector<std::size_t>> adj(n + 1);
  auto add = [&](std::size_t a, std::size_t b, int c) {
    if (!cap.count({a, b}) && !cap.count({b, a})) {
      adj[a].push_back(b);
      adj[b].push_back(a);
    }
    cap[{a, b}] += c;
    cap[{b, a}] += 0;
  };
  auto [ei, ee] = boost::edges(g);
  for (; ei != ee; ++ei) {
    if (g[*ei].link < 0) continue;
    const auto a = boost::source(*ei, g), b = boost::target(*ei, g);
    if (g[a].kind == "device_group" || g[b].kind == "device_group") continue;
    add(a, b, 1);
    add(b, a, 1);
  }
  for (auto s : sources) add(super, s, 1000);
  int flow = 0;
  while (true) {
    std::vector<std::size_t> prev(n + 1, SIZE_MAX);
    std::deque<std::size_t> q{super};
    prev[super] = super;
    while (!q.empty() && prev[target] == SIZE_MAX) {
      const auto v = q.front();
      q.pop_front();
      for (auto w : adj[v])
        if (prev[w] == SIZE_MAX && cap[{v, w}] > 0) {
          prev[w] = v;
          q.push_back(w);
        }
    }
    if (prev[target] == SIZE_MAX) break;
    for (std::size_t v = target; v != super; v = prev[v]) {
      --cap[{prev[v], v}];
      ++cap[{v, prev[v]}];
    }
    ++flow;
    if (flow > 1000) break;
  }
  return flow;
}

// Vertex names along a route (link indices from Topology::route).
json route_json(const sim::Scenario& sc, const std::string& from, const std::vector<int>& links) {
  json hops = json::array({from});
  std::string cur = from;
  for (int li : links) {
    const auto& l = sc.links[static_cast<std::size_t>(li)];
    cur = l.a == cur ? l.b : l.a;
    hops.push_back("[" + l.name + "]");
    hops.push_back(cur);
  }
  return hops;
}

}  // namespace

json analyze_resilience(const sim::Scenario& sc) {
  const Topology topo(sc);
  const auto& g = topo.graph();
  Graph G{g, {}};
  for (std::size_t v = 0; v < boost::num_vertices(g); ++v) G.vertex[g[v].name] = v;
  const std::string lb = sc.load_balancer.node.name;
  const auto brokers = sc.brokers.names();

  // Graph-theoretic view (Boost): articulation points and bridges of the whole platform graph.
  std::vector<std::size_t> art;
  boost::articulation_points(g, std::back_inserter(art));
  std::set<std::string> articulation;
  for (auto v : art) articulation.insert(g[v].name);
  std::map<Topology::Graph::edge_descriptor, std::size_t> comp_of;
  auto comp_map = boost::make_assoc_property_map(comp_of);
  const std::size_t ncomp = boost::biconnected_components(g, comp_map);
  std::vector<int> edges_in(ncomp, 0);
  for (const auto& [e, c] : comp_of) ++edges_in[c];
  std::set<std::string> bridges;
  for (const auto& [e, c] : comp_of)
    if (edges_in[c] == 1)
      bridges.insert(g[e].link >= 0 ? sc.links[static_cast<std::size_t>(g[e].link)].name
                                    : g[boost::source(e, g)].name + "--" + g[boost::target(e, g)].name);

  json groups = json::array();
  for (const auto& site : sc.sites)
    for (const auto& grp : site.device_groups) {
      const std::string short_name = grp.name.substr(site.name.size() + 1);
      // The services this group feeds (topic filters matching its traffic's topic).
      std::set<std::string> service_nodes;
      json services = json::array();
      for (const auto& t : sc.traffic) {
        if (t.group != grp.name) continue;
        for (const auto& s : sc.services)
          for (const auto& f : s.subscribe)
            if (group_matches(f, t.topic, site.name, short_name)) {
              service_nodes.insert(s.node);
              bool dup = false;
              for (const auto& x : services) dup = dup || x["service"] == s.name;
              if (!dup) services.push_back({{"service", s.name}, {"node", s.node}});
              break;
            }
      }
      // Connected to the cloud with vertex `rv` or link `rl` removed: some gateway reaches the load
      // balancer, and every service node is reached from some broker the load balancer reaches.
      auto connected = [&](std::size_t rv, int rl) {
        const std::size_t lbv = G.vertex.at(lb);
        bool gw_ok = false;
        for (const auto& gw : grp.gateways) gw_ok = gw_ok || G.reaches(G.vertex.at(gw), lbv, rv, rl);
        if (!gw_ok) return false;
        std::vector<std::size_t> live;
        for (const auto& b : brokers)
          if (G.reaches(lbv, G.vertex.at(b), rv, rl)) live.push_back(G.vertex.at(b));
        if (live.empty()) return false;
        for (const auto& n : service_nodes) {
          bool ok = false;
          for (auto b : live) ok = ok || G.reaches(b, G.vertex.at(n), rv, rl);
          if (!ok) return false;
        }
        return true;
      };
      json spofs = json::array();
      const std::size_t none = SIZE_MAX;
      if (connected(none, -1)) {
        for (std::size_t v = 0; v < boost::num_vertices(g); ++v) {
          if (g[v].kind == "device_group") continue;
          if (!connected(v, -1))
            spofs.push_back({{"element", g[v].name}, {"kind", g[v].kind},
                             {"articulation_point", articulation.count(g[v].name) > 0}});
        }
        for (std::size_t l = 0; l < sc.links.size(); ++l)
          if (!connected(none, static_cast<int>(l)))
            spofs.push_back({{"element", sc.links[l].name}, {"kind", "link"}, {"bridge", bridges.count(sc.links[l].name) > 0}});
      }
      // Redundancy per tier: how many elements must fail before the tier is cut.
      std::vector<std::size_t> gw_vertices;
      int gateways_ok = 0;
      for (const auto& gw : grp.gateways) {
        gw_vertices.push_back(G.vertex.at(gw));
        if (topo.has_route(gw, lb)) ++gateways_ok;
      }
      int live_brokers = 0;
      for (const auto& b : brokers) live_brokers += topo.has_route(lb, b) ? 1 : 0;
      const int backhaul = disjoint_paths(g, gw_vertices, G.vertex.at(lb));
      int cloud_paths = 0;
      bool first = true;
      for (const auto& n : service_nodes) {
        std::vector<std::size_t> bv;
        for (const auto& b : brokers) bv.push_back(G.vertex.at(b));
        const int p = disjoint_paths(g, bv, G.vertex.at(n));
        cloud_paths = first ? p : std::min(cloud_paths, p);
        first = false;
      }
      json redundancy = {{"gateways", gateways_ok},
                         {"backhaul_disjoint_paths", backhaul},
                         {"load_balancers", 1},
                         {"brokers", live_brokers},
                         {"cloud_disjoint_paths", cloud_paths},
                         {"service_nodes_per_service", services.empty() ? 0 : 1}};
      json paths = json::array();
      for (const auto& gw : grp.gateways) {
        json p = json::array({grp.name});
        if (topo.has_route(gw, lb))
          for (const auto& h : route_json(sc, gw, topo.route(gw, lb))) p.push_back(h);
        paths.push_back(p);
      }
      json cloud_routes = json::array();
      for (const auto& b : brokers)
        for (const auto& n : service_nodes)
          if (topo.has_route(b, n)) cloud_routes.push_back(route_json(sc, b, topo.route(b, n)));
      json lb_routes = json::array();
      for (const auto& b : brokers)
        if (topo.has_route(lb, b)) lb_routes.push_back(route_json(sc, lb, topo.route(lb, b)));
      groups.push_back({{"group", grp.name},
                        {"devices", grp.count},
                        {"services", services},
                        {"single_points_of_failure", spofs},
                        {"redundancy", redundancy},
                        {"paths", {{"to_load_balancer", paths}, {"to_brokers", lb_routes}, {"to_cloud", cloud_routes}}}});
    }
  return {{"scenario", sc.name},
          {"method", "structural: an element is a single point of failure of a group when removing it leaves no path "
                     "from the group's gateways through the load balancer and a broker to every cloud node of the "
                     "services it feeds"},
          {"vertices", boost::num_vertices(g)},
          {"edges", boost::num_edges(g)},
          {"articulation_points", std::vector<std::string>(articulation.begin(), articulation.end())},
          {"bridges", std::vector<std::string>(bridges.begin(), bridges.end())},
          {"groups", groups}};
}

std::string format_resilience(const json& a) {
  std::ostringstream o;
  o << "Resilience of " << a.at("scenario").get<std::string>() << " (" << a.at("vertices") << " vertices, "
    << a.at("edges") << " edges)\n";
  o << "articulation points:";
  for (const auto& x : a.at("articulation_points")) o << " " << x.get<std::string>();
  if (a.at("articulation_points").empty()) o << " none";
  o << "\nbridges:";
  for (const auto& x : a.at("bridges")) o << " " << x.get<std::string>();
  if (a.at("bridges").empty()) o << " none";
  o << "\n";
  for (const auto& g : a.at("groups")) {
    o << "\n" << g.at("group").get<std::string>() << " (" << g.at("devices") << " devices) -> ";
    bool first = true;
    for (const auto& s : g.at("services")) {
      o << (first ? "" : ", ") << s.at("service").get<std::string>() << "@" << s.at("node").get<std::string>();
      first = false;
    }
    if (first) o << "no service";
    o << "\n";
    for (const auto& p : g.at("paths").at("to_load_balancer")) {
      o << "  path:";
      for (const auto& h : p) o << " " << h.get<std::string>();
      o << "\n";
    }
    const json& r = g.at("redundancy");
    o << "  redundancy: gateways " << r.at("gateways") << ", backhaul disjoint paths " << r.at("backhaul_disjoint_paths")
      << ", load balancers 1, brokers " << r.at("brokers") << ", broker-to-cloud disjoint paths "
      << r.at("cloud_disjoint_paths") << ", nodes per service " << r.at("service_nodes_per_service") << "\n";
    o << "  single points of failure:";
    if (g.at("single_points_of_failure").empty()) o << " none";
    o << "\n";
    for (const auto& s : g.at("single_points_of_failure")) {
      o << "    " << s.at("element").get<std::string>() << " (" << s.at("kind").get<std::string>();
      if (s.value("articulation_point", false)) o << ", articulation point";
      if (s.value("bridge", false)) o << ", bridge";
      o << ")\n";
    }
  }
  return o.str();
}

}  // namespace edgetwin::plan
