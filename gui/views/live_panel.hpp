// gui/views/live_panel.hpp — the "Live" tab of live mode: connection and twin status, observed
// versus predicted (the twin's last prediction comparison, diverged metrics marked), the alerts
// (newest first), and the what-if form (pick a gateway or broker, "simulate failure for N s") with
// the answer's predicted impact. Draws what the LiveTwinSource holds; sending is the window's job
// (whatif_requested), so the panel needs no MQTT.
#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;
QT_END_NAMESPACE

namespace edgetwin::gui {

class LiveTwinSource;

class LivePanel : public QWidget {
  Q_OBJECT
 public:
  LivePanel(LiveTwinSource* source, QWidget* parent = nullptr);

  QTableWidget* prediction_table() const { return prediction_; }
  QListWidget* alert_list() const { return alerts_; }
  QTableWidget* impact_table() const { return impact_; }
  QComboBox* target_box() const { return target_; }
  QSpinBox* seconds_box() const { return seconds_; }
  QPushButton* simulate_button() const { return simulate_; }
  QString whatif_status() const;
  /// The window says whether the request went out ("" = it could not be sent).
  void request_sent(const QString& correlation);

 signals:
  void whatif_requested(const QString& target, double seconds);

 private:
  void refresh_status();
  void refresh_prediction();
  void refresh_alerts();
  void refresh_targets();
  void refresh_whatif();

  LiveTwinSource* source_;
  QLabel* status_;
  QTableWidget* prediction_;
  QListWidget* alerts_;
  QComboBox* target_;
  QSpinBox* seconds_;
  QPushButton* simulate_;
  QLabel* whatif_status_;
  QTableWidget* impact_;
};

}  // namespace edgetwin::gui
