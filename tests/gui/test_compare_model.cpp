// tests/gui/test_compare_model.cpp — compare mode: the right deltas per KPI between a baseline and a
// what-if fixture, judged by direction, entities present in one run only, and a run against itself.
#include <cmath>

#include <QtTest>

#include "gui/models/compare_model.hpp"
#include "gui_test_support.hpp"

using namespace edgetwin::gui;
using edgetwin::gui::test::load;
using edgetwin::gui::test::raw_summary;

class CompareModelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QVERIFY(load("sf-baseline", base_).ok);
    QVERIFY(load("sf-whatif", whatif_).ok);
  }

  void totals_deltas_match_the_files() {
    CompareModel m;
    m.set_data(&base_, &whatif_);
    const QJsonObject b = raw_summary("sf-baseline").value("totals").toObject();
    const QJsonObject w = raw_summary("sf-whatif").value("totals").toObject();
    const KpiDelta* delivered = m.find("", "delivered");
    QVERIFY(delivered);
    QCOMPARE(delivered->baseline, b.value("delivered").toDouble());
    QCOMPARE(delivered->whatif, w.value("delivered").toDouble());
    QCOMPARE(delivered->delta(), w.value("delivered").toDouble() - b.value("delivered").toDouble());
    QCOMPARE(delivered->judgement, Judgement::better);  // twice the machine traffic delivered
    const KpiDelta* p99 = m.find("", "latency.p99");
    QVERIFY(p99);
    QCOMPARE(p99->delta(), w.value("latency").toObject().value("p99").toDouble() -
                               b.value("latency").toObject().value("p99").toDouble());
    const bool same = std::fabs(p99->delta()) <= CompareModel::kSameTolerance * std::max(p99->baseline, p99->whatif);
    QCOMPARE(p99->judgement, same ? Judgement::same : p99->delta() > 0 ? Judgement::worse : Judgement::better);
    const KpiDelta* lost = m.find("", "lost");
    QCOMPARE(lost->judgement, lost->delta() > 0 ? Judgement::worse : Judgement::better);
  }

  void per_entity_deltas() {
    CompareModel m;
    m.set_data(&base_, &whatif_);
    const QJsonObject bn = raw_summary("sf-baseline").value("nodes").toObject();
    const QJsonObject wn = raw_summary("sf-whatif").value("nodes").toObject();
    const KpiDelta* gw = m.find("plant-north/gw-1", "utilization");
    QVERIFY(gw);
    const double expected = wn.value("plant-north/gw-1").toObject().value("utilization").toDouble() -
                            bn.value("plant-north/gw-1").toObject().value("utilization").toDouble();
    QCOMPARE(gw->delta(), expected);
    QVERIFY(expected > 0.01);
    QCOMPARE(gw->judgement, Judgement::worse);  // busier is worse
    QVERIFY(std::fabs(gw->relative() - expected / bn.value("plant-north/gw-1").toObject().value("utilization").toDouble()) < 1e-12);
    // broker-3 exists in the baseline only (3 -> 2 brokers).
    const KpiDelta* b3 = m.find("broker-3", "utilization");
    QVERIFY(b3);
    QCOMPARE(b3->judgement, Judgement::only_baseline);
    QVERIFY(std::isnan(b3->whatif));
    QCOMPARE(m.find("cluster-lan/broker-3", "utilization")->judgement, Judgement::only_baseline);
    // Group throughput of the doubled machines.
    const KpiDelta* machines = m.find("plant-north/machines", "throughput");
    QVERIFY(machines->whatif > 1.8 * machines->baseline);
    // SLO verdict rows.
    const KpiDelta* slo = m.find("utilization[broker-1]", "slo");
    QVERIFY(slo);
    QCOMPARE(slo->baseline, 1.0);
  }

  void table_shows_judgements() {
    CompareModel m;
    m.set_data(&base_, &whatif_);
    QCOMPARE(m.columnCount(), int(CompareModel::ColumnCount));
    QCOMPARE(m.headerData(CompareModel::DeltaColumn, Qt::Horizontal).toString(), QString::fromUtf8("\u0394"));
    int row = -1;
    for (int r = 0; r < m.rowCount(); ++r)
      if (m.rows()[std::size_t(r)].scope == "plant-north/gw-1" && m.rows()[std::size_t(r)].metric == "utilization") row = r;
    QVERIFY(row >= 0);
    QCOMPARE(m.data(m.index(row, CompareModel::VerdictColumn)).toString(), QString("worse"));
    QVERIFY(m.data(m.index(row, CompareModel::DeltaColumn)).toString().endsWith(" pp"));
    QVERIFY(m.data(m.index(row, CompareModel::DeltaColumn)).toString().startsWith("+"));
    QVERIFY(m.data(m.index(row, CompareModel::DeltaColumn), Qt::ForegroundRole).value<QColor>().isValid());
    QCOMPARE(m.data(m.index(0, CompareModel::ScopeColumn)).toString(), QString("(system)"));
    QVERIFY(m.count(Judgement::worse) > 0);
    QVERIFY(m.count(Judgement::only_baseline) >= 4);  // broker-3, its utilization/queue/dropped, its links
  }

  void a_run_against_itself_is_all_same() {
    CompareModel m;
    m.set_data(&base_, &base_);
    QVERIFY(m.rowCount() > 50);
    QCOMPARE(m.count(Judgement::same), m.rowCount());
  }

  void missing_summary_gives_no_rows_not_a_crash() {
    RunData broken;
    QVERIFY(load("bad-missing-summary", broken).ok);
    CompareModel m;
    m.set_data(&base_, &broken);
    for (const KpiDelta& k : m.rows()) QCOMPARE(k.judgement, Judgement::only_baseline);
    m.set_data(nullptr, nullptr);
    QCOMPARE(m.rowCount(), 0);
  }

 private:
  RunData base_, whatif_;
};

QTEST_GUILESS_MAIN(CompareModelTest)
#include "test_compare_model.moc"
