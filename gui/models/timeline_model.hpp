// gui/models/timeline_model.hpp — the timeline: the run's time-series steps (interval starts), the
// current one (or "whole run", which shows the summary KPIs), replay by stepping, and the fault
// events to mark. The topology, charts and inspector follow time_changed().
#pragma once

#include <limits>
#include <vector>

#include <QObject>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

class TimelineModel : public QObject {
  Q_OBJECT
 public:
  explicit TimelineModel(QObject* parent = nullptr) : QObject(parent) {}

  void set_data(const RunData* run);
  /// Live sources: the run's times grew; a timeline at the newest step follows the new end.
  void data_appended();

  int step_count() const { return int(steps_.size()); }
  /// -1 = whole run.
  int step() const { return step_; }
  /// NaN for the whole run, else the start of the current interval.
  double time() const;
  double time_of(int step) const { return steps_.at(std::size_t(step)); }
  double interval() const { return interval_; }
  double start() const { return steps_.empty() ? 0 : steps_.front(); }
  double end() const;  // end of the last interval (or the run's duration when longer)
  const std::vector<FaultEvent>& events() const;
  /// Step whose interval contains t (the first before it starts, the last after it ends).
  int step_at(double t) const;

 public slots:
  void set_step(int step);
  void set_time(double t) { set_step(step_at(t)); }
  void show_whole_run() { set_step(-1); }
  /// Replay: next step; from "whole run" starts at the first. False (and no change) at the end.
  bool advance();

 signals:
  void time_changed(double t);
  void steps_changed();

 private:
  const RunData* run_ = nullptr;
  std::vector<double> steps_;
  double interval_ = 0;
  int step_ = -1;
};

}  // namespace edgetwin::gui
