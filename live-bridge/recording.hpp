// live-bridge/recording.hpp — the recording of everything the bridge received, for replay.
//
// Format (version 1), little-endian:
//   file   = magic "ETWINREC" | u32 version | u32 header length | header JSON | u32 CRC-32 of the header
//            | record*
//   record = u32 body length | u32 CRC-32 of the body | body
//   body   = u8 type (0 message, 1 connection lost, 2 connection restored) | f64 receive time (s)
//            | u8 QoS | u8 retain flag | u32 topic length | topic | payload (the rest of the body)
// Every record is length-prefixed and checksummed, so a recording cut off mid-record (a crash, a
// full disk) replays up to its last complete record, and a damaged record stops the replay there.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace edgetwin::bridge {

/// CRC-32 (IEEE 802.3, the polynomial of zlib and PNG).
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

struct Record {
  enum Type : std::uint8_t { message = 0, connection_lost = 1, connection_restored = 2 };
  Type type = message;
  double receive_time = 0;
  int qos = 0;
  bool retained = false;
  std::string topic;
  std::string payload;  // connection_lost: the cause
};

class RecordingWriter {
 public:
  /// Creates (truncates) `path` and writes the header; throws std::runtime_error naming the path.
  RecordingWriter(const std::string& path, const nlohmann::json& header);
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  void append(const Record& r);
  void flush();
  std::uint64_t records() const { return records_; }

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
  std::uint64_t records_ = 0;
  std::string buf_;
};

class RecordingReader {
 public:
  enum class End { complete, truncated, corrupt };

  /// Opens and checks the header; throws std::runtime_error on a file that is no recording.
  explicit RecordingReader(const std::string& path);
  ~RecordingReader();
  RecordingReader(const RecordingReader&) = delete;
  RecordingReader& operator=(const RecordingReader&) = delete;

  const nlohmann::json& header() const { return header_; }
  /// The next complete, intact record; false at the end (see end()).
  bool next(Record& r);
  End end() const { return end_; }
  std::uint64_t records() const { return records_; }
  std::uint64_t end_offset() const { return offset_; }  // offset of the first byte not replayed

 private:
  std::FILE* f_ = nullptr;
  nlohmann::json header_;
  End end_ = End::complete;
  std::uint64_t records_ = 0;
  std::uint64_t offset_ = 0;
};

inline constexpr std::uint32_t kRecordingVersion = 1;

}  // namespace edgetwin::bridge
