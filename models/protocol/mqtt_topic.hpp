// models/protocol/mqtt_topic.hpp — MQTT topic levels and filter matching (MQTT 3.1.1 §4.7) for
// topic templates of device groups ("{site}/{group}/{device}/up"), shared by the simulator's
// subscription fan-out and the resilience analysis.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edgetwin::models::mqtt {

/// Topic levels split on '/' ("a//b" has an empty middle level).
std::vector<std::string> split_topic_levels(std::string_view topic);

/// The template with {site} and {group} filled in; {device} is left in place.
std::string expand_group_topic(std::string_view topic_template, std::string_view site, std::string_view group);

/// Whether `filter` matches the topic of every device of a group: '+' matches one level, '#' the
/// rest; a level that differs per device (it holds "{device}") only matches a wildcard.
bool filter_matches_group_topic(std::string_view filter, std::string_view expanded_template);

}  // namespace edgetwin::models::mqtt
