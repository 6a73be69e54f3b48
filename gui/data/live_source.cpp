// gui/data/live_source.cpp — see live_source.hpp.
#include "gui/data/live_source.hpp"

#include <algorithm>
#include <set>

#include <QJsonArray>
#include <QJsonDocument>

namespace edgetwin::gui {

namespace {

QString site_of(const QString& name) { return name.section('/', 0, 0); }

double num(const QJsonObject& o, const char* key) { return o.value(key).toDouble(0); }

}  // namespace

LiveTwinSource::LiveTwinSource(QString url, QString twin, QObject* parent)
    : DataSource(parent), url_(std::move(url)), twin_(std::move(twin)) {
  data_.folder = url_;
}

LoadReport LiveTwinSource::report() const {
  LoadReport r;
  r.ok = true;  // a live twin can always be shown: the views fill in as states arrive
  if (!connected_ && !connection_detail_.isEmpty()) r.warnings << "broker " + url_ + ": " + connection_detail_;
  if (states_ == 0)
    r.warnings << (twin_.isEmpty() ? QString("waiting for a twin's state on %1 (edgetwin/twin/+/state)").arg(url_)
                                   : QString("waiting for the state of twin %1 on %2").arg(twin_, url_));
  if (twin_status_ == "offline") r.warnings << "twin " + twin_ + " is offline (its last state is shown)";
  return r;
}

QStringList LiveTwinSource::subscriptions() const {
  const QString p = topic_prefix(twin_.isEmpty() ? QString("+") : twin_);
  QStringList s{p + "/state", p + "/status", p + "/alerts", p + "/prediction"};
  if (!response_topic_.isEmpty()) s << response_topic_;
  return s;
}

void LiveTwinSource::set_connection(bool connected, const QString& detail) {
  connected_ = connected;
  connection_detail_ = detail;
  emit connection_changed();
}

void LiveTwinSource::handle_message(const QString& topic, const QByteArray& payload, const QByteArray& correlation) {
  if (!response_topic_.isEmpty() && topic == response_topic_) {
    const QJsonDocument doc = QJsonDocument::fromJson(payload);
    QString corr = QString::fromUtf8(correlation);
    if (corr.isEmpty()) corr = doc.object().value("correlation").toString();
    if (doc.isObject()) apply_whatif(doc.object(), corr);
    return;
  }
  const QStringList parts = topic.split('/');
  if (parts.size() < 4 || parts[0] != "edgetwin" || parts[1] != "twin") return;
  const QString name = parts[2];
  const QString what = parts.mid(3).join('/');
  if (twin_.isEmpty()) {
    if (what != "state") return;  // follow the first twin that has a state
    twin_ = name;
  }
  if (name != twin_) return;
  if (what == "status") {
    twin_status_ = QString::fromUtf8(payload).trimmed();
    emit connection_changed();
    return;
  }
  const QJsonDocument doc = QJsonDocument::fromJson(payload);
  if (!doc.isObject()) return;  // the twin publishes JSON objects only; ignore anything else
  const QJsonObject o = doc.object();
  if (what == "state") {
    if (o.value("format").toString() == "edgetwin-twin-state") apply_state(o);
  } else if (what == "alerts") {
    LiveAlert a{num(o, "at"), o.value("kind").toString(), o.value("entity").toString(), o.value("message").toString()};
    alerts_.push_back(a);
    if (alerts_.size() > kMaxAlerts) alerts_.erase(alerts_.begin(), alerts_.begin() + long(alerts_.size() - kMaxAlerts));
    emit alerts_changed();
  } else if (what == "prediction") {
    apply_prediction(o);
  } else if (what == "whatif/response") {
    apply_whatif(o, QString::fromUtf8(correlation));
  }
}

bool LiveTwinSource::rebuild_topology(const QJsonObject& s) {
  std::vector<Vertex> vs;
  std::vector<Edge> es;
  const QJsonObject groups = s.value("groups").toObject();
  const QJsonObject gateways = s.value("gateways").toObject();
  const QJsonObject brokers = s.value("brokers").toObject();
  for (auto it = groups.begin(); it != groups.end(); ++it)
    vs.push_back({it.key(), "device_group", 0, qint64(num(it.value().toObject(), "devices_declared"))});
  for (auto it = gateways.begin(); it != gateways.end(); ++it) vs.push_back({it.key(), "gateway", 1, 0});
  for (auto it = brokers.begin(); it != brokers.end(); ++it) vs.push_back({it.key(), "broker", 4, 0});
  for (auto g = groups.begin(); g != groups.end(); ++g)
    for (auto gw = gateways.begin(); gw != gateways.end(); ++gw)
      if (site_of(g.key()) == site_of(gw.key()))
        es.push_back({"access", g.key() + "->" + gw.key(), g.key(), gw.key(), 0, 0});
  for (auto gw = gateways.begin(); gw != gateways.end(); ++gw)
    for (auto b = brokers.begin(); b != brokers.end(); ++b)
      es.push_back({"link", gw.key() + "->" + b.key(), gw.key(), b.key(), 0, 0});
  auto same = [&] {
    if (vs.size() != data_.vertices.size() || es.size() != data_.edges.size()) return false;
    for (std::size_t i = 0; i < vs.size(); ++i)
      if (vs[i].name != data_.vertices[i].name || vs[i].count != data_.vertices[i].count) return false;
    return true;
  };
  if (same()) return false;
  data_.vertices = std::move(vs);
  data_.edges = std::move(es);
  return true;
}

void LiveTwinSource::apply_state(const QJsonObject& s) {
  const double as_of = num(s, "as_of");
  if (epoch_ < 0) epoch_ = as_of;
  const double t = as_of - epoch_;
  if (states_ > 0 && t <= last_t_) return;  // an older or repeated (retained) state
  state_ = s;
  ++states_;
  data_.scenario = s.value("scenario").toString(twin_);
  const bool reshaped = rebuild_topology(s);

  // summary.json-shaped KPIs, so the inspector, topology colours and charts read them as for a run.
  QJsonObject sgroups, nodes;
  const QJsonObject groups = s.value("groups").toObject();
  for (auto it = groups.begin(); it != groups.end(); ++it) {
    const QJsonObject g = it.value().toObject();
    const QJsonObject lat = g.value("latency").toObject();
    QJsonObject k{{"sent", g.value("received")},
                  {"delivered", g.value("accepted")},
                  {"lost", g.value("missing")},
                  {"duplicates", g.value("duplicates")},
                  {"late", g.value("late")},
                  {"loss_ratio", g.value("loss_ratio")},
                  {"delivery_ratio", 1.0 - num(g, "loss_ratio")},
                  {"throughput", g.value("rate")},
                  {"devices", g.value("devices_seen")},
                  {"devices_declared", g.value("devices_declared")},
                  {"live", g.value("live")},
                  {"stale", g.value("stale")},
                  {"down", g.value("down")}};
    if (num(lat, "count") > 0) k["latency"] = lat;
    sgroups[it.key()] = k;

    // Per-interval series since the previous state, as timeseries.csv has them.
    const QJsonObject prev = last_groups_.value(it.key());
    // The first state only sets the baseline counters: its totals span the twin's whole past.
    auto delta = [&](const char* key) { return std::max(0.0, num(g, key) - num(prev, key)); };
    const double at = last_t_;  // a sample is stamped with the start of its interval
    if (last_t_ >= 0 && last_groups_.contains(it.key())) {
      data_.series.append(at, it.key(), "sent", delta("received"));
      data_.series.append(at, it.key(), "delivered", delta("accepted"));
      data_.series.append(at, it.key(), "lost", delta("missing"));
      data_.series.append(at, it.key(), "latency_mean", num(lat, "mean"));
      data_.series.append(at, it.key(), "latency_max", num(lat, "max"));
      data_.series.append(at, it.key(), "rate", num(g, "rate"));
    }
    last_groups_[it.key()] = g;
  }
  const QJsonObject gateways = s.value("gateways").toObject();
  for (auto it = gateways.begin(); it != gateways.end(); ++it) {
    QJsonObject n = it.value().toObject();
    n["kind"] = "gateway";
    nodes[it.key()] = n;
  }
  const QJsonObject brokers = s.value("brokers").toObject();
  for (auto it = brokers.begin(); it != brokers.end(); ++it) {
    QJsonObject n = it.value().toObject();
    n["kind"] = "broker";
    nodes[it.key()] = n;
  }
  const QJsonObject totals = s.value("totals").toObject();
  data_.summary = QJsonObject{{"scenario", data_.scenario},
                              {"duration", t},
                              {"as_of", as_of},
                              {"groups", sgroups},
                              {"nodes", nodes},
                              {"totals", QJsonObject{{"delivered", totals.value("accepted")},
                                                     {"lost", totals.value("missing")},
                                                     {"duplicates", totals.value("duplicates")},
                                                     {"malformed", totals.value("malformed")},
                                                     {"devices", totals.value("devices_seen")}}}};

  // Gateways down (Will/status) become crash events, so the topology marks them failed.
  data_.events.clear();
  for (auto it = gateways.begin(); it != gateways.end(); ++it) {
    const QJsonObject g = it.value().toObject();
    if (g.contains("down_since") || g.value("liveness").toString() == "down")
      data_.events.push_back({std::max(0.0, num(g, "down_since") - epoch_), 0, it.key(), "crash", "down (twin)"});
  }
  data_.duration = t;
  data_.series.finish();
  last_t_ = t;
  if (reshaped || states_ == 1)
    emit reset();
  else
    emit appended(t);
}

void LiveTwinSource::apply_prediction(const QJsonObject& p) {
  prediction_.clear();
  prediction_as_of_ = num(p, "as_of");
  for (const char* section : {"groups", "brokers"}) {
    const QJsonObject sec = p.value(section).toObject();
    for (auto s = sec.begin(); s != sec.end(); ++s) {
      const QJsonObject metrics = s.value().toObject();
      for (auto m = metrics.begin(); m != metrics.end(); ++m) {
        const QJsonObject v = m.value().toObject();
        prediction_.push_back({s.key(), m.key(), num(v, "observed"), num(v, "predicted"), v.value("diverged").toBool()});
      }
    }
  }
  emit prediction_changed();
}

QStringList LiveTwinSource::whatif_targets() const {
  QStringList out;
  for (const Vertex& v : data_.vertices)
    if (v.kind == "gateway" || v.kind == "broker") out << v.name;
  return out;
}

QByteArray LiveTwinSource::make_whatif_request(const QString& target, double seconds, const QString& correlation) {
  pending_ = correlation;
  QJsonObject r{{"fail", target}, {"for", QString::number(seconds) + "s"}};
  // MQTT 3.1.1 fallback of docs/twin.md; an MQTT 5 transport also sets the properties.
  if (!response_topic_.isEmpty()) r["response_topic"] = response_topic_;
  r["correlation"] = correlation;
  return QJsonDocument(r).toJson(QJsonDocument::Compact);
}

void LiveTwinSource::apply_whatif(const QJsonObject& a, const QString& correlation) {
  if (!pending_.isEmpty() && !correlation.isEmpty() && correlation != pending_) return;  // someone else's
  WhatIfAnswer w;
  w.correlation = correlation;
  w.status = a.value("status").toString();
  w.message = a.value("message").toString(a.value("error").toString());
  const QJsonObject req = a.value("request").toObject();
  w.target = req.value("fail").toString(req.value("target").toString());
  w.seconds = req.value("for").toDouble(req.value("duration").toDouble());
  w.raw = a;
  const QJsonObject impact = a.value("impact").toObject().value("groups").toObject();
  for (auto g = impact.begin(); g != impact.end(); ++g) {
    const QJsonObject ms = g.value().toObject();
    for (auto m = ms.begin(); m != ms.end(); ++m) {
      const QJsonObject d = m.value().toObject();
      w.impact.push_back({g.key(), m.key(), num(d, "baseline"), num(d, "faulted"), num(d, "delta")});
    }
  }
  const QJsonObject base = a.value("baseline").toObject().value("groups").toObject();
  for (auto g = base.begin(); g != base.end(); ++g) {
    const QJsonObject ms = g.value().toObject();
    for (auto m = ms.begin(); m != ms.end(); ++m)
      if (m.value().isDouble()) w.baseline.push_back({g.key(), m.key(), m.value().toDouble(), 0, 0});
  }
  pending_.clear();
  whatif_ = std::move(w);
  emit whatif_answered();
}

}  // namespace edgetwin::gui
