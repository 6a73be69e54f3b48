// gui/views/timeline_widget.cpp — see timeline_widget.hpp.
#include "gui/views/timeline_widget.hpp"

#include <cmath>

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTimer>

#include "gui/models/format.hpp"
#include "gui/models/palette.hpp"

namespace edgetwin::gui {

/// A slider that marks fault events (a red triangle each) at their time.
class EventSlider : public QSlider {
 public:
  EventSlider(TimelineModel* model, QWidget* parent) : QSlider(Qt::Horizontal, parent), model_(model) {
    setMinimumHeight(30);
    setTickPosition(QSlider::TicksBelow);
  }
  int marks() const { return int(model_->events().size()); }

 protected:
  void paintEvent(QPaintEvent* e) override {
    QSlider::paintEvent(e);
    if (model_->events().empty() || model_->step_count() == 0) return;
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    const double span = groove.width() - handle.width();
    const double step = model_->interval() > 0 ? model_->interval() : 1;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    for (const FaultEvent& ev : model_->events()) {
      const double v = (ev.time - model_->start()) / step;  // in steps, fractional
      const double f = maximum() > 0 ? std::clamp(v / maximum(), 0.0, 1.0) : 0;
      const double x = groove.left() + handle.width() / 2.0 + f * span;
      const bool restore = ev.action == "restore";
      p.setBrush(restore ? palette::series(2) : palette::failed_mark());
      const QPointF tri[3] = {{x - 5, 0}, {x + 5, 0}, {x, 8}};
      p.drawPolygon(tri, 3);
      if (ev.duration > 0) {  // the fault's span
        const double f2 = maximum() > 0 ? std::clamp((v + ev.duration / step) / maximum(), 0.0, 1.0) : 0;
        p.fillRect(QRectF(x, 1, groove.left() + handle.width() / 2.0 + f2 * span - x, 3), palette::failed_mark());
      }
    }
  }

 private:
  TimelineModel* model_;
};

TimelineWidget::TimelineWidget(TimelineModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      play_(new QPushButton(QString::fromUtf8("\u25b6 Play"), this)),
      whole_(new QPushButton("Whole run", this)),
      slider_(new EventSlider(model, this)),
      label_(new QLabel(this)),
      timer_(new QTimer(this)) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 2, 6, 2);
  row->addWidget(play_);
  row->addWidget(whole_);
  row->addWidget(slider_, 1);
  row->addWidget(label_);
  label_->setMinimumWidth(190);
  play_->setCheckable(true);
  play_->setToolTip("Replay the run one interval per tick");
  whole_->setToolTip("Show the KPIs of the whole run instead of one interval");
  timer_->setInterval(350);
  connect(play_, &QPushButton::toggled, this, &TimelineWidget::play);
  connect(whole_, &QPushButton::clicked, model_, &TimelineModel::show_whole_run);
  connect(slider_, &QSlider::valueChanged, model_, &TimelineModel::set_step);
  connect(slider_, &QSlider::sliderPressed, this, [this] { model_->set_step(slider_->value()); });
  connect(timer_, &QTimer::timeout, this, [this] {
    if (!model_->advance()) play(false);
  });
  connect(model_, &TimelineModel::time_changed, this, &TimelineWidget::sync);
  connect(model_, &TimelineModel::steps_changed, this, &TimelineWidget::sync);
  sync();
}

void TimelineWidget::set_play_interval(int ms) { timer_->setInterval(ms); }
bool TimelineWidget::playing() const { return timer_->isActive(); }
int TimelineWidget::marked_events() const { return slider_->marks(); }

void TimelineWidget::play(bool on) {
  if (on && model_->step() == model_->step_count() - 1) model_->set_step(0);  // replay from the start
  if (on) {
    timer_->start();
  } else {
    timer_->stop();
  }
  const QSignalBlocker block(play_);
  play_->setChecked(on);
  play_->setText(on ? QString::fromUtf8("\u23f8 Pause") : QString::fromUtf8("\u25b6 Play"));
}

void TimelineWidget::sync() {
  const QSignalBlocker block(slider_);
  const int n = model_->step_count();
  slider_->setRange(0, std::max(0, n - 1));
  slider_->setTickInterval(std::max(1, n / 20));
  slider_->setEnabled(n > 0);
  play_->setEnabled(n > 0);
  slider_->setValue(std::max(0, model_->step()));
  const double t = model_->time();
  if (n == 0) {
    label_->setText("no time series");
  } else if (std::isnan(t)) {
    label_->setText(QString("whole run (0 \u2013 %1)").arg(fmt::seconds(model_->end())));
  } else {
    label_->setText(QString("t = %1 \u2013 %2 of %3")
                        .arg(fmt::seconds(t), fmt::seconds(t + model_->interval()), fmt::seconds(model_->end())));
  }
  whole_->setEnabled(model_->step() >= 0);
  slider_->update();
}

}  // namespace edgetwin::gui
