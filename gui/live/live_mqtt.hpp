// gui/live/live_mqtt.hpp — the viewer's MQTT transport for live mode (Paho MQTT C++, MQTT 5). It
// subscribes to what a LiveTwinSource asks for and hands every message to it on the GUI thread:
// Paho's callbacks run on Paho's threads and only enqueue (a queued signal, i.e. an event posted
// to this object's thread); nothing else happens there. What-if requests go out with a response
// topic and correlation data as MQTT 5 properties. Connect options, TLS and the Paho 1.2 workarounds
// are live-bridge's (live-bridge/mqtt_options.hpp). Built only when Paho is found.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

namespace mqtt {
class async_client;
class token;
}  // namespace mqtt

namespace edgetwin::gui {

class LiveTwinSource;

class LiveMqttClient : public QObject {
  Q_OBJECT
 public:
  /// `url`: mqtt://HOST:PORT or mqtts://HOST:PORT. Does not connect yet: see start().
  LiveMqttClient(LiveTwinSource* source, QString url, QObject* parent = nullptr);
  ~LiveMqttClient() override;

  /// Starts connecting (asynchronous; retries every second until connected). False with `error`
  /// set when the URL is not usable.
  bool start(QString* error = nullptr);
  bool connected() const { return connected_; }
  QString client_id() const { return client_id_; }

  /// Asks the followed twin to simulate the failure of `target` for `seconds`. Returns the
  /// correlation id, or "" when not connected or no twin is followed yet.
  QString request_whatif(const QString& target, double seconds);

 signals:
  /// Queued from Paho's threads to this object's thread.
  void message_queued(const QString& topic, const QByteArray& payload, const QByteArray& correlation);
  void connection_queued(bool connected, const QString& detail);

 private:
  void poll_connect();
  void deliver(const QString& topic, const QByteArray& payload, const QByteArray& correlation);
  void subscribe_all();

  LiveTwinSource* source_;
  QString url_, client_id_;
  std::unique_ptr<mqtt::async_client> cli_;
  std::shared_ptr<mqtt::token> connecting_;
  QTimer poll_;
  std::mutex alive_mutex_;  // callbacks check alive_ under it; the destructor clears it first
  bool alive_ = true;
  bool connected_ = false;
  int requests_ = 0;
};

}  // namespace edgetwin::gui
