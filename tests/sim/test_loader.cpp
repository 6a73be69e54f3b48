// In-process loader checks: overrides, defaults, entity naming, the published schema, and routes.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/topology.hpp"

using namespace edgetwin::sim;
using namespace edgetwin::test;

TEST(Loader, DefaultScenarioEntitiesAndUnits) {
  const Scenario sc = load_scenario(source_path("scenarios/smart-factory.json"));
  EXPECT_EQ(sc.name, "smart-factory");
  EXPECT_DOUBLE_EQ(sc.duration, 300.0);
  ASSERT_EQ(sc.sites.size(), 2u);
  EXPECT_EQ(sc.sites[0].gateways[1].name, "plant-north/gw-2");
  EXPECT_DOUBLE_EQ(sc.sites[0].gateways[0].speed, 2e9);
  EXPECT_EQ(sc.sites[0].device_groups[0].name, "plant-north/meters");
  EXPECT_DOUBLE_EQ(sc.sites[0].device_groups[0].access.bandwidth, 5470.0 / 8.0);
  EXPECT_EQ(sc.brokers.names(), (std::vector<std::string>{"broker-1", "broker-2", "broker-3"}));
  EXPECT_EQ(sc.cloud_nodes[0].name, "cloud/k8s-1");
  // "brokers" endpoints expand into one link per broker.
  int cluster = 0;
  for (const auto& l : sc.links) cluster += l.name.rfind("cluster-lan/", 0) == 0;
  EXPECT_EQ(cluster, 3);
  EXPECT_EQ(sc.device_count(), 3030u);
}

TEST(Loader, OverridesByPointerAndDottedPath) {
  const Scenario sc = load_scenario(source_path("scenarios/smart-factory.json"),
                                    {"/platform/brokers/count=5", "workload.traffic.0.period=30s", "seed=9"});
  EXPECT_EQ(sc.brokers.count, 5);
  EXPECT_DOUBLE_EQ(sc.traffic[0].period, 30.0);
  EXPECT_EQ(sc.seed, 9u);
}

TEST(Loader, RoutesFollowLowestLatencyPath) {
  const Scenario sc = load_scenario(source_path("scenarios/smart-factory.json"));
  const Topology topo(sc);
  const auto& r = topo.route("plant-north/gw-1", "lb");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(sc.links[static_cast<std::size_t>(r[0])].name, "north-lan-1");
  EXPECT_EQ(sc.links[static_cast<std::size_t>(r[1])].name, "north-wan");
  EXPECT_EQ(topo.route("lb", "broker-2").size(), 1u);
  EXPECT_TRUE(topo.has_route("broker-3", "cloud/k8s-2"));
  // 3030 devices are 6 group vertices, not 3030 vertices.
  EXPECT_EQ(topo.vertex_count(), 4u + 2u + 6u + 1u + 3u + 2u);
}

TEST(Loader, PublishedSchemaMatchesTheLoaderSpec) {
  const auto published = read_json(source_path("scenarios/schema.json"));
  EXPECT_EQ(published, scenario_schema()) << "regenerate with: edgetwin schema > scenarios/schema.json";
}

TEST(Loader, SchemaDescribesEveryRootKey) {
  const auto schema = scenario_schema();
  for (const char* k : {"name", "seed", "duration", "warmup", "engine", "platform", "workload", "faults", "slo",
                        "mapping", "outputs"})
    EXPECT_TRUE(schema["properties"].contains(k)) << k;
  EXPECT_EQ(schema["additionalProperties"], false);
}

TEST(Loader, DidYouMean) {
  EXPECT_EQ(did_you_mean("duraton", {"duration", "description"}), "duration");
  EXPECT_EQ(did_you_mean("zzzzzz", {"duration", "seed"}), "");
}

TEST(Loader, DocsFieldReferenceIsGeneratedFromTheSpec) {
  const std::string doc = read_text(source_path("docs/scenario-format.md"));
  const std::string begin = "<!-- BEGIN GENERATED: edgetwin schema --markdown -->\n";
  const auto b = doc.find(begin);
  const auto e = doc.find("<!-- END GENERATED -->");
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_EQ(doc.substr(b + begin.size(), e - b - begin.size()), markdown_reference(scenario_spec()))
      << "regenerate the section with: edgetwin schema --markdown";
}
