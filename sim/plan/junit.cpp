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
  // A run stopped early (--time-limit, SIGINT) is one more test case, failed: its SLO values are partial.
  const bool partial = summary.value("partial", false);
  const std::size_t cases = slos.size() + (partial ? 1 : 0);
  if (partial) ++failures;
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"edgetwin\" tests=\"" << cases << "\" failures=\"" << failures << "\" errors=\"0\">\n";
  x << "  <testsuite name=\"" << xml_escape("slo." + scenario) << "\" tests=\"" << cases << "\" failures=\""
    << failures << "\" errors=\"0\" skipped=\"0\">\n";
  x << "    <properties>\n";
  x << "      <property name=\"scenario_file\" value=\"" << xml_escape(scenario_file) << "\"/>\n";
  x << "      <property name=\"seed\" value=\"" << summary.value("seed", json(0)).dump() << "\"/>\n";
  x << "      <property name=\"duration_s\" value=\"" << g(summary.value("duration", 0.0)) << "\"/>\n";
  x << "    </properties>\n";
  if (partial) {
    const std::string why = "run stopped early (" + summary.value("stop_reason", std::string("?")) +
                            ") at simulated " + g(summary.value("simulated_end", 0.0)) + " s of " +
                            g(summary.value("duration", 0.0)) + " s: results are partial";
    x << "    <testcase classname=\"" << xml_escape("edgetwin.run." + scenario) << "\" name=\"complete\" time=\"0\">\n";
    x << "      <failure type=\"PartialRun\" message=\"" << xml_escape(why) << "\">" << xml_escape(why) << "</failure>\n";
    x << "    </testcase>\n";
  }
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
