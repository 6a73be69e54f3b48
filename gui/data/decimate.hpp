// gui/data/decimate.hpp — reduces a series to what a chart of a given width can show: per bucket
// of time, the first, minimum, maximum and last samples (in time order), so peaks survive and a
// million-point series becomes a few thousand points in one linear pass.
#pragma once

#include <QList>
#include <QPointF>

#include "gui/data/time_series.hpp"

namespace edgetwin::gui {

/// Points of `s` with t0 <= t <= t1 (all when t1 < t0), at most about 4 x `buckets`, values
/// multiplied by `scale`. Series shorter than 4 x buckets are returned whole.
QList<QPointF> decimate_min_max(const Series& s, int buckets, double t0 = 0, double t1 = -1, double scale = 1);

}  // namespace edgetwin::gui
