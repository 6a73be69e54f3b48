// tests/twin/test_mapping.cpp — topic patterns with captures, templates, presets and mapping validation.
#include <gtest/gtest.h>

#include "sim/scenario_loader.hpp"
#include "twin/mapping.hpp"

namespace {

using namespace edgetwin;
using nlohmann::json;

sim::Scenario fixture(json mapping = nullptr) {
  auto sc = sim::load_scenario(std::string(EDGETWIN_SOURCE_DIR) + "/tests/live-bridge/fixtures/twin-small.json");
  if (!mapping.is_null()) sc.mapping = std::move(mapping);
  return sc;
}

TEST(TopicPattern, CapturesNamedLevels) {
  const auto p = twin::TopicPattern::parse("site/{site}/gw/{gateway}/dev/{device}/up");
  EXPECT_EQ(p.filter(), "site/+/gw/+/dev/+/up");
  const auto m = p.match("site/plant/gw/gw-1/dev/meter-3/up");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("site"), "plant");
  EXPECT_EQ(m->at("gateway"), "gw-1");
  EXPECT_EQ(m->at("device"), "meter-3");
  EXPECT_FALSE(p.match("site/plant/gw/gw-1/dev/meter-3/down"));
  EXPECT_FALSE(p.match("site/plant/gw/gw-1/dev/meter-3/up/extra"));
  EXPECT_FALSE(p.match("site/plant/gw/gw-1/dev/meter-3"));
  EXPECT_FALSE(p.match("site//gw/gw-1/dev/meter-3/up")) << "an empty level is no capture";
}

TEST(TopicPattern, WildcardsAndSys) {
  const auto hash = twin::TopicPattern::parse("$SYS/broker/#");
  EXPECT_TRUE(hash.match("$SYS/broker/clients/connected"));
  EXPECT_TRUE(hash.match("$SYS/broker"));
  EXPECT_FALSE(hash.match("$SYS/other/x"));
  EXPECT_FALSE(twin::TopicPattern::parse("#").match("$SYS/broker/x")) << "$ topics never match a leading wildcard";
  EXPECT_FALSE(twin::TopicPattern::parse("{a}/x").match("$SYS/x"));
  EXPECT_TRUE(twin::topic_matches_filter("a/+/c", "a/b/c"));
  EXPECT_FALSE(twin::topic_matches_filter("a/+/c", "a/b/d"));
}

TEST(TopicPattern, RejectsBadPatterns) {
  EXPECT_THROW(twin::TopicPattern::parse("a/#/b"), std::invalid_argument);
  EXPECT_THROW(twin::TopicPattern::parse("a/x{dev}/b"), std::invalid_argument);
  EXPECT_THROW(twin::TopicPattern::parse("a/{d}/{d}"), std::invalid_argument);
  EXPECT_THROW(twin::TopicPattern::parse("a/{d-x}"), std::invalid_argument);
  EXPECT_THROW(twin::TopicPattern::parse(""), std::invalid_argument);
}

TEST(NameTemplate, Expands) {
  const auto t = twin::NameTemplate::parse("{site}/meters#{device}");
  EXPECT_EQ(t.expand({{"site", "plant"}, {"device", "4"}}), "plant/meters#4");
  EXPECT_EQ(t.uses(), (std::vector<std::string>{"site", "device"}));
  EXPECT_THROW(twin::NameTemplate::parse("{site"), std::invalid_argument);
}

TEST(Mapping, ScenarioPresetFollowsTrafficTopics) {
  const auto sc = fixture();
  const auto m = twin::mapping_from_scenario(sc);
  std::map<std::string, std::string> caps;
  const auto* r = m.match("plant/meters/3/up", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->device.expand(caps), "plant/meters#3");
  EXPECT_EQ(r->group.expand(caps), "plant/meters");
  ASSERT_TRUE(r->period);
  EXPECT_DOUBLE_EQ(*r->period, 1.0);
  r = m.match("site/plant/gw/gw-2/status", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, twin::RuleKind::status);
  r = m.match("$SYS/broker/clients/connected", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, twin::RuleKind::broker_stats);
  const auto f = m.filters();
  EXPECT_NE(std::find(f.begin(), f.end(), "plant/meters/+/up"), f.end());
  EXPECT_NE(std::find(f.begin(), f.end(), "$SYS/broker/#"), f.end());
}

TEST(Mapping, RuleMayOnlyUseItsOwnCaptures) {
  const json mapping = {{"rules",
                         {{{"name", "up"},
                           {"topic", "site/{site}/dev/{device}/up"},
                           {"device", "{site}/{device}"},
                           {"gateway", "{site}/{gateway}"}}}}};
  try {
    twin::mapping_from_scenario(fixture(mapping));
    FAIL() << "expected an error";
  } catch (const sim::ScenarioError& e) {
    EXPECT_EQ(e.pointer(), "/mapping/rules/0/gateway");
    EXPECT_NE(e.message().find("{gateway}"), std::string::npos) << e.what();
  }
}

TEST(Mapping, ValidationNamesThePointer) {
  auto expect_error = [](const json& mapping, const std::string& pointer, const std::string& text) {
    try {
      twin::mapping_from_scenario(fixture(mapping));
      ADD_FAILURE() << "expected an error at " << pointer;
    } catch (const sim::ScenarioError& e) {
      EXPECT_EQ(e.pointer(), pointer) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  expect_error({{"presets", {"nope"}}}, "/mapping/presets/0", "expected one of");
  expect_error({{"stale_afterr", 3}}, "/mapping/stale_afterr", "did you mean");
  expect_error({{"rules", {{{"name", "x"}, {"topic", "a/{d}"}, {"device", "{d}"}, {"group", "plant/nope"}}}}},
               "/mapping/rules/0/group", "no group");
  expect_error({{"rules", {{{"name", "x"}, {"topic", "a/#/b"}, {"device", "d"}}}}}, "/mapping/rules/0/topic", "last level");
  expect_error({{"rules", {{{"name", "x"}, {"topic", "a/{d}"}}}}}, "/mapping/rules/0/device", "needs a device");
  expect_error({{"rules", {{{"name", "x"}, {"topic", "a/{d}"}, {"device", "{d}"}, {"payload", {{"timestamp", "ts"}}}}}}},
               "/mapping/rules/0/payload/timestamp", "JSON pointer");
  expect_error({{"sys_broker", "broker-9"}}, "/mapping/sys_broker", "no broker");
  expect_error({{"presets", json::array()}}, "/mapping", "subscribe to nothing");
}

TEST(Mapping, GenericAndHomiePresets) {
  const auto m = twin::mapping_from_scenario(fixture({{"presets", {"generic", "homie"}}}));
  std::map<std::string, std::string> caps;
  const auto* r = m.match("site/plant/gw/gw-1/dev/meters-2/up", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->device.expand(caps), "plant/meters-2");
  EXPECT_EQ(r->gateway.expand(caps), "plant/gw-1");
  EXPECT_TRUE(r->group_auto);
  r = m.match("homie/thermo-1/$state", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, twin::RuleKind::status);
  r = m.match("homie/thermo-1/sensor/temperature", caps);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->kind, twin::RuleKind::telemetry);
  EXPECT_FALSE(r->payload.json);
}

}  // namespace
