// live-bridge/bridge.cpp — the live twin: Paho in, one state thread, outputs over MQTT and files.
#include "live-bridge/bridge.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <mqtt/async_client.h>

#include "live-bridge/recording.hpp"
#include "sim/results.hpp"
#include "twin/calibration.hpp"
#include "twin/twin_state.hpp"
#include "twin/whatif.hpp"

namespace edgetwin::bridge {

using nlohmann::json;

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string twin_topic_prefix(const std::string& name) { return "edgetwin/twin/" + name; }

std::string entity_state_topic(const std::string& prefix, std::string_view kind, std::string_view name) {
  std::string t = prefix;
  t.reserve(prefix.size() + kind.size() + name.size() + 16);
  t += "/state/";
  t += kind;
  t += '/';
  for (const char c : name) {
    if (c == '%') t += "%25";
    else if (c == '+') t += "%2B";
    else if (c == '#') t += "%23";
    else t += c;
  }
  return t;
}

namespace {

/// One item for the state thread. Messages keep Paho's message object (no copy of topic or
/// payload on the receiving thread; the twin reads them in place).
struct Event {
  enum class Kind { message, lost, restored, job } kind = Kind::message;
  mqtt::const_message_ptr msg;   // message
  double receive_time = 0;
  std::string text;              // lost: the cause
  std::unique_ptr<twin::JobResult> job;
};

/// A bounded multi-producer, single-consumer queue; producers wait when it is full. Wake-ups are
/// batched: a consumer that found work on its last pass is woken only once kWakeBatch events are
/// queued (or after at most 1 ms), one that found none is woken by the first event. Under load
/// that is one futex wake per batch instead of one per message.
class EventQueue {
 public:
  static constexpr std::size_t kWakeBatch = 256;
  explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}
  /// Blocks while full; returns false once closed.
  bool push(Event&& e) {
    std::unique_lock<std::mutex> l(mu_);
    if (q_.size() >= capacity_) {
      ++full_waits_;
      not_full_.wait(l, [this] { return closed_ || q_.size() < capacity_; });
    }
    if (closed_) return false;
    q_.push_back(std::move(e));
    if (waiting_ && (idle_ || q_.size() >= kWakeBatch)) not_empty_.notify_one();
    return true;
  }
  /// Moves up to `max` events into `out`: waits up to `idle_timeout` for the first event after an
  /// empty pass, and up to 1 ms for a batch to fill after a busy one.
  void pop_batch(std::vector<Event>& out, std::size_t max, std::chrono::milliseconds idle_timeout) {
    std::unique_lock<std::mutex> l(mu_);
    if (q_.size() < kWakeBatch && !closed_ && idle_timeout.count() > 0) {
      idle_ = !busy_;
      waiting_ = true;
      not_empty_.wait_for(l, idle_ ? idle_timeout : std::chrono::milliseconds(1),
                          [this] { return closed_ || q_.size() >= kWakeBatch || (idle_ && !q_.empty()); });
      waiting_ = false;
    }
    const bool was_full = q_.size() >= capacity_;
    const std::size_t before = out.size();
    while (!q_.empty() && out.size() < max) {
      out.push_back(std::move(q_.front()));
      q_.pop_front();
    }
    busy_ = out.size() > before;
    if (was_full) not_full_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }
  std::uint64_t full_waits() const {
    std::lock_guard<std::mutex> l(mu_);
    return full_waits_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Event> q_;
  std::size_t capacity_;
  bool closed_ = false;
  bool waiting_ = false;  // the consumer is in wait_for
  bool idle_ = true;      // ... after a pass that found nothing
  bool busy_ = false;     // its last pass found events
  std::uint64_t full_waits_ = 0;
};

/// Writes the state file atomically (temporary + rename), so readers never see half a document.
void write_state_file(const std::string& path, const json& doc) {
  sim::write_file_atomically(path, doc.dump(1) + "\n");
}

class LiveTwin {
 public:
  LiveTwin(const sim::Scenario& sc, const twin::Mapping& mapping, const TwinOptions& o, std::atomic<bool>& stop,
           std::ostream& log)
      : sc_(sc), o_(o), stop_(stop), log_(log), twin_(sc, mapping), queue_(o.queue_capacity) {
    name_ = o.name.empty() ? sc.name : o.name;
    prefix_ = o.topic_prefix.empty() ? twin_topic_prefix(name_) : o.topic_prefix;
    request_topic_ = prefix_ + "/whatif/request";
    state_prefix_ = prefix_ + "/state/";
    filters_ = mapping.filters();
    qos_ = mapping.qos;
  }

  int run();

 private:
  void on_message(mqtt::const_message_ptr msg);
  void subscribe_all();
  void handle(Event& e);
  void handle_request(const mqtt::message& m);
  void note_retained_state(const mqtt::message& m);
  void publish_entity_states(double now, const json& summary);
  void clear_leftovers();
  void republish_all();
  void handle_job(const twin::JobResult& r);
  bool publish(const std::string& topic, const std::string& payload, int qos, bool retained,
               const std::string& correlation = "", bool has_correlation = false);
  bool publish_if_changed(const std::string& topic, const std::string& payload);
  json topology(const json& summary) const;
  json bridge_stats() const;
  void publish_alerts();
  void periodic(double now);
  void finish(double now);

  const sim::Scenario& sc_;
  const TwinOptions& o_;
  std::atomic<bool>& stop_;
  std::ostream& log_;
  twin::Twin twin_;
  EventQueue queue_;
  std::string name_, prefix_, request_topic_, state_prefix_;
  // Per-entity retained state: hash of the last payload published on each topic, devices changed
  // but not yet published (rate limit), retained topics found under state/ at start (cleanup).
  std::unordered_map<std::string, std::size_t> published_;
  std::deque<const twin::DeviceState*> pending_devices_;
  std::unordered_set<const twin::DeviceState*> pending_set_;
  std::atomic<bool> cleanup_pending_{false};
  double cleanup_at_ = 0;
  std::vector<std::string> leftovers_;
  std::uint64_t entity_publishes_ = 0, cleared_ = 0;
  std::vector<std::string> filters_;
  int qos_ = 1;
  std::unique_ptr<mqtt::async_client> cli_;
  std::unique_ptr<RecordingWriter> rec_;
  std::unique_ptr<twin::JobRunner> jobs_;
  std::string work_dir_;
  bool own_work_dir_ = false;
  std::uint64_t next_job_ = 1;
  std::uint64_t publish_failures_ = 0;
  std::uint64_t requests_ = 0;
  json last_prediction_;
  double start_ = 0;
};

void LiveTwin::on_message(mqtt::const_message_ptr msg) {
  // Paho thread: enqueue only (the message object itself: no copies here).
  Event e;
  e.msg = std::move(msg);
  e.receive_time = wall_now();
  queue_.push(std::move(e));
}

void LiveTwin::subscribe_all() {
  // Called from Paho's connected callback: asynchronous calls only, never wait on a token here.
  try {
    for (const auto& f : filters_) cli_->subscribe(f, qos_, mqtt::subscribe_options(mqtt::subscribe_options::SUBSCRIBE_NO_LOCAL));
    cli_->subscribe(request_topic_, 1);
    // Retained state of entities from an earlier run: collected for a second, then cleared.
    if (cleanup_pending_)
      cli_->subscribe(state_prefix_ + "#", 0, mqtt::subscribe_options(mqtt::subscribe_options::SUBSCRIBE_NO_LOCAL));
  } catch (const mqtt::exception&) {
    // The connection dropped again; the next connected callback subscribes again.
  }
}

bool LiveTwin::publish(const std::string& topic, const std::string& payload, int qos, bool retained,
                       const std::string& correlation, bool has_correlation) {
  if (!o_.publish || !cli_) return false;
  try {
    auto b = mqtt::message_ptr_builder().topic(topic).payload(payload).qos(qos).retained(retained);
    if (has_correlation) b.properties(mqtt::properties{mqtt::property(mqtt::property::CORRELATION_DATA, correlation)});
    cli_->publish(b.finalize());
    return true;
  } catch (const mqtt::exception&) {
    ++publish_failures_;  // disconnected with a full buffer: state is republished periodically anyway
    return false;
  }
}

/// Publishes a retained QoS 1 state message unless the topic already holds this payload.
bool LiveTwin::publish_if_changed(const std::string& topic, const std::string& payload) {
  const std::size_t h = std::hash<std::string>{}(payload);
  const auto it = published_.find(topic);
  if (it != published_.end() && it->second == h) return true;
  if (!publish(topic, payload, 1, true)) return false;
  published_[topic] = h;
  ++entity_publishes_;
  return true;
}

void LiveTwin::note_retained_state(const mqtt::message& m) {
  // Our own state/# subscription at start: retained state left by an earlier run.
  if (cleanup_pending_ && m.is_retained() && !m.get_payload().empty()) leftovers_.push_back(m.get_topic());
}

void LiveTwin::clear_leftovers() {
  cleanup_pending_ = false;
  try {
    cli_->unsubscribe(state_prefix_ + "#");
  } catch (const mqtt::exception&) {
  }
  std::unordered_set<std::string> current;
  for (const auto& [name, d] : twin_.devices()) current.insert(entity_state_topic(prefix_, "device", name));
  for (const auto& s : sc_.sites) {
    for (const auto& g : s.gateways) current.insert(entity_state_topic(prefix_, "gateway", g.name));
    for (const auto& g : s.device_groups) current.insert(entity_state_topic(prefix_, "group", g.name));
  }
  for (const auto& [name, g] : twin_.gateways()) current.insert(entity_state_topic(prefix_, "gateway", name));
  for (const auto& b : sc_.brokers.names()) current.insert(entity_state_topic(prefix_, "broker", b));
  for (const auto& topic : leftovers_)
    if (!current.count(topic) && publish(topic, "", 1, true)) ++cleared_;  // empty retained = delete
  if (cleared_) log_ << "cleared " << cleared_ << " retained state topics of entities this twin does not have\n";
  leftovers_.clear();
}

/// After a reconnect the broker may have lost retained messages (restarted without persistence)
/// or publications in flight: forget what was published and send every entity's state again,
/// devices at the usual per-cycle limit.
void LiveTwin::republish_all() {
  published_.clear();
  for (const auto& [name, d] : twin_.devices())
    if (pending_set_.insert(&d).second) pending_devices_.push_back(&d);
}

json LiveTwin::topology(const json& summary) const {
  json sites = json::array();
  for (const auto& s : sc_.sites) {
    json gws = json::array(), groups = json::array();
    for (const auto& g : s.gateways)
      gws.push_back({{"name", g.name}, {"topic", entity_state_topic(prefix_, "gateway", g.name)}});
    for (const auto& g : s.device_groups) {
      const json* gs = summary["groups"].contains(g.name) ? &summary["groups"][g.name] : nullptr;
      groups.push_back({{"name", g.name},
                        {"gateways", g.gateways},
                        {"devices_declared", g.count},
                        {"devices_seen", gs ? gs->value("devices_seen", std::uint64_t{0}) : 0},
                        {"topic", entity_state_topic(prefix_, "group", g.name)}});
    }
    sites.push_back({{"name", s.name}, {"gateways", gws}, {"groups", groups}});
  }
  json brokers = json::array();
  for (const auto& b : sc_.brokers.names()) brokers.push_back({{"name", b}, {"topic", entity_state_topic(prefix_, "broker", b)}});
  return {{"format", "edgetwin-twin-topology"},
          {"version", 1},
          {"twin", name_},
          {"scenario", sc_.name},
          {"state_topics", state_prefix_ + "#"},
          {"device_topic", state_prefix_ + "device/{device}"},
          {"devices_seen", twin_.devices().size()},
          {"sites", sites},
          {"brokers", brokers}};
}

void LiveTwin::publish_entity_states(double now, const json& summary) {
  if (!o_.publish || o_.entity_state_max == 0) return;
  publish_if_changed(prefix_ + "/topology", topology(summary).dump());
  for (const char* kind : {"gateway", "group", "broker"}) {
    const json& section = summary[std::string(kind) + "s"];
    for (auto it = section.begin(); it != section.end(); ++it)
      publish_if_changed(entity_state_topic(prefix_, kind, it.key()), it.value().dump());
  }
  for (const twin::DeviceState* d : twin_.take_changed_devices())
    if (pending_set_.insert(d).second) pending_devices_.push_back(d);
  for (std::size_t n = 0; n < o_.entity_state_max && !pending_devices_.empty(); ++n) {
    const twin::DeviceState* d = pending_devices_.front();
    if (!publish_if_changed(entity_state_topic(prefix_, "device", d->name), twin_.device_json(*d, now).dump())) break;
    pending_devices_.pop_front();
    pending_set_.erase(d);
  }
}

json LiveTwin::bridge_stats() const {
  return {{"queue_full_waits", queue_.full_waits()}, {"publish_failures", publish_failures_},
          {"requests", requests_}, {"entity_publishes", entity_publishes_},
          {"entity_pending", pending_devices_.size()}, {"retained_cleared", cleared_}};
}

void LiveTwin::publish_alerts() {
  for (const auto& a : twin_.take_alerts()) {
    log_ << "alert: " << a.kind << " " << a.entity << ": " << a.message << "\n";
    publish(prefix_ + "/alerts", a.to_json().dump(), 1, false);
  }
}

void LiveTwin::handle(Event& e) {
  switch (e.kind) {
    case Event::Kind::message: {
      const mqtt::message& m = *e.msg;
      const std::string& topic = m.get_topic();
      if (topic == request_topic_) return handle_request(m);
      if (topic.size() > state_prefix_.size() && topic.compare(0, state_prefix_.size(), state_prefix_) == 0)
        return note_retained_state(m);
      const std::string& payload = m.get_payload();
      twin_.apply_view(twin::ObservationView{topic, payload, m.get_qos(), m.is_retained(), e.receive_time});
      if (rec_ && !rec_->append({Record::message, e.receive_time, m.get_qos(), m.is_retained(), topic, payload}))
        twin_.count_limit("recording.max_record", "", rec_->max_record(), e.receive_time,
                          "a message of " + std::to_string(payload.size()) + " bytes was not recorded", topic);
      break;
    }
    case Event::Kind::lost:
      twin_.connection_lost(e.receive_time, e.text);
      if (rec_) rec_->append({Record::connection_lost, e.receive_time, 0, false, "", e.text});
      break;
    case Event::Kind::restored:
      twin_.connection_restored(e.receive_time);
      if (rec_) rec_->append({Record::connection_restored, e.receive_time, 0, false, "", ""});
      republish_all();
      break;
    case Event::Kind::job: handle_job(*e.job); break;
  }
}

void LiveTwin::handle_request(const mqtt::message& m) {
  ++requests_;
  std::string response_topic, correlation;
  bool has_corr = false;
  const auto& props = m.get_properties();
  if (props.contains(mqtt::property::RESPONSE_TOPIC))
    response_topic = mqtt::get<std::string>(props, mqtt::property::RESPONSE_TOPIC);
  if (props.contains(mqtt::property::CORRELATION_DATA)) {
    correlation = mqtt::get<std::string>(props, mqtt::property::CORRELATION_DATA);
    has_corr = true;
  }
  json body = json::parse(m.get_payload(), nullptr, false);
  // MQTT 3.1.1 clients have no request/response properties: accept them in the payload.
  if (body.is_object()) {
    if (response_topic.empty() && body.contains("response_topic") && body["response_topic"].is_string())
      response_topic = body["response_topic"].get<std::string>();
    if (!has_corr && body.contains("correlation") && body["correlation"].is_string()) {
      correlation = body["correlation"].get<std::string>();
      has_corr = true;
    }
  }
  if (response_topic.empty()) response_topic = prefix_ + "/whatif/response";
  json reply = {{"topic", response_topic}, {"correlation", correlation}, {"has_correlation", has_corr}};
  auto answer = [&](const json& report) {
    json r = report;
    if (has_corr && !r.contains("correlation")) r["correlation"] = correlation;
    publish(response_topic, r.dump(), 1, false, correlation, has_corr);
  };
  if (body.is_discarded()) return answer({{"status", "error"}, {"error", "the request is not JSON"}});
  twin::WhatIfRequest req;
  try {
    req = twin::parse_whatif_request(body);
  } catch (const std::invalid_argument& ex) {
    return answer({{"status", "error"}, {"error", ex.what()}});
  }
  if (const auto why = twin::check_target(sc_, req.target); !why.empty())
    return answer({{"status", "error"}, {"error", why}, {"request", req.to_json()}});
  if (twin_.received() == 0)
    return answer({{"status", "error"}, {"error", "the twin has observed nothing yet: nothing to calibrate from"}});
  twin::Job job;
  job.kind = twin::Job::Kind::whatif;
  job.id = next_job_++;
  job.horizon = o_.horizon;
  job.request = req;
  job.reply = reply;
  try {
    job.scenario = twin::calibrated_scenario(twin_, wall_now(), {o_.horizon});
  } catch (const std::exception& ex) {
    return answer({{"status", "error"}, {"error", ex.what()}});
  }
  log_ << "what-if " << job.id << ": fail " << req.target << " for " << req.duration << " s\n";
  jobs_->submit(std::move(job));
}

void LiveTwin::handle_job(const twin::JobResult& r) {
  const double now = wall_now();
  if (r.kind == twin::Job::Kind::predict) {
    if (r.status != "ok") {
      log_ << "prediction " << r.id << " failed: " << r.report.value("error", std::string("?")) << "\n";
      publish(prefix_ + "/alerts",
              twin::Alert{"prediction", "", now, "prediction failed: " + r.report.value("error", std::string("?")), {}}
                  .to_json()
                  .dump(),
              1, false);
      return;
    }
    last_prediction_ = twin::compare_prediction(r.summary, twin_, now, {o_.tolerance});
    publish(prefix_ + "/prediction", last_prediction_.dump(), 1, true);
    for (const auto& d : last_prediction_["diverged"]) {
      const std::string what = d.get<std::string>();
      publish(prefix_ + "/alerts",
              twin::Alert{"divergence", what.substr(0, what.rfind('/')), now,
                          "prediction and observation diverge on " + what, {}}
                  .to_json()
                  .dump(),
              1, false);
    }
    log_ << "prediction " << r.id << ": " << last_prediction_["diverged"].size() << " diverged metrics\n";
    return;
  }
  json report = r.report;
  report["status"] = r.status;
  const bool has_corr = r.reply.value("has_correlation", false);
  const std::string corr = r.reply.value("correlation", std::string());
  if (has_corr) report["correlation"] = corr;
  log_ << "what-if " << r.id << ": " << r.status << "\n";
  publish(r.reply.value("topic", prefix_ + "/whatif/response"), report.dump(), 1, false, corr, has_corr);
}

void LiveTwin::periodic(double now) {
  twin_.tick(now);
  publish_alerts();
}

void LiveTwin::finish(double now) {
  twin_.tick(now);
  publish_alerts();
  json state = twin_.state_json(now, true);
  state["bridge"] = bridge_stats();
  if (!last_prediction_.is_null()) state["prediction"] = last_prediction_;
  if (!o_.state_path.empty()) write_state_file(o_.state_path, state);
  if (!o_.calibrate_path.empty())
    sim::write_file_atomically(o_.calibrate_path, twin::calibrated_scenario(twin_, now, {o_.horizon}).dump(2) + "\n");
  if (rec_) rec_->flush();
}

int LiveTwin::run() {
  start_ = wall_now();
  if (!o_.record_path.empty())
    rec_ = std::make_unique<RecordingWriter>(
        o_.record_path, json{{"format", "edgetwin-recording"},
                             {"scenario", sc_.name},
                             {"broker", o_.broker.url},
                             {"started", start_}},
        o_.max_record);
  work_dir_ = o_.work_dir;
  if (work_dir_.empty()) {
    std::string templ = (std::filesystem::temp_directory_path() / "edgetwin-twin-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("cannot create a work folder in /tmp");
    work_dir_ = templ;
    own_work_dir_ = true;
  }
  jobs_ = std::make_unique<twin::JobRunner>(twin::find_edgetwin(o_.edgetwin), work_dir_, o_.job_timeout,
                                            [this](twin::JobResult r) {
                                              Event e;
                                              e.kind = Event::Kind::job;
                                              e.job = std::make_unique<twin::JobResult>(std::move(r));
                                              queue_.push(std::move(e));
                                            });

  const std::string client_id = o_.broker.client_id.empty() ? "edgetwin-twin-" + name_ : o_.broker.client_id;
  cli_ = std::make_unique<mqtt::async_client>(paho_uri(o_.broker.url), client_id, mqtt::create_options(MQTTVERSION_5));
  cli_->set_message_callback([this](mqtt::const_message_ptr m) { on_message(std::move(m)); });
  cli_->set_connection_lost_handler([this](const std::string& cause) {
    Event e;
    e.kind = Event::Kind::lost;
    e.receive_time = wall_now();
    e.text = cause.empty() ? "connection lost" : cause;
    queue_.push(std::move(e));
  });
  cli_->set_disconnected_handler([this](const mqtt::properties&, mqtt::ReasonCode code) {
    Event e;
    e.kind = Event::Kind::lost;
    e.receive_time = wall_now();
    e.text = "disconnected by the broker (reason " + std::to_string(static_cast<int>(code)) + ")";
    queue_.push(std::move(e));
  });
  bool first_connect = true;
  cli_->set_connected_handler([this, &first_connect](const std::string&) {
    subscribe_all();
    publish(prefix_ + "/status", "online", 1, true);
    if (first_connect) {
      first_connect = false;
      return;
    }
    Event e;
    e.kind = Event::Kind::restored;
    e.receive_time = wall_now();
    queue_.push(std::move(e));
  });

  cleanup_pending_ = o_.publish && o_.entity_state_max > 0;
  auto opts = connect_options(o_.broker, true);
  opts.set_will(mqtt::message(prefix_ + "/status", std::string("offline"), 1, true));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o_.connect_timeout);
  while (true) {
    try {
      connect_client(*cli_, opts)->wait();
      break;
    } catch (const mqtt::exception& e) {
      if (connect_refused(e) || std::chrono::steady_clock::now() > deadline || stop_) {
        log_ << "edgetwin-bridge twin: " << describe_connect_error(e, o_.broker) << "\n";
        jobs_.reset();
        return 4;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  cleanup_at_ = wall_now() + 1.0;
  log_ << "twin " << name_ << ": connected to " << o_.broker.url << ", subscribed to " << filters_.size()
       << " filters (QoS " << qos_ << ")\n";

  std::vector<Event> batch;
  batch.reserve(1024);
  double next_tick = wall_now() + o_.tick;
  double next_state = wall_now();
  double next_predict = o_.predict_every > 0 ? wall_now() + o_.predict_every : 0;
  double next_flush = wall_now() + 1.0;
  while (!stop_) {
    batch.clear();
    queue_.pop_batch(batch, 1024, std::chrono::milliseconds(static_cast<int>(o_.tick * 1000)));
    for (auto& e : batch) handle(e);
    const double now = wall_now();
    if (now >= next_tick) {
      periodic(now);
      next_tick = now + o_.tick;
    }
    if (now >= next_state) {
      const json state = twin_.state_json(now, false);
      publish(prefix_ + "/state", state.dump(), 0, true);
      if (cleanup_pending_ && now >= cleanup_at_) clear_leftovers();
      publish_entity_states(now, state);
      if (!o_.state_path.empty()) {
        json full = twin_.state_json(now, true);
        full["bridge"] = bridge_stats();
        full["bridge"]["connected"] = cli_->is_connected();
        if (!last_prediction_.is_null()) full["prediction"] = last_prediction_;
        write_state_file(o_.state_path, full);
      }
      next_state = now + o_.state_every;
    }
    if (rec_ && now >= next_flush) {
      rec_->flush();
      next_flush = now + 1.0;
    }
    if (next_predict > 0 && now >= next_predict) {
      next_predict = now + o_.predict_every;
      if (twin_.received() > 0 && jobs_->pending(twin::Job::Kind::predict) == 0) {
        twin::Job job;
        job.kind = twin::Job::Kind::predict;
        job.id = next_job_++;
        job.horizon = o_.horizon;
        job.scenario = twin::calibrated_scenario(twin_, now, {o_.horizon});
        jobs_->submit(std::move(job));
      }
    }
    if (o_.exit_after > 0 && now - start_ >= o_.exit_after) break;
    if (o_.exit_after_messages > 0 && twin_.received() >= o_.exit_after_messages) break;
  }
  // Apply what is already queued, then stop the producers.
  batch.clear();
  queue_.pop_batch(batch, static_cast<std::size_t>(-1), std::chrono::milliseconds(0));
  for (auto& e : batch)
    if (e.kind != Event::Kind::message || e.msg->get_topic() != request_topic_) handle(e);
  finish(wall_now());
  try {
    publish(prefix_ + "/status", "offline", 1, true);
    cli_->disconnect(std::chrono::seconds(2))->wait_for(std::chrono::seconds(3));
  } catch (const mqtt::exception&) {
  }
  queue_.close();
  jobs_.reset();
  cli_.reset();
  if (own_work_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
  return 0;
}

}  // namespace

int run_twin(const sim::Scenario& scenario, const twin::Mapping& mapping, const TwinOptions& options,
             std::atomic<bool>& stop, std::ostream& log) {
  try {
    LiveTwin t(scenario, mapping, options, stop, log);
    return t.run();
  } catch (const std::exception& e) {
    log << "edgetwin-bridge twin: " << e.what() << "\n";
    return 3;
  }
}

ReplayResult replay_recording(const sim::Scenario& scenario, const twin::Mapping& mapping, const std::string& path,
                              double as_of, json* calibrated, double horizon, std::uint32_t max_record) {
  RecordingReader reader(path, max_record);
  twin::Twin t(scenario, mapping);
  Record r;
  double last = 0;
  while (reader.next(r)) {
    last = r.receive_time;
    switch (r.type) {
      case Record::message: t.apply({r.topic, r.payload, r.qos, r.retained, r.receive_time}); break;
      case Record::connection_lost: t.connection_lost(r.receive_time, r.payload); break;
      case Record::connection_restored: t.connection_restored(r.receive_time); break;
    }
  }
  const double now = as_of >= 0 ? as_of : last;
  t.tick(now);
  ReplayResult out;
  out.state = t.state_json(now, true);
  out.records = reader.records();
  out.end = reader.end() == RecordingReader::End::complete    ? "complete"
            : reader.end() == RecordingReader::End::truncated ? "truncated"
            : reader.end() == RecordingReader::End::oversize  ? "oversize"
                                                              : "corrupt";
  out.end_offset = reader.end_offset();
  out.oversize_length = reader.oversize_length();
  if (calibrated) *calibrated = twin::calibrated_scenario(t, now, {horizon});
  return out;
}

}  // namespace edgetwin::bridge
