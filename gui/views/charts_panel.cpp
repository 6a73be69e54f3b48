// gui/views/charts_panel.cpp — see charts_panel.hpp.
#include "gui/views/charts_panel.hpp"

#include <cmath>

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

namespace edgetwin::gui {
namespace {

// "plant-north/gw-1", "plant-north/gw-2" -> "plant-north/": shorter legend entries, same meaning.
QString common_prefix(const std::vector<ChartSeries>& series) {
  if (series.size() < 2) return {};
  QString prefix = series.front().name;
  for (const ChartSeries& s : series) {
    int n = 0;
    while (n < prefix.size() && n < s.name.size() && prefix[n] == s.name[n]) ++n;
    prefix.truncate(n);
  }
  while (!prefix.isEmpty() && !prefix.endsWith('/')) prefix.chop(1);
  return prefix;
}

// 1, 2 or 5 times a power of ten, so that `range` holds about `ticks` steps.
double nice_step(double range, int ticks) {
  if (!(range > 0)) return 1;
  const double raw = range / ticks;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p) return m * p;
  return 10 * p;
}

}  // namespace

ChartBox::ChartBox(QWidget* parent)
    : QWidget(parent), view_(new QChartView(this)), legend_(new QLabel(this)), note_(new QLabel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(view_, 1);
  layout->addWidget(legend_);
  layout->addWidget(note_);
  // Qt Charts' legend truncates names in a narrow chart; this one wraps.
  legend_->setWordWrap(true);
  legend_->setTextFormat(Qt::RichText);
  legend_->setStyleSheet("background: white; font-size: 8pt; padding: 0 8px 2px 8px;");
  note_->setWordWrap(true);
  note_->setStyleSheet("color: #5a6570; font-size: 8pt; padding: 0 8px 2px 8px;");
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(260, 180);
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  // A QChartView made without a chart makes its own; setChart() releases it without deleting it.
  QChart* made_by_view = view_->chart();
  view_->setChart(chart);
  delete made_by_view;
}

int ChartBox::point_count() const {
  int n = 0;
  for (QAbstractSeries* s : view_->chart()->series())
    if (auto* xy = qobject_cast<QXYSeries*>(s); xy && xy != cursor_) n += int(xy->count());
  return n;
}

void ChartBox::show_spec(const ChartSpec& spec) {
  spec_ = spec;
  // A fresh chart is cheaper and simpler than diffing series; the old one is deleted below.
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setTitle(spec.title);
  QFont tf = chart->titleFont();
  tf.setBold(true);
  tf.setPointSizeF(9.5);
  chart->setTitleFont(tf);
  chart->setMargins(QMargins(4, 2, 4, 2));
  chart->legend()->setVisible(false);
  auto* x = new QValueAxis;
  auto* y = new QValueAxis;
  x->setTitleText(spec.x_title);
  y->setTitleText(spec.y_title);
  QFont af = x->titleFont();
  af.setPointSizeF(8);
  af.setBold(false);
  x->setTitleFont(af);
  y->setTitleFont(af);
  QFont lab = x->labelsFont();
  lab.setPointSizeF(7.5);
  x->setLabelsFont(lab);
  y->setLabelsFont(lab);
  // Ticks on round numbers from 0, and the y range up to the next round number: readable axes
  // without Qt's applyNiceNumbers() stretching the time axis past the end of the run.
  const double xs = nice_step(spec.x_max - spec.x_min, 6), ys = nice_step(spec.y_max - spec.y_min, 5);
  const double y_top = spec.time_axis ? std::ceil(spec.y_max / ys - 1e-9) * ys : spec.y_max;
  x->setRange(spec.x_min, spec.x_max);
  y->setRange(spec.y_min, y_top);
  for (QValueAxis* a : {x, y}) {
    a->setTickType(QValueAxis::TicksDynamic);
    a->setTickAnchor(0);
  }
  x->setTickInterval(xs);
  y->setTickInterval(spec.time_axis ? ys : 0.25);
  x->setLabelFormat(xs >= 1 ? "%.0f" : "%.2g");
  y->setLabelFormat(spec.time_axis ? (ys >= 1 ? "%.0f" : "%.2g") : "%.2f");
  y_top_ = y_top;
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  QStringList legend;
  const QString prefix = common_prefix(spec.series);
  for (const ChartSeries& s : spec.series) {
    legend << QString("<span style='color:%1'>%2</span>&nbsp;%3")
                  .arg(s.color.name(), s.dashed ? "- - -" : "\u25a0", s.name.mid(prefix.size()).toHtmlEscaped());
    auto* line = new QLineSeries;
    line->setName(s.name);
    line->replace(s.points);  // one call: no per-point signals
    QPen pen(s.color, s.dashed ? 1.5 : 2.0);
    if (s.dashed) pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    line->setPointsVisible(s.marker);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
  }
  cursor_ = nullptr;
  if (spec.time_axis) {
    cursor_ = new QLineSeries;
    cursor_->setName("timeline");
    cursor_->setPen(QPen(QColor(0x10, 0x6e, 0xe8, 160), 2));
    chart->addSeries(cursor_);
    cursor_->attachAxis(x);
    cursor_->attachAxis(y);
    for (QLegendMarker* m : chart->legend()->markers(cursor_)) m->setVisible(false);
  }
  // setChart() releases the previous chart without deleting it (Qt docs): it leaked on every
  // refresh until LeakSanitizer said so. cursor_ already points into the new chart.
  QChart* old = view_->chart();
  view_->setChart(chart);
  delete old;
  legend_->setText(legend.join(" &nbsp; "));
  legend_->setVisible(!legend.isEmpty());
  note_->setText(spec.note);
  note_->setVisible(!spec.note.isEmpty());
}

void ChartBox::set_cursor(double t) {
  if (!cursor_) return;
  if (std::isnan(t)) {
    cursor_->clear();
    return;
  }
  cursor_->replace(QList<QPointF>{QPointF(t, spec_.y_min), QPointF(t, y_top_)});
}

ChartsPanel::ChartsPanel(ChartModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setSpacing(2);
  for (int i = 0; i < 4; ++i) {
    auto* box = new ChartBox(this);
    boxes_.push_back(box);
    grid->addWidget(box, 0, i);
  }
  connect(model_, &ChartModel::changed, this, &ChartsPanel::refresh);
  refresh();
}

void ChartsPanel::refresh() {
  const std::vector<ChartSpec> specs = model_->all();
  for (std::size_t i = 0; i < boxes_.size() && i < specs.size(); ++i) {
    boxes_[i]->show_spec(specs[i]);
    boxes_[i]->set_cursor(cursor_);
  }
}

void ChartsPanel::set_cursor(double t) {
  cursor_ = t;
  for (ChartBox* b : boxes_) b->set_cursor(t);
}

ChartBox* ChartsPanel::box(const QString& id) const {
  for (ChartBox* b : boxes_)
    if (b->spec().id == id) return b;
  return nullptr;
}

}  // namespace edgetwin::gui
