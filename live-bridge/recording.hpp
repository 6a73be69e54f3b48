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
// Record bodies are bounded (limit recording.max_record, --max-record): the writer does not write a
// larger record (it counts it), and the reader stops at a larger length (End::oversize), so a
// damaged or hostile length never makes it allocate more than the limit.
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

inline constexpr std::uint32_t kDefaultMaxRecord = 16u * 1024u * 1024u;  // bytes of one record body
inline constexpr std::uint32_t kRecordOverhead = 15;  // body bytes besides topic and payload

class RecordingWriter {
 public:
  /// Creates (truncates) `path` and writes the header; throws std::runtime_error naming the path.
  RecordingWriter(const std::string& path, const nlohmann::json& header, std::uint32_t max_record = kDefaultMaxRecord);
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  /// Appends `r`; false (and nothing written, counted in oversize()) when its body would exceed
  /// max_record(). Throws std::runtime_error on an I/O error.
  bool append(const Record& r);
  void flush();
  std::uint64_t records() const { return records_; }
  std::uint64_t oversize() const { return oversize_; }
  std::uint32_t max_record() const { return max_record_; }

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
  std::uint32_t max_record_;
  std::uint64_t records_ = 0;
  std::uint64_t oversize_ = 0;
  std::string buf_;
};

class RecordingReader {
 public:
  enum class End { complete, truncated, corrupt, oversize };

  /// Opens and checks the header; throws std::runtime_error on a file that is no recording.
  /// A record longer than `max_record` ends the replay (End::oversize) without being read.
  explicit RecordingReader(const std::string& path, std::uint32_t max_record = kDefaultMaxRecord);
  ~RecordingReader();
  RecordingReader(const RecordingReader&) = delete;
  RecordingReader& operator=(const RecordingReader&) = delete;

  const nlohmann::json& header() const { return header_; }
  /// The next complete, intact record; false at the end (see end()).
  bool next(Record& r);
  End end() const { return end_; }
  std::uint64_t records() const { return records_; }
  std::uint64_t end_offset() const { return offset_; }  // offset of the first byte not replayed
  std::uint64_t oversize_length() const { return oversize_length_; }  // End::oversize: the length found
  std::uint32_t max_record() const { return max_record_; }

 private:
  std::FILE* f_ = nullptr;
  std::uint32_t max_record_;
  std::uint64_t oversize_length_ = 0;
  nlohmann::json header_;
  End end_ = End::complete;
  std::uint64_t records_ = 0;
  std::uint64_t offset_ = 0;
};

inline constexpr std::uint32_t kRecordingVersion = 1;

}  // namespace edgetwin::bridge
