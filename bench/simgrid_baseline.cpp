// bench/simgrid_baseline.cpp — the engine's own cost: raw SimGrid S4U moving the same messages over
// the same hops as an EdgeTwin run of a bench/scale scenario, with no EdgeTwin model code (no radio
// model, no metrics, no scenario loading). It is the limit EdgeTwin is measured against
// (bench/scale/scale.py runs both and prints the ratio; docs/performance.md has the results).
//
// What it does, per message (mirroring sim/simulation.cpp's structure one for one):
//   1. one "devices" actor drives every device through one event heap (no actor per device):
//      a generate event creates the message from a free-list pool and schedules the device's next
//      message (periodic, uniform phase, small jitter) and the message's arrival at its gateway
//      after a fixed access delay (a second heap event, like EdgeTwin's generic/cellular access);
//   2. arrival: pushed onto the gateway's FIFO, a semaphore released; one worker actor per core
//      pops it and executes its CPU cost on the gateway host (s4u::this_actor::execute);
//   3. gateway -> load balancer: Mailbox::put_init(m, size)->detach() on a mailbox with a
//      permanent receiver actor on the destination host, which pushes onto the next FIFO;
//   4. load balancer worker: exec; -> broker (device k uses broker k mod B, round-robin);
//   5. broker worker: exec; -> cloud node (one ingest service); cloud worker: exec; consumed.
//   So 2 heap events + 4 execs + 3 comms per message, the same SimGrid work as EdgeTwin's path
//   (radio -> gateway -> backhaul -> LB -> broker -> cloud). --no-lb drops the load-balancer
//   stage (gateway -> broker directly: 3 execs + 2 comms). --inline-stages is a what-if, not a
//   mirror: stages forward at once with no worker actor and no exec (only the comms and the heap
//   remain), i.e. the engine cost left if CPU stages were computed analytically.
// Platform: one full zone; hosts for gateways, load balancer, brokers, cloud node and one for the
// devices; one backhaul link per gateway, one cluster link and one cloud link per broker (as
// EdgeTwin expands a link to "brokers"). Network model CM02, cross-traffic off (as EdgeTwin).
//
// usage: bench_simgrid_baseline --devices N [--gateways G] [--brokers B] [--gw-cores C]
//        [--cloud-cores C] [--rate R (messages per device per hour)] [--duration S] [--no-lb]
//        [--inline-stages] [--seed S] [--cfg=...]
// Prints one line of key=value figures (parsed by bench/scale/scale.py).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

namespace s4u = simgrid::s4u;

namespace {

struct Params {
  std::uint64_t devices = 10000;
  int gateways = 0;  // 0: derived from devices like bench/scale (one per ~830 devices)
  int brokers = 0;   // 0: derived
  int gw_cores = 2;
  int cloud_cores = 0;  // 0: derived
  double rate_per_hour = 4.0;
  double duration = 3600.0;
  bool lb = true;
  bool analytic_stages = false;  // --analytic-stages: stages as computed c-server FIFOs, one server actor each
  bool inline_stages = false;  // --inline-stages: no worker actors and no execs (what-if: CPU stages computed analytically)
  std::uint64_t seed = 1;
  // Costs and links: the bench/scale scenario's values.
  double gw_speed = 1e9, gw_cost = 300e3;
  double lb_speed = 4e9, lb_cost = 20e3;
  double broker_speed = 2e9, broker_cost = 60e3 + 30e3;  // per publish + one delivery
  double cloud_speed = 2e9, cloud_cost = 200e3;
  double backhaul_bw = 100e6 / 8, backhaul_lat = 10e-3;
  double cluster_bw = 10e9 / 8, cluster_lat = 200e-6;
  double cloud_bw = 10e9 / 8, cloud_lat = 1e-3;
  double access_delay = 50e-3;
  std::uint32_t wire = 64;  // bytes of an MQTT PUBLISH with a short topic and a 20-50 B payload
};

struct Msg {
  std::uint64_t device = 0;
  std::uint32_t gateway = 0, broker = 0;
  double created = 0;
};

class Pool {
 public:
  Msg* get() {
    if (free_.empty()) {
      chunks_.emplace_back(new Msg[4096]);
      for (int i = 0; i < 4096; ++i) free_.push_back(&chunks_.back()[i]);
    }
    Msg* m = free_.back();
    free_.pop_back();
    *m = Msg{};
    return m;
  }
  void put(Msg* m) { free_.push_back(m); }

 private:
  std::vector<std::unique_ptr<Msg[]>> chunks_;
  std::vector<Msg*> free_;
};

// splitmix64: a tiny deterministic generator (no EdgeTwin code).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

struct Counters {
  std::uint64_t created = 0, delivered = 0, events = 0, in_flight = 0;
  double latency_sum = 0;
};

Pool g_pool;
Counters g_count;
bool g_inline = false;
bool g_analytic = false;  // --analytic-stages: one server actor per stage, c-server FIFO computed, no exec

class Stage {
 public:
  Stage(s4u::Host* host, int workers, double cost)
      : host_(host), workers_(workers), cost_(cost), core_free_(static_cast<std::size_t>(workers), 0.0) {}
  void set_next(std::function<void(Msg*)> f) { next_ = std::move(f); }
  void start(const std::string& name) {
    if (g_inline) return;
    if (g_analytic) {
      s4u::Actor::create(name + "#server", host_, [this] { serve_analytic(); })->daemonize();
      return;
    }
    for (int w = 0; w < workers_; ++w)
      s4u::Actor::create(name + "#w" + std::to_string(w), host_, [this] { serve(); })->daemonize();
  }
  void push(Msg* m) {
    if (g_inline) {  // what-if: the stage's delay is computed outside SimGrid; only the comms remain
      ++g_count.events;
      return next_(m);
    }
    if (g_analytic) {
      // Exact c-server FIFO: the message starts on the earliest free core and finishes cost/speed later.
      const double now = s4u::Engine::get_clock();
      auto core = std::min_element(core_free_.begin(), core_free_.end());
      const double done = std::max(now, *core) + cost_ / host_->get_speed();
      *core = done;
      pending_.push(Pending{done, seq_++, m});
      if (waiting_ && done < target_) {  // the server sleeps past this completion (or idles): wake it
        waiting_ = false;
        ready_->release();
      }
      return;
    }
    queue_.push_back(m);
    ready_->release();
  }

 private:
  void serve() {
    for (;;) {
      ready_->acquire();
      Msg* m = queue_.front();
      queue_.pop_front();
      s4u::this_actor::execute(cost_);
      ++g_count.events;
      next_(m);
    }
  }
  void serve_analytic() {
    for (;;) {
      const double now = s4u::Engine::get_clock();
      while (!pending_.empty() && pending_.top().done <= now) {
        Msg* m = pending_.top().m;
        pending_.pop();
        ++g_count.events;
        next_(m);
      }
      waiting_ = true;
      if (pending_.empty()) {
        target_ = INFINITY;
        ready_->acquire();
      } else {
        target_ = pending_.top().done;
        ready_->acquire_timeout(target_ - now);
      }
      waiting_ = false;
    }
  }
  struct Pending {
    double done;
    std::uint64_t seq;
    Msg* m;
    bool operator>(const Pending& o) const { return done != o.done ? done > o.done : seq > o.seq; }
  };
  s4u::Host* host_;
  int workers_;
  double cost_;
  std::vector<double> core_free_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  std::uint64_t seq_ = 0;
  bool waiting_ = false;
  double target_ = INFINITY;
  std::function<void(Msg*)> next_;
  std::deque<Msg*> queue_;
  s4u::SemaphorePtr ready_ = s4u::Semaphore::create(0);
};

class Connection {
 public:
  Connection(const std::string& name, s4u::Host* dst, Stage* dest)
      : mbox_(s4u::Mailbox::by_name(name)), dst_(dst), dest_(dest) {}
  void start() {
    s4u::ActorPtr a = s4u::Actor::create(mbox_->get_name() + "#rx", dst_, [this] {
      for (;;) {
        auto* m = mbox_->get<Msg>();
        ++g_count.events;
        dest_->push(m);
      }
    });
    a->daemonize();
    mbox_->set_receiver(a);
  }
  void send(Msg* m, std::uint32_t bytes) { mbox_->put_init(m, bytes)->detach(); }

 private:
  s4u::Mailbox* mbox_;
  s4u::Host* dst_;
  Stage* dest_;
};

struct Event {
  double time;
  std::uint64_t seq;
  std::uint64_t data;  // device, or Msg* for an arrival
  bool arrive;
  bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

}  // namespace

int main(int argc, char** argv) {
  Params p;
  std::vector<char*> sg_args = {argv[0]};
  std::string model = "--cfg=network/model:CM02", cross = "--cfg=network/crosstraffic:0",
              log = "--log=root.thresh:critical";
  sg_args.push_back(model.data());
  sg_args.push_back(cross.data());
  sg_args.push_back(log.data());
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--devices") p.devices = std::stoull(val());
    else if (a == "--gateways") p.gateways = std::stoi(val());
    else if (a == "--brokers") p.brokers = std::stoi(val());
    else if (a == "--gw-cores") p.gw_cores = std::stoi(val());
    else if (a == "--cloud-cores") p.cloud_cores = std::stoi(val());
    else if (a == "--rate") p.rate_per_hour = std::stod(val());
    else if (a == "--duration") p.duration = std::stod(val());
    else if (a == "--seed") p.seed = std::stoull(val());
    else if (a == "--no-lb") p.lb = false;
    else if (a == "--inline-stages") p.inline_stages = true;
    else if (a == "--analytic-stages") p.analytic_stages = true;
    else if (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0) sg_args.push_back(argv[i]);
    else {
      std::fprintf(stderr, "usage: %s --devices N [--gateways G] [--brokers B] [--gw-cores C] [--cloud-cores C] "
                           "[--rate R/h] [--duration S] [--no-lb] [--inline-stages] [--analytic-stages] [--seed S] [--cfg=...]\n", argv[0]);
      return 2;
    }
  }
  g_inline = p.inline_stages;
  g_analytic = p.analytic_stages;
  const auto n = static_cast<double>(p.devices);
  if (p.gateways <= 0) p.gateways = std::max(1, static_cast<int>(std::ceil(n / 833.0)));
  if (p.brokers <= 0) p.brokers = std::max(2, static_cast<int>(std::ceil(n / 100000.0)));
  if (p.cloud_cores <= 0) p.cloud_cores = std::max(4, static_cast<int>(std::ceil(n / 50000.0)));
  const auto wall0 = std::chrono::steady_clock::now();

  int sg_argc = static_cast<int>(sg_args.size());
  sg_args.push_back(nullptr);
  s4u::Engine engine(&sg_argc, sg_args.data());

  // Platform.
  s4u::NetZone* zone = s4u::create_full_zone("baseline");
  auto host = [&](const std::string& name, double speed, int cores) {
    s4u::Host* h = zone->create_host(name, speed);
    h->set_core_count(cores);
    h->seal();
    return h;
  };
  auto link = [&](const std::string& name, double bw, double lat) {
    s4u::Link* l = zone->create_link(name, bw);
    l->set_latency(lat);
    l->seal();
    return l;
  };
  auto route = [&](s4u::Host* a, s4u::Host* b, s4u::Link* l) {
    std::vector<s4u::LinkInRoute> r{s4u::LinkInRoute(l)};
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, r, false);
  };
  std::vector<s4u::Host*> gw_hosts, broker_hosts;
  for (int g = 0; g < p.gateways; ++g) gw_hosts.push_back(host("gw-" + std::to_string(g), p.gw_speed, p.gw_cores));
  s4u::Host* lb_host = host("lb", p.lb_speed, 2);
  for (int b = 0; b < p.brokers; ++b) broker_hosts.push_back(host("broker-" + std::to_string(b + 1), p.broker_speed, 1));
  s4u::Host* cloud_host = host("cloud/k8s-1", p.cloud_speed, p.cloud_cores);
  s4u::Host* dev_host = host("devices", 1e9, 1);
  for (int g = 0; g < p.gateways; ++g) {
    s4u::Link* l = link("backhaul-" + std::to_string(g), p.backhaul_bw, p.backhaul_lat);
    for (int b = 0; b < p.brokers; ++b)
      if (!p.lb) route(gw_hosts[g], broker_hosts[b], l);  // without LB: the backhaul reaches every broker
    if (p.lb) route(gw_hosts[g], lb_host, l);
  }
  if (p.inline_stages) {
    // Inline gateways send from the devices actor: give the devices host one backhaul-like FATPIPE
    // link (no sharing, like the uncontended per-gateway backhauls) to the first wired hop.
    s4u::Link* l = link("backhaul-inline", p.backhaul_bw, p.backhaul_lat);
    l->set_sharing_policy(s4u::Link::SharingPolicy::FATPIPE);
    if (p.lb) route(dev_host, lb_host, l);
    else
      for (int b = 0; b < p.brokers; ++b) route(dev_host, broker_hosts[b], l);
  }
  for (int b = 0; b < p.brokers; ++b) {
    if (p.lb) route(lb_host, broker_hosts[b], link("cluster/broker-" + std::to_string(b + 1), p.cluster_bw, p.cluster_lat));
    route(broker_hosts[b], cloud_host, link("cloud/broker-" + std::to_string(b + 1), p.cloud_bw, p.cloud_lat));
  }
  zone->seal();

  // Stages and connections.
  Stage cloud(cloud_host, p.cloud_cores, p.cloud_cost);
  std::vector<std::unique_ptr<Stage>> brokers, gateways;
  std::vector<std::unique_ptr<Connection>> to_cloud, lb_to_broker, gw_up;
  std::vector<std::vector<std::unique_ptr<Connection>>> gw_to_broker;  // --no-lb
  Stage lb(lb_host, 2, p.lb_cost);
  cloud.set_next([](Msg* m) {
    ++g_count.delivered;
    g_count.latency_sum += s4u::Engine::get_clock() - m->created;
    --g_count.in_flight;
    g_pool.put(m);
  });
  for (int b = 0; b < p.brokers; ++b) {
    const std::string name = "broker-" + std::to_string(b + 1);
    brokers.push_back(std::make_unique<Stage>(broker_hosts[b], 1, p.broker_cost));
    to_cloud.push_back(std::make_unique<Connection>(name + "->ingest", cloud_host, &cloud));
    lb_to_broker.push_back(std::make_unique<Connection>("lb->" + name, broker_hosts[b], brokers.back().get()));
    Connection* c = to_cloud.back().get();
    brokers.back()->set_next([c, &p](Msg* m) { c->send(m, p.wire); });
  }
  lb.set_next([&](Msg* m) { lb_to_broker[m->broker]->send(m, p.wire); });
  gw_to_broker.reserve(static_cast<std::size_t>(p.gateways));  // rows are referenced by pointer below
  for (int g = 0; g < p.gateways; ++g) {
    gateways.push_back(std::make_unique<Stage>(gw_hosts[g], p.gw_cores, p.gw_cost));
    if (p.lb) {
      gw_up.push_back(std::make_unique<Connection>("gw-" + std::to_string(g) + "->lb", lb_host, &lb));
      Connection* c = gw_up.back().get();
      gateways.back()->set_next([c, &p](Msg* m) { c->send(m, p.wire); });
    } else {
      gw_to_broker.emplace_back();
      for (int b = 0; b < p.brokers; ++b)
        gw_to_broker.back().push_back(std::make_unique<Connection>(
            "gw-" + std::to_string(g) + "->broker-" + std::to_string(b + 1), broker_hosts[b], brokers[b].get()));
      auto* row = &gw_to_broker.back();
      gateways.back()->set_next([row, &p](Msg* m) { (*row)[m->broker]->send(m, p.wire); });
    }
  }
  for (auto& c : to_cloud) c->start();
  if (p.lb) {
    for (auto& c : lb_to_broker) c->start();
    for (auto& c : gw_up) c->start();
    lb.start("lb");
  }
  for (auto& row : gw_to_broker)
    for (auto& c : row) c->start();
  cloud.start("ingest");
  for (int b = 0; b < p.brokers; ++b) brokers[b]->start("broker-" + std::to_string(b + 1));
  for (int g = 0; g < p.gateways; ++g) gateways[g]->start("gw-" + std::to_string(g));

  const double period = 3600.0 / p.rate_per_hour;
  const double jitter = period / 100.0;
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  s4u::MutexPtr done_mutex = s4u::Mutex::create();
  s4u::ConditionVariablePtr done_cv = s4u::ConditionVariable::create();

  s4u::Actor::create("devices", dev_host, [&] {
    Rng rng{p.seed};
    std::priority_queue<Event, std::vector<Event>, std::greater<>> heap;
    std::uint64_t seq = 0;
    for (std::uint64_t k = 0; k < p.devices; ++k) heap.push(Event{rng.uniform() * period, seq++, k, false});
    while (!heap.empty()) {
      const Event e = heap.top();
      heap.pop();
      if (!e.arrive && e.time >= p.duration) continue;
      if (e.time > s4u::Engine::get_clock()) s4u::this_actor::sleep_until(e.time);
      ++g_count.events;
      if (e.arrive) {
        auto* m = reinterpret_cast<Msg*>(e.data);
        gateways[m->gateway]->push(m);
        continue;
      }
      const std::uint64_t k = e.data;
      heap.push(Event{e.time + period + rng.uniform() * jitter, seq++, k, false});
      Msg* m = g_pool.get();
      m->device = k;
      m->gateway = static_cast<std::uint32_t>(k % static_cast<std::uint64_t>(p.gateways));
      m->broker = static_cast<std::uint32_t>(k % static_cast<std::uint64_t>(p.brokers));
      m->created = e.time;
      ++g_count.created;
      ++g_count.in_flight;
      heap.push(Event{e.time + p.access_delay, seq++, reinterpret_cast<std::uint64_t>(m), true});
    }
    // Creation has ended: wait until every message is consumed (at most 60 s more, like EdgeTwin).
    const double deadline = p.duration + 60.0;
    std::unique_lock lock(*done_mutex);
    while (g_count.in_flight > 0 && s4u::Engine::get_clock() < deadline) {
      done_cv->wait_until(lock, std::min(deadline, s4u::Engine::get_clock() + 1.0));
    }
  });
  engine.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  std::printf(
      "baseline devices=%llu gateways=%d brokers=%d lb=%d created=%llu delivered=%llu events=%llu "
      "setup_s=%.3f wall_s=%.3f simulated_s=%.3f msgs_per_wall_s=%.0f events_per_wall_s=%.0f "
      "mean_latency_s=%.6f\n",
      static_cast<unsigned long long>(p.devices), p.gateways, p.brokers, p.lb ? 1 : 0,
      static_cast<unsigned long long>(g_count.created), static_cast<unsigned long long>(g_count.delivered),
      static_cast<unsigned long long>(g_count.events), setup_s, wall, s4u::Engine::get_clock(),
      static_cast<double>(g_count.delivered) / std::max(1e-9, wall),
      static_cast<double>(g_count.events) / std::max(1e-9, wall),
      g_count.delivered ? g_count.latency_sum / static_cast<double>(g_count.delivered) : 0.0);
  return 0;
}
