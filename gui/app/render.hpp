// gui/app/render.hpp — pictures of a results folder without anyone looking: the topology, the four
// standard charts and the whole window as PNG files (`edgetwin-viewer --render`, CI reports), and
// the screenshot of a shown window (`--screenshot`, the Xvfb test).
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

namespace edgetwin::gui {

class MainWindow;

struct RenderResult {
  bool ok = false;
  QString error;      // why nothing (or not everything) was written
  QStringList files;  // paths written
};

/// Writes window.png, topology.png and throughput/latency/utilization/latency-cdf.png of what
/// `window` shows into `out_dir` (created when missing).
RenderResult render_window(MainWindow& window, const QString& out_dir, QSize chart_size = {960, 540});

/// Opens `results` (and `baseline` for a comparison) in a window of `size` that is never shown on
/// a screen, and renders it as render_window does. Fails when the results cannot be shown.
RenderResult render_report(const QString& results, const QString& out_dir, const QString& baseline = {},
                           QSize size = {1600, 1000});

/// What the window system shows of a visible window (the X server's pixels under xcb/Xvfb); falls
/// back to the widget's own rendering on platforms without screen grabs (offscreen).
QImage grab_window(MainWindow& window);

}  // namespace edgetwin::gui
