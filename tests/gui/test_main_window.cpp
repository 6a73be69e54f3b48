// tests/gui/test_main_window.cpp — the window on the offscreen platform: fixtures open without a
// message, malformed or missing files give a clear message in the window (not a crash), selection
// and timeline reach the inspector and charts, compare mode, and headless PNG rendering.
#include <cmath>

#include <QLabel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/app/main_window.hpp"
#include "gui/app/render.hpp"
#include "gui/views/charts_panel.hpp"
#include "gui/views/timeline_widget.hpp"
#include "gui/views/topology_view.hpp"
#include "gui_test_support.hpp"

using namespace edgetwin::gui;
using edgetwin::gui::test::fixture;

namespace {
int distinct_colours(const QImage& image) {
  QSet<QRgb> colours;
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < img.height(); y += 2)
    for (int x = 0; x < img.width(); x += 2) colours.insert(img.pixel(x, y));
  return int(colours.size());
}
QLabel* banner(MainWindow& w) {
  for (QLabel* l : w.findChildren<QLabel*>())
    if (l->text() == w.message() && !w.message().isEmpty()) return l;
  return nullptr;
}
}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT
 private slots:
  void opens_a_fixture_without_messages() {
    MainWindow w;
    QVERIFY(w.open_results(fixture("sf-baseline")));
    QCOMPARE(w.message_level(), MessageLevel::none);
    QVERIFY(w.message().isEmpty());
    QCOMPARE(w.topology_model()->rowCount(), 20);
    QCOMPARE(w.topology_view()->item_count(), 20 + 15 + 1);  // per node, per link, one for all access edges
    QVERIFY(w.windowTitle().contains("smart-factory"));
    QCOMPARE(w.timeline_model()->step_count(), 13);
    QVERIFY(w.inspector_model()->sections().contains("KPIs (whole run)"));
    QCOMPARE(w.inspector_model()->value("KPIs (whole run)", "devices"), QString("3 030"));
  }

  void malformed_results_say_so_in_the_window() {
    struct Case {
      const char* fixture;
      MessageLevel level;
      const char* says;
    };
    const Case cases[] = {
        {"bad-truncated-topology", MessageLevel::error, "topology.json: invalid JSON at line"},
        {"bad-not-results", MessageLevel::error, "is not a results folder"},
        {"no-such-folder", MessageLevel::error, "no such results folder"},
        {"bad-missing-summary", MessageLevel::warning, "summary.json is missing"},
        {"bad-truncated-summary", MessageLevel::warning, "summary.json: invalid JSON"},
        {"bad-csv-row", MessageLevel::warning, "timeseries.csv:9: expected 4 fields"},
    };
    for (const Case& c : cases) {
      MainWindow w;
      w.resize(1200, 800);
      w.show();
      const bool ok = w.open_results(fixture(c.fixture));
      QCOMPARE(ok, c.level != MessageLevel::error);
      QCOMPARE(w.message_level(), c.level);
      QVERIFY2(w.message().contains(c.says), qPrintable(QString(c.fixture) + ": " + w.message()));
      QLabel* b = banner(w);
      QVERIFY2(b && b->isVisible(), c.fixture);
      if (c.level == MessageLevel::error) {
        QCOMPARE(w.topology_model()->rowCount(), 0);
        QCOMPARE(w.timeline_model()->step_count(), 0);
      } else {
        QVERIFY(w.topology_model()->rowCount() > 0);  // shown with gaps
      }
      // Everything still works on what is there.
      w.select("lab/gw");
      w.timeline_model()->set_step(1);
      QVERIFY(!w.grab().isNull());
      // A good folder afterwards clears the message.
      QVERIFY(w.open_results(fixture("analytic")));
      QCOMPARE(w.message_level(), MessageLevel::none);
      QVERIFY(!b->isVisible());
    }
  }

  void selection_and_timeline_reach_inspector_and_charts() {
    MainWindow w;
    QVERIFY(w.open_results(fixture("sf-baseline")));
    w.select("plant-north/gw-1");
    QCOMPARE(w.selected(), QString("plant-north/gw-1"));
    QCOMPARE(w.chart_model()->selection(), QString("plant-north/gw-1"));
    QCOMPARE(w.inspector_model()->value("Parameters", "cores"), QString("4"));
    QCOMPARE(w.inspector_model()->value("KPIs (whole run)", "utilization"), QString("32.81%"));
    QVERIFY(w.charts_panel()->box("utilization")->point_count() > 0);
    w.timeline_model()->set_time(20);
    QCOMPARE(w.topology_model()->time(), 20.0);
    QVERIFY(w.inspector_model()->sections().contains(QString::fromUtf8("Interval 20.0 s \u2013 25.0 s")));
    const QString at20 = w.inspector_model()->value(QString::fromUtf8("Interval 20.0 s \u2013 25.0 s"), "utilization");
    QCOMPARE(at20, QString::number(w.topology_model()->node(w.topology_model()->row_of("plant-north/gw-1")).value * 100, 'f', 2) + "%");
    w.timeline_model()->show_whole_run();
    QVERIFY(std::isnan(w.topology_model()->time()));
    w.select("plant-north/meters");
    QVERIFY(w.inspector_model()->sections().contains("Loss by cause"));
    QVERIFY(!w.inspector_model()->value("Loss by cause", "access").isEmpty());
    w.select("");
    QVERIFY(w.inspector_model()->sections().contains("SLO verdicts"));
    QVERIFY(w.inspector_model()->value("SLO verdicts", "utilization[broker-1]").startsWith("PASS"));
  }

  void replay_steps_through_the_run() {
    MainWindow w;
    QVERIFY(w.open_results(fixture("analytic-events")));
    QCOMPARE(w.timeline_widget()->marked_events(), 2);
    TimelineModel* t = w.timeline_model();
    QVERIFY(std::isnan(t->time()));
    int steps = 0;
    while (t->advance()) ++steps;
    QCOMPARE(steps, t->step_count());  // from "whole run" through every step
    QCOMPARE(t->time(), 4.0);
    QVERIFY(!t->advance());
    w.timeline_widget()->play(true);
    QVERIFY(w.timeline_widget()->playing());
    QCOMPARE(t->step(), 0);  // replay restarts at the beginning
    w.timeline_widget()->play(false);
    t->set_time(2.5);
    QVERIFY(w.topology_model()->node(w.topology_model()->row_of("broker-1")).failed);
    w.select("broker-1");
    QVERIFY(w.inspector_model()->sections().contains("Events"));
  }

  void compare_mode() {
    MainWindow w;
    QVERIFY(w.open_compare(fixture("sf-baseline"), fixture("sf-whatif")));
    QVERIFY(w.compare_mode());
    QVERIFY(w.topology_model()->compare_mode());
    QVERIFY(w.compare_model()->rowCount() > 50);
    QVERIFY(w.side_tabs()->isTabEnabled(1));
    QCOMPARE(w.side_tabs()->currentIndex(), 1);
    QVERIFY(w.compare_model()->find("broker-3", "utilization"));
    // One side unreadable: a message, no comparison.
    MainWindow bad;
    QVERIFY(!bad.open_compare(fixture("sf-baseline"), fixture("bad-truncated-topology")));
    QCOMPARE(bad.message_level(), MessageLevel::error);
    QVERIFY(bad.message().contains("what-if"));
    QVERIFY(bad.message().contains("topology.json"));
    QVERIFY(!bad.compare_mode());
  }

  void headless_render_writes_pictures() {
    QTemporaryDir dir;
    const RenderResult r = render_report(fixture("sf-baseline"), dir.path());
    QVERIFY2(r.ok, qPrintable(r.error));
    const QStringList expected = {"window.png", "topology.png", "throughput.png", "latency.png", "utilization.png", "latency-cdf.png"};
    QCOMPARE(r.files.size(), expected.size());
    for (const QString& f : expected) {
      QImage img(dir.filePath(f));
      QVERIFY2(!img.isNull(), qPrintable(f));
      QVERIFY2(distinct_colours(img) > 20, qPrintable(f));
    }
    QCOMPARE(QImage(dir.filePath("topology.png")).size(), QSize(1600, 1000));
    const RenderResult bad = render_report(fixture("bad-truncated-topology"), dir.path() + "/bad");
    QVERIFY(!bad.ok);
    QVERIFY(bad.error.contains("topology.json"));
    QVERIFY(!QFile::exists(dir.path() + "/bad/window.png"));
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
