// twin/twin_state.cpp — applying observations to entities, liveness, and the state document.
#include "twin/twin_state.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <cmath>
#include <cstdio>

namespace edgetwin::twin {

using nlohmann::json;

const char* liveness_name(Liveness l) {
  switch (l) {
    case Liveness::unknown: return "unknown";
    case Liveness::live: return "live";
    case Liveness::stale: return "stale";
    case Liveness::down: return "down";
  }
  return "unknown";
}

json Alert::to_json() const {
  json j = {{"kind", kind}, {"entity", entity}, {"at", at}, {"message", message}};
  if (!details.is_null()) j["details"] = details;
  return j;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string printable_excerpt(std::string_view payload, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < payload.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(payload[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  if (payload.size() > max) out += "...(" + std::to_string(payload.size()) + " bytes)";
  return out;
}

std::optional<double> DeviceState::observed_period() const {
  if (has_source && seq.any() && seq.max() > first_seq_base && last_source > first_source)
    return (last_source - first_source) / static_cast<double>(seq.max() - first_seq_base);
  if (accepted >= 2 && last_receive > first_receive) return (last_receive - first_receive) / static_cast<double>(accepted - 1);
  return std::nullopt;
}

namespace {
std::optional<double> liveness_period(const DeviceState& d) {
  if (d.accepted >= 3)
    if (auto p = d.observed_period()) return *p;
  return d.expected_period;
}
}  // namespace

Liveness DeviceState::liveness(double now, double k) const {
  if (down) return Liveness::down;
  if (accepted == 0) return Liveness::unknown;
  const auto p = liveness_period(*this);
  if (!p || *p <= 0) return Liveness::live;
  return now - last_receive > k * *p ? Liveness::stale : Liveness::live;
}

Liveness GatewayState::liveness(double now, double k) const {
  if (down) return Liveness::down;
  if (received == 0) return status.empty() ? Liveness::unknown : Liveness::live;
  if (min_period <= 0) return Liveness::live;
  return now - last_receive > k * min_period ? Liveness::stale : Liveness::live;
}

Twin::Twin(const sim::Scenario& scenario, Mapping mapping) : scenario_(&scenario), mapping_(std::move(mapping)) {
  for (const auto& r : mapping_.rules) {
    rule_stats_.push_back(RuleStats{r.name, 0, 0, 0, {}, {}});
    pointers_.push_back({json::json_pointer(r.payload.timestamp), json::json_pointer(r.payload.sequence),
                         json::json_pointer(r.payload.gateway_timestamp), json::json_pointer(r.payload.value)});
  }
  for (const auto& s : scenario.sites)
    for (const auto& g : s.device_groups) groups_[g.name].name = g.name;
}

void Twin::raise(std::string kind, std::string entity, double at, std::string message, json details) {
  alerts_.push_back(Alert{std::move(kind), std::move(entity), at, std::move(message), std::move(details)});
}

std::vector<const DeviceState*> Twin::take_changed_devices() {
  std::vector<const DeviceState*> out(changed_devices_.begin(), changed_devices_.end());
  for (DeviceState* d : changed_devices_) d->changed = false;
  changed_devices_.clear();
  return out;
}

std::vector<Alert> Twin::take_alerts() {
  std::vector<Alert> out;
  out.swap(alerts_);
  return out;
}

void Twin::malformed(std::size_t rule, const ObservationView& obs, const std::string& reason) {
  auto& rs = rule_stats_[rule];
  rs.malformed[reason]++;
  rs.last_malformed.push_back({reason, std::string(obs.topic), printable_excerpt(obs.payload), obs.receive_time});
  while (rs.last_malformed.size() > mapping_.keep_malformed) rs.last_malformed.pop_front();
}

void Twin::count_limit(const std::string& name, const std::string& scope, std::uint64_t limit, double at,
                       const std::string& what, std::string_view topic) {
  if (limits_.hit(name, scope, limit, what))
    raise("limit", name, at,
          "limit " + name + " = " + std::to_string(limit) + (scope.empty() ? "" : " (rule " + scope + ")") +
              " hit: " + what + "; further hits are only counted (state: limits)",
          {{"limit", limit}, {"topic", printable_excerpt(topic, 120)}});
}

bool Twin::entity_allowed(std::size_t idx, const MappingRule& r, const ObservationView& obs) {
  if (devices_.size() >= mapping_.max_devices) {
    malformed(idx, obs, "device_limit");
    count_limit("mapping.max_devices", "", mapping_.max_devices, obs.receive_time, "a new device was refused", obs.topic);
    return false;
  }
  auto& rs = rule_stats_[idx];
  if (rs.entities >= mapping_.entity_limit(r)) {
    malformed(idx, obs, "entity_limit");
    count_limit("mapping.max_entities_per_rule", r.name, mapping_.entity_limit(r), obs.receive_time, "a new device was refused", obs.topic);
    return false;
  }
  ++rs.entities;
  return true;
}

void Twin::apply_view(const ObservationView& obs) {
  if (received_ == 0) first_receive_ = obs.receive_time;
  ++received_;
  last_receive_ = std::max(last_receive_, obs.receive_time);
  if (obs.topic.size() > mapping_.max_topic_length) {
    count_limit("mapping.max_topic_length", "", mapping_.max_topic_length, obs.receive_time, "a topic of " + std::to_string(obs.topic.size()) + " bytes was dropped", obs.topic);
    return;
  }
  std::map<std::string, std::string> caps;
  const MappingRule* r = mapping_.match(obs.topic, caps);
  if (!r) {
    ++unmatched_;
    unmatched_samples_.push_back({"unmatched", std::string(obs.topic), printable_excerpt(obs.payload, 40), obs.receive_time});
    while (unmatched_samples_.size() > mapping_.keep_malformed) unmatched_samples_.pop_front();
    return;
  }
  const auto idx = static_cast<std::size_t>(r - mapping_.rules.data());
  rule_stats_[idx].matched++;
  if (obs.payload.size() > mapping_.max_payload) {
    malformed(idx, obs, "oversize");
    count_limit("mapping.max_payload", "", mapping_.max_payload, obs.receive_time, "a payload of " + std::to_string(obs.payload.size()) + " bytes is malformed (oversize)", obs.topic);
    return;
  }
  switch (r->kind) {
    case RuleKind::telemetry: apply_telemetry(idx, *r, caps, obs); break;
    case RuleKind::status: apply_status(idx, *r, caps, obs); break;
    case RuleKind::broker_stats: apply_broker(idx, *r, caps, obs); break;
  }
}

std::string Twin::resolve_group(const std::string& device, const std::string& gateway) const {
  std::vector<const sim::DeviceGroupSpec*> by_gateway;
  for (const auto& s : scenario_->sites)
    for (const auto& g : s.device_groups)
      if (!gateway.empty() && std::find(g.gateways.begin(), g.gateways.end(), gateway) != g.gateways.end())
        by_gateway.push_back(&g);
  if (by_gateway.size() == 1) return by_gateway.front()->name;
  // Device name prefix: "meters-12" (or "site/meters-12") belongs to group ".../meters".
  const std::string short_dev = device.substr(device.rfind('/') == std::string::npos ? 0 : device.rfind('/') + 1);
  const std::string dev_site = device.find('/') == std::string::npos ? "" : device.substr(0, device.find('/'));
  std::string found;
  for (const auto& s : scenario_->sites)
    for (const auto& g : s.device_groups) {
      if (!by_gateway.empty() && std::find(by_gateway.begin(), by_gateway.end(), &g) == by_gateway.end()) continue;
      if (!dev_site.empty() && g.site != dev_site) continue;
      const std::string short_group = g.name.substr(g.name.find('/') + 1);
      if (short_dev.size() > short_group.size() && short_dev.compare(0, short_group.size(), short_group) == 0 &&
          !std::isalnum(static_cast<unsigned char>(short_dev[short_group.size()]))) {
        if (!found.empty()) return "";  // ambiguous
        found = g.name;
      }
    }
  return found;
}

namespace {

enum class Extract { ok, missing, wrong_type };

Extract number_at(const json& doc, const json::json_pointer& p, double& out) {
  if (!doc.contains(p)) return Extract::missing;
  const auto& v = doc.at(p);
  if (!v.is_number()) return Extract::wrong_type;
  out = v.get<double>();
  if (!std::isfinite(out)) return Extract::wrong_type;
  return Extract::ok;
}

Extract sequence_at(const json& doc, const json::json_pointer& p, std::uint64_t& out) {
  if (!doc.contains(p)) return Extract::missing;
  const auto& v = doc.at(p);
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return Extract::ok;
  }
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
    out = static_cast<std::uint64_t>(v.get<std::int64_t>());
    return Extract::ok;
  }
  return Extract::wrong_type;
}

std::optional<std::uint64_t> device_index(const std::string& device) {
  const auto hash = device.rfind('#');
  if (hash == std::string::npos) return std::nullopt;
  std::uint64_t k = 0;
  const char* b = device.data() + hash + 1;
  const char* e = device.data() + device.size();
  auto [p, ec] = std::from_chars(b, e, k);
  if (ec != std::errc() || p != e || b == e) return std::nullopt;
  return k;
}

}  // namespace

void Twin::apply_telemetry(std::size_t idx, const MappingRule& r, const std::map<std::string, std::string>& caps,
                           const ObservationView& obs) {
  const std::string device = r.device.expand(caps);
  std::string gateway;
  if (!r.gateway.empty()) {
    gateway = r.gateway.expand(caps);
    bool known = false;
    for (const auto& s : scenario_->sites)
      for (const auto& g : s.gateways) known = known || g.name == gateway;
    if (!known) return malformed(idx, obs, "unknown_gateway");
  }
  std::string group;
  if (!r.group.empty()) {
    group = r.group.expand(caps);
    if (!scenario_->find_group(group)) return malformed(idx, obs, "unknown_group");
  }

  // Decode the payload before touching any state.
  if (!valid_utf8(obs.payload)) return malformed(idx, obs, "invalid_utf8");
  std::optional<double> ts, gw_ts;
  std::optional<std::uint64_t> seq;
  json value;
  if (r.payload.json) {
    json doc = json::parse(obs.payload, nullptr, false);
    if (doc.is_discarded()) return malformed(idx, obs, "invalid_json");
    if (!r.payload.timestamp.empty()) {
      double t = 0;
      const auto e = number_at(doc, pointers_[idx].timestamp, t);
      if (e == Extract::missing) return malformed(idx, obs, "missing_field:timestamp");
      if (e == Extract::wrong_type) return malformed(idx, obs, "wrong_type:timestamp");
      ts = t * r.payload.timestamp_scale;
    }
    if (!r.payload.sequence.empty()) {
      std::uint64_t s = 0;
      const auto e = sequence_at(doc, pointers_[idx].sequence, s);
      if (e == Extract::missing) return malformed(idx, obs, "missing_field:sequence");
      if (e == Extract::wrong_type) return malformed(idx, obs, "wrong_type:sequence");
      seq = s;
    }
    if (!r.payload.gateway_timestamp.empty()) {
      double t = 0;
      const auto e = number_at(doc, pointers_[idx].gateway_timestamp, t);
      if (e == Extract::wrong_type) return malformed(idx, obs, "wrong_type:gateway_timestamp");
      if (e == Extract::ok) gw_ts = t * r.payload.timestamp_scale;
    }
    if (!r.payload.value.empty()) {
      const auto& p = pointers_[idx].value;
      if (!doc.contains(p)) return malformed(idx, obs, "missing_field:value");
      value = doc.at(p);
    } else {
      value = std::move(doc);
    }
  } else {
    value = std::string(obs.payload);
  }

  auto it = devices_.find(device);
  if (it == devices_.end()) {
    if (!entity_allowed(idx, r, obs)) return;
    DeviceState d;
    d.name = device;
    if (group.empty() && r.group_auto) group = resolve_group(device, gateway);
    d.group = group;
    const auto* spec = group.empty() ? nullptr : scenario_->find_group(group);
    if (gateway.empty() && spec && !spec->gateways.empty())
      if (auto k = device_index(device)) gateway = spec->gateways[*k % spec->gateways.size()];
    d.gateway = gateway;
    d.expected_period = r.period;
    if (!d.expected_period && spec)
      for (const auto& t : scenario_->traffic)
        if (t.group == group) d.expected_period = t.period;
    it = devices_.emplace(device, std::move(d)).first;
    if (!it->second.group.empty()) groups_[it->second.group].devices_seen++;
    if (!it->second.gateway.empty()) {
      auto& gw = gateways_[it->second.gateway];
      gw.name = it->second.gateway;
      if (it->second.expected_period && (gw.min_period <= 0 || *it->second.expected_period < gw.min_period)) {
        gw.min_period = *it->second.expected_period;
        arm(gw);  // a smaller period moves the gateway's deadline earlier
      }
    }
  }
  DeviceState& d = it->second;
  GroupState* g = d.group.empty() ? nullptr : &groups_[d.group];
  d.received++;
  mark_changed(d);
  if (g) {
    g->received++;
    g->qos_max = std::max<std::uint64_t>(g->qos_max, static_cast<std::uint64_t>(obs.qos));
  }
  rule_stats_[idx].applied++;

  bool newest = true;
  if (seq) {
    auto verdict = d.seq.add(*seq);
    if (verdict == SequenceTracker::Verdict::too_old && ts && d.has_source && *ts > d.last_source) {
      // The sequence went far back while time went forward: the device restarted its counter.
      d.restarts++;
      d.seq = SequenceTracker{};
      verdict = d.seq.add(*seq);
      d.first_seq_base = *seq;
      d.first_source = *ts;
    }
    switch (verdict) {
      case SequenceTracker::Verdict::duplicate:
        d.duplicates++;
        if (g) g->duplicates++;
        return;
      case SequenceTracker::Verdict::too_old:
        d.too_old++;
        return;
      case SequenceTracker::Verdict::late:
        newest = false;
        break;
      case SequenceTracker::Verdict::newest:
        break;
    }
  } else if (ts && d.has_source && *ts < d.last_source) {
    newest = false;
  }

  d.accepted++;
  if (d.accepted == 1) {
    d.first_receive = obs.receive_time;
    if (seq) d.first_seq_base = *seq;
  }
  d.last_receive = std::max(d.last_receive, obs.receive_time);
  d.last_payload = obs.payload.size();
  d.payload.add(static_cast<double>(obs.payload.size()));
  d.rate.add(obs.receive_time, mapping_.rate_window);
  if (g) {
    g->accepted++;
    g->payload.add(static_cast<double>(obs.payload.size()));
    g->rate.add(obs.receive_time, mapping_.rate_window);
  }
  if (ts) {
    const double lat = obs.receive_time - *ts;
    if (lat < 0) {
      d.clock_skew++;
    } else {
      d.latency.add(lat);
      if (g) g->latency.add(lat);
    }
    if (gw_ts && g && *gw_ts >= *ts && obs.receive_time >= *gw_ts) {
      g->access.add(*gw_ts - *ts);
      g->upstream.add(obs.receive_time - *gw_ts);
    }
    if (!d.has_source) {
      d.has_source = true;
      d.first_source = d.last_source = *ts;
    } else if (seq && *seq < d.first_seq_base) {
      d.first_seq_base = *seq;
      d.first_source = *ts;
    } else if (!seq) {
      d.first_source = std::min(d.first_source, *ts);
    }
  }
  if (newest) {
    d.value = std::move(value);
    if (ts) d.last_source = *ts;
    if (seq) d.newest_seq = *seq;
  } else {
    d.late++;
    if (g) g->late++;
  }
  if (!d.gateway.empty()) {
    auto& gw = gateways_[d.gateway];
    gw.received++;
    gw.last_receive = std::max(gw.last_receive, obs.receive_time);
    if (gw.stale_flag) {
      gw.stale_flag = false;
      raise("recovered", gw.name, obs.receive_time, "gateway " + gw.name + " carries traffic again");
    }
  }
  if (d.stale_flag) {
    d.stale_flag = false;
    raise("recovered", d.name, obs.receive_time, "device " + d.name + " is sending again");
  }
  if (d.down) {
    d.down = false;
    raise("up", d.name, obs.receive_time, "device " + d.name + " is sending again");
  }
  arm(d);
  if (!d.gateway.empty()) arm(gateways_[d.gateway]);
}

void Twin::apply_status(std::size_t idx, const MappingRule& r, const std::map<std::string, std::string>& caps,
                        const ObservationView& obs) {
  if (!valid_utf8(obs.payload)) return malformed(idx, obs, "invalid_utf8");
  std::string value(obs.payload);
  if (r.payload.json) {
    const json doc = json::parse(obs.payload, nullptr, false);
    if (doc.is_discarded()) return malformed(idx, obs, "invalid_json");
    json v = doc;
    if (!r.payload.value.empty()) {
      const auto& p = pointers_[idx].value;
      if (!doc.contains(p)) return malformed(idx, obs, "missing_field:value");
      v = doc.at(p);
    }
    if (!v.is_string()) return malformed(idx, obs, "wrong_type:value");
    value = v.get<std::string>();
  }
  const bool is_down = std::find(r.down_values.begin(), r.down_values.end(), value) != r.down_values.end();
  const bool is_up = std::find(r.up_values.begin(), r.up_values.end(), value) != r.up_values.end();
  if (!is_down && !is_up) return malformed(idx, obs, "unknown_status");
  std::string gateway = r.gateway.empty() ? "" : r.gateway.expand(caps);
  if (!gateway.empty()) {
    bool known = false;
    for (const auto& s : scenario_->sites)
      for (const auto& g : s.gateways) known = known || g.name == gateway;
    if (!known) return malformed(idx, obs, "unknown_gateway");
  }
  rule_stats_[idx].applied++;
  if (!gateway.empty()) {
    auto& gw = gateways_[gateway];
    gw.name = gateway;
    gw.status = value;
    gw.status_time = obs.receive_time;
    if (is_down && !gw.down) {
      gw.down = true;
      gw.down_since = obs.receive_time;
      raise("down", gateway, obs.receive_time, "gateway " + gateway + " is down (status \"" + value + "\")",
            {{"topic", std::string(obs.topic)}, {"retained", obs.retained}});
    } else if (is_up && gw.down) {
      gw.down = false;
      raise("up", gateway, obs.receive_time, "gateway " + gateway + " is up (status \"" + value + "\")");
      arm(gw);
    }
  }
  if (!r.device.empty()) {
    const std::string device = r.device.expand(caps);
    auto it = devices_.find(device);
    if (it == devices_.end()) {
      if (!entity_allowed(idx, r, obs)) return;
      DeviceState d;
      d.name = device;
      d.gateway = gateway;
      d.group = r.group.empty() ? (r.group_auto ? resolve_group(device, gateway) : "") : r.group.expand(caps);
      if (!d.group.empty() && !scenario_->find_group(d.group)) d.group.clear();
      it = devices_.emplace(device, std::move(d)).first;
      if (!it->second.group.empty()) groups_[it->second.group].devices_seen++;
    }
    auto& d = it->second;
    mark_changed(d);
    if (is_down && !d.down) {
      d.down = true;
      d.down_since = obs.receive_time;
      d.down_reason = value;
      raise("down", device, obs.receive_time, "device " + device + " is down (status \"" + value + "\")");
    } else if (is_up && d.down) {
      d.down = false;
      raise("up", device, obs.receive_time, "device " + device + " is up (status \"" + value + "\")");
      arm(d);
    }
  }
}

void Twin::apply_broker(std::size_t idx, const MappingRule& r, const std::map<std::string, std::string>& caps,
                        const ObservationView& obs) {
  const std::string broker = r.broker.expand(caps);
  const auto names = scenario_->brokers.names();
  if (std::find(names.begin(), names.end(), broker) == names.end()) return malformed(idx, obs, "unknown_broker");
  if (!valid_utf8(obs.payload)) return malformed(idx, obs, "invalid_utf8");
  static const std::string prefix = "$SYS/broker/";
  const std::string key(obs.topic.rfind(prefix, 0) == 0 ? obs.topic.substr(prefix.size()) : obs.topic);
  auto& b = brokers_[broker];
  b.name = broker;
  double v = 0;
  const char* s = obs.payload.data();
  const char* e = s + obs.payload.size();
  auto [p, ec] = std::from_chars(s, e, v);
  if (ec == std::errc() && p == e && !obs.payload.empty())
    b.stats[key] = v;
  else
    b.stats[key] = std::string(obs.payload);
  b.last_update = obs.receive_time;
  b.updates++;
  rule_stats_[idx].applied++;
}

namespace {

/// Staleness deadline of an entity that can go stale, else nullopt.
std::optional<double> deadline_of(const DeviceState& d, double k) {
  if (d.down || d.stale_flag || d.accepted == 0) return std::nullopt;
  const auto p = liveness_period(d);
  if (!p || *p <= 0) return std::nullopt;
  return d.last_receive + k * *p;
}

std::optional<double> deadline_of(const GatewayState& g, double k) {
  if (g.down || g.stale_flag || g.received == 0 || g.min_period <= 0) return std::nullopt;
  return g.last_receive + k * g.min_period;
}

template <class E>
void push_deadline(std::vector<E>& heap, double at, decltype(E::entity) entity) {
  entity->armed = true;
  entity->deadline_key = at;
  heap.push_back({at, entity});
  std::push_heap(heap.begin(), heap.end(), std::greater<>());
}

/// Pops every entry due by `now` (with a rounding slack: the decision is always the exact liveness
/// predicate) and returns the entities that are stale now; entities not stale yet are pushed back
/// at their current deadline (never again within this tick).
template <class E, class Entity>
std::vector<Entity*> pop_due(std::vector<E>& heap, double now, double k) {
  const double slack = 1e-9 * std::max(1.0, std::abs(now));
  std::vector<Entity*> stale;
  std::vector<Entity*> later;
  while (!heap.empty() && heap.front().at <= now + slack) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const E e = heap.back();
    heap.pop_back();
    Entity* x = e.entity;
    if (!x->armed || e.at != x->deadline_key) continue;  // superseded by an earlier deadline
    x->armed = false;
    if (x->down || x->stale_flag) continue;               // re-armed by the update that clears it
    if (x->liveness(now, k) == Liveness::stale)
      stale.push_back(x);
    else
      later.push_back(x);
  }
  for (Entity* x : later)
    if (const auto d = deadline_of(*x, k)) push_deadline(heap, std::max(*d, std::nextafter(now + slack, HUGE_VAL)), x);
  std::sort(stale.begin(), stale.end(), [](const Entity* a, const Entity* b) { return a->name < b->name; });
  return stale;
}

}  // namespace

void Twin::arm(DeviceState& d) {
  const auto at = deadline_of(d, mapping_.stale_after);
  if (at && (!d.armed || *at < d.deadline_key)) push_deadline(device_deadlines_, *at, &d);
}

void Twin::arm(GatewayState& g) {
  const auto at = deadline_of(g, mapping_.stale_after);
  if (at && (!g.armed || *at < g.deadline_key)) push_deadline(gateway_deadlines_, *at, &g);
}

void Twin::tick(double now) {
  const double k = mapping_.stale_after;
  for (DeviceState* d : pop_due<Deadline<DeviceState>, DeviceState>(device_deadlines_, now, k)) {
    const std::string& name = d->name;
    d->stale_flag = true;
    mark_changed(*d);
    const double p = *liveness_period(*d);
    d->stale_since = d->last_receive + k * p;
    raise("stale", name, now, "device " + name + " silent for " + std::to_string(now - d->last_receive) + " s (> " +
                                  std::to_string(k) + " x period " + std::to_string(p) + " s)",
          {{"last_receive", d->last_receive}, {"period", p}, {"stale_since", d->stale_since}});
  }
  for (GatewayState* gw : pop_due<Deadline<GatewayState>, GatewayState>(gateway_deadlines_, now, k)) {
    gw->stale_flag = true;
    raise("stale", gw->name, now, "gateway " + gw->name + " carries no traffic", {{"last_receive", gw->last_receive}});
  }
  // Superseded entries are dropped when they surface; compact if they ever dominate the heap.
  if (device_deadlines_.size() > 2 * devices_.size() + 1024) {
    std::erase_if(device_deadlines_, [](const auto& e) { return !e.entity->armed || e.at != e.entity->deadline_key; });
    std::make_heap(device_deadlines_.begin(), device_deadlines_.end(), std::greater<>());
  }
}

void Twin::connection_lost(double at, const std::string& cause) {
  if (!connection_.empty() && connection_.back().restored_at == 0) return;
  connection_.push_back({at, 0, cause});
  raise("connection", "", at, "lost the broker connection: " + cause);
}

void Twin::connection_restored(double at) {
  if (connection_.empty() || connection_.back().restored_at != 0) return;
  connection_.back().restored_at = at;
  raise("connection", "", at,
        "broker connection restored after " + std::to_string(at - connection_.back().lost_at) + " s",
        {{"lost_at", connection_.back().lost_at}, {"restored_at", at}});
}

namespace {

json sketch_json(const models::QuantileSketch& s) {
  return {{"count", s.count()}, {"mean", s.mean()},          {"p50", s.quantile(0.5)}, {"p95", s.quantile(0.95)},
          {"p99", s.quantile(0.99)}, {"max", s.max()}, {"min", s.min()}};
}

json stats_json(const RunningStats& s) {
  if (!s.count) return {{"count", 0}};
  return {{"count", s.count}, {"mean", s.mean()}, {"min", s.min}, {"max", s.max}};
}

}  // namespace

json Twin::device_json(const DeviceState& d, double now) const {
  const double k = mapping_.stale_after;
  const auto l = d.liveness(now, k);
  const auto period = d.observed_period();
  json j = {{"group", d.group},
            {"gateway", d.gateway},
            {"received", d.received},
            {"accepted", d.accepted},
            {"duplicates", d.duplicates},
            {"late", d.late},
            {"too_old", d.too_old},
            {"missing", d.seq.missing()},
            {"restarts", d.restarts},
            {"liveness", liveness_name(l)},
            {"first_receive", d.first_receive},
            {"last_receive", d.last_receive},
            {"payload", stats_json(d.payload)},
            {"latency", stats_json(d.latency)},
            {"clock_skew", d.clock_skew},
            {"rate", d.rate.rate(now, mapping_.rate_window)},
            {"value", d.value}};
  if (d.has_source) j["last_source"] = d.last_source;
  if (d.seq.any()) j["sequence"] = {{"first", d.seq.first()}, {"max", d.seq.max()}, {"newest", d.newest_seq}};
  if (period) j["period"] = *period;
  if (d.expected_period) j["expected_period"] = *d.expected_period;
  if (d.down) j["down_since"] = d.down_since;
  if (l == Liveness::stale) j["stale_since"] = d.last_receive + k * *liveness_period(d);
  return j;
}

json Twin::state_json(double now, bool with_devices) const {
  const double k = mapping_.stale_after;
  json groups = json::object();
  std::map<std::string, std::array<std::uint64_t, 4>> liveness_counts;
  std::map<std::string, std::uint64_t> missing_by_group;
  std::map<std::string, RunningStats> period_by_group;
  std::array<std::uint64_t, 4> total_live{};
  std::uint64_t missing = 0, duplicates = 0, accepted = 0, late = 0;
  json devices = json::object();
  for (const auto& [name, d] : devices_) {
    const auto l = d.liveness(now, k);
    total_live[static_cast<std::size_t>(l)]++;
    missing += d.seq.missing();
    duplicates += d.duplicates;
    accepted += d.accepted;
    late += d.late;
    const auto period = d.observed_period();
    if (!d.group.empty()) {
      liveness_counts[d.group][static_cast<std::size_t>(l)]++;
      missing_by_group[d.group] += d.seq.missing();
      if (period) period_by_group[d.group].add(*period);
    }
    if (!with_devices) continue;
    devices[name] = device_json(d, now);
  }
  for (const auto& [name, g] : groups_) {
    const auto* spec = scenario_->find_group(name);
    const auto lc = liveness_counts[name];
    const std::uint64_t miss = missing_by_group[name];
    json j = {{"devices_declared", spec ? spec->count : 0},
              {"devices_seen", g.devices_seen},
              {"received", g.received},
              {"accepted", g.accepted},
              {"duplicates", g.duplicates},
              {"late", g.late},
              {"missing", miss},
              {"loss_ratio", g.accepted + miss ? static_cast<double>(miss) / static_cast<double>(g.accepted + miss) : 0.0},
              {"rate", g.rate.rate(now, mapping_.rate_window)},
              {"payload", stats_json(g.payload)},
              {"latency", sketch_json(g.latency)},
              {"qos_max", g.qos_max},
              {"live", lc[1]},
              {"stale", lc[2]},
              {"down", lc[3]}};
    if (period_by_group.count(name)) j["period"] = period_by_group[name].mean();
    if (g.access.count()) {
      j["tiers"] = {{"access", sketch_json(g.access)}, {"upstream", sketch_json(g.upstream)}};
    }
    groups[name] = std::move(j);
  }
  json gateways = json::object();
  for (const auto& [name, gw] : gateways_) {
    json j = {{"received", gw.received},
              {"liveness", liveness_name(gw.liveness(now, k))},
              {"last_receive", gw.last_receive},
              {"status", gw.status}};
    if (gw.down) j["down_since"] = gw.down_since;
    gateways[name] = std::move(j);
  }
  json brokers = json::object();
  for (const auto& [name, b] : brokers_) {
    json stats = json::object();
    for (const auto& [key, v] : b.stats) stats[key] = v;
    brokers[name] = {{"updates", b.updates}, {"last_update", b.last_update}, {"stats", stats}};
  }
  json rules = json::object();
  std::uint64_t malformed_total = 0;
  for (const auto& rs : rule_stats_) {
    json mal = json::object();
    std::uint64_t n = 0;
    for (const auto& [reason, c] : rs.malformed) {
      mal[reason] = c;
      n += c;
    }
    malformed_total += n;
    json last = json::array();
    for (const auto& m : rs.last_malformed)
      last.push_back({{"reason", m.reason}, {"topic", m.topic}, {"payload", m.excerpt}, {"receive_time", m.receive_time}});
    rules[rs.name] = {{"matched", rs.matched}, {"applied", rs.applied}, {"entities", rs.entities}, {"malformed_total", n}, {"malformed", mal},
                      {"last_malformed", last}};
  }
  json conn = json::array();
  for (const auto& c : connection_) {
    json j = {{"lost_at", c.lost_at}, {"cause", c.cause}};
    if (c.restored_at > 0) {
      j["restored_at"] = c.restored_at;
      j["seconds"] = c.restored_at - c.lost_at;
    }
    conn.push_back(std::move(j));
  }
  json unmatched_last = json::array();
  for (const auto& m : unmatched_samples_) unmatched_last.push_back({{"topic", m.topic}, {"receive_time", m.receive_time}});
  json s = {{"format", "edgetwin-twin-state"},
            {"version", 1},
            {"scenario", scenario_->name},
            {"as_of", now},
            {"received", received_},
            {"unmatched", unmatched_},
            {"unmatched_last", unmatched_last},
            {"first_receive", first_receive_},
            {"last_receive", last_receive_},
            {"totals",
             {{"devices_seen", devices_.size()},
              {"accepted", accepted},
              {"duplicates", duplicates},
              {"late", late},
              {"missing", missing},
              {"malformed", malformed_total},
              {"live", total_live[1]},
              {"stale", total_live[2]},
              {"down", total_live[3]},
              {"unknown", total_live[0]}}},
            {"groups", groups},
            {"gateways", gateways},
            {"brokers", brokers},
            {"rules", rules},
            {"limits", limits_.to_json()},
            {"connection", conn}};
  if (with_devices) s["devices"] = std::move(devices);
  return s;
}

}  // namespace edgetwin::twin
