// live-bridge/emulator.cpp — the fleet emulator's publisher: scenario time onto wall time, one
// Paho client per gateway with a bounded window of outstanding tokens.
#include "live-bridge/emulator.hpp"

#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <thread>

#include <mqtt/async_client.h>

#include "live-bridge/bridge.hpp"
#include "live-bridge/emulator_schedule.hpp"
#include "twin/mapping.hpp"

namespace edgetwin::bridge {

using nlohmann::json;

namespace {

struct GatewayClient {
  std::string gateway;
  std::string status_topic;
  std::unique_ptr<mqtt::async_client> cli;
  std::deque<std::pair<mqtt::delivery_token_ptr, std::size_t>> inflight;  // token, device
  bool up = false;
};

/// DISCONNECT with reason 0x04 "disconnect with Will message". Paho C++ 1.2.0 starts its
/// disconnect options from the MQTT 3 C initializer (struct_version 0), so Paho C drops the
/// reason code: raise the C struct's version to 1. The C struct is the object's first member; its
/// "MQTD" tag is checked before touching it, so a different layout only loses the Will, never memory.
void set_disconnect_with_will(mqtt::disconnect_options& dis) {
  dis.set_reason_code(mqtt::ReasonCode::DISCONNECT_WITH_WILL_MESSAGE);
  dis.set_properties(mqtt::properties{});
  auto* c = reinterpret_cast<MQTTAsync_disconnectOptions*>(&dis);
  if (std::memcmp(c->struct_id, "MQTD", 4) == 0 && c->struct_version == 0 &&
      c->reasonCode == MQTTREASONCODE_DISCONNECT_WITH_WILL_MESSAGE)
    c->struct_version = 1;
}

void sleep_until_wall(double t, const std::atomic<bool>& stop) {
  while (!stop) {
    const double d = t - wall_now();
    if (d <= 0) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(d, 0.1)));
  }
}

}  // namespace

int run_emulator(const sim::Scenario& sc, const EmulatorOptions& o, std::atomic<bool>& stop, std::ostream& log,
                 json& report) {
  EmulatorSchedule schedule(sc, o.limit_devices, o.duration);
  for (const auto& s : o.silences) schedule.add_silence(s.target, s.from, s.to);
  const auto& devices = schedule.devices();
  std::vector<std::uint64_t> acked(devices.size(), 0), last_seq(devices.size(), 0);
  std::uint64_t failed = 0;
  std::map<std::string, GatewayClient> clients;
  const std::string prefix = o.broker.client_id.empty() ? "edgetwin-emu" : o.broker.client_id;

  auto connect_opts = [&](const GatewayClient& g) {
    auto opts = connect_options(o.broker, true);
    opts.set_will(mqtt::message(g.status_topic, std::string("offline"), 1, true));
    return opts;
  };
  auto settle = [&](GatewayClient& g, std::size_t keep) {
    while (g.inflight.size() > keep) {
      auto [tok, dev] = g.inflight.front();
      g.inflight.pop_front();
      try {
        tok->wait();
        ++acked[dev];
      } catch (const mqtt::exception& e) {
        ++failed;
        log << "emulate: publish for " << devices[dev].name << " failed: " << e.what() << "\n";
      }
    }
  };
  auto bring_up = [&](GatewayClient& g) -> bool {
    try {
      connect_client(*g.cli, connect_opts(g))->wait();
      g.cli->publish(mqtt::make_message(g.status_topic, std::string("online"), 1, true))->wait();
      g.up = true;
      return true;
    } catch (const mqtt::exception& e) {
      log << "edgetwin-bridge emulate: gateway " << g.gateway << ": " << describe_connect_error(e, o.broker) << "\n";
      return false;
    }
  };

  for (const auto& d : devices) {
    if (d.gateway.empty() || clients.count(d.gateway)) continue;
    GatewayClient g;
    g.gateway = d.gateway;
    const auto slash = d.gateway.find('/');
    g.status_topic = twin::gateway_status_topic(d.gateway.substr(0, slash), d.gateway.substr(slash + 1));
    std::string id = prefix + "-" + d.gateway;
    for (auto& c : id)
      if (c == '/' || c == '#') c = '_';
    auto create = mqtt::create_options_builder()
                      .mqtt_version(MQTTVERSION_5)
                      .send_while_disconnected(true)
                      .max_buffered_messages(static_cast<int>(o.window * 4 + 16))
                      .finalize();
    g.cli = std::make_unique<mqtt::async_client>(paho_uri(o.broker.url), id, create);
    clients.emplace(d.gateway, std::move(g));
  }
  // Connect every gateway client at once: Paho C serves a second connect late (about 2 s) when
  // the first one is already up, so sequential connects would skew the start of each gateway.
  std::vector<std::pair<GatewayClient*, mqtt::token_ptr>> connecting;
  for (auto& [name, g] : clients) {
    try {
      connecting.emplace_back(&g, connect_client(*g.cli, connect_opts(g)));
    } catch (const mqtt::exception& e) {
      log << "edgetwin-bridge emulate: gateway " << g.gateway << ": " << describe_connect_error(e, o.broker) << "\n";
      return 4;
    }
  }
  for (auto& [g, tok] : connecting) {
    try {
      tok->wait();
      g->cli->publish(mqtt::make_message(g->status_topic, std::string("online"), 1, true))->wait();
      g->up = true;
    } catch (const mqtt::exception& e) {
      log << "edgetwin-bridge emulate: gateway " << g->gateway << ": " << describe_connect_error(e, o.broker) << "\n";
      return 4;
    }
  }
  log << "emulate: " << devices.size() << " devices on " << clients.size() << " gateway clients, speed " << o.speed
      << "x, " << schedule.duration() << " s of scenario time\n";

  const double start = wall_now() + 0.05;
  const auto& events = schedule.gateway_events();
  std::size_t next_event = 0;
  auto run_events_until = [&](double t) {
    while (next_event < events.size() && events[next_event].time <= t && !stop) {
      const auto& ev = events[next_event++];
      sleep_until_wall(start + ev.time / o.speed, stop);
      auto it = clients.find(ev.gateway);
      if (it == clients.end()) continue;
      auto& g = it->second;
      try {
        if (ev.down && g.up) {
          settle(g, 0);
          // MQTT 5 "disconnect with Will message": the broker publishes the Will at once, as it
          // would after a crash once the keep-alive expired.
          mqtt::disconnect_options dis;
          set_disconnect_with_will(dis);
          g.cli->disconnect(dis)->wait();
          g.up = false;
          log << "emulate: gateway " << ev.gateway << " down at " << ev.time << " s\n";
        } else if (!ev.down && !g.up) {
          bring_up(g);
          log << "emulate: gateway " << ev.gateway << " up at " << ev.time << " s\n";
        }
      } catch (const mqtt::exception& e) {
        log << "emulate: gateway " << ev.gateway << ": " << e.what() << "\n";
      }
    }
  };

  EmulatedMessage m;
  double lag_max = 0;
  std::uint64_t sent = 0;
  while (!stop && schedule.next(m)) {
    run_events_until(m.time);
    const double due = start + m.time / o.speed;
    sleep_until_wall(due, stop);
    if (stop) break;
    const auto& d = devices[m.device];
    auto& g = clients.at(d.gateway);
    if (!g.up) continue;
    const auto& t = sc.traffic[d.traffic];
    const double now = wall_now();
    lag_max = std::max(lag_max, now - due);
    const int qos = o.qos >= 0 ? o.qos : t.qos;
    const std::string payload = emulator_payload(due, now, m.seq, m.value, t.payload);
    try {
      g.inflight.emplace_back(g.cli->publish(d.topic, payload.data(), payload.size(), qos, false), m.device);
      last_seq[m.device] = m.seq;
      ++sent;
    } catch (const mqtt::exception& e) {
      ++failed;
      log << "emulate: publish for " << d.name << " refused: " << e.what() << "\n";
    }
    settle(g, o.window - 1);
  }
  run_events_until(schedule.duration());
  for (auto& [name, g] : clients) {
    settle(g, 0);
    try {
      if (g.up) g.cli->disconnect()->wait();
    } catch (const mqtt::exception&) {
    }
  }

  json devs = json::object();
  json groups = json::object();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    devs[devices[i].name] = {{"published", acked[i]}, {"last_seq", last_seq[i]}, {"topic", devices[i].topic}};
    const std::string& group = sc.traffic[devices[i].traffic].group;
    if (!groups.contains(group)) groups[group] = {{"devices", 0}, {"published", 0}};
    groups[group]["devices"] = groups[group]["devices"].get<std::uint64_t>() + 1;
    groups[group]["published"] = groups[group]["published"].get<std::uint64_t>() + acked[i];
    total += acked[i];
  }
  report = {{"format", "edgetwin-emulator-report"},
            {"scenario", sc.name},
            {"speed", o.speed},
            {"duration", schedule.duration()},
            {"published", total},
            {"failed", failed},
            {"skipped_silenced", schedule.skipped()},
            {"lag_max", lag_max},
            {"wall_seconds", wall_now() - start},
            {"groups", groups},
            {"devices", devs}};
  log << "emulate: published " << total << " messages (" << failed << " failed, " << schedule.skipped()
      << " silenced by faults), max lag " << lag_max << " s\n";
  return stop && total == 0 ? 3 : 0;
}

}  // namespace edgetwin::bridge
