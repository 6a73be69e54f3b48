// Fuzz target: the twin's payload decoding and state machine. Input: topic line, then the payload.
// Twin::apply must never throw: malformed payloads are counted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario_loader.hpp"
#include "twin/mapping.hpp"
#include "twin/twin_state.hpp"

namespace {
edgetwin::twin::Twin& twin() {
  // The twin keeps a reference to its scenario: both live for the whole process.
  static const edgetwin::sim::Scenario sc =
      edgetwin::sim::load_scenario(std::string(EDGETWIN_SOURCE_DIR) + "/tests/live-bridge/fixtures/twin-small.json");
  static edgetwin::twin::Twin t(sc, edgetwin::twin::mapping_from_scenario(sc));
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  edgetwin::twin::Observation obs;
  obs.topic = text.substr(0, nl);
  obs.payload = nl == std::string::npos ? std::string() : text.substr(nl + 1);
  obs.qos = static_cast<int>(size % 3);
  obs.receive_time = 1000.0 + static_cast<double>(size);
  twin().apply(obs);
  twin().tick(obs.receive_time + 1.0);
  return 0;
}
