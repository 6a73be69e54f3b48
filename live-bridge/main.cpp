// live-bridge/main.cpp — the `edgetwin-bridge` command line: twin, emulate, replay, whatif.
// Exit codes: 0 ok, 1 a what-if was not answered with a drill report, 2 invalid input,
// 3 internal or I/O error, 4 broker unreachable or refused us, 5 no answer in time.
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "live-bridge/bridge.hpp"
#include "live-bridge/emulator.hpp"
#include "live-bridge/recording.hpp"
#include "live-bridge/whatif_client.hpp"
#include "models/core/units.hpp"
#include "sim/results.hpp"
#include "sim/scenario_loader.hpp"
#include "twin/mapping.hpp"

namespace {

using namespace edgetwin;

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

constexpr const char* kUsage =
    "edgetwin-bridge — live MQTT bridge and digital twin of an EdgeTwin scenario\n"
    "\n"
    "usage:\n"
    "  edgetwin-bridge twin SCENARIO --broker mqtt://HOST:PORT [options]\n"
    "      subscribe as the scenario's mapping says, keep the twin state, publish it under\n"
    "      edgetwin/twin/NAME/..., answer what-if requests, predict and compare periodically\n"
    "      --name NAME              twin name in output topics (default: the scenario's name)\n"
    "      --topic-prefix PREFIX    output topics PREFIX/state, /status, /alerts, /prediction, /whatif/...\n"
    "                               (default edgetwin/twin/NAME): what a least-privilege ACL allows\n"
    "      --max-record SIZE        messages larger than this are not recorded, only counted (16MiB)\n"
    "      --record FILE            append every received message to a recording\n"
    "      --state-out FILE         write the state document (every --state-every, and at exit)\n"
    "      --state-every DURATION   default 1s\n"
    "      --calibrate-out FILE     write the calibrated scenario at exit\n"
    "      --predict-every DURATION run the calibrated scenario this often and compare (default off)\n"
    "      --horizon DURATION       simulated time of predictions and what-ifs (default 60s)\n"
    "      --tolerance X            relative divergence that raises an alert (default 0.25)\n"
    "      --edgetwin PATH          the edgetwin simulator (default: found next to this program)\n"
    "      --work-dir DIR           where child runs write (default: a temporary folder)\n"
    "      --exit-after DURATION    stop after this wall time; --exit-after-messages N: after N messages\n"
    "      --no-publish             publish nothing (read-only twin)\n"
    "      --entity-state-max N     per-entity retained state messages per --state-every (default 10000, 0 = none)\n"
    "      --set PATH=VALUE         override a scenario value, as edgetwin run does\n"
    "  edgetwin-bridge emulate SCENARIO --broker URL [--speed X] [--limit-devices N] [--duration D]\n"
    "      [--qos 0|1] [--window N] [--report FILE]\n"
    "      publish the scenario's device traffic (topics, payload sizes, QoS, source timestamps and\n"
    "      sequence numbers), honouring scripted crash faults of devices, groups and gateways\n"
    "  edgetwin-bridge replay RECORDING SCENARIO [--state-out FILE] [--as-of T] [--calibrate-out FILE]\n"
    "      [--max-record SIZE]\n"
    "      feed a recording through the twin with no broker (deterministic); stops at the last complete\n"
    "      record, or at a record larger than --max-record (default 16MiB)\n"
    "  edgetwin-bridge whatif --broker URL [--twin NAME | --topic-prefix PREFIX] --fail ENTITY [--for DURATION] [--action crash]\n"
    "      [--at DURATION] [--horizon DURATION] [--timeout DURATION]\n"
    "      ask a running twin what happens if ENTITY fails now; prints the drill report\n"
    "\n"
    "broker options (every command that connects):\n"
    "  --broker mqtt://HOST:PORT | mqtts://HOST:PORT   --client-id ID   --keep-alive SECONDS\n"
    "  --username USER  --password-file FILE | --password-env VARIABLE   (never --password)\n"
    "  --ca-file FILE  --cert FILE --key FILE  --insecure   --clean (no persistent session)\n"
    "\n"
    "exit codes: 0 ok, 1 what-if not answered with a drill report, 2 invalid input,\n"
    "            3 internal or I/O error, 4 broker unreachable or refused, 5 no answer in time\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double duration_arg(const std::string& opt, const std::string& v) {
  const auto d = models::units::parse(models::units::Kind::duration, v);
  if (!d || *d < 0) throw UsageError(opt + " expects a duration like \"30s\", got \"" + v + "\"");
  return *d;
}
double number_arg(const std::string& opt, const std::string& v) {
  try {
    std::size_t n = 0;
    const double x = std::stod(v, &n);
    if (n != v.size() || !(x >= 0)) throw std::invalid_argument("");
    return x;
  } catch (const std::exception&) {
    throw UsageError(opt + " expects a non-negative number, got \"" + v + "\"");
  }
}

std::uint32_t record_size_arg(const std::string& opt, const std::string& v) {
  const auto d = models::units::parse(models::units::Kind::data_size, v);
  if (!d || *d < 64 || *d > 4294967295.0)
    throw UsageError(opt + " expects a data size between 64B and 4GiB like \"16MiB\", got \"" + v + "\"");
  return static_cast<std::uint32_t>(*d);
}
std::string topic_prefix_arg(const std::string& opt, std::string v) {
  while (!v.empty() && v.back() == '/') v.pop_back();
  if (v.empty() || v.find_first_of("+#") != std::string::npos || v.front() == '$' || v.front() == '/')
    throw UsageError(opt + " expects an MQTT topic without wildcards, not starting with $ or /, got \"" + v + "\"");
  return v;
}

struct Cursor {
  std::vector<std::string>& a;
  std::size_t i = 0;
  std::string value(const std::string& opt) {
    if (i + 1 >= a.size()) throw UsageError(opt + " needs a value");
    return a[++i];
  }
};

sim::Scenario load(const std::string& path, const std::vector<std::string>& overrides, twin::Mapping& mapping) {
  sim::Scenario sc = sim::load_scenario(path, overrides);
  try {
    mapping = twin::mapping_from_scenario(sc);
  } catch (const sim::ScenarioError& e) {
    throw sim::ScenarioFileError(sc.file, e.pointer(), e.message());
  }
  return sc;
}

int cmd_twin(std::vector<std::string> a) {
  bridge::TwinOptions o;
  bridge::parse_broker_options(a, o.broker);
  std::string scenario;
  std::vector<std::string> overrides;
  for (Cursor c{a}; c.i < a.size(); ++c.i) {
    const std::string w = a[c.i];
    if (w == "--name") o.name = c.value(w);
    else if (w == "--topic-prefix") o.topic_prefix = topic_prefix_arg(w, c.value(w));
    else if (w == "--max-record") o.max_record = record_size_arg(w, c.value(w));
    else if (w == "--record") o.record_path = c.value(w);
    else if (w == "--state-out") o.state_path = c.value(w);
    else if (w == "--state-every") o.state_every = std::max(0.05, duration_arg(w, c.value(w)));
    else if (w == "--calibrate-out") o.calibrate_path = c.value(w);
    else if (w == "--predict-every") o.predict_every = duration_arg(w, c.value(w));
    else if (w == "--horizon") o.horizon = std::max(1.0, duration_arg(w, c.value(w)));
    else if (w == "--tolerance") o.tolerance = number_arg(w, c.value(w));
    else if (w == "--edgetwin") o.edgetwin = c.value(w);
    else if (w == "--work-dir") o.work_dir = c.value(w);
    else if (w == "--exit-after") o.exit_after = duration_arg(w, c.value(w));
    else if (w == "--exit-after-messages") o.exit_after_messages = static_cast<std::uint64_t>(number_arg(w, c.value(w)));
    else if (w == "--queue") o.queue_capacity = std::max<std::size_t>(16, static_cast<std::size_t>(number_arg(w, c.value(w))));
    else if (w == "--no-publish") o.publish = false;
    else if (w == "--entity-state-max") o.entity_state_max = static_cast<std::size_t>(number_arg(w, c.value(w)));
    else if (w == "--set") overrides.push_back(c.value(w));
    else if (!w.empty() && w[0] == '-') throw UsageError("unknown option " + w);
    else if (scenario.empty()) scenario = w;
    else throw UsageError("unexpected argument " + w);
  }
  if (scenario.empty()) throw UsageError("missing SCENARIO");
  twin::Mapping mapping;
  const sim::Scenario sc = load(scenario, overrides, mapping);
  return bridge::run_twin(sc, mapping, o, g_stop, std::cerr);
}

int cmd_emulate(std::vector<std::string> a) {
  bridge::EmulatorOptions o;
  bridge::parse_broker_options(a, o.broker);
  std::string scenario;
  std::vector<std::string> overrides;
  for (Cursor c{a}; c.i < a.size(); ++c.i) {
    const std::string w = a[c.i];
    if (w == "--speed") {
      o.speed = number_arg(w, c.value(w));
      if (o.speed <= 0) throw UsageError("--speed must be positive");
    } else if (w == "--limit-devices") o.limit_devices = static_cast<std::uint64_t>(number_arg(w, c.value(w)));
    else if (w == "--duration") o.duration = duration_arg(w, c.value(w));
    else if (w == "--qos") {
      const std::string v = c.value(w);
      if (v != "0" && v != "1") throw UsageError("--qos expects 0 or 1");
      o.qos = std::stoi(v);
    } else if (w == "--window") o.window = std::max<std::size_t>(1, static_cast<std::size_t>(number_arg(w, c.value(w))));
    else if (w == "--report") o.report_path = c.value(w);
    else if (w == "--silence") {
      // TARGET@AT or TARGET@AT+FOR
      const std::string v = c.value(w);
      const auto at = v.rfind('@');
      if (at == std::string::npos || at == 0) throw UsageError("--silence expects TARGET@AT[+FOR], e.g. plant/meters#3@10s+30s");
      const std::string when = v.substr(at + 1);
      const auto plus = when.find('+');
      bridge::EmulatorOptions::Silence s;
      s.target = v.substr(0, at);
      s.from = duration_arg(w, when.substr(0, plus));
      s.to = plus == std::string::npos ? 1e300 : s.from + duration_arg(w, when.substr(plus + 1));
      o.silences.push_back(s);
    }
    else if (w == "--set") overrides.push_back(c.value(w));
    else if (!w.empty() && w[0] == '-') throw UsageError("unknown option " + w);
    else if (scenario.empty()) scenario = w;
    else throw UsageError("unexpected argument " + w);
  }
  if (scenario.empty()) throw UsageError("missing SCENARIO");
  const sim::Scenario sc = sim::load_scenario(scenario, overrides);
  nlohmann::json report;
  const int rc = bridge::run_emulator(sc, o, g_stop, std::cerr, report);
  if (!o.report_path.empty() && !report.is_null()) sim::write_file_atomically(o.report_path, report.dump(1) + "\n");
  if (rc == 0)
    std::cout << "published " << report["published"] << " messages from " << report["devices"].size()
              << " devices\n";
  return rc;
}

int cmd_replay(std::vector<std::string> a) {
  std::string recording, scenario, state_out, calibrate_out;
  double as_of = -1, horizon = 60;
  std::uint32_t max_record = bridge::kDefaultMaxRecord;
  std::vector<std::string> overrides;
  for (Cursor c{a}; c.i < a.size(); ++c.i) {
    const std::string w = a[c.i];
    if (w == "--state-out") state_out = c.value(w);
    else if (w == "--max-record") max_record = record_size_arg(w, c.value(w));
    else if (w == "--as-of") as_of = number_arg(w, c.value(w));
    else if (w == "--calibrate-out") calibrate_out = c.value(w);
    else if (w == "--horizon") horizon = duration_arg(w, c.value(w));
    else if (w == "--set") overrides.push_back(c.value(w));
    else if (!w.empty() && w[0] == '-') throw UsageError("unknown option " + w);
    else if (recording.empty()) recording = w;
    else if (scenario.empty()) scenario = w;
    else throw UsageError("unexpected argument " + w);
  }
  if (scenario.empty()) throw UsageError("usage: edgetwin-bridge replay RECORDING SCENARIO");
  twin::Mapping mapping;
  const sim::Scenario sc = load(scenario, overrides, mapping);
  nlohmann::json calibrated;
  bridge::ReplayResult r;
  try {
    r = bridge::replay_recording(sc, mapping, recording, as_of, calibrate_out.empty() ? nullptr : &calibrated, horizon,
                                 max_record);
  } catch (const std::runtime_error& e) {
    std::cerr << "edgetwin-bridge replay: " << e.what() << "\n";
    return 2;
  }
  if (!state_out.empty()) sim::write_file_atomically(state_out, r.state.dump(1) + "\n");
  if (!calibrate_out.empty()) sim::write_file_atomically(calibrate_out, calibrated.dump(2) + "\n");
  std::cout << "replayed " << r.records << " records (" << r.end << "): " << r.state["received"] << " messages, "
            << r.state["totals"]["devices_seen"] << " devices, " << r.state["totals"]["missing"] << " missing, "
            << r.state["totals"]["duplicates"] << " duplicates, " << r.state["totals"]["malformed"] << " malformed\n";
  for (const auto& [key, l] : r.state["limits"].items())
    std::cerr << "edgetwin-bridge replay: limit " << key << " = " << l["limit"] << " hit " << l["hits"]
              << " times (last: " << l["last"].get<std::string>() << ")\n";
  if (r.end == "oversize")
    std::cerr << "edgetwin-bridge replay: the record at byte " << r.end_offset << " is " << r.oversize_length
              << " bytes, over the limit recording.max_record = " << max_record
              << " (--max-record): replayed up to the record before it\n";
  else if (r.end != "complete")
    std::cerr << "edgetwin-bridge replay: the recording ends with an incomplete or damaged record; replayed up to the "
                 "last complete one\n";
  return 0;
}

int cmd_whatif(std::vector<std::string> a) {
  bridge::WhatIfClientOptions o;
  bridge::parse_broker_options(a, o.broker);
  nlohmann::json req = nlohmann::json::object();
  for (Cursor c{a}; c.i < a.size(); ++c.i) {
    const std::string w = a[c.i];
    if (w == "--twin") o.twin = c.value(w);
    else if (w == "--topic-prefix") o.topic_prefix = topic_prefix_arg(w, c.value(w));
    else if (w == "--fail") req["fail"] = c.value(w);
    else if (w == "--for") req["for"] = c.value(w);
    else if (w == "--action") req["action"] = c.value(w);
    else if (w == "--at") req["at"] = c.value(w);
    else if (w == "--horizon") req["horizon"] = c.value(w);
    else if (w == "--timeout") o.timeout = duration_arg(w, c.value(w));
    else throw UsageError("unknown option or argument " + w);
  }
  if (!req.contains("fail")) throw UsageError("missing --fail ENTITY");
  o.request = req;
  return bridge::run_whatif_client(o, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty() || a[0] == "--help" || a[0] == "-h" || a[0] == "help") {
    std::cout << kUsage;
    return a.empty() ? 2 : 0;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  const std::string cmd = a[0];
  a.erase(a.begin());
  for (const auto& w : a)
    if (w == "--help" || w == "-h") {
      std::cout << kUsage;
      return 0;
    }
  try {
    if (cmd == "twin") return cmd_twin(a);
    if (cmd == "emulate") return cmd_emulate(a);
    if (cmd == "replay") return cmd_replay(a);
    if (cmd == "whatif") return cmd_whatif(a);
    std::cerr << "edgetwin-bridge: unknown command \"" << cmd << "\"\n" << kUsage;
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "edgetwin-bridge " << cmd << ": " << e.what() << " (see edgetwin-bridge --help)\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "edgetwin-bridge " << cmd << ": " << e.what() << "\n";
    return 2;
  } catch (const sim::ScenarioFileError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "edgetwin-bridge " << cmd << ": " << e.what() << "\n";
    return 3;
  }
}
