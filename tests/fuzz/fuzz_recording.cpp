// Fuzz target: the recording reader. Any file must open or be rejected with std::runtime_error,
// and reading must stop at the last intact record. Each input is tried twice: as it is, and with
// every checksum recomputed, so that the fuzzer also reaches the parsing behind the CRC checks
// (lengths, topic lengths, types) instead of being stopped by the first checksum.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "live-bridge/recording.hpp"

namespace {

std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

/// Rewrites the header CRC and every record CRC the layout of `b` allows.
void fix_checksums(std::vector<std::uint8_t>& b) {
  if (b.size() < 16) return;
  std::size_t off = 16;
  const std::uint32_t hlen = get_u32(b.data() + 12);
  if (hlen > b.size() - off || b.size() - off - hlen < 4) return;
  put_u32(b.data() + off + hlen, edgetwin::bridge::crc32(b.data() + off, hlen));
  off += hlen + 4;
  while (b.size() - off >= 8) {
    const std::uint32_t len = get_u32(b.data() + off);
    if (len > b.size() - off - 8) return;
    put_u32(b.data() + off + 4, edgetwin::bridge::crc32(b.data() + off + 8, len));
    off += 8 + static_cast<std::size_t>(len);
  }
}

void read_all(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/edgetwin-fuzz-recording-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  try {
    edgetwin::bridge::RecordingReader r(path);
    edgetwin::bridge::Record rec;
    std::uint64_t n = 0;
    while (r.next(rec))
      if (++n > 10000000) std::abort();  // cannot have more records than bytes
    if (r.end_offset() > size) std::abort();
  } catch (const std::runtime_error&) {
  }
  ::unlink(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  read_all(data, size);
  std::vector<std::uint8_t> fixed(data, data + size);
  fix_checksums(fixed);
  read_all(fixed.data(), fixed.size());
  return 0;
}
