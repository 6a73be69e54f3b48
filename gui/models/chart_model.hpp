// gui/models/chart_model.hpp — what the four standard charts show for the current selection, as
// plain data (titles, axes, series of points): throughput, latency, utilization over time, and the
// latency CDF per device group with its SLO line. Series are decimated (min/max per bucket) to a
// few thousand points whatever their length. Views turn a ChartSpec into Qt Charts objects.
#pragma once

#include <limits>
#include <vector>

#include <QColor>
#include <QList>
#include <QObject>
#include <QPointF>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

struct ChartSeries {
  QString name;
  QList<QPointF> points;
  QColor color;
  bool dashed = false;   // reference lines: run percentiles, SLO bounds
  bool marker = false;   // draw the points (CDF quantiles)
};

struct ChartSpec {
  QString id;  // throughput, latency, utilization, latency-cdf
  QString title;
  QString x_title;
  QString y_title;
  std::vector<ChartSeries> series;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  bool time_axis = true;  // x is simulated time: the timeline cursor is drawn
  QString note;           // shown under the chart (what is approximate, why it is empty)
};

class ChartModel : public QObject {
  Q_OBJECT
 public:
  explicit ChartModel(QObject* parent = nullptr) : QObject(parent) {}

  void set_data(const RunData* run);
  /// Entity name (group, node, service, link) or empty for the whole system.
  void set_selection(const QString& entity);
  QString selection() const { return selection_; }
  /// Decimation target: points per series after decimation is about 4 x buckets.
  void set_buckets(int buckets) { buckets_ = buckets; }
  /// At most this many series per chart when the whole system is shown.
  static constexpr int kMaxSeries = 8;

  ChartSpec throughput() const;
  ChartSpec latency() const;
  ChartSpec utilization() const;
  ChartSpec latency_cdf() const;
  std::vector<ChartSpec> all() const { return {throughput(), latency(), utilization(), latency_cdf()}; }

 signals:
  void changed();

 private:
  QString kind_of(const QString& entity) const;
  QList<QPointF> points(const QString& entity, const QString& metric, double scale) const;
  QList<QPointF> summed(const QStringList& entities, const QString& metric, double scale) const;
  QStringList groups() const;
  QStringList busiest(const QStringList& entities, int n) const;
  void fit(ChartSpec& spec) const;

  const RunData* run_ = nullptr;
  QString selection_;
  int buckets_ = 600;
};

}  // namespace edgetwin::gui
