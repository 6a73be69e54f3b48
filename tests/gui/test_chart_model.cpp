// tests/gui/test_chart_model.cpp — what the charts show for a selection (values traced back to the
// fixture's time series), the latency CDF with its SLO line, and decimation of a long series.
#include <cmath>

#include <QSignalSpy>
#include <QtTest>

#include "gui/models/chart_model.hpp"
#include "gui_test_support.hpp"

using namespace edgetwin::gui;
using edgetwin::gui::test::load;

namespace {
const ChartSeries* find(const ChartSpec& spec, const QString& name) {
  for (const ChartSeries& s : spec.series)
    if (s.name == name) return &s;
  return nullptr;
}
double y_at(const ChartSeries& s, double x) {
  for (const QPointF& p : s.points)
    if (p.x() == x) return p.y();
  return NAN;
}
}  // namespace

class ChartModelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QVERIFY(load("sf-baseline", run_).ok); }

  void whole_system() {
    ChartModel m;
    m.set_data(&run_);
    const ChartSpec tp = m.throughput();
    const ChartSeries* delivered = find(tp, "delivered");
    QVERIFY(delivered);
    QCOMPARE(int(delivered->points.size()), int(run_.series.times().size()));
    double sum = 0;
    for (const Vertex& v : run_.vertices)
      if (v.kind == "device_group") sum += run_.series.value_at(v.name, "delivered", 20, 0);
    QCOMPARE(y_at(*delivered, 20), sum / 5.0);  // per second over a 5 s interval
    QVERIFY(tp.x_max >= 60);
    QVERIFY(tp.y_max > sum / 5.0);
    QCOMPARE(int(m.latency().series.size()), 6);      // mean latency of each group
    QCOMPARE(int(m.utilization().series.size()), ChartModel::kMaxSeries);  // busiest nodes
    QCOMPARE(m.utilization().series.front().name, QString("plant-north/gw-1"));
  }

  void a_device_group() {
    ChartModel m;
    m.set_data(&run_);
    QSignalSpy changed(&m, &ChartModel::changed);
    m.set_selection("plant-north/wearables");
    QCOMPARE(changed.count(), 1);
    const ChartSpec lat = m.latency();
    QVERIFY(lat.title.contains("plant-north/wearables"));
    const ChartSeries* mean = find(lat, "mean per interval");
    QVERIFY(mean);
    QCOMPARE(y_at(*mean, 30), run_.series.value_at("plant-north/wearables", "latency_mean", 30, NAN) * 1000);
    const ChartSeries* p99 = find(lat, "run p99");
    QVERIFY(p99 && p99->dashed);
    QCOMPARE(p99->points.front().y(), run_.group_kpis("plant-north/wearables").value("latency").toObject().value("p99").toDouble() * 1000);
    QVERIFY(find(lat, QString::fromUtf8("SLO latency.p99 \u2264 100 ms")));
    const ChartSpec util = m.utilization();
    QCOMPARE(int(util.series.size()), 1);  // wearables use gw-1 only
    QCOMPARE(util.series.front().name, QString("plant-north/gw-1"));
  }

  void a_link_in_mbits() {
    ChartModel m;
    m.set_data(&run_);
    m.set_selection("south-wan");
    const ChartSpec tp = m.throughput();
    const ChartSeries* carried = find(tp, "carried");
    QVERIFY(carried);
    const double bw = run_.edge("south-wan")->bandwidth;
    QCOMPARE(y_at(*carried, 25), run_.series.value_at("south-wan", "utilization", 25, NAN) * bw * 8 / 1e6);
    QCOMPARE(find(tp, "capacity")->points.front().y(), bw * 8 / 1e6);
  }

  void a_paas_service_shows_its_pods() {
    RunData run;
    QVERIFY(load("autoscaling", run).ok);
    ChartModel m;
    m.set_data(&run);
    m.set_selection("ingest");
    const ChartSpec tp = m.throughput();
    QVERIFY(tp.title.contains("Pods"));
    const ChartSeries* ready = find(tp, "ready");
    const ChartSeries* desired = find(tp, "desired");
    const ChartSeries* pending = find(tp, "pending");
    QVERIFY(ready && desired && pending);
    QVERIFY(desired->dashed);
    // Values are the file's: one pod before the load step, four at the end (the HPA's 315 s and 345 s syncs).
    for (double t : {0.0, 285.0, 330.0, 585.0}) {
      QCOMPARE(y_at(*ready, t), run.series.value_at("ingest", "replicas", t, NAN));
      QCOMPARE(y_at(*desired, t), run.series.value_at("ingest", "desired_replicas", t, NAN));
      QCOMPARE(y_at(*pending, t), run.series.value_at("ingest", "pending_pods", t, NAN));
    }
    QCOMPARE(y_at(*ready, 285.0), 1.0);
    QCOMPARE(y_at(*ready, 585.0), 4.0);
    // A gateway of the same run keeps its queue chart.
    m.set_selection("plant/gw");
    QVERIFY(m.throughput().title.startsWith("Queue peak"));
  }

  void latency_cdf_with_slo_line() {
    ChartModel m;
    m.set_data(&run_);
    ChartSpec cdf = m.latency_cdf();
    QVERIFY(!cdf.time_axis);
    QCOMPARE(int(cdf.series.size()), 6 + 1);  // six groups + one line for the wearables' shared SLO
    QCOMPARE(cdf.series.back().name, QString::fromUtf8("SLO p99 \u2264 100 ms (pass, 2 groups)"));
    m.set_selection("plant-south/wearables");
    cdf = m.latency_cdf();
    QCOMPARE(int(cdf.series.size()), 2);
    const ChartSeries& curve = cdf.series[0];
    QCOMPARE(int(curve.points.size()), 5);  // min, p50, p95, p99, max
    for (int i = 1; i < curve.points.size(); ++i) {
      QVERIFY(curve.points[i].x() >= curve.points[i - 1].x());
      QVERIFY(curve.points[i].y() > curve.points[i - 1].y());
    }
    QCOMPARE(curve.points[3].y(), 0.99);
    const ChartSeries& slo = cdf.series[1];
    QVERIFY(slo.dashed);
    QCOMPARE(slo.points.front().x(), 100.0);  // 100 ms
    QCOMPARE(slo.name, QString::fromUtf8("SLO p99 \u2264 100 ms (pass)"));
    QVERIFY(cdf.x_max > 100);
  }

  void long_series_are_decimated() {
    RunData big;
    big.vertices.push_back({"g", "gateway", 1, 0});
    for (int i = 0; i < 1'000'000; ++i) big.series.append(i * 0.1, "g", "utilization", (i % 1000) / 1000.0);
    ChartModel m;
    m.set_data(&big);
    m.set_buckets(500);
    m.set_selection("g");
    const ChartSpec util = m.utilization();
    QCOMPARE(int(util.series.size()), 1);
    QVERIFY(util.series.front().points.size() <= 2000);
    QVERIFY(util.series.front().points.size() >= 1000);
    double top = 0;
    for (const QPointF& p : util.series.front().points) top = std::max(top, p.y());
    QCOMPARE(top, 99.9);  // peaks survive
  }

  void nothing_loaded() {
    ChartModel m;
    QVERIFY(m.throughput().series.empty());
    QVERIFY(m.latency_cdf().series.empty());
    RunData broken;
    QVERIFY(load("bad-missing-summary", broken).ok);
    m.set_data(&broken);
    QVERIFY(m.latency_cdf().series.empty());
    QVERIFY(m.latency_cdf().note.contains("summary.json"));
    QVERIFY(!m.throughput().series.front().points.isEmpty());  // time series still there
  }

 private:
  RunData run_;
};

QTEST_GUILESS_MAIN(ChartModelTest)
#include "test_chart_model.moc"
