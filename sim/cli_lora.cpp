// sim/cli_lora.cpp — `edgetwin lora airtime …`: parses the words after `lora` and prints what the models compute
// (models/radio/lora_phy and lorawan_region). No radio logic lives here.
#include "sim/cli_lora.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

#include "models/radio/lora_phy.hpp"
#include "models/radio/lorawan_region.hpp"

namespace edgetwin::cli {
namespace {

namespace radio = edgetwin::models::radio;

constexpr std::string_view kUsage =
    "usage: edgetwin lora airtime (--payload N | --app-payload N) [options]\n"
    "\n"
    "Time on air of one LoRa frame (Semtech datasheet formula). Defaults: a LoRaWAN uplink\n"
    "(preamble 8, explicit header, CRC on, CR 4/5, BW 125 kHz, LDRO by the datasheet rule).\n"
    "\n"
    "  --payload N            PHY payload bytes (0..255)\n"
    "  --app-payload N        application payload bytes; adds 13 (MHDR 1 + FHDR 7 + FPort 1 + MIC 4)\n"
    "  --sf N                 spreading factor 6..12 (default 7)\n"
    "  --bw KHZ               bandwidth 125 | 250 | 500 (default 125)\n"
    "  --cr 4/N               coding rate 4/5 .. 4/8 (default 4/5)\n"
    "  --preamble N           preamble symbols (default 8)\n"
    "  --implicit-header      no explicit PHY header\n"
    "  --no-crc               payload CRC off (LoRaWAN downlinks)\n"
    "  --ldro MODE            auto (Tsym > 16 ms) | on | off | sf11-12 (SF11/12 at 125 kHz only)\n"
    "  --region EU868|US915   with --dr: take SF/BW from the data rate and report duty cycle,\n"
    "  --dr N                 maximum payload, dwell time and messages per hour/day\n"
    "  --help                 this text\n"
    "\n"
    "The first output line is the time on air, e.g. \"46.336 ms\".\n";

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Exact "46.336 ms" from integer microseconds (no floating-point rounding).
std::string format_ms(std::int64_t us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%03lld ms", static_cast<long long>(us / 1000),
                static_cast<long long>(us % 1000));
  return buf;
}

std::string format_mhz(std::uint32_t hz) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", hz / 1e6);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

struct Options {
  std::optional<int> sf, bw, cr, preamble, payload, app_payload, dr;
  bool implicit_header = false, no_crc = false;
  radio::LdroMode ldro = radio::LdroMode::datasheet;
  std::optional<radio::Region> region;
};

int fail(std::ostream& err, const std::string& msg) {
  err << "edgetwin lora airtime: " << msg << "\n";
  return 2;
}

int print_region_report(const radio::AirtimeReport& r, std::ostream& out) {
  const auto& d = r.dr;
  out << format_ms(r.toa_us) << "\n";
  out << "region " << radio::region_name(r.region) << " DR" << d.dr << " (SF" << d.sf << "/" << d.bw_khz << " kHz)\n";
  if (r.duty_cycle < 1.0) {
    const auto ch = radio::default_uplink_channels(r.region);
    std::string freqs;
    for (const auto& c : ch) freqs += (freqs.empty() ? "" : "/") + format_mhz(c.freq_hz);
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "duty cycle %g %% on the default channels (%s MHz): sub-band closed %.3f s after each frame",
                  r.duty_cycle * 100.0, freqs.c_str(), r.off_time_s);
    out << buf << "\n";
  } else {
    out << "duty cycle: none in " << radio::region_name(r.region) << "; dwell time "
        << (r.dwell_error ? "EXCEEDED (" + *r.dwell_error + ")" : std::string("ok (<= 400 ms)")) << "\n";
  }
  const int max_phy = d.max_mac_payload + radio::kMhdrMicBytes;
  if (r.app_payload) {
    out << "payload " << *r.app_payload << " B application " << (r.fits ? "fits" : "does NOT fit") << " the "
        << d.max_app_payload << " B maximum of DR" << d.dr << " (PHY " << r.phy_payload << " B of max " << max_phy
        << " B)\n";
  } else {
    out << "payload " << r.phy_payload << " B PHY " << (r.fits ? "fits" : "does NOT fit") << " the " << max_phy
        << " B maximum of DR" << d.dr << " (application max " << d.max_app_payload << " B)\n";
  }
  out << "max messages: " << r.per_hour << " per hour, " << r.per_day << " per day"
      << (r.duty_cycle < 1.0 ? " (duty cycle)" : " (airtime only)")
      << "; TTN fair access (30 s/day): " << r.ttn_fair_access_per_day << " per day\n";
  return 0;
}

int run_airtime(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options o;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string key = args[i];
    std::optional<std::string> inline_value;
    if (const auto eq = key.find('='); key.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = key.substr(eq + 1);
      key = key.substr(0, eq);
    }
    if (key == "--help" || key == "-h") {
      out << kUsage;
      return 0;
    }
    if (key == "--implicit-header" || key == "--no-crc") {
      if (inline_value) return fail(err, key + " takes no value");
      (key == "--no-crc" ? o.no_crc : o.implicit_header) = true;
      continue;
    }
    static constexpr std::string_view kValued[] = {"--sf",          "--bw", "--cr",   "--preamble", "--payload",
                                                   "--app-payload", "--dr", "--ldro", "--region"};
    if (std::find(std::begin(kValued), std::end(kValued), key) == std::end(kValued)) {
      return fail(err, key.rfind("--", 0) == 0 ? "unknown option '" + key + "' (see --help)"
                                               : "unexpected argument '" + key + "'");
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail(err, key + " needs a value");
    }
    auto integer = [&](std::optional<int>& slot) -> bool {
      slot = parse_int(value);
      return slot.has_value();
    };
    if (key == "--sf") {
      if (!integer(o.sf)) return fail(err, "--sf must be an integer, got '" + value + "'");
    } else if (key == "--bw") {
      if (!integer(o.bw)) return fail(err, "--bw must be 125, 250 or 500, got '" + value + "'");
    } else if (key == "--cr") {
      const auto denom = value.rfind("4/", 0) == 0 ? parse_int(std::string_view(value).substr(2)) : std::nullopt;
      if (!denom || *denom < 5 || *denom > 8)
        return fail(err, "--cr must be 4/5, 4/6, 4/7 or 4/8, got '" + value + "'");
      o.cr = *denom - 4;
    } else if (key == "--preamble") {
      if (!integer(o.preamble)) return fail(err, "--preamble must be an integer, got '" + value + "'");
    } else if (key == "--payload") {
      if (!integer(o.payload)) return fail(err, "--payload must be an integer, got '" + value + "'");
    } else if (key == "--app-payload") {
      if (!integer(o.app_payload)) return fail(err, "--app-payload must be an integer, got '" + value + "'");
    } else if (key == "--dr") {
      if (!integer(o.dr)) return fail(err, "--dr must be an integer, got '" + value + "'");
    } else if (key == "--ldro") {
      if (value == "auto") {
        o.ldro = radio::LdroMode::datasheet;
      } else if (value == "on") {
        o.ldro = radio::LdroMode::on;
      } else if (value == "off") {
        o.ldro = radio::LdroMode::off;
      } else if (value == "sf11-12") {
        o.ldro = radio::LdroMode::sf11_12_at_125;
      } else {
        return fail(err, "--ldro must be auto, on, off or sf11-12, got '" + value + "'");
      }
    } else if (key == "--region") {
      o.region = radio::parse_region(value);
      if (!o.region) return fail(err, "--region must be EU868 or US915, got '" + value + "'");
    }
  }

  if (o.payload.has_value() == o.app_payload.has_value())
    return fail(err, "give exactly one of --payload, --app-payload");
  if (o.app_payload && (*o.app_payload < 0 || *o.app_payload > radio::kMaxPhyPayload - radio::kLorawanOverheadBytes)) {
    return fail(err, "--app-payload must be 0..242, got " + std::to_string(*o.app_payload));
  }
  const int phy = o.payload ? *o.payload : *o.app_payload + radio::kLorawanOverheadBytes;
  if (phy < 0 || phy > radio::kMaxPhyPayload) return fail(err, "--payload must be 0..255, got " + std::to_string(phy));
  if (o.region.has_value() != o.dr.has_value()) return fail(err, "--region and --dr go together");

  radio::LoraParams p;
  p.cr = o.cr.value_or(p.cr);
  p.preamble = o.preamble.value_or(p.preamble);
  p.implicit_header = o.implicit_header;
  p.crc = !o.no_crc;
  p.ldro = o.ldro;

  if (o.region) {
    const auto d = radio::data_rate(*o.region, *o.dr);
    if (!d) return fail(err, std::string(radio::region_name(*o.region)) + " has no DR" + std::to_string(*o.dr));
    if (o.sf && *o.sf != d->sf) {
      return fail(err, "--sf " + std::to_string(*o.sf) + " conflicts with " +
                           std::string(radio::region_name(*o.region)) + " DR" + std::to_string(*o.dr) + " (SF" +
                           std::to_string(d->sf) + ")");
    }
    if (o.bw && *o.bw != d->bw_khz) {
      return fail(err, "--bw " + std::to_string(*o.bw) + " conflicts with " +
                           std::string(radio::region_name(*o.region)) + " DR" + std::to_string(*o.dr) + " (" +
                           std::to_string(d->bw_khz) + " kHz)");
    }
    radio::AirtimeReport report;
    if (auto e = radio::make_airtime_report(*o.region, *o.dr, phy, o.app_payload, p, report)) return fail(err, *e);
    return print_region_report(report, out);
  }

  p.sf = o.sf.value_or(p.sf);
  p.bw_khz = o.bw.value_or(p.bw_khz);
  if (auto e = radio::check_params(p)) return fail(err, *e);
  out << format_ms(radio::time_on_air_us(p, phy)) << "\n";
  return 0;
}

}  // namespace

int run_lora(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << "edgetwin lora: missing subcommand (airtime)\n" << kUsage;
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << kUsage;
    return 0;
  }
  if (args[0] != "airtime") {
    err << "edgetwin lora: unknown subcommand '" << args[0] << "' (expected airtime)\n";
    return 2;
  }
  return run_airtime(args, out, err);
}

}  // namespace edgetwin::cli
