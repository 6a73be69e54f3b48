// sim/cli_lora.hpp — `edgetwin lora ...` subcommands (the LoRa airtime calculator).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace edgetwin::cli {

/// Runs `edgetwin lora <args...>` (args excludes "lora"). Returns the process exit code:
/// 0 ok, 2 invalid arguments (message on err).
int run_lora(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace edgetwin::cli
