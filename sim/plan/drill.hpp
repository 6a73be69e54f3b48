// sim/plan/drill.hpp — `edgetwin drill`: the what-if failover drill, like SimGrid's chaos monkey: one
// run per target (each a child `edgetwin run` with one crash fault added), then a ranking by impact.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace edgetwin::plan {

int cli_drill(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace edgetwin::plan
