// Fuzz target: the recording reader. Any file must open or be rejected with std::runtime_error,
// and reading must stop at the last intact record.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "live-bridge/recording.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/edgetwin-fuzz-recording-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return 0;
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
  return 0;
}
