// twin/mapping.cpp — topic patterns, name templates, presets and validation of the `mapping` section.
#include "twin/mapping.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "sim/spec.hpp"

namespace edgetwin::twin {

using nlohmann::json;
using sim::FieldSpec;
using sim::FieldType;
using sim::ObjectReader;
using sim::ObjectSpec;
using sim::ScenarioError;

namespace {

std::vector<std::string_view> split_levels(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto p = s.find('/', start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

bool valid_capture_name(std::string_view n) {
  if (n.empty()) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

TopicPattern TopicPattern::parse(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("empty topic pattern");
  TopicPattern p;
  p.text_ = std::string(text);
  const auto levels = split_levels(text);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto l = levels[i];
    if (l == "#") {
      if (i + 1 != levels.size()) throw std::invalid_argument("'#' must be the last level of \"" + p.text_ + "\"");
      p.levels_.push_back({Kind::hash, ""});
    } else if (l == "+") {
      p.levels_.push_back({Kind::plus, ""});
    } else if (!l.empty() && l.front() == '{') {
      if (l.back() != '}' || !valid_capture_name(l.substr(1, l.size() - 2)))
        throw std::invalid_argument("a capture must be a whole level like {device} (letters, digits, _), got \"" +
                                    std::string(l) + "\" in \"" + p.text_ + "\"");
      const std::string name(l.substr(1, l.size() - 2));
      if (std::find(p.captures_.begin(), p.captures_.end(), name) != p.captures_.end())
        throw std::invalid_argument("capture {" + name + "} appears twice in \"" + p.text_ + "\"");
      p.captures_.push_back(name);
      p.levels_.push_back({Kind::capture, name});
    } else {
      if (l.find_first_of("+#{}") != std::string_view::npos)
        throw std::invalid_argument("level \"" + std::string(l) + "\" mixes text with +, #, { or } in \"" + p.text_ +
                                    "\"");
      p.levels_.push_back({Kind::literal, std::string(l)});
    }
  }
  return p;
}

std::optional<std::map<std::string, std::string>> TopicPattern::match(std::string_view topic) const {
  std::map<std::string, std::string> caps;
  std::size_t pos = 0;
  const bool dollar = !topic.empty() && topic.front() == '$';
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    const auto& lv = levels_[i];
    if (lv.kind == Kind::hash) {
      if (i == 0 && dollar) return std::nullopt;
      return caps;
    }
    if (pos > topic.size()) return std::nullopt;
    const auto end = topic.find('/', pos);
    const std::string_view level = topic.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    switch (lv.kind) {
      case Kind::literal:
        if (level != lv.text) return std::nullopt;
        break;
      case Kind::plus:
        if (i == 0 && dollar) return std::nullopt;
        break;
      case Kind::capture:
        if (level.empty() || (i == 0 && dollar)) return std::nullopt;
        caps[lv.text] = std::string(level);
        break;
      case Kind::hash:
        break;
    }
    if (end == std::string_view::npos) {
      pos = topic.size() + 1;
      if (i + 1 == levels_.size()) return caps;
      // "a/b" matches "a/b/#" (the parent level), as MQTT says.
      if (i + 2 == levels_.size() && levels_[i + 1].kind == Kind::hash) return caps;
      return std::nullopt;
    }
    pos = end + 1;
  }
  return std::nullopt;  // topic has more levels than the pattern
}

std::string TopicPattern::filter() const {
  std::string f;
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    if (i) f += '/';
    switch (levels_[i].kind) {
      case Kind::literal: f += levels_[i].text; break;
      case Kind::capture:
      case Kind::plus: f += '+'; break;
      case Kind::hash: f += '#'; break;
    }
  }
  return f;
}

NameTemplate NameTemplate::parse(std::string_view text) {
  NameTemplate t;
  t.text_ = std::string(text);
  std::size_t i = 0;
  std::string lit;
  while (i < text.size()) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close == std::string_view::npos)
        throw std::invalid_argument("unclosed { in template \"" + t.text_ + "\"");
      const auto name = text.substr(i + 1, close - i - 1);
      if (!valid_capture_name(name))
        throw std::invalid_argument("bad capture name {" + std::string(name) + "} in template \"" + t.text_ + "\"");
      if (!lit.empty()) t.parts_.emplace_back(false, std::move(lit));
      lit.clear();
      t.parts_.emplace_back(true, std::string(name));
      if (std::find(t.uses_.begin(), t.uses_.end(), name) == t.uses_.end()) t.uses_.emplace_back(name);
      i = close + 1;
    } else if (text[i] == '}') {
      throw std::invalid_argument("unmatched } in template \"" + t.text_ + "\"");
    } else {
      lit += text[i++];
    }
  }
  if (!lit.empty()) t.parts_.emplace_back(false, std::move(lit));
  return t;
}

std::string NameTemplate::expand(const std::map<std::string, std::string>& captures) const {
  std::string out;
  for (const auto& [is_cap, s] : parts_) {
    if (!is_cap) {
      out += s;
      continue;
    }
    const auto it = captures.find(s);
    if (it == captures.end()) throw std::invalid_argument("no capture {" + s + "}");
    out += it->second;
  }
  return out;
}

std::vector<std::string> Mapping::filters() const {
  std::vector<std::string> out;
  for (const auto& r : rules) {
    const auto f = r.topic.filter();
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  return out;
}

const MappingRule* Mapping::match(std::string_view topic, std::map<std::string, std::string>& captures) const {
  for (const auto& r : rules) {
    if (auto c = r.topic.match(topic)) {
      captures = std::move(*c);
      return &r;
    }
  }
  return nullptr;
}

bool topic_matches_filter(std::string_view filter, std::string_view topic) {
  try {
    return TopicPattern::parse(filter).match(topic).has_value();
  } catch (const std::invalid_argument&) {
    return false;
  }
}

std::string gateway_status_topic(const std::string& site, const std::string& gateway) {
  return "site/" + site + "/gw/" + gateway + "/status";
}

namespace {

PayloadFormat emulator_payload() {
  PayloadFormat p;
  p.timestamp = "/ts";
  p.gateway_timestamp = "/gw_ts";
  p.sequence = "/seq";
  p.value = "/v";
  return p;
}

MappingRule gateway_status_rule(std::string pointer) {
  MappingRule r;
  r.name = "gateway-status";
  r.pointer = std::move(pointer);
  r.kind = RuleKind::status;
  r.topic = TopicPattern::parse("site/{site}/gw/{gateway}/status");
  r.gateway = NameTemplate::parse("{site}/{gateway}");
  r.payload.json = false;
  r.down_values = {"offline", "lost", "down"};
  r.up_values = {"online", "up", "ready"};
  return r;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

MappingRule sys_rule(const std::string& broker) {
  MappingRule r;
  r.name = "sys-" + broker;
  r.pointer = "preset:sys";
  r.kind = RuleKind::broker_stats;
  r.topic = TopicPattern::parse("$SYS/broker/#");
  r.broker = NameTemplate::parse(broker);
  r.payload.json = false;
  return r;
}

std::vector<MappingRule> scenario_preset(const sim::Scenario& sc) {
  std::vector<MappingRule> out;
  for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
    const auto& t = sc.traffic[i];
    const auto* g = sc.find_group(t.group);
    if (!g) continue;
    const std::string short_group = t.group.substr(t.group.find('/') + 1);
    std::string topic = replace_all(replace_all(t.topic, "{site}", g->site), "{group}", short_group);
    MappingRule r;
    r.name = "traffic-" + t.group;
    r.pointer = "preset:scenario (/workload/traffic/" + std::to_string(i) + ")";
    r.kind = RuleKind::telemetry;
    try {
      r.topic = TopicPattern::parse(topic);
    } catch (const std::invalid_argument& e) {
      throw ScenarioError("/workload/traffic/" + std::to_string(i) + "/topic",
                          std::string("cannot be mapped by the twin: ") + e.what());
    }
    const auto& caps = r.topic.captures();
    if (std::find(caps.begin(), caps.end(), "device") == caps.end())
      throw ScenarioError("/workload/traffic/" + std::to_string(i) + "/topic",
                          "cannot be mapped by the twin: the topic has no {device} level, so devices cannot be told apart");
    r.device = NameTemplate::parse(t.group + "#{device}");
    r.group = NameTemplate::parse(t.group);
    r.payload = emulator_payload();
    r.period = t.period;
    out.push_back(std::move(r));
  }
  out.push_back(gateway_status_rule("preset:scenario"));
  return out;
}

std::vector<MappingRule> generic_preset() {
  MappingRule up;
  up.name = "generic-uplink";
  up.pointer = "preset:generic";
  up.topic = TopicPattern::parse("site/{site}/gw/{gateway}/dev/{device}/up");
  up.device = NameTemplate::parse("{site}/{device}");
  up.gateway = NameTemplate::parse("{site}/{gateway}");
  up.group_auto = true;
  up.payload = emulator_payload();
  return {up, gateway_status_rule("preset:generic")};
}

std::vector<MappingRule> homie_preset() {
  MappingRule state;
  state.name = "homie-state";
  state.pointer = "preset:homie";
  state.kind = RuleKind::status;
  state.topic = TopicPattern::parse("homie/{device}/$state");
  state.device = NameTemplate::parse("{device}");
  state.payload.json = false;
  state.down_values = {"lost", "disconnected"};
  state.up_values = {"ready", "init", "sleeping", "alert"};
  MappingRule prop;
  prop.name = "homie-property";
  prop.pointer = "preset:homie";
  prop.topic = TopicPattern::parse("homie/{device}/{node}/{property}");
  prop.device = NameTemplate::parse("{device}");
  prop.group_auto = true;
  prop.payload.json = false;
  return {state, prop};
}

namespace {

FieldSpec field(std::string name, FieldType type, bool required, std::string help, json def = nullptr) {
  return sim::make_field(std::move(name), type, required, std::move(help), std::move(def));
}
FieldSpec quantity(std::string name, models::units::Kind unit, std::string help, json def) {
  FieldSpec f = field(std::move(name), FieldType::quantity, false, std::move(help), std::move(def));
  f.unit = unit;
  f.minimum = 0.0;
  f.exclusive_minimum = true;
  return f;
}
FieldSpec choice(std::string name, std::vector<std::string> choices, std::string help, json def) {
  FieldSpec f = field(std::move(name), FieldType::enumeration, false, std::move(help), std::move(def));
  f.choices = std::move(choices);
  return f;
}

struct MappingSpecs {
  ObjectSpec payload{"mapping payload", "how to read a message's payload", {}};
  ObjectSpec rule{"mapping rule", "one topic pattern and the entities it updates", {}};
  ObjectSpec root{"mapping", "twin only: MQTT topic patterns to entities", {}};
  MappingSpecs() {
    payload.fields = {
        choice("format", {"json", "text"}, "json: a JSON document read by pointers; text: the payload is the value",
               "json"),
        field("timestamp", FieldType::string, false, "JSON pointer of the source timestamp", ""),
        choice("timestamp_unit", {"s", "ms", "us", "ns"}, "unit of the source timestamp (epoch based)", "s"),
        field("gateway_timestamp", FieldType::string, false,
              "JSON pointer of the time the gateway forwarded the message (splits access from the rest)", ""),
        field("sequence", FieldType::string, false, "JSON pointer of the per-device sequence number", ""),
        field("value", FieldType::string, false, "JSON pointer of the value (empty: whole payload)", ""),
    };
    FieldSpec payload_field = field("payload", FieldType::object, false, "payload extractors");
    payload_field.object = &payload;
    FieldSpec period = quantity("period", models::units::Kind::duration,
                                "expected period of each device (default: the traffic period, then observed)",
                                nullptr);
    FieldSpec maxent_rule = field("max_entities", FieldType::integer, false,
                                  "entities this rule may create at most (default: max_entities_per_rule)", nullptr);
    maxent_rule.minimum = 1;
    rule.fields = {
        field("name", FieldType::string, true, "rule name (malformed payloads are counted per rule)"),
        choice("kind", {"telemetry", "status", "broker_stats"},
               "telemetry: device messages; status: up/down of a gateway or device (Will messages); "
               "broker_stats: $SYS statistics of a broker",
               "telemetry"),
        field("topic", FieldType::string, true, "topic pattern, e.g. site/{site}/gw/{gateway}/dev/{device}/up"),
        field("device", FieldType::string, false, "device entity template, e.g. {site}/{group}#{device}", ""),
        field("gateway", FieldType::string, false, "gateway entity template, e.g. {site}/{gateway}", ""),
        field("group", FieldType::string, false,
              "device group template, e.g. {site}/{group}; \"auto\": the scenario's group of that gateway or device "
              "name prefix",
              ""),
        field("broker", FieldType::string, false, "broker entity (broker_stats)", ""),
        payload_field,
        field("down", FieldType::string_array, false, "status payloads meaning down"),
        field("up", FieldType::string_array, false, "status payloads meaning up"),
        period,
        maxent_rule,
    };
    FieldSpec rules = field("rules", FieldType::object_array, false, "mapping rules, matched in order before presets");
    rules.object = &rule;
    FieldSpec qos = field("qos", FieldType::integer, false, "subscription QoS (0 or 1)", 1);
    qos.minimum = 0;
    FieldSpec stale = field("stale_after", FieldType::number, false, "k: an entity is stale after k x its period", 3);
    stale.minimum = 0;
    stale.exclusive_minimum = true;
    FieldSpec keep = field("keep_malformed", FieldType::integer, false, "malformed payloads kept per rule", 5);
    keep.minimum = 0;
    FieldSpec maxdev = field("max_devices", FieldType::integer, false, "devices the twin tracks at most", 1000000);
    maxdev.minimum = 1;
    FieldSpec maxtopic = field("max_topic_length", FieldType::integer, false,
                               "longer topics (bytes) are dropped before matching and counted", 1024);
    maxtopic.minimum = 1;
    FieldSpec maxent = field("max_entities_per_rule", FieldType::integer, false,
                             "entities (devices) one rule may create at most, then entity_limit", 1000000);
    maxent.minimum = 1;
    root.fields = {
        field("presets", FieldType::string_array, false,
              "scenario | generic | homie; default [\"scenario\"] when there are no rules"),
        rules,
        field("sys_broker", FieldType::string, false, "mirror $SYS/broker/# into this broker entity", ""),
        qos,
        stale,
        quantity("rate_window", models::units::Kind::duration, "window of the observed message rate", "10s"),
        quantity("max_payload", models::units::Kind::data_size, "larger payloads are malformed (oversize)", "64KiB"),
        keep,
        maxdev,
        maxtopic,
        maxent,
        field("observed", FieldType::free_object, false, "written by calibration: what the twin observed"),
    };
  }
};

const MappingSpecs& specs() {
  static const MappingSpecs s;
  return s;
}

bool entity_exists(const sim::Scenario& sc, const std::string& name, const std::string& kind) {
  if (kind == "group") return sc.find_group(name) != nullptr;
  if (kind == "gateway") {
    for (const auto& s : sc.sites)
      for (const auto& g : s.gateways)
        if (g.name == name) return true;
    return false;
  }
  if (kind == "broker") {
    const auto names = sc.brokers.names();
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  return true;
}

NameTemplate read_template(const ObjectReader& r, const char* key, const TopicPattern& topic, const sim::Scenario& sc) {
  const std::string text = r.get_string(key);
  if (text.empty()) return {};
  NameTemplate t;
  try {
    t = NameTemplate::parse(text);
  } catch (const std::invalid_argument& e) {
    r.fail(key, e.what());
  }
  for (const auto& u : t.uses()) {
    const auto& caps = topic.captures();
    if (std::find(caps.begin(), caps.end(), u) == caps.end())
      r.fail(key, "uses capture {" + u + "} that topic pattern \"" + topic.text() +
                      "\" does not name (a rule may only update entities its pattern names)");
  }
  if (t.uses().empty() && !entity_exists(sc, text, key))
    r.fail(key, std::string("no ") + key + " \"" + text + "\" in the scenario");
  return t;
}

std::string read_pointer(const ObjectReader& r, const char* key) {
  const std::string p = r.get_string(key);
  if (!p.empty()) {
    try {
      (void)json::json_pointer(p);
    } catch (const json::exception&) {
      r.fail(key, "expected a JSON pointer like \"/ts\", got \"" + p + "\"");
    }
  }
  return p;
}

}  // namespace

Mapping mapping_from_scenario(const sim::Scenario& sc) {
  Mapping m;
  const json empty = json::object();
  const json& doc = sc.mapping.is_null() ? empty : sc.mapping;
  const ObjectReader root(doc, "/mapping", specs().root);
  m.qos = static_cast<int>(root.get_integer("qos"));
  if (m.qos > 1) root.fail("qos", "expected 0 or 1, got " + std::to_string(m.qos));
  m.stale_after = root.get_number("stale_after");
  m.rate_window = root.get_quantity("rate_window");
  m.max_payload = static_cast<std::uint64_t>(root.get_quantity("max_payload"));
  m.keep_malformed = static_cast<std::size_t>(root.get_integer("keep_malformed"));
  m.max_devices = static_cast<std::uint64_t>(root.get_integer("max_devices"));
  m.max_topic_length = static_cast<std::size_t>(root.get_integer("max_topic_length"));
  m.max_entities_per_rule = static_cast<std::uint64_t>(root.get_integer("max_entities_per_rule"));

  std::set<std::string> names;
  if (root.has("rules")) {
    for (const auto& r : root.get_objects("rules")) {
      MappingRule rule;
      rule.name = r.get_string("name");
      rule.pointer = r.pointer();
      if (!names.insert(rule.name).second) r.fail("name", "duplicate rule name \"" + rule.name + "\"");
      const std::string kind = r.get_string("kind");
      rule.kind = kind == "status" ? RuleKind::status : kind == "broker_stats" ? RuleKind::broker_stats : RuleKind::telemetry;
      try {
        rule.topic = TopicPattern::parse(r.get_string("topic"));
      } catch (const std::invalid_argument& e) {
        r.fail("topic", e.what());
      }
      rule.device = read_template(r, "device", rule.topic, sc);
      rule.gateway = read_template(r, "gateway", rule.topic, sc);
      if (r.get_string("group") == "auto") {
        rule.group_auto = true;
      } else {
        rule.group = read_template(r, "group", rule.topic, sc);
      }
      rule.broker = read_template(r, "broker", rule.topic, sc);
      if (rule.kind == RuleKind::telemetry && rule.device.empty())
        r.fail("device", "a telemetry rule needs a device template, e.g. \"{site}/{device}\"");
      if (rule.kind == RuleKind::status && rule.device.empty() && rule.gateway.empty())
        r.fail("gateway", "a status rule needs a gateway or device template");
      if (rule.kind == RuleKind::broker_stats && rule.broker.empty())
        r.fail("broker", "a broker_stats rule needs a broker, e.g. \"broker-1\"");
      if (r.has("payload")) {
        const ObjectReader p = r.get_object("payload");
        rule.payload.json = p.get_string("format") == "json";
        rule.payload.timestamp = read_pointer(p, "timestamp");
        rule.payload.gateway_timestamp = read_pointer(p, "gateway_timestamp");
        rule.payload.sequence = read_pointer(p, "sequence");
        rule.payload.value = read_pointer(p, "value");
        const std::string unit = p.get_string("timestamp_unit");
        rule.payload.timestamp_scale = unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : unit == "ns" ? 1e-9 : 1.0;
        if (!rule.payload.json && (!rule.payload.timestamp.empty() || !rule.payload.sequence.empty()))
          p.fail("format", "text payloads have no fields: timestamp and sequence need \"format\": \"json\"");
      } else {
        rule.payload.json = rule.kind == RuleKind::telemetry;
      }
      if (r.has("down")) rule.down_values = r.get_strings("down");
      if (r.has("up")) rule.up_values = r.get_strings("up");
      if (rule.kind == RuleKind::status && rule.down_values.empty()) rule.down_values = {"offline", "lost", "down"};
      if (rule.kind == RuleKind::status && rule.up_values.empty()) rule.up_values = {"online", "up", "ready"};
      if (r.has("period")) rule.period = r.get_quantity("period");
      if (r.has("max_entities")) rule.max_entities = static_cast<std::uint64_t>(r.get_integer("max_entities"));
      m.rules.push_back(std::move(rule));
    }
  }
  std::vector<std::string> presets;
  if (root.has("presets"))
    presets = root.get_strings("presets");
  else if (m.rules.empty())
    presets = {"scenario"};
  for (std::size_t i = 0; i < presets.size(); ++i) {
    std::vector<MappingRule> add;
    if (presets[i] == "scenario")
      add = scenario_preset(sc);
    else if (presets[i] == "generic")
      add = generic_preset();
    else if (presets[i] == "homie")
      add = homie_preset();
    else
      throw ScenarioError("/mapping/presets/" + std::to_string(i),
                          "expected one of scenario, generic, homie, got \"" + presets[i] + "\"");
    for (auto& r : add) m.rules.push_back(std::move(r));
  }
  const std::string sys = root.get_string("sys_broker");
  if (!sys.empty()) {
    if (!entity_exists(sc, sys, "broker")) root.fail("sys_broker", "no broker \"" + sys + "\" in the scenario");
    m.rules.push_back(sys_rule(sys));
  }
  if (m.rules.empty()) throw ScenarioError("/mapping", "no rules and no presets: the twin would subscribe to nothing");
  return m;
}

bool LimitCounters::hit(const std::string& name, const std::string& scope, std::uint64_t limit, std::string what) {
  auto& e = entries_[scope.empty() ? name : name + "/" + scope];
  e.name = name;
  e.scope = scope;
  e.limit = limit;
  e.last = std::move(what);
  return ++e.hits == 1;
}

std::uint64_t LimitCounters::hits(const std::string& name, const std::string& scope) const {
  const auto it = entries_.find(scope.empty() ? name : name + "/" + scope);
  return it == entries_.end() ? 0 : it->second.hits;
}

std::uint64_t LimitCounters::total() const {
  std::uint64_t n = 0;
  for (const auto& [k, e] : entries_) n += e.hits;
  return n;
}

json LimitCounters::to_json() const {
  json j = json::object();
  for (const auto& [k, e] : entries_) {
    json v = {{"limit", e.limit}, {"hits", e.hits}, {"last", e.last}};
    if (!e.scope.empty()) v["scope"] = e.scope;
    j[k] = std::move(v);
  }
  return j;
}

}  // namespace edgetwin::twin
