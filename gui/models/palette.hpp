// gui/models/palette.hpp — the viewer's colour language, in one place so views, legends and tests
// agree: a green→yellow→red scale for utilization and loss ("stress" in [0, 1]), a diverging
// blue←grey→red scale for what-if deltas, and the marks for failed, missing and SLO-failing entities.
#pragma once

#include <QColor>

namespace edgetwin::gui::palette {

/// Loss ratio (lost / (delivered + lost)) drawn as full red; device groups have no utilization.
inline constexpr double kLossAtFullScale = 0.05;
/// A what-if delta of this much stress (25 percentage points of utilization) is drawn saturated.
inline constexpr double kDeltaAtFullScale = 0.25;

QColor stress(double s);           // NaN -> no_data()
QColor delta(double d);            // what-if minus baseline stress; NaN -> no_data()
inline QColor no_data() { return QColor(0xb8, 0xc4, 0xd0); }
inline QColor failed_fill() { return QColor(0x3c, 0x3c, 0x44); }
inline QColor failed_mark() { return QColor(0xe0, 0x1e, 0x37); }
inline QColor slo_fail_border() { return QColor(0xe0, 0x1e, 0x37); }
inline QColor normal_border() { return QColor(0x2b, 0x3a, 0x4a); }
inline QColor added_border() { return QColor(0x8e, 0x44, 0xad); }
inline QColor removed_fill() { return QColor(0xee, 0xee, 0xee); }
inline QColor access_edge() { return QColor(0x9a, 0xa5, 0xb1); }
/// One colour per series index for charts (colour-blind friendly, Okabe–Ito order).
QColor series(int i);

}  // namespace edgetwin::gui::palette
