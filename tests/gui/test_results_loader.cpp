// tests/gui/test_results_loader.cpp — reading results folders: counts from the fixtures, fault
// events, clear messages for missing, truncated and malformed files; ring buffer and decimation.
#include <cmath>

#include <QTemporaryDir>
#include <QtTest>

#include "gui/data/decimate.hpp"
#include "gui/data/ring_buffer.hpp"
#include "gui_test_support.hpp"

using namespace edgetwin::gui;
using edgetwin::gui::test::fixture;
using edgetwin::gui::test::load;

class ResultsLoaderTest : public QObject {
  Q_OBJECT
 private slots:
  void analytic_counts() {
    RunData d;
    const LoadReport r = load("analytic", d);
    QVERIFY2(r.ok, qPrintable(r.message()));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(r.message()));
    QCOMPARE(d.scenario, QString("analytic-single-device"));
    QCOMPARE(int(d.vertices.size()), 6);  // 5 in topology.json + the service "ingest"
    QCOMPARE(int(d.edges.size()), 5);     // 3 links + 1 access + cloud/node hosts ingest
    QCOMPARE(int(d.services.size()), 1);
    QCOMPARE(d.vertex("ingest")->kind, QString("service"));
    QCOMPARE(d.vertex("ingest")->tier, 6);
    QCOMPARE(d.vertex("lab/probe")->count, qint64(1));
    QCOMPARE(int(d.series.times().size()), 5);
    QCOMPARE(d.interval(), 1.0);
    QVERIFY(d.events.empty());  // manifest.json's "events" is a number (engine events), not a list
    QCOMPARE(d.series.value_at("lab/probe", "latency_mean", 2.5, NAN), 0.032505016);
  }

  void smart_factory_counts() {
    RunData d;
    QVERIFY(load("sf-baseline", d).ok);
    QCOMPARE(int(d.vertices.size()), 18 + 2);
    QCOMPARE(int(d.edges.size()), 15 + 9 + 2);  // links (per broker expanded), access, hosts
    qint64 devices = 0;
    for (const Vertex& v : d.vertices) devices += v.count;
    QCOMPARE(devices, qint64(3030));
    QCOMPARE(int(d.slos.size()), 4);
    QCOMPARE(d.slos[0].limit, 0.1);
    QVERIFY(d.slos[0].is_max);
    QVERIFY(!d.slos[2].is_max);  // delivery_ratio min 0.98
    QCOMPARE(d.interval(), 5.0);
    QCOMPARE(d.duration, 60.0);
    QCOMPARE(d.series.sample_count(), std::size_t(845));  // every row of timeseries.csv
  }

  void events_are_read_and_time_ordered() {
    RunData d;
    QVERIFY(load("analytic-events", d).ok);
    QCOMPARE(int(d.events.size()), 2);
    QCOMPARE(d.events[0].target, QString("broker-1"));
    QCOMPARE(d.events[0].action, QString("crash"));
    QCOMPARE(d.events[0].duration, 1.5);
    QCOMPARE(d.events[1].time, 4.0);  // "4s"
    QVERIFY(d.events[1].detail.contains("1Mbps"));
    QVERIFY(!d.failed_at("broker-1", 1.9));
    QVERIFY(d.failed_at("broker-1", 2.0));
    QVERIFY(d.failed_at("broker-1", 3.4));
    QVERIFY(!d.failed_at("broker-1", 3.5));
    QVERIFY(!d.failed_at("backhaul", 4.5));  // degraded, not failed
    QVERIFY(d.ever_failed("broker-1"));
  }

  void missing_summary_is_a_warning() {
    RunData d;
    const LoadReport r = load("bad-missing-summary", d);
    QVERIFY(r.ok);
    QVERIFY(r.errors.isEmpty());
    QVERIFY2(r.message().contains("summary.json is missing"), qPrintable(r.message()));
    QVERIFY(r.message().contains("KPIs"));
    QCOMPARE(int(d.vertices.size()), 6);  // the topology is still there
    QVERIFY(d.summary.isEmpty());
  }

  void missing_manifest_flags_an_incomplete_run() {
    // What a run killed with SIGKILL leaves: manifest.json is removed first and written last.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QDir src(fixture("analytic"));
    for (const QString& f : src.entryList(QDir::Files))
      if (f != "manifest.json") QVERIFY(QFile::copy(src.filePath(f), tmp.filePath(f)));
    RunData d;
    const LoadReport r = load_results(tmp.path(), d);
    QVERIFY(r.ok);  // what is there is still shown...
    QVERIFY2(r.message().contains("manifest.json is missing"), qPrintable(r.message()));  // ...flagged
    QVERIFY2(r.message().contains("incomplete"), qPrintable(r.message()));
  }

  void truncated_summary_names_the_position() {
    RunData d;
    const LoadReport r = load("bad-truncated-summary", d);
    QVERIFY(r.ok);
    QVERIFY2(r.message().contains("summary.json: invalid JSON at line"), qPrintable(r.message()));
    QVERIFY(r.message().contains("truncated"));
  }

  void truncated_topology_is_an_error() {
    RunData d;
    const LoadReport r = load("bad-truncated-topology", d);
    QVERIFY(!r.ok);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors[0].startsWith("topology.json: invalid JSON at line"), qPrintable(r.errors[0]));
    QVERIFY(r.errors[0].contains("cannot be drawn"));
    QVERIFY(d.vertices.empty());
  }

  void bad_csv_rows_are_skipped_and_named() {
    RunData d;
    const LoadReport r = load("bad-csv-row", d);
    QVERIFY(r.ok);
    QCOMPARE(r.warnings.size(), 3);
    QVERIFY2(r.warnings[0].startsWith("timeseries.csv:9: expected 4 fields"), qPrintable(r.warnings[0]));
    QVERIFY2(r.warnings[1].contains("time \"abc\" is not a number"), qPrintable(r.warnings[1]));
    QVERIFY2(r.warnings[2].contains("value \"high\" is not a number"), qPrintable(r.warnings[2]));
    RunData good;
    QVERIFY(load("analytic", good).ok);
    QCOMPARE(d.series.sample_count(), good.series.sample_count());
  }

  void not_a_results_folder() {
    RunData d;
    LoadReport r = load("bad-not-results", d);
    QVERIFY(!r.ok);
    QVERIFY2(r.message().contains("is not a results folder"), qPrintable(r.message()));
    r = load_results(fixture("no-such-folder"), d);
    QVERIFY(!r.ok);
    QVERIFY(r.message().contains("no such results folder"));
  }

  void durations() {
    double s = 0;
    QVERIFY(parse_duration_seconds("250ms", s));
    QCOMPARE(s, 0.25);
    QVERIFY(parse_duration_seconds("2min", s));
    QCOMPARE(s, 120.0);
    QVERIFY(parse_duration_seconds("1.5", s));
    QCOMPARE(s, 1.5);
    QVERIFY(!parse_duration_seconds("soon", s));
  }

  void ring_buffer_keeps_the_newest() {
    RingBuffer<int> rb(3);
    for (int i = 1; i <= 5; ++i) rb.push_back(i);
    QCOMPARE(int(rb.size()), 3);
    QCOMPARE(rb[0], 3);
    QCOMPARE(rb[2], 5);
    QCOMPARE(rb.back(), 5);
    Series s(4);
    for (int i = 0; i < 10; ++i) s.append(i, i * 10);
    QCOMPARE(int(s.size()), 4);
    QCOMPARE(s.value_at(7.5, -1), 70.0);
    QCOMPARE(s.value_at(5.0, -1), -1.0);  // dropped from the buffer
  }

  void out_of_order_samples_are_sorted() {
    TimeSeriesStore store;
    store.append(2, "a", "m", 20);
    store.append(1, "a", "m", 10);
    store.finish();
    QCOMPARE(store.value_at("a", "m", 1.5, -1), 10.0);
    QCOMPARE(int(store.times().size()), 2);
    QCOMPARE(store.times().front(), 1.0);
  }

  void decimation_keeps_peaks() {
    Series s(1 << 21);
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i) s.append(i * 0.01, std::sin(i * 0.001));
    s.append(n * 0.01, 0);
    // One spike in the middle must survive.
    Series spiky(1 << 21);
    for (int i = 0; i < n; ++i) spiky.append(i, i == 654321 ? 100.0 : 1.0);
    const QList<QPointF> pts = decimate_min_max(spiky, 500);
    QVERIFY(pts.size() <= 4 * 500);
    double top = 0;
    for (const QPointF& p : pts) top = std::max(top, p.y());
    QCOMPARE(top, 100.0);
    QCOMPARE(pts.front().x(), 0.0);
    QCOMPARE(pts.back().x(), double(n - 1));
    for (int i = 1; i < pts.size(); ++i) QVERIFY(pts[i].x() >= pts[i - 1].x());
    // A window of the series only.
    const QList<QPointF> part = decimate_min_max(s, 100, 1000, 2000);
    QVERIFY(!part.isEmpty());
    QVERIFY(part.front().x() >= 1000 && part.back().x() <= 2000);
    // Short series are returned whole.
    Series few(16);
    for (int i = 0; i < 10; ++i) few.append(i, i);
    QCOMPARE(decimate_min_max(few, 100).size(), 10);
  }
};

QTEST_GUILESS_MAIN(ResultsLoaderTest)
#include "test_results_loader.moc"
