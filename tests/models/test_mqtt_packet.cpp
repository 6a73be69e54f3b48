// MQTT 3.1.1 and MQTT-SN 1.2 PUBLISH sizes, checked against the specifications' field layouts.
#include <gtest/gtest.h>

#include "models/protocol/mqtt_packet.hpp"

using namespace edgetwin::models::mqtt;

TEST(MqttPacket, RemainingLengthBoundaries) {
  // MQTT 3.1.1 §2.2.3 table 2.4.
  EXPECT_EQ(remaining_length_bytes(0), 1u);
  EXPECT_EQ(remaining_length_bytes(127), 1u);
  EXPECT_EQ(remaining_length_bytes(128), 2u);
  EXPECT_EQ(remaining_length_bytes(16383), 2u);
  EXPECT_EQ(remaining_length_bytes(16384), 3u);
  EXPECT_EQ(remaining_length_bytes(2097151), 3u);
  EXPECT_EQ(remaining_length_bytes(2097152), 4u);
}

TEST(MqttPacket, PublishSizes) {
  // "a/b", 10 bytes, QoS 0: 1 (type) + 1 (remaining 15) + 2 + 3 + 10 = 17.
  EXPECT_EQ(publish_packet_size(3, 10, 0), 17u);
  // QoS 1 adds the 2-byte packet identifier.
  EXPECT_EQ(publish_packet_size(3, 10, 1), 19u);
  // Remaining length 128 needs two bytes: topic 4, payload 122, QoS 0 -> 2+4+122 = 128 -> 1+2+128.
  EXPECT_EQ(publish_packet_size(4, 122, 0), 131u);
  EXPECT_EQ(puback_size(), 4u);
}

TEST(MqttPacket, MqttSnPublish) {
  // 100-byte payload: 1 (length) + 1 + 1 + 2 + 2 + 100 = 107.
  EXPECT_EQ(mqttsn_publish_size(100), 107u);
  EXPECT_EQ(mqttsn_publish_size(0), 7u);
  // Over 255 bytes the length field takes 3 bytes.
  EXPECT_EQ(mqttsn_publish_size(300), 300u + 6u + 3u);
}
