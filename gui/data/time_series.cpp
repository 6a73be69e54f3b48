// gui/data/time_series.cpp — see time_series.hpp.
#include "gui/data/time_series.hpp"

#include <algorithm>
#include <cmath>

namespace edgetwin::gui {

void Series::append(double t, double v) {
  if (!samples_.empty() && t < samples_.back().t) sorted_ = false;
  samples_.push_back({t, v});
}

long Series::index_at(double t) const {
  // Binary search over the logical (oldest-first) order of the ring buffer.
  long lo = 0, hi = long(samples_.size()) - 1, found = -1;
  while (lo <= hi) {
    long mid = (lo + hi) / 2;
    if (samples_[std::size_t(mid)].t <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

double Series::value_at(double t, double fallback) const {
  long i = index_at(t);
  return i < 0 ? fallback : samples_[std::size_t(i)].v;
}

void Series::sort_by_time() {
  if (sorted_) return;
  std::vector<Sample> all;
  all.reserve(samples_.size());
  for (std::size_t i = 0; i < samples_.size(); ++i) all.push_back(samples_[i]);
  std::stable_sort(all.begin(), all.end(), [](const Sample& a, const Sample& b) { return a.t < b.t; });
  samples_.clear();
  for (const Sample& s : all) samples_.push_back(s);
  sorted_ = true;
}

int TimeSeriesStore::intern(QHash<QString, int>& ids, QStringList& names, const QString& s) {
  auto it = ids.constFind(s);
  if (it != ids.constEnd()) return it.value();
  int id = int(names.size());
  ids.insert(s, id);
  names.push_back(s);
  return id;
}

void TimeSeriesStore::note_time(double t) {
  // Samples arrive mostly in time order: a new time is usually appended at the end.
  if (times_.empty() || t > times_.back()) {
    times_.push_back(t);
    return;
  }
  auto it = std::lower_bound(times_.begin(), times_.end(), t);
  if (it == times_.end() || *it != t) times_.insert(it, t);
}

void TimeSeriesStore::append(double t, const QString& entity, const QString& metric, double value) {
  int e = intern(entity_ids_, entity_names_, entity);
  int m = intern(metric_ids_, metric_names_, metric);
  auto& slot = series_[key(e, m)];
  if (!slot) slot = std::make_unique<Series>(capacity_);
  slot->append(t, value);
  note_time(t);
}

const Series* TimeSeriesStore::find(const QString& entity, const QString& metric) const {
  auto e = entity_ids_.constFind(entity);
  auto m = metric_ids_.constFind(metric);
  if (e == entity_ids_.constEnd() || m == metric_ids_.constEnd()) return nullptr;
  auto it = series_.find(key(e.value(), m.value()));
  return it == series_.end() ? nullptr : it->second.get();
}

double TimeSeriesStore::value_at(const QString& entity, const QString& metric, double t, double fallback) const {
  const Series* s = find(entity, metric);
  return s ? s->value_at(t, fallback) : fallback;
}

double TimeSeriesStore::interval() const {
  double best = 0;
  for (std::size_t i = 1; i < times_.size(); ++i) {
    double gap = times_[i] - times_[i - 1];
    if (gap > 0 && (best == 0 || gap < best)) best = gap;
  }
  return best;
}

QStringList TimeSeriesStore::metrics_of(const QString& entity) const {
  QStringList out;
  auto e = entity_ids_.constFind(entity);
  if (e == entity_ids_.constEnd()) return out;
  for (int m = 0; m < metric_names_.size(); ++m)
    if (series_.count(key(e.value(), m))) out.push_back(metric_names_[m]);
  return out;
}

std::size_t TimeSeriesStore::sample_count() const {
  std::size_t n = 0;
  for (const auto& [k, s] : series_) n += s->size();
  return n;
}

void TimeSeriesStore::finish() {
  for (auto& [k, s] : series_) s->sort_by_time();
}

void TimeSeriesStore::clear() {
  entity_ids_.clear();
  metric_ids_.clear();
  entity_names_.clear();
  metric_names_.clear();
  series_.clear();
  times_.clear();
}

}  // namespace edgetwin::gui
