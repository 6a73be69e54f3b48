// gui/live/live_mqtt.cpp — see live_mqtt.hpp.
#include "gui/live/live_mqtt.hpp"

#include <chrono>
#include <vector>

#include <QDateTime>
#include <QRandomGenerator>

#include <mqtt/async_client.h>

#include "gui/data/live_source.hpp"
#include "live-bridge/mqtt_options.hpp"

namespace edgetwin::gui {

LiveMqttClient::LiveMqttClient(LiveTwinSource* source, QString url, QObject* parent)
    : QObject(parent), source_(source), url_(std::move(url)) {
  client_id_ = QString("edgetwin-viewer-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar('0'));
  source_->set_response_topic("edgetwin/viewer/" + client_id_ + "/whatif");
  // Queued: emitted on Paho's threads, delivered on ours.
  connect(this, &LiveMqttClient::message_queued, this, &LiveMqttClient::deliver, Qt::QueuedConnection);
  connect(this, &LiveMqttClient::connection_queued, this,
          [this](bool up, const QString& detail) {
            connected_ = up;
            source_->set_connection(up, detail);
          },
          Qt::QueuedConnection);
  poll_.setInterval(100);
  connect(&poll_, &QTimer::timeout, this, &LiveMqttClient::poll_connect);
}

LiveMqttClient::~LiveMqttClient() {
  {
    std::lock_guard<std::mutex> lock(alive_mutex_);
    alive_ = false;  // from now on the callbacks do nothing
  }
  poll_.stop();
  if (!cli_) return;
  try {
    cli_->disable_callbacks();
    if (cli_->is_connected()) cli_->disconnect(std::chrono::milliseconds(500))->wait_for(std::chrono::seconds(2));
  } catch (const std::exception&) {
  }
}

bool LiveMqttClient::start(QString* error) {
  bridge::BrokerOptions o;
  o.url = url_.toStdString();
  o.clean_start = true;  // a viewer keeps no session: retained state is enough to catch up
  std::string uri;
  try {
    uri = bridge::paho_uri(o.url);
  } catch (const std::invalid_argument& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  std::vector<std::string> filters;
  for (const QString& f : source_->subscriptions()) filters.push_back(f.toStdString());
  try {
    cli_ = std::make_unique<mqtt::async_client>(uri, client_id_.toStdString(), mqtt::create_options(MQTTVERSION_5));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  cli_->set_message_callback([this](mqtt::const_message_ptr m) {
    std::lock_guard<std::mutex> lock(alive_mutex_);
    if (!alive_ || !m) return;
    const auto& props = m->get_properties();
    QByteArray corr;
    if (props.contains(mqtt::property::CORRELATION_DATA))
      corr = QByteArray::fromStdString(mqtt::get<std::string>(props, mqtt::property::CORRELATION_DATA));
    emit message_queued(QString::fromStdString(m->get_topic()), QByteArray::fromStdString(m->get_payload_str()), corr);
  });
  cli_->set_connected_handler([this, filters](const std::string&) {
    std::lock_guard<std::mutex> lock(alive_mutex_);
    if (!alive_) return;
    try {
      for (const auto& f : filters) cli_->subscribe(f, 1);  // asynchronous: the token is not waited for
    } catch (const mqtt::exception&) {
    }
    emit connection_queued(true, {});
  });
  cli_->set_connection_lost_handler([this](const std::string& cause) {
    std::lock_guard<std::mutex> lock(alive_mutex_);
    if (alive_) emit connection_queued(false, cause.empty() ? QString("connection lost, reconnecting") : QString::fromStdString(cause));
  });
  bridge::BrokerOptions opts = o;
  try {
    connecting_ = bridge::connect_client(*cli_, bridge::connect_options(opts, true));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  poll_.start();
  return true;
}

void LiveMqttClient::poll_connect() {
  if (!connecting_) return;
  try {
    if (!connecting_->try_wait()) return;  // still connecting
    connecting_.reset();
    poll_.stop();  // connected: Paho reconnects by itself from now on
  } catch (const mqtt::exception& e) {
    bridge::BrokerOptions o;
    o.url = url_.toStdString();
    source_->set_connection(false, QString::fromStdString(bridge::describe_connect_error(e, o)));
    connecting_.reset();
    if (bridge::connect_refused(e)) {
      poll_.stop();
      return;
    }
    // Not reachable yet: try again in a second.
    QTimer::singleShot(1000, this, [this] {
      if (!cli_ || cli_->is_connected()) return;
      try {
        bridge::BrokerOptions o2;
        o2.url = url_.toStdString();
        o2.clean_start = true;
        connecting_ = bridge::connect_client(*cli_, bridge::connect_options(o2, true));
      } catch (const std::exception&) {
      }
    });
  }
}

void LiveMqttClient::deliver(const QString& topic, const QByteArray& payload, const QByteArray& correlation) {
  source_->handle_message(topic, payload, correlation);
}

QString LiveMqttClient::request_whatif(const QString& target, double seconds) {
  if (!cli_ || !connected_ || source_->twin().isEmpty()) return {};
  const QString corr = QString("%1-%2-%3").arg(client_id_).arg(++requests_).arg(QDateTime::currentMSecsSinceEpoch());
  const QByteArray body = source_->make_whatif_request(target, seconds, corr);
  const std::string response = source_->response_topic().toStdString();
  try {
    auto msg = mqtt::message_ptr_builder()
                   .topic((LiveTwinSource::topic_prefix(source_->twin()) + "/whatif/request").toStdString())
                   .payload(body.toStdString())
                   .qos(1)
                   .properties(mqtt::properties{mqtt::property(mqtt::property::RESPONSE_TOPIC, response),
                                                mqtt::property(mqtt::property::CORRELATION_DATA, corr.toStdString())})
                   .finalize();
    cli_->publish(msg);
  } catch (const mqtt::exception&) {
    return {};
  }
  return corr;
}

}  // namespace edgetwin::gui
