// gui/models/topology_model.cpp — see topology_model.hpp.
#include "gui/models/topology_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gui/models/palette.hpp"

namespace edgetwin::gui {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString percent(double v, int decimals = 0) { return QString::number(v * 100, 'f', decimals) + "%"; }

bool has_utilization(const QString& kind) {
  return kind == "gateway" || kind == "load_balancer" || kind == "broker" || kind == "service";
}

}  // namespace

void TopologyModel::set_data(const RunData* run, const RunData* baseline) {
  run_ = run;
  baseline_ = run ? baseline : nullptr;
  expanded_.clear();
  time_ = kNaN;
  beginResetModel();
  rebuild();
  endResetModel();
  emit edges_changed();
}

void TopologyModel::set_time(double t) {
  if ((std::isnan(t) && std::isnan(time_)) || t == time_) return;
  time_ = t;
  refresh_values();
  if (!nodes_.empty()) emit dataChanged(index(0), index(int(nodes_.size()) - 1));
  emit edges_changed();
}

void TopologyModel::set_expanded(const QString& group, bool expanded) {
  const int row = row_of(group);
  if (row < 0 || nodes_[std::size_t(row)].kind != "device_group") return;
  if (expanded == (expanded_.count(group) > 0)) return;
  if (expanded) {
    expanded_.insert(group);
  } else {
    expanded_.erase(group);
  }
  beginResetModel();
  rebuild();
  endResetModel();
  emit edges_changed();
}

void TopologyModel::rebuild() {
  nodes_.clear();
  edges_.clear();
  row_of_.clear();
  edge_of_.clear();
  hosted_.clear();
  if (!run_) return;

  auto add_node = [&](const Vertex& v, Presence p) {
    TopologyNode n;
    n.name = v.name;
    n.kind = v.kind;
    n.tier = v.tier;
    n.count = v.count;
    n.presence = p;
    row_of_.insert(n.name, int(nodes_.size()));
    nodes_.push_back(n);
  };
  for (const Vertex& v : run_->vertices) add_node(v, baseline_ && !baseline_->vertex(v.name) ? Presence::added : Presence::both);
  if (baseline_)
    for (const Vertex& v : baseline_->vertices)
      if (!row_of_.contains(v.name)) add_node(v, Presence::removed);

  auto add_edge = [&](const Edge& e, Presence p) {
    TopologyEdge te;
    te.a = row_of(e.a);
    te.b = row_of(e.b);
    te.name = e.name;
    te.kind = e.kind;
    te.presence = p;
    if (te.a < 0 || te.b < 0) return;
    edge_of_.insert(te.name, int(edges_.size()));
    edges_.push_back(te);
  };
  for (const Edge& e : run_->edges) add_edge(e, baseline_ && !baseline_->edge(e.name) ? Presence::added : Presence::both);
  if (baseline_)
    for (const Edge& e : baseline_->edges)
      if (!edge_of_.contains(e.name)) add_edge(e, Presence::removed);
  for (const RunData* d : {run_, baseline_})
    if (d)
      for (const Service& s : d->services)
        if (!hosted_.value(s.node).contains(s.name)) hosted_[s.node].push_back(s.name);

  // Expanded device groups show their first devices; device k uses gateways[k mod n].
  const int group_rows = int(nodes_.size());
  for (int g = 0; g < group_rows; ++g) {
    TopologyNode& group = nodes_[std::size_t(g)];
    if (group.kind != "device_group" || !expanded_.count(group.name)) continue;
    group.expanded = true;
    std::vector<int> gateways;
    for (const TopologyEdge& e : edges_)
      if (e.kind == "access" && e.a == g && e.b >= 0) gateways.push_back(e.b);
    const qint64 shown = std::min<qint64>(group.count, kMaxDevicesShown);
    // nodes_ grows below, which invalidates `group`: keep what is needed (ASan: heap-use-after-free).
    const QString group_name = group.name;
    for (qint64 k = 0; k < shown; ++k) {
      TopologyNode d;
      d.name = group_name + "#" + QString::number(k);
      d.kind = "device";
      d.tier = -1;
      d.count = 1;
      d.parent = g;
      d.device_index = int(k);
      d.presence = nodes_[std::size_t(g)].presence;
      row_of_.insert(d.name, int(nodes_.size()));
      nodes_.push_back(d);
      TopologyEdge link;
      link.a = int(nodes_.size()) - 1;
      link.b = gateways.empty() ? g : gateways[std::size_t(k) % gateways.size()];
      link.kind = "access";
      link.name = d.name + "->" + nodes_[std::size_t(link.b)].name;
      edge_of_.insert(link.name, int(edges_.size()));
      edges_.push_back(link);
    }
  }
  layout();
  probes_.assign(nodes_.size(), Probe{});
  base_probes_.assign(nodes_.size(), Probe{});
  for (std::size_t r = 0; r < nodes_.size(); ++r) {
    TopologyNode& n = nodes_[r];
    if (n.kind == "device") continue;
    if (n.presence != Presence::removed) probes_[r] = probe(*run_, n);
    if (baseline_) base_probes_[r] = probe(*baseline_, n);
    n.slo_failed = false;  // verdicts are for the whole run: they do not change with time
    for (const SloVerdict* s : (n.presence == Presence::removed ? *baseline_ : *run_).slos_of(n.name))
      if (!s->pass) n.slo_failed = true;
  }
  link_series_.assign(edges_.size(), nullptr);
  base_link_series_.assign(edges_.size(), nullptr);
  for (std::size_t i = 0; i < edges_.size(); ++i) {
    if (edges_[i].kind != "link") continue;
    link_series_[i] = run_->series.find(edges_[i].name, "utilization");
    if (baseline_) base_link_series_[i] = baseline_->series.find(edges_[i].name, "utilization");
  }
  refresh_values();
}

// Columns by tier; within a column, order by the mean position of neighbours already placed
// (gateways first, in declaration order, so sites stay together), which keeps crossings few.
void TopologyModel::layout() {
  std::map<int, std::vector<int>> columns;  // tier -> rows (devices handled with their group)
  for (int r = 0; r < int(nodes_.size()); ++r)
    if (nodes_[std::size_t(r)].kind != "device") columns[nodes_[std::size_t(r)].tier].push_back(r);
  std::vector<std::vector<int>> adjacent(nodes_.size());
  for (const TopologyEdge& e : edges_) {
    adjacent[std::size_t(e.a)].push_back(e.b);
    adjacent[std::size_t(e.b)].push_back(e.a);
  }
  std::vector<double> order(nodes_.size(), kNaN);
  auto place = [&](std::vector<int>& rows) {
    std::vector<std::pair<double, int>> keyed;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double sum = 0;
      int n = 0;
      for (int a : adjacent[std::size_t(rows[i])])
        if (!std::isnan(order[std::size_t(a)])) {
          sum += order[std::size_t(a)];
          ++n;
        }
      keyed.push_back({n ? sum / n : 1e9 + double(i), rows[i]});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](auto& x, auto& y) { return x.first < y.first; });
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      rows[i] = keyed[i].second;
      order[std::size_t(rows[i])] = rows.size() > 1 ? double(i) / double(rows.size() - 1) : 0.5;
    }
  };
  std::vector<int> sequence;
  if (columns.count(1)) sequence.push_back(1);
  for (auto& [tier, rows] : columns)
    if (tier != 1) sequence.push_back(tier);
  for (int tier : sequence) place(columns[tier]);

  // Slot heights: an expanded group needs room for its devices.
  auto slot = [&](int r) {
    const TopologyNode& n = nodes_[std::size_t(r)];
    if (!n.expanded) return kRowHeight;
    return std::max(kRowHeight, double(std::min<qint64>(n.count, kMaxDevicesShown)) * kDeviceRowHeight + 20);
  };
  int column = 0;
  const bool any_expanded = !expanded_.empty();
  for (auto& [tier, rows] : columns) {
    const double x = (column + (any_expanded ? 1 : 0)) * kColumnWidth;
    double height = 0;
    for (int r : rows) height += slot(r);
    double y = -height / 2;
    for (int r : rows) {
      TopologyNode& n = nodes_[std::size_t(r)];
      const double h = slot(r);
      n.pos = QPointF(x, y + h / 2);
      y += h;
    }
    ++column;
  }
  for (TopologyNode& d : nodes_) {
    if (d.kind != "device") continue;
    const TopologyNode& g = nodes_[std::size_t(d.parent)];
    const double m = double(std::min<qint64>(g.count, kMaxDevicesShown));
    d.pos = QPointF(g.pos.x() - kColumnWidth * 0.8, g.pos.y() + (d.device_index - (m - 1) / 2) * kDeviceRowHeight);
  }
}

TopologyModel::Probe TopologyModel::probe(const RunData& d, const TopologyNode& n) const {
  Probe p;
  p.util = d.series.find(n.name, "utilization");
  p.delivered = d.series.find(n.name, "delivered");
  p.lost = d.series.find(n.name, "lost");
  if (n.kind == "cloud_node")
    for (const QString& s : hosted_.value(n.name)) p.hosted.push_back(d.series.find(s, "utilization"));
  return p;
}

double TopologyModel::utilization(const RunData& d, const QString& name, const Series* s) const {
  if (std::isnan(time_)) {
    const QJsonValue v = d.node_kpis(name).value("utilization");
    return v.isDouble() ? v.toDouble() : kNaN;
  }
  return s ? s->value_at(time_, kNaN) : kNaN;
}

double TopologyModel::link_load(const RunData& d, const QString& name, const Series* s) const {
  if (std::isnan(time_)) {
    const QJsonValue v = d.link_kpis(name).value("utilization");
    return v.isDouble() ? v.toDouble() : kNaN;
  }
  return s ? s->value_at(time_, kNaN) : kNaN;
}

// Stress in [0, 1] drives the colour; `value` is what the label shows (utilization or loss ratio).
double TopologyModel::node_stress(const RunData& d, const TopologyNode& n, const Probe& p, double& value) const {
  value = kNaN;
  if (has_utilization(n.kind)) {
    value = utilization(d, n.name, p.util);
    return value;
  }
  if (n.kind == "cloud_node") {  // services on the node share its cores: their utilizations add up
    double sum = 0;
    bool any = false;
    const QStringList services = hosted_.value(n.name);
    for (int i = 0; i < services.size(); ++i) {
      const double u = utilization(d, services[i], i < int(p.hosted.size()) ? p.hosted[std::size_t(i)] : nullptr);
      if (!std::isnan(u)) {
        sum += u;
        any = true;
      }
    }
    value = any ? std::min(sum, 1.0) : kNaN;
    return value;
  }
  if (n.kind == "device_group") {
    if (std::isnan(time_)) {
      const QJsonObject g = d.group_kpis(n.name);
      if (!g.contains("loss_ratio")) return kNaN;
      value = g.value("loss_ratio").toDouble();
    } else {
      const double delivered = p.delivered ? p.delivered->value_at(time_, kNaN) : kNaN;
      const double lost = p.lost ? p.lost->value_at(time_, kNaN) : kNaN;
      if (std::isnan(delivered) || std::isnan(lost)) return kNaN;
      value = delivered + lost > 0 ? lost / (delivered + lost) : 0;
    }
    return std::min(1.0, value / palette::kLossAtFullScale);
  }
  return kNaN;
}

void TopologyModel::refresh_values() {
  if (!run_) return;
  const bool whole_run = std::isnan(time_);
  const bool any_events = !run_->events.empty() || (baseline_ && !baseline_->events.empty());
  for (std::size_t r = 0; r < nodes_.size(); ++r) {
    TopologyNode& n = nodes_[r];
    if (n.kind == "device") continue;  // after their groups
    const bool removed = n.presence == Presence::removed;
    const RunData& here = removed ? *baseline_ : *run_;
    n.stress = node_stress(here, n, removed ? base_probes_[r] : probes_[r], n.value);
    n.failed = any_events && (whole_run ? here.ever_failed(n.name) : here.failed_at(n.name, time_));
    if (baseline_ && n.presence == Presence::both) {
      double base_value = kNaN;
      const double base = node_stress(*baseline_, n, base_probes_[r], base_value);
      n.delta = n.stress - base;
    } else {
      n.delta = kNaN;
    }
  }
  for (TopologyNode& d : nodes_) {
    if (d.kind != "device") continue;
    const TopologyNode& g = nodes_[std::size_t(d.parent)];
    d.stress = g.stress;
    d.value = g.value;
    d.delta = g.delta;
    d.failed = any_events && (std::isnan(time_) ? run_->ever_failed(d.name) : run_->failed_at(d.name, time_));
  }
  for (TopologyNode& n : nodes_) {
    const bool compare = baseline_ != nullptr;
    if (n.failed) {
      n.fill = palette::failed_fill();
    } else if (n.presence == Presence::removed) {
      n.fill = palette::removed_fill();
    } else if (compare) {
      n.fill = n.presence == Presence::added ? palette::stress(n.stress) : palette::delta(n.delta);
    } else {
      n.fill = palette::stress(n.stress);
    }
    n.border = n.failed || n.slo_failed ? palette::slo_fail_border()
               : n.presence == Presence::added ? palette::added_border()
                                                : palette::normal_border();
    QString label;
    if (n.kind == "device_group") label = QString::fromUtf8("\u00d7%1").arg(n.count);
    if (n.kind == "device") label = "device " + QString::number(n.device_index);
    if (n.failed) {
      label = label.isEmpty() ? "FAILED" : label + " \u00b7 FAILED";
    } else if (n.presence == Presence::removed) {
      label = (label.isEmpty() ? "" : label + " \u00b7 ") + "removed";
    } else if (compare && n.presence == Presence::added) {
      label = (label.isEmpty() ? "" : label + " \u00b7 ") + "added";
    } else if (compare && !std::isnan(n.delta) && n.kind != "device") {
      const QString d = QString("%1%2 pp").arg(n.delta >= 0 ? "+" : "").arg(n.delta * 100, 0, 'f', 1);
      label = label.isEmpty() ? d : label + " \u00b7 " + d;
    } else if (!std::isnan(n.value) && n.kind != "device") {
      const QString v = n.kind == "device_group" ? "loss " + percent(n.value, 1) : percent(n.value);
      label = label.isEmpty() ? v : label + " \u00b7 " + v;
    }
    n.label = label;
  }
  for (std::size_t i = 0; i < edges_.size(); ++i) {
    TopologyEdge& e = edges_[i];
    const bool removed = e.presence == Presence::removed;
    const RunData& here = removed ? *baseline_ : *run_;
    e.failed = any_events && (std::isnan(time_) ? here.ever_failed(e.name) : here.failed_at(e.name, time_));
    e.load = e.kind == "link" ? link_load(here, e.name, removed ? base_link_series_[i] : link_series_[i]) : kNaN;
    e.delta = baseline_ && e.presence == Presence::both && e.kind == "link"
                  ? e.load - link_load(*baseline_, e.name, base_link_series_[i])
                  : kNaN;
    if (e.kind != "link") {
      e.color = palette::access_edge();
      e.width = 1;
    } else if (e.failed) {
      e.color = palette::failed_mark();
      e.width = 2;
    } else if (e.presence == Presence::removed) {
      e.color = palette::removed_fill().darker(130);
      e.width = 1.5;
    } else {
      e.color = baseline_ && e.presence == Presence::both ? palette::delta(e.delta) : palette::stress(e.load);
      if (std::isnan(e.load)) e.color = palette::no_data().darker(115);
      e.width = 2 + 6 * (std::isnan(e.load) ? 0 : std::clamp(e.load, 0.0, 1.0));
    }
  }
}

int TopologyModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(nodes_.size()); }

QVariant TopologyModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(nodes_.size())) return {};
  const TopologyNode& n = nodes_[std::size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case NameRole:
      return n.name;
    case Qt::ToolTipRole:
      return n.name + "\n" + n.kind + (n.label.isEmpty() ? "" : "\n" + n.label);
    case Qt::DecorationRole:
    case FillRole:
      return n.fill;
    case KindRole:
      return n.kind;
    case TierRole:
      return n.tier;
    case CountRole:
      return n.count;
    case PositionRole:
      return n.pos;
    case BorderRole:
      return n.border;
    case StressRole:
      return n.stress;
    case ValueRole:
      return n.value;
    case DeltaRole:
      return n.delta;
    case FailedRole:
      return n.failed;
    case SloFailedRole:
      return n.slo_failed;
    case ExpandedRole:
      return n.expanded;
    case ParentRole:
      return n.parent;
    case LabelRole:
      return n.label;
    case PresenceRole:
      return int(n.presence);
    default:
      return {};
  }
}

QHash<int, QByteArray> TopologyModel::roleNames() const {
  return {{NameRole, "name"},       {KindRole, "kind"},         {TierRole, "tier"},          {CountRole, "count"},
          {PositionRole, "position"}, {FillRole, "fill"},       {BorderRole, "border"},      {StressRole, "stress"},
          {ValueRole, "value"},     {DeltaRole, "delta"},       {FailedRole, "failed"},      {SloFailedRole, "sloFailed"},
          {ExpandedRole, "expanded"}, {ParentRole, "parentRow"}, {LabelRole, "label"},       {PresenceRole, "presence"}};
}

int TopologyModel::row_of(const QString& name) const { return row_of_.value(name, -1); }
int TopologyModel::edge_of(const QString& name) const { return edge_of_.value(name, -1); }

QRectF TopologyModel::bounds() const {
  QRectF r;
  for (const TopologyNode& n : nodes_) r |= QRectF(n.pos - QPointF(1, 1), QSizeF(2, 2));
  return r;
}

}  // namespace edgetwin::gui
