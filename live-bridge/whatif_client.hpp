// live-bridge/whatif_client.hpp — `edgetwin-bridge whatif`: asks a running twin a what-if question
// over MQTT 5 request/response (response topic + correlation data) and prints the drill report.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "live-bridge/mqtt_options.hpp"

namespace edgetwin::bridge {

struct WhatIfClientOptions {
  BrokerOptions broker;
  std::string twin;         // twin name; "" = the only twin whose status is "online"
  std::string topic_prefix; // the twin's output topic prefix when it was given one (--topic-prefix)
  nlohmann::json request;   // {"fail": ..., "for": ..., ...}
  double timeout = 300;     // s to wait for the answer
};

/// Returns 0 when the twin answered with a drill report ("status": "ok"), 1 when it answered
/// otherwise (unsupported, error: the answer is printed all the same), 4 no broker, 5 no answer.
int run_whatif_client(const WhatIfClientOptions& options, std::ostream& out, std::ostream& log);

}  // namespace edgetwin::bridge
