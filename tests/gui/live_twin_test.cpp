// tests/gui/live_twin_test.cpp — live mode end to end: a private Mosquitto on 127.0.0.1 (random free
// port), the real twin (`edgetwin-bridge twin`) and the real fleet emulator, and the viewer window
// in live mode on the offscreen platform. A state update the twin publishes appears in the view
// models (topology, charts, timeline) with the twin's own counts; alerts are listed; observed versus
// predicted fills in; a what-if asked from the panel comes back and is shown as an overlay.
// Waits are bounded and generous (a timeout means a hang, never a performance verdict).
#include <QComboBox>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "gui/app/main_window.hpp"
#include "gui/data/live_source.hpp"
#include "gui/models/chart_model.hpp"
#include "gui/models/timeline_model.hpp"
#include "gui/models/topology_model.hpp"
#include "gui/views/live_panel.hpp"
#include "harness.hpp"  // tests/live-bridge/harness.hpp: Mosquitto, Process, TempDir

using namespace edgetwin::gui;
namespace t = edgetwin::test;

class LiveTwinTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    dir_ = std::make_unique<t::TempDir>();
    broker_ = std::make_unique<t::Mosquitto>(*dir_);
    state_file_ = *dir_ / "twin-state.json";
    twin_ = std::make_unique<t::Process>(
        std::vector<std::string>{t::bridge_binary(), "twin", t::fixture("twin-small.json"), "--broker", broker_->url(),
                                 "--state-out", state_file_, "--state-every", "200ms", "--client-id", "test-viewer-twin",
                                 "--edgetwin", t::edgetwin_binary(), "--predict-every", "1s", "--horizon", "5s",
                                 "--work-dir", *dir_ / "work"},
        *dir_ / "twin.out", *dir_ / "twin.err");
    QVERIFY2(t::wait_for([&] {
               const auto s = t::try_read_json(state_file_);
               return !s.is_null() && s["bridge"].value("connected", false);
             }),
             twin_->err().c_str());
    window_ = std::make_unique<MainWindow>();
    QString error;
    QVERIFY2(window_->open_live(QString::fromStdString(broker_->url()), {}, &error), qPrintable(error));
    QVERIFY(window_->live_source());
    QVERIFY(window_->live_panel());
  }

  void a_state_published_by_the_twin_appears_in_the_view_model() {
    LiveTwinSource* src = window_->live_source();
    // The retained state arrives as soon as the viewer subscribes.
    QTRY_VERIFY_WITH_TIMEOUT(src->states() >= 1, 30000);
    QCOMPARE(src->twin(), QString("twin-small"));
    QTRY_VERIFY_WITH_TIMEOUT(src->connected(), 10000);

    t::Process emu({t::bridge_binary(), "emulate", t::fixture("twin-small.json"), "--broker", broker_->url(), "--speed",
                    "5", "--report", *dir_ / "report.json"},
                   *dir_ / "emu.out", *dir_ / "emu.err");
    QVERIFY2(emu.wait(120) == 0, emu.err().c_str());
    const auto report = t::try_read_json(*dir_ / "report.json");
    QVERIFY(!report.is_null());
    const int published = report["published"].get<int>();
    QCOMPARE(published, 70);

    // Every message the emulator published reaches the view model through the twin's state topic.
    auto delivered = [&](const char* g) { return src->data().group_kpis(g).value("delivered").toInt(); };
    QTRY_VERIFY_WITH_TIMEOUT(delivered("plant/meters") + delivered("plant/machines") == published, 30000);
    // ... with the twin's own numbers (its state file, written from the same state).
    const auto file = t::try_read_json(state_file_);
    QCOMPARE(delivered("plant/meters"), file["groups"]["plant/meters"]["accepted"].get<int>());
    QCOMPARE(delivered("plant/machines"), file["groups"]["plant/machines"]["accepted"].get<int>());

    TopologyModel* topo = window_->topology_model();
    for (const char* name : {"plant/meters", "plant/machines", "plant/gw-1", "plant/gw-2", "broker-1"})
      QVERIFY2(topo->row_of(name) >= 0, name);
    QCOMPARE(topo->node(topo->row_of("plant/meters")).count, 6);
    QVERIFY(window_->timeline_model()->step_count() > 0);
    window_->select("plant/meters");
    const ChartSpec spec = window_->chart_model()->throughput();
    QVERIFY(!spec.series.empty());
    double shown = 0;
    for (const QPointF& p : spec.series.front().points) shown += p.y();
    QVERIFY2(shown > 0, "the throughput chart of plant/meters shows the live deliveries");
    QVERIFY(window_->message().isEmpty() || window_->message_level() != MessageLevel::error);
  }

  void alerts_are_listed() {
    // The emulator stopped: the devices go stale and the twin raises alerts.
    QTRY_VERIFY_WITH_TIMEOUT(!window_->live_source()->alerts().empty(), 30000);
    QVERIFY(window_->live_panel()->alert_list()->count() > 0);
  }

  void observed_vs_predicted_and_a_whatif_overlay() {
    LiveTwinSource* src = window_->live_source();
    LivePanel* panel = window_->live_panel();
    QTRY_VERIFY_WITH_TIMEOUT(!src->prediction().empty(), 90000);
    QVERIFY(panel->prediction_table()->rowCount() > 0);

    QVERIFY(panel->target_box()->findText("broker-1") >= 0);
    QVERIFY(panel->target_box()->findText("plant/gw-1") >= 0);
    panel->target_box()->setCurrentText("broker-2");  // editable: the state does not list every broker
    panel->seconds_box()->setValue(2);
    QTest::mouseClick(panel->simulate_button(), Qt::LeftButton);
    QVERIFY2(src->whatif_pending(), qPrintable(panel->whatif_status()));
    QTRY_VERIFY_WITH_TIMEOUT(src->whatif().has_value(), 120000);
    const WhatIfAnswer& w = *src->whatif();
    QVERIFY2(w.status == "ok" || w.status == "unsupported", qPrintable(w.status + ": " + w.message));
    qInfo("what-if answer: %s %s", qPrintable(w.status), qPrintable(w.message.left(120)));
    QCOMPARE(w.target, QString("broker-2"));
    QVERIFY(panel->impact_table()->rowCount() > 0);  // the impact, or (unsupported) the baseline
    QVERIFY(window_->overlay().contains("What-if: broker-2"));
  }

  void cleanupTestCase() {
    window_.reset();
    if (twin_) twin_->terminate();
    twin_.reset();
    broker_.reset();
    dir_.reset();
  }

 private:
  std::unique_ptr<t::TempDir> dir_;
  std::unique_ptr<t::Mosquitto> broker_;
  std::unique_ptr<t::Process> twin_;
  std::string state_file_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(LiveTwinTest)
#include "live_twin_test.moc"
