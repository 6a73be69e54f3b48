// live-bridge/recording.cpp — writing and reading recordings (see recording.hpp for the format).
#include "live-bridge/recording.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace edgetwin::bridge {

namespace {

constexpr char kMagic[8] = {'E', 'T', 'W', 'I', 'N', 'R', 'E', 'C'};
constexpr std::uint32_t kMaxHeader = 1024u * 1024u;  // a header length beyond this is damage, not data

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

void put_u32(std::string& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& b, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b += static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get_u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc) {
  const auto& t = crc_table();
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i) crc = t[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

RecordingWriter::RecordingWriter(const std::string& path, const nlohmann::json& header, std::uint32_t max_record)
    : path_(path), max_record_(max_record) {
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) throw std::runtime_error("cannot create recording " + path + ": " + std::strerror(errno));
  const std::string h = header.dump();
  std::string b(kMagic, sizeof kMagic);
  put_u32(b, kRecordingVersion);
  put_u32(b, static_cast<std::uint32_t>(h.size()));
  b += h;
  put_u32(b, crc32(h.data(), h.size()));
  if (std::fwrite(b.data(), 1, b.size(), f_) != b.size() || std::fflush(f_) != 0) {
    const std::string why = std::strerror(errno);
    std::fclose(f_);  // no destructor after a throwing constructor
    f_ = nullptr;
    throw std::runtime_error("cannot write recording " + path + ": " + why);
  }
}

RecordingWriter::~RecordingWriter() {
  if (f_) {
    flush();
    std::fclose(f_);
  }
}

bool RecordingWriter::append(const Record& r) {
  if (r.topic.size() + r.payload.size() > max_record_ - std::min(max_record_, kRecordOverhead) ||
      r.topic.size() > 0xFFFFFFFFu) {
    ++oversize_;
    return false;
  }
  buf_.clear();
  buf_ += static_cast<char>(r.type);
  std::uint64_t bits;
  std::memcpy(&bits, &r.receive_time, sizeof bits);
  put_u64(buf_, bits);
  buf_ += static_cast<char>(r.qos);
  buf_ += static_cast<char>(r.retained ? 1 : 0);
  put_u32(buf_, static_cast<std::uint32_t>(r.topic.size()));
  buf_ += r.topic;
  buf_ += r.payload;
  std::string head;
  put_u32(head, static_cast<std::uint32_t>(buf_.size()));
  put_u32(head, crc32(buf_.data(), buf_.size()));
  if (std::fwrite(head.data(), 1, head.size(), f_) != head.size() ||
      std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    throw std::runtime_error("cannot write recording " + path_ + ": " + std::strerror(errno));
  ++records_;
  return true;
}

void RecordingWriter::flush() {
  if (f_ && std::fflush(f_) != 0) throw std::runtime_error("cannot write recording " + path_ + ": " + std::strerror(errno));
}

RecordingReader::RecordingReader(const std::string& path, std::uint32_t max_record) : max_record_(max_record) {
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) throw std::runtime_error("cannot open recording " + path + ": " + std::strerror(errno));
  // The destructor does not run when the constructor throws: close the file here, or every
  // rejected file would leak a descriptor (found by fuzz_recording: "Too many open files").
  try {
    unsigned char fixed[16];
    if (std::fread(fixed, 1, sizeof fixed, f_) != sizeof fixed || std::memcmp(fixed, kMagic, sizeof kMagic) != 0)
      throw std::runtime_error(path + ": not an EdgeTwin recording (bad magic)");
    const std::uint32_t version = get_u32(fixed + 8);
    if (version != kRecordingVersion)
      throw std::runtime_error(path + ": recording format version " + std::to_string(version) + ", this build reads " +
                               std::to_string(kRecordingVersion));
    const std::uint32_t hlen = get_u32(fixed + 12);
    if (hlen > kMaxHeader) throw std::runtime_error(path + ": damaged recording header");
    std::string h(hlen, '\0');
    unsigned char crc[4];
    if (std::fread(h.data(), 1, hlen, f_) != hlen || std::fread(crc, 1, 4, f_) != 4 ||
        get_u32(crc) != crc32(h.data(), h.size()))
      throw std::runtime_error(path + ": damaged recording header");
    header_ = nlohmann::json::parse(h, nullptr, false);
    if (header_.is_discarded()) throw std::runtime_error(path + ": damaged recording header");
    offset_ = sizeof fixed + hlen + 4;
  } catch (...) {
    std::fclose(f_);
    f_ = nullptr;
    throw;
  }
}

RecordingReader::~RecordingReader() {
  if (f_) std::fclose(f_);
}

bool RecordingReader::next(Record& r) {
  unsigned char head[8];
  const std::size_t got = std::fread(head, 1, sizeof head, f_);
  if (got == 0) {
    end_ = End::complete;
    return false;
  }
  if (got < sizeof head) {
    end_ = End::truncated;
    return false;
  }
  const std::uint32_t len = get_u32(head);
  const std::uint32_t crc = get_u32(head + 4);
  if (len < kRecordOverhead) {
    end_ = End::corrupt;
    return false;
  }
  if (len > max_record_) {
    end_ = End::oversize;
    oversize_length_ = len;
    return false;
  }
  std::string body(len, '\0');
  if (std::fread(body.data(), 1, len, f_) != len) {
    end_ = End::truncated;
    return false;
  }
  if (crc32(body.data(), body.size()) != crc) {
    // A damaged last record is what a crash mid-write leaves: call it truncated if nothing follows.
    end_ = std::fgetc(f_) == EOF ? End::truncated : End::corrupt;
    return false;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(body.data());
  const std::uint32_t tlen = get_u32(p + 11);
  if (tlen > len - kRecordOverhead || p[0] > 2) {  // (15 + tlen could wrap)
    end_ = End::corrupt;
    return false;
  }
  r.type = static_cast<Record::Type>(p[0]);
  const std::uint64_t bits = get_u64(p + 1);
  std::memcpy(&r.receive_time, &bits, sizeof bits);
  r.qos = p[9];
  r.retained = p[10] != 0;
  r.topic.assign(body.data() + 15, tlen);
  r.payload.assign(body.data() + 15 + tlen, len - 15 - tlen);
  offset_ += 8 + len;
  ++records_;
  return true;
}

}  // namespace edgetwin::bridge
