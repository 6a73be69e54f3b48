// gui/app/render.cpp — see render.hpp.
#include "gui/app/render.hpp"

#include <QApplication>
#include <QChartView>
#include <QDir>
#include <QGuiApplication>
#include <QScreen>
#include <QWindow>

#include "gui/app/main_window.hpp"
#include "gui/views/charts_panel.hpp"
#include "gui/views/topology_view.hpp"

namespace edgetwin::gui {
namespace {

bool save(const QImage& image, const QString& path, RenderResult& r) {
  if (image.isNull() || !image.save(path, "PNG")) {
    r.error = path + ": cannot write the PNG file";
    return false;
  }
  r.files << path;
  return true;
}

}  // namespace

RenderResult render_window(MainWindow& window, const QString& out_dir, QSize chart_size) {
  RenderResult r;
  if (!QDir().mkpath(out_dir)) {
    r.error = out_dir + ": cannot create the folder";
    return r;
  }
  const QDir dir(out_dir);
  QApplication::processEvents();
  if (!save(window.grab().toImage(), dir.filePath("window.png"), r)) return r;

  // The topology alone, larger, fitted.
  TopologyView* view = window.topology_view();
  const QSize old = view->size();
  view->resize(1600, 1000);
  view->fit();
  QApplication::processEvents();
  const bool ok = save(view->grab().toImage(), dir.filePath("topology.png"), r);
  view->resize(old);
  view->fit();
  if (!ok) return r;

  // Each chart at report size, from the same specs the window shows.
  for (ChartBox* shown : window.charts_panel()->boxes()) {
    ChartBox box;
    box.show_spec(shown->spec());
    box.set_cursor(window.timeline_model()->time());
    box.resize(chart_size);
    box.setAttribute(Qt::WA_DontShowOnScreen);
    box.show();
    QApplication::processEvents();
    if (!save(box.grab().toImage(), dir.filePath(shown->spec().id + ".png"), r)) return r;
  }
  r.ok = true;
  return r;
}

RenderResult render_report(const QString& results, const QString& out_dir, const QString& baseline, QSize size) {
  MainWindow window;
  const bool opened = baseline.isEmpty() ? window.open_results(results) : window.open_compare(baseline, results);
  if (!opened) {
    RenderResult r;
    r.error = window.message();
    return r;
  }
  window.resize(size);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  QApplication::processEvents();
  RenderResult r = render_window(window, out_dir);
  if (r.ok && window.message_level() != MessageLevel::none) r.error = window.message();  // rendered, with gaps
  return r;
}

QImage grab_window(MainWindow& window) {
  QScreen* screen = window.screen();
  if (screen && QGuiApplication::platformName() != "offscreen" && window.windowHandle()) {
    const QImage img = screen->grabWindow(window.winId()).toImage();
    if (!img.isNull() && img.width() > 1) return img;
  }
  return window.grab().toImage();
}

}  // namespace edgetwin::gui
