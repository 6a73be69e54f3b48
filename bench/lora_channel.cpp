// bench/lora_channel.cpp — throughput of the LoRa reception model alone (models/radio/lora_channel) for a large
// fleet, next to two same-run baselines: a trivial loop over the same frames and one SimGrid comm per frame.
//
// Default: 100 000 devices, 1 hour, one 20-byte uplink every 15 min per device (exponential gaps), 8 channels,
// SF7..12 by distance (LoRaSim path loss), 16 gateways on a 700 m grid, each frame heard by the 2 nearest,
// capture + preamble lock + Croce SF matrix, 8 demodulators per gateway.
// Usage: bench_lora_channel [--devices N] [--hours H] [--period S] [--gateways G] [--links K] [--reps R]
//                           [--simgrid-comms M]
#include "models/radio/lora_channel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "models/core/rng.hpp"
#include "models/radio/lora_phy.hpp"
#include "models/radio/path_loss.hpp"

namespace radio = edgetwin::models::radio;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  long devices = 100000;
  double hours = 1.0;
  double period_s = 900.0;
  int gateways = 16;
  int links = 2;
  int channels = 8;
  int reps = 5;
  long simgrid_comms = 200000;
};

struct Traffic {
  std::vector<radio::FrameTx> frames;     // sorted by start
  std::vector<radio::GatewayLink> links;  // links_per_frame per frame, frame-major
  std::size_t links_per_frame = 1;
  std::uint64_t sf_count[13] = {};
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Traffic make_traffic(const Args& a) {
  edgetwin::models::Rng rng(2024, "bench/lora_channel");
  radio::LogDistancePathLoss pl;
  const double horizon = a.hours * 3600.0;
  // Gateways on a square grid 700 m apart; devices uniform over the grid's area; each device is heard by its
  // `links` nearest gateways (RSSI with LoRaSim shadowing) and uses the smallest SF reaching the best of them.
  const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(a.gateways))));
  constexpr double kSpacing = 700.0;
  std::vector<radio::Position> gw;
  for (int g = 0; g < a.gateways; ++g) gw.push_back({kSpacing * (g % side), kSpacing * (g / side)});
  const double width = kSpacing * side, height = kSpacing * ((a.gateways + side - 1) / side);
  double toa_by_sf[13] = {};
  for (int sf = 7; sf <= 12; ++sf) {
    radio::LoraParams p;
    p.sf = sf;
    toa_by_sf[sf] = radio::time_on_air_s(p, 20);
  }
  const std::size_t k = static_cast<std::size_t>(std::min(a.links, a.gateways));
  struct Dev {
    int sf = 12;
    std::vector<radio::GatewayLink> links;
  };
  std::vector<Dev> devs(static_cast<std::size_t>(a.devices));
  std::vector<std::pair<double, std::uint32_t>> by_distance(gw.size());
  for (auto& d : devs) {
    const radio::Position pos{rng.uniform(-kSpacing / 2, width - kSpacing / 2),
                              rng.uniform(-kSpacing / 2, height - kSpacing / 2)};
    for (std::uint32_t g = 0; g < gw.size(); ++g) by_distance[g] = {radio::distance_m(pos, gw[g]), g};
    std::partial_sort(by_distance.begin(), by_distance.begin() + static_cast<long>(k), by_distance.end());
    double best = -1e9;
    for (std::size_t j = 0; j < k; ++j) {
      const double rssi = 14.0 - pl.sample_db(by_distance[j].first, rng);
      d.links.push_back({by_distance[j].second, rssi});
      best = std::max(best, rssi);
    }
    d.sf = radio::smallest_sf_that_reaches(best).value_or(12);
  }
  struct Start {
    double t;
    std::uint32_t dev;
  };
  std::vector<Start> starts;
  starts.reserve(static_cast<std::size_t>(static_cast<double>(a.devices) * horizon / a.period_s * 1.1));
  for (std::uint32_t d = 0; d < devs.size(); ++d) {
    const double toa = toa_by_sf[devs[d].sf];
    for (double t = rng.exponential(a.period_s); t < horizon; t += toa + rng.exponential(a.period_s)) {
      starts.push_back({t, d});
    }
  }
  std::sort(starts.begin(), starts.end(), [](const Start& x, const Start& y) { return x.t < y.t; });
  Traffic tr;
  tr.frames.reserve(starts.size());
  tr.links.reserve(starts.size() * k);
  for (const auto& s : starts) {
    const auto& d = devs[s.dev];
    radio::FrameTx f;
    f.start_s = s.t;
    f.sf = d.sf;
    f.toa_s = toa_by_sf[d.sf];
    f.channel = static_cast<std::uint32_t>(rng.below(static_cast<std::uint64_t>(a.channels)));
    f.tag = s.dev;
    tr.frames.push_back(f);
    tr.links.insert(tr.links.end(), d.links.begin(), d.links.end());
    ++tr.sf_count[d.sf];
  }
  tr.links_per_frame = k;
  return tr;
}

struct ChannelRun {
  double seconds = 0;
  std::uint64_t delivered = 0;
  radio::ChannelStats stats;
};

ChannelRun run_channel(const Args& a, const Traffic& tr) {
  radio::ChannelConfig cfg;
  cfg.gateways = a.gateways;
  cfg.channels = a.channels;
  cfg.sf_interference = radio::SfInterference::croce2018;
  radio::LoraChannel ch(cfg);
  const std::size_t g = tr.links_per_frame;
  ChannelRun run;
  radio::FrameOutcome o;
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < tr.frames.size(); ++i) {
    const auto& f = tr.frames[i];
    while (ch.next_outcome(f.start_s, o)) run.delivered += o.network.delivered ? 1 : 0;
    ch.add_frame(f, std::span<const radio::GatewayLink>(tr.links.data() + i * g, g));
  }
  while (ch.next_outcome(ch.last_end_s(), o)) run.delivered += o.network.delivered ? 1 : 0;
  run.seconds = seconds_since(t0);
  run.stats = ch.stats();
  return run;
}

double run_trivial(const Traffic& tr, double& sink) {
  const auto t0 = Clock::now();
  double acc = 0;
  for (const auto& f : tr.frames) acc += f.toa_s * static_cast<double>(f.tag & 7u) + f.start_s;
  sink = acc;
  return seconds_since(t0);
}

// One SimGrid comm per frame: a sender actor puts `n` 20-byte messages to a receiver over one link (CM02).
double run_simgrid(long n, const char* argv0) {
  std::string prog = argv0, quiet = "--log=root.thres:warning";
  char* args[] = {prog.data(), quiet.data(), nullptr};
  int argc = 2;
  simgrid::s4u::Engine e(&argc, args);
  e.set_config("network/model:CM02");
  auto* zone = simgrid::s4u::create_full_zone("bench");
  auto* gw = zone->create_host("gateway", 1e9);
  auto* ns = zone->create_host("server", 1e9);
  const auto* link = zone->create_link("backhaul", 1e8)->set_latency(1e-3)->seal();
  zone->add_route(gw->get_netpoint(), ns->get_netpoint(), nullptr, nullptr, {simgrid::s4u::LinkInRoute(link)}, true);
  zone->seal();
  static int payload = 0;
  simgrid::s4u::Actor::create("sender", gw, [n] {
    auto* mb = simgrid::s4u::Mailbox::by_name("uplinks");
    for (long i = 0; i < n; ++i) mb->put(&payload, 20);
  });
  simgrid::s4u::Actor::create("receiver", ns, [n] {
    auto* mb = simgrid::s4u::Mailbox::by_name("uplinks");
    for (long i = 0; i < n; ++i) mb->get<int>();
  });
  const auto t0 = Clock::now();
  e.run();
  return seconds_since(t0);
}

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--devices")
      a.devices = std::atol(v);
    else if (k == "--hours")
      a.hours = std::atof(v);
    else if (k == "--period")
      a.period_s = std::atof(v);
    else if (k == "--gateways")
      a.gateways = std::atoi(v);
    else if (k == "--links")
      a.links = std::atoi(v);
    else if (k == "--reps")
      a.reps = std::atoi(v);
    else if (k == "--simgrid-comms")
      a.simgrid_comms = std::atol(v);
    else
      return false;
  }
  return (argc % 2) == 1 && a.devices > 0 && a.hours > 0 && a.period_s > 0 && a.gateways > 0 && a.links > 0 &&
         a.reps > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: %s [--devices N] [--hours H] [--period S] [--gateways G] [--links K] "
                 "[--reps R] [--simgrid-comms M]\n",
                 argv[0]);
    return 2;
  }
  const auto tg = Clock::now();
  const Traffic tr = make_traffic(a);
  const double gen_s = seconds_since(tg);
  const double n = static_cast<double>(tr.frames.size());
  std::printf(
      "traffic: %ld devices, %.1f h, one frame per %.0f s, %d channels, %d gateways, %zu links per frame: "
      "%zu frames (generated in %.2f s)\n",
      a.devices, a.hours, a.period_s, a.channels, a.gateways, tr.links_per_frame, tr.frames.size(), gen_s);
  std::printf("  SF mix:");
  for (int sf = 7; sf <= 12; ++sf)
    std::printf(" SF%d %.1f %%", sf,
                100.0 * static_cast<double>(tr.sf_count[sf]) / static_cast<double>(tr.frames.size()));
  std::printf("\n");

  std::vector<double> times;
  ChannelRun last;
  for (int r = 0; r < a.reps; ++r) {
    last = run_channel(a, tr);
    times.push_back(last.seconds);
  }
  std::sort(times.begin(), times.end());
  const double med = times[times.size() / 2];
  std::printf("lora_channel: median of %d runs %.3f s: %.0f frames/s, %.0f ns per frame\n", a.reps, med, n / med,
              med / n * 1e9);
  std::printf("  delivered %.4f of frames; per gateway reception:", static_cast<double>(last.delivered) / n);
  for (std::size_t c = 0; c < radio::kRxCauseCount; ++c) {
    std::printf(" %s %llu", std::string(radio::cause_name(static_cast<radio::RxCause>(c))).c_str(),
                static_cast<unsigned long long>(last.stats.by_cause[c]));
  }
  std::printf("\n");

  double sink = 0;
  const double triv = run_trivial(tr, sink);
  std::printf("baseline trivial loop over the frames: %.1f ns per frame (checksum %.0f)\n", triv / n * 1e9, sink);

  if (a.simgrid_comms > 0) {
    const double sg = run_simgrid(a.simgrid_comms, argv[0]);
    const double per = sg / static_cast<double>(a.simgrid_comms);
    std::printf("baseline SimGrid: %ld comms (put/get, 20 B, CM02) in %.3f s: %.0f comms/s, %.0f ns per comm\n",
                a.simgrid_comms, sg, 1.0 / per, per * 1e9);
    std::printf("channel model costs %.1f %% of a SimGrid comm per frame (%.0fx cheaper)\n", 100.0 * (med / n) / per,
                per / (med / n));
  }
  return 0;
}
