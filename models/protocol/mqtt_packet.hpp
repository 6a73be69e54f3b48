// models/protocol/mqtt_packet.hpp — on-the-wire sizes of MQTT 3.1.1 and MQTT-SN 1.2 PUBLISH packets.
//
// MQTT 3.1.1 §2.2 (fixed header: 1 byte + Remaining Length, 1..4 bytes of 7-bit groups) and §3.3
// (variable header: 2-byte topic length + topic, 2-byte packet identifier when QoS > 0).
// MQTT-SN 1.2 §5.4.12: PUBLISH = Length(1, or 3 when the packet exceeds 255 bytes) + MsgType(1) +
// Flags(1) + TopicId(2) + MsgId(2) + data.
#pragma once

#include <cstdint>

namespace edgetwin::models::mqtt {

/// Bytes used by the Remaining Length field for a given remaining length (MQTT 3.1.1 §2.2.3).
constexpr std::uint64_t remaining_length_bytes(std::uint64_t remaining) {
  if (remaining < 128) return 1;
  if (remaining < 16384) return 2;
  if (remaining < 2097152) return 3;
  return 4;
}

/// Total size of an MQTT 3.1.1 PUBLISH packet.
constexpr std::uint64_t publish_packet_size(std::uint64_t topic_length, std::uint64_t payload, int qos) {
  const std::uint64_t remaining = 2 + topic_length + (qos > 0 ? 2 : 0) + payload;
  return 1 + remaining_length_bytes(remaining) + remaining;
}

/// Size of a PUBACK (MQTT 3.1.1 §3.4): fixed header 2 + packet identifier 2.
constexpr std::uint64_t puback_size() { return 4; }

/// Total size of an MQTT-SN 1.2 PUBLISH carrying `payload` bytes with a 2-byte topic id.
constexpr std::uint64_t mqttsn_publish_size(std::uint64_t payload) {
  const std::uint64_t body = 1 + 1 + 2 + 2 + payload;  // MsgType, Flags, TopicId, MsgId, Data
  return body + (body + 1 <= 255 ? 1 : 3);
}

}  // namespace edgetwin::models::mqtt
