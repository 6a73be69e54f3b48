// gui/data/run_data.hpp — one run as the viewer sees it: the platform graph (topology.json), the
// KPIs and SLO verdicts (summary.json), the manifest, optional fault events and the time series.
// Filled by a DataSource (a results folder today, the live twin later); read by the models.
#pragma once

#include <optional>
#include <vector>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "gui/data/time_series.hpp"

namespace edgetwin::gui {

/// A vertex of topology.json, plus the services (which results report as nodes).
struct Vertex {
  QString name;
  QString kind;  // device_group, gateway, router, load_balancer, broker, cloud_node, service
  int tier = 0;  // 0 devices, 1 gateways, 2 routers, 3 load balancer, 4 brokers, 5 cloud, 6 services
  qint64 count = 0;  // devices in a device group
};

/// An edge of topology.json: a wired link, a device group's access attachment, or (added by the
/// loader) a service hosted on a cloud node.
struct Edge {
  QString kind;  // link, access, hosts
  QString name;
  QString a, b;
  double bandwidth = 0;  // bytes/s
  double latency = 0;    // s
};

struct Service {
  QString name;
  QString node;
  QStringList subscribe;
};

/// A fault or state-change event. Results carry none yet: the loader reads an optional array
/// (`events`, `faults` or `fault_events`) from summary.json or manifest.json.
struct FaultEvent {
  double time = 0;
  double duration = 0;  // 0 = until a restore event or the end of the run
  QString target;
  QString action;  // crash, restore, degrade, partition, ...
  QString detail;
};

struct SloVerdict {
  QString label;  // "latency.p99[plant-north/wearables]"
  QString metric;
  QString scope;
  QString bound;  // "max 0.1"
  double value = 0;
  double limit = 0;  // the number in `bound`
  bool is_max = true;
  bool pass = true;
};

struct RunData {
  QString folder;
  QString scenario;
  QJsonObject manifest;
  QJsonObject summary;  // empty when summary.json is missing or unreadable
  std::vector<Vertex> vertices;
  std::vector<Edge> edges;
  std::vector<Service> services;
  std::vector<SloVerdict> slos;
  std::vector<FaultEvent> events;
  TimeSeriesStore series;
  double duration = 0;       // simulated duration (summary), else the last sample time
  double warmup = 0;

  const Vertex* vertex(const QString& name) const;
  const Edge* edge(const QString& name) const;
  /// summary.json sections; empty objects when absent.
  QJsonObject group_kpis(const QString& name) const;
  QJsonObject node_kpis(const QString& name) const;
  QJsonObject link_kpis(const QString& name) const;
  QJsonObject totals() const;
  /// Is `target` failed at time t according to the events (crash ... restore, or crash with `for`)?
  bool failed_at(const QString& target, double t) const;
  /// Was `target` failed at any time of the run?
  bool ever_failed(const QString& target) const;
  std::vector<const SloVerdict*> slos_of(const QString& scope) const;
  /// Interval length of the time series (0 when none).
  double interval() const { return series.interval(); }
};

/// Parses the number in an SLO bound ("max 0.1" -> 0.1, is_max).
void parse_bound(const QString& bound, double& limit, bool& is_max);

}  // namespace edgetwin::gui
