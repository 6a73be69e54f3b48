// gui/data/live_source.hpp — the live twin as a DataSource. The twin (`edgetwin-bridge twin`,
// docs/twin.md "Output topics") publishes under `edgetwin/twin/NAME/`: `state` (retained, the state
// document without per-device detail), `status`, `alerts`, `prediction` (observed versus predicted)
// and what-if answers. LiveTwinSource turns those messages into the RunData the views already
// draw: device groups, gateways and brokers become vertices (groups attach to the gateways of their
// site, gateways to every broker: the state does not carry the wiring), the group counters become
// per-interval series (`sent`, `delivered`, `lost`, `latency_mean`, `latency_max`, `rate`) and the
// KPIs of summary.json. It never touches the network: a transport (LiveMqttClient) hands it
// messages on the GUI thread through handle_message(), so it is testable without a broker.
#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "gui/data/data_source.hpp"

namespace edgetwin::gui {

struct LiveAlert {
  double at = 0;  // wall-clock seconds (the twin's clock)
  QString kind;   // stale, down, up, recovered, connection, divergence, prediction
  QString entity;
  QString message;
};

/// One metric of the twin's last prediction-versus-observation comparison.
struct PredictionRow {
  QString scope;   // group or broker
  QString metric;  // rate, delivery, latency.p50, ..., messages_per_s
  double observed = 0;
  double predicted = 0;
  bool diverged = false;
};

/// One metric of a what-if answer's impact: baseline versus faulted prediction.
struct ImpactRow {
  QString scope;
  QString metric;
  double baseline = 0;
  double faulted = 0;
  double delta = 0;
};

struct WhatIfAnswer {
  QString correlation;
  QString status;   // ok, unsupported, error
  QString message;  // the twin's explanation (unsupported/error)
  QString target;
  double seconds = 0;
  std::vector<ImpactRow> impact;    // empty unless status ok
  std::vector<ImpactRow> baseline;  // baseline prediction (faulted = delta = 0)
  QJsonObject raw;
};

class LiveTwinSource : public DataSource {
  Q_OBJECT
 public:
  /// `url` is what describe() says; `twin` the twin name to follow ("" = the first twin heard of).
  explicit LiveTwinSource(QString url, QString twin = {}, QObject* parent = nullptr);

  const RunData& data() const override { return data_; }
  QString describe() const override { return url_; }
  bool is_live() const override { return true; }
  LoadReport report() const override;

  /// The twin followed ("" until one was heard of) and its topic prefix.
  QString twin() const { return twin_; }
  static QString topic_prefix(const QString& twin) { return "edgetwin/twin/" + twin; }
  /// Topic filters a transport subscribes to.
  QStringList subscriptions() const;

  /// One MQTT message (GUI thread). `correlation`: MQTT 5 correlation data of a what-if answer.
  void handle_message(const QString& topic, const QByteArray& payload, const QByteArray& correlation = {});
  /// The transport's connection state, for report() and the panel.
  void set_connection(bool connected, const QString& detail);
  bool connected() const { return connected_; }
  QString twin_status() const { return twin_status_; }  // online / offline / "" (never heard)

  /// State documents applied so far.
  int states() const { return states_; }
  /// The last state document as received.
  const QJsonObject& state() const { return state_; }
  /// Wall-clock time of the first state (sample times are relative to it).
  double epoch() const { return epoch_; }

  const std::vector<LiveAlert>& alerts() const { return alerts_; }
  static constexpr std::size_t kMaxAlerts = 1000;
  const std::vector<PredictionRow>& prediction() const { return prediction_; }
  double prediction_as_of() const { return prediction_as_of_; }

  /// Entities a what-if can fail: gateways and brokers of the current state.
  QStringList whatif_targets() const;
  /// A what-if request body (docs/twin.md "What-if from now"); the transport adds the response
  /// topic and correlation data as MQTT 5 properties. Also remembered as pending.
  QByteArray make_whatif_request(const QString& target, double seconds, const QString& correlation);
  bool whatif_pending() const { return !pending_.isEmpty(); }
  const std::optional<WhatIfAnswer>& whatif() const { return whatif_; }
  /// Where answers to this viewer go.
  void set_response_topic(const QString& topic) { response_topic_ = topic; }
  QString response_topic() const { return response_topic_; }

 signals:
  void alerts_changed();
  void prediction_changed();
  void whatif_answered();
  void connection_changed();

 private:
  void apply_state(const QJsonObject& s);
  void apply_prediction(const QJsonObject& p);
  void apply_whatif(const QJsonObject& a, const QString& correlation);
  bool rebuild_topology(const QJsonObject& s);

  QString url_, twin_, response_topic_;
  RunData data_;
  QJsonObject state_;
  int states_ = 0;
  double epoch_ = -1;
  double last_t_ = -1;
  QHash<QString, QJsonObject> last_groups_;  // previous counters, for per-interval deltas
  bool connected_ = false;
  QString connection_detail_;
  QString twin_status_;
  std::vector<LiveAlert> alerts_;
  std::vector<PredictionRow> prediction_;
  double prediction_as_of_ = 0;
  QString pending_;  // correlation of the outstanding request
  std::optional<WhatIfAnswer> whatif_;
};

}  // namespace edgetwin::gui
