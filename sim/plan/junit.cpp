// sim/plan/junit.cpp — JUnit XML from SLO verdicts.
#include "sim/plan/junit.hpp"

#include <cstdio>
#include <sstream>

namespace edgetwin::plan {

using nlohmann::json;

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

namespace {
std::string g(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}
}  // namespace

std::string junit_xml(const json& summary, const std::string& scenario_file) {
  const std::string scenario = summary.value("scenario", "scenario");
  const json slos = summary.value("slo", json::array());
  int failures = 0;
  for (const auto& v : slos)
    if (!v.value("pass", false)) ++failures;
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"edgetwin\" tests=\"" << slos.size() << "\" failures=\"" << failures << "\" errors=\"0\">\n";
  x << "  <testsuite name=\"" << xml_escape("slo." + scenario) << "\" tests=\"" << slos.size() << "\" failures=\""
    << failures << "\" errors=\"0\" skipped=\"0\">\n";
  x << "    <properties>\n";
  x << "      <property name=\"scenario_file\" value=\"" << xml_escape(scenario_file) << "\"/>\n";
  x << "      <property name=\"seed\" value=\"" << summary.value("seed", json(0)).dump() << "\"/>\n";
  x << "      <property name=\"duration_s\" value=\"" << g(summary.value("duration", 0.0)) << "\"/>\n";
  x << "    </properties>\n";
  for (const auto& v : slos) {
    const std::string name = v.value("slo", "slo");
    const double value = v.value("value", 0.0);
    const std::string bound = v.value("bound", "");
    const bool pass = v.value("pass", false);
    const std::string measured = name + " = " + g(value) + " (bound: " + bound + ")";
    x << "    <testcase classname=\"" << xml_escape("edgetwin.slo." + scenario) << "\" name=\"" << xml_escape(name)
      << "\" time=\"0\">\n";
    if (!pass)
      x << "      <failure type=\"SLOViolation\" message=\"" << xml_escape("measured " + measured) << "\">"
        << xml_escape("SLO failed: " + measured) << "</failure>\n";
    x << "      <system-out>" << xml_escape("measured " + measured) << "</system-out>\n";
    x << "    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

}  // namespace edgetwin::plan
