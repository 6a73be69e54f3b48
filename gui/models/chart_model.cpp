// gui/models/chart_model.cpp — see chart_model.hpp.
#include "gui/models/chart_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "gui/data/decimate.hpp"
#include "gui/models/palette.hpp"

namespace edgetwin::gui {
namespace {

QString short_time_axis() { return "simulated time (s)"; }

}  // namespace

void ChartModel::set_data(const RunData* run) {
  run_ = run;
  selection_.clear();
  emit changed();
}

void ChartModel::set_selection(const QString& entity) {
  if (entity == selection_) return;
  selection_ = entity;
  emit changed();
}

QString ChartModel::kind_of(const QString& entity) const {
  if (!run_ || entity.isEmpty()) return {};
  if (const Vertex* v = run_->vertex(entity)) return v->kind;
  if (const Edge* e = run_->edge(entity)) return e->kind;
  const int hash = entity.lastIndexOf('#');  // a device of an expanded group: show the group
  if (hash > 0 && run_->vertex(entity.left(hash))) return "device";
  return {};
}

QList<QPointF> ChartModel::points(const QString& entity, const QString& metric, double scale) const {
  const Series* s = run_ ? run_->series.find(entity, metric) : nullptr;
  return s ? decimate_min_max(*s, buckets_, 0, -1, scale) : QList<QPointF>{};
}

QList<QPointF> ChartModel::summed(const QStringList& entities, const QString& metric, double scale) const {
  const std::vector<double>& times = run_->series.times();
  std::vector<double> sums(times.size(), 0.0);
  for (const QString& e : entities) {
    const Series* s = run_->series.find(e, metric);
    if (!s) continue;
    std::size_t j = 0;
    for (std::size_t i = 0; i < s->size(); ++i) {
      const double t = (*s)[i].t;
      while (j < times.size() && times[j] < t) ++j;
      if (j < times.size()) sums[j] += (*s)[i].v;
    }
  }
  Series total(times.size() + 1);
  for (std::size_t i = 0; i < times.size(); ++i) total.append(times[i], sums[i]);
  return decimate_min_max(total, buckets_, 0, -1, scale);
}

QStringList ChartModel::groups() const {
  QStringList out;
  if (!run_) return out;
  for (const Vertex& v : run_->vertices)
    if (v.kind == "device_group") out << v.name;
  return out;
}

// The n entities with the highest whole-run utilization (or peak of their series).
QStringList ChartModel::busiest(const QStringList& entities, int n) const {
  std::vector<std::pair<double, QString>> keyed;
  for (const QString& e : entities) {
    double u = run_->node_kpis(e).value("utilization").toDouble(-1);
    if (u < 0) u = run_->link_kpis(e).value("utilization").toDouble(-1);
    if (u < 0)
      if (const Series* s = run_->series.find(e, "utilization"))
        for (std::size_t i = 0; i < s->size(); ++i) u = std::max(u, (*s)[i].v);
    keyed.push_back({u, e});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](auto& a, auto& b) { return a.first > b.first; });
  QStringList out;
  for (std::size_t i = 0; i < keyed.size() && int(i) < n; ++i) out << keyed[i].second;
  return out;
}

void ChartModel::fit(ChartSpec& spec) const {
  double x0 = std::numeric_limits<double>::max(), x1 = std::numeric_limits<double>::lowest();
  double y1 = 0;
  for (const ChartSeries& s : spec.series)
    for (const QPointF& p : s.points) {
      x0 = std::min(x0, p.x());
      x1 = std::max(x1, p.x());
      if (std::isfinite(p.y())) y1 = std::max(y1, p.y());
    }
  if (spec.time_axis && run_) {
    x0 = 0;
    const std::vector<double>& times = run_->series.times();
    const double last = times.empty() ? 0 : times.back() + run_->interval();
    x1 = std::max({last, run_->duration, 1.0});
  }
  if (x0 > x1) {
    x0 = 0;
    x1 = 1;
  }
  if (x1 <= x0) x1 = x0 + 1;
  spec.x_min = x0;
  spec.x_max = x1;
  spec.y_min = 0;
  spec.y_max = y1 > 0 ? y1 * 1.12 : 1;
}

ChartSpec ChartModel::throughput() const {
  ChartSpec spec;
  spec.id = "throughput";
  spec.x_title = short_time_axis();
  if (!run_) return spec;
  const double interval = run_->interval() > 0 ? run_->interval() : 1;
  QString entity = selection_;
  QString kind = kind_of(entity);
  if (kind == "device") {
    entity = entity.left(entity.lastIndexOf('#'));
    kind = "device_group";
  }
  if (kind == "device_group") {
    spec.title = "Throughput \u2014 " + entity;
    spec.y_title = "deliveries / s";
    spec.series.push_back({"delivered", points(entity, "delivered", 1 / interval), palette::series(0)});
    spec.series.push_back({"lost", points(entity, "lost", 1 / interval), palette::failed_mark()});
    spec.series.push_back({"sent (messages)", points(entity, "sent", 1 / interval), palette::series(6), true});
  } else if (kind == "link") {
    const Edge* e = run_->edge(entity);
    spec.title = "Throughput \u2014 link " + entity;
    spec.y_title = "Mbit/s";
    spec.series.push_back({"carried", points(entity, "utilization", e->bandwidth * 8 / 1e6), palette::series(0)});
    spec.series.push_back({"capacity", {QPointF(0, e->bandwidth * 8 / 1e6), QPointF(std::max(run_->duration, 1.0), e->bandwidth * 8 / 1e6)},
                           palette::series(6), true});
  } else if (kind == "service" && run_->series.find(entity, "replicas")) {
    // A paas service: its pods over time (ready, what the HPA wants, and those nothing can host).
    spec.title = "Pods \u2014 " + entity;
    spec.y_title = "pods (end of each interval)";
    spec.series.push_back({"ready", points(entity, "replicas", 1), palette::series(0)});
    spec.series.push_back({"desired", points(entity, "desired_replicas", 1), palette::series(6), true});
    spec.series.push_back({"pending", points(entity, "pending_pods", 1), palette::failed_mark()});
  } else if (!kind.isEmpty() && kind != "access" && kind != "hosts") {
    spec.title = "Queue peak \u2014 " + entity;
    spec.y_title = "messages waiting (peak per interval)";
    spec.series.push_back({"queue peak", points(entity, "queue_peak", 1), palette::series(0)});
    if (spec.series.back().points.isEmpty()) spec.note = "no per-interval queue data for " + entity;
  } else {
    spec.title = "Throughput \u2014 all device groups";
    spec.y_title = "deliveries / s";
    const QStringList all = groups();
    spec.series.push_back({"delivered", summed(all, "delivered", 1 / interval), palette::series(0)});
    spec.series.push_back({"lost", summed(all, "lost", 1 / interval), palette::failed_mark()});
  }
  fit(spec);
  if (spec.series.empty() || spec.series.front().points.isEmpty())
    if (spec.note.isEmpty()) spec.note = "no time series";
  return spec;
}

ChartSpec ChartModel::latency() const {
  ChartSpec spec;
  spec.id = "latency";
  spec.x_title = short_time_axis();
  spec.y_title = "end-to-end latency (ms)";
  if (!run_) return spec;
  QString entity = selection_;
  QString kind = kind_of(entity);
  if (kind == "device") {
    entity = entity.left(entity.lastIndexOf('#'));
    kind = "device_group";
  }
  if (kind == "device_group") {
    spec.title = "Latency \u2014 " + entity;
    spec.series.push_back({"mean per interval", points(entity, "latency_mean", 1000), palette::series(0)});
    spec.series.push_back({"max per interval", points(entity, "latency_max", 1000), palette::series(1)});
    const QJsonObject lat = run_->group_kpis(entity).value("latency").toObject();
    const double end = std::max(run_->duration, 1.0);
    int c = 2;
    for (const char* q : {"p50", "p95", "p99"}) {
      if (!lat.contains(q)) continue;
      const double v = lat.value(q).toDouble() * 1000;
      spec.series.push_back({QString("run %1").arg(q), {QPointF(0, v), QPointF(end, v)}, palette::series(c++), true});
    }
    for (const SloVerdict* s : run_->slos_of(entity))
      if (s->metric.startsWith("latency.") && std::isfinite(s->limit))
        spec.series.push_back({"SLO " + s->metric + (s->is_max ? " \u2264 " : " \u2265 ") + QString::number(s->limit * 1000) + " ms",
                               {QPointF(0, s->limit * 1000), QPointF(end, s->limit * 1000)},
                               palette::slo_fail_border(),
                               true});
    spec.note = "per interval the results hold the mean and max; p50/p95/p99 are over the whole run";
  } else {
    spec.title = "Latency \u2014 mean per interval, by device group";
    QStringList gs = groups();
    if (gs.size() > kMaxSeries) {  // the slowest groups by p99
      std::vector<std::pair<double, QString>> keyed;
      const QJsonObject all = run_->summary.value("groups").toObject();
      for (const QString& g : gs) keyed.push_back({all.value(g).toObject().value("latency").toObject().value("p99").toDouble(), g});
      std::partial_sort(keyed.begin(), keyed.begin() + kMaxSeries, keyed.end(),
                        [](const auto& a, const auto& b) { return a.first > b.first; });
      gs.clear();
      for (int i = 0; i < kMaxSeries; ++i) gs << keyed[std::size_t(i)].second;
      spec.note = QString("the %1 groups with the highest p99").arg(kMaxSeries);
    }
    int c = 0;
    for (const QString& g : gs) spec.series.push_back({g, points(g, "latency_mean", 1000), palette::series(c++)});
  }
  fit(spec);
  return spec;
}

ChartSpec ChartModel::utilization() const {
  ChartSpec spec;
  spec.id = "utilization";
  spec.x_title = short_time_axis();
  spec.y_title = "utilization (%)";
  if (!run_) return spec;
  QString entity = selection_;
  QString kind = kind_of(entity);
  if (kind == "device") {
    entity = entity.left(entity.lastIndexOf('#'));
    kind = "device_group";
  }
  QStringList shown;
  if (kind == "device_group") {
    spec.title = "Utilization \u2014 gateways of " + entity;
    for (const Edge& e : run_->edges)
      if (e.kind == "access" && e.a == entity) shown << e.b;
  } else if (kind == "cloud_node") {
    spec.title = "Utilization \u2014 services on " + entity;
    for (const Service& s : run_->services)
      if (s.node == entity) shown << s.name;
  } else if (!kind.isEmpty() && kind != "router" && kind != "access" && kind != "hosts") {
    spec.title = "Utilization \u2014 " + entity;
    shown << entity;
  } else {
    QStringList candidates = run_->summary.value("nodes").toObject().keys();
    if (candidates.isEmpty())
      for (const Vertex& v : run_->vertices)
        if (v.kind != "device_group" && v.kind != "router" && v.kind != "cloud_node") candidates << v.name;
    shown = busiest(candidates, kMaxSeries);
    spec.title = QString("Utilization \u2014 the %1 busiest nodes").arg(shown.size());
  }
  int c = 0;
  for (const QString& e : shown) spec.series.push_back({e, points(e, "utilization", 100), palette::series(c++)});
  fit(spec);
  spec.y_max = std::max(spec.y_max, 10.0);
  if (shown.isEmpty()) spec.note = "no utilization for this selection";
  return spec;
}

ChartSpec ChartModel::latency_cdf() const {
  ChartSpec spec;
  spec.id = "latency-cdf";
  spec.title = "Latency CDF per device group (whole run)";
  spec.x_title = "end-to-end latency (ms)";
  spec.y_title = "fraction of deliveries";
  spec.time_axis = false;
  if (!run_) return spec;
  QString entity = selection_;
  if (kind_of(entity) == "device") entity = entity.left(entity.lastIndexOf('#'));
  QStringList gs = kind_of(entity) == "device_group" ? QStringList{entity} : groups().mid(0, kMaxSeries);
  if (gs.size() == 1) spec.title = "Latency CDF \u2014 " + gs.front();
  double x_max = 0;
  int c = 0;
  std::map<std::pair<QString, double>, std::tuple<int, bool, QColor>> slo_lines;  // (metric, ms) -> groups, all pass, colour
  for (const QString& g : gs) {
    const QJsonObject lat = run_->group_kpis(g).value("latency").toObject();
    if (!lat.contains("p50")) continue;
    ChartSeries s{g, {}, palette::series(c++), false, true};
    const std::pair<const char*, double> quantiles[] = {{"min", 0.0}, {"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}, {"max", 1.0}};
    for (const auto& [key, q] : quantiles)
      if (lat.contains(key)) s.points.push_back(QPointF(lat.value(key).toDouble() * 1000, q));
    for (const QPointF& p : s.points) x_max = std::max(x_max, p.x());
    spec.series.push_back(s);
    for (const SloVerdict* v : run_->slos_of(g)) {
      if (!v->metric.startsWith("latency.") || !std::isfinite(v->limit)) continue;
      x_max = std::max(x_max, v->limit * 1000);
      auto& [count, pass, color] = slo_lines[{v->metric, v->limit * 1000}];
      ++count;
      pass = count == 1 ? v->pass : pass && v->pass;
      if (count == 1) color = s.color;
    }
  }
  // One line per distinct latency bound (groups sharing an SLO share its line).
  for (const auto& [key, line] : slo_lines) {
    const auto& [metric, x] = key;
    const auto& [count, pass, color] = line;
    const QString who = gs.size() == 1 ? QString() : count == 1 ? QString(", 1 group") : QString(", %1 groups").arg(count);
    spec.series.push_back({QString("SLO %1 \u2264 %2 ms (%3%4)").arg(metric.mid(8)).arg(x).arg(pass ? "pass" : "FAIL", who),
                           {QPointF(x, 0), QPointF(x, 1)},
                           pass ? (count == 1 ? color : palette::series(6)) : palette::slo_fail_border(),
                           true});
  }
  spec.x_min = 0;
  spec.x_max = x_max > 0 ? x_max * 1.08 : 1;
  spec.y_min = 0;
  spec.y_max = 1.02;
  spec.note = spec.series.empty() ? "no latency percentiles (summary.json missing?)"
                                  : "through min, p50, p95, p99 and max of the run (no histogram in the results yet)";
  return spec;
}

}  // namespace edgetwin::gui
