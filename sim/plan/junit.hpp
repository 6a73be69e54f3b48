// sim/plan/junit.hpp — SLO verdicts as JUnit XML (one test case per SLO, the measured value in the
// message), the format GitLab, GitHub and Jenkins show natively.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace edgetwin::plan {

/// JUnit XML of a run's summary.json ("slo" verdicts). `scenario_file` goes into the properties.
std::string junit_xml(const nlohmann::json& summary, const std::string& scenario_file);

/// Escapes text for XML attributes and content.
std::string xml_escape(const std::string& s);

}  // namespace edgetwin::plan
