// live-bridge/whatif_client.cpp — MQTT 5 request/response client for what-if questions.
#include "live-bridge/whatif_client.hpp"

#include <unistd.h>

#include <chrono>
#include <set>

#include <mqtt/async_client.h>

#include "live-bridge/bridge.hpp"

namespace edgetwin::bridge {

using nlohmann::json;

int run_whatif_client(const WhatIfClientOptions& o, std::ostream& out, std::ostream& log) {
  const std::string id = o.broker.client_id.empty() ? "edgetwin-whatif-" + std::to_string(::getpid()) : o.broker.client_id;
  mqtt::async_client cli(paho_uri(o.broker.url), id, mqtt::create_options(MQTTVERSION_5));
  cli.start_consuming();
  BrokerOptions b = o.broker;
  b.clean_start = true;
  try {
    connect_client(cli, connect_options(b, false))->wait();
  } catch (const mqtt::exception& e) {
    log << "edgetwin-bridge whatif: " << describe_connect_error(e, o.broker) << "\n";
    return 4;
  }
  std::string twin = o.twin;
  if (twin.empty() && o.topic_prefix.empty()) {
    // Find the running twin from the retained status topics.
    cli.subscribe("edgetwin/twin/+/status", 1)->wait();
    std::set<std::string> online;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(700);
    while (std::chrono::steady_clock::now() < until) {
      mqtt::const_message_ptr m;
      if (!cli.try_consume_message_for(&m, std::chrono::milliseconds(100)) || !m) continue;
      const std::string t = m->get_topic();
      const std::string name = t.substr(14, t.size() - 14 - 7);  // edgetwin/twin/NAME/status
      if (m->get_payload_str() == "online") online.insert(name);
      else online.erase(name);
    }
    cli.unsubscribe("edgetwin/twin/+/status")->wait();
    if (online.size() != 1) {
      log << "edgetwin-bridge whatif: " << (online.empty() ? "no running twin found" : "several twins are running")
          << " on " << o.broker.url << "; name one with --twin NAME\n";
      cli.disconnect()->wait();
      return 5;
    }
    twin = *online.begin();
  }
  const std::string prefix = o.topic_prefix.empty() ? twin_topic_prefix(twin) : o.topic_prefix;
  if (twin.empty()) twin = prefix;
  const std::string response_topic = prefix + "/whatif/response/" + id;
  const std::string correlation = id + "-" + std::to_string(static_cast<long long>(wall_now() * 1e6));
  cli.subscribe(response_topic, 1)->wait();
  auto msg = mqtt::message_ptr_builder()
                 .topic(prefix + "/whatif/request")
                 .payload(o.request.dump())
                 .qos(1)
                 .properties(mqtt::properties{mqtt::property(mqtt::property::RESPONSE_TOPIC, response_topic),
                                              mqtt::property(mqtt::property::CORRELATION_DATA, correlation)})
                 .finalize();
  cli.publish(msg)->wait();
  log << "what-if sent to twin " << twin << ", waiting up to " << o.timeout << " s\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    mqtt::const_message_ptr m;
    if (!cli.try_consume_message_for(&m, std::chrono::milliseconds(200)) || !m) continue;
    const auto& props = m->get_properties();
    if (!props.contains(mqtt::property::CORRELATION_DATA) ||
        mqtt::get<std::string>(props, mqtt::property::CORRELATION_DATA) != correlation)
      continue;
    const json answer = json::parse(m->get_payload_str(), nullptr, false);
    out << (answer.is_discarded() ? m->get_payload_str() : answer.dump(2)) << "\n";
    cli.disconnect()->wait();
    return !answer.is_discarded() && answer.value("status", "") == "ok" ? 0 : 1;
  }
  log << "edgetwin-bridge whatif: twin " << twin << " did not answer within " << o.timeout << " s\n";
  cli.disconnect()->wait();
  return 5;
}

}  // namespace edgetwin::bridge
