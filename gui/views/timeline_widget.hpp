// gui/views/timeline_widget.hpp — the timeline bar: play/pause (replay one step per tick), a
// slider over the run's intervals with fault events marked in red, "whole run", and the time.
#pragma once

#include <QWidget>

#include "gui/models/timeline_model.hpp"

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QTimer;
QT_END_NAMESPACE

namespace edgetwin::gui {

class EventSlider;

class TimelineWidget : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineWidget(TimelineModel* model, QWidget* parent = nullptr);
  /// Replay period per step (ms).
  void set_play_interval(int ms);
  bool playing() const;
  int marked_events() const;

 public slots:
  void play(bool on);

 private:
  void sync();

  TimelineModel* model_;
  QPushButton* play_;
  QPushButton* whole_;
  EventSlider* slider_;
  QLabel* label_;
  QTimer* timer_;
};

}  // namespace edgetwin::gui
