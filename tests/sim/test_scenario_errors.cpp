// Malformed scenarios: each is rejected by `edgetwin validate` (and `run`) before anything runs,
// with exit code 2 and a message naming the file, the JSON pointer and what was expected.
#include <gtest/gtest.h>

#include <functional>

#include "cli_runner.hpp"

using namespace edgetwin::test;
using nlohmann::json;

namespace {

struct BadCase {
  std::string name;
  std::function<void(json&)> mutate;  // applied to the default scenario
  std::string pointer;                // expected JSON pointer in the message
  std::string expectation;            // expected fragment of the explanation
};

json default_scenario() { return read_json(source_path("scenarios/smart-factory.json")); }

void write(const std::string& path, const std::string& text) {
  std::ofstream o(path, std::ios::binary);
  o << text;
}

std::vector<BadCase> cases() {
  return {
      {"cpu_not_a_speed", [](json& j) { j["platform"]["sites"][0]["gateways"][1]["cpu"] = "fast"; },
       "/platform/sites/0/gateways/1/cpu", "expected a CPU speed like \"2Gf\""},
      {"unknown_root_key", [](json& j) { j["duraton"] = "10s"; }, "/duraton", "did you mean \"duration\""},
      {"missing_duration", [](json& j) { j.erase("duration"); }, "/duration", "missing required key"},
      {"negative_duration", [](json& j) { j["duration"] = "-5s"; }, "/duration", "greater than 0"},
      {"zero_brokers", [](json& j) { j["platform"]["brokers"]["count"] = 0; }, "/platform/brokers/count",
       "at least 1"},
      {"unknown_gateway_in_group",
       [](json& j) { j["platform"]["sites"][0]["device_groups"][0]["gateways"][1] = "gw-9"; },
       "/platform/sites/0/device_groups/0/gateways/1", "unknown gateway \"gw-9\""},
      {"traffic_unknown_group", [](json& j) { j["workload"]["traffic"][0]["group"] = "plant-north/meter"; },
       "/workload/traffic/0/group", "did you mean \"plant-north/meters\""},
      {"service_unknown_node", [](json& j) { j["workload"]["services"][0]["node"] = "cloud/k8s-9"; },
       "/workload/services/0/node", "unknown cloud node"},
      {"link_unknown_endpoint", [](json& j) { j["platform"]["links"][2]["between"][1] = "lb2"; },
       "/platform/links/2/between/1", "did you mean \"lb\""},
      {"unreachable_group",
       [](json& j) {
         auto& links = j["platform"]["links"];
         links.erase(links.begin() + 2);  // north-wan: plant-north can no longer reach the load balancer
       },
       "/platform/sites/0/device_groups/0", "cannot reach the brokers"},
      {"qos_two", [](json& j) { j["workload"]["traffic"][1]["qos"] = 2; }, "/workload/traffic/1/qos",
       "expected 0 or 1"},
      {"loss_above_one", [](json& j) { j["platform"]["sites"][0]["device_groups"][0]["access"]["loss"] = 1.5; },
       "/platform/sites/0/device_groups/0/access/loss", "probability between 0 and 1"},
      {"pattern_typo", [](json& j) { j["workload"]["traffic"][1]["pattern"] = "poison"; },
       "/workload/traffic/1/pattern", "did you mean \"poisson\""},
      {"duplicate_gateway", [](json& j) { j["platform"]["sites"][0]["gateways"][1]["name"] = "gw-1"; },
       "/platform/sites/0/gateways/1/name", "duplicate entity name"},
      {"rollout_unknown_gateway",
       [](json& j) {
         j["workload"]["rollouts"] = json::array({{{"name", "v2"}, {"at", "10s"},
                                                   {"registry", {{"node", "cloud/k8s-1"}, {"bandwidth", "100Mbps"}}},
                                                   {"image", {{"layers", {{{"size", "10MB"}}}}}},
                                                   {"gateways", {"plant-north/gw-9"}},
                                                   {"restart", "5s"}}});
       },
       "/workload/rollouts/0/gateways/0", "expected a gateway (site/gateway) or a site, got \"plant-north/gw-9\""},
      {"rollout_registry_on_gateway",
       [](json& j) {
         j["workload"]["rollouts"] = json::array({{{"name", "v2"}, {"at", "10s"},
                                                   {"registry", {{"node", "plant-north/gw-1"}, {"bandwidth", "100Mbps"}}},
                                                   {"image", {{"layers", {{{"size", "10MB"}}}}}},
                                                   {"restart", "5s"}}});
       },
       "/workload/rollouts/0/registry/node", "the registry must run on a cloud node, a broker or the load balancer"},
      {"rollout_no_layers",
       [](json& j) {
         j["workload"]["rollouts"] = json::array({{{"name", "v2"}, {"at", "10s"},
                                                   {"registry", {{"node", "cloud/k8s-1"}, {"bandwidth", "100Mbps"}}},
                                                   {"image", {{"layers", json::array()}}},
                                                   {"restart", "5s"}}});
       },
       "/workload/rollouts/0/image/layers", "expected at least one layer"},
      {"quota_unknown_tenant",
       [](json& j) { j["platform"]["brokers"]["tenant_quotas"] = json::array({{{"tenant", "acmee"}, {"rate", 10}}}); },
       "/platform/brokers/tenant_quotas/0/tenant", "unknown tenant \"acmee\""},
      {"quota_zero_rate",
       [](json& j) {
         j["platform"]["sites"][0]["device_groups"][0]["tenant"] = "acme";
         j["platform"]["brokers"]["tenant_quotas"] = json::array({{{"tenant", "acme"}, {"rate", 0}}});
       },
       "/platform/brokers/tenant_quotas/0/rate", "greater than 0"},
      {"service_unknown_store", [](json& j) { j["workload"]["services"][0]["store"] = "objetcs"; },
       "/workload/services/0/store", "unknown storage cluster \"objetcs\""},
      {"storage_replication_over_osds",
       [](json& j) {
         j["platform"]["cloud"]["storage"] =
             json::array({{{"name", "objects"}, {"osds", 2}, {"replication", 3}, {"disk_write_bandwidth", "100MBps"}}});
       },
       "/platform/cloud/storage/0/replication", "expected at most osds (2) copies, got 3"},
      {"storage_missing_disk_bandwidth",
       [](json& j) { j["platform"]["cloud"]["storage"] = json::array({{{"name", "objects"}}}); },
       "/platform/cloud/storage/0/disk_write_bandwidth", "missing required key"},
      {"batch_job_unknown_executor",
       [](json& j) {
         j["platform"]["cloud"]["storage"] =
             json::array({{{"name", "objects"}, {"disk_write_bandwidth", "100MBps"}}});
         j["workload"]["batch_jobs"] = json::array({{{"name", "rollup"}, {"every", "10s"}, {"input", "objects"},
                                                     {"executors", json::array({"cloud/k8s-3"})},
                                                     {"stages", json::array({{{"cost_per_byte", "1kf"}}})}}});
       },
       "/workload/batch_jobs/0/executors/0", "unknown cloud node \"cloud/k8s-3\""},
      {"batch_job_unknown_input",
       [](json& j) {
         j["workload"]["batch_jobs"] = json::array({{{"name", "rollup"}, {"every", "10s"}, {"input", "objects"},
                                                     {"executors", json::array({"cloud/k8s-1"})},
                                                     {"stages", json::array({{{"cost_per_byte", "1kf"}}})}}});
       },
       "/workload/batch_jobs/0/input", "unknown storage cluster or service \"objects\""},
      {"logging_unknown_gateway",
       [](json& j) {
         j["platform"]["logging"] = {{"node", "cloud/k8s-1"}, {"ship_rate", "1kBps"}, {"gateways", json::array({"gw-1"})}};
       },
       "/platform/logging/gateways/0", "unknown gateway \"gw-1\" (write site/gw)"},
      {"logging_nothing_to_ship", [](json& j) { j["platform"]["logging"] = {{"node", "cloud/k8s-1"}}; },
       "/platform/logging/ship_rate", "expected a ship_rate or bytes_per_message above zero"},
      {"alert_up_unknown_entity",
       [](json& j) {
         j["alerting"] = {{"rules", json::array({{{"name", "down"}, {"metric", "up"}, {"scope", "broker-7"}}})}};
       },
       "/alerting/rules/0/scope", "expected a gateway, load balancer, broker, cloud node or link"},
      {"aggregate_zero_count",
       [](json& j) { j["platform"]["sites"][0]["gateways"][0]["pipeline"]["aggregate"]["count"] = 0; },
       "/platform/sites/0/gateways/0/pipeline/aggregate/count", "at least 1"},
      {"slo_unknown_metric", [](json& j) { j["slo"][0]["metric"] = "latency.p999"; }, "/slo/0/metric",
       "unknown metric"},
      {"payload_not_a_size", [](json& j) { j["workload"]["traffic"][0]["payload"] = "12 apples"; },
       "/workload/traffic/0/payload", "expected a data size"},
      {"zero_access_bandwidth",
       [](json& j) { j["platform"]["sites"][1]["device_groups"][0]["access"]["bandwidth"] = "0kbps"; },
       "/platform/sites/1/device_groups/0/access/bandwidth", "greater than 0"},
      {"paas_field_on_iaas_service", [](json& j) { j["workload"]["services"][0]["replicas"] = 3; },
       "/workload/services/0/replicas", "applies to paas services only"},
      {"paas_without_k8s_worker", [](json& j) { j["workload"]["services"][0]["model"] = "paas"; },
       "/workload/services/0/model", "no k8s-worker node"},
      {"paas_node_not_a_worker",
       [](json& j) {
         j["workload"]["services"][0]["model"] = "paas";
         j["workload"]["services"][0]["nodes"] = json::array({"cloud/k8s-2"});
       },
       "/workload/services/0/nodes/0", "expected a k8s-worker node"},
      {"hpa_max_below_min",
       [](json& j) {
         j["platform"]["cloud"]["nodes"][0]["kind"] = "k8s-worker";
         j["workload"]["services"][0]["model"] = "paas";
         j["workload"]["services"][0]["autoscale"] = {{"min", 3}, {"max", 2}};
       },
       "/workload/services/0/autoscale/max", "expected max >= min"},
      {"container_crash_with_duration",
       [](json& j) {
         j["platform"]["cloud"]["nodes"][0]["kind"] = "k8s-worker";
         j["workload"]["services"][0]["model"] = "paas";
         j["faults"] = json::array({{{"at", "10s"}, {"target", j["workload"]["services"][0]["name"]},
                                     {"action", "crash"}, {"for", "30s"}}});
       },
       "/faults/0/for", "a container crash has no duration"},
      {"container_crash_bad_pods",
       [](json& j) {
         j["platform"]["cloud"]["nodes"][0]["kind"] = "k8s-worker";
         j["workload"]["services"][0]["model"] = "paas";
         j["faults"] = json::array({{{"at", "10s"}, {"target", j["workload"]["services"][0]["name"]},
                                     {"action", "crash"}, {"params", {{"pods", 0}}}}});
       },
       "/faults/0/params/pods", "a positive integer"},
      {"saas_with_cpu_cost",
       [](json& j) {
         j["workload"]["services"][0]["model"] = "saas";
         j["workload"]["services"][0]["latency"] = "20ms";
       },
       "/workload/services/0/cost_per_message", "costs latency, not CPU"},
      {"bad_topic_filter", [](json& j) { j["workload"]["services"][1]["subscribe"][0] = "a/#/b"; },
       "/workload/services/1/subscribe/0", "MQTT topic filter"},
      {"fault_unknown_target",
       [](json& j) { j["faults"] = json::array({{{"at", "10s"}, {"target", "broker-7"}, {"action", "crash"}}}); },
       "/faults/0/target", "unknown target \"broker-7\""},
      {"fault_after_end",
       [](json& j) { j["faults"] = json::array({{{"at", "1h"}, {"target", "broker-1"}, {"action", "crash"}}}); },
       "/faults/0/at", "within the scenario's duration"},
      {"warmup_too_long", [](json& j) { j["warmup"] = "400s"; }, "/warmup", "shorter than the duration"},
      {"zero_cores", [](json& j) { j["platform"]["sites"][0]["gateways"][0]["cores"] = 0; },
       "/platform/sites/0/gateways/0/cores", "at least 1"},
      {"count_wrong_type", [](json& j) { j["platform"]["sites"][0]["device_groups"][1]["count"] = "many"; },
       "/platform/sites/0/device_groups/1/count", "expected an integer"},
      {"unknown_nested_key", [](json& j) { j["platform"]["load_balancer"]["polcy"] = "round-robin"; },
       "/platform/load_balancer/polcy", "did you mean \"policy\""},
      {"slo_metric_wrong_scope", [](json& j) { j["slo"][3]["metric"] = "latency.p99"; }, "/slo/3/metric",
       "does not apply to broker"},
      {"link_to_device_group", [](json& j) { j["platform"]["links"][0]["between"][1] = "plant-north/meters"; },
       "/platform/links/0/between/1", "is a device_group"},
      // Applications: placement must go device -> edge -> cloud along the chain.
      {"application_placement_not_monotone",
       [](json& j) {
         j["workload"]["applications"] = json::array({{{"name", "assist"},
                                                      {"group", "plant-north/wearables"},
                                                      {"service", "ingest"},
                                                      {"stages", json::array({{{"name", "detect"}, {"output", "1kB"},
                                                                               {"placement", "cloud"}},
                                                                              {{"name", "decide"}, {"output", "100B"},
                                                                               {"placement", "edge"}}})}}});
       },
       "/workload/applications/0/stages/1/placement", "must be monotone"},
      {"application_device_stage_without_cpu",
       [](json& j) {
         j["workload"]["applications"] = json::array(
             {{{"name", "assist"},
               {"group", "plant-north/wearables"},
               {"stages", json::array({{{"name", "capture"}, {"output", "1kB"}, {"placement", "device"}}})}}});
       },
       "/workload/applications/0/stages/0/placement", "has no cpu"},
      {"application_cloud_stage_without_service",
       [](json& j) {
         j["workload"]["applications"] = json::array(
             {{{"name", "assist"},
               {"group", "plant-north/wearables"},
               {"stages", json::array({{{"name", "detect"}, {"output", "1kB"}, {"placement", "cloud"}}})}}});
       },
       "/workload/applications/0/service", "name the service hosting it"},
      {"application_service_not_subscribed",
       [](json& j) {
         j["workload"]["applications"] = json::array(
             {{{"name", "assist"},
               {"group", "plant-north/wearables"},
               {"service", "machine-analytics"},
               {"stages", json::array({{{"name", "detect"}, {"output", "1kB"}, {"placement", "cloud"}}})}}});
       },
       "/workload/applications/0/service", "does not subscribe"},
  };
}

}  // namespace

class ScenarioErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioErrors, RejectedWithPointerAndExitCode2) {
  const BadCase& c = GetParam();
  TempDir dir;
  json doc = default_scenario();
  c.mutate(doc);
  const std::string file = dir / "smart-factory.json";
  write(file, doc.dump(2));
  const auto r = run_edgetwin({"validate", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(file + ": " + c.pointer + ": "), std::string::npos) << "stderr was: " << r.err;
  EXPECT_NE(r.err.find(c.expectation), std::string::npos) << "stderr was: " << r.err;
  EXPECT_TRUE(r.out.empty());
  // `run` refuses it the same way, before writing anything.
  const auto run = run_edgetwin({"run", file, "--out", dir / "results", "--quiet"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "results"));
}

INSTANTIATE_TEST_SUITE_P(Malformed, ScenarioErrors, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadCase>& i) { return i.param.name; });

TEST(ScenarioErrorsMore, InvalidJsonNamesLineAndColumn) {
  TempDir dir;
  const std::string file = dir / "broken.json";
  write(file, "{\n  \"name\": \"x\",\n  \"duration\": \"10s\"\n  \"seed\": 1\n}\n");
  const auto r = run_edgetwin({"validate", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(file + ": line 4, column "), std::string::npos) << r.err;
}

TEST(ScenarioErrorsMore, MissingFile) {
  const auto r = run_edgetwin({"validate", "/nonexistent/scenario.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/scenario.json: cannot open the file"), std::string::npos) << r.err;
}

TEST(ScenarioErrorsMore, SetOnMissingPathIsAnError) {
  const auto r = run_edgetwin({"validate", source_path("scenarios/smart-factory.json"), "--set",
                               "platform.nothing.here=3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/platform/nothing: --set"), std::string::npos) << r.err;
}

TEST(ScenarioErrorsMore, SetProducingBadValueIsReportedAtItsPointer) {
  const auto r = run_edgetwin({"validate", source_path("scenarios/smart-factory.json"), "--set",
                               "platform.brokers.cpu=fast"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/platform/brokers/cpu: expected a CPU speed"), std::string::npos) << r.err;
}

TEST(ScenarioErrorsMore, UnknownCommandAndOption) {
  EXPECT_EQ(run_edgetwin({"frobnicate"}).exit_code, 2);
  const auto r = run_edgetwin({"run", source_path("scenarios/smart-factory.json"), "--sed", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option --sed"), std::string::npos);
}
