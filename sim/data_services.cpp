// sim/data_services.cpp — see data_services.hpp.
#include "sim/data_services.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "models/cloud/data_services.hpp"

namespace edgetwin::sim {

namespace s4u = simgrid::s4u;
using nlohmann::json;

DataServices::DataServices(const Scenario& sc, RunMetrics& metrics, std::function<std::size_t(double)> interval_of,
                           std::size_t intervals)
    : sc_(sc), metrics_(metrics), interval_of_(std::move(interval_of)), intervals_(intervals) {}

void DataServices::build(s4u::NetZone* zone, const std::map<std::string, s4u::Host*>& hosts,
                         const std::vector<s4u::Link*>& links,
                         const std::function<std::vector<int>(const std::string&, const std::string&)>& route_of) {
  std::set<std::pair<s4u::Host*, s4u::Host*>> routed;
  auto route = [&](s4u::Host* a, s4u::Host* b, const std::vector<s4u::Link*>& links) {
    if (a == b || !routed.insert({a, b}).second) return;
    routed.insert({b, a});
    std::vector<s4u::LinkInRoute> r;
    for (auto* l : links) r.emplace_back(l);
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, r, true);
  };
  for (const auto& st : sc_.storage) {
    Cluster c;
    c.spec = &st;
    StorageMetrics m;
    m.name = st.name;
    m.replication = st.replication;
    m.osd_primary.assign(st.osds, 0);
    m.osd_disk_bytes.assign(st.osds, 0.0);
    m.disk_bytes_series.assign(intervals_, 0.0);
    metrics_.storage.push_back(std::move(m));
    // The cluster network: one NIC link per OSD (shared by everything it sends and receives) and a
    // switch carrying the latency; clients reach every OSD through one shared public link.
    s4u::Link* sw = zone->create_link("storage/" + st.name + "/switch", st.cluster_bandwidth);
    sw->set_latency(st.cluster_latency);
    sw->set_sharing_policy(s4u::Link::SharingPolicy::FATPIPE);
    sw->seal();
    s4u::Link* pub = zone->create_link("storage/" + st.name + "/public", st.public_bandwidth);
    pub->set_latency(st.public_latency);
    pub->seal();
    std::vector<s4u::Link*> nics;
    for (std::uint32_t k = 0; k < st.osds; ++k) {
      const std::string name = st.osd_name(k);
      s4u::Host* h = zone->create_host(name, 1e9);
      Osd o;
      o.host = h;
      o.disk = h->create_disk(name + "/disk", st.disk_bandwidth, st.disk_bandwidth);
      o.disk->seal();
      h->seal();
      c.osds.push_back(o);
      s4u::Link* nic = zone->create_link(name + "/nic", st.cluster_bandwidth);
      nic->set_latency(0);
      nic->seal();
      nics.push_back(nic);
    }
    for (std::uint32_t a = 0; a < st.osds; ++a)
      for (std::uint32_t b = a + 1; b < st.osds; ++b) route(c.osds[a].host, c.osds[b].host, {nics[a], sw, nics[b]});
    for (const auto& svc : sc_.services)
      if (svc.store == st.name)
        for (auto& o : c.osds) route(hosts.at(svc.node), o.host, {pub});
    clusters_.push_back(std::move(c));
  }
  for (const auto& svc : sc_.services) {
    int ci = -1;
    for (std::size_t i = 0; i < sc_.storage.size(); ++i)
      if (sc_.storage[i].name == svc.store) ci = static_cast<int>(i);
    service_cluster_.push_back(ci);
    service_host_.push_back(hosts.at(svc.node));
  }
  pending_.assign(sc_.services.size(), Pending{});
  service_payload_.assign(sc_.services.size(), 0.0);
  for (const auto& j : sc_.batch_jobs) {
    BatchJobMetrics m;
    m.name = j.name;
    m.every = j.every;
    metrics_.batch_jobs.push_back(std::move(m));
    std::vector<s4u::Host*> ex;
    for (const auto& e : j.executors) ex.push_back(hosts.at(e));
    if (ex.size() > 1) {
      // The executors' shared network for shuffles. A pair of executors already joined by an earlier
      // job's network keeps that one.
      s4u::Link* l = zone->create_link("batch/" + j.name + "/shuffle", j.shuffle_bandwidth);
      l->set_latency(j.shuffle_latency);
      l->seal();
      for (std::size_t a = 0; a < ex.size(); ++a)
        for (std::size_t b = a + 1; b < ex.size(); ++b) route(ex[a], ex[b], {l});
    }
    executors_.push_back(std::move(ex));
    // Input: a storage cluster (index >= 0) or a service (-1 - its index).
    int ci = 0;
    for (std::size_t i = 0; i < sc_.storage.size(); ++i)
      if (sc_.storage[i].name == j.input) ci = static_cast<int>(i);
    for (std::size_t i = 0; i < sc_.services.size(); ++i)
      if (sc_.services[i].name == j.input) ci = -1 - static_cast<int>(i);
    job_input_.push_back(ci);
    job_consumed_.push_back(0.0);
  }
  if (sc_.logging.enabled) {
    // Each gateway ships over its own routed links (backhaul, cluster, cloud links: the ones its
    // telemetry uses as far as they lead to the logging node), sharing them with that telemetry.
    log_node_ = hosts.at(sc_.logging.node);
    metrics_.logging.enabled = true;
    metrics_.logging.bytes_series.assign(intervals_, 0.0);
    const auto per_gateway = static_cast<std::uint64_t>(std::floor(sc_.duration / sc_.logging.flush + 1e-9));
    for (const auto& g : sc_.logging.gateways) {
      std::vector<int> r = route_of(g, sc_.logging.node);
      std::vector<s4u::LinkInRoute> lr;
      for (int li : r) lr.emplace_back(links[static_cast<std::size_t>(li)]);
      zone->add_route(hosts.at(g)->get_netpoint(), log_node_->get_netpoint(), nullptr, nullptr, lr, false);
      log_gateways_.push_back(hosts.at(g));
      log_routes_.push_back(std::move(r));
      log_batches_left_ += per_gateway;
    }
  }
}

bool DataServices::computes_on(const s4u::Host* h) const {
  if (h == log_node_) return true;
  for (const auto& ex : executors_)
    if (std::find(ex.begin(), ex.end(), h) != ex.end()) return true;
  return false;
}

void DataServices::start() {
  for (std::size_t g = 0; g < log_gateways_.size(); ++g) {
    const NodeMetrics* nm = nullptr;
    for (const auto& n : metrics_.nodes)
      if (n.name == sc_.logging.gateways[g] && n.kind == "gateway") nm = &n;
    log_gateway_metrics_.push_back(nm);
  }
  for (std::size_t g = 0; g < log_gateways_.size(); ++g)
    s4u::Actor::create("logs/" + sc_.logging.gateways[g], log_node_, [this, g] { ship_logs(g); })->daemonize();
  for (std::size_t j = 0; j < sc_.batch_jobs.size(); ++j)
    s4u::Actor::create("batch/" + sc_.batch_jobs[j].name, executors_[j].front(), [this, j] { job_timer(j); })
        ->daemonize();
}

void DataServices::consumed(std::size_t service, double payload) {
  service_payload_[service] += payload;
  const int ci = service_cluster_[service];
  if (ci < 0) return;
  Pending& p = pending_[service];
  ++p.messages;
  p.payload += payload;
  if (p.messages < sc_.services[service].store_batch) return;
  // Take the batch before write_object: creating its actor is a simcall, during which other actors
  // (other service workers) may consume messages for this service.
  const double batch_payload = p.payload;
  p = Pending{};
  const double now = s4u::Engine::get_clock();
  Cluster& c = clusters_[static_cast<std::size_t>(ci)];
  const std::string name = sc_.services[service].name + "/" + std::to_string(c.next_object++);
  write_object(static_cast<std::size_t>(ci), service_host_[service], name, batch_payload,
               now >= sc_.warmup && now < sc_.duration);
}

void DataServices::write_object(std::size_t ci, s4u::Host* client, const std::string& name, double payload,
                                bool measured) {
  Cluster& c = clusters_[ci];
  const StorageSpec& st = *c.spec;
  StorageMetrics& m = metrics_.storage[ci];
  const double bytes = payload + st.object_overhead;
  const auto size = static_cast<std::uint64_t>(std::llround(bytes));
  const std::vector<std::uint32_t> place = models::cloud::place_object(name, st.osds, st.replication);
  ++m.osd_primary[place[0]];
  if (measured) {
    ++m.objects;
    m.payload_bytes += payload;
    m.object_bytes += bytes;
  }
  ++writes_in_flight_;
  // One actor on the primary OSD drives the write (Ceph primary-copy replication); one actor per
  // replica receives its copy, writes it and acknowledges.
  s4u::Actor::create("store/" + name, c.osds[place[0]].host, [this, ci, client, place, size, payload, measured] {
    Cluster& c = clusters_[ci];
    StorageMetrics& m = metrics_.storage[ci];
    const double t0 = s4u::Engine::get_clock();
    s4u::Host* primary = c.osds[place[0]].host;
    s4u::Comm::sendto(client, primary, size);
    if (measured) m.public_bytes += static_cast<double>(size);
    auto note_disk = [this, ci, measured, size](std::uint32_t osd) {
      StorageMetrics& m = metrics_.storage[ci];
      m.osd_disk_bytes[osd] += static_cast<double>(size);
      m.disk_bytes_series[interval_of_(s4u::Engine::get_clock())] += static_cast<double>(size);
      if (measured) m.disk_bytes += static_cast<double>(size);
    };
    s4u::SemaphorePtr acks = s4u::Semaphore::create(0);
    for (std::size_t r = 1; r < place.size(); ++r) {
      const std::uint32_t osd = place[r];
      s4u::Actor::create("store/replica", c.osds[osd].host, [this, ci, primary, osd, size, measured, acks, note_disk] {
        Cluster& c = clusters_[ci];
        s4u::Comm::sendto(primary, c.osds[osd].host, size);
        if (measured) metrics_.storage[ci].cluster_bytes += static_cast<double>(size);
        c.osds[osd].disk->write(size);
        note_disk(osd);
        s4u::Comm::sendto(c.osds[osd].host, primary, 0);  // the replica's acknowledgement
        acks->release();
      })->daemonize();
    }
    c.osds[place[0]].disk->write(size);
    note_disk(place[0]);
    for (std::size_t r = 1; r < place.size(); ++r) acks->acquire();
    s4u::Comm::sendto(primary, client, 0);  // acknowledged to the client
    m.total_payload_acknowledged += payload;
    if (--writes_in_flight_ == 0) writes_done_->notify_all();
    if (measured) {
      ++m.acknowledged;
      m.write_latency.add(s4u::Engine::get_clock() - t0);
    }
  })->daemonize();
}

void DataServices::job_timer(std::size_t j) {
  const BatchJobSpec& job = sc_.batch_jobs[j];
  for (std::size_t k = 1;; ++k) {
    const double at = static_cast<double>(k) * job.every;
    if (at >= sc_.duration) return;
    s4u::this_actor::sleep_until(at);
    const int src = job_input_[j];
    const double total = src >= 0 ? metrics_.storage[static_cast<std::size_t>(src)].total_payload_acknowledged
                                  : service_payload_[static_cast<std::size_t>(-1 - src)];
    const double input = total - job_consumed_[j];
    job_consumed_[j] = total;
    auto& runs = metrics_.batch_jobs[j].runs;
    BatchRun r;
    r.at = at;
    r.input_bytes = input;
    runs.push_back(r);
    const std::size_t run = runs.size() - 1;
    // Each run in its own actor: a run longer than the period overlaps the next (and is "missed").
    s4u::Actor::create("batch/" + job.name + "#" + std::to_string(k), executors_[j].front(),
                       [this, j, run, input] { job_run(j, run, input); })
        ->daemonize();
  }
}

void DataServices::job_run(std::size_t j, std::size_t run, double input) {
  const BatchJobSpec& job = sc_.batch_jobs[j];
  const auto& ex = executors_[j];
  const double start = s4u::Engine::get_clock();
  double bytes = input;
  double flops_total = 0, shuffle_total = 0;
  for (std::size_t si = 0; si < job.stages.size(); ++si) {
    const BatchStageSpec& stage = job.stages[si];
    const double flops = stage.cost_per_byte * bytes;
    flops_total += flops;
    if (flops > 0) {
      // `parallelism` equal tasks; each executor runs one per core at a time (Spark task slots): one
      // actor per slot on its executor takes the next task while some are left (slots in executor
      // order, so with fewer tasks than slots the first executors get them); barrier at the end.
      // (Blocking executions in their own actors, not Exec::wait_any: SimGrid 3.32 aborts when it
      // kills, at the end of a run, an actor waiting in wait_any.)
      const double per_task = flops / job.parallelism;
      auto left = std::make_shared<std::uint32_t>(job.parallelism);
      s4u::SemaphorePtr done = s4u::Semaphore::create(0);
      int slots = 0;
      for (auto* h : ex)
        for (int c = 0; c < h->get_core_count(); ++c, ++slots)
          s4u::Actor::create("batch/" + job.name + "/task", h, [left, done, per_task] {
            while (*left > 0) {
              --*left;
              s4u::this_actor::execute(per_task);
            }
            done->release();
          })->daemonize();
      for (int k = 0; k < slots; ++k) done->acquire();
    }
    const double out = stage.shuffle * bytes;
    if (si + 1 < job.stages.size()) {
      // Shuffle: every executor's output is spread evenly over all executors; the (E-1)/E that
      // changes node crosses the network (one flow per ordered pair), the next stage waits for it.
      if (out > 0 && ex.size() > 1) {
        const double e = static_cast<double>(ex.size());
        const auto per_pair = static_cast<std::uint64_t>(std::llround(out / (e * e)));
        s4u::SemaphorePtr arrived = s4u::Semaphore::create(0);
        int flows = 0;
        for (auto* a : ex)
          for (auto* b : ex)
            if (a != b) {
              ++flows;
              s4u::Actor::create("batch/" + job.name + "/shuffle", b, [a, b, per_pair, arrived] {
                s4u::Comm::sendto(a, b, per_pair);
                arrived->release();
              })->daemonize();
            }
        for (int k = 0; k < flows; ++k) arrived->acquire();
        shuffle_total += static_cast<double>(per_pair) * e * (e - 1);
      }
      bytes = out;
    }
  }
  BatchRun& r = metrics_.batch_jobs[j].runs[run];
  r.flops = flops_total;
  r.shuffle_bytes = shuffle_total;
  r.duration = s4u::Engine::get_clock() - start;
  r.missed = r.duration > job.every;
}

void DataServices::drain(double deadline) {
  std::unique_lock lock(*mutex_);
  while ((writes_in_flight_ > 0 || log_batches_left_ > 0) && s4u::Engine::get_clock() < deadline)
    writes_done_->wait_until(lock, deadline);
}

void DataServices::ship_logs(std::size_t g) {
  // Filebeat-like: every `flush` the gateway sends what it logged since its last batch as one
  // transfer to the node, which parses and indexes it (CPU on the node); the next batch leaves once
  // this one is indexed (back-pressure), so a slow pipeline makes batches bigger and lag longer.
  const LoggingSpec& lg = sc_.logging;
  LoggingMetrics& m = metrics_.logging;
  const NodeMetrics* gw = log_gateway_metrics_[g];
  double last = 0;
  std::uint64_t processed_last = 0;
  for (std::uint64_t k = 1;; ++k) {
    const double due = static_cast<double>(k) * lg.flush;
    if (due > sc_.duration + 1e-9) return;
    if (s4u::Engine::get_clock() < due) s4u::this_actor::sleep_until(due);
    const double now = s4u::Engine::get_clock();
    const std::uint64_t processed = gw ? gw->processed : 0;
    const double raw = lg.ship_rate * (now - last) + lg.bytes_per_message * static_cast<double>(processed - processed_last);
    const auto bytes = static_cast<std::uint64_t>(std::llround(raw));
    const double batch_start = last;
    last = now;
    processed_last = processed;
    if (bytes > 0) {
      const std::size_t iv = interval_of_(now);
      for (int li : log_routes_[g]) {
        auto& l = metrics_.links[static_cast<std::size_t>(li)];
        l.bytes += static_cast<double>(bytes);
        ++l.messages;
        l.bytes_series[iv] += static_cast<double>(bytes);
      }
      s4u::Comm::sendto(log_gateways_[g], log_node_, bytes);
      const double flops = (lg.ingest_cost_per_byte + lg.index_cost_per_byte) * static_cast<double>(bytes);
      if (flops > 0) s4u::this_actor::execute(flops);  // this actor lives on the logging node
      const double done = s4u::Engine::get_clock();
      m.bytes_series[interval_of_(done)] += static_cast<double>(bytes);
      if (batch_start >= sc_.warmup - 1e-9 && now <= sc_.duration + 1e-9) {
        ++m.batches;
        m.bytes_shipped += static_cast<double>(bytes);
        m.cpu_seconds += flops / log_node_->get_speed();
        m.lag.add(done - batch_start);
      }
    }
    if (--log_batches_left_ == 0) writes_done_->notify_all();
  }
}

void DataServices::finish(double end) {
  for (std::size_t s = 0; s < pending_.size(); ++s)
    if (service_cluster_[s] >= 0)
      metrics_.storage[static_cast<std::size_t>(service_cluster_[s])].pending_messages += pending_[s].messages;
  for (std::size_t j = 0; j < metrics_.batch_jobs.size(); ++j)
    for (auto& r : metrics_.batch_jobs[j].runs)
      if (r.duration < 0) r.missed = end - r.at > sc_.batch_jobs[j].every;
}

void add_data_services_summary(const Scenario& sc, const RunMetrics& m, json& summary) {
  const double window = std::max(1e-9, sc.duration - sc.warmup);
  if (!m.storage.empty()) {
    json out = json::object();
    for (const auto& s : m.storage) {
      json osds = json::object();
      for (std::size_t k = 0; k < s.osd_primary.size(); ++k) {
        const StorageSpec* spec = nullptr;
        for (const auto& x : sc.storage)
          if (x.name == s.name) spec = &x;
        osds[spec->osd_name(static_cast<std::uint32_t>(k))] = {{"primary_objects", s.osd_primary[k]},
                                                                {"disk_bytes", s.osd_disk_bytes[k]}};
      }
      out[s.name] = {
          {"replication", s.replication},
          {"objects", s.objects},
          {"acknowledged", s.acknowledged},
          {"unfinished", s.objects - s.acknowledged},
          {"pending_messages", s.pending_messages},
          {"payload_bytes", s.payload_bytes},
          {"object_bytes", s.object_bytes},
          {"disk_bytes", s.disk_bytes},
          {"cluster_network_bytes", s.cluster_bytes},
          {"public_network_bytes", s.public_bytes},
          {"write_amplification", s.payload_bytes > 0 ? s.disk_bytes / s.payload_bytes : 0.0},
          {"growth_per_day_bytes", s.disk_bytes / window * 86400.0},
          {"write_latency",
           {{"p50", s.write_latency.quantile(0.5)},
            {"p99", s.write_latency.quantile(0.99)},
            {"mean", s.write_latency.mean()},
            {"max", s.write_latency.max()}}},
          {"osds", osds}};
    }
    summary["storage"] = out;
  }
  if (m.logging.enabled) {
    const auto& lg = sc.logging;
    const auto& l = m.logging;
    const double per_day = l.bytes_shipped / window * 86400.0;
    summary["logging"] = {
        {"node", lg.node},
        {"gateways", lg.gateways.size()},
        {"batches", l.batches},
        {"bytes_shipped", l.bytes_shipped},
        {"bytes_per_day", per_day},
        {"replicas", lg.replicas},
        {"index_overhead", lg.index_overhead},
        {"growth_per_day_bytes",
         models::cloud::growth_per_day(l.bytes_shipped / window, 1.0 + lg.replicas, lg.index_overhead)},
        {"cpu_seconds", l.cpu_seconds},
        {"lag", {{"p50", l.lag.quantile(0.5)}, {"p99", l.lag.quantile(0.99)}, {"mean", l.lag.mean()}, {"max", l.lag.max()}}}};
  }
  if (!m.batch_jobs.empty()) {
    json out = json::object();
    for (const auto& j : m.batch_jobs) {
      json runs = json::array();
      std::uint64_t missed = 0, finished = 0;
      double max_d = 0, input = 0;
      for (const auto& r : j.runs) {
        runs.push_back({{"at", r.at},
                        {"input_bytes", r.input_bytes},
                        {"flops", r.flops},
                        {"shuffle_bytes", r.shuffle_bytes},
                        {"duration", r.duration < 0 ? json(nullptr) : json(r.duration)},
                        {"missed", r.missed}});
        missed += r.missed ? 1 : 0;
        if (r.duration >= 0) {
          ++finished;
          max_d = std::max(max_d, r.duration);
        }
        input += r.input_bytes;
      }
      out[j.name] = {{"every", j.every},      {"runs", j.runs.size()}, {"finished", finished},
                     {"missed", missed},      {"max_duration", max_d}, {"input_bytes", input},
                     {"run_list", runs}};
    }
    summary["batch_jobs"] = out;
  }
}

}  // namespace edgetwin::sim
