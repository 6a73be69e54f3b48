// gui/views/charts_panel.hpp — the four standard charts (Qt Charts) for the current selection:
// throughput, latency, utilization over time with the timeline's cursor, and the latency CDF.
// A timeline step moves only the cursor; a new selection rebuilds the series from ChartModel.
#pragma once

#include <limits>
#include <vector>

#include <QWidget>

#include "gui/models/chart_model.hpp"

QT_BEGIN_NAMESPACE
class QChartView;
class QLineSeries;
class QLabel;
QT_END_NAMESPACE

namespace edgetwin::gui {

/// One chart: a QChartView showing a ChartSpec, with its note underneath.
class ChartBox : public QWidget {
  Q_OBJECT
 public:
  explicit ChartBox(QWidget* parent = nullptr);
  void show_spec(const ChartSpec& spec);
  void set_cursor(double t);
  QChartView* view() const { return view_; }
  const ChartSpec& spec() const { return spec_; }
  /// Number of points drawn over all series (after decimation), for tests and the benchmark.
  int point_count() const;

 private:
  QChartView* view_;
  QLabel* legend_;
  QLabel* note_;
  QLineSeries* cursor_ = nullptr;
  ChartSpec spec_;
  double y_top_ = 1;
};

class ChartsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ChartsPanel(ChartModel* model, QWidget* parent = nullptr);
  void set_cursor(double t);
  const std::vector<ChartBox*>& boxes() const { return boxes_; }
  ChartBox* box(const QString& id) const;

 public slots:
  void refresh();

 private:
  ChartModel* model_;
  std::vector<ChartBox*> boxes_;
  double cursor_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace edgetwin::gui
