// gui/models/inspector_model.cpp — see inspector_model.hpp.
#include "gui/models/inspector_model.hpp"

#include <cmath>

#include <QJsonArray>

#include "gui/models/format.hpp"
#include "gui/models/palette.hpp"

namespace edgetwin::gui {
namespace {

QString slo_value(const SloVerdict& s) {
  const bool latency = s.metric.startsWith("latency.");
  const bool ratio = s.metric.endsWith("_ratio") || s.metric == "utilization";
  auto show = [&](double v) { return latency ? fmt::ms(v) : ratio ? fmt::percent(v, 2) : fmt::number(v); };
  return QString("%1: %2 (%3 %4)").arg(s.pass ? "PASS" : "FAIL", show(s.value), s.is_max ? "max" : "min", show(s.limit));
}

}  // namespace

InspectorModel::InspectorModel(QObject* parent) : QStandardItemModel(parent) {
  setHorizontalHeaderLabels({"Property", "Value"});
}

void InspectorModel::set_data(const RunData* run) {
  run_ = run;
  totals_.clear();
  if (run) {
    const char* metrics[] = {"sent", "delivered", "lost"};
    for (const Vertex& x : run->vertices) {
      if (x.kind != "device_group") continue;
      for (int m = 0; m < 3; ++m)
        if (const Series* s = run->series.find(x.name, metrics[m]))
          for (std::size_t i = 0; i < s->size(); ++i) totals_[(*s)[i].t][std::size_t(m)] += (*s)[i].v;
    }
  }
  entity_.clear();
  time_ = std::numeric_limits<double>::quiet_NaN();
  rebuild();
}

void InspectorModel::set_entity(const QString& entity) {
  entity_ = entity;
  rebuild();
}

void InspectorModel::set_time(double t) {
  time_ = t;
  rebuild();
}

QStandardItem* InspectorModel::section(const QString& title) {
  auto* item = new QStandardItem(title);
  QFont f = item->font();
  f.setBold(true);
  item->setFont(f);
  item->setEditable(false);
  auto* blank = new QStandardItem;
  blank->setEditable(false);
  appendRow({item, blank});
  return item;
}

void InspectorModel::add(QStandardItem* parent, const QString& property, const QString& value, const QColor& color) {
  auto* p = new QStandardItem(property);
  auto* v = new QStandardItem(value);
  p->setEditable(false);
  v->setEditable(false);
  if (color.isValid()) v->setForeground(color);
  parent->appendRow({p, v});
}

QString InspectorModel::value(const QString& sec, const QString& property) const {
  for (int r = 0; r < rowCount(); ++r) {
    QStandardItem* s = item(r, 0);
    if (s->text() != sec) continue;
    for (int c = 0; c < s->rowCount(); ++c)
      if (s->child(c, 0)->text() == property) return s->child(c, 1)->text();
  }
  return {};
}

QStringList InspectorModel::sections() const {
  QStringList out;
  for (int r = 0; r < rowCount(); ++r) out << item(r, 0)->text();
  return out;
}

void InspectorModel::rebuild() {
  removeRows(0, rowCount());
  if (!run_) return;
  const RunData& d = *run_;
  QString name = entity_;
  const int hash = name.lastIndexOf('#');
  const bool device = hash > 0 && !d.vertex(name) && d.vertex(name.left(hash));
  if (device) name = name.left(hash);
  const Vertex* v = d.vertex(name);
  const Edge* e = v ? nullptr : d.edge(name);
  const QString kind = v ? v->kind : e ? e->kind : QString();

  QStandardItem* id = section(name.isEmpty() ? "System" : entity_);
  if (name.isEmpty()) {
    add(id, "scenario", d.scenario);
    add(id, "folder", d.folder);
    add(id, "seed", fmt::number(d.manifest.value("seed").toDouble(d.summary.value("seed").toDouble(NAN))));
    add(id, "duration", fmt::seconds(d.duration));
    add(id, "warmup", fmt::seconds(d.warmup));
    const QString verdict = d.summary.value("verdict").toString();
    if (!verdict.isEmpty()) add(id, "verdict", verdict.toUpper(), verdict == "pass" ? palette::series(2) : palette::failed_mark());
    if (d.manifest.value("partial").toBool()) add(id, "partial", "yes: messages still in flight at the end", palette::failed_mark());
  } else {
    add(id, "kind", device ? "device of " + name : kind.isEmpty() ? "unknown entity" : kind);
    if (v) add(id, "tier", QString::number(v->tier));
  }

  // Parameters: what the scenario set, as far as the results carry it.
  QStandardItem* params = section("Parameters");
  if (v && v->kind == "device_group") {
    add(params, "devices", fmt::count(double(v->count)));
    QStringList gws;
    for (const Edge& a : d.edges)
      if (a.kind == "access" && a.a == name) {
        gws << a.b;
        if (gws.size() == 1) {
          add(params, "access bandwidth", fmt::bandwidth(a.bandwidth));
          add(params, "access latency", fmt::ms(a.latency));
        }
      }
    add(params, "gateways", gws.join(", "));
    if (device) add(params, "device's gateway", gws.isEmpty() ? "" : gws[entity_.mid(hash + 1).toInt() % gws.size()]);
    const QJsonObject g = d.group_kpis(name);
    if (g.contains("subscribers")) add(params, "subscribed services", fmt::count(g.value("subscribers").toDouble()));
    if (!g.value("tenant").toString().isEmpty()) add(params, "tenant", g.value("tenant").toString());
  } else if (e) {
    add(params, "between", e->a + " \u2194 " + e->b);
    if (e->bandwidth > 0) add(params, "bandwidth", fmt::bandwidth(e->bandwidth));
    add(params, "latency", fmt::ms(e->latency));
  } else if (v) {
    const QJsonObject n = d.node_kpis(name);
    if (n.contains("cores")) add(params, "cores", fmt::count(n.value("cores").toDouble()));
    if (n.contains("speed")) add(params, "core speed", fmt::flops(n.value("speed").toDouble()));
    for (const Service& s : d.services) {
      if (s.name == name) {
        add(params, "runs on", s.node);
        add(params, "subscribes", s.subscribe.join(", "));
      }
      if (s.node == name) add(params, "hosts service", s.name);
    }
  } else if (name.isEmpty()) {
    int groups = 0, nodes = 0, links = 0;
    for (const Vertex& x : d.vertices) (x.kind == "device_group" ? groups : nodes)++;
    for (const Edge& x : d.edges) links += x.kind == "link";
    add(params, "device groups", QString::number(groups));
    add(params, "nodes", QString::number(nodes));
    add(params, "links", QString::number(links));
    add(params, "time-series interval", fmt::seconds(d.interval()));
  }

  // KPIs over the whole run.
  QStandardItem* kpis = section("KPIs (whole run)");
  const QJsonObject g = kind == "device_group" ? d.group_kpis(name) : name.isEmpty() ? d.totals() : QJsonObject{};
  if (!g.isEmpty()) {
    for (const char* k : {"devices", "sent", "expected_deliveries", "delivered", "unfinished", "late", "unsubscribed"})
      if (g.value(k).isDouble()) add(kpis, QString(k).replace('_', ' '), fmt::count(g.value(k).toDouble()));
    if (g.value("lost").isDouble()) add(kpis, "lost", fmt::count(g.value("lost").toDouble()));
    if (g.value("lost").isObject()) add(kpis, "lost", fmt::count(g.value("lost").toObject().value("total").toDouble()));
    for (const char* k : {"delivery_ratio", "loss_ratio", "late_ratio"})
      if (g.contains(k)) add(kpis, QString(k).replace('_', ' '), fmt::percent(g.value(k).toDouble(), 3));
    if (g.contains("throughput")) add(kpis, "throughput", fmt::number(g.value("throughput").toDouble()) + " deliveries/s");
    const QJsonObject lat = g.value("latency").toObject();
    for (const char* k : {"mean", "p50", "p95", "p99", "max"})
      if (lat.contains(k)) add(kpis, QString("latency %1").arg(k), fmt::ms(lat.value(k).toDouble()));
    const QJsonObject tiers = g.value("tiers").toObject();
    for (const char* t : {"access", "gateway", "backhaul", "broker", "cloud"})
      if (tiers.contains(t))
        add(kpis, QString("tier %1 mean (p99)").arg(t),
            fmt::ms(tiers.value(t).toObject().value("mean").toDouble()) + " (" +
                fmt::ms(tiers.value(t).toObject().value("p99").toDouble()) + ")");
  }
  const QJsonObject n = kind == "link" ? d.link_kpis(name) : d.node_kpis(name);
  if (!name.isEmpty() && !n.isEmpty()) {
    if (n.contains("utilization")) add(kpis, "utilization", fmt::percent(n.value("utilization").toDouble(), 2));
    for (const char* k : {"processed", "dropped", "queue_peak", "messages", "bytes"})
      if (n.contains(k)) add(kpis, QString(k).replace('_', ' '), fmt::count(n.value(k).toDouble()));
  }
  if (kpis->rowCount() == 0) add(kpis, "\u2014", d.summary.isEmpty() ? "summary.json not available" : "no KPIs for this entity");

  // Values of the current interval.
  if (!std::isnan(time_)) {
    const double step = d.interval();
    QStandardItem* now = section(QString("Interval %1 \u2013 %2").arg(fmt::seconds(time_), fmt::seconds(time_ + step)));
    const QString who = name.isEmpty() ? QString() : name;
    if (who.isEmpty()) {
      auto it = totals_.upper_bound(time_);  // the interval containing time_
      const std::array<double, 3> sums = it == totals_.begin() ? std::array<double, 3>{} : std::prev(it)->second;
      add(now, "sent", fmt::count(sums[0]));
      add(now, "delivered", fmt::count(sums[1]));
      add(now, "lost", fmt::count(sums[2]));
    } else {
      for (const QString& m : d.series.metrics_of(who)) {
        const double x = d.series.value_at(who, m, time_, NAN);
        const QString shown = m.startsWith("latency") ? fmt::ms(x) : m == "utilization" ? fmt::percent(x, 2) : fmt::number(x);
        add(now, QString(m).replace('_', ' '), shown);
      }
    }
    if (d.failed_at(who, time_)) add(now, "state", "FAILED", palette::failed_mark());
    if (now->rowCount() == 0) add(now, "\u2014", "no time series for this entity");
  }

  // SLO verdicts.
  const auto slos = d.slos_of(name);
  if (!slos.empty()) {
    QStandardItem* s = section("SLO verdicts");
    for (const SloVerdict* x : slos)
      add(s, x->label, slo_value(*x), x->pass ? palette::series(2).darker(120) : palette::failed_mark());
  }

  // Loss by cause.
  if (kind == "device_group" || name.isEmpty()) {
    QStandardItem* loss = section("Loss by cause");
    QJsonObject causes;
    if (kind == "device_group") {
      causes = d.group_kpis(name).value("lost").toObject();
    } else {
      QJsonObject sums;
      const QJsonObject groups = d.summary.value("groups").toObject();
      for (auto it = groups.begin(); it != groups.end(); ++it) {
        const QJsonObject lost = it.value().toObject().value("lost").toObject();
        for (auto c = lost.begin(); c != lost.end(); ++c) sums[c.key()] = sums.value(c.key()).toDouble() + c.value().toDouble();
      }
      causes = sums;
    }
    for (auto c = causes.begin(); c != causes.end(); ++c)
      if (c.key() != "total") add(loss, QString(c.key()).replace('_', ' '), fmt::count(c.value().toDouble()));
    if (causes.contains("total")) add(loss, "total", fmt::count(causes.value("total").toDouble()));
    if (loss->rowCount() == 0) add(loss, "\u2014", "not available");
  }

  // Fault events.
  QStandardItem* ev = nullptr;
  for (const FaultEvent& f : d.events) {
    if (!name.isEmpty() && f.target != name) continue;
    if (!ev) ev = section("Events");
    add(ev, fmt::seconds(f.time), f.action + (name.isEmpty() ? " " + f.target : "") +
                                       (f.duration > 0 ? " for " + fmt::seconds(f.duration) : "") +
                                       (f.detail.isEmpty() ? "" : " " + f.detail),
        palette::failed_mark());
  }
}

}  // namespace edgetwin::gui
