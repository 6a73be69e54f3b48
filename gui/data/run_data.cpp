// gui/data/run_data.cpp — see run_data.hpp.
#include "gui/data/run_data.hpp"

#include <limits>

namespace edgetwin::gui {

const Vertex* RunData::vertex(const QString& name) const {
  for (const Vertex& v : vertices)
    if (v.name == name) return &v;
  return nullptr;
}

const Edge* RunData::edge(const QString& name) const {
  for (const Edge& e : edges)
    if (e.name == name) return &e;
  return nullptr;
}

QJsonObject RunData::group_kpis(const QString& name) const {
  return summary.value("groups").toObject().value(name).toObject();
}
QJsonObject RunData::node_kpis(const QString& name) const {
  return summary.value("nodes").toObject().value(name).toObject();
}
QJsonObject RunData::link_kpis(const QString& name) const {
  return summary.value("links").toObject().value(name).toObject();
}
QJsonObject RunData::totals() const { return summary.value("totals").toObject(); }

bool RunData::failed_at(const QString& target, double t) const {
  bool failed = false;
  for (const FaultEvent& e : events) {  // events are sorted by time
    if (e.target != target || e.time > t) continue;
    if (e.action == "restore") {
      failed = false;
    } else if (e.action == "crash" || e.action == "partition") {
      failed = e.duration <= 0 || t < e.time + e.duration;
    }
  }
  return failed;
}

bool RunData::ever_failed(const QString& target) const {
  for (const FaultEvent& e : events)
    if (e.target == target && (e.action == "crash" || e.action == "partition")) return true;
  return false;
}

std::vector<const SloVerdict*> RunData::slos_of(const QString& scope) const {
  std::vector<const SloVerdict*> out;
  for (const SloVerdict& s : slos)
    if (scope.isEmpty() || s.scope == scope) out.push_back(&s);
  return out;
}

void parse_bound(const QString& bound, double& limit, bool& is_max) {
  const QStringList parts = bound.split(' ', Qt::SkipEmptyParts);
  is_max = !parts.isEmpty() && parts[0] == "max";
  bool ok = false;
  limit = parts.size() > 1 ? parts[1].toDouble(&ok) : 0;
  if (!ok) limit = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace edgetwin::gui
