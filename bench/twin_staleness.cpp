// bench/twin_staleness.cpp — cost of the twin's liveness tick with many entities: the staleness
// deadline heap of twin::Twin::tick next to the full scan it replaced (every device and gateway's
// liveness predicate evaluated at each tick), measured in the same run on the same state.
//
// Default: 100 000 devices of the twin-small fixture's 1 s meters (k = 3), fed 5 s of traffic (each
// device once a second, staggered), then 5 s more during which 1 % of the devices go silent, with
// a tick every 100 ms. Reports mean and max wall time per tick, how many entities went stale, and
// checks that both methods flag the same entities. Prints figures only.
//
// usage: bench_twin_staleness [devices, default 100000] [silent percent, default 1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/scenario_loader.hpp"
#include "twin/mapping.hpp"
#include "twin/twin_state.hpp"

using Clock = std::chrono::steady_clock;
using namespace edgetwin;

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 100000;
  const double silent_pct = argc > 2 ? std::atof(argv[2]) : 1.0;
  const auto sc = sim::load_scenario(std::string(EDGETWIN_BENCH_DIR) + "/../tests/live-bridge/fixtures/twin-small.json");
  twin::Twin t(sc, twin::mapping_from_scenario(sc));
  const double k = t.mapping().stale_after;
  std::vector<std::string> topics(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) topics[static_cast<std::size_t>(i)] = "plant/meters/" + std::to_string(i) + "/up";
  const long silent_every = silent_pct > 0 ? std::max(1L, static_cast<long>(100.0 / silent_pct)) : n + 1;
  const double tick = 0.1;
  std::vector<std::uint64_t> seq(static_cast<std::size_t>(n), 0);
  double heap_sum = 0, heap_max = 0, scan_sum = 0, scan_max = 0;
  std::size_t ticks = 0, stale_alerts = 0, scan_flagged = 0, mismatches = 0;
  std::string payload;
  const auto feed_start = Clock::now();
  std::uint64_t messages = 0;
  for (double now = tick; now <= 10.0 + 1e-9; now += tick) {
    // Traffic of (now - tick, now]: each device once a second, at offset i / n.
    for (long i = 0; i < n; ++i) {
      const double at = std::floor(now) + static_cast<double>(i) / static_cast<double>(n);
      const double at2 = at > now ? at - 1.0 : at;
      if (at2 <= now - tick || at2 > now) continue;
      if (now > 5.0 && i % silent_every == 0) continue;  // gone silent
      const auto s = ++seq[static_cast<std::size_t>(i)];
      payload = "{\"ts\":" + std::to_string(at2) + ",\"seq\":" + std::to_string(s) + ",\"v\":1}";
      t.apply({topics[static_cast<std::size_t>(i)], payload, 1, false, at2 + 0.005});
      ++messages;
    }
    t.take_alerts();
    t.take_changed_devices();
    // Baseline: the full scan the tick used to do (every entity's predicate), without flagging.
    const auto s0 = Clock::now();
    std::size_t flagged = 0;
    for (const auto& [name, d] : t.devices())
      if (!d.stale_flag && !d.down && d.liveness(now, k) == twin::Liveness::stale) ++flagged;
    for (const auto& [name, g] : t.gateways())
      if (!g.stale_flag && !g.down && g.liveness(now, k) == twin::Liveness::stale) ++flagged;
    const double scan = std::chrono::duration<double>(Clock::now() - s0).count();
    const auto h0 = Clock::now();
    t.tick(now);
    const double heap = std::chrono::duration<double>(Clock::now() - h0).count();
    const auto alerts = t.take_alerts();
    if (alerts.size() != flagged) ++mismatches;
    stale_alerts += alerts.size();
    scan_flagged += flagged;
    heap_sum += heap;
    heap_max = std::max(heap_max, heap);
    scan_sum += scan;
    scan_max = std::max(scan_max, scan);
    ++ticks;
  }
  const double feed = std::chrono::duration<double>(Clock::now() - feed_start).count() - heap_sum - scan_sum;
  std::printf("twin liveness tick: %ld devices (+%zu gateways), k = %.0f, period 1 s, tick %.1f s, %zu ticks, "
              "%.2f %% silent after 5 s\n",
              n, t.gateways().size(), k, tick, ticks, silent_pct);
  std::printf("  %-34s %12s %12s\n", "", "mean us/tick", "max us/tick");
  std::printf("  %-34s %12.1f %12.1f\n", "deadline heap (Twin::tick)", 1e6 * heap_sum / ticks, 1e6 * heap_max);
  std::printf("  %-34s %12.1f %12.1f\n", "full scan (baseline, same state)", 1e6 * scan_sum / ticks, 1e6 * scan_max);
  std::printf("  speed-up %.1fx; stale transitions: heap %zu, scan %zu, ticks that disagree: %zu\n",
              heap_sum > 0 ? scan_sum / heap_sum : 0.0, stale_alerts, scan_flagged, mismatches);
  std::printf("  heap entries at the end: %zu; %llu messages applied in %.2f s (%.0f msg/s, state machine only)\n",
              t.deadline_entries(), static_cast<unsigned long long>(messages), feed, messages / feed);
  return mismatches == 0 ? 0 : 1;
}
