// tests/gui/test_topology_model.cpp — the topology model behind the view: nodes and edges from a
// results fixture, layout by tier, colours from utilization/loss/health, the timeline changing
// what is shown, device group expansion, failed entities, and the compare-mode union.
#include <cmath>

#include <QSignalSpy>
#include <QtTest>

#include "gui/models/palette.hpp"
#include "gui/models/topology_model.hpp"
#include "gui_test_support.hpp"

using namespace edgetwin::gui;
using edgetwin::gui::test::load;

namespace {
QColor fill(const TopologyModel& m, const QString& name) {
  return m.data(m.index(m.row_of(name)), TopologyModel::FillRole).value<QColor>();
}
}  // namespace

class TopologyModelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QVERIFY(load("sf-baseline", base_).ok);
    QVERIFY(load("sf-whatif", whatif_).ok);
  }

  void nodes_and_edges_from_the_fixture() {
    TopologyModel m;
    m.set_data(&base_);
    QCOMPARE(m.rowCount(), 20);
    QCOMPARE(int(m.edges().size()), 26);
    QMap<QString, int> kinds;
    for (int r = 0; r < m.rowCount(); ++r) kinds[m.data(m.index(r), TopologyModel::KindRole).toString()]++;
    QCOMPARE(kinds["device_group"], 6);
    QCOMPARE(kinds["gateway"], 4);
    QCOMPARE(kinds["router"], 2);
    QCOMPARE(kinds["load_balancer"], 1);
    QCOMPARE(kinds["broker"], 3);
    QCOMPARE(kinds["cloud_node"], 2);
    QCOMPARE(kinds["service"], 2);
    int links = 0, access = 0;
    for (const TopologyEdge& e : m.edges()) (e.kind == "link" ? links : access)++;
    QCOMPARE(links, 15);
    QCOMPARE(m.data(m.index(m.row_of("plant-north/meters")), TopologyModel::CountRole).toLongLong(), 1500LL);
    QVERIFY(m.data(m.index(m.row_of("plant-north/meters")), TopologyModel::LabelRole).toString().contains("\u00d71500"));
  }

  void laid_out_left_to_right_by_tier() {
    TopologyModel m;
    m.set_data(&base_);
    QMap<int, double> x_of_tier;
    for (const TopologyNode& n : m.nodes()) {
      if (x_of_tier.contains(n.tier)) QCOMPARE(n.pos.x(), x_of_tier[n.tier]);  // one column per tier
      x_of_tier[n.tier] = n.pos.x();
    }
    double last = -1e9;
    for (double x : x_of_tier) {  // QMap iterates tiers in order
      QVERIFY(x > last);
      last = x;
    }
    // No two nodes of a column overlap.
    for (const TopologyNode& a : m.nodes())
      for (const TopologyNode& b : m.nodes())
        if (&a != &b && a.pos.x() == b.pos.x()) QVERIFY(std::fabs(a.pos.y() - b.pos.y()) >= TopologyModel::kRowHeight - 1e-9);
  }

  void whole_run_colours_from_the_summary() {
    TopologyModel m;
    m.set_data(&base_);
    const double u = base_.node_kpis("plant-north/gw-1").value("utilization").toDouble();
    QVERIFY(u > 0.3 && u < 0.35);
    QCOMPARE(fill(m, "plant-north/gw-1"), palette::stress(u));
    QCOMPARE(m.data(m.index(m.row_of("plant-north/gw-1")), TopologyModel::LabelRole).toString(), QString("33%"));
    // Cloud nodes: the sum of their services' utilization.
    const double k8s2 = base_.node_kpis("machine-analytics").value("utilization").toDouble();
    QCOMPARE(fill(m, "cloud/k8s-2"), palette::stress(k8s2));
    // Device groups: loss ratio scaled to the loss colour scale.
    const double loss = base_.group_kpis("plant-north/meters").value("loss_ratio").toDouble();
    QCOMPARE(fill(m, "plant-north/meters"), palette::stress(loss / palette::kLossAtFullScale));
    // Routers carry no measurement.
    QCOMPARE(fill(m, "plant-north/router"), palette::no_data());
    // Links by load.
    const TopologyEdge& wan = m.edges()[std::size_t(m.edge_of("south-wan"))];
    QCOMPARE(wan.color, palette::stress(base_.link_kpis("south-wan").value("utilization").toDouble()));
    QVERIFY(wan.width > 2);
    // The whole run's SLOs pass: no red borders.
    for (const TopologyNode& n : m.nodes()) QVERIFY(!n.slo_failed && !n.failed);
  }

  void timeline_changes_what_is_shown() {
    TopologyModel m;
    m.set_data(&base_);
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy edges(&m, &TopologyModel::edges_changed);
    m.set_time(20);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(edges.count(), 1);
    const double u20 = base_.series.value_at("plant-north/gw-1", "utilization", 20, NAN);
    QCOMPARE(fill(m, "plant-north/gw-1"), palette::stress(u20));
    const QColor mid = fill(m, "plant-north/gw-1");
    m.set_time(62);  // the last interval (60-65 s): traffic stopped at 60 s, the gateway drains
    const double u60 = base_.series.value_at("plant-north/gw-1", "utilization", 62, NAN);
    QVERIFY(u60 < u20 / 1.5);
    QCOMPARE(fill(m, "plant-north/gw-1"), palette::stress(u60));
    QVERIFY(fill(m, "plant-north/gw-1") != mid);
    // Device group colour at a time: lost / (delivered + lost) of that interval.
    const double lost = base_.series.value_at("plant-north/meters", "lost", 62, NAN);
    const double delivered = base_.series.value_at("plant-north/meters", "delivered", 62, NAN);
    const double ratio = delivered + lost > 0 ? lost / (delivered + lost) : 0;
    QCOMPARE(fill(m, "plant-north/meters"), palette::stress(std::min(1.0, ratio / palette::kLossAtFullScale)));
    // Back to the whole run.
    m.set_time(NAN);
    QCOMPARE(fill(m, "plant-north/gw-1"), palette::stress(base_.node_kpis("plant-north/gw-1").value("utilization").toDouble()));
    const int before = changed.count();
    m.set_time(NAN);  // no change, no signal
    QCOMPARE(changed.count(), before);
  }

  void device_groups_expand_into_devices() {
    TopologyModel m;
    m.set_data(&base_);
    QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
    m.set_expanded("plant-north/meters", true);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m.rowCount(), 20 + TopologyModel::kMaxDevicesShown);
    QCOMPARE(int(m.edges().size()), 26 + TopologyModel::kMaxDevicesShown);
    QVERIFY(m.expanded("plant-north/meters"));
    // Device k uses gateways[k mod n]: meters attach to gw-1 and gw-2 in turn.
    const TopologyEdge& e0 = m.edges()[std::size_t(m.edge_of("plant-north/meters#0->plant-north/gw-1"))];
    QCOMPARE(m.node(e0.a).name, QString("plant-north/meters#0"));
    QVERIFY(m.edge_of("plant-north/meters#1->plant-north/gw-2") >= 0);
    const int dev = m.row_of("plant-north/meters#3");
    QCOMPARE(m.data(m.index(dev), TopologyModel::ParentRole).toInt(), m.row_of("plant-north/meters"));
    QCOMPARE(fill(m, "plant-north/meters#3"), fill(m, "plant-north/meters"));
    QVERIFY(m.node(dev).pos.x() < m.node(m.row_of("plant-north/meters")).pos.x());
    // A small group shows all its devices.
    m.set_expanded("plant-south/wearables", true);
    QCOMPARE(m.rowCount(), 20 + 8 + 8);
    m.set_expanded("plant-north/meters", false);
    m.set_expanded("plant-south/wearables", false);
    QCOMPARE(m.rowCount(), 20);
    m.set_expanded("lb", true);  // not a group: ignored
    QCOMPARE(m.rowCount(), 20);
  }

  void failed_entities_are_marked() {
    RunData d;
    QVERIFY(load("analytic-events", d).ok);
    TopologyModel m;
    m.set_data(&d);
    QVERIFY(m.data(m.index(m.row_of("broker-1")), TopologyModel::FailedRole).toBool());  // whole run: failed at some time
    m.set_time(2.0);
    QVERIFY(m.node(m.row_of("broker-1")).failed);
    QCOMPARE(fill(m, "broker-1"), palette::failed_fill());
    QCOMPARE(m.node(m.row_of("broker-1")).border, palette::slo_fail_border());
    QVERIFY(m.node(m.row_of("broker-1")).label.contains("FAILED"));
    QVERIFY(!m.node(m.row_of("lb")).failed);
    m.set_time(4.0);  // crash for 1.5 s from 2 s: over
    QVERIFY(!m.node(m.row_of("broker-1")).failed);
    QVERIFY(fill(m, "broker-1") != palette::failed_fill());
  }

  void failing_slo_gets_a_red_border() {
    RunData d;
    QVERIFY(load("analytic", d).ok);
    SloVerdict v;
    v.label = "utilization[lab/gw]";
    v.metric = "utilization";
    v.scope = "lab/gw";
    v.pass = false;
    d.slos.push_back(v);
    TopologyModel m;
    m.set_data(&d);
    QVERIFY(m.data(m.index(m.row_of("lab/gw")), TopologyModel::SloFailedRole).toBool());
    QCOMPARE(m.data(m.index(m.row_of("lab/gw")), TopologyModel::BorderRole).value<QColor>(), palette::slo_fail_border());
    QCOMPARE(m.data(m.index(m.row_of("lb")), TopologyModel::BorderRole).value<QColor>(), palette::normal_border());
  }

  void compare_mode_shows_the_union_and_deltas() {
    TopologyModel m;
    m.set_data(&whatif_, &base_);
    QVERIFY(m.compare_mode());
    QCOMPARE(m.rowCount(), 20);  // the what-if has 2 brokers; broker-3 comes from the baseline
    const int b3 = m.row_of("broker-3");
    QVERIFY(b3 >= 0);
    QCOMPARE(m.data(m.index(b3), TopologyModel::PresenceRole).toInt(), int(Presence::removed));
    QVERIFY(m.node(b3).label.contains("removed"));
    QCOMPARE(m.edges()[std::size_t(m.edge_of("cluster-lan/broker-3"))].presence, Presence::removed);
    const double d = whatif_.node_kpis("broker-1").value("utilization").toDouble() -
                     base_.node_kpis("broker-1").value("utilization").toDouble();
    QVERIFY(d > 0);  // more traffic, fewer brokers
    QCOMPARE(m.data(m.index(m.row_of("broker-1")), TopologyModel::DeltaRole).toDouble(), d);
    QCOMPARE(fill(m, "broker-1"), palette::delta(d));
    QVERIFY(m.node(m.row_of("broker-1")).label.startsWith("+"));
    QVERIFY(m.node(m.row_of("broker-1")).label.endsWith("pp"));
  }

  void empty_model() {
    TopologyModel m;
    m.set_data(nullptr);
    QCOMPARE(m.rowCount(), 0);
    m.set_time(3);
    QCOMPARE(m.row_of("lb"), -1);
  }

 private:
  RunData base_, whatif_;
};

QTEST_GUILESS_MAIN(TopologyModelTest)
#include "test_topology_model.moc"
