// Fuzz target: the twin's topic-mapping matcher. Input: a pattern line, then a topic line.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "twin/mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  const std::string pattern = text.substr(0, nl);
  const std::string topic = nl == std::string::npos ? std::string() : text.substr(nl + 1);
  (void)edgetwin::twin::topic_matches_filter(pattern, topic);
  try {
    const auto p = edgetwin::twin::TopicPattern::parse(pattern);
    (void)p.match(topic);
    (void)p.filter();
  } catch (const std::invalid_argument&) {
  }
  try {
    const auto t = edgetwin::twin::NameTemplate::parse(pattern);
    (void)t.expand({{"site", topic}, {"device", topic}});
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
