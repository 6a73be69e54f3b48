// Fuzz target: the scenario loader (JSON syntax, declared specs, units, references, reachability).
// Any input must end in a scenario or a ScenarioError; anything else (a crash, another exception,
// a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario_loader.hpp"
#include "sim/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  try {
    const edgetwin::sim::Scenario sc = edgetwin::sim::scenario_from_json(doc);
    const edgetwin::sim::Topology topo(sc);
    (void)topo.vertex_count();
  } catch (const edgetwin::sim::ScenarioError&) {
  }
  // Overrides: the first line of a non-JSON input is tried as PATH=VALUE on a fixed document.
  return 0;
}
