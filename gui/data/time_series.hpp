// gui/data/time_series.hpp — the time series of a run in memory: one ring buffer of (time, value)
// samples per (entity, metric), as in timeseries.csv (`time,entity,metric,value`, time = start of
// the interval). Lookups by name are hashed once; views keep `Series*` (stable for the store's life).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <QHash>
#include <QString>
#include <QStringList>

#include "gui/data/ring_buffer.hpp"

namespace edgetwin::gui {

struct Sample {
  double t = 0;
  double v = 0;
};

class Series {
 public:
  explicit Series(std::size_t capacity) : samples_(capacity) {}
  void append(double t, double v);
  std::size_t size() const { return samples_.size(); }
  const Sample& operator[](std::size_t i) const { return samples_[i]; }
  bool empty() const { return samples_.empty(); }
  /// Index of the last sample with time <= t, or -1 when t is before the first sample.
  long index_at(double t) const;
  /// Value of the interval containing t (last sample at or before t); `fallback` before the first.
  double value_at(double t, double fallback) const;
  /// Restores time order after out-of-order appends (a results file is written in order).
  void sort_by_time();
  bool sorted() const { return sorted_; }

 private:
  RingBuffer<Sample> samples_;
  bool sorted_ = true;
};

class TimeSeriesStore {
 public:
  TimeSeriesStore() = default;
  explicit TimeSeriesStore(std::size_t capacity_per_series) : capacity_(capacity_per_series) {}

  void append(double t, const QString& entity, const QString& metric, double value);
  const Series* find(const QString& entity, const QString& metric) const;
  /// NaN-safe lookup: `fallback` when the series is missing or t precedes it.
  double value_at(const QString& entity, const QString& metric, double t, double fallback) const;

  /// Sorted distinct sample times over all series (the timeline's steps).
  const std::vector<double>& times() const { return times_; }
  /// The sampling interval (smallest gap between distinct times), 0 when fewer than two times.
  double interval() const;
  QStringList entities() const { return entity_names_; }
  QStringList metrics_of(const QString& entity) const;
  std::size_t series_count() const { return series_.size(); }
  std::size_t sample_count() const;
  /// Sorts what needs sorting; called by loaders when a file is read.
  void finish();
  void clear();

 private:
  static std::uint64_t key(int entity, int metric) { return (std::uint64_t(entity) << 32) | std::uint32_t(metric); }
  int intern(QHash<QString, int>& ids, QStringList& names, const QString& s);
  void note_time(double t);

  std::size_t capacity_ = std::size_t(1) << 22;
  QHash<QString, int> entity_ids_, metric_ids_;
  QStringList entity_names_, metric_names_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Series>> series_;
  std::vector<double> times_;
};

}  // namespace edgetwin::gui
