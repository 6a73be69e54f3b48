// Topic filter matching for device-group topic templates (MQTT 3.1.1 §4.7 wildcards).
#include <gtest/gtest.h>

#include "models/protocol/mqtt_topic.hpp"

using namespace edgetwin::models::mqtt;

TEST(MqttTopic, SplitAndExpand) {
  EXPECT_EQ(split_topic_levels("a//b"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split_topic_levels("/"), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(expand_group_topic("{site}/{group}/{device}/up", "plant", "meters"), "plant/meters/{device}/up");
}

TEST(MqttTopic, WildcardsMatchEveryDeviceLiteralsDoNot) {
  const std::string t = expand_group_topic("{site}/{group}/{device}/up", "plant", "meters");
  EXPECT_TRUE(filter_matches_group_topic("#", t));
  EXPECT_TRUE(filter_matches_group_topic("plant/#", t));
  EXPECT_TRUE(filter_matches_group_topic("+/meters/+/up", t));
  EXPECT_TRUE(filter_matches_group_topic("plant/meters/+/up", t));
  EXPECT_FALSE(filter_matches_group_topic("plant/meters/17/up", t));  // one device, not the group
  EXPECT_FALSE(filter_matches_group_topic("+/machines/+/up", t));
  EXPECT_FALSE(filter_matches_group_topic("plant/meters/+", t));      // too short
  EXPECT_FALSE(filter_matches_group_topic("plant/meters/+/up/x", t)); // too long
  EXPECT_TRUE(filter_matches_group_topic("plant/meters/+/#", t));     // '#' also matches the parent level
}
