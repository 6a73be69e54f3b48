// gui/models/topology_model.hpp — the platform graph as the topology view draws it: one row per
// node (device groups as one node with their count, expandable into their first devices), laid out
// in columns by tier (device groups → gateways → routers → load balancer → brokers → cloud →
// services), coloured by utilization (nodes), loss (device groups) and health (failed, SLO
// failing), at the timeline's time or over the whole run. Edges are a side table (edges()).
// In compare mode (a baseline given) the graph is the union of both runs, coloured by the delta.
#pragma once

#include <limits>
#include <set>
#include <vector>

#include <QAbstractListModel>
#include <QColor>
#include <QPointF>
#include <QRectF>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

enum class Presence { both, added, removed };  // compare mode: in the what-if only / baseline only

struct TopologyNode {
  QString name;
  QString kind;
  int tier = 0;
  qint64 count = 0;
  QPointF pos;
  int parent = -1;        // devices: the row of their group
  int device_index = -1;  // devices: k in group#k
  double stress = std::numeric_limits<double>::quiet_NaN();  // utilization, or scaled loss for groups
  double value = std::numeric_limits<double>::quiet_NaN();   // utilization or loss ratio shown
  double delta = std::numeric_limits<double>::quiet_NaN();   // compare: what-if minus baseline stress
  bool failed = false;
  bool slo_failed = false;
  bool expanded = false;
  Presence presence = Presence::both;
  QColor fill, border;
  QString label;   // second line under the name: "33%", "×1500 · loss 0.5%", "+12.0 pp"
};

struct TopologyEdge {
  int a = -1, b = -1;  // rows
  QString name;
  QString kind;  // link, access, hosts
  double load = std::numeric_limits<double>::quiet_NaN();  // link utilization
  double delta = std::numeric_limits<double>::quiet_NaN();
  bool failed = false;
  Presence presence = Presence::both;
  QColor color;
  double width = 1;
};

class TopologyModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role {
    NameRole = Qt::UserRole + 1,
    KindRole,
    TierRole,
    CountRole,
    PositionRole,
    FillRole,
    BorderRole,
    StressRole,
    ValueRole,
    DeltaRole,
    FailedRole,
    SloFailedRole,
    ExpandedRole,
    ParentRole,
    LabelRole,
    PresenceRole,
  };
  static constexpr int kMaxDevicesShown = 8;
  static constexpr double kColumnWidth = 250;
  static constexpr double kRowHeight = 74;
  static constexpr double kDeviceRowHeight = 26;

  explicit TopologyModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  /// `run` is drawn; with `baseline`, the view shows the differences run - baseline. Both must
  /// outlive the model or be replaced by another set_data (nullptr clears).
  void set_data(const RunData* run, const RunData* baseline = nullptr);
  /// Simulated time whose interval is shown; NaN = the whole run (summary KPIs).
  void set_time(double t);
  double time() const { return time_; }
  bool compare_mode() const { return baseline_ != nullptr; }

  void set_expanded(const QString& group, bool expanded);
  bool expanded(const QString& group) const { return expanded_.count(group) > 0; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

  int row_of(const QString& name) const;
  const TopologyNode& node(int row) const { return nodes_[std::size_t(row)]; }
  const std::vector<TopologyNode>& nodes() const { return nodes_; }
  const std::vector<TopologyEdge>& edges() const { return edges_; }
  int edge_of(const QString& name) const;
  QRectF bounds() const;

 signals:
  /// Colours, loads or labels of edges changed (nodes use dataChanged).
  void edges_changed();

 private:
  void rebuild();
  void layout();
  void refresh_values();
  // Series a node's colour is read from, resolved once per rebuild (a timeline step is then a
  // binary search per series, no name lookups).
  struct Probe {
    const Series* util = nullptr;
    const Series* delivered = nullptr;
    const Series* lost = nullptr;
    std::vector<const Series*> hosted;  // cloud node: its services' utilization
  };
  Probe probe(const RunData& d, const TopologyNode& n) const;
  double node_stress(const RunData& d, const TopologyNode& n, const Probe& p, double& value) const;
  double link_load(const RunData& d, const QString& name, const Series* s) const;
  double utilization(const RunData& d, const QString& name, const Series* s) const;

  const RunData* run_ = nullptr;
  const RunData* baseline_ = nullptr;
  double time_ = std::numeric_limits<double>::quiet_NaN();
  std::set<QString> expanded_;
  std::vector<TopologyNode> nodes_;
  std::vector<TopologyEdge> edges_;
  QHash<QString, int> row_of_;
  QHash<QString, int> edge_of_;
  QHash<QString, QStringList> hosted_;  // cloud node -> services on it
  std::vector<Probe> probes_, base_probes_;               // per node: in run_, in baseline_
  std::vector<const Series*> link_series_, base_link_series_;  // per edge
};

}  // namespace edgetwin::gui
