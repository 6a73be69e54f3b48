// models/protocol/mqtt_topic.cpp — topic levels, template expansion, filter matching.
#include "models/protocol/mqtt_topic.hpp"

namespace edgetwin::models::mqtt {

std::vector<std::string> split_topic_levels(std::string_view topic) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : topic) {
    if (c == '/') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string expand_group_topic(std::string_view topic_template, std::string_view site, std::string_view group) {
  std::string s(topic_template);
  auto replace_all = [&s](std::string_view from, std::string_view to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  };
  replace_all("{site}", site);
  replace_all("{group}", group);
  return s;
}

bool filter_matches_group_topic(std::string_view filter, std::string_view expanded_template) {
  const auto f = split_topic_levels(filter);
  const auto topic = split_topic_levels(expanded_template);
  std::size_t i = 0;
  for (; i < f.size(); ++i) {
    if (f[i] == "#") return true;
    if (i >= topic.size()) return false;
    if (f[i] == "+") continue;
    if (topic[i].find("{device}") != std::string::npos || f[i] != topic[i]) return false;
  }
  return i == topic.size();
}

}  // namespace edgetwin::models::mqtt
