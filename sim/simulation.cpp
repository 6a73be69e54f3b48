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
#include <cstdlib>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <exception>
#include <memory>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <stdexcept>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/core/rng.hpp"
#include "models/protocol/mqtt_packet.hpp"
#include "models/protocol/mqtt_topic.hpp"
#include "models/radio/path_loss.hpp"
#include "sim/alerting.hpp"
#include "sim/data_services.hpp"
#include "sim/hpa.hpp"
#include "sim/radio_access.hpp"
#include "sim/topology.hpp"

namespace edgetwin::sim {

namespace s4u = simgrid::s4u;

namespace {

struct Message {
  std::uint32_t traffic = 0;  // uplink: traffic entry; downlink: command entry
  std::uint32_t group = 0;    // device group (index in RunMetrics::groups and access runtimes)
  std::uint32_t service = 0;
  std::uint64_t device = 0;
  std::uint32_t payload = 0;
  std::uint32_t wire = 0;  // MQTT PUBLISH size on wired hops
  std::uint16_t broker = 0;
  bool measured = false;
  bool downlink = false;  // a command travelling service -> broker -> gateway -> device
  bool connect = false;   // an MQTT CONNECT of a reconnecting session (failover)
  bool forwarded = false; // already processed by its gateway (released from the store-and-forward buffer)
  bool past_broker = false;
  bool duplicate = false;
  bool local_action = false;  // triggers the gateway's real-time local action  // a QoS 1 retransmission of a message already delivered (its PUBACK was lost)
  std::uint8_t qos = 0;
  std::uint16_t gateway = 0;      // gateway stage it entered
  std::uint32_t route_epoch = 0;  // sum of the route's link epochs when sent (a change = the link failed meanwhile)
  std::uint32_t batch = 0;        // an aggregated PUBLISH: 1 + its index in Run::batch_ranges_ (0: a single message)
  std::uint16_t peer = 0;         // after the broker: the broker delivering to the subscriber; CONNECT: see takeover
  std::uint8_t takeover = 0;      // CONNECT taking over a session: 1 at the new broker, 2 at the old, 3 back
  bool routed = false;            // crossing the broker interconnect to the subscriber's broker (cluster)
  bool held = false;              // held by its broker for an offline subscriber, now sent again
  bool response = false;          // an application's response to the device (downlink; t[] keep its frame's times)
  std::uint16_t app = 0;          // 1 + application index: a frame of an application, or its response (0: none)
  double sent = 0;                // application frames: left the device (after its device stages)
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

/// A 4-ary min-heap (by operator<): half the depth of a binary heap and its four children share
/// a cache line or two, for the millions of pending device events. Keys must be unique (a total
/// order), so the pop order is the same as any other correct priority queue's.
template <class T>
class QuadHeap {
 public:
  bool empty() const { return v_.empty(); }
  const T& top() const { return v_.front(); }
  void push(const T& x) {
    std::size_t i = v_.size();
    v_.push_back(x);
    while (i > 0) {
      const std::size_t p = (i - 1) / 4;
      if (!(x < v_[p])) break;
      v_[i] = v_[p];
      i = p;
    }
    v_[i] = x;
  }
  void pop() {
    const T x = v_.back();
    v_.pop_back();
    const std::size_t n = v_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
      const std::size_t c = 4 * i + 1;
      if (c >= n) break;
      std::size_t best = c;
      const std::size_t end = std::min(c + 4, n);
      for (std::size_t k = c + 1; k < end; ++k)
        if (v_[k] < v_[best]) best = k;
      if (!(v_[best] < x)) break;
      v_[i] = v_[best];
      i = best;
    }
    v_[i] = x;
  }

 private:
  std::vector<T> v_;
};

/// The device scheduler's pending events: a small 4-ary heap for the events of the time buckets
/// already reached, and unsorted buckets of `width` seconds for the later ones (a calendar queue:
/// the millions of periodic events wait in buckets, and the heap the scheduler pops from stays
/// small and cache-resident). Events beyond the ring of buckets wait in a second heap. Pops come in
/// exactly (time, key) order, as from a single priority queue.
template <class T>
class BucketQueue {
 public:
  explicit BucketQueue(double width = 1.0, std::size_t buckets = 4096) : width_(width), ring_(buckets) {}
  bool empty() {
    load();
    return near_.empty();
  }
  const T& top() {
    load();
    return near_.top();
  }
  void pop() {
    load();
    near_.pop();
  }
  void push(const T& e) {
    const std::uint64_t b = bucket(e.time);
    if (b < loaded_) {
      near_.push(e);
    } else if (b < loaded_ + ring_.size()) {
      auto& v = ring_[b % ring_.size()];
      if (v.capacity() == 0 && !spare_.empty()) {  // reuse the storage of a bucket already loaded
        v.swap(spare_.back());
        spare_.pop_back();
      }
      v.push_back(e);
      ++in_ring_;
    } else {
      far_.push(e);
    }
  }

 private:
  std::uint64_t bucket(double t) const {
    if (t <= 0) return 0;
    if (!(t < 1e15)) return std::uint64_t{1} << 52;  // far beyond any run (and infinity)
    return static_cast<std::uint64_t>(t / width_);
  }
  /// Moves buckets into the heap until its top precedes every event still in a bucket.
  void load() {
    // Every event in near_ is in a bucket before loaded_, so it precedes everything still bucketed.
    while (near_.empty() && (in_ring_ > 0 || !far_.empty())) {
      if (in_ring_ == 0) loaded_ = std::max(loaded_, bucket(far_.top().time));  // skip empty buckets
      auto& v = ring_[loaded_ % ring_.size()];
      for (const T& e : v) near_.push(e);
      in_ring_ -= v.size();
      v.clear();
      if (v.capacity() > 0) spare_.push_back(std::move(v));  // a loaded bucket keeps no storage
      v = std::vector<T>();
      ++loaded_;
      while (!far_.empty() && bucket(far_.top().time) < loaded_ + ring_.size()) {
        const T e = far_.top();
        far_.pop();
        push(e);
      }
    }
  }
  double width_;
  std::vector<std::vector<T>> ring_;
  std::vector<std::vector<T>> spare_;  // emptied storage of loaded buckets, for the next ones
  std::size_t in_ring_ = 0;
  std::uint64_t loaded_ = 0;  // buckets [0, loaded_) are in near_
  QuadHeap<T> near_, far_;
};

class Run;

std::uint64_t decimal_digits(std::uint64_t v);

/// A processing stage: a FIFO queue served by `workers` cores on one host; each message costs
/// CPU work on that host. Two ways to run it, chosen at build time:
///  - shared host (several stages on one host): one worker actor per core executes the work
///    (this_actor::execute), so stages sharing a host contend through SimGrid;
///  - exclusive host (the only stage on its host, nothing else computes there): an exact c-server
///    FIFO computed without SimGrid activities. A message starts on the earliest free core at
///    max(arrival, core free) and finishes cost / speed later; one server actor on the host sleeps
///    until the next completion and forwards from there (so hops leave from the right host).
///    Same queue, drops, busy time, queue length, crash and epoch semantics as the worker actors.
class Stage {
 public:
  Stage(Run& run, NodeMetrics& metrics, s4u::Host* host, int workers, std::uint64_t capacity, LossCause overflow)
      : run_(run), metrics_(metrics), host_(host), workers_(workers), capacity_(capacity), overflow_(overflow) {}

  /// Exponential service: each message's work is Exp(mean = its cost), from the stage's own stream.
  void set_exponential(std::uint64_t seed) {
    exponential_ = true;
    rng_ = models::Rng(seed, "service/" + metrics_.name);
  }

  void set_cost(std::function<double(const Message&)> cost) { cost_ = std::move(cost); }
  void set_next(std::function<void(Message*)> next) { next_ = std::move(next); }
  void set_down_cause(LossCause c) { down_cause_ = c; }
  /// Admission on arrival (before queueing): false = refused (the function has disposed of it).
  void set_admit(std::function<bool(Message*)> admit) { admit_ = std::move(admit); }
  /// The stage is alone on its host: run it as a computed c-server (before start()).
  void set_analytic() {
    analytic_ = true;
    core_free_.assign(static_cast<std::size_t>(std::max(1, workers_)), 0.0);
  }
  bool analytic() const { return analytic_; }
  s4u::Host* host() const { return host_; }
  void start();
  void push(Message* m);
  bool up() const { return up_; }
  /// The node fails: what waits in its queue, and what its cores are working on, is lost to it.
  void crash();
  void restore() { up_ = true; }
  NodeMetrics& metrics() { return metrics_; }

 private:
  void serve();
  void serve_analytic();
  /// False when the run must stop now (time limit, interrupt): the caller's actor then returns.
  bool complete(Message* m, std::uint32_t epoch, double start, double end, bool worked);

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
  bool exponential_ = false;
  models::Rng rng_;
  bool up_ = true;
  std::uint32_t epoch_ = 0;
  LossCause down_cause_ = LossCause::gateway_down;
  std::function<bool(Message*)> admit_;

  // Analytic (exclusive host) state.
  struct Job {
    double done;
    double start;
    std::uint64_t seq;  // push order (FIFO)
    Message* m;
    std::uint32_t epoch;
    std::uint32_t core;
    bool worked;  // cost > 0 (busy time is accounted)
    bool operator>(const Job& o) const { return done != o.done ? done > o.done : seq > o.seq; }
  };
  bool analytic_ = false;
  std::vector<double> core_free_;  // per core: when it finishes what it has been given
  std::priority_queue<Job, std::vector<Job>, std::greater<>> jobs_;  // given to a core, not finished
  std::deque<double> waiting_starts_;  // start times still in the future: the waiting queue's length
  std::uint64_t job_seq_ = 0;
  bool server_waiting_ = false;
  double server_until_ = 0;  // the server actor sleeps until then (infinity: until a push)
};

/// A network hop: an in-order stream (like one TCP connection) from a source host to a stage on
/// another host. The mailbox has a permanent receiver, so transfers start as soon as they are sent.
class Connection {
 public:
  Connection(Run& run, std::string name, s4u::Host* dst, Stage* dest, int stamp, std::vector<LinkMetrics*> links,
             std::vector<int> route)
      : run_(run),
        mbox_(s4u::Mailbox::by_name(name)),
        dst_(dst),
        dest_(dest),
        stamp_(stamp),
        links_(std::move(links)),
        route_(std::move(route)) {}
  const std::vector<int>& route() const { return route_; }
  void start();
  void send(Message* m);
  /// Bytes added to every packet on this hop (a VPN tunnel's headers).
  void set_extra_bytes(double b) { extra_bytes_ = b; }

 private:
  Run& run_;
  s4u::Mailbox* mbox_;
  s4u::Host* dst_;
  Stage* dest_;
  int stamp_;  // index in Message::t stamped on arrival (-1: none)
  std::vector<LinkMetrics*> links_;
  std::vector<int> route_;
  double extra_bytes_ = 0;
};

enum class Pattern : std::uint8_t { periodic, poisson, burst };
enum class AccessKind : std::uint8_t { generic, short_range, sigfox, cellular, lora };

struct TrafficRuntime {
  const TrafficSpec* spec = nullptr;
  Pattern pattern = Pattern::periodic;     // spec->pattern, resolved once
  AccessKind access = AccessKind::generic; // group_spec->access.model, resolved once
  std::size_t group = 0;  // index in RunMetrics::groups
  const DeviceGroupSpec* group_spec = nullptr;
  std::vector<std::size_t> gateway_stage;      // per gateway of the group: index into gateway stages
  std::vector<std::uint32_t> services;         // subscribed services
  std::uint64_t topic_base_length = 0;         // topic length without the device index digits
  int app = -1;                                // application fed by these frames (-1: none)
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
  void record_delivery(const Message& m);
  void note_queue(NodeMetrics& n, std::size_t length);
  std::uint64_t events = 0;
  /// True once the wall-time limit has passed or an interrupt was requested.
  bool stop_requested() const;
  /// Ends the run now, keeping what was measured so far (marked partial). Called from an actor.
  void stop_run();
  /// Every 1024 events: progress line, time limit and interrupt. True when the run must stop.
  bool checkpoint() {
    if (opt_.progress) progress();
    return stop_requested();
  }

  // --- faults and failover ------------------------------------------------------------------
  /// A message caught by a failure: QoS 1 uplinks not yet through their broker go back to their
  /// gateway's store-and-forward buffer (the client retransmits after reconnecting); the rest is lost.
  void fault_loss(Message* m, LossCause cause);
  bool route_up(const std::vector<int>& route) const {
    for (int l : route)
      if (!link_up_[static_cast<std::size_t>(l)]) return false;
    return true;
  }
  std::uint32_t route_epoch(const std::vector<int>& route) const {
    std::uint32_t e = 0;
    for (int l : route) e += link_epoch_[static_cast<std::size_t>(l)];
    return e;
  }

 private:
  void build_platform();
  void build_stages();
  void controller();
  void progress();
  double last_print_ = -1e9;
  std::uint64_t last_events_ = 0;
  std::uint16_t broker_for(std::size_t group, std::uint64_t device);

  // The device scheduler: one actor drives every device cohort through one event heap.
  // 24 bytes: time, data, and one word packing the sequence number (ties at the same time go in
  // scheduling order), the kind and the index.
  struct Event {
    double time;
    std::uint64_t data;  // device index, or Message* for an arrival
    std::uint64_t key;   // seq << 24 | kind << 21 | index
    std::uint32_t index() const { return static_cast<std::uint32_t>(key & ((1u << 21) - 1)); }
    std::uint8_t kind() const { return static_cast<std::uint8_t>((key >> 21) & 7u); }
    bool operator<(const Event& o) const { return time != o.time ? time < o.time : key < o.key; }
  };
  enum EventKind : std::uint8_t { kGenerate, kArrive, kLoraTransmit, kLoraEnd, kCommand };
  static constexpr std::uint32_t kMaxEventIndex = (1u << 21) - 1;
  void schedule(double time, EventKind kind, std::uint32_t index, std::uint64_t data) {
    heap_.push(Event{time, data, (seq_++ << 24) | (static_cast<std::uint64_t>(kind) << 21) | index});
  }
  void devices();
  void generate(std::size_t ti, std::uint64_t k, double now);
  void lora_try_transmit(std::size_t gi, std::uint64_t k, double now, bool first_attempt);
  void lora_outcomes(double now, std::size_t group_hint);
  double lora_downlink(std::size_t gi, std::uint64_t k, double uplink_end, std::uint32_t freq, int phy_payload,
                       std::uint32_t gateway, bool* in_rx1);
  void issue_command(std::size_t ci, std::uint64_t k, double now);
  void command_at_gateway(Message* m);
  void command_done(Message* m, double delivered_at);
  void arrive_at_gateway(Message* m, std::size_t gateway_stage, double at);
  // Applications: responses and their latency breakdown.
  Message* make_response(const Message& frame);
  void app_response_done(const Message& r, double gateway_done, double at);
  std::vector<std::vector<double>> device_free_;   // [application][device]: its CPU is busy until then
  std::vector<std::size_t> app_service_;           // [application]: service index of its cloud stages
  std::vector<std::vector<Connection*>> resp_svc_to_broker_;  // [service][broker], for responses
  std::vector<std::vector<Connection*>> resp_broker_to_gw_;   // [broker][gateway stage], for responses
  void account_energy();
  BucketQueue<Event> heap_;
  std::uint64_t seq_ = 0;

  // Faults and failover.
  void faults_actor();
  void reconnector_actor();
  void reconnect_loop(std::unique_lock<s4u::Mutex>& lock);
  void apply_fault(std::size_t fi, bool start);
  void broker_failed(std::size_t b, double now, std::size_t fi);
  void gateway_path_failed(std::size_t gw_stage, double now, std::size_t fi);
  void forward_uplink(Message* m, std::size_t stage);
  void buffer_at_gateway(Message* m);
  void release_session(std::size_t gi, std::uint64_t k);
  /// The gateway's filter dropped an uplink on purpose: not lost, and no longer expected downstream.
  void filtered(Message* m);
  // Gateway aggregation: members of an aggregated PUBLISH keep their own creation and arrival times.
  struct BatchMember {
    std::uint64_t device;
    double t0, t1;
    bool measured;
  };
  std::vector<BatchMember> batch_members_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> batch_ranges_;  // [batch - 1]: first member, count
  struct AggBuffer {
    std::vector<Message*> msgs;
    std::uint64_t gen = 0;  // bumped on every flush: a stale max_wait timer finds another generation
  };
  std::vector<std::vector<AggBuffer>> agg_;  // [gateway stage][traffic]; empty for gateways that do not aggregate
  void aggregate(Message* m, std::size_t stage);
  void flush_batch(std::size_t stage, std::size_t ti);
  std::uint32_t measured_members(const Message& m) const;
  // Timers of the aggregation, clustering and session models (one actor, started when needed).
  enum TimerKind : std::uint8_t { kFlushBatch, kRehomeSubscriber, kPodReady, kHpaSync, kNodeNotReady, kNodeEvict, kSaasDone,
                                  kPodRestart };
  struct Timer {
    double time;
    std::uint64_t seq;
    TimerKind kind;
    std::uint32_t a;
    std::uint64_t b;
    bool operator>(const Timer& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  s4u::MutexPtr timer_mutex_ = s4u::Mutex::create();
  s4u::ConditionVariablePtr timer_cv_ = s4u::ConditionVariable::create();
  void set_timer(double t, TimerKind kind, std::uint32_t a, std::uint64_t b) {
    timers_.push(Timer{t, timer_seq_++, kind, a, b});
    timer_cv_->notify_all();
  }
  void timer_actor();
  // Broker clustering: each subscriber (service) is connected to its home broker.
  std::vector<std::size_t> home_;                            // [service]
  std::vector<std::vector<Connection*>> broker_to_broker_;   // [from][to] over the interconnect
  s4u::Link* interconnect_ = nullptr;
  void rehome_subscriber(std::size_t s, double now);
  // Persistent sessions: what brokers hold for offline subscribers.
  std::vector<std::vector<std::deque<Message*>>> offline_q_;  // [broker][service]
  std::vector<double> sub_offline_at_;                        // [service]: brokers notice it is gone (inf: online)
  void send_to_subscriber(std::size_t b, std::uint32_t s, Message* m);

  // ---- cloud platform: paas pods behind a Service, HPA, self-healing; saas endpoints --------
  struct Pod {
    enum State : std::uint8_t { pending, starting, ready, crashed, gone };
    State state = pending;
    int node = -1;            // index in sc_.cloud_nodes (-1: not scheduled)
    double ready_at = -1;
    bool listed = false;       // an endpoint of the Service
    bool terminating = false;  // deleted by a scale-down: finishes what it runs, takes nothing new
    std::uint32_t gen = 0;     // bumped on every (re)start: a stale readiness timer finds another one
    std::vector<Message*> current;   // per worker
    std::vector<s4u::ExecPtr> exec;  // per worker
    std::vector<double> cost, credited;
    std::vector<s4u::ActorPtr> workers;
    double used_flops = 0;  // CPU work done since the last HPA sync
    int restarts = 0;       // container restarts in place (CrashLoopBackOff doubles per restart)
  };
  struct Paas {
    std::size_t service = 0;
    const ServiceSpec* spec = nullptr;
    NodeMetrics* nm = nullptr;
    std::size_t pm = 0;  // index in metrics.platform_services
    std::deque<Message*> queue;
    s4u::SemaphorePtr sem = s4u::Semaphore::create(0);
    std::vector<Pod> pods;
    int desired = 0;
    models::Rng endpoint_rng;  // kube-proxy (iptables mode) picks an endpoint at random
    std::vector<Message*> held;  // QoS 1 sent to a dead endpoint: the broker sends them again at NotReady
    std::unique_ptr<hpa::Stabilizer> stab;
    int workers_per_pod = 1;
    double bound_fraction = 1;  // of one core, per worker
    std::size_t last_iv = 0;
  };
  struct CloudNodeState {
    bool up = true;
    std::uint32_t epoch = 0;
    double cpu_free = 0, mem_free = 0;
  };
  std::vector<Paas> paas_;
  std::vector<CloudNodeState> cnodes_;
  std::vector<std::size_t> saas_pm_;  // per saas service (by service index): metrics index
  struct SaasBucket {
    double tokens, last;
  };
  std::vector<SaasBucket> saas_bucket_;  // [service]
  bool platform_ = false;             // some service is paas or saas
  void paas_push(std::size_t pi, Message* m);
  void pod_worker(std::size_t pi, std::size_t k, std::size_t w);
  bool pod_schedule(std::size_t pi, std::size_t k, double now);
  void pod_ready(std::size_t pi, std::size_t k, double now);
  void pod_crash(std::size_t pi, std::size_t k, double now);
  void container_crash(std::size_t pi, int count, double now);
  void pod_release(std::size_t pi, std::size_t k);
  void reconcile(std::size_t pi, double now);
  void schedule_pending(double now);
  void hpa_sync(std::size_t pi, double now);
  void cloud_node_failed(std::size_t n, double now);
  void cloud_node_restored(std::size_t n, double now);
  void dead_endpoint(std::size_t pi, Message* m);
  void redeliver_held(std::size_t pi);
  void note_pods(std::size_t pi);
  void pod_event(std::size_t pi, const char* what, std::size_t k, double now);
  int cloud_node_index(const std::string& name) const {
    for (std::size_t i = 0; i < sc_.cloud_nodes.size(); ++i)
      if (sc_.cloud_nodes[i].name == name) return static_cast<int>(i);
    return -1;
  }
  // Per-tenant quotas.
  struct Bucket {
    double tokens, last;
  };
  std::vector<std::vector<Bucket>> buckets_;  // [broker][quota]
  std::vector<int> group_quota_;              // [group]: quota index, -1 = none
  bool hold_for_subscriber(std::size_t b, std::uint32_t s, Message* m);
  std::vector<models::Rng> filter_rng_;  // per gateway stage
  std::vector<models::Rng> action_rng_;  // per gateway stage
  // QoS 1 PUBACKs in flight: a broker that crashes within one one-way route latency of finishing a
  // message lost its PUBACK; the client retransmits it after reconnecting (a duplicate).
  void note_acknowledged(std::size_t b, const Message& m);
  void retransmit_unacknowledged(std::size_t b, double now);
  double route_latency(std::size_t gw_stage, std::size_t b) const;
  std::vector<std::deque<Message>> recent_acks_;  // per broker: QoS 1 messages finished lately
  std::vector<double> ack_window_;                // per broker: longest gateway route latency (any degrade)
  std::size_t gateway_for(std::size_t gi, std::uint64_t k, double now) const;
  bool gateway_path_up(std::size_t stage) const;
  bool broker_reachable(std::size_t b) const;
  bool in_lb_pool(std::size_t b, double t) const;
  int active_fault(double t) const;
  void attempt_reconnect(std::size_t gi, std::uint64_t k, int attempt, double now);
  void schedule_reconnect(double t, std::size_t gi, std::uint64_t k, int attempt);
  struct Reconnect {
    double time;
    std::uint64_t seq;
    std::uint32_t group;
    std::uint64_t device;
    std::int32_t attempt;  // -1: a detection event for fault `device` (all its sessions)
    bool operator>(const Reconnect& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  std::priority_queue<Reconnect, std::vector<Reconnect>, std::greater<>> reconnects_;
  std::uint64_t reconnect_seq_ = 0;
  std::unique_lock<s4u::Mutex> reconnect_lock_;  // held by the reconnector daemon, released by execute()
  s4u::MutexPtr reconnect_mutex_ = s4u::Mutex::create();
  s4u::ConditionVariablePtr reconnect_cv_ = s4u::ConditionVariable::create();
  bool failover_ = false;  // faults scripted: sessions and buffers are tracked
  std::vector<bool> link_up_;
  std::vector<std::uint32_t> link_epoch_;
  std::vector<double> link_bandwidth0_, link_latency0_;
  std::vector<double> broker_down_at_, broker_up_at_;
  std::vector<double> gateway_down_at_;
  std::vector<std::vector<std::uint16_t>> session_broker_;  // [group][device]
  std::vector<std::vector<double>> session_up_at_;          // [group][device]: usable from this time
  struct GatewayBuffer {
    std::unordered_map<std::uint64_t, std::deque<Message*>> sessions;  // key: group << 40 | device
    double bytes = 0;
    std::uint64_t messages = 0;
  };
  std::vector<GatewayBuffer> buffers_;  // per gateway stage
  std::vector<const ProcessingSpec*> gateway_specs_;  // per gateway stage
  std::vector<std::vector<std::pair<std::uint32_t, std::uint64_t>>> fault_sessions_;
  std::uint64_t lb_rr_ = 0;
  bool lb_hash_ = false, lb_round_robin_ = false;  // load_balancer.policy, resolved once
  models::Rng failover_rng_{0};
  double detect_delay() const { return sc_.brokers.detection == "reset" ? 0.0 : 1.5 * sc_.brokers.keepalive; }
  std::vector<std::unique_ptr<AccessRuntime>> access_;       // per group
  std::vector<std::size_t> group_site_;                      // per group
  std::vector<SiteRadio> site_radio_;                        // per site
  std::map<std::pair<std::size_t, int>, models::radio::SharedCellUplink> cells_;  // (gateway stage, tech)
  std::vector<std::vector<std::size_t>> group_gateway_stage_;  // per group: stage of gateways[j]
  std::vector<std::uint64_t> client_base_;                   // per group
  std::vector<std::vector<Connection*>> svc_to_broker_;       // [service][broker]
  std::vector<std::vector<Connection*>> broker_to_gw_;        // [broker][gateway stage]
  std::vector<models::Rng> traffic_rng_;
  std::vector<models::Rng> command_rng_;
  std::uint64_t waiting_commands_ = 0;
  std::vector<std::vector<std::uint32_t>> burst_left_;  // [traffic][device]
  std::vector<models::radio::GatewayLink> links_buf_;

  // Rollouts: each has its registry (a host behind an egress link on its node) and one actor that
  // runs the rolling update; a gateway's pipeline is down while it restarts.
  struct RolloutRuntime {
    s4u::Host* registry = nullptr;
    std::vector<std::size_t> stage;              // per gateway of the rollout: gateway stage
    std::vector<std::vector<int>> route;         // per gateway: scenario links from the registry node
  };
  std::vector<RolloutRuntime> rollouts_;
  struct RestartHold {
    int rollout = -1;      // the rollout restarting the gateway (-1: up)
    std::size_t entry = 0;  // its index in that rollout's gateways
    std::deque<Message*> held;
    double bytes = 0;
  };
  std::vector<RestartHold> restarting_;  // per gateway stage (empty without rollouts)
  void rollout_actor(std::size_t ri);
  void update_gateway(std::size_t ri, std::size_t i);
  void pipeline_down(std::size_t ri, std::size_t i);
  void pipeline_up(std::size_t ri, std::size_t i);

  const Scenario& sc_;
  const RunOptions& opt_;
  Topology topo_;
  std::size_t n_intervals_ = 1;
  s4u::Host* devices_host_ = nullptr;
  std::map<std::string, s4u::Host*> hosts_;
  std::unique_ptr<DataServices> data_;  // storage and batch jobs (only when the scenario has them)
  std::unique_ptr<Alerting> alerting_;  // alerting rules (only when the scenario has them)
  /// What a monitoring system scrapes as "up" for a link, broker, load balancer, gateway or cloud node.
  bool entity_up(const std::string& e) const;
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
  std::vector<std::vector<std::uint16_t>> assigned_broker_;  // [group][device], for least-connections
  s4u::MutexPtr done_mutex_ = s4u::Mutex::create();
  s4u::ConditionVariablePtr done_cv_ = s4u::ConditionVariable::create();
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  std::vector<std::size_t> node_index_;  // NodeMetrics index by stage creation
};

void Stage::start() {
  if (analytic_) {
    s4u::ActorPtr a = s4u::Actor::create(metrics_.name + "#server", host_, [this] { serve_analytic(); });
    a->daemonize();
    return;
  }
  for (int w = 0; w < workers_; ++w) {
    s4u::ActorPtr a = s4u::Actor::create(metrics_.name + "#w" + std::to_string(w), host_, [this] { serve(); });
    a->daemonize();
  }
}

void Stage::push(Message* m) {
  if (!up_) return run_.fault_loss(m, down_cause_);
  if (admit_ && !admit_(m)) return;
  if (analytic_) {
    const double now = s4u::Engine::get_clock();
    // The waiting queue: messages given to a core that have not started yet (one that starts at
    // this instant is in service).
    while (!waiting_starts_.empty() && waiting_starts_.front() <= now) waiting_starts_.pop_front();
    if (capacity_ > 0 && waiting_starts_.size() >= capacity_) {
      ++metrics_.dropped;
      run_.lose(m, overflow_, overflow_ == LossCause::service_queue_full ? 1 : -1);
      return;
    }
    // FIFO on c cores: the earliest free core takes it (starts are non-decreasing in arrival order,
    // so the exponential draws come in the same order as the worker actors draw them).
    const auto core = std::min_element(core_free_.begin(), core_free_.end());
    const double start = std::max(now, *core);
    const double cost = exponential_ ? rng_.exponential(cost_(*m)) : cost_(*m);
    const double done = cost > 0 ? start + cost / host_->get_speed() : start;
    *core = done;
    jobs_.push(Job{done, start, job_seq_++, m, epoch_, static_cast<std::uint32_t>(core - core_free_.begin()), cost > 0});
    waiting_starts_.push_back(start);
    run_.note_queue(metrics_, waiting_starts_.size());
    if (server_waiting_ && done < server_until_) {  // the server sleeps past this completion: wake it
      server_waiting_ = false;
      ready_->release();
    }
    return;
  }
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

void Stage::crash() {
  up_ = false;
  ++epoch_;  // what the cores are executing now is lost when they finish
  if (analytic_) {
    // Work in progress stays on its core (lost when it finishes); what waits is lost now, in order.
    const double now = s4u::Engine::get_clock();
    std::vector<Job> keep, lost;
    while (!jobs_.empty()) {
      const Job& j = jobs_.top();
      (j.start <= now ? keep : lost).push_back(j);
      jobs_.pop();
    }
    std::fill(core_free_.begin(), core_free_.end(), now);
    for (const Job& j : keep) {
      core_free_[j.core] = std::max(core_free_[j.core], j.done);
      jobs_.push(j);
    }
    waiting_starts_.clear();
    std::sort(lost.begin(), lost.end(), [](const Job& a, const Job& b) { return a.seq < b.seq; });
    for (const Job& j : lost) run_.fault_loss(j.m, down_cause_);
    return;
  }
  while (!queue_.empty()) {
    Message* m = queue_.front();
    queue_.pop_front();
    run_.fault_loss(m, down_cause_);
  }
}

bool Stage::complete(Message* m, std::uint32_t epoch, double start, double end, bool worked) {
  if (worked) run_.add_busy(metrics_, start, end);
  if (epoch != epoch_) {
    run_.fault_loss(m, down_cause_);
    return true;
  }
  ++metrics_.processed;
  // The stop check lives in the actors that do the work (no timer actor: it would add simulated
  // events and perturb same-time ordering): here, for runs that only drain, and in the device loop.
  if ((++run_.events & 1023) == 0 && run_.checkpoint()) {
    run_.stop_run();  // m stays unfinished
    return false;
  }
  next_(m);
  return true;
}

void Stage::serve() {
  for (;;) {
    ready_->acquire();
    if (queue_.empty()) continue;  // flushed by a crash
    Message* m = queue_.front();
    queue_.pop_front();
    const std::uint32_t epoch = epoch_;
    const double cost = exponential_ ? rng_.exponential(cost_(*m)) : cost_(*m);
    const double start = s4u::Engine::get_clock();
    if (cost > 0) s4u::this_actor::execute(cost);
    if (!complete(m, epoch, start, s4u::Engine::get_clock(), cost > 0)) return;
  }
}

void Stage::serve_analytic() {
  for (;;) {
    const double now = s4u::Engine::get_clock();
    while (!jobs_.empty() && jobs_.top().done <= now) {
      const Job j = jobs_.top();
      jobs_.pop();
      if (!complete(j.m, j.epoch, j.start, j.done, j.worked)) return;
    }
    server_waiting_ = true;
    if (jobs_.empty()) {
      server_until_ = std::numeric_limits<double>::infinity();
      ready_->acquire();
    } else {
      server_until_ = jobs_.top().done;
      ready_->acquire_timeout(server_until_ - now);
    }
    server_waiting_ = false;
  }
}

void Connection::start() {
  mbox_->set_receiver(nullptr);
  s4u::ActorPtr a = s4u::Actor::create(mbox_->get_name() + "#rx", dst_, [this] {
    for (;;) {
      auto* m = mbox_->get<Message>();
      if (stamp_ >= 0) m->t[static_cast<std::size_t>(stamp_)] = s4u::Engine::get_clock();
      ++run_.events;
      if (m->route_epoch != run_.route_epoch(route_)) {
        run_.fault_loss(m, LossCause::link_down);  // a link of the route failed while it was on the way
        continue;
      }
      dest_->push(m);
    }
  });
  a->daemonize();
  mbox_->set_receiver(a);
}

void Connection::send(Message* m) {
  if (!run_.route_up(route_)) return run_.fault_loss(m, LossCause::link_down);
  m->route_epoch = run_.route_epoch(route_);
  const std::size_t iv = run_.interval_of(s4u::Engine::get_clock());
  const double size = m->wire + extra_bytes_;
  for (auto* l : links_) {
    l->bytes += size;
    ++l->messages;
    l->bytes_series[iv] += size;
  }
  mbox_->put_init(m, size)->detach();
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
  auto& g = metrics.groups[m->group];
  if (m->duplicate) {  // a retransmission of something already delivered: nothing more is lost
    finish_in_flight(1);
    pool.put(m);
    return;
  }
  if (m->downlink) {
    if (m->measured && !m->response) ++g.commands.lost;
    finish_in_flight(1);
    pool.put(m);
    return;
  }
  const auto& tr = traffic_[m->traffic];
  if (deliveries < 0) deliveries = static_cast<int>(tr.services.size());
  // An aggregated PUBLISH loses every (measured) message it carries.
  if (m->batch) deliveries *= static_cast<int>(measured_members(*m));
  if (m->measured || (m->batch && deliveries > 0)) {
    g.lost[static_cast<std::size_t>(cause)] += static_cast<std::uint64_t>(deliveries);
    g.series[interval_of(s4u::Engine::get_clock())].lost += static_cast<std::uint64_t>(deliveries);
    if (failover_ && cause >= LossCause::gateway_down) {
      const double now = s4u::Engine::get_clock();
      const int f = active_fault(now);
      if (f >= 0) {
        auto& r = metrics.faults[static_cast<std::size_t>(f)];
        (m->qos == 0 ? r.lost_qos0 : r.lost_qos1) += static_cast<std::uint64_t>(deliveries);
        if (r.breach_start < 0) r.breach_start = now;
        r.breach_end = std::max(r.breach_end, now);
      }
    }
  }
  finish_in_flight(1);
  pool.put(m);
}

void Run::deliver(Message* m) {
  m->t[5] = s4u::Engine::get_clock();
  if (data_ && !m->downlink) data_->consumed(m->service, m->payload);  // storage writes, batch inputs
  auto& g = metrics.groups[m->group];
  if (m->duplicate) {  // QoS 1 at-least-once: the consumer sees it a second time; not a new delivery
    if (m->batch)
      g.duplicates += measured_members(*m);
    else if (m->measured)
      ++g.duplicates;
    finish_in_flight(1);
    pool.put(m);
    return;
  }
  if (m->batch) {
    // An aggregated PUBLISH: each message it carries is delivered now, with its own creation and
    // gateway-arrival times (its gateway tier includes the wait for the batch).
    const auto [first, count] = batch_ranges_[m->batch - 1];
    Message one = *m;
    one.batch = 0;
    for (std::uint64_t i = first; i < first + count; ++i) {
      const BatchMember& bm = batch_members_[i];
      one.device = bm.device;
      one.t[0] = bm.t0;
      one.t[1] = bm.t1;
      one.measured = bm.measured;
      record_delivery(one);
    }
  } else {
    record_delivery(*m);
  }
  finish_in_flight(1);
  pool.put(m);
}

void Run::record_delivery(const Message& msg) {
  const Message* m = &msg;
  const auto& tr = traffic_[m->traffic];
  auto& g = metrics.groups[m->group];
  if (m->measured) {
    const double latency = m->t[5] - m->t[0];
    ++g.delivered;
    g.latency.add(latency);
    for (std::size_t k = 0; k < kTiers.size(); ++k) g.tiers[k].add(m->t[k + 1] - m->t[k]);
    if (tr.spec->latency_budget > 0 && latency > tr.spec->latency_budget) {
      ++g.late;
      if (failover_) {
        const int f = active_fault(m->t[0]);
        if (f >= 0) {
          auto& r = metrics.faults[static_cast<std::size_t>(f)];
          ++r.late;
          if (r.breach_start < 0) r.breach_start = m->t[5];
          r.breach_end = std::max(r.breach_end, m->t[5]);
        }
      }
    }
    if (failover_ && m->forwarded) {
      const int f = active_fault(m->t[0]);
      if (f >= 0 && metrics.faults[static_cast<std::size_t>(f)].recovery_s < 0 && m->t[5] >= sc_.faults[static_cast<std::size_t>(f)].at)
        metrics.faults[static_cast<std::size_t>(f)].recovery_s = m->t[5] - sc_.faults[static_cast<std::size_t>(f)].at;
    }
    auto& iv = g.series[interval_of(m->t[5])];
    ++iv.delivered;
    iv.latency_sum += latency;
    iv.latency_max = std::max(iv.latency_max, latency);
    if (sc_.outputs.trace && metrics.trace.size() < sc_.outputs.trace_limit)
      metrics.trace.push_back(TraceRow{m->group, m->device, m->service, m->broker, m->t});
  }
}

std::uint16_t Run::broker_for(std::size_t group, std::uint64_t device) {
  const auto n = static_cast<std::uint64_t>(sc_.brokers.count);
  if (lb_hash_) {
    // FNV-1a of the client id "site/group#k": stable across runs and machines.
    const std::string id = metrics.groups[group].name + "#" + std::to_string(device);
    return static_cast<std::uint16_t>(models::fnv1a64(id) % n);
  }
  // round-robin and least-connections assign each client connection once, in connection order.
  auto& assigned = assigned_broker_[group];
  if (assigned[device] != UINT16_MAX) return assigned[device];
  std::uint16_t b = 0;
  if (lb_round_robin_) {
    b = static_cast<std::uint16_t>((client_base_[group] + device) % n);
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
  // Broker clustering: one shared cluster network between the brokers.
  if (sc_.brokers.cluster && sc_.brokers.count > 1) {
    interconnect_ = zone->create_link("brokers/interconnect", sc_.brokers.interconnect_bandwidth);
    interconnect_->set_latency(sc_.brokers.interconnect_latency);
    interconnect_->seal();
    const auto names = sc_.brokers.names();
    for (const auto& a : names)
      for (const auto& b : names)
        if (a != b)
          zone->add_route(hosts_.at(a)->get_netpoint(), hosts_.at(b)->get_netpoint(), nullptr, nullptr,
                          {s4u::LinkInRoute(interconnect_)}, false);
  }
  // Rollouts: the registry is a host of its own behind an egress link (the registry's bandwidth) on
  // its node; every pull crosses that link, then the routed links from the node to the gateway.
  for (const auto& r : sc_.rollouts) {
    RolloutRuntime rt;
    rt.registry = zone->create_host("rollout/" + r.name + "/registry", 1e9);
    rt.registry->seal();
    s4u::Link* egress = zone->create_link("rollout/" + r.name + "/registry-egress", r.registry_bandwidth);
    egress->set_latency(0);
    egress->set_sharing_policy(s4u::Link::SharingPolicy::SHARED);
    egress->seal();
    for (const auto& gw : r.gateways) {
      std::vector<s4u::LinkInRoute> route{s4u::LinkInRoute(egress)};
      const auto& links = topo_.route(r.registry_node, gw);
      for (int li : links) route.emplace_back(links_[static_cast<std::size_t>(li)]);
      zone->add_route(rt.registry->get_netpoint(), hosts_.at(gw)->get_netpoint(), nullptr, nullptr, route, false);
      rt.route.push_back(links);
    }
    rollouts_.push_back(std::move(rt));
  }
  // Downlink commands: service node -> broker -> gateway.
  // Also application responses from the cloud, which take the same path.
  std::set<std::pair<std::string, std::string>> down;
  auto add_downlink = [&](const std::string& service, const std::string& group) {
    const ServiceSpec* svc = nullptr;
    for (const auto& s : sc_.services)
      if (s.name == service) svc = &s;
    for (const auto& b : sc_.brokers.names()) {
      if (down.insert({svc->node, b}).second) add_route(svc->node, b);
      for (const auto& gw : sc_.find_group(group)->gateways)
        if (down.insert({b, gw}).second) add_route(b, gw);
    }
  };
  for (const auto& c : sc_.commands) add_downlink(c.from, c.group);
  for (const auto& a : sc_.applications)
    if (a.last == "cloud") add_downlink(a.service, a.group);
  if (data_)
    data_->build(zone, hosts_, links_, [this](const std::string& a, const std::string& b) { return topo_.route(a, b); });
  zone->seal();
}

void Run::build_stages() {
  lb_hash_ = sc_.load_balancer.policy == "client-id-hash";
  lb_round_robin_ = sc_.load_balancer.policy == "round-robin";
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
  if (interconnect_) {
    LinkMetrics m;
    m.name = "brokers/interconnect";
    m.bandwidth = sc_.brokers.interconnect_bandwidth;
    m.latency = sc_.brokers.interconnect_latency;
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
    if (svc.model != "iaas") {
      // paas / saas: the stage only receives (its admission hands each message to the platform model).
      platform_ = true;
      PlatformServiceMetrics pm;
      pm.name = svc.name;
      pm.model = svc.model;
      pm.ready_series.assign(n_intervals_, 0);
      pm.desired_series.assign(n_intervals_, 0);
      pm.pending_series.assign(n_intervals_, 0);
      metrics.platform_services.push_back(std::move(pm));
      const std::size_t pmi = metrics.platform_services.size() - 1;
      if (svc.model == "paas") {
        Paas pa;
        pa.service = s;
        pa.spec = &svc;
        pa.nm = &nm;
        pa.pm = pmi;
        pa.endpoint_rng = models::Rng(sc_.seed, "service/" + svc.name + "/endpoints");
        pa.workers_per_pod = std::max(1, static_cast<int>(std::ceil(svc.pod_cpu - 1e-9)));
        pa.bound_fraction = svc.pod_cpu / pa.workers_per_pod;
        if (svc.autoscale.enabled)
          pa.stab = std::make_unique<hpa::Stabilizer>(svc.autoscale.min, svc.autoscale.max,
                                                      svc.autoscale.scale_up_stabilization,
                                                      svc.autoscale.scale_down_stabilization);
        paas_.push_back(std::move(pa));
        const std::size_t pi = paas_.size() - 1;
        st->set_admit([this, pi](Message* m) {
          paas_push(pi, m);
          return false;
        });
      } else {
        if (saas_bucket_.empty()) saas_bucket_.assign(sc_.services.size(), SaasBucket{0, 0});
        if (saas_pm_.empty()) saas_pm_.assign(sc_.services.size(), 0);
        saas_bucket_[s] = SaasBucket{svc.burst, 0.0};
        saas_pm_[s] = pmi;
        st->set_admit([this, s, &nm](Message* m) {
          const auto& sp = sc_.services[s];
          const double now = s4u::Engine::get_clock();
          if (sp.rate_limit > 0) {
            SaasBucket& bk = saas_bucket_[s];
            bk.tokens = std::min(sp.burst, bk.tokens + (now - bk.last) * sp.rate_limit);
            bk.last = now;
            if (bk.tokens < 1.0) {
              if (m->measured) ++metrics.platform_services[saas_pm_[s]].throttled;
              lose(m, LossCause::saas_throttled, 1);
              return false;
            }
            bk.tokens -= 1.0;
          }
          ++nm.processed;
          set_timer(now + sp.latency, kSaasDone, static_cast<std::uint32_t>(s), reinterpret_cast<std::uint64_t>(m));
          return false;
        });
      }
    }
    if (node->exponential_service) st->set_exponential(sc_.seed);
    st->set_down_cause(LossCause::service_down);
    st->set_cost([this, &svc, s](const Message& m) {
      double c = svc.cost_per_message + svc.cost_per_byte * m.payload;
      // Cloud stages of an application hosted by this service.
      if (m.app && !m.downlink && app_service_[m.app - 1] == s) c += sc_.applications[m.app - 1].cloud_cost;
      return c;
    });
    st->set_next([this, s](Message* m) {
      if (m->downlink) {
        m->t[1] = s4u::Engine::get_clock();
        svc_to_broker_[s][m->broker]->send(m);
      } else {
        if (m->app && !m->duplicate && app_service_[m->app - 1] == s && sc_.applications[m->app - 1].last == "cloud") {
          // The last stage ran here: the response goes back service -> broker -> gateway -> device.
          m->t[5] = s4u::Engine::get_clock();
          Message* r = make_response(*m);
          resp_svc_to_broker_[s][r->broker]->send(r);
        }
        deliver(m);
      }
    });
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
    if (p.exponential_service) st->set_exponential(sc_.seed);
    st->set_down_cause(LossCause::broker_down);
    if (!sc_.brokers.tenant_quotas.empty()) {
      // Per-tenant quotas: a token bucket per broker and tenant, checked on arrival; a PUBLISH over
      // it is refused (MQTT 5 PUBACK/DISCONNECT reason 0x97) before it takes any CPU, and is lost.
      buckets_.emplace_back();
      for (const auto& q : sc_.brokers.tenant_quotas) buckets_.back().push_back(Bucket{q.burst, 0.0});
      st->set_admit([this, b](Message* m) {
        if (m->connect || m->downlink || m->routed || m->held) return true;
        const int q = group_quota_[m->group];
        if (q < 0) return true;
        const auto& spec = sc_.brokers.tenant_quotas[static_cast<std::size_t>(q)];
        Bucket& bk = buckets_[b][static_cast<std::size_t>(q)];
        const double now = s4u::Engine::get_clock();
        bk.tokens = std::min(spec.burst, bk.tokens + (now - bk.last) * spec.rate);
        bk.last = now;
        if (bk.tokens >= 1.0) {
          bk.tokens -= 1.0;
          return true;
        }
        lose(m, LossCause::tenant_quota, -1);
        return false;
      });
    }
    for (std::size_t s = 0; s < sc_.services.size(); ++s) {
      connections_.push_back(std::make_unique<Connection>(*this, p.name + "->" + sc_.services[s].name,
                                                          hosts_.at(sc_.services[s].node), service_stages_[s].get(),
                                                          -1, route_links(p.name, sc_.services[s].node), topo_.route(p.name, sc_.services[s].node)));
      broker_to_svc_[b].push_back(connections_.back().get());
    }
    const double per_publish = sc_.brokers.node.cost_per_message;
    const double per_byte = sc_.brokers.node.cost_per_byte;
    const double per_delivery = sc_.brokers.cost_per_delivery;
    const double per_connect = sc_.brokers.cost_per_connect;
    const double per_puback = sc_.brokers.cost_per_puback;
    const double per_forward = sc_.brokers.cost_per_forward;
    st->set_cost([this, b, per_publish, per_byte, per_delivery, per_connect, per_puback, per_forward](const Message& m) {
      if (m.held) return 0.0;
      if (m.connect) return m.takeover >= 2 ? per_forward : per_connect;  // 2, 3: the session state moving
      if (m.routed) return per_forward + per_delivery;  // a forwarded copy for one subscriber here
      if (m.downlink) return per_publish + per_byte * m.payload + per_delivery;
      const double puback = m.qos == 1 ? per_puback : 0.0;
      if (!home_.empty()) {  // cluster: deliver to local subscribers, forward one copy per remote one
        double local = 0, remote = 0;
        for (std::uint32_t s : traffic_[m.traffic].services) (home_[s] == b ? local : remote) += 1;
        return per_publish + per_byte * m.payload + per_delivery * local + per_forward * remote + puback;
      }
      const double fanout = static_cast<double>(traffic_[m.traffic].services.size());
      return per_publish + per_byte * m.payload + per_delivery * fanout + puback;
    });
    st->set_next([this, b](Message* m) {
      if (m->connect && m->takeover == 1) {
        // Session takeover (cluster): the client's session lives on another broker that is still up;
        // the new broker fetches it over the interconnect before answering CONNACK.
        const std::size_t old = m->peer;
        m->peer = static_cast<std::uint16_t>(b);
        m->takeover = 2;
        broker_to_broker_[b][old]->send(m);
        return;
      }
      if (m->connect && m->takeover == 2) {  // the old broker hands the session over and closes it
        m->takeover = 3;
        broker_to_broker_[b][m->peer]->send(m);
        return;
      }
      if (m->connect) {  // CONNACK: the session is back; its buffered messages flow again
        const double now = s4u::Engine::get_clock();
        if (m->takeover == 3) {
          const int f = active_fault(now);
          if (f >= 0) ++metrics.faults[static_cast<std::size_t>(f)].takeovers;
        }
        session_up_at_[m->group][m->device] = now;
        const int f = active_fault(now);
        if (f >= 0) {
          auto& r = metrics.faults[static_cast<std::size_t>(f)];
          const double dt = now - sc_.faults[static_cast<std::size_t>(f)].at;
          ++r.reconnected;
          if (r.first_reconnect_s < 0) r.first_reconnect_s = dt;
          r.last_reconnect_s = std::max(r.last_reconnect_s, dt);
        }
        release_session(m->group, m->device);
        pool.put(m);
        return;
      }
      if (m->downlink) {
        if (m->response) return resp_broker_to_gw_[b][m->gateway]->send(m);  // back to the frame's gateway
        const auto& stages = group_gateway_stage_[m->group];
        broker_to_gw_[b][stages[m->device % stages.size()]]->send(m);
        return;
      }
      if (m->held) {  // sent again to its subscriber, back from a persistent session
        m->held = false;
        return broker_to_svc_[b][m->service]->send(m);
      }
      m->t[4] = s4u::Engine::get_clock();
      if (m->routed) {  // arrived over the interconnect for one of this broker's subscribers
        m->routed = false;
        return send_to_subscriber(b, m->service, m);
      }
      m->past_broker = true;
      const auto& subs = traffic_[m->traffic].services;
      if (failover_ && m->qos == 1 && !subs.empty()) note_acknowledged(b, *m);
      if (subs.empty()) {
        if (m->measured) ++metrics.groups[traffic_[m->traffic].group].unsubscribed;
        finish_in_flight(1);
        pool.put(m);
        return;
      }
      in_flight += subs.size() - 1;
      auto route = [this, b](std::uint32_t s, Message* c) {
        c->service = s;
        if (home_.empty() || home_[s] == b) return send_to_subscriber(b, s, c);
        c->routed = true;  // cluster: the subscriber is connected to another broker
        c->peer = static_cast<std::uint16_t>(home_[s]);
        broker_to_broker_[b][home_[s]]->send(c);
      };
      for (std::size_t k = 1; k < subs.size(); ++k) {
        Message* copy = pool.get();
        *copy = *m;
        route(subs[k], copy);
      }
      route(subs[0], m);
    });
    broker_stages_.push_back(std::move(st));
  }

  if (interconnect_) {
    LinkMetrics* ic = &metrics.links.back();
    broker_to_broker_.assign(broker_names.size(), std::vector<Connection*>(broker_names.size(), nullptr));
    for (std::size_t a = 0; a < broker_names.size(); ++a)
      for (std::size_t c = 0; c < broker_names.size(); ++c) {
        if (a == c) continue;
        connections_.push_back(std::make_unique<Connection>(*this, broker_names[a] + "->" + broker_names[c] + "/cluster",
                                                            hosts_.at(broker_names[c]), broker_stages_[c].get(), -1,
                                                            std::vector<LinkMetrics*>{ic}, std::vector<int>{}));
        broker_to_broker_[a][c] = connections_.back().get();
      }
    for (std::size_t s = 0; s < sc_.services.size(); ++s) home_.push_back(s % broker_names.size());
  }
  if (sc_.brokers.persistent_sessions) {
    offline_q_.assign(broker_names.size(), std::vector<std::deque<Message*>>(sc_.services.size()));
    sub_offline_at_.assign(sc_.services.size(), std::numeric_limits<double>::infinity());
  }

  const std::string& lb = sc_.load_balancer.node.name;
  NodeMetrics& lbm = add_node(sc_.load_balancer.node, "load_balancer");
  lb_stage_ = std::make_unique<Stage>(*this, lbm, hosts_.at(lb), sc_.load_balancer.node.cores,
                                      sc_.load_balancer.node.queue_capacity, LossCause::balancer_queue_full);
  if (sc_.load_balancer.node.exponential_service) lb_stage_->set_exponential(sc_.seed);
  lb_stage_->set_down_cause(LossCause::balancer_down);
  const double lb_msg = sc_.load_balancer.node.cost_per_message, lb_byte = sc_.load_balancer.node.cost_per_byte;
  lb_stage_->set_cost([this, lb_msg, lb_byte](const Message& m) {
    // VPN: the load balancer terminates the gateway's tunnel and decrypts every packet.
    const double vpn = m.downlink ? 0.0 : gateway_specs_[m.gateway]->vpn_cost_per_byte * m.wire;
    return lb_msg + lb_byte * m.payload + vpn;
  });
  for (std::size_t b = 0; b < broker_names.size(); ++b) {
    connections_.push_back(std::make_unique<Connection>(*this, lb + "->" + broker_names[b], hosts_.at(broker_names[b]),
                                                        broker_stages_[b].get(), 3, route_links(lb, broker_names[b]), topo_.route(lb, broker_names[b])));
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
      if (gw.exponential_service) st->set_exponential(sc_.seed);
      const double c_msg = gw.cost_per_message, c_byte = gw.cost_per_byte, tls = gw.tls_handshake;
      const double vpn = gw.vpn_cost_per_byte, analytics = gw.analytics_cost, action = gw.action_cost;
      const bool aggregating = gw.aggregate_count > 1;
      st->set_cost([this, c_msg, c_byte, tls, vpn, analytics, action, aggregating](const Message& m) {
        // VPN: every packet sent up the backhaul is encrypted (retransmissions and CONNECTs too); an
        // aggregating gateway encrypts the aggregated PUBLISH, not the messages it packs.
        const bool packed = aggregating && !m.batch && !m.connect && !m.forwarded;
        double wire = m.wire;
        if (m.app && !m.downlink && !m.connect && !m.forwarded && !m.batch)  // what it sends: the edge output
          wire = static_cast<double>(models::mqtt::publish_packet_size(
              traffic_[m.traffic].topic_base_length + decimal_digits(m.device), sc_.applications[m.app - 1].edge_bytes,
              m.qos));
        const double crypt = (m.downlink || packed) ? 0.0 : vpn * wire;
        if (m.connect) return tls + crypt;
        if (m.forwarded || m.batch) return crypt;
        // Edge stages of an application run on its gateway (the edge server).
        const double edge = (m.app && !m.downlink) ? sc_.applications[m.app - 1].edge_cost : 0.0;
        return c_msg + c_byte * m.payload + (m.downlink ? 0.0 : analytics) + (m.local_action ? action : 0.0) + crypt +
               edge;
      });
      st->set_down_cause(LossCause::gateway_down);
      gateway_specs_.push_back(&gw);
      const std::size_t idx = gateway_stages_.size();
      Connection* up = nullptr;
      if (topo_.has_route(gw.name, lb)) {
        connections_.push_back(std::make_unique<Connection>(*this, gw.name + "->" + lb, hosts_.at(lb), lb_stage_.get(),
                                                            -1, route_links(gw.name, lb), topo_.route(gw.name, lb)));
        up = connections_.back().get();
        up->set_extra_bytes(gw.vpn_overhead);
      }
      gw_to_lb_.push_back(up);
      const double filter = gw.filter_drop;
      filter_rng_.emplace_back(sc_.seed, "filter/" + gw.name);
      action_rng_.emplace_back(sc_.seed, "local_action/" + gw.name);
      const double actuator = gw.action_actuator_latency;
      st->set_next([this, idx, filter, actuator](Message* m) {
        if (m->downlink) {
          command_at_gateway(m);
          return;
        }
        if (m->app && !m->connect && !m->forwarded && !m->batch) {
          const ApplicationSpec& a = sc_.applications[m->app - 1];
          if (a.last == "edge") {  // the last stage ran here: the response goes gateway -> device
            Message* r = make_response(*m);
            r->t[2] = s4u::Engine::get_clock();
            command_at_gateway(r);
          }
          // What continues upstream is the last edge stage's output.
          const auto& tr = traffic_[m->traffic];
          m->payload = static_cast<std::uint32_t>(a.edge_bytes);
          m->wire = static_cast<std::uint32_t>(models::mqtt::publish_packet_size(
              tr.topic_base_length + decimal_digits(m->device), a.edge_bytes, m->qos));
        }
        if (m->local_action) {  // the actuator acts actuator_latency after the gateway decided
          m->local_action = false;
          if (m->measured)
            metrics.groups[m->group].local_action.add(s4u::Engine::get_clock() + actuator - m->t[0]);
        }
        if (filter > 0 && !m->connect && !m->forwarded && !m->batch && filter_rng_[idx].chance(filter))
          return filtered(m);
        if (!agg_.empty() && !agg_[idx].empty() && !m->connect && !m->forwarded && !m->batch) return aggregate(m, idx);
        forward_uplink(m, idx);
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
      int quota = -1;
      for (std::size_t q = 0; q < sc_.brokers.tenant_quotas.size(); ++q)
        if (!g.tenant.empty() && sc_.brokers.tenant_quotas[q].tenant == g.tenant) quota = static_cast<int>(q);
      group_quota_.push_back(quota);
      gm.devices = g.count;
      gm.series.assign(n_intervals_, IntervalCounters{});
      group_index[g.name] = metrics.groups.size();
      metrics.groups.push_back(std::move(gm));
    }
  // Per group: access runtime, gateway stages, client ordinals and broker assignment.
  std::uint64_t base = 0;
  for (std::size_t si = 0; si < sc_.sites.size(); ++si) {
    const auto& site = sc_.sites[si];
    SiteRadio sr;
    sr.region = *models::radio::parse_region(site.lora.region);
    for (const auto& gw : site.gateways) sr.gateway_stage.push_back(gw_index.at(gw.name));
    bool has_lora = false;
    for (const auto& g : site.device_groups) has_lora = has_lora || g.access.model == "lora";
    if (has_lora) {
      models::radio::ChannelConfig cc;
      cc.gateways = static_cast<int>(site.gateways.size());
      for (const auto& ch : models::radio::default_uplink_channels(sr.region))
        if (site.lora.channels == 0 || static_cast<int>(sr.uplink_freqs.size()) < site.lora.channels)
          sr.uplink_freqs.push_back(ch.freq_hz);
      sr.duty_cycle = site.lora.duty_cycle;
      cc.channels = static_cast<int>(sr.uplink_freqs.size());
      cc.capture = site.lora.capture;
      cc.capture_threshold_db = site.lora.capture_threshold_db;
      cc.preamble_lock = site.lora.preamble_lock;
      cc.sf_interference = site.lora.sf_interference == "croce" ? models::radio::SfInterference::croce2018
                                                                 : models::radio::SfInterference::orthogonal;
      cc.demodulators = site.lora.demodulators;
      sr.channel = std::make_unique<models::radio::LoraChannel>(cc);
      sr.gateway_duty.assign(site.gateways.size(), models::radio::DutyCycleTracker(sr.region));
    }
    site_radio_.push_back(std::move(sr));
    for (const auto& g : site.device_groups) {
      access_.push_back(std::make_unique<AccessRuntime>(g, site, sc_.seed));
      group_site_.push_back(si);
      std::vector<std::size_t> stages;
      for (const auto& gw : g.gateways) stages.push_back(gw_index.at(gw));
      group_gateway_stage_.push_back(stages);
      client_base_.push_back(base);
      base += g.count;
      assigned_broker_.emplace_back(sc_.load_balancer.policy == "client-id-hash" ? 0 : g.count, UINT16_MAX);
      auto& gm = metrics.groups[group_index.at(g.name)];
      gm.access_model = g.access.model;
      if (g.access.model == "lora") {
        gm.radio.sf_histogram = access_.back()->sf_histogram();
        gm.radio.unreachable_devices = access_.back()->unreachable();
      }
      const bool needs_next_uplink = !sc_.commands.empty();
      if (needs_next_uplink) access_.back()->next_uplink.assign(g.count, std::numeric_limits<double>::infinity());
    }
  }
  // Downlink connections, once gateway stages exist.
  svc_to_broker_.assign(sc_.services.size(), std::vector<Connection*>(broker_names.size(), nullptr));
  broker_to_gw_.assign(broker_names.size(), std::vector<Connection*>(gateway_stages_.size(), nullptr));
  for (const auto& c : sc_.commands) {
    std::size_t s = 0;
    while (sc_.services[s].name != c.from) ++s;
    for (std::size_t b = 0; b < broker_names.size(); ++b) {
      if (!svc_to_broker_[s][b]) {
        connections_.push_back(std::make_unique<Connection>(
            *this, sc_.services[s].name + "->" + broker_names[b] + "/down", hosts_.at(broker_names[b]),
            broker_stages_[b].get(), 2, route_links(sc_.services[s].node, broker_names[b]), topo_.route(sc_.services[s].node, broker_names[b])));
        svc_to_broker_[s][b] = connections_.back().get();
      }
      for (const auto& gw : sc_.find_group(c.group)->gateways) {
        const std::size_t gi = gw_index.at(gw);
        if (broker_to_gw_[b][gi]) continue;
        connections_.push_back(std::make_unique<Connection>(*this, broker_names[b] + "->" + gw + "/down",
                                                            hosts_.at(gw), gateway_stages_[gi].get(), 3,
                                                            route_links(broker_names[b], gw), topo_.route(broker_names[b], gw)));
        broker_to_gw_[b][gi] = connections_.back().get();
      }
    }
  }
  resp_svc_to_broker_.assign(sc_.services.size(), std::vector<Connection*>(broker_names.size(), nullptr));
  resp_broker_to_gw_.assign(broker_names.size(), std::vector<Connection*>(gateway_stages_.size(), nullptr));
  for (const auto& a : sc_.applications) {
    std::size_t s = 0;
    while (s < sc_.services.size() && sc_.services[s].name != a.service) ++s;
    app_service_.push_back(a.last == "cloud" ? s : SIZE_MAX);
    device_free_.emplace_back(a.device_cost > 0 ? sc_.find_group(a.group)->count : 0, 0.0);
    AppMetrics am;
    am.name = a.name;
    am.series.assign(n_intervals_, IntervalCounters{});
    metrics.apps.push_back(std::move(am));
    if (a.last != "cloud") continue;
    // Responses keep their frame's stage times: these hops stamp nothing.
    for (std::size_t b = 0; b < broker_names.size(); ++b) {
      if (!resp_svc_to_broker_[s][b]) {
        connections_.push_back(std::make_unique<Connection>(
            *this, sc_.services[s].name + "->" + broker_names[b] + "/resp", hosts_.at(broker_names[b]),
            broker_stages_[b].get(), -1, route_links(sc_.services[s].node, broker_names[b]),
            topo_.route(sc_.services[s].node, broker_names[b])));
        resp_svc_to_broker_[s][b] = connections_.back().get();
      }
      for (const auto& gw : sc_.find_group(a.group)->gateways) {
        const std::size_t gi = gw_index.at(gw);
        if (resp_broker_to_gw_[b][gi]) continue;
        connections_.push_back(std::make_unique<Connection>(*this, broker_names[b] + "->" + gw + "/resp",
                                                            hosts_.at(gw), gateway_stages_[gi].get(), -1,
                                                            route_links(broker_names[b], gw), topo_.route(broker_names[b], gw)));
        resp_broker_to_gw_[b][gi] = connections_.back().get();
      }
    }
  }
  for (const auto& t : sc_.traffic) {
    TrafficRuntime tr;
    tr.spec = &t;
    tr.group = group_index.at(t.group);
    tr.group_spec = sc_.find_group(t.group);
    tr.pattern = t.pattern == "periodic" ? Pattern::periodic : t.pattern == "poisson" ? Pattern::poisson : Pattern::burst;
    const std::string& model = tr.group_spec->access.model;
    tr.access = model == "generic"       ? AccessKind::generic
                : model == "short-range" ? AccessKind::short_range
                : model == "sigfox"      ? AccessKind::sigfox
                : model == "cellular"    ? AccessKind::cellular
                                         : AccessKind::lora;
    for (const auto& gw : tr.group_spec->gateways) tr.gateway_stage.push_back(gw_index.at(gw));
    // Topic of device k: the template with {site}, {group} filled in and {device} = k.
    const std::string site = tr.group_spec->site;
    const std::string group = tr.group_spec->name.substr(site.size() + 1);
    const std::string topic = models::mqtt::expand_group_topic(t.topic, site, group);
    std::size_t device_slots = 0;
    for (auto p = topic.find("{device}"); p != std::string::npos; p = topic.find("{device}", p + 1)) ++device_slots;
    tr.topic_base_length = topic.size() - 8 * device_slots;
    for (std::size_t s = 0; s < sc_.services.size(); ++s)
      for (const auto& f : sc_.services[s].subscribe)
        if (models::mqtt::filter_matches_group_topic(f, topic)) {
          tr.services.push_back(static_cast<std::uint32_t>(s));
          break;
        }
    for (std::size_t a = 0; a < sc_.applications.size(); ++a)
      if (sc_.applications[a].traffic == traffic_.size()) tr.app = static_cast<int>(a);
    auto& gm = metrics.groups[tr.group];
    gm.fanout = std::max(gm.fanout, static_cast<int>(tr.services.size()));
    traffic_.push_back(std::move(tr));
    traffic_rng_.emplace_back(sc_.seed, "traffic/" + std::to_string(traffic_.size() - 1) + "/" + t.group);
  }
  for (auto& tr : traffic_) tr.spec = &sc_.traffic[static_cast<std::size_t>(&tr - traffic_.data())];
  for (std::size_t st = 0; st < gateway_specs_.size(); ++st)
    if (gateway_specs_[st]->aggregate_count > 1) {
      agg_.resize(gateway_specs_.size());
      agg_[st].resize(traffic_.size());
    }
  for (std::size_t c = 0; c < sc_.commands.size(); ++c)
    command_rng_.emplace_back(sc_.seed, "commands/" + std::to_string(c) + "/" + sc_.commands[c].group);
}

std::uint64_t decimal_digits(std::uint64_t v) {
  std::uint64_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

void Run::devices() {
  for (std::size_t ti = 0; ti < traffic_.size(); ++ti) {
    const TrafficSpec& t = *traffic_[ti].spec;
    const std::size_t g = traffic_[ti].group;
    auto& rng = traffic_rng_[ti];
    if (t.pattern == "burst") burst_left_[ti].assign(traffic_[ti].group_spec->count, static_cast<std::uint32_t>(t.burst_size));
    for (std::uint64_t k = 0; k < traffic_[ti].group_spec->count; ++k) {
      const double first = t.start + rng.uniform() * t.period;
      schedule(first, kGenerate, static_cast<std::uint32_t>(ti), k);
      auto& next = access_[g]->next_uplink;
      if (!next.empty()) next[k] = std::min(next[k], first);
    }
  }
  for (std::size_t ci = 0; ci < sc_.commands.size(); ++ci) {
    const auto* g = sc_.find_group(sc_.commands[ci].group);
    for (std::uint64_t k = 0; k < g->count; ++k)
      schedule(command_rng_[ci].exponential(sc_.commands[ci].period), kCommand, static_cast<std::uint32_t>(ci), k);
  }
  while (!heap_.empty()) {
    if ((events & 1023) == 0 && checkpoint()) return stop_run();
    const Event e = heap_.top();
    heap_.pop();
    const std::uint8_t kind = e.kind();
    if ((kind == kGenerate || kind == kCommand) && e.time >= sc_.duration) continue;  // creation has ended
    if (e.time > s4u::Engine::get_clock()) s4u::this_actor::sleep_until(e.time);
    ++events;
    switch (kind) {
      case kGenerate:
        generate(e.index(), e.data, e.time);
        break;
      case kArrive: {
        auto* m = reinterpret_cast<Message*>(e.data);
        arrive_at_gateway(m, gateway_for(m->group, m->device, e.time), e.time);
        break;
      }
      case kLoraTransmit:
        lora_try_transmit(e.index(), e.data, e.time, false);
        break;
      case kLoraEnd:
        lora_outcomes(e.time, e.index());
        break;
      case kCommand:
        issue_command(e.index(), e.data, e.time);
        break;
    }
  }
}

void Run::arrive_at_gateway(Message* m, std::size_t stage, double at) {
  m->t[1] = at;
  m->gateway = static_cast<std::uint16_t>(stage);
  if (!restarting_.empty() && restarting_[stage].rollout >= 0) {
    // The pipeline is restarting for a rollout: the gateway's agent holds the uplink (up to its
    // store-and-forward bytes) until the new container is ready, or it is lost.
    RestartHold& h = restarting_[stage];
    const auto ri = static_cast<std::size_t>(h.rollout);
    auto& rep = metrics.rollouts[ri].gateways[h.entry];
    if (sc_.rollouts[ri].during_restart == "drop") {
      ++rep.lost;
      return lose(m, LossCause::gateway_restart, -1);
    }
    if (h.bytes + m->wire > gateway_specs_[stage]->store_forward_bytes) {
      ++rep.lost;
      return lose(m, LossCause::buffer_overflow, -1);
    }
    ++rep.buffered;
    h.bytes += m->wire;
    h.held.push_back(m);
    return;
  }
  const double fraction = gateway_specs_[stage]->action_fraction;
  if (fraction > 0 && action_rng_[stage].chance(fraction)) m->local_action = true;
  gateway_stages_[stage]->push(m);
}

void Run::generate(std::size_t ti, std::uint64_t k, double now) {
  namespace radio = models::radio;
  TrafficRuntime& tr = traffic_[ti];
  const TrafficSpec& t = *tr.spec;
  const std::size_t gi = tr.group;
  const DeviceGroupSpec& g = *tr.group_spec;
  AccessRuntime& acc = *access_[gi];
  auto& gm = metrics.groups[gi];
  auto& rng = traffic_rng_[ti];
  // Next message of this device.
  double next = 0;
  if (tr.pattern == Pattern::periodic) {
    next = now + t.period + (t.jitter > 0 ? rng.uniform() * t.jitter : 0.0);
  } else if (tr.pattern == Pattern::poisson) {
    next = now + rng.exponential(t.period);
  } else {
    auto& left = burst_left_[ti][k];
    if (--left > 0) {
      next = now + t.burst_spacing;
    } else {
      left = static_cast<std::uint32_t>(t.burst_size);
      next = now + t.period - t.burst_spacing * static_cast<double>(t.burst_size - 1);
    }
  }
  schedule(next, kGenerate, static_cast<std::uint32_t>(ti), k);
  if (!acc.next_uplink.empty()) acc.next_uplink[k] = next;  // the device keeps its schedule after the run ends

  Message* m = pool.get();
  m->traffic = static_cast<std::uint32_t>(ti);
  m->group = static_cast<std::uint32_t>(gi);
  m->device = k;
  m->payload = static_cast<std::uint32_t>(t.payload);
  m->wire = static_cast<std::uint32_t>(
      models::mqtt::publish_packet_size(tr.topic_base_length + decimal_digits(k), t.payload, t.qos));
  m->broker = failover_ ? session_broker_[gi][k] : broker_for(gi, k);
  m->qos = static_cast<std::uint8_t>(t.qos);
  m->measured = now >= sc_.warmup;
  m->t[0] = now;
  const int fanout = static_cast<int>(tr.services.size());
  if (m->measured) {
    ++gm.sent;
    gm.expected += static_cast<std::uint64_t>(fanout);
    ++gm.series[interval_of(now)].sent;
  }
  ++in_flight;
  // An application's frame: its device stages run on the device's own CPU (FIFO per device), then
  // the last device stage's output is what crosses the access link. tx: when it leaves the device.
  double tx = now;
  if (tr.app >= 0) {
    const ApplicationSpec& app = sc_.applications[static_cast<std::size_t>(tr.app)];
    m->app = static_cast<std::uint16_t>(tr.app + 1);
    m->payload = static_cast<std::uint32_t>(app.access_bytes);
    m->wire = static_cast<std::uint32_t>(
        models::mqtt::publish_packet_size(tr.topic_base_length + decimal_digits(k), app.access_bytes, t.qos));
    if (app.device_cost > 0) {
      double& free = device_free_[static_cast<std::size_t>(tr.app)][k];
      tx = std::max(now, free) + app.device_cost / g.cpu;
      free = tx;
    }
    m->sent = tx;
    if (m->measured) {
      auto& am = metrics.apps[static_cast<std::size_t>(tr.app)];
      ++am.frames;
      ++am.series[interval_of(now)].sent;
    }
    if (app.last == "device") app_response_done(*m, tx, tx);  // answered on the device itself
  }
  const auto& a = g.access;
  const double frame = static_cast<double>(models::mqtt::mqttsn_publish_size(m->payload));
  if (tr.access == AccessKind::generic) {
    if (a.loss > 0 && rng.chance(a.loss)) return lose(m, LossCause::access, fanout);
    schedule(tx + a.latency + frame / a.bandwidth, kArrive, 0, reinterpret_cast<std::uint64_t>(m));
  } else if (tr.access == AccessKind::short_range) {
    const auto o = radio::sample_short_range(acc.short_range(), frame, acc.rng);
    if (!o.delivered) return lose(m, LossCause::access, fanout);
    schedule(tx + o.latency_s, kArrive, 0, reinterpret_cast<std::uint64_t>(m));
  } else if (tr.access == AccessKind::sigfox) {
    if (!acc.sigfox_quota(k).try_uplink(now)) return lose(m, LossCause::quota, fanout);
    const double airtime = radio::sigfox_message_airtime_s(static_cast<int>(t.payload));
    if (m->measured) {
      acc.energy.active.tx_s += airtime;
      ++gm.radio.transmissions;
    }
    // A downlink waiting for this device rides in the window that follows the uplink.
    auto it = acc.waiting_commands.find(k);
    if (it != acc.waiting_commands.end() && !it->second.empty() && acc.sigfox_quota(k).try_downlink(now)) {
      auto* cmd = static_cast<Message*>(it->second.front());
      it->second.pop_front();
      --waiting_commands_;
      // Sigfox: the device listens 20 s after its uplink; an 8-byte downlink at 600 bit/s (GFSK) with
      // 15 bytes of preamble, sync and ECC takes (8 + 15) x 8 / 600 s (Sigfox technical overview).
      const double rx = 20.0 + (8.0 + 15.0) * 8.0 / 600.0;
      if (m->measured) acc.energy.active.rx_s += rx;
      command_done(cmd, now + airtime + rx);
    }
    if (acc.rng.uniform() >= radio::sigfox_message_success(a.repetition_loss))
      return lose(m, LossCause::access, fanout);
    schedule(now + airtime, kArrive, 0, reinterpret_cast<std::uint64_t>(m));
  } else if (tr.access == AccessKind::cellular) {
    const auto& p = acc.cellular();
    const auto cls = acc.coverage();
    if (cls == radio::CoverageClass::none) return lose(m, LossCause::no_coverage, fanout);
    auto& rrc = acc.rrc(k);
    const double setup = rrc.idle_at(p, tx) ? radio::setup_latency_s(p, cls) : 0.0;
    const std::size_t stage = group_gateway_stage_[gi][k % group_gateway_stage_[gi].size()];
    auto cell = cells_.find({stage, static_cast<int>(p.tech)});
    if (cell == cells_.end())
      cell = cells_.emplace(std::make_pair(stage, static_cast<int>(p.tech)), radio::SharedCellUplink(p.cell_ul_capacity_bps))
                 .first;
    const int reps = radio::repetitions(p, cls);
    const double done = cell->second.admit(tx + setup, frame, reps);
    rrc.last_activity_end_s = done;
    if (m->measured) {
      const auto st = radio::cellular_psm_cycle(p, cls, frame, 0.0, radio::default_psm_config(), false);
      acc.energy.active.tx_s += st.tx_s;
      acc.energy.active.rx_s += st.rx_s;
      acc.energy.active.idle_s += a.power_saving == "psm" ? st.idle_s : 0.0;  // PSM: T3324 active time
      ++gm.radio.transmissions;
    }
    schedule(done + reps * p.user_plane_latency_s, kArrive, 0, reinterpret_cast<std::uint64_t>(m));
  } else {  // lora
    auto& pend = acc.pending(k);
    if (pend.active) return lose(m, LossCause::device_busy, fanout);
    pend = AccessRuntime::LoraPending{m, static_cast<std::uint32_t>(ti), 0, false, true, m->measured, 0};
    lora_try_transmit(gi, k, now, true);
  }
}

namespace {
constexpr int kLoraMacOverhead = 13;  // MHDR 1 + FHDR 7 + FPort 1 + MIC 4 (LoRaWAN 1.0.x §4)
constexpr int kLoraAckPhy = 12;       // an empty confirmed-ACK downlink: MHDR 1 + FHDR 7 + MIC 4
constexpr double kWakeupS = 310e-6;   // SX1276: TS_OSC 250 us + TS_FS 60 us per radio wake-up
}  // namespace

void Run::lora_try_transmit(std::size_t gi, std::uint64_t k, double now, bool first_attempt) {
  AccessRuntime& acc = *access_[gi];
  SiteRadio& sr = site_radio_[group_site_[gi]];
  auto& pend = acc.pending(k);
  auto& gm = metrics.groups[gi];
  auto& duty = acc.duty(k);
  std::size_t open = 0;
  double earliest = std::numeric_limits<double>::infinity();
  for (auto f : sr.uplink_freqs) {
    const double e = duty.earliest_tx_s(f);
    if (e <= now) ++open;
    earliest = std::min(earliest, e);
  }
  const TrafficSpec& t = *traffic_[pend.traffic].spec;
  if (open == 0) {
    // The whole band is closed: defer to when a channel reopens, unless that is past the device's
    // next message (then this one is lost to the duty cycle).
    if (first_attempt && earliest >= now + t.period) {
      pend.active = false;
      auto* m = static_cast<Message*>(pend.message);
      pend.message = nullptr;
      return lose(m, LossCause::duty_cycle, -1);
    }
    if (pend.measured) {
      ++gm.radio.deferrals;
      gm.radio.deferral_time += earliest - now;
    }
    schedule(earliest, kLoraTransmit, static_cast<std::uint32_t>(gi), k);
    return;
  }
  std::size_t pick = static_cast<std::size_t>(acc.rng.below(open));
  std::uint32_t channel = 0;
  for (std::size_t c = 0; c < sr.uplink_freqs.size(); ++c)
    if (duty.earliest_tx_s(sr.uplink_freqs[c]) <= now && pick-- == 0) {
      channel = static_cast<std::uint32_t>(c);
      break;
    }
  const int phy = static_cast<int>(t.payload) + kLoraMacOverhead;
  const double toa = acc.time_on_air(k, phy);
  models::radio::FrameTx f;
  f.start_s = now;
  f.toa_s = toa;
  f.channel = channel;
  f.sf = acc.sf(k);
  f.bw_khz = acc.group().access.bw_khz;
  f.preamble = acc.group().access.preamble;
  f.tag = (static_cast<std::uint64_t>(gi) << 40) | k;
  links_buf_.clear();
  const float* rssi = acc.rssi(k);
  for (std::size_t g = 0; g < acc.site_gateways(); ++g)
    links_buf_.push_back(models::radio::GatewayLink{static_cast<std::uint32_t>(g), rssi[g]});
  sr.channel->add_frame(f, links_buf_);
  if (sr.duty_cycle) duty.record(sr.uplink_freqs[channel], now, toa);
  pend.freq_hz = sr.uplink_freqs[channel];
  ++pend.attempts;
  if (pend.measured) {
    ++gm.radio.transmissions;
    if (pend.attempts > 1) ++gm.radio.retransmissions;
    acc.energy.active.tx_s += toa;
    acc.energy.active.idle_s += 3 * kWakeupS;  // TX, RX1, RX2 wake-ups (lora_class_a_cycle)
  }
  schedule(now + toa, kLoraEnd, static_cast<std::uint32_t>(gi), k);
}

double Run::lora_downlink(std::size_t gi, std::uint64_t k, double uplink_end, std::uint32_t freq, int phy_payload,
                          std::uint32_t gateway, bool* in_rx1) {
  namespace radio = models::radio;
  AccessRuntime& acc = *access_[gi];
  SiteRadio& sr = site_radio_[group_site_[gi]];
  const auto rxp = radio::rx_params(sr.region);
  auto& gduty = sr.gateway_duty[gateway];
  const int up_dr = radio::uplink_dr_for(sr.region, acc.sf(k), acc.group().access.bw_khz).value_or(0);
  // RX1: same channel plan, DR = uplink DR (RX1DROffset 0); RX2: fixed frequency and DR.
  const std::uint32_t f1 = radio::rx1_freq_hz(sr.region, freq);
  const double t1 = uplink_end + rxp.receive_delay1_s;
  const double toa1 = radio::time_on_air_s(radio::downlink_params(sr.region, radio::rx1_dr(sr.region, up_dr)), phy_payload);
  if (!sr.duty_cycle || (gduty.earliest_tx_s(f1) <= t1 && gduty.record(f1, t1, toa1))) {
    sr.channel->add_gateway_busy(gateway, t1, t1 + toa1);
    *in_rx1 = true;
    return t1 + toa1;
  }
  const double t2 = uplink_end + rxp.receive_delay2_s;
  const double toa2 = radio::time_on_air_s(radio::downlink_params(sr.region, rxp.rx2_dr), phy_payload);
  if (!sr.duty_cycle || (gduty.earliest_tx_s(rxp.rx2_freq_hz) <= t2 && gduty.record(rxp.rx2_freq_hz, t2, toa2))) {
    sr.channel->add_gateway_busy(gateway, t2, t2 + toa2);
    *in_rx1 = false;
    return t2 + toa2;
  }
  return -1.0;
}

void Run::lora_outcomes(double now, std::size_t group_hint) {
  namespace radio = models::radio;
  SiteRadio& sr = site_radio_[group_site_[group_hint]];
  radio::FrameOutcome out;
  while (sr.channel->next_outcome(now, out)) {
    const std::size_t gi = static_cast<std::size_t>(out.tag >> 40);
    const std::uint64_t k = out.tag & ((1ULL << 40) - 1);
    AccessRuntime& acc = *access_[gi];
    auto& pend = acc.pending(k);
    auto& gm = metrics.groups[gi];
    const auto& a = acc.group().access;
    // The network has the frame if a gateway that is up received it (a dead gateway forwards nothing).
    int best_alive = -1;
    double best_rssi = -1e300;
    for (const auto& go : out.gateways)
      if (go.cause == radio::RxCause::received && gateway_stages_[sr.gateway_stage[go.gateway]]->up() &&
          go.rssi_dbm > best_rssi) {
        best_alive = static_cast<int>(go.gateway);
        best_rssi = go.rssi_dbm;
      }
    const bool got = best_alive >= 0;
    if (got && pend.measured) gm.radio.extra_copies += static_cast<std::uint64_t>(std::max(0, out.network.copies - 1));
    // Receptions at gateways that are down do not count (their causes are ignored below).
    if (got) {
      if (!pend.delivered) {
        pend.delivered = true;
        auto* m = static_cast<Message*>(pend.message);
        pend.message = nullptr;
        // The strongest receiving gateway that is up forwards it (gateway HA for LoRa: every gateway
        // in range hears the frame).
        arrive_at_gateway(m, sr.gateway_stage[static_cast<std::size_t>(best_alive)], out.end_s);
      } else if (pend.measured) {
        ++gm.radio.duplicates;
      }
    }
    // Receive windows: an ACK (confirmed) or a waiting class A command goes down in RX1 or RX2.
    const double rx1_window = radio::lora_rx_window_s(acc.sf(k), a.bw_khz * 1e3);
    const double rx2_window = radio::lora_rx_window_s(12, 125e3);  // RX2 at DR0 (SF12/125, EU868)
    double rx_time = rx1_window + rx2_window;
    bool acked = false;
    auto wit = acc.waiting_commands.find(k);
    Message* cmd = nullptr;
    if (wit != acc.waiting_commands.end()) {
      while (!wit->second.empty() && !cmd) {
        auto* c = static_cast<Message*>(wit->second.front());
        const double expiry = sc_.commands[c->traffic].expiry;
        if (expiry > 0 && out.end_s - c->t[0] > expiry) {
          wit->second.pop_front();
          --waiting_commands_;
          if (c->measured) ++gm.commands.expired;
          pool.put(c);
          continue;
        }
        cmd = c;
      }
    }
    if (got && (a.confirmed || cmd)) {
      bool in_rx1 = false;
      const int phy = cmd ? kLoraMacOverhead + static_cast<int>(cmd->payload) : kLoraAckPhy;
      const double done =
          lora_downlink(gi, k, out.end_s, pend.freq_hz, phy, static_cast<std::uint32_t>(best_alive), &in_rx1);
      if (done > 0) {
        acked = a.confirmed;
        rx_time = in_rx1 ? done - (out.end_s + 1.0) : rx1_window + (done - (out.end_s + 2.0));
        if (acked && pend.measured) ++gm.radio.acks;
        if (cmd) {
          wit->second.pop_front();
          --waiting_commands_;
          command_done(cmd, done);
        }
      }
    }
    if (pend.measured) acc.energy.active.rx_s += rx_time;
    const bool finished = a.confirmed ? (acked || pend.attempts >= a.max_transmissions)
                                      : pend.attempts >= a.max_transmissions;
    if (!finished) {
      const double retry = out.end_s + radio::rx_params(sr.region).receive_delay2_s + rx2_window +
                           radio::retransmit_timeout_s(acc.rng);
      schedule(retry, kLoraTransmit, static_cast<std::uint32_t>(gi), k);
      continue;
    }
    pend.active = false;
    if (!pend.delivered) {
      // The most telling cause among the gateways that could have heard it.
      LossCause cause = LossCause::below_sensitivity;
      int rank = 0;
      for (const auto& go : out.gateways) {
        if (!gateway_stages_[sr.gateway_stage[go.gateway]]->up()) continue;
        const int r = go.cause == radio::RxCause::collision          ? 4
                      : go.cause == radio::RxCause::demodulator_busy ? 3
                      : go.cause == radio::RxCause::half_duplex      ? 2
                                                                     : 1;
        if (r > rank) {
          rank = r;
          cause = r == 4 ? LossCause::collision
                  : r == 3 ? LossCause::demodulator_busy
                  : r == 2 ? LossCause::half_duplex
                           : LossCause::below_sensitivity;
        }
      }
      auto* m = static_cast<Message*>(pend.message);
      pend.message = nullptr;
      lose(m, cause, -1);
    } else if (a.confirmed && !acked && pend.measured) {
      ++gm.radio.no_ack;
    }
  }
}

void Run::issue_command(std::size_t ci, std::uint64_t k, double now) {
  const CommandSpec& c = sc_.commands[ci];
  schedule(now + command_rng_[ci].exponential(c.period), kCommand, static_cast<std::uint32_t>(ci), k);
  std::size_t gi = 0;
  while (metrics.groups[gi].name != c.group) ++gi;
  std::size_t s = 0;
  while (sc_.services[s].name != c.from) ++s;
  Message* m = pool.get();
  m->downlink = true;
  m->traffic = static_cast<std::uint32_t>(ci);
  m->group = static_cast<std::uint32_t>(gi);
  m->device = k;
  m->payload = static_cast<std::uint32_t>(c.payload);
  const std::string topic_len_probe = "cmd/" + c.group + "/";
  m->wire = static_cast<std::uint32_t>(
      models::mqtt::publish_packet_size(topic_len_probe.size() + decimal_digits(k), c.payload, 1));
  m->broker = broker_for(gi, k);
  m->measured = now >= sc_.warmup;
  m->t[0] = now;
  if (m->measured) ++metrics.groups[gi].commands.sent;
  ++in_flight;
  service_stages_[s]->push(m);
}

Message* Run::make_response(const Message& frame) {
  const ApplicationSpec& a = sc_.applications[frame.app - 1];
  Message* r = pool.get();
  r->downlink = true;
  r->response = true;
  r->app = frame.app;
  r->traffic = frame.traffic;
  r->group = frame.group;
  r->device = frame.device;
  r->gateway = frame.gateway;
  r->broker = frame.broker;
  r->qos = frame.qos;
  r->measured = frame.measured;
  r->sent = frame.sent;
  r->t = frame.t;
  r->payload = static_cast<std::uint32_t>(a.response);
  // Published on the frame's topic + "/resp" (5 more bytes of topic).
  r->wire = static_cast<std::uint32_t>(models::mqtt::publish_packet_size(
      traffic_[frame.traffic].topic_base_length + decimal_digits(frame.device) + 5, a.response, frame.qos));
  ++in_flight;
  return r;
}

void Run::app_response_done(const Message& r, double gateway_done, double at) {
  if (!r.measured) return;
  const ApplicationSpec& a = sc_.applications[r.app - 1];
  AppMetrics& am = metrics.apps[r.app - 1];
  if (at > sc_.duration + drain_time(sc_)) {
    ++am.unfinished;
    return;
  }
  const double latency = at - r.t[0];
  ++am.responses;
  am.latency.add(latency);
  auto& iv = am.series[interval_of(at)];
  ++iv.delivered;
  iv.latency_sum += latency;
  iv.latency_max = std::max(iv.latency_max, latency);
  if (a.latency_budget > 0 && latency > a.latency_budget) ++am.late;
  auto& seg = am.segment_sum;
  seg[0] += r.sent - r.t[0];
  if (a.last == "device") return;
  seg[1] += r.t[1] - r.sent;
  if (a.last == "edge") {
    seg[2] += gateway_done - r.t[1];
  } else {
    seg[2] += r.t[2] - r.t[1];
    seg[3] += r.t[3] - r.t[2];
    seg[4] += r.t[4] - r.t[3];
    seg[5] += r.t[5] - r.t[4];
    seg[6] += gateway_done - r.t[5];
  }
  seg[7] += at - gateway_done;
}

void Run::command_done(Message* m, double delivered_at) {
  if (m->response) {
    app_response_done(*m, s4u::Engine::get_clock(), delivered_at);
    pool.put(m);
    return;
  }
  auto& cc = metrics.groups[m->group].commands;
  const double expiry = sc_.commands[m->traffic].expiry;
  if (m->measured) {
    if (expiry > 0 && delivered_at - m->t[0] > expiry) {
      ++cc.expired;
    } else if (delivered_at > sc_.duration + drain_time(sc_)) {
      ++cc.unfinished;  // deliverable only after the simulated time ends
    } else {
      ++cc.delivered;
      cc.latency.add(delivered_at - m->t[0]);
    }
  }
  pool.put(m);
}

void Run::command_at_gateway(Message* m) {
  namespace radio = models::radio;
  const double now = s4u::Engine::get_clock();
  const std::size_t gi = m->group;
  AccessRuntime& acc = *access_[gi];
  const auto& a = acc.group().access;
  const std::uint64_t k = m->device;
  const double frame = static_cast<double>(models::mqtt::mqttsn_publish_size(m->payload));
  auto wait_for_uplink = [&] {
    acc.waiting_commands[k].push_back(m);
    ++waiting_commands_;
    finish_in_flight(1);
  };
  double at = now;
  if (a.model == "generic") {
    if (a.loss > 0 && acc.rng.chance(a.loss)) return lose(m, LossCause::access, 1);
    at = now + a.latency + frame / a.bandwidth;
  } else if (a.model == "short-range") {
    const auto o = radio::sample_short_range(acc.short_range(), frame, acc.rng);
    if (!o.delivered) return lose(m, LossCause::access, 1);
    at = now + o.latency_s;
  } else if (a.model == "sigfox") {
    return wait_for_uplink();
  } else if (a.model == "cellular") {
    const auto& p = acc.cellular();
    const auto cls = acc.coverage();
    if (cls == radio::CoverageClass::none) return lose(m, LossCause::access, 1);
    auto& rrc = acc.rrc(k);
    double reachable = now;
    bool needs_setup = rrc.idle_at(p, now);
    if (a.power_saving == "psm") {
      const double next_up = acc.next_uplink.empty() ? std::numeric_limits<double>::infinity() : acc.next_uplink[k];
      const auto slot = radio::psm_downlink(now, rrc.last_activity_end_s, next_up, radio::default_psm_config());
      if (!slot.ok) return wait_for_uplink();  // no further uplink: the command waits (unfinished)
      reachable = slot.time_s;
    } else if (a.power_saving == "edrx") {
      reachable = radio::edrx_downlink(now, radio::default_edrx_config()).time_s;
    } else if (needs_setup) {
      // Idle mode: paged at the next paging occasion of the default DRX cycle.
      const double drx = radio::default_psm_config().idle_drx_cycle_s;
      if (drx > 0) reachable = std::ceil(now / drx) * drx;
    }
    needs_setup = rrc.idle_at(p, reachable);
    const double setup = needs_setup ? radio::setup_latency_s(p, cls) : 0.0;
    at = reachable + setup + frame * 8.0 / radio::effective_dl_rate_bps(p, cls) +
         radio::repetitions(p, cls) * p.user_plane_latency_s;
    rrc.last_activity_end_s = std::max(rrc.last_activity_end_s, at);
  } else {  // lora
    if (a.device_class == "A") return wait_for_uplink();
    SiteRadio& sr = site_radio_[group_site_[gi]];
    const float* rssi = acc.rssi(k);
    std::uint32_t best = 0;
    for (std::size_t g = 1; g < acc.site_gateways(); ++g)
      if (rssi[g] > rssi[best]) best = static_cast<std::uint32_t>(g);
    const auto rxp = radio::rx_params(sr.region);
    auto& gduty = sr.gateway_duty[best];
    const int phy = kLoraMacOverhead + static_cast<int>(m->payload);
    int dr = rxp.rx2_dr;
    double start = sr.duty_cycle ? std::max(now, gduty.earliest_tx_s(rxp.rx2_freq_hz)) : now;
    if (a.device_class == "B") {
      // Ping slots at DR3 on the class B ping frequency (EU868: 869.525 MHz, the RX2 frequency).
      radio::ClassBParams cb;
      cb.device_key = models::mix64(sc_.seed, models::fnv1a64(acc.group().name) + k);
      const auto slot = radio::class_b_next_ping_slot(now, start, cb);
      start = slot.time_s;
      dr = sr.region == radio::Region::eu868 ? 3 : 8;
    }
    const double toa = radio::time_on_air_s(radio::downlink_params(sr.region, dr), phy);
    if (sr.duty_cycle) gduty.record(rxp.rx2_freq_hz, start, toa);
    sr.channel->add_gateway_busy(best, start, start + toa);
    at = start + toa;
  }
  command_done(m, at);
  finish_in_flight(1);
}

void Run::controller() {
  s4u::this_actor::sleep_until(sc_.duration);
  const double deadline = sc_.duration + drain_time(sc_);
  std::unique_lock lock(*done_mutex_);
  while (in_flight > 0 && s4u::Engine::get_clock() < deadline) done_cv_->wait_until(lock, deadline);
  metrics.drained = in_flight == 0;
  if (data_) data_->drain(deadline);
}

void Run::progress() {
  // Called from the actors that do the work (every 1024 events), never from an actor of its own:
  // a progress actor's sleeps would be simulated events, and SimGrid merges events closer than its
  // timing precision, so printing progress would change the results.
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  if (wall < opt_.progress_after || wall - last_print_ < 1.0) return;
  const double now = s4u::Engine::get_clock();
  const double pct = std::min(100.0, 100.0 * now / sc_.duration);
  const double rate = static_cast<double>(events - last_events_) / std::max(1e-9, wall - std::max(0.0, last_print_));
  const double eta = pct > 0 ? wall * (100.0 - pct) / pct : 0.0;
  char buf[200];
  std::snprintf(buf, sizeof buf, "edgetwin: simulated %.1fs of %.1fs (%.0f%%), %.0f events/s, elapsed %.0fs, ETA %.0fs\n",
                now, sc_.duration, pct, last_print_ < 0 ? static_cast<double>(events) / wall : rate, wall, eta);
  *opt_.progress << buf << std::flush;
  last_print_ = wall;
  last_events_ = events;
}

bool Run::stop_requested() const {
  if (opt_.interrupt && opt_.interrupt->load(std::memory_order_relaxed)) return true;
  if (opt_.time_limit > 0 &&
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count() >= opt_.time_limit)
    return true;
  return false;
}

void Run::stop_run() {
  if (metrics.partial) return;
  metrics.partial = true;
  metrics.stop_reason = (opt_.interrupt && opt_.interrupt->load()) ? "interrupted" : "time-limit";
  metrics.drained = in_flight == 0;
  // Every other actor (devices, stages, receivers, controller) ends here; the engine then returns.
  s4u::Actor::kill_all();
}

RunMetrics Run::execute() {
  metrics.interval = sc_.outputs.interval;
  n_intervals_ = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil((sc_.duration + drain_time(sc_)) / metrics.interval)));
  if (DataServices::used(sc_))
    data_ = std::make_unique<DataServices>(sc_, metrics, [this](double t) { return interval_of(t); }, n_intervals_);
  build_platform();
  failover_ = !sc_.faults.empty();
  link_up_.assign(sc_.links.size(), true);
  link_epoch_.assign(sc_.links.size(), 0);
  for (auto* l : links_) {
    link_bandwidth0_.push_back(l->get_bandwidth());
    link_latency0_.push_back(l->get_latency());
  }
  build_stages();
  if (traffic_.size() > kMaxEventIndex || metrics.groups.size() > kMaxEventIndex || sc_.commands.size() > kMaxEventIndex)
    throw std::runtime_error("more than " + std::to_string(kMaxEventIndex) +
                             " traffic entries, device groups or commands: the device event index has 21 bits");
  if (failover_) {
    failover_rng_ = models::Rng(sc_.seed, "failover");
    broker_down_at_.assign(broker_stages_.size(), -1.0);
    broker_up_at_.assign(broker_stages_.size(), -1.0);
    gateway_down_at_.assign(gateway_stages_.size(), -1.0);
    buffers_.resize(gateway_stages_.size());
    fault_sessions_.resize(sc_.faults.size());
    recent_acks_.resize(broker_stages_.size());
    ack_window_.assign(broker_stages_.size(), 0.0);
    for (std::size_t b = 0; b < broker_stages_.size(); ++b)
      for (std::size_t st = 0; st < gateway_stages_.size(); ++st) {
        if (!gw_to_lb_[st]) continue;
        double l = 0;
        auto add = [&](const std::vector<int>& route) {
          for (int li : route) {
            double worst = sc_.links[static_cast<std::size_t>(li)].latency;
            for (const auto& f : sc_.faults)
              if (f.action == "degrade" && f.target == sc_.links[static_cast<std::size_t>(li)].name)
                worst = std::max(worst, f.latency);
            l += worst;
          }
        };
        add(gw_to_lb_[st]->route());
        add(lb_to_broker_[b]->route());
        ack_window_[b] = std::max(ack_window_[b], l);
      }
    for (const auto& f : sc_.faults) {
      FaultReport r;
      r.target = f.target;
      r.action = f.action;
      r.at = f.at;
      r.duration = f.duration;
      metrics.faults.push_back(r);
    }
    for (std::size_t gi = 0; gi < metrics.groups.size(); ++gi) {
      const std::uint64_t n = metrics.groups[gi].devices;
      session_broker_.emplace_back(n);
      session_up_at_.emplace_back(n, -std::numeric_limits<double>::infinity());
      for (std::uint64_t k = 0; k < n; ++k) session_broker_[gi][k] = broker_for(gi, k);
    }
  }
  // A stage alone on its host (no other stage computes there) runs as a computed c-server.
  {
    std::map<s4u::Host*, int> stages_on;
    auto count = [&](const std::unique_ptr<Stage>& s) { ++stages_on[s->host()]; };
    for (auto& s : gateway_stages_) count(s);
    count(lb_stage_);
    for (auto& s : broker_stages_) count(s);
    for (std::size_t i = 0; i < service_stages_.size(); ++i)
      if (sc_.services[i].model == "iaas") count(service_stages_[i]);
    for (const auto& pa : paas_)
      for (const auto& n : pa.spec->pod_nodes) stages_on[hosts_.at(n)] += 2;  // pods compute there
    auto choose = [&](const std::unique_ptr<Stage>& s) {
      if (!opt_.actor_stages && stages_on[s->host()] == 1 && !(data_ && data_->computes_on(s->host())))
        s->set_analytic();
    };
    for (auto& s : gateway_stages_) choose(s);
    choose(lb_stage_);
    for (auto& s : broker_stages_) choose(s);
    for (std::size_t i = 0; i < service_stages_.size(); ++i)
      if (sc_.services[i].model == "iaas") choose(service_stages_[i]);
  }
  for (auto& c : connections_) c->start();
  for (auto& s : gateway_stages_) s->start();
  lb_stage_->start();
  for (auto& s : broker_stages_) s->start();
  for (std::size_t i = 0; i < service_stages_.size(); ++i)
    if (sc_.services[i].model == "iaas") service_stages_[i]->start();
  if (!paas_.empty()) {
    // The cluster at t = 0: every node free; each Deployment's initial pods scheduled and ready.
    for (const auto& n : sc_.cloud_nodes) cnodes_.push_back(CloudNodeState{true, 0, static_cast<double>(n.cores), n.memory});
    for (std::size_t pi = 0; pi < paas_.size(); ++pi) {
      paas_[pi].desired = paas_[pi].spec->replicas;
      reconcile(pi, 0.0);
      for (std::size_t k = 0; k < paas_[pi].pods.size(); ++k)
        if (paas_[pi].pods[k].state == Pod::starting) pod_ready(pi, k, 0.0);
      if (paas_[pi].stab) set_timer(paas_[pi].spec->autoscale.sync_period, kHpaSync, static_cast<std::uint32_t>(pi), 0);
      auto& pm = metrics.platform_services[paas_[pi].pm];
      pm.replicas_min = pm.replicas_max = pm.replicas_final = pm.ready_series[0];
    }
  }
  if (data_) data_->start();
  if (Alerting::used(sc_)) {
    alerting_ = std::make_unique<Alerting>(sc_, metrics, [this](const std::string& e) { return entity_up(e); });
    s4u::Actor::create("alerting", devices_host_, [this] { alerting_->run(); })->daemonize();
  }
  burst_left_.resize(traffic_.size());
  s4u::Actor::create("devices", devices_host_, [this] { devices(); });
  s4u::Actor::create("controller", devices_host_, [this] { controller(); });
  if (failover_) {
    s4u::Actor::create("faults", devices_host_, [this] { faults_actor(); })->daemonize();
    s4u::Actor::create("reconnector", devices_host_, [this] { reconnector_actor(); })->daemonize();
  }
  if (!agg_.empty() || !home_.empty() || platform_)
    s4u::Actor::create("timers", devices_host_, [this] { timer_actor(); })->daemonize();
  if (!sc_.rollouts.empty()) {
    restarting_.resize(gateway_stages_.size());
    for (std::size_t ri = 0; ri < sc_.rollouts.size(); ++ri) {
      const RolloutSpec& r = sc_.rollouts[ri];
      RolloutReport rep;
      rep.name = r.name;
      rep.at = r.at;
      rep.max_unavailable = r.max_unavailable;
      rep.pull_bytes_per_gateway = r.pull_bytes();
      for (std::size_t i = 0; i < r.gateways.size(); ++i) {
        RolloutReport::Gateway g;
        g.name = r.gateways[i];
        rep.gateways.push_back(g);
        for (std::size_t st = 0; st < gateway_names_.size(); ++st)
          if (gateway_names_[st] == r.gateways[i]) rollouts_[ri].stage.push_back(st);
        for (int li : rollouts_[ri].route[i]) rep.link_bytes[sc_.links[static_cast<std::size_t>(li)].name] += 0;
      }
      metrics.rollouts.push_back(std::move(rep));
      s4u::Actor::create("rollout/" + r.name, rollouts_[ri].registry, [this, ri] { rollout_actor(ri); })->daemonize();
    }
  }
  s4u::Engine::get_instance()->run();
  if (reconnect_lock_.owns_lock()) (void)reconnect_lock_.release();  // its daemon is gone: no unlock simcall
  metrics.simulated_end = s4u::Engine::get_clock();
  metrics.events = events;
  for (std::size_t pi = 0; pi < paas_.size(); ++pi) {  // carry the last state to the end of the series
    auto& pm = metrics.platform_services[paas_[pi].pm];
    for (std::size_t i = paas_[pi].last_iv + 1; i < n_intervals_; ++i) {
      pm.ready_series[i] = pm.ready_series[i - 1];
      pm.desired_series[i] = pm.desired_series[i - 1];
      pm.pending_series[i] = pm.pending_series[i - 1];
    }
  }
  if (data_) data_->finish(metrics.simulated_end);
  if (alerting_) alerting_->finish();
  account_energy();
  // Commands still waiting for their device, or on their way, when the run ended.
  for (std::size_t gi = 0; gi < access_.size(); ++gi)
    for (auto& [k, q] : access_[gi]->waiting_commands)
      for (void* p : q) {
        auto* c = static_cast<Message*>(p);
        if (!c->measured || c->response) continue;
        const double expiry = sc_.commands[c->traffic].expiry;
        if (expiry > 0 && metrics.simulated_end - c->t[0] > expiry)
          ++metrics.groups[gi].commands.expired;
        else
          ++metrics.groups[gi].commands.unfinished;
      }
  for (auto& g : metrics.groups) {
    auto& c = g.commands;
    const std::uint64_t accounted = c.delivered + c.expired + c.lost + c.unfinished;
    if (c.sent > accounted) c.unfinished += c.sent - accounted;
  }
  // Deliveries still in flight (not drained) are unfinished, attributed to their groups.
  return std::move(metrics);
}

}  // namespace

// ---- rollouts ----------------------------------------------------------------------------------

void Run::rollout_actor(std::size_t ri) {
  const RolloutSpec& r = sc_.rollouts[ri];
  s4u::this_actor::sleep_until(r.at);
  // Rolling update: gateways in the declared order, at most max_unavailable updating at once; as
  // one finishes (its pipeline is back) the next starts, at the same instant.
  const int slots = std::min<int>(r.max_unavailable, static_cast<int>(r.gateways.size()));
  s4u::SemaphorePtr free_slots = s4u::Semaphore::create(static_cast<unsigned>(slots));
  for (std::size_t i = 0; i < r.gateways.size(); ++i) {
    free_slots->acquire();
    s4u::Actor::create("rollout/" + r.name + "/" + r.gateways[i], rollouts_[ri].registry, [this, ri, i, free_slots] {
      update_gateway(ri, i);
      free_slots->release();
    })->daemonize();
  }
  for (int k = 0; k < slots; ++k) free_slots->acquire();  // every gateway is back
  metrics.rollouts[ri].end = s4u::Engine::get_clock();
}

void Run::update_gateway(std::size_t ri, std::size_t i) {
  const RolloutSpec& r = sc_.rollouts[ri];
  RolloutRuntime& rt = rollouts_[ri];
  auto& rep = metrics.rollouts[ri];
  auto& g = rep.gateways[i];
  s4u::Host* gw = gateway_stages_[rt.stage[i]]->host();
  const bool recreate = r.pull == "after-stop";
  g.pull_start = s4u::Engine::get_clock();
  if (recreate) pipeline_down(ri, i);
  // Each uncached layer is one SimGrid transfer from the registry host to the gateway host: it
  // crosses the registry's egress link and every routed link, sharing them (max-min fairness) with
  // the other pulls and the messages on them. Up to max_concurrent_downloads layers at once (as
  // dockerd/containerd), in the image's order; the next starts when one finishes.
  std::vector<s4u::CommPtr> active;
  auto start_layer = [&](const RolloutSpec::Layer& layer) {
    const std::size_t iv = interval_of(s4u::Engine::get_clock());
    for (int li : rt.route[i]) {
      auto& lm = metrics.links[static_cast<std::size_t>(li)];
      lm.bytes += layer.size;
      lm.bytes_series[iv] += layer.size;
      rep.link_bytes[lm.name] += layer.size;
    }
    g.bytes += layer.size;
    active.push_back(s4u::Comm::sendto_async(rt.registry, gw, static_cast<std::uint64_t>(layer.size)));
  };
  for (const auto& layer : r.layers) {
    if (layer.cached) continue;
    if (static_cast<int>(active.size()) >= r.max_concurrent_downloads) {
      const ssize_t done = s4u::Comm::wait_any(active);
      active.erase(active.begin() + done);
    }
    start_layer(layer);
  }
  if (!active.empty()) s4u::Comm::wait_all(active);
  g.pull_end = s4u::Engine::get_clock();
  if (!recreate) pipeline_down(ri, i);
  s4u::this_actor::sleep_for(r.restart);
  pipeline_up(ri, i);
}

void Run::pipeline_down(std::size_t ri, std::size_t i) {
  // A planned restart, not a crash: the old container stops gracefully and finishes what it already
  // holds (its queue and cores are left alone); from now on new uplinks find no pipeline.
  const std::size_t st = rollouts_[ri].stage[i];
  RestartHold& h = restarting_[st];
  h.rollout = static_cast<int>(ri);
  h.entry = i;
  metrics.rollouts[ri].gateways[i].down_start = s4u::Engine::get_clock();
}

void Run::pipeline_up(std::size_t ri, std::size_t i) {
  const std::size_t st = rollouts_[ri].stage[i];
  RestartHold& h = restarting_[st];
  metrics.rollouts[ri].gateways[i].down_end = s4u::Engine::get_clock();
  h.rollout = -1;
  std::deque<Message*> held = std::move(h.held);
  h.held.clear();
  h.bytes = 0;
  // The new container processes what its agent held, in arrival order (full CPU work: they were
  // never processed).
  for (Message* m : held) gateway_stages_[st]->push(m);
}

// ---- faults and failover ------------------------------------------------------------------------

bool Run::entity_up(const std::string& e) const {
  for (std::size_t li = 0; li < sc_.links.size(); ++li)
    if (sc_.links[li].name == e) return static_cast<bool>(link_up_[li]);
  const auto names = sc_.brokers.names();
  for (std::size_t b = 0; b < names.size(); ++b)
    if (names[b] == e) return broker_stages_[b]->up();
  if (e == sc_.load_balancer.node.name) return lb_stage_->up();
  for (std::size_t st = 0; st < gateway_stages_.size(); ++st)
    if (gateway_names_[st] == e) return gateway_stages_[st]->up();
  for (std::size_t n = 0; n < sc_.cloud_nodes.size(); ++n)  // a cloud node with pods: its own state
    if (sc_.cloud_nodes[n].name == e && n < cnodes_.size()) return cnodes_[n].up;
  bool up = true;  // a cloud node: its (iaas) services run
  for (std::size_t s = 0; s < sc_.services.size(); ++s)
    if (sc_.services[s].node == e && sc_.services[s].model == "iaas") up = up && service_stages_[s]->up();
  return up;
}

int Run::active_fault(double t) const {
  int best = -1;
  for (std::size_t i = 0; i < sc_.faults.size(); ++i) {
    const auto& f = sc_.faults[i];
    if (f.action == "restore" || t + 1e-9 < f.at) continue;  // SimGrid may run it up to 1 ns early
    if (f.duration > 0 && t > f.at + f.duration + 2 * detect_delay() + sc_.brokers.reconnect_backoff_max) continue;
    if (best < 0 || f.at >= sc_.faults[static_cast<std::size_t>(best)].at) best = static_cast<int>(i);
  }
  return best;
}

bool Run::gateway_path_up(std::size_t stage) const {
  return gateway_stages_[stage]->up() && lb_stage_->up() && gw_to_lb_[stage] && route_up(gw_to_lb_[stage]->route());
}

bool Run::broker_reachable(std::size_t b) const {
  return broker_stages_[b]->up() && route_up(lb_to_broker_[b]->route());
}

bool Run::in_lb_pool(std::size_t b, double t) const {
  // Health checks every `interval` (phase 0); a broker leaves the pool at the failure_threshold-th
  // failed probe after it died, and comes back at the first passing probe after it recovered.
  const double iv = sc_.load_balancer.health_check_interval;
  const double down = broker_down_at_[b], up = broker_up_at_[b];
  if (down < 0) return true;
  if (down > up) {  // currently down (or down since its last restore)
    const double removed = std::ceil(down / iv) * iv + (sc_.load_balancer.failure_threshold - 1) * iv;
    return t < removed;
  }
  return t >= std::ceil(up / iv) * iv;
}

std::size_t Run::gateway_for(std::size_t gi, std::uint64_t k, double now) const {
  const auto& stages = group_gateway_stage_[gi];
  const std::size_t home = stages[k % stages.size()];
  if (!failover_ || gateway_stages_[home]->up()) return home;
  // Gateway HA: after the devices notice (keep-alive), they re-home to the next gateway of their group
  // that is up; before that they keep sending to the dead one.
  if (now < gateway_down_at_[home] + detect_delay()) return home;
  for (std::size_t j = 1; j < stages.size(); ++j) {
    const std::size_t alt = stages[(k + j) % stages.size()];
    if (gateway_stages_[alt]->up()) return alt;
  }
  return home;
}

void Run::fault_loss(Message* m, LossCause cause) {
  if (m->connect) {  // the CONNECT itself was lost: try again later
    const double now = s4u::Engine::get_clock();
    schedule_reconnect(now + sc_.brokers.reconnect_backoff, m->group, m->device, 1);
    pool.put(m);
    return;
  }
  if (m->downlink) return lose(m, cause, 1);
  if (m->past_broker && cause == LossCause::service_down && !offline_q_.empty() && m->qos == 1 &&
      broker_stages_[m->peer]->up()) {
    // Persistent session: the broker still holds the unacknowledged QoS 1 message and sends it again
    // when the subscriber reconnects (MQTT 3.1.1 §4.4).
    if (hold_for_subscriber(m->peer, m->service, m)) return;
    return lose(m, LossCause::session_queue_full, 1);
  }
  if (m->past_broker) return lose(m, cause, 1);
  if (failover_ && m->qos == 1 && gateway_stages_[m->gateway]->up() && cause != LossCause::gateway_down) {
    m->forwarded = true;
    return buffer_at_gateway(m);  // unacknowledged: retransmitted once the session is back
  }
  lose(m, cause, -1);
}

void Run::buffer_at_gateway(Message* m) {
  auto& buf = buffers_[m->gateway];
  const double cap = gateway_specs_[m->gateway]->store_forward_bytes;
  if (buf.bytes + m->wire > cap) return lose(m, LossCause::buffer_overflow, -1);
  buf.bytes += m->wire;
  ++buf.messages;
  buf.sessions[(static_cast<std::uint64_t>(m->group) << 40) | m->device].push_back(m);
  const int f = active_fault(s4u::Engine::get_clock());
  if (f >= 0) {
    auto& r = metrics.faults[static_cast<std::size_t>(f)];
    r.peak_backlog_messages = std::max(r.peak_backlog_messages, buf.messages);
    r.peak_backlog_bytes = std::max(r.peak_backlog_bytes, buf.bytes);
  }
  // A session that is usable again (e.g. the failure healed before anyone noticed) drains at once.
  if (s4u::Engine::get_clock() >= session_up_at_[m->group][m->device] &&
      broker_reachable(session_broker_[m->group][m->device]) && gateway_path_up(m->gateway))
    release_session(m->group, m->device);
}

double Run::route_latency(std::size_t st, std::size_t b) const {
  double l = 0;
  for (const auto* c : {gw_to_lb_[st], lb_to_broker_[b]})
    for (int li : c->route()) l += links_[static_cast<std::size_t>(li)]->get_latency();
  return l;
}

void Run::note_acknowledged(std::size_t b, const Message& m) {
  auto& q = recent_acks_[b];
  const double now = m.t[4];
  while (!q.empty() && q.front().t[4] < now - ack_window_[b]) q.pop_front();
  q.push_back(m);
}

void Run::retransmit_unacknowledged(std::size_t b, double now) {
  // The PUBACK of a message the broker finished at t4 reaches the client at t4 + one-way latency of
  // the gateway -> broker route; if the broker dies before that, the TCP connection (and the PUBACK
  // with it) is gone and the client still holds the message as unacknowledged: it sends it again,
  // with DUP set, once its session is back (MQTT 3.1.1 §4.4). The consumer receives it twice.
  auto& q = recent_acks_[b];
  for (const Message& r : q) {
    if (!gw_to_lb_[r.gateway] || r.t[4] < now - route_latency(r.gateway, b)) continue;
    if (!gateway_stages_[r.gateway]->up()) continue;
    Message* d = pool.get();
    *d = r;
    d->duplicate = true;
    d->forwarded = true;
    d->past_broker = false;
    d->service = 0;
    ++in_flight;
    buffer_at_gateway(d);
  }
  q.clear();
}

std::uint32_t Run::measured_members(const Message& m) const {
  const auto [first, count] = batch_ranges_[m.batch - 1];
  std::uint32_t n = 0;
  for (std::uint64_t i = first; i < first + count; ++i) n += batch_members_[i].measured ? 1 : 0;
  return n;
}

void Run::aggregate(Message* m, std::size_t stage) {
  auto& buf = agg_[stage][m->traffic];
  buf.msgs.push_back(m);
  const ProcessingSpec& gw = *gateway_specs_[stage];
  if (buf.msgs.size() == 1)
    set_timer(s4u::Engine::get_clock() + gw.aggregate_max_wait, kFlushBatch, static_cast<std::uint32_t>(stage),
              (static_cast<std::uint64_t>(m->traffic) << 40) | (buf.gen & ((1ULL << 40) - 1)));
  if (buf.msgs.size() >= static_cast<std::size_t>(gw.aggregate_count)) flush_batch(stage, m->traffic);
}

void Run::flush_batch(std::size_t stage, std::size_t ti) {
  auto& buf = agg_[stage][ti];
  ++buf.gen;
  if (buf.msgs.empty()) return;
  const std::size_t n = buf.msgs.size();
  Message* c = pool.get();
  *c = *buf.msgs.front();
  c->local_action = false;
  c->batch = static_cast<std::uint32_t>(batch_ranges_.size() + 1);
  batch_ranges_.emplace_back(batch_members_.size(), static_cast<std::uint32_t>(n));
  double payload = 0;
  bool measured = false;
  for (Message* m : buf.msgs) {
    batch_members_.push_back(BatchMember{m->device, m->t[0], m->t[1], m->measured});
    payload += m->payload + gateway_specs_[stage]->aggregate_record_overhead;
    measured = measured || m->measured;
    pool.put(m);
  }
  buf.msgs.clear();
  c->measured = measured;
  c->payload = static_cast<std::uint32_t>(std::min(payload, 4.0e9));
  // One PUBLISH on the gateway's topic for the group: its name stands where a device id would be.
  c->wire = static_cast<std::uint32_t>(models::mqtt::publish_packet_size(
      traffic_[ti].topic_base_length + gateway_names_[stage].size(), c->payload, c->qos));
  in_flight -= n - 1;  // n messages in flight become one PUBLISH (at least one stays: no end-of-run check)
  // The gateway's own worker sends it (encrypting it when there is a VPN), whoever filled the batch.
  gateway_stages_[stage]->push(c);
}

void Run::send_to_subscriber(std::size_t b, std::uint32_t s, Message* m) {
  m->peer = static_cast<std::uint16_t>(b);
  if (!offline_q_.empty()) {
    const double now = s4u::Engine::get_clock();
    if (!service_stages_[s]->up() && (m->qos == 1 || (sc_.brokers.queue_qos0 && now >= sub_offline_at_[s]))) {
      // The subscriber is gone: its persistent session keeps what it will be sent on reconnect.
      if (!hold_for_subscriber(b, s, m)) lose(m, LossCause::session_queue_full, 1);
      return;
    }
  }
  broker_to_svc_[b][s]->send(m);
}

bool Run::hold_for_subscriber(std::size_t b, std::uint32_t s, Message* m) {
  auto& q = offline_q_[b][s];
  if (q.size() >= sc_.brokers.max_queued) return false;
  q.push_back(m);
  const int f = active_fault(s4u::Engine::get_clock());
  if (f >= 0 && !m->duplicate) {
    auto& r = metrics.faults[static_cast<std::size_t>(f)];
    r.queued_offline += m->batch ? measured_members(*m) : 1;
    r.peak_offline_queue = std::max<std::uint64_t>(r.peak_offline_queue, q.size());
  }
  return true;
}

void Run::rehome_subscriber(std::size_t s, double now) {
  // The subscriber noticed its broker is gone and reconnects to the next one that is up (the
  // session on the dead broker, and what it held, is gone with it).
  const std::size_t n = broker_stages_.size();
  for (std::size_t j = 1; j <= n; ++j) {
    const std::size_t b = (home_[s] + j) % n;
    if (broker_stages_[b]->up() && (!failover_ || broker_reachable(b))) {
      home_[s] = b;
      const int f = active_fault(now);
      if (f >= 0) ++metrics.faults[static_cast<std::size_t>(f)].subscribers_rehomed;
      return;
    }
  }
  set_timer(now + sc_.brokers.reconnect_backoff, kRehomeSubscriber, static_cast<std::uint32_t>(s), 0);
}

void Run::timer_actor() {
  std::unique_lock lock(*timer_mutex_);
  for (;;) {
    while (timers_.empty()) timer_cv_->wait(lock);
    const Timer t = timers_.top();
    if (t.time > s4u::Engine::get_clock()) {
      timer_cv_->wait_until(lock, t.time);
      continue;  // something earlier may have arrived
    }
    timers_.pop();
    const double now = s4u::Engine::get_clock();
    const double at = t.time;
    switch (t.kind) {
      case kFlushBatch: {
        const std::size_t ti = static_cast<std::size_t>(t.b >> 40);
        const std::uint64_t gen = t.b & ((1ULL << 40) - 1);
        auto& buf = agg_[t.a][ti];
        if ((buf.gen & ((1ULL << 40) - 1)) == gen && gateway_stages_[t.a]->up()) flush_batch(t.a, ti);
        break;
      }
      case kRehomeSubscriber:
        if (!broker_stages_[home_[t.a]]->up()) rehome_subscriber(t.a, now);
        break;
      // Platform timers use their nominal time (SimGrid's clock may wake a nanosecond off it).
      case kPodReady: {
        const std::size_t k = static_cast<std::size_t>(t.b >> 32);
        const Pod& pod = paas_[t.a].pods[k];
        if (pod.state == Pod::starting && pod.gen == static_cast<std::uint32_t>(t.b)) pod_ready(t.a, k, at);
        break;
      }
      case kPodRestart: {  // the back-off is over: the kubelet starts the container again
        const std::size_t k = static_cast<std::size_t>(t.b >> 32);
        const Pod& pod = paas_[t.a].pods[k];
        if (pod.state != Pod::starting || pod.gen != static_cast<std::uint32_t>(t.b)) break;
        pod_event(t.a, "restarted", k, at);
        set_timer(at + paas_[t.a].spec->startup, kPodReady, t.a, t.b);
        break;
      }
      case kHpaSync:
        // Syncs at k x sync_period exactly (b = k), without accumulating rounding.
        hpa_sync(t.a, at);
        set_timer(static_cast<double>(t.b + 2) * paas_[t.a].spec->autoscale.sync_period, kHpaSync, t.a, t.b + 1);
        break;
      case kNodeNotReady:
      case kNodeEvict: {
        const std::size_t n = static_cast<std::size_t>(t.b >> 32);
        if (cnodes_[n].up || cnodes_[n].epoch != static_cast<std::uint32_t>(t.b)) break;  // back meanwhile
        Paas& pa = paas_[t.a];
        if (t.kind == kNodeNotReady) {
          // The node controller marks it NotReady: its pods leave the Service's endpoints, and the
          // brokers send again the QoS 1 messages the dead pods never acknowledged.
          for (std::size_t k = 0; k < pa.pods.size(); ++k)
            if (pa.pods[k].node == static_cast<int>(n) && pa.pods[k].state == Pod::crashed) {
              pa.pods[k].listed = false;
              pod_event(t.a, "not_ready", k, at);
            }
          redeliver_held(t.a);
          set_timer(at + pa.spec->eviction_timeout, kNodeEvict, t.a, t.b);
        } else {
          // Taint-based eviction after tolerationSeconds: the pods are deleted; the ReplicaSet
          // creates replacements, scheduled where capacity allows.
          for (std::size_t k = 0; k < pa.pods.size(); ++k)
            if (pa.pods[k].node == static_cast<int>(n) && pa.pods[k].state == Pod::crashed) {
              pod_event(t.a, "evicted", k, at);
              ++metrics.platform_services[pa.pm].evictions;
              pod_release(t.a, k);
            }
          reconcile(t.a, at);
        }
        break;
      }
      case kSaasDone:
        deliver(reinterpret_cast<Message*>(t.b));
        break;
    }
  }
}

// ---- cloud platform: paas pods, HPA, self-healing -------------------------------------------------

void Run::pod_event(std::size_t pi, const char* what, std::size_t k, double now) {
  const Pod& pod = paas_[pi].pods[k];
  metrics.platform_services[paas_[pi].pm].pod_events.push_back(
      {now, what, static_cast<int>(k), pod.node >= 0 ? sc_.cloud_nodes[static_cast<std::size_t>(pod.node)].name : ""});
}

void Run::note_pods(std::size_t pi) {
  Paas& pa = paas_[pi];
  auto& pm = metrics.platform_services[pa.pm];
  int ready = 0, pending = 0;
  for (const auto& p : pa.pods) {
    if (p.state == Pod::ready && !p.terminating) ++ready;
    if (p.state == Pod::pending) ++pending;
  }
  const std::size_t iv = interval_of(s4u::Engine::get_clock());
  for (std::size_t i = pa.last_iv + 1; i < iv; ++i) {
    pm.ready_series[i] = pm.ready_series[i - 1];
    pm.desired_series[i] = pm.desired_series[i - 1];
    pm.pending_series[i] = pm.pending_series[i - 1];
  }
  pa.last_iv = std::max(pa.last_iv, iv);
  pm.ready_series[iv] = ready;
  pm.desired_series[iv] = pa.desired;
  pm.pending_series[iv] = pending;
  pm.replicas_min = std::min(pm.replicas_min, ready);
  pm.replicas_max = std::max(pm.replicas_max, ready);
  pm.replicas_final = ready;
  pm.pending_peak = std::max<std::uint64_t>(pm.pending_peak, static_cast<std::uint64_t>(pending));
}

bool Run::pod_schedule(std::size_t pi, std::size_t k, double now) {
  // kube-scheduler: filter the nodes that fit the requests (NodeResourcesFit) among the allowed
  // ones, score by the free share left after placing it (LeastAllocated), first declared on a tie.
  Paas& pa = paas_[pi];
  const ServiceSpec& sp = *pa.spec;
  int best = -1;
  double best_score = -1;
  for (const auto& name : sp.pod_nodes) {
    const int n = cloud_node_index(name);
    const auto& st = cnodes_[static_cast<std::size_t>(n)];
    const auto& spec = sc_.cloud_nodes[static_cast<std::size_t>(n)];
    if (!st.up || st.cpu_free + 1e-9 < sp.pod_cpu) continue;
    const bool mem = spec.memory > 0;
    if (mem && st.mem_free + 1e-9 < sp.pod_memory) continue;
    double score = (st.cpu_free - sp.pod_cpu) / spec.cores;
    if (mem) score = 0.5 * (score + (st.mem_free - sp.pod_memory) / spec.memory);
    if (score > best_score + 1e-12) {
      best_score = score;
      best = n;
    }
  }
  Pod& pod = pa.pods[k];
  if (best < 0) {
    if (pod.state != Pod::pending || pod.node != -2) pod_event(pi, "pending", k, now);
    pod.state = Pod::pending;
    pod.node = -2;  // reported once per pending spell
    return false;
  }
  auto& st = cnodes_[static_cast<std::size_t>(best)];
  st.cpu_free -= sp.pod_cpu;
  st.mem_free -= sp.pod_memory;
  pod.node = best;
  pod.state = Pod::starting;
  ++pod.gen;
  pod_event(pi, "scheduled", k, now);
  set_timer(now + sp.startup, kPodReady, static_cast<std::uint32_t>(pi), (static_cast<std::uint64_t>(k) << 32) | pod.gen);
  return true;
}

void Run::pod_ready(std::size_t pi, std::size_t k, double now) {
  Paas& pa = paas_[pi];
  Pod& pod = pa.pods[k];
  pod.state = Pod::ready;
  pod.listed = true;
  pod.ready_at = now;
  pod.used_flops = 0;
  const auto w = static_cast<std::size_t>(pa.workers_per_pod);
  pod.current.assign(w, nullptr);
  pod.exec.assign(w, nullptr);
  pod.cost.assign(w, 0.0);
  pod.credited.assign(w, 0.0);
  pod.workers.clear();
  s4u::Host* host = hosts_.at(sc_.cloud_nodes[static_cast<std::size_t>(pod.node)].name);
  // Creating an actor is a simcall: other actors may run meanwhile (and grow pods), so no
  // reference into pods is kept across it.
  for (std::size_t i = 0; i < w; ++i) {
    s4u::ActorPtr a = s4u::Actor::create(paas_[pi].spec->name + "#pod" + std::to_string(k) + "w" + std::to_string(i),
                                         host, [this, pi, k, i] { pod_worker(pi, k, i); });
    a->daemonize();
    paas_[pi].pods[k].workers.push_back(a);
  }
  pod_event(pi, "ready", k, now);
  note_pods(pi);
}

void Run::pod_worker(std::size_t pi, std::size_t k, std::size_t w) {
  for (;;) {
    paas_[pi].sem->acquire();
    Paas& pa = paas_[pi];
    if (pa.pods[k].terminating) {
      pa.sem->release();  // not for it: another pod takes it
      return;
    }
    if (pa.queue.empty()) continue;
    Message* m = pa.queue.front();
    pa.queue.pop_front();
    const double cost = pa.spec->cost_per_message + pa.spec->cost_per_byte * m->payload;
    const double start = s4u::Engine::get_clock();
    {
      Pod& pod = pa.pods[k];
      pod.current[w] = m;
      pod.cost[w] = cost;
      pod.credited[w] = 0;
    }
    if (cost > 0) {
      // The pod's CPU limit: each worker runs at most bound_fraction of a core (SimGrid exec bound).
      s4u::ExecPtr ex = s4u::this_actor::exec_init(cost);
      ex->set_bound(pa.bound_fraction * s4u::this_actor::get_host()->get_speed());
      paas_[pi].pods[k].exec[w] = ex;
      ex->start();
      ex->wait();
    }
    Paas& p2 = paas_[pi];
    Pod& pod = p2.pods[k];
    pod.exec[w] = nullptr;
    pod.current[w] = nullptr;
    pod.used_flops += cost - pod.credited[w];
    if (cost > 0) add_busy(*p2.nm, start, s4u::Engine::get_clock());
    ++p2.nm->processed;
    if ((++events & 1023) == 0 && checkpoint()) {
      stop_run();
      return;
    }
    deliver(m);
    if (paas_[pi].pods[k].terminating) return;  // graceful termination: it finished its message
  }
}

void Run::redeliver_held(std::size_t pi) {
  // The QoS 1 messages dead pods never acknowledged: their brokers send them again now.
  Paas& pa = paas_[pi];
  std::vector<Message*> held = std::move(pa.held);
  pa.held.clear();
  for (Message* m : held) {
    if (m->measured) ++metrics.platform_services[pa.pm].redelivered_qos1;
    m->held = true;  // its broker's worker sends it again (no new CPU work)
    broker_stages_[m->peer]->push(m);
  }
}

void Run::dead_endpoint(std::size_t pi, Message* m) {
  // A message for a pod whose node died: QoS 0 is lost; QoS 1 is not acknowledged, so its broker
  // keeps it and sends it again once the endpoint has left the Service (node NotReady).
  Paas& pa = paas_[pi];
  auto& pm = metrics.platform_services[pa.pm];
  if (m->qos == 1 && !m->downlink) {
    if (m->measured) ++pm.dead_endpoint_qos1;
    pa.held.push_back(m);
    return;
  }
  if (m->measured) ++pm.dead_endpoint_qos0;
  lose(m, LossCause::service_down, 1);
}

void Run::paas_push(std::size_t pi, Message* m) {
  Paas& pa = paas_[pi];
  // The Service (kube-proxy, iptables mode) sends each message to one of its endpoints at random;
  // a live endpoint's share joins the Deployment's work queue, taken by whichever pod is free.
  std::size_t n = 0;
  for (const auto& p : pa.pods) n += p.listed ? 1 : 0;
  if (n > 0) {
    std::size_t pick = static_cast<std::size_t>(pa.endpoint_rng.below(n));
    for (const auto& p : pa.pods) {
      if (!p.listed) continue;
      if (pick-- == 0) {
        if (p.state == Pod::crashed) return dead_endpoint(pi, m);
        break;
      }
    }
  }
  if (pa.spec->queue_capacity > 0 && pa.queue.size() >= pa.spec->queue_capacity) {
    ++pa.nm->dropped;
    return lose(m, LossCause::service_queue_full, 1);
  }
  pa.queue.push_back(m);
  note_queue(*pa.nm, pa.queue.size());
  pa.sem->release();
}

void Run::pod_release(std::size_t pi, std::size_t k) {
  Paas& pa = paas_[pi];
  Pod& pod = pa.pods[k];
  if (pod.node >= 0) {
    auto& st = cnodes_[static_cast<std::size_t>(pod.node)];
    st.cpu_free += pa.spec->pod_cpu;
    st.mem_free += pa.spec->pod_memory;
  }
  pod.state = Pod::gone;
  pod.listed = false;
}

void Run::pod_crash(std::size_t pi, std::size_t k, double now) {
  Paas& pa = paas_[pi];
  Pod& pod = pa.pods[k];
  const bool was_ready = pod.state == Pod::ready;
  pod.state = Pod::crashed;
  pod_event(pi, "crashed", k, now);
  if (!was_ready) return;
  // What its workers run is taken first; killing them is a simcall (other actors may run meanwhile).
  std::vector<Message*> running;
  for (std::size_t w = 0; w < pod.current.size(); ++w) {
    if (pod.current[w]) running.push_back(pod.current[w]);
    pod.current[w] = nullptr;
    pod.exec[w] = nullptr;
  }
  const std::vector<s4u::ActorPtr> workers = std::move(pod.workers);
  pod.workers.clear();
  for (const auto& a : workers) a->kill();
  for (Message* m : running) dead_endpoint(pi, m);
}

void Run::container_crash(std::size_t pi, int count, double now) {
  // A container exits (a fault on the paas service): the first `count` ready pods, in pod order.
  // The process is gone but its node is up: the kubelet reports it at once, so the pod leaves the
  // Service's endpoints now, and the brokers see its MQTT connection close and send its unacknowledged
  // QoS 1 messages again now. restartPolicy Always: the kubelet restarts the container in place after
  // the CrashLoopBackOff delay (10 s, doubled per restart of that pod, capped at 300 s), then it starts
  // up (`startup`) and is ready; Never: the pod fails and the ReplicaSet creates a replacement.
  Paas& pa = paas_[pi];
  std::vector<std::size_t> victims;
  for (std::size_t k = 0; k < pa.pods.size() && static_cast<int>(victims.size()) < count; ++k)
    if (pa.pods[k].state == Pod::ready && !pa.pods[k].terminating) victims.push_back(k);
  for (std::size_t k : victims) {
    pa.pods[k].listed = false;
    pod_crash(pi, k, now);
  }
  redeliver_held(pi);
  for (std::size_t k : victims) {
    Pod& p = pa.pods[k];
    if (pa.spec->restart_policy == "always") {
      const double backoff = std::min(300.0, 10.0 * std::pow(2.0, std::min(p.restarts, 5)));
      ++p.restarts;
      p.state = Pod::starting;
      ++p.gen;
      set_timer(now + backoff, kPodRestart, static_cast<std::uint32_t>(pi), (static_cast<std::uint64_t>(k) << 32) | p.gen);
    } else {
      pod_event(pi, "failed", k, now);
      pod_release(pi, k);
    }
  }
  if (pa.spec->restart_policy != "always") reconcile(pi, now);
  note_pods(pi);
  schedule_pending(now);
}

void Run::reconcile(std::size_t pi, double now) {
  // The ReplicaSet controller: as many live pods as desired. Scale-down deletes pending pods first,
  // then pods of failed nodes, then starting ones, then the most recently ready.
  Paas& pa = paas_[pi];
  auto live = [&] {
    int n = 0;
    for (const auto& p : pa.pods) n += (p.state != Pod::gone && !p.terminating) ? 1 : 0;
    return n;
  };
  int n = live();
  while (n < pa.desired) {
    pa.pods.emplace_back();
    pod_schedule(pi, pa.pods.size() - 1, now);
    ++n;
  }
  while (n > pa.desired) {
    std::size_t victim = pa.pods.size();
    int rank = -1;
    double ready_at = -1;
    for (std::size_t k = 0; k < pa.pods.size(); ++k) {
      const Pod& p = pa.pods[k];
      if (p.state == Pod::gone || p.terminating) continue;
      const int r = p.state == Pod::pending ? 3 : p.state == Pod::crashed ? 2 : p.state == Pod::starting ? 1 : 0;
      if (r > rank || (r == rank && p.ready_at >= ready_at)) {
        rank = r;
        ready_at = p.ready_at;
        victim = k;
      }
    }
    Pod& v = pa.pods[victim];
    pod_event(pi, "deleted", victim, now);
    if (v.state == Pod::ready) {
      v.terminating = true;  // stops taking work; its workers end after their current message
      v.listed = false;
      if (v.node >= 0) {
        auto& st = cnodes_[static_cast<std::size_t>(v.node)];
        st.cpu_free += pa.spec->pod_cpu;
        st.mem_free += pa.spec->pod_memory;
      }
      v.node = -1;
    } else {
      if (v.state == Pod::pending) v.node = -1;
      pod_release(pi, victim);
    }
    --n;
  }
  note_pods(pi);
  schedule_pending(now);
}

void Run::schedule_pending(double now) {
  // Pending pods are retried whenever capacity frees (a pod leaves, a node comes back).
  for (std::size_t pi = 0; pi < paas_.size(); ++pi) {
    bool changed = false;
    for (std::size_t k = 0; k < paas_[pi].pods.size(); ++k)
      if (paas_[pi].pods[k].state == Pod::pending && pod_schedule(pi, k, now)) changed = true;
    if (changed) note_pods(pi);
  }
}

void Run::hpa_sync(std::size_t pi, double now) {
  Paas& pa = paas_[pi];
  const ServiceSpec& sp = *pa.spec;
  const double period = sp.autoscale.sync_period;
  hpa::Observation o;
  o.current = pa.desired;
  o.request = sp.pod_cpu;
  o.target = sp.autoscale.target_cpu;
  o.tolerance = sp.autoscale.tolerance;
  // Pass 1: the done part of what each pod runs now (get_remaining is a simcall, during which other
  // actors may run: nothing below relies on state read before it).
  std::vector<std::tuple<std::size_t, std::size_t, s4u::ExecPtr, double>> running;
  for (std::size_t k = 0; k < pa.pods.size(); ++k)
    for (std::size_t w = 0; w < pa.pods[k].exec.size(); ++w)
      if (pa.pods[k].exec[w]) running.emplace_back(k, w, pa.pods[k].exec[w], 0.0);
  for (auto& [k, w, ex, remaining] : running) remaining = ex->get_remaining();
  for (const auto& [k, w, ex, remaining] : running) {
    Pod& p = pa.pods[k];
    if (p.exec[w] != ex) continue;  // finished meanwhile: accounted at its completion
    const double done = p.cost[w] - remaining;
    p.used_flops += done - p.credited[w];
    p.credited[w] = done;
  }
  // Pass 2: the observation.
  for (auto& p : pa.pods) {
    if (p.state == Pod::gone || p.terminating) continue;
    if (p.state == Pod::pending || p.state == Pod::crashed) {
      ++o.missing;  // no metric: unscheduled, or its node stopped reporting
      continue;
    }
    if (p.state == Pod::starting || p.ready_at > now - period + 1e-9) {
      ++o.unready;  // not ready for a whole period yet: no full CPU sample
      p.used_flops = 0;
      continue;
    }
    // CPU used over the last period: finished work plus the done part of what runs now.
    const double speed = sc_.cloud_nodes[static_cast<std::size_t>(p.node)].speed;
    o.ready_usage += p.used_flops / speed / period;
    ++o.ready;
    p.used_flops = 0;
  }
  const int rec = hpa::recommend(o);
  const int desired = pa.stab->decide(now, pa.desired, rec);
  if (desired != pa.desired) {
    metrics.platform_services[pa.pm].scale_events.push_back({now, pa.desired, desired});
    pa.desired = desired;
    reconcile(pi, now);
  }
}

void Run::cloud_node_failed(std::size_t n, double now) {
  auto& st = cnodes_[n];
  st.up = false;
  ++st.epoch;
  for (std::size_t pi = 0; pi < paas_.size(); ++pi) {
    bool any = false;
    for (std::size_t k = 0; k < paas_[pi].pods.size(); ++k) {
      const Pod& p = paas_[pi].pods[k];
      if (p.node == static_cast<int>(n) && (p.state == Pod::ready || p.state == Pod::starting)) {
        pod_crash(pi, k, now);
        any = true;
      }
    }
    if (any) {
      note_pods(pi);
      set_timer(now + paas_[pi].spec->node_monitor_grace, kNodeNotReady, static_cast<std::uint32_t>(pi),
                (static_cast<std::uint64_t>(n) << 32) | st.epoch);
    }
  }
}

void Run::cloud_node_restored(std::size_t n, double now) {
  auto& st = cnodes_[n];
  st.up = true;
  ++st.epoch;  // its NotReady / eviction timers are void
  for (std::size_t pi = 0; pi < paas_.size(); ++pi) {
    Paas& pa = paas_[pi];
    bool any = false;
    for (std::size_t k = 0; k < pa.pods.size(); ++k) {
      Pod& p = pa.pods[k];
      if (p.node != static_cast<int>(n) || p.state != Pod::crashed) continue;
      any = true;
      if (pa.spec->restart_policy == "always") {
        // The kubelet restarts the pod's containers on the node (not evicted yet).
        p.state = Pod::starting;
        p.listed = false;
        ++p.gen;
        pod_event(pi, "restarted", k, now);
        set_timer(now + pa.spec->startup, kPodReady, static_cast<std::uint32_t>(pi),
                  (static_cast<std::uint64_t>(k) << 32) | p.gen);
      } else {
        pod_event(pi, "failed", k, now);  // restartPolicy Never: the pod fails; the ReplicaSet replaces it
        pod_release(pi, k);
      }
    }
    if (any) {
      // What the dead pods never acknowledged goes out again now that they are no endpoints.
      redeliver_held(pi);
      reconcile(pi, now);
    }
  }
  schedule_pending(now);
}

void Run::filtered(Message* m) {
  auto& g = metrics.groups[m->group];
  if (m->measured && !m->duplicate) {
    ++g.filtered;
    g.expected -= traffic_[m->traffic].services.size();
  }
  finish_in_flight(1);
  pool.put(m);
}

void Run::release_session(std::size_t gi, std::uint64_t k) {
  for (std::size_t st = 0; st < buffers_.size(); ++st) {
    auto& buf = buffers_[st];
    auto it = buf.sessions.find((static_cast<std::uint64_t>(gi) << 40) | k);
    if (it == buf.sessions.end()) continue;
    std::deque<Message*> q = std::move(it->second);
    buf.sessions.erase(it);
    for (Message* m : q) {
      buf.bytes -= m->wire;
      --buf.messages;
      m->forwarded = true;
      gateway_stages_[st]->push(m);  // the gateway's own worker sends it (zero CPU: already processed)
    }
  }
}

void Run::forward_uplink(Message* m, std::size_t stage) {
  const double now = s4u::Engine::get_clock();
  if (failover_ && !m->connect) {
    if (now < session_up_at_[m->group][m->device]) return buffer_at_gateway(m);
    m->broker = session_broker_[m->group][m->device];
  }
  m->t[2] = now;
  if (!gw_to_lb_[stage]) return fault_loss(m, LossCause::link_down);
  gw_to_lb_[stage]->send(m);
}

void Run::schedule_reconnect(double t, std::size_t gi, std::uint64_t k, int attempt) {
  reconnects_.push(Reconnect{t, reconnect_seq_++, static_cast<std::uint32_t>(gi), k, attempt});
  reconnect_cv_->notify_all();
}

void Run::broker_failed(std::size_t b, double now, std::size_t fi) {
  auto& sessions = fault_sessions_[fi];
  for (std::size_t gi = 0; gi < session_broker_.size(); ++gi)
    for (std::uint64_t k = 0; k < session_broker_[gi].size(); ++k)
      if (session_broker_[gi][k] == b) sessions.emplace_back(static_cast<std::uint32_t>(gi), k);
  metrics.faults[fi].sessions_affected += sessions.size();
  schedule_reconnect(now + detect_delay(), 0, fi, -1);
  const double iv = sc_.load_balancer.health_check_interval;
  metrics.faults[fi].lb_removal_s = std::ceil(now / iv) * iv + (sc_.load_balancer.failure_threshold - 1) * iv - now;
}

void Run::gateway_path_failed(std::size_t stage, double now, std::size_t fi) {
  auto& sessions = fault_sessions_[fi];
  for (std::size_t gi = 0; gi < session_broker_.size(); ++gi) {
    const auto& stages = group_gateway_stage_[gi];
    for (std::uint64_t k = 0; k < session_broker_[gi].size(); ++k)
      if (stages[k % stages.size()] == stage) sessions.emplace_back(static_cast<std::uint32_t>(gi), k);
  }
  metrics.faults[fi].sessions_affected += sessions.size();
  schedule_reconnect(now + detect_delay(), 0, fi, -1);
}

void Run::attempt_reconnect(std::size_t gi, std::uint64_t k, int attempt, double now) {
  const std::size_t stage = gateway_for(gi, k, now);
  auto retry = [&] {
    double backoff = std::min(sc_.brokers.reconnect_backoff_max,
                              sc_.brokers.reconnect_backoff * std::pow(2.0, std::min(attempt, 30)));
    backoff *= failover_rng_.uniform(0.5, 1.5);
    schedule_reconnect(now + backoff, gi, k, attempt + 1);
  };
  if (!gateway_path_up(stage)) return retry();
  // The load balancer picks among the brokers in its pool (a dead one stays there until its health
  // checks fail, and connections to it fail meanwhile).
  std::vector<std::size_t> pool_b;
  for (std::size_t b = 0; b < broker_stages_.size(); ++b)
    if (in_lb_pool(b, now)) pool_b.push_back(b);
  if (pool_b.empty()) return retry();
  std::size_t b = pool_b[0];
  const std::string& policy = sc_.load_balancer.policy;
  if (policy == "client-id-hash") {
    b = pool_b[models::fnv1a64(metrics.groups[gi].name + "#" + std::to_string(k)) % pool_b.size()];
  } else if (policy == "least-connections") {
    for (std::size_t x : pool_b)
      if (lb_connections_[x] < lb_connections_[b]) b = x;
  } else {
    b = pool_b[lb_rr_++ % pool_b.size()];
  }
  if (!broker_reachable(b)) return retry();
  const std::size_t old = session_broker_[gi][k];
  if (lb_connections_[old] > 0) --lb_connections_[old];
  ++lb_connections_[b];
  session_broker_[gi][k] = static_cast<std::uint16_t>(b);
  Message* c = pool.get();
  if (!broker_to_broker_.empty() && old != b && broker_stages_[old]->up()) {
    c->takeover = 1;  // the old broker still has the session (only the path broke): take it over
    c->peer = static_cast<std::uint16_t>(old);
  }
  c->connect = true;
  c->group = static_cast<std::uint32_t>(gi);
  c->device = k;
  c->broker = static_cast<std::uint16_t>(b);
  c->wire = 60;  // CONNECT with client id, keep-alive, clean-session flag (MQTT 3.1.1 §3.1)
  c->gateway = static_cast<std::uint16_t>(stage);
  c->t[0] = now;
  gateway_stages_[stage]->push(c);  // TLS handshake at the gateway, then LB, then the broker's CONNECT cost
}

void Run::reconnector_actor() {
  // The lock lives in Run, not on this daemon's stack: the daemon is killed when the simulation
  // ends, usually inside wait(), and a lock on its stack would be unlocked by the unwinding — a
  // simcall from a dying actor, which SimGrid does not support (with thread contexts it hung the
  // engine for good) — and would give the kill a cleanup to run on a SimGrid stack, where ASan
  // (not told about SimGrid's stack switches) reports false errors. execute() releases it.
  reconnect_lock_ = std::unique_lock(*reconnect_mutex_);
  reconnect_loop(reconnect_lock_);
}

void Run::reconnect_loop(std::unique_lock<s4u::Mutex>& lock) {
  for (;;) {
    while (reconnects_.empty()) reconnect_cv_->wait(lock);
    const Reconnect r = reconnects_.top();
    if (r.time > s4u::Engine::get_clock()) {
      reconnect_cv_->wait_until(lock, r.time);
      continue;  // something earlier may have arrived
    }
    reconnects_.pop();
    const double now = s4u::Engine::get_clock();
    if (r.attempt < 0) {
      // Detection: every session the fault broke notices now and starts reconnecting.
      const std::size_t fi = static_cast<std::size_t>(r.device);
      auto& rep = metrics.faults[fi];
      rep.detection_s = std::max(0.0, now - sc_.faults[fi].at);
      for (auto [gi, k] : fault_sessions_[fi]) {
        const bool broken = !broker_reachable(session_broker_[gi][k]) || !gateway_path_up(gateway_for(gi, k, now));
        if (!broken) {
          release_session(gi, k);  // healed before anyone noticed: only retransmissions
          continue;
        }
        session_up_at_[gi][k] = std::numeric_limits<double>::infinity();
        schedule_reconnect(now + sc_.brokers.reconnect_backoff * failover_rng_.uniform(0.0, 1.0), gi, k, 0);
      }
      continue;
    }
    attempt_reconnect(r.group, r.device, r.attempt, now);
  }
}

void Run::apply_fault(std::size_t fi, bool start) {
  namespace radio = models::radio;
  const FaultSpec& f = sc_.faults[fi];
  const double now = s4u::Engine::get_clock();
  const bool down = start ? (f.action == "crash" || f.action == "partition") : false;
  const bool restore = (start && f.action == "restore") || (!start && f.action != "restore");
  auto broker_index = [&](const std::string& name) -> int {
    const auto names = sc_.brokers.names();
    for (std::size_t b = 0; b < names.size(); ++b)
      if (names[b] == name) return static_cast<int>(b);
    return -1;
  };
  auto set_link = [&](std::size_t li, bool up) {
    if (link_up_[li] == up) return;
    link_up_[li] = up;
    if (!up) {
      ++link_epoch_[li];
      for (std::size_t st = 0; st < gateway_stages_.size(); ++st)
        if (gw_to_lb_[st]) {
          const auto& r = gw_to_lb_[st]->route();
          if (std::find(r.begin(), r.end(), static_cast<int>(li)) != r.end()) gateway_path_failed(st, now, fi);
        }
      for (std::size_t b = 0; b < lb_to_broker_.size(); ++b) {
        const auto& r = lb_to_broker_[b]->route();
        if (std::find(r.begin(), r.end(), static_cast<int>(li)) != r.end()) {
          broker_down_at_[b] = now;
          broker_failed(b, now, fi);
        }
      }
    } else {
      for (std::size_t b = 0; b < lb_to_broker_.size(); ++b)
        if (broker_stages_[b]->up() && route_up(lb_to_broker_[b]->route())) broker_up_at_[b] = std::max(broker_up_at_[b], now);
    }
  };
  const std::string& t = f.target;
  std::size_t link_index = sc_.links.size();
  for (std::size_t li = 0; li < sc_.links.size(); ++li)
    if (sc_.links[li].name == t) link_index = li;
  if (f.action == "degrade") {
    s4u::Link* l = links_[link_index];
    if (start) {
      if (f.bandwidth > 0) l->set_bandwidth(f.bandwidth);
      if (f.latency >= 0) l->set_latency(f.latency);
    } else {
      l->set_bandwidth(link_bandwidth0_[link_index]);
      l->set_latency(link_latency0_[link_index]);
    }
    return;
  }
  if (f.action == "partition") {
    // The site loses every link between its own entities and the rest of the platform.
    const std::string prefix = t + "/";
    for (std::size_t li = 0; li < sc_.links.size(); ++li) {
      const bool a_in = sc_.links[li].a.rfind(prefix, 0) == 0, b_in = sc_.links[li].b.rfind(prefix, 0) == 0;
      if (a_in != b_in) set_link(li, !down);
    }
    return;
  }
  const bool up = restore || !down;
  if (link_index < sc_.links.size()) return set_link(link_index, up);
  if (int b = broker_index(t); b >= 0) {
    auto& st = *broker_stages_[static_cast<std::size_t>(b)];
    if (!up && st.up()) {
      st.crash();
      if (!offline_q_.empty())  // what it held for offline subscribers (in memory) is gone
        for (auto& q : offline_q_[static_cast<std::size_t>(b)]) {
          for (Message* m : q) lose(m, LossCause::broker_down, 1);
          q.clear();
        }
      for (std::size_t s = 0; s < home_.size(); ++s)
        if (home_[s] == static_cast<std::size_t>(b))
          set_timer(now + detect_delay(), kRehomeSubscriber, static_cast<std::uint32_t>(s), 0);
      retransmit_unacknowledged(static_cast<std::size_t>(b), now);
      broker_down_at_[static_cast<std::size_t>(b)] = now;
      broker_failed(static_cast<std::size_t>(b), now, fi);
    } else if (up && !st.up()) {
      st.restore();
      broker_up_at_[static_cast<std::size_t>(b)] = now;
    }
    return;
  }
  if (t == sc_.load_balancer.node.name) {
    if (!up && lb_stage_->up()) {
      lb_stage_->crash();
      for (std::size_t st = 0; st < gateway_stages_.size(); ++st) gateway_path_failed(st, now, fi);
    } else if (up) {
      lb_stage_->restore();
    }
    return;
  }
  for (std::size_t st = 0; st < gateway_stages_.size(); ++st)
    if (gateway_names_[st] == t) {
      auto& g = *gateway_stages_[st];
      if (!up && g.up()) {
        g.crash();
        gateway_down_at_[st] = now;
        // Its store-and-forward buffer is gone with it.
        auto& buf = buffers_[st];
        for (auto& [key, q] : buf.sessions)
          for (Message* m : q) lose(m, LossCause::gateway_down, -1);
        buf.sessions.clear();
        buf.bytes = 0;
        buf.messages = 0;
        if (!agg_.empty())  // and the uplinks waiting for their aggregated PUBLISH
          for (auto& ab : agg_[st]) {
            ++ab.gen;
            for (Message* m : ab.msgs) lose(m, LossCause::gateway_down, -1);
            ab.msgs.clear();
          }
      } else if (up) {
        g.restore();
      }
      return;
    }
  for (std::size_t pi = 0; pi < paas_.size(); ++pi)
    if (paas_[pi].spec->name == t) {  // a container crash in the service's pods
      int count = 1;
      if (f.params.is_object() && f.params.contains("pods")) count = f.params["pods"].get<int>();
      if (start) container_crash(pi, count, f.at);
      return;
    }
  if (!paas_.empty())
    if (const int n = cloud_node_index(t); n >= 0) {
      const double at = start ? f.at : f.at + f.duration;  // nominal time (the clock may be a nanosecond off)
      if (!up && cnodes_[static_cast<std::size_t>(n)].up) cloud_node_failed(static_cast<std::size_t>(n), at);
      else if (up && !cnodes_[static_cast<std::size_t>(n)].up) cloud_node_restored(static_cast<std::size_t>(n), at);
    }
  for (std::size_t s = 0; s < sc_.services.size(); ++s)
    if (sc_.services[s].node == t && sc_.services[s].model == "iaas") {
      if (!up) {
        if (!offline_q_.empty() && service_stages_[s]->up()) sub_offline_at_[s] = now + detect_delay();
        service_stages_[s]->crash();
      } else if (!service_stages_[s]->up()) {
        service_stages_[s]->restore();
        if (!offline_q_.empty()) {
          // The subscriber reconnects with its persistent session: the brokers send what they held.
          sub_offline_at_[s] = std::numeric_limits<double>::infinity();
          for (std::size_t b = 0; b < offline_q_.size(); ++b) {
            std::deque<Message*> q = std::move(offline_q_[b][s]);
            offline_q_[b][s].clear();
            for (Message* m : q) {  // the broker's own worker sends them (no new CPU work)
              m->held = true;
              broker_stages_[b]->push(m);
            }
          }
        }
      }
    }
}

void Run::faults_actor() {
  struct Step {
    double time;
    std::size_t fault;
    bool start;
  };
  std::vector<Step> steps;
  for (std::size_t i = 0; i < sc_.faults.size(); ++i) {
    const auto& f = sc_.faults[i];
    steps.push_back({f.at, i, true});
    if (f.duration > 0 && f.action != "restore") steps.push_back({f.at + f.duration, i, false});
    // Restart policy: a crashed broker comes back after restart_after.
    const auto names = sc_.brokers.names();
    if (f.action == "crash" && sc_.brokers.restart_after > 0 && std::find(names.begin(), names.end(), f.target) != names.end() &&
        (f.duration <= 0 || f.duration > sc_.brokers.restart_after))
      steps.push_back({f.at + sc_.brokers.restart_after, i, false});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.time < b.time; });
  for (const auto& st : steps) {
    if (st.time > s4u::Engine::get_clock()) s4u::this_actor::sleep_until(st.time);
    apply_fault(st.fault, st.start);
  }
}

void Run::account_energy() {
  namespace radio = models::radio;
  const double window = sc_.duration - sc_.warmup;
  for (std::size_t gi = 0; gi < access_.size(); ++gi) {
    AccessRuntime& acc = *access_[gi];
    const auto& a = acc.group().access;
    auto& e = metrics.groups[gi].energy;
    if (a.model != "lora" && a.model != "sigfox" && a.model != "cellular") continue;
    const double n = static_cast<double>(acc.group().count);
    radio::StateTimes st = acc.energy.active;
    if (a.model == "lora" && a.device_class == "C") {
      st.rx_s = std::max(0.0, n * window - st.tx_s - st.idle_s);  // class C listens whenever it does not send
    } else if (a.model == "lora" && a.device_class == "B") {
      // Beacons every 128 s (SF9/125, 10-symbol preamble, 17 bytes, implicit header, no CRC: LoRaWAN 1.0.4 §13)
      // and pingNb ping slots per beacon period, each a 6-symbol receive window at DR3 (SF9).
      radio::LoraParams beacon;
      beacon.sf = 9;
      beacon.preamble = 10;
      beacon.implicit_header = true;
      beacon.crc = false;
      const radio::ClassBParams cb;
      const double periods = window / cb.beacon_period_s;
      st.rx_s += n * periods *
                 (radio::time_on_air_s(beacon, 17) + radio::class_b_ping_nb(cb) * radio::lora_rx_window_s(9, 125e3));
    } else if (a.model == "cellular" && a.power_saving == "none") {
      st.idle_s = std::max(0.0, n * window - st.tx_s - st.rx_s);  // idle mode (DRX), never PSM
    } else if (a.model == "cellular" && a.power_saving == "edrx") {
      // eDRX: asleep between paging time windows; in each window the device monitors ptw / paging_cycle
      // paging occasions, each assumed to cost 10 ms of reception (assumption, see docs/models/radio.md).
      const auto ed = radio::default_edrx_config();
      const double occasions = ed.paging_cycle_s > 0 ? std::max(1.0, ed.ptw_s / ed.paging_cycle_s) : 1.0;
      st.rx_s += n * (window / ed.cycle_s) * occasions * 0.010;
    }
    st.sleep_s = std::max(0.0, n * window - st.tx_s - st.rx_s - st.idle_s);
    const auto currents = acc.currents();
    e.tx_s = st.tx_s;
    e.rx_s = st.rx_s;
    e.idle_s = st.idle_s;
    e.window_s = window;
    e.average_current_a = radio::average_current_a(st, currents);
    e.energy_per_day_j = e.average_current_a * currents.supply_v * 86400.0;
    radio::Battery b;
    b.capacity_mah = acc.group().battery.capacity_mah;
    b.voltage_v = acc.group().battery.voltage;
    b.self_discharge_per_year = acc.group().battery.self_discharge_per_year;
    e.battery_years = radio::battery_lifetime_s(b, e.average_current_a) / radio::kSecondsPerYear;
    e.currents = a.model == "cellular" ? "NB-IoT module (energy.hpp)" : "SX1276 (energy.hpp)";
  }
}

double drain_time(const Scenario& sc) { return std::max(60.0, 0.1 * sc.duration); }

namespace {
std::atomic<bool>* g_run_interrupt = nullptr;
extern "C" void on_run_sigint(int) {
  if (g_run_interrupt) g_run_interrupt->store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}
}  // namespace

RunMetrics run_simulation(const Scenario& sc, const RunOptions& opt) {
  static bool ran = false;
  if (ran) throw std::logic_error("run_simulation: one SimGrid engine per process");
  ran = true;
  std::vector<std::string> args = {"edgetwin", "--log=root.thresh:critical"};
  std::vector<std::string> cfg = {"network/model:" + sc.engine.network_model, "network/crosstraffic:0"};
  // Rollouts: SimGrid 3.32's lazy sharing update gave one of two gateways pulling two layers each at
  // the same instant the full backhaul rate per layer (tests/sim/test_rollout.cpp, parallel case);
  // the full update recomputes the max-min sharing at every event and matches the hand computation.
  if (!sc.rollouts.empty()) cfg.push_back("network/optim:Full");
  for (const auto& c : sc.engine.simgrid_config) cfg.push_back(c);
  // EDGETWIN_SIMGRID_CFG="key:value;key:value": settings of the environment rather than of the
  // scenario, e.g. contexts/factory:thread for the sanitizer build (scripts/test-sanitize.sh), whose
  // ASan cannot follow the stack switches of SimGrid's raw contexts. They change no result.
  if (const char* env = std::getenv("EDGETWIN_SIMGRID_CFG"); env && *env) {
    std::string all(env);
    for (std::size_t b = 0, e; b <= all.size(); b = e + 1) {
      e = std::min(all.find(';', b), all.size());
      if (e > b) cfg.push_back(all.substr(b, e - b));
    }
  }
  for (const auto& c : cfg) args.push_back("--cfg=" + c);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);
  s4u::Engine engine(&argc, argv.data());
  // SimGrid's engine installs its own SIGINT handler (it prints the actors' status and exits 1);
  // take Ctrl-C back so that it stops the run with partial results instead.
  if (opt.interrupt) {
    g_run_interrupt = opt.interrupt;
    std::signal(SIGINT, on_run_sigint);
  }
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
