// gui/models/timeline_model.cpp — see timeline_model.hpp.
#include "gui/models/timeline_model.hpp"

#include <algorithm>

namespace edgetwin::gui {

void TimelineModel::set_data(const RunData* run) {
  run_ = run;
  steps_ = run ? run->series.times() : std::vector<double>{};
  interval_ = run ? run->interval() : 0;
  step_ = -1;
  emit steps_changed();
  emit time_changed(time());
}

void TimelineModel::data_appended() {
  if (!run_) return;
  const bool at_end = step_ >= 0 && step_ == int(steps_.size()) - 1;
  steps_ = run_->series.times();
  interval_ = run_->interval();
  emit steps_changed();
  if (at_end) set_step(int(steps_.size()) - 1);
}

double TimelineModel::time() const {
  return step_ < 0 || step_ >= int(steps_.size()) ? std::numeric_limits<double>::quiet_NaN() : steps_[std::size_t(step_)];
}

double TimelineModel::end() const {
  const double last = steps_.empty() ? 0 : steps_.back() + interval_;
  return std::max(last, run_ ? run_->duration : 0.0);
}

const std::vector<FaultEvent>& TimelineModel::events() const {
  static const std::vector<FaultEvent> none;
  return run_ ? run_->events : none;
}

int TimelineModel::step_at(double t) const {
  if (steps_.empty()) return -1;
  auto it = std::upper_bound(steps_.begin(), steps_.end(), t);
  if (it == steps_.begin()) return 0;
  return int(it - steps_.begin()) - 1;
}

void TimelineModel::set_step(int step) {
  if (step >= int(steps_.size())) step = int(steps_.size()) - 1;
  if (step < -1) step = -1;
  if (step == step_) return;
  step_ = step;
  emit time_changed(time());
}

bool TimelineModel::advance() {
  if (steps_.empty() || step_ == int(steps_.size()) - 1) return false;
  set_step(step_ + 1);
  return true;
}

}  // namespace edgetwin::gui
