// sim/simulation.cpp — the simulation core: SimGrid platform from the topology, cohort generators
// for device groups, processing stages (gateway, load balancer, brokers, services) whose CPU work
// contends on SimGrid hosts, and network hops as SimGrid communications over the routed links.
//
// Path of one message, with the stage timestamps it carries (t0..t5):
//   generator (t0 created) --access model--> gateway queue (t1) --CPU--> (t2) --backhaul comm-->
//   load balancer --CPU--> --comm--> broker queue (t3) --CPU--> (t4) --comm per subscriber-->
//   service queue --CPU--> consumed (t5)
// Tiers: access t1-t0, gateway t2-t1, backhaul t3-t2 (includes the load balancer), broker t4-t3,
// cloud t5-t4.
#include "sim/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <memory>
#include <queue>
#include <set>
#include <stdexcept>

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/core/rng.hpp"
#include "models/protocol/mqtt_packet.hpp"
#include "sim/topology.hpp"

namespace edgetwin::sim {

namespace s4u = simgrid::s4u;

namespace {

struct Message {
  std::uint32_t traffic = 0;
  std::uint32_t service = 0;
  std::uint64_t device = 0;
  std::uint32_t payload = 0;
  std::uint32_t wire = 0;  // MQTT PUBLISH size on wired hops
  std::uint16_t broker = 0;
  bool measured = false;
  std::array<double, 6> t{};
};

/// Free-list pool: no per-message heap churn once warmed up.
class MessagePool {
 public:
  Message* get() {
    if (free_.empty()) {
      chunks_.emplace_back(new Message[kChunk]);
      for (std::size_t i = 0; i < kChunk; ++i) free_.push_back(&chunks_.back()[i]);
    }
    Message* m = free_.back();
    free_.pop_back();
    *m = Message{};
    return m;
  }
  void put(Message* m) { free_.push_back(m); }

 private:
  static constexpr std::size_t kChunk = 4096;
  std::vector<std::unique_ptr<Message[]>> chunks_;
  std::vector<Message*> free_;
};

class Run;

/// A processing stage: a FIFO queue served by `workers` actors on one host; each message costs
/// CPU work executed on that host (so stages sharing a host contend through SimGrid).
class Stage {
 public:
  Stage(Run& run, NodeMetrics& metrics, s4u::Host* host, int workers, std::uint64_t capacity, LossCause overflow)
      : run_(run), metrics_(metrics), host_(host), workers_(workers), capacity_(capacity), overflow_(overflow) {}

  void set_cost(std::function<double(const Message&)> cost) { cost_ = std::move(cost); }
  void set_next(std::function<void(Message*)> next) { next_ = std::move(next); }
  void start();
  void push(Message* m);

 private:
  void serve();

  Run& run_;
  NodeMetrics& metrics_;
  s4u::Host* host_;
  int workers_;
  std::uint64_t capacity_;
  LossCause overflow_;
  std::function<double(const Message&)> cost_;
  std::function<void(Message*)> next_;
  std::deque<Message*> queue_;
  s4u::SemaphorePtr ready_ = s4u::Semaphore::create(0);
};

/// A network hop: an in-order stream (like one TCP connection) from a source host to a stage on
/// another host. The mailbox has a permanent receiver, so transfers start as soon as they are sent.
class Connection {
 public:
  Connection(Run& run, std::string name, s4u::Host* dst, Stage* dest, int stamp, std::vector<LinkMetrics*> links)
      : run_(run), mbox_(s4u::Mailbox::by_name(name)), dst_(dst), dest_(dest), stamp_(stamp), links_(std::move(links)) {}
  void start();
  void send(Message* m);

 private:
  Run& run_;
  s4u::Mailbox* mbox_;
  s4u::Host* dst_;
  Stage* dest_;
  int stamp_;  // index in Message::t stamped on arrival (-1: none)
  std::vector<LinkMetrics*> links_;
};

struct TrafficRuntime {
  const TrafficSpec* spec = nullptr;
  std::size_t group = 0;  // index in RunMetrics::groups
  const DeviceGroupSpec* group_spec = nullptr;
  std::uint64_t client_base = 0;               // global client ordinal of device 0
  std::vector<std::size_t> gateway_stage;      // per gateway of the group: index into gateway stages
  std::vector<std::uint32_t> services;         // subscribed services
  std::uint64_t topic_base_length = 0;         // topic length without the device index digits
};

class Run {
 public:
  Run(const Scenario& sc, const RunOptions& opt) : sc_(sc), opt_(opt), topo_(sc) {}
  RunMetrics execute();

  // Bookkeeping used by stages and connections.
  MessagePool pool;
  RunMetrics metrics;
  std::uint64_t in_flight = 0;
  std::size_t interval_of(double t) const {
    const auto i = static_cast<std::size_t>(t / metrics.interval);
    return std::min(i, n_intervals_ - 1);
  }
  void add_busy(NodeMetrics& n, double start, double end);
  /// Loses a message; `deliveries` < 0 means one per subscribing service.
  void lose(Message* m, LossCause cause, int deliveries);
  void finish_in_flight(std::uint64_t n);
  void deliver(Message* m);
  void note_queue(NodeMetrics& n, std::size_t length);
  std::uint64_t events = 0;

 private:
  void build_platform();
  void build_stages();
  void generator(std::size_t traffic_index);
  void controller();
  void progress();
  std::uint16_t broker_for(const TrafficRuntime& tr, std::uint64_t device);

  const Scenario& sc_;
  const RunOptions& opt_;
  Topology topo_;
  std::size_t n_intervals_ = 1;
  s4u::Host* devices_host_ = nullptr;
  std::map<std::string, s4u::Host*> hosts_;
  std::vector<s4u::Link*> links_;
  std::vector<std::unique_ptr<Stage>> gateway_stages_, broker_stages_, service_stages_;
  std::unique_ptr<Stage> lb_stage_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> gw_to_lb_;                    // per gateway stage
  std::vector<Connection*> lb_to_broker_;                // per broker
  std::vector<std::vector<Connection*>> broker_to_svc_;  // [broker][service]
  std::vector<TrafficRuntime> traffic_;
  std::vector<std::string> gateway_names_;
  std::vector<std::uint64_t> lb_connections_;  // least-connections bookkeeping
  std::vector<std::vector<std::uint16_t>> assigned_broker_;  // [traffic][device], for least-connections
  s4u::MutexPtr done_mutex_ = s4u::Mutex::create();
  s4u::ConditionVariablePtr done_cv_ = s4u::ConditionVariable::create();
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  std::vector<std::size_t> node_index_;  // NodeMetrics index by stage creation
};

void Stage::start() {
  for (int w = 0; w < workers_; ++w) {
    s4u::ActorPtr a = s4u::Actor::create(metrics_.name + "#w" + std::to_string(w), host_, [this] { serve(); });
    a->daemonize();
  }
}

void Stage::push(Message* m) {
  if (capacity_ > 0 && queue_.size() >= capacity_) {
    ++metrics_.dropped;
    // Before the broker's fan-out a lost message loses one delivery per subscriber; after it, one.
    run_.lose(m, overflow_, overflow_ == LossCause::service_queue_full ? 1 : -1);
    return;
  }
  queue_.push_back(m);
  run_.note_queue(metrics_, queue_.size());
  ready_->release();
}

void Stage::serve() {
  for (;;) {
    ready_->acquire();
    Message* m = queue_.front();
    queue_.pop_front();
    const double cost = cost_(*m);
    if (cost > 0) {
      const double start = s4u::Engine::get_clock();
      s4u::this_actor::execute(cost);
      run_.add_busy(metrics_, start, s4u::Engine::get_clock());
    }
    ++metrics_.processed;
    ++run_.events;
    next_(m);
  }
}

void Connection::start() {
  mbox_->set_receiver(nullptr);
  s4u::ActorPtr a = s4u::Actor::create(mbox_->get_name() + "#rx", dst_, [this] {
    for (;;) {
      auto* m = mbox_->get<Message>();
      if (stamp_ >= 0) m->t[static_cast<std::size_t>(stamp_)] = s4u::Engine::get_clock();
      ++run_.events;
      dest_->push(m);
    }
  });
  a->daemonize();
  mbox_->set_receiver(a);
}

void Connection::send(Message* m) {
  const std::size_t iv = run_.interval_of(s4u::Engine::get_clock());
  for (auto* l : links_) {
    l->bytes += m->wire;
    ++l->messages;
    l->bytes_series[iv] += m->wire;
  }
  mbox_->put_init(m, m->wire)->detach();
}

void Run::add_busy(NodeMetrics& n, double start, double end) {
  n.busy += end - start;
  // Split the busy period exactly over the time-series intervals it spans.
  double t = start;
  while (t < end) {
    const std::size_t i = interval_of(t);
    const double edge = (i + 1 == n_intervals_) ? end : std::min(end, static_cast<double>(i + 1) * metrics.interval);
    n.busy_series[i] += edge - t;
    if (edge <= t) break;
    t = edge;
  }
}

void Run::note_queue(NodeMetrics& n, std::size_t length) {
  n.queue_peak = std::max<std::uint64_t>(n.queue_peak, length);
  auto& q = n.queue_series[interval_of(s4u::Engine::get_clock())];
  q = std::max<std::uint64_t>(q, length);
}

void Run::finish_in_flight(std::uint64_t n) {
  in_flight -= n;
  if (in_flight == 0 && s4u::Engine::get_clock() >= sc_.duration) done_cv_->notify_all();
}

void Run::lose(Message* m, LossCause cause, int deliveries) {
  const auto& tr = traffic_[m->traffic];
  auto& g = metrics.groups[tr.group];
  if (deliveries < 0) deliveries = static_cast<int>(tr.services.size());
  if (m->measured) {
    g.lost[static_cast<std::size_t>(cause)] += static_cast<std::uint64_t>(deliveries);
    g.series[interval_of(s4u::Engine::get_clock())].lost += static_cast<std::uint64_t>(deliveries);
  }
  finish_in_flight(1);
  pool.put(m);
}

void Run::deliver(Message* m) {
  m->t[5] = s4u::Engine::get_clock();
  const auto& tr = traffic_[m->traffic];
  auto& g = metrics.groups[tr.group];
  if (m->measured) {
    const double latency = m->t[5] - m->t[0];
    ++g.delivered;
    g.latency.add(latency);
    for (std::size_t k = 0; k < kTiers.size(); ++k) g.tiers[k].add(m->t[k + 1] - m->t[k]);
    if (tr.spec->latency_budget > 0 && latency > tr.spec->latency_budget) ++g.late;
    auto& iv = g.series[interval_of(m->t[5])];
    ++iv.delivered;
    iv.latency_sum += latency;
    iv.latency_max = std::max(iv.latency_max, latency);
    if (sc_.outputs.trace && metrics.trace.size() < sc_.outputs.trace_limit)
      metrics.trace.push_back(TraceRow{static_cast<std::uint32_t>(tr.group), m->device, m->service, m->broker, m->t});
  }
  finish_in_flight(1);
  pool.put(m);
}

std::uint16_t Run::broker_for(const TrafficRuntime& tr, std::uint64_t device) {
  const auto n = static_cast<std::uint64_t>(sc_.brokers.count);
  const std::string& policy = sc_.load_balancer.policy;
  if (policy == "client-id-hash") {
    // FNV-1a of the client id "site/group#k": stable across runs and machines.
    const std::string id = tr.group_spec->name + "#" + std::to_string(device);
    return static_cast<std::uint16_t>(models::fnv1a64(id) % n);
  }
  // round-robin and least-connections assign each client connection once, in connection order.
  auto& assigned = assigned_broker_[static_cast<std::size_t>(&tr - traffic_.data())];
  if (assigned[device] != UINT16_MAX) return assigned[device];
  std::uint16_t b = 0;
  if (policy == "round-robin") {
    b = static_cast<std::uint16_t>((tr.client_base + device) % n);
  } else {
    b = static_cast<std::uint16_t>(std::min_element(lb_connections_.begin(), lb_connections_.end()) -
                                   lb_connections_.begin());
  }
  ++lb_connections_[b];
  assigned[device] = b;
  return b;
}

void Run::build_platform() {
  s4u::NetZone* zone = s4u::create_full_zone("edgetwin");
  auto add_host = [&](const ProcessingSpec& p) {
    s4u::Host* h = zone->create_host(p.name, p.speed);
    h->set_core_count(p.cores);
    h->seal();
    hosts_[p.name] = h;
  };
  for (const auto& site : sc_.sites)
    for (const auto& gw : site.gateways) add_host(gw);
  add_host(sc_.load_balancer.node);
  for (const auto& b : sc_.brokers.names()) {
    ProcessingSpec p = sc_.brokers.node;
    p.name = b;
    add_host(p);
  }
  for (const auto& n : sc_.cloud_nodes) add_host(n);
  // Device cohorts are driven from one host outside the wired network: radio access is a model.
  devices_host_ = zone->create_host("edgetwin/devices", 1e9);
  devices_host_->seal();

  for (const auto& l : sc_.links) {
    s4u::Link* link = zone->create_link(l.name, l.bandwidth);
    link->set_latency(l.latency);
    link->set_sharing_policy(l.shared ? s4u::Link::SharingPolicy::SHARED : s4u::Link::SharingPolicy::FATPIPE);
    link->seal();
    links_.push_back(link);
  }
  auto add_route = [&](const std::string& from, const std::string& to) {
    std::vector<s4u::LinkInRoute> route;
    for (int li : topo_.route(from, to)) route.emplace_back(links_[static_cast<std::size_t>(li)]);
    zone->add_route(hosts_.at(from)->get_netpoint(), hosts_.at(to)->get_netpoint(), nullptr, nullptr, route, false);
  };
  const std::string& lb = sc_.load_balancer.node.name;
  for (const auto& site : sc_.sites)
    for (const auto& gw : site.gateways)
      if (topo_.has_route(gw.name, lb)) add_route(gw.name, lb);
  for (const auto& b : sc_.brokers.names()) {
    add_route(lb, b);
    std::set<std::string> done;
    for (const auto& s : sc_.services)
      if (done.insert(s.node).second) add_route(b, s.node);
  }
  zone->seal();
}

bool topic_matches(const std::vector<std::string>& filter, const std::vector<std::string>& topic,
                   const std::vector<bool>& varies) {
  // MQTT 3.1.1 §4.7: '+' matches one level, '#' the rest. A level that varies per device matches
  // only a wildcard (a filter naming one device does not subscribe to the whole group).
  std::size_t i = 0;
  for (; i < filter.size(); ++i) {
    if (filter[i] == "#") return true;
    if (i >= topic.size()) return false;
    if (filter[i] == "+") continue;
    if (varies[i] || filter[i] != topic[i]) return false;
  }
  return i == topic.size();
}

std::vector<std::string> split_levels(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '/') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

void Run::build_stages() {
  auto add_node = [&](const ProcessingSpec& p, const std::string& kind) -> NodeMetrics& {
    NodeMetrics n;
    n.name = p.name;
    n.kind = kind;
    n.cores = p.cores;
    n.speed = p.speed;
    n.busy_series.assign(n_intervals_, 0.0);
    n.queue_series.assign(n_intervals_, 0);
    metrics.nodes.push_back(std::move(n));
    return metrics.nodes.back();
  };
  // Node metrics must not move once stages reference them.
  std::size_t node_total = 1 + static_cast<std::size_t>(sc_.brokers.count) + sc_.services.size();
  for (const auto& s : sc_.sites) node_total += s.gateways.size();
  metrics.nodes.reserve(node_total);

  for (const auto& l : sc_.links) {
    LinkMetrics m;
    m.name = l.name;
    m.bandwidth = l.bandwidth;
    m.latency = l.latency;
    m.bytes_series.assign(n_intervals_, 0.0);
    metrics.links.push_back(std::move(m));
  }
  auto route_links = [&](const std::string& from, const std::string& to) {
    std::vector<LinkMetrics*> out;
    for (int li : topo_.route(from, to)) out.push_back(&metrics.links[static_cast<std::size_t>(li)]);
    return out;
  };

  // Services (cloud) first, so brokers can connect to them.
  for (std::size_t s = 0; s < sc_.services.size(); ++s) {
    const auto& svc = sc_.services[s];
    const ProcessingSpec* node = nullptr;
    for (const auto& n : sc_.cloud_nodes)
      if (n.name == svc.node) node = &n;
    ProcessingSpec p = *node;
    p.name = svc.name;
    NodeMetrics& nm = add_node(p, "service");
    auto st = std::make_unique<Stage>(*this, nm, hosts_.at(svc.node), node->cores, node->queue_capacity,
                                      LossCause::service_queue_full);
    st->set_cost([&svc](const Message& m) { return svc.cost_per_message + svc.cost_per_byte * m.payload; });
    st->set_next([this](Message* m) { deliver(m); });
    service_stages_.push_back(std::move(st));
    metrics.services.push_back(svc.name);
  }

  const auto broker_names = sc_.brokers.names();
  broker_to_svc_.resize(broker_names.size());
  for (std::size_t b = 0; b < broker_names.size(); ++b) {
    ProcessingSpec p = sc_.brokers.node;
    p.name = broker_names[b];
    NodeMetrics& nm = add_node(p, "broker");
    auto st = std::make_unique<Stage>(*this, nm, hosts_.at(p.name), p.cores, p.queue_capacity,
                                      LossCause::broker_queue_full);
    for (std::size_t s = 0; s < sc_.services.size(); ++s) {
      connections_.push_back(std::make_unique<Connection>(*this, p.name + "->" + sc_.services[s].name,
                                                          hosts_.at(sc_.services[s].node), service_stages_[s].get(),
                                                          -1, route_links(p.name, sc_.services[s].node)));
      broker_to_svc_[b].push_back(connections_.back().get());
    }
    const double per_publish = sc_.brokers.node.cost_per_message;
    const double per_byte = sc_.brokers.node.cost_per_byte;
    const double per_delivery = sc_.brokers.cost_per_delivery;
    st->set_cost([this, per_publish, per_byte, per_delivery](const Message& m) {
      return per_publish + per_byte * m.payload +
             per_delivery * static_cast<double>(traffic_[m.traffic].services.size());
    });
    st->set_next([this, b](Message* m) {
      m->t[4] = s4u::Engine::get_clock();
      const auto& subs = traffic_[m->traffic].services;
      if (subs.empty()) {
        if (m->measured) ++metrics.groups[traffic_[m->traffic].group].unsubscribed;
        finish_in_flight(1);
        pool.put(m);
        return;
      }
      in_flight += subs.size() - 1;
      for (std::size_t k = 1; k < subs.size(); ++k) {
        Message* copy = pool.get();
        *copy = *m;
        copy->service = subs[k];
        broker_to_svc_[b][subs[k]]->send(copy);
      }
      m->service = subs[0];
      broker_to_svc_[b][subs[0]]->send(m);
    });
    broker_stages_.push_back(std::move(st));
  }

  const std::string& lb = sc_.load_balancer.node.name;
  NodeMetrics& lbm = add_node(sc_.load_balancer.node, "load_balancer");
  lb_stage_ = std::make_unique<Stage>(*this, lbm, hosts_.at(lb), sc_.load_balancer.node.cores,
                                      sc_.load_balancer.node.queue_capacity, LossCause::balancer_queue_full);
  const double lb_msg = sc_.load_balancer.node.cost_per_message, lb_byte = sc_.load_balancer.node.cost_per_byte;
  lb_stage_->set_cost([lb_msg, lb_byte](const Message& m) { return lb_msg + lb_byte * m.payload; });
  for (std::size_t b = 0; b < broker_names.size(); ++b) {
    connections_.push_back(std::make_unique<Connection>(*this, lb + "->" + broker_names[b], hosts_.at(broker_names[b]),
                                                        broker_stages_[b].get(), 3, route_links(lb, broker_names[b])));
    lb_to_broker_.push_back(connections_.back().get());
  }
  lb_stage_->set_next([this](Message* m) { lb_to_broker_[m->broker]->send(m); });
  lb_connections_.assign(broker_names.size(), 0);

  std::map<std::string, std::size_t> gw_index;
  for (const auto& site : sc_.sites)
    for (const auto& gw : site.gateways) {
      NodeMetrics& nm = add_node(gw, "gateway");
      auto st = std::make_unique<Stage>(*this, nm, hosts_.at(gw.name), gw.cores, gw.queue_capacity,
                                        LossCause::gateway_queue_full);
      const double c_msg = gw.cost_per_message, c_byte = gw.cost_per_byte;
      st->set_cost([c_msg, c_byte](const Message& m) { return c_msg + c_byte * m.payload; });
      const std::size_t idx = gateway_stages_.size();
      Connection* up = nullptr;
      if (topo_.has_route(gw.name, lb)) {
        connections_.push_back(std::make_unique<Connection>(*this, gw.name + "->" + lb, hosts_.at(lb), lb_stage_.get(),
                                                            -1, route_links(gw.name, lb)));
        up = connections_.back().get();
      }
      gw_to_lb_.push_back(up);
      st->set_next([this, idx](Message* m) {
        m->t[2] = s4u::Engine::get_clock();
        gw_to_lb_[idx]->send(m);
      });
      gw_index[gw.name] = idx;
      gateway_names_.push_back(gw.name);
      gateway_stages_.push_back(std::move(st));
    }

  // Device groups and their traffic.
  std::map<std::string, std::size_t> group_index;
  for (const auto& site : sc_.sites)
    for (const auto& g : site.device_groups) {
      GroupMetrics gm;
      gm.name = g.name;
      gm.tenant = g.tenant;
      gm.devices = g.count;
      gm.series.assign(n_intervals_, IntervalCounters{});
      group_index[g.name] = metrics.groups.size();
      metrics.groups.push_back(std::move(gm));
    }
  std::map<std::string, std::uint64_t> client_base;
  std::uint64_t base = 0;
  for (const auto& site : sc_.sites)
    for (const auto& g : site.device_groups) {
      client_base[g.name] = base;
      base += g.count;
    }
  for (const auto& t : sc_.traffic) {
    TrafficRuntime tr;
    tr.spec = &t;
    tr.group = group_index.at(t.group);
    tr.group_spec = sc_.find_group(t.group);
    tr.client_base = client_base.at(t.group);
    for (const auto& gw : tr.group_spec->gateways) tr.gateway_stage.push_back(gw_index.at(gw));
    // Topic of device k: the template with {site}, {group} filled in and {device} = k.
    std::string topic = t.topic;
    const std::string site = tr.group_spec->site;
    const std::string group = tr.group_spec->name.substr(site.size() + 1);
    auto replace_all = [](std::string& s, const std::string& from, const std::string& to) {
      for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    };
    replace_all(topic, "{site}", site);
    replace_all(topic, "{group}", group);
    std::size_t device_slots = 0;
    for (auto p = topic.find("{device}"); p != std::string::npos; p = topic.find("{device}", p + 1)) ++device_slots;
    tr.topic_base_length = topic.size() - 8 * device_slots;
    std::vector<std::string> levels = split_levels(topic);
    std::vector<bool> varies;
    for (const auto& l : levels) varies.push_back(l.find("{device}") != std::string::npos);
    for (std::size_t s = 0; s < sc_.services.size(); ++s)
      for (const auto& f : sc_.services[s].subscribe)
        if (topic_matches(split_levels(f), levels, varies)) {
          tr.services.push_back(static_cast<std::uint32_t>(s));
          break;
        }
    auto& gm = metrics.groups[tr.group];
    gm.fanout = std::max(gm.fanout, static_cast<int>(tr.services.size()));
    assigned_broker_.emplace_back(sc_.load_balancer.policy == "client-id-hash" ? 0 : tr.group_spec->count, UINT16_MAX);
    traffic_.push_back(std::move(tr));
  }
  for (auto& tr : traffic_) tr.spec = &sc_.traffic[static_cast<std::size_t>(&tr - traffic_.data())];
}

std::uint64_t decimal_digits(std::uint64_t v) {
  std::uint64_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

void Run::generator(std::size_t ti) {
  TrafficRuntime& tr = traffic_[ti];
  const TrafficSpec& t = *tr.spec;
  const DeviceGroupSpec& g = *tr.group_spec;
  auto& gm = metrics.groups[tr.group];
  models::Rng rng(sc_.seed, "traffic/" + std::to_string(ti) + "/" + g.name);
  struct Event {
    double time;
    std::uint64_t seq;
    std::uint64_t data;  // device index, or Message* for an arrival
    bool arrival;
    bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> heap;
  std::uint64_t seq = 0;
  std::vector<std::uint32_t> burst_left;
  if (t.pattern == "burst") burst_left.assign(g.count, static_cast<std::uint32_t>(t.burst_size));
  for (std::uint64_t k = 0; k < g.count; ++k) heap.push(Event{t.start + rng.uniform() * t.period, seq++, k, false});

  const std::uint64_t access_overhead = models::mqtt::mqttsn_publish_size(0);
  while (!heap.empty()) {
    const Event e = heap.top();
    heap.pop();
    if (!e.arrival && e.time >= sc_.duration) continue;  // generation has ended; no need to wait for it
    if (e.time > s4u::Engine::get_clock()) s4u::this_actor::sleep_until(e.time);
    ++events;
    if (e.arrival) {
      auto* m = reinterpret_cast<Message*>(e.data);
      m->t[1] = e.time;
      gateway_stages_[tr.gateway_stage[m->device % tr.gateway_stage.size()]]->push(m);
      continue;
    }
    const std::uint64_t k = e.data;
    // Next transmission of this device.
    double next = 0;
    if (t.pattern == "periodic") {
      next = e.time + t.period + (t.jitter > 0 ? rng.uniform() * t.jitter : 0.0);
    } else if (t.pattern == "poisson") {
      next = e.time + rng.exponential(t.period);
    } else {
      if (--burst_left[k] > 0) {
        next = e.time + t.burst_spacing;
      } else {
        burst_left[k] = static_cast<std::uint32_t>(t.burst_size);
        next = e.time + t.period - t.burst_spacing * static_cast<double>(t.burst_size - 1);
      }
    }
    heap.push(Event{next, seq++, k, false});

    Message* m = pool.get();
    m->traffic = static_cast<std::uint32_t>(ti);
    m->device = k;
    m->payload = static_cast<std::uint32_t>(t.payload);
    m->wire = static_cast<std::uint32_t>(
        models::mqtt::publish_packet_size(tr.topic_base_length + decimal_digits(k), t.payload, t.qos));
    m->broker = broker_for(tr, k);
    m->measured = e.time >= sc_.warmup;
    m->t[0] = e.time;
    const int fanout = static_cast<int>(tr.services.size());
    if (m->measured) {
      ++gm.sent;
      gm.expected += static_cast<std::uint64_t>(fanout);
      ++gm.series[interval_of(e.time)].sent;
    }
    ++in_flight;
    if (g.access.loss > 0 && rng.chance(g.access.loss)) {
      lose(m, LossCause::access, fanout);
      continue;
    }
    const double frame = static_cast<double>(access_overhead + t.payload);
    const double arrival = e.time + g.access.latency + frame / g.access.bandwidth;
    heap.push(Event{arrival, seq++, reinterpret_cast<std::uint64_t>(m), true});
  }
}

void Run::controller() {
  s4u::this_actor::sleep_until(sc_.duration);
  const double deadline = sc_.duration + drain_time(sc_);
  std::unique_lock lock(*done_mutex_);
  while (in_flight > 0 && s4u::Engine::get_clock() < deadline) done_cv_->wait_until(lock, deadline);
  metrics.drained = in_flight == 0;
}

void Run::progress() {
  const double step = sc_.duration / 100.0;
  double last_print = -1e9;
  std::uint64_t last_events = 0;
  for (;;) {
    s4u::this_actor::sleep_for(step);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    if (wall < opt_.progress_after || wall - last_print < 1.0) continue;
    const double now = s4u::Engine::get_clock();
    const double pct = std::min(100.0, 100.0 * now / sc_.duration);
    const double rate = static_cast<double>(events - last_events) / std::max(1e-9, wall - std::max(0.0, last_print));
    const double eta = pct > 0 ? wall * (100.0 - pct) / pct : 0.0;
    char buf[200];
    std::snprintf(buf, sizeof buf, "edgetwin: simulated %.1fs of %.1fs (%.0f%%), %.0f events/s, elapsed %.0fs, ETA %.0fs\n",
                  now, sc_.duration, pct, last_print < 0 ? static_cast<double>(events) / wall : rate, wall, eta);
    *opt_.progress << buf << std::flush;
    last_print = wall;
    last_events = events;
  }
}

RunMetrics Run::execute() {
  metrics.interval = sc_.outputs.interval;
  n_intervals_ = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil((sc_.duration + drain_time(sc_)) / metrics.interval)));
  build_platform();
  build_stages();
  for (auto& c : connections_) c->start();
  for (auto& s : gateway_stages_) s->start();
  lb_stage_->start();
  for (auto& s : broker_stages_) s->start();
  for (auto& s : service_stages_) s->start();
  for (std::size_t i = 0; i < traffic_.size(); ++i)
    s4u::Actor::create("gen/" + sc_.traffic[i].group + "/" + std::to_string(i), devices_host_,
                       [this, i] { generator(i); });
  s4u::Actor::create("controller", devices_host_, [this] { controller(); });
  if (opt_.progress) s4u::Actor::create("progress", devices_host_, [this] { progress(); })->daemonize();
  s4u::Engine::get_instance()->run();
  metrics.simulated_end = s4u::Engine::get_clock();
  metrics.events = events;
  // Deliveries still in flight (not drained) are unfinished, attributed to their groups.
  return std::move(metrics);
}

}  // namespace

double drain_time(const Scenario& sc) { return std::max(60.0, 0.1 * sc.duration); }

RunMetrics run_simulation(const Scenario& sc, const RunOptions& opt) {
  static bool ran = false;
  if (ran) throw std::logic_error("run_simulation: one SimGrid engine per process");
  ran = true;
  std::vector<std::string> args = {"edgetwin", "--log=root.thresh:critical"};
  std::vector<std::string> cfg = {"network/model:" + sc.engine.network_model, "network/crosstraffic:0"};
  for (const auto& c : sc.engine.simgrid_config) cfg.push_back(c);
  for (const auto& c : cfg) args.push_back("--cfg=" + c);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);
  s4u::Engine engine(&argc, argv.data());
  Run run(sc, opt);
  RunMetrics m = run.execute();
  // Unfinished deliveries: whatever was expected but neither delivered nor lost.
  for (auto& g : m.groups) {
    const std::uint64_t accounted = g.delivered + g.lost_total();
    g.unfinished = g.expected > accounted ? g.expected - accounted : 0;
  }
  return m;
}

}  // namespace edgetwin::sim
