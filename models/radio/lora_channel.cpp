// models/radio/lora_channel.cpp — pairwise LoRa interference, demodulator and half-duplex bookkeeping.
#include "models/radio/lora_channel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/radio/lora_phy.hpp"

namespace edgetwin::models::radio {
namespace {

// Croce et al. 2018, IEEE Comm. Letters 22(4), SIR thresholds in dB; rows wanted SF7..12, columns interferer SF7..12.
constexpr double kCroce[6][6] = {
    {1, -8, -9, -9, -9, -9},       // SF7
    {-11, 1, -11, -12, -13, -13},  // SF8
    {-15, -13, 1, -13, -14, -15},  // SF9
    {-19, -18, -17, 1, -17, -18},  // SF10
    {-22, -22, -21, -20, 1, -20},  // SF11
    {-25, -25, -25, -24, -23, 1},  // SF12
};

// Min-heap ordering on (end, id): std::push_heap builds a max-heap, so "less" means "later".
bool later(const auto& a, const auto& b) { return a.end > b.end || (a.end == b.end && a.id > b.id); }

}  // namespace

std::string_view cause_name(RxCause c) {
  switch (c) {
    case RxCause::received:
      return "received";
    case RxCause::below_sensitivity:
      return "below_sensitivity";
    case RxCause::collision:
      return "collision";
    case RxCause::demodulator_busy:
      return "demodulator_busy";
    case RxCause::half_duplex:
      return "half_duplex";
  }
  return "unknown";
}

double croce_sir_threshold_db(int wanted_sf, int interferer_sf) {
  if (wanted_sf < 7 || wanted_sf > 12 || interferer_sf < 7 || interferer_sf > 12) return NAN;
  return kCroce[wanted_sf - 7][interferer_sf - 7];
}

DedupResult deduplicate(std::span<const GatewayOutcome> outcomes) {
  DedupResult r;
  for (const auto& o : outcomes) {
    if (o.cause != RxCause::received) continue;
    ++r.copies;
    if (!r.delivered || o.rssi_dbm > r.best_rssi_dbm) {
      r.best_gateway = static_cast<int>(o.gateway);
      r.best_rssi_dbm = o.rssi_dbm;
    }
    r.delivered = true;
  }
  return r;
}

LoraChannel::LoraChannel(const ChannelConfig& config) : cfg_(config) {
  if (cfg_.gateways < 1 || cfg_.channels < 1) throw std::invalid_argument("LoraChannel needs >= 1 gateway and channel");
  active_.resize(static_cast<std::size_t>(cfg_.gateways) * static_cast<std::size_t>(cfg_.channels));
  demod_end_.resize(static_cast<std::size_t>(cfg_.gateways));
  busy_.resize(static_cast<std::size_t>(cfg_.gateways));
  for (auto& d : demod_end_) d.reserve(static_cast<std::size_t>(std::max(cfg_.demodulators, 8)) + 1);
}

std::uint32_t LoraChannel::alloc_rx() {
  if (!rx_free_.empty()) {
    const auto i = rx_free_.back();
    rx_free_.pop_back();
    rx_[i] = Rx{};
    return i;
  }
  rx_.emplace_back();
  return static_cast<std::uint32_t>(rx_.size() - 1);
}

std::uint32_t LoraChannel::alloc_frame() {
  if (!frame_free_.empty()) {
    const auto i = frame_free_.back();
    frame_free_.pop_back();
    return i;
  }
  frames_.emplace_back();
  return static_cast<std::uint32_t>(frames_.size() - 1);
}

bool LoraChannel::destroys(const Rx& interferer, const Rx& wanted) const {
  if (!interferer.interferes) return false;
  // Preamble lock: an interferer that is gone before the wanted frame's critical section cannot hurt it.
  if (cfg_.preamble_lock && interferer.end <= wanted.critical) return false;
  const double sir = wanted.rssi - interferer.rssi;
  if (interferer.sf == wanted.sf) return !(cfg_.capture && sir >= cfg_.capture_threshold_db);
  if (cfg_.sf_interference == SfInterference::orthogonal) return false;
  const double threshold = croce_sir_threshold_db(wanted.sf, interferer.sf);
  if (std::isnan(threshold)) return false;  // SF6 is outside Croce's matrix: treated as orthogonal
  return sir < threshold;
}

std::uint64_t LoraChannel::add_frame(const FrameTx& f, std::span<const GatewayLink> links) {
  if (f.start_s < last_start_ || f.start_s < now_) {
    throw std::invalid_argument("LoraChannel::add_frame: frames must be added in start order, at or after now (start " +
                                std::to_string(f.start_s) + " s)");
  }
  if (f.channel >= static_cast<std::uint32_t>(cfg_.channels)) {
    throw std::invalid_argument("LoraChannel::add_frame: channel " + std::to_string(f.channel) + " out of range");
  }
  if (f.sf < kMinSf || f.sf > kMaxSf || !(f.toa_s > 0.0) || std::isnan(sensitivity_dbm(f.sf, f.bw_khz))) {
    throw std::invalid_argument("LoraChannel::add_frame: bad SF/BW/ToA");
  }
  for (const auto& link : links) {
    if (link.gateway >= static_cast<std::uint32_t>(cfg_.gateways)) {
      throw std::invalid_argument("LoraChannel::add_frame: gateway " + std::to_string(link.gateway) + " out of range");
    }
  }
  last_start_ = f.start_s;
  const double end = f.start_s + f.toa_s;
  last_end_ = std::max(last_end_, end);
  const double tsym = symbol_time_s(f.sf, f.bw_khz);
  const double critical = f.start_s + std::max(0, f.preamble - cfg_.preamble_lock_symbols) * tsym;
  const double sensitivity =
      cfg_.check_sensitivity ? sensitivity_dbm(f.sf, f.bw_khz) : -std::numeric_limits<double>::infinity();

  const std::uint32_t slot = alloc_frame();
  const std::uint64_t id = next_id_++;
  frames_[slot] = Frame{id, f.tag, f.start_s, end, f.channel, kNone, f.sf};
  std::uint32_t tail = kNone;

  for (const auto& link : links) {
    const std::uint32_t ri = alloc_rx();
    Rx& n = rx_[ri];
    n.start = f.start_s;
    n.end = end;
    n.critical = critical;
    n.rssi = link.rssi_dbm;
    n.frame = slot;
    n.gateway = link.gateway;
    n.sf = static_cast<std::int8_t>(f.sf);
    n.interferes = link.rssi_dbm >= cfg_.interference_floor_dbm;
    n.below_sensitivity = link.rssi_dbm < sensitivity;

    // Half duplex: intervals that ended before this start can never matter again (starts are non-decreasing).
    auto& busy = busy_[link.gateway];
    bool deaf_at_start = false;
    std::erase_if(busy, [&](const auto& b) { return b.second <= n.start; });
    for (const auto& b : busy) {
      if (b.first < n.end && n.start < b.second) n.half_duplex = true;
      if (b.first <= n.start) deaf_at_start = true;
    }

    // Demodulators (SX1301: 8 paths) are taken at the preamble, in start order, and held until the frame's end.
    if (!n.below_sensitivity && !deaf_at_start && cfg_.demodulators > 0) {
      auto& demod = demod_end_[link.gateway];
      std::erase_if(demod, [&](double e) { return e <= n.start; });
      if (demod.size() >= static_cast<std::size_t>(cfg_.demodulators)) {
        n.demod_busy = true;
      } else {
        demod.push_back(n.end);
      }
    }

    // Pairwise interference with every frame still on the air on this channel at this gateway.
    auto& act = active(link.gateway, f.channel);
    for (const std::uint32_t xi : act) {
      Rx& x = rx_[xi];
      if (x.end <= n.start) continue;  // already over (kept until popped)
      if (destroys(n, x)) x.collided = true;
      if (destroys(x, n)) n.collided = true;
    }
    act.push_back(ri);

    if (tail == kNone) {
      frames_[slot].first_rx = ri;
    } else {
      rx_[tail].next = ri;
    }
    tail = ri;
  }

  heap_.push_back({end, id, slot});
  std::push_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
  ++stats_.frames_added;
  return id;
}

void LoraChannel::add_gateway_busy(std::uint32_t gateway, double start_s, double end_s) {
  if (gateway >= static_cast<std::uint32_t>(cfg_.gateways)) {
    throw std::invalid_argument("LoraChannel::add_gateway_busy: gateway " + std::to_string(gateway) + " out of range");
  }
  if (!(end_s > start_s)) return;
  busy_[gateway].emplace_back(start_s, end_s);
  for (std::uint32_t c = 0; c < static_cast<std::uint32_t>(cfg_.channels); ++c) {
    for (const std::uint32_t xi : active(gateway, c)) {
      Rx& x = rx_[xi];
      if (start_s < x.end && x.start < end_s) x.half_duplex = true;
    }
  }
}

bool LoraChannel::next_outcome(double now_s, FrameOutcome& out) {
  now_ = std::max(now_, now_s);
  if (heap_.empty() || heap_.front().end > now_s) return false;
  std::pop_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
  const HeapItem item = heap_.back();
  heap_.pop_back();

  const Frame& fr = frames_[item.slot];
  out_buf_.clear();
  for (std::uint32_t ri = fr.first_rx; ri != kNone;) {
    const Rx& r = rx_[ri];
    RxCause cause = RxCause::received;
    if (r.below_sensitivity) {
      cause = RxCause::below_sensitivity;
    } else if (r.half_duplex) {
      cause = RxCause::half_duplex;
    } else if (r.demod_busy) {
      cause = RxCause::demodulator_busy;
    } else if (r.collided) {
      cause = RxCause::collision;
    }
    out_buf_.push_back({r.gateway, cause, r.rssi});
    ++stats_.by_cause[static_cast<std::size_t>(cause)];

    auto& act = active(r.gateway, fr.channel);
    const auto it = std::find(act.begin(), act.end(), ri);
    if (it != act.end()) {
      *it = act.back();
      act.pop_back();
    }
    const std::uint32_t next = r.next;
    rx_free_.push_back(ri);
    ri = next;
  }

  out.id = fr.id;
  out.tag = fr.tag;
  out.start_s = fr.start;
  out.end_s = fr.end;
  out.channel = fr.channel;
  out.sf = fr.sf;
  out.gateways = out_buf_;
  out.network = deduplicate(out_buf_);
  ++stats_.frames_final;
  if (out.network.delivered) ++stats_.frames_delivered;
  frame_free_.push_back(item.slot);
  return true;
}

}  // namespace edgetwin::models::radio
