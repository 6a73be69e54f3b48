// tests/gui/test_live_source.cpp — LiveTwinSource without a broker: the twin's messages (state,
// status, alerts, prediction, what-if answer) become RunData, series, alerts, observed-versus-
// predicted rows and impact rows, and the models show them. The real twin over a real Mosquitto is
// tests/gui/live_twin_test.cpp.
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

#include "gui/data/live_source.hpp"
#include "gui/models/chart_model.hpp"
#include "gui/models/topology_model.hpp"

using namespace edgetwin::gui;

namespace {

QByteArray state(double as_of, int received, int missing, bool gw2_down = false) {
  QJsonObject gw2{{"received", 0}, {"liveness", gw2_down ? "down" : "live"}, {"status", gw2_down ? "offline" : "online"}};
  if (gw2_down) gw2["down_since"] = as_of - 1;
  const QJsonObject s{
      {"format", "edgetwin-twin-state"},
      {"version", 1},
      {"scenario", "twin-small"},
      {"as_of", as_of},
      {"received", received},
      {"totals", QJsonObject{{"accepted", received}, {"missing", missing}}},
      {"groups",
       QJsonObject{{"plant/meters",
                    QJsonObject{{"devices_declared", 6},
                                {"devices_seen", 6},
                                {"received", received},
                                {"accepted", received},
                                {"missing", missing},
                                {"loss_ratio", double(missing) / (received + missing)},
                                {"rate", 6.0},
                                {"latency", QJsonObject{{"count", received}, {"mean", 0.004}, {"max", 0.009},
                                                        {"p50", 0.004}, {"p95", 0.008}, {"p99", 0.009}}}}}}},
      {"gateways", QJsonObject{{"plant/gw-1", QJsonObject{{"received", received}, {"liveness", "live"}, {"status", "online"}}},
                               {"plant/gw-2", gw2}}},
      {"brokers", QJsonObject{{"broker-1", QJsonObject{{"updates", 3}, {"stats", QJsonObject{}}}}}}};
  return QJsonDocument(s).toJson(QJsonDocument::Compact);
}

}  // namespace

class LiveSourceTest : public QObject {
  Q_OBJECT
 private slots:
  void states_become_run_data_and_series() {
    LiveTwinSource src("mqtt://127.0.0.1:1");
    QCOMPARE(src.subscriptions().first(), QString("edgetwin/twin/+/state"));
    QVERIFY(!src.report().warnings.isEmpty());  // waiting for a state
    QSignalSpy resets(&src, &DataSource::reset), appends(&src, &DataSource::appended);
    src.handle_message("edgetwin/twin/twin-small/state", state(1000, 10, 0));
    QCOMPARE(src.twin(), QString("twin-small"));
    QCOMPARE(resets.count(), 1);
    QVERIFY(src.data().vertex("plant/meters"));
    QCOMPARE(src.data().vertex("plant/meters")->count, 6);
    QVERIFY(src.data().vertex("plant/gw-2"));
    QVERIFY(src.data().vertex("broker-1"));
    QVERIFY(src.data().edge("plant/meters->plant/gw-1"));
    QCOMPARE(src.data().group_kpis("plant/meters").value("delivered").toInt(), 10);

    src.handle_message("edgetwin/twin/twin-small/state", state(1000, 10, 0));  // retained again: ignored
    QCOMPARE(src.states(), 1);
    src.handle_message("edgetwin/twin/twin-small/state", state(1001, 16, 2, true));
    QCOMPARE(appends.count(), 1);
    QCOMPARE(resets.count(), 1);  // same entities: no reset
    const Series* d = src.data().series.find("plant/meters", "delivered");
    QVERIFY(d);
    QCOMPARE(d->size(), std::size_t(1));
    QCOMPARE((*d)[0].t, 0.0);
    QCOMPARE((*d)[0].v, 6.0);
    QCOMPARE(src.data().series.find("plant/meters", "lost")->operator[](0).v, 2.0);
    QVERIFY(src.data().failed_at("plant/gw-2", 1.0));  // down gateway shown failed

    // Another twin on the same broker is not mixed in.
    src.handle_message("edgetwin/twin/other/state", state(2000, 99, 0));
    QCOMPARE(src.states(), 2);

    TopologyModel topo;
    topo.set_data(&src.data());
    QVERIFY(topo.row_of("plant/meters") >= 0);
    QVERIFY(topo.node(topo.row_of("plant/gw-2")).failed);
    ChartModel charts;
    charts.set_data(&src.data());
    charts.set_selection("plant/meters");
    QVERIFY(!charts.throughput().series.front().points.isEmpty());
  }

  void alerts_prediction_and_whatif() {
    LiveTwinSource src("mqtt://127.0.0.1:1", "twin-small");
    src.set_response_topic("edgetwin/viewer/x/whatif");
    QVERIFY(src.subscriptions().contains("edgetwin/viewer/x/whatif"));
    src.handle_message("edgetwin/twin/twin-small/state", state(1000, 10, 0));
    QCOMPARE(src.whatif_targets(), (QStringList{"plant/gw-1", "plant/gw-2", "broker-1"}));

    src.handle_message("edgetwin/twin/twin-small/status", "offline");
    QCOMPARE(src.twin_status(), QString("offline"));
    src.handle_message("edgetwin/twin/twin-small/alerts",
                       "{\"kind\":\"stale\",\"entity\":\"plant/meters#3\",\"at\":1001.5,\"message\":\"no message for 3 s\"}");
    src.handle_message("edgetwin/twin/twin-small/alerts", "not json");
    QCOMPARE(src.alerts().size(), std::size_t(1));
    QCOMPARE(src.alerts()[0].entity, QString("plant/meters#3"));

    src.handle_message("edgetwin/twin/twin-small/prediction",
                       "{\"as_of\":1002,\"groups\":{\"plant/meters\":{\"rate\":{\"predicted\":6,\"observed\":5.9,\"diverged\":false},"
                       "\"latency.p99\":{\"predicted\":0.004,\"observed\":0.02,\"diverged\":true}}},\"diverged\":[\"plant/meters/latency.p99\"]}");
    QCOMPARE(src.prediction().size(), std::size_t(2));
    bool diverged = false;
    for (const auto& r : src.prediction()) diverged |= r.metric == "latency.p99" && r.diverged && r.observed == 0.02;
    QVERIFY(diverged);

    const QByteArray req = src.make_whatif_request("broker-1", 30, "c-1");
    const QJsonObject r = QJsonDocument::fromJson(req).object();
    QCOMPARE(r.value("fail").toString(), QString("broker-1"));
    QCOMPARE(r.value("for").toString(), QString("30s"));
    QCOMPARE(r.value("response_topic").toString(), QString("edgetwin/viewer/x/whatif"));
    QVERIFY(src.whatif_pending());
    // An answer with another correlation is someone else's.
    src.handle_message("edgetwin/viewer/x/whatif", "{\"status\":\"ok\"}", "c-other");
    QVERIFY(!src.whatif());
    src.handle_message("edgetwin/viewer/x/whatif",
                       "{\"status\":\"ok\",\"request\":{\"fail\":\"broker-1\",\"for\":30},"
                       "\"baseline\":{\"groups\":{\"plant/meters\":{\"delivery_ratio\":1}}},"
                       "\"impact\":{\"groups\":{\"plant/meters\":{\"delivery_ratio\":{\"baseline\":1,\"faulted\":0.6,\"delta\":-0.4}}}}}",
                       "c-1");
    QVERIFY(src.whatif());
    QCOMPARE(src.whatif()->status, QString("ok"));
    QCOMPARE(src.whatif()->target, QString("broker-1"));
    QCOMPARE(src.whatif()->impact.size(), std::size_t(1));
    QCOMPARE(src.whatif()->impact[0].delta, -0.4);
    QVERIFY(!src.whatif_pending());
  }
};

QTEST_GUILESS_MAIN(LiveSourceTest)
#include "test_live_source.moc"
