// models/radio/lora_channel.hpp — event-driven LoRa reception at one or many gateways: collisions, capture,
// preamble lock, SF (non-)orthogonality, demodulator limits and half-duplex gateways.
//
// Owns the per-frame reception decision that sim actors drive: they add frames in start-time order, advance "now",
// and pop final outcomes (one per frame, with a cause per gateway). Interference is evaluated pairwise when a frame
// is added (as LoRaSim and FLoRa do), so a frame is forgotten as soon as its end has passed. Active frames live in
// small per-(gateway, channel) vectors and pooled records: no heap allocation per frame in steady state.
// Sources: Bor et al. 2016 (LoRaSim capture 6 dB, last 5 preamble symbols), Croce et al. 2018 (IEEE Comm. Letters
// 22(4), SIR thresholds), Semtech SX1301 datasheet (8 demodulation paths); see /work/shared/references/lora.md.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace edgetwin::models::radio {

/// Outcome of one frame at one gateway.
enum class RxCause : std::uint8_t {
  received,           ///< demodulated
  below_sensitivity,  ///< RSSI under the SX1272/73 sensitivity for its SF/BW
  collision,          ///< destroyed by an overlapping frame on the same channel
  demodulator_busy,   ///< all demodulation paths of the gateway were busy at the frame's start
  half_duplex,        ///< the gateway was transmitting (downlink) during the frame
};
inline constexpr std::size_t kRxCauseCount = 5;
std::string_view cause_name(RxCause c);

/// How frames with different spreading factors interact.
enum class SfInterference : std::uint8_t {
  orthogonal,  ///< different SFs never interfere (LoRaSim, early FLoRa)
  croce2018,   ///< the wanted frame survives an other-SF interferer only if SIR >= Croce et al. 2018 threshold
};

/// SIR threshold (dB) of Croce et al. 2018 for a wanted SF vs an interferer SF, both 7..12; NaN outside.
double croce_sir_threshold_db(int wanted_sf, int interferer_sf);

struct ChannelConfig {
  int gateways = 1;                   ///< gateway indices 0..gateways−1
  int channels = 1;                   ///< channel indices 0..channels−1 (the caller maps frequencies)
  bool capture = true;                ///< same-SF capture (Bor et al. 2016)
  double capture_threshold_db = 6.0;  ///< wanted must be this much stronger (LoRaSim power_threshold = 6)
  bool preamble_lock = true;          ///< survive interferers that end before the critical section
  int preamble_lock_symbols = 5;      ///< the last 5 preamble symbols must be clean (LoRaSim, Bor et al. 2016)
  SfInterference sf_interference = SfInterference::orthogonal;
  int demodulators = 8;           ///< concurrent demodulations per gateway, SX1301 (0 = unlimited)
  bool check_sensitivity = true;  ///< apply the sensitivity table (off: every frame is above it)
  /// Frames weaker than this at a gateway do not interfere there (default: every frame interferes, as LoRaSim).
  double interference_floor_dbm = -std::numeric_limits<double>::infinity();
};

/// RSSI of a frame at one gateway.
struct GatewayLink {
  std::uint32_t gateway = 0;
  double rssi_dbm = 0.0;
};

/// A frame put on the air.
struct FrameTx {
  double start_s = 0.0;
  double toa_s = 0.0;  ///< time on air (lora_phy time_on_air_s)
  std::uint32_t channel = 0;
  int sf = 7;
  int bw_khz = 125;
  int preamble = 8;       ///< programmed preamble symbols (for the preamble-lock critical section)
  std::uint64_t tag = 0;  ///< caller's identifier (device index, …), returned with the outcome
};

struct GatewayOutcome {
  std::uint32_t gateway = 0;
  RxCause cause = RxCause::received;
  double rssi_dbm = 0.0;
};

/// Network-server view of a frame received by several gateways: it counts once if any gateway received it.
struct DedupResult {
  bool delivered = false;
  int best_gateway = -1;  ///< strongest receiving gateway, −1 when none
  double best_rssi_dbm = -std::numeric_limits<double>::infinity();
  int copies = 0;  ///< gateways that received it (duplicates the server drops: copies − 1)
};
DedupResult deduplicate(std::span<const GatewayOutcome> outcomes);

/// Final outcome of one frame. `gateways` points into the channel's buffer, valid until the next next_outcome().
struct FrameOutcome {
  std::uint64_t id = 0;
  std::uint64_t tag = 0;
  double start_s = 0.0;
  double end_s = 0.0;
  std::uint32_t channel = 0;
  int sf = 7;
  DedupResult network{};
  std::span<const GatewayOutcome> gateways;
};

struct ChannelStats {
  std::uint64_t frames_added = 0;
  std::uint64_t frames_final = 0;
  std::uint64_t frames_delivered = 0;                   ///< counted once per frame (after deduplication)
  std::array<std::uint64_t, kRxCauseCount> by_cause{};  ///< per (frame, gateway) reception
};

class LoraChannel {
 public:
  explicit LoraChannel(const ChannelConfig& config = {});

  /// Puts a frame on the air, heard at the given gateways. Frames must come in non-decreasing start order and
  /// start no earlier than the last `now` passed to next_outcome (throws std::invalid_argument otherwise, or on an
  /// out-of-range channel/gateway/SF/BW). Returns the frame id (0, 1, 2, … in call order).
  std::uint64_t add_frame(const FrameTx& frame, std::span<const GatewayLink> links);
  /// Single-gateway shortcut: heard at gateway 0 with `rssi_dbm`.
  std::uint64_t add_frame(const FrameTx& frame, double rssi_dbm) {
    const GatewayLink link{0, rssi_dbm};
    return add_frame(frame, std::span<const GatewayLink>(&link, 1));
  }

  /// The gateway transmits (downlink) during [start_s, end_s): frames overlapping it there are lost (half_duplex).
  void add_gateway_busy(std::uint32_t gateway, double start_s, double end_s);

  /// Pops the next frame whose end is <= now_s (earliest end first, ties by id); false when none is final yet.
  bool next_outcome(double now_s, FrameOutcome& out);
  /// Frames on the air or not yet popped.
  std::size_t pending() const { return heap_.size(); }
  /// Largest end time of any frame added so far (next_outcome(last_end_s()) drains everything).
  double last_end_s() const { return last_end_; }

  /// Reception records ever allocated (the pool's high-water mark, not the frames seen): stays at the peak number
  /// of frames on the air × gateways, which shows that finished frames are recycled.
  std::size_t pooled_records() const { return rx_.size(); }

  const ChannelStats& stats() const { return stats_; }
  const ChannelConfig& config() const { return cfg_; }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  struct Rx {  // one frame at one gateway
    double start = 0, end = 0, critical = 0, rssi = 0;
    std::uint32_t frame = kNone, gateway = 0, next = kNone;
    std::int8_t sf = 7;
    bool interferes = true, below_sensitivity = false, half_duplex = false, demod_busy = false, collided = false;
  };
  struct Frame {
    std::uint64_t id = 0, tag = 0;
    double start = 0, end = 0;
    std::uint32_t channel = 0, first_rx = kNone;
    int sf = 7;
  };
  struct HeapItem {
    double end;
    std::uint64_t id;
    std::uint32_t slot;
  };

  bool destroys(const Rx& interferer, const Rx& wanted) const;
  std::uint32_t alloc_rx();
  std::uint32_t alloc_frame();
  std::vector<std::uint32_t>& active(std::uint32_t gateway, std::uint32_t channel) {
    return active_[gateway * static_cast<std::uint32_t>(cfg_.channels) + channel];
  }

  ChannelConfig cfg_;
  std::vector<Rx> rx_;
  std::vector<std::uint32_t> rx_free_;
  std::vector<Frame> frames_;
  std::vector<std::uint32_t> frame_free_;
  std::vector<std::vector<std::uint32_t>> active_;            // [gateway × channel] → Rx indices on the air
  std::vector<std::vector<double>> demod_end_;                // [gateway] → end times of busy demodulators
  std::vector<std::vector<std::pair<double, double>>> busy_;  // [gateway] → downlink intervals
  std::vector<HeapItem> heap_;                                // min-heap on (end, id)
  std::vector<GatewayOutcome> out_buf_;
  ChannelStats stats_;
  std::uint64_t next_id_ = 0;
  double now_ = -std::numeric_limits<double>::infinity();
  double last_start_ = -std::numeric_limits<double>::infinity();
  double last_end_ = 0.0;
};

}  // namespace edgetwin::models::radio
