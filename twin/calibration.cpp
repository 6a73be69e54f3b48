// twin/calibration.cpp — calibrated scenarios and prediction-versus-observation divergence.
#include "twin/calibration.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "models/core/units.hpp"

namespace edgetwin::twin {

using nlohmann::json;

std::string duration_text(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9gs", seconds < 0 ? 0.0 : seconds);
  return buf;
}

namespace {

json sketch_quantiles(const models::QuantileSketch& s) {
  return {{"count", s.count()}, {"mean", s.mean()}, {"p50", s.quantile(0.5)}, {"p95", s.quantile(0.95)},
          {"p99", s.quantile(0.99)}, {"max", s.max()}};
}

json* find_group_doc(json& doc, const std::string& group) {
  for (auto& site : doc["platform"]["sites"]) {
    if (!site.contains("device_groups")) continue;
    for (auto& g : site["device_groups"])
      if (site.value("name", "") + "/" + g.value("name", "") == group) return &g;
  }
  return nullptr;
}

}  // namespace

json calibrated_scenario(const Twin& twin, double now, const CalibrationOptions& options) {
  const auto& sc = twin.scenario();
  json doc = json::parse(sc.canonical_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw std::runtime_error("the twin's scenario document cannot be read");
  const auto state = twin.state_json(now, false);
  doc["name"] = sc.name + "-calibrated";
  char desc[256];
  std::snprintf(desc, sizeof desc, "Calibrated by the EdgeTwin live twin from %llu messages observed over %.1f s. ",
                static_cast<unsigned long long>(twin.received()), twin.last_receive() - twin.first_receive());
  doc["description"] = std::string(desc) + sc.description;
  doc["duration"] = duration_text(options.horizon);
  doc["warmup"] = "0s";
  doc.erase("faults");

  json observed_groups = json::object();
  if (doc.contains("workload") && doc["workload"].contains("traffic")) {
    for (auto& t : doc["workload"]["traffic"]) {
      const std::string group = t.value("group", "");
      const auto it = twin.groups().find(group);
      if (it == twin.groups().end() || it->second.accepted == 0) continue;
      const auto& g = it->second;
      const auto& gs = state["groups"][group];
      json* gdoc = find_group_doc(doc, group);
      if (gdoc && g.devices_seen > 0) (*gdoc)["count"] = g.devices_seen;
      if (gs.contains("period")) {
        const double period = gs["period"].get<double>();
        if (period > 0) {
          if (t.value("pattern", "periodic") == "burst") {
            // The observed mean gap of a bursty device mixes burst spacing and burst period: keep the
            // declared shape and scale the period so that the mean rate matches.
          } else {
            // Periodic devices add U[0, jitter) to each period: keep the mean interval.
            double jitter = 0;
            if (t.contains("jitter")) {
              const auto j = models::units::parse(models::units::Kind::duration, t["jitter"].get<std::string>());
              jitter = j ? *j : 0.0;
            }
            const double base = t.value("pattern", "periodic") == "periodic" ? std::max(period - jitter / 2, period / 2) : period;
            t["period"] = duration_text(base);
          }
        }
      }
      const auto payload = static_cast<std::uint64_t>(std::llround(g.payload.mean()));
      if (payload > 0) t["payload"] = std::to_string(payload) + "B";
      t["qos"] = std::min<std::uint64_t>(g.qos_max, 1);
      if (gdoc && g.access.count() > 0 && (*gdoc).contains("access")) {
        auto& access = (*gdoc)["access"];
        const auto bw = access.contains("bandwidth")
                            ? models::units::parse(models::units::Kind::bandwidth, access["bandwidth"].get<std::string>())
                            : std::nullopt;
        const double frame = bw && *bw > 0 ? static_cast<double>(payload + 7) / *bw : 0.0;
        access["latency"] = duration_text(std::max(0.0, g.access.quantile(0.5) - frame));
      }
      json o = {{"devices_seen", g.devices_seen},
                {"accepted", g.accepted},
                {"missing", gs["missing"]},
                {"loss_ratio", gs["loss_ratio"]},
                {"payload_mean", g.payload.mean()},
                {"latency", sketch_quantiles(g.latency)}};
      if (gs.contains("period")) o["period"] = gs["period"];
      if (g.access.count()) o["tiers"] = {{"access", sketch_quantiles(g.access)}, {"upstream", sketch_quantiles(g.upstream)}};
      observed_groups[group] = std::move(o);
    }
  }
  json observed_brokers = json::object();
  for (const auto& [name, b] : twin.brokers()) observed_brokers[name] = state["brokers"][name]["stats"];
  if (!doc.contains("mapping") || !doc["mapping"].is_object()) doc["mapping"] = json::object();
  doc["mapping"]["observed"] = {{"as_of", now},
                                {"first_receive", twin.first_receive()},
                                {"last_receive", twin.last_receive()},
                                {"messages", twin.received()},
                                {"groups", observed_groups},
                                {"brokers", observed_brokers}};
  return doc;
}

namespace {

json metric(double predicted, double observed, double tolerance, double floor, json& diverged, const std::string& name) {
  const double diff = std::fabs(predicted - observed);
  const double scale = std::max(std::fabs(predicted), std::fabs(observed));
  const double rel = scale > 0 ? diff / scale : 0.0;
  const bool div = diff > floor && rel > tolerance;
  if (div) diverged.push_back(name);
  return {{"predicted", predicted}, {"observed", observed}, {"relative_difference", rel}, {"diverged", div}};
}

}  // namespace

json compare_prediction(const json& summary, const Twin& twin, double now, const DivergenceOptions& o) {
  json out = {{"as_of", now}, {"tolerance", o.tolerance}};
  json diverged = json::array();
  json groups = json::object();
  const double window = summary.value("duration", 0.0) - summary.value("warmup", 0.0);
  const double observed_span = twin.last_receive() - twin.first_receive();
  for (const auto& [name, g] : twin.groups()) {
    if (g.accepted == 0 || !summary["groups"].contains(name)) continue;
    const auto& p = summary["groups"][name];
    json m = json::object();
    if (window > 0 && observed_span > 0) {
      const double predicted_rate = p.value("sent", 0.0) / window;
      const double observed_rate = static_cast<double>(g.accepted) / observed_span;
      m["rate"] = metric(predicted_rate, observed_rate, o.tolerance, o.rate_floor, diverged, name + "/rate");
    }
    const auto state = twin.state_json(now, false)["groups"][name];
    m["delivery"] = metric(p.value("delivery_ratio", 0.0), 1.0 - state.value("loss_ratio", 0.0), o.tolerance,
                           o.delivery_floor, diverged, name + "/delivery");
    if (g.latency.count() > 0 && p.contains("latency")) {
      // The twin sees a message when the broker hands it out: compare without the cloud tier.
      const double cloud = p.contains("tiers") ? p["tiers"]["cloud"].value("mean", 0.0) : 0.0;
      for (const auto& [q, key] : {std::pair{0.5, "p50"}, std::pair{0.95, "p95"}, std::pair{0.99, "p99"}}) {
        const double predicted = std::max(0.0, p["latency"].value(key, 0.0) - cloud);
        m[std::string("latency.") + key] =
            metric(predicted, g.latency.quantile(q), o.tolerance, o.latency_floor, diverged, name + "/latency." + key);
      }
    }
    groups[name] = std::move(m);
  }
  json brokers = json::object();
  const double end = summary.value("simulated_end", 0.0);
  for (const auto& [name, b] : twin.brokers()) {
    if (!summary["nodes"].contains(name) || end <= 0) continue;
    const auto it = b.stats.find("load/messages/received/1min");
    if (it == b.stats.end() || !it->second.is_number()) continue;
    const double predicted = summary["nodes"][name].value("processed", 0.0) / end;
    const double observed = it->second.get<double>() / 60.0;
    brokers[name] = {{"messages_per_s", metric(predicted, observed, o.tolerance, o.rate_floor, diverged,
                                               name + "/messages_per_s")}};
  }
  out["groups"] = std::move(groups);
  out["brokers"] = std::move(brokers);
  out["diverged"] = diverged;
  out["ok"] = diverged.empty();
  return out;
}

}  // namespace edgetwin::twin
