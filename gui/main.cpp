// gui/main.cpp — edgetwin-viewer: opens results folders in a window, compares two, or renders the
// standard pictures headless. Exit codes as edgetwin's: 0 ok, 2 invalid input (unreadable results,
// bad options), 3 I/O error (a PNG could not be written).
#include <cstdio>
#include <cstring>

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <QWindow>

#include "gui/app/main_window.hpp"
#include "gui/app/render.hpp"
#include "gui/data/live_source.hpp"
#include "gui/views/live_panel.hpp"
#include "gui/models/timeline_model.hpp"
#include "gui/models/topology_model.hpp"

namespace {

bool has_flag(int argc, char** argv, const char* flag) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], flag) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // Headless rendering needs no display: choose the offscreen platform before Qt starts,
  // unless the caller chose one.
  if (has_flag(argc, argv, "--render") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName("edgetwin-viewer");
  QApplication::setApplicationVersion(EDGETWIN_VIEWER_VERSION);

  QCommandLineParser cli;
  cli.setApplicationDescription(
      "EdgeTwin viewer: topology, charts, timeline replay and what-if comparison of results folders.\n"
      "  edgetwin-viewer RESULTS                      open a results folder\n"
      "  edgetwin-viewer BASELINE --compare WHATIF    show WHATIF against BASELINE\n"
      "  edgetwin-viewer --render RESULTS --out DIR   write PNGs without a display\n"
      "  edgetwin-viewer --live mqtt://HOST:PORT      follow a running twin (edgetwin-bridge twin)");
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument("results", "results folder written by edgetwin run");
  const QCommandLineOption compare("compare", "what-if results folder to compare with RESULTS (the baseline)", "whatif");
  const QCommandLineOption render("render", "render RESULTS headless (offscreen) and exit", "results");
  const QCommandLineOption out("out", "folder for --render pictures", "dir");
  const QCommandLineOption shot("screenshot", "show the window, save what the screen shows of it, exit", "png");
  const QCommandLineOption select("select", "select an entity (node, link or device group)", "name");
  const QCommandLineOption at("time", "show the interval at this simulated time (s) instead of the whole run", "seconds");
  const QCommandLineOption expand("expand", "expand a device group into its devices", "group");
  const QCommandLineOption size("size", "window size, e.g. 1600x1000", "WxH", "1600x1000");
  const QCommandLineOption live("live", "follow a live twin over MQTT: mqtt://HOST:PORT (docs/viewer.md, Live mode)", "url");
  const QCommandLineOption twin("twin", "with --live: the twin to follow (default: the first whose state arrives)", "name");
  cli.addOptions({compare, render, out, shot, select, at, expand, size, live, twin});
  cli.process(app);

  const QStringList wh = cli.value(size).split('x');
  const QSize window_size(wh.value(0).toInt() > 0 ? wh.value(0).toInt() : 1600, wh.value(1).toInt() > 0 ? wh.value(1).toInt() : 1000);

  edgetwin::gui::MainWindow window;
  if (cli.isSet(live)) {
    if (cli.isSet(render) || cli.isSet(compare) || !cli.positionalArguments().isEmpty()) {
      std::fprintf(stderr, "edgetwin-viewer: --live shows a running twin; it takes no RESULTS, --compare or --render\n");
      return 2;
    }
    QString error;
    if (!window.open_live(cli.value(live), cli.value(twin), &error)) {
      std::fprintf(stderr, "edgetwin-viewer: --live %s: %s\n", qPrintable(cli.value(live)), qPrintable(error));
      return 2;
    }
    if (cli.isSet(select)) {
      // The entities exist once the first state arrived.
      const QString name = cli.value(select);
      // Context: the live panel (the window's own connections to the source are redone on reset).
      QObject::connect(window.live_source(), &edgetwin::gui::DataSource::reset, window.live_panel(), [&window, name] {
        if (window.selected().isEmpty()) window.select(name);
      });
    }
    window.resize(window_size);
    window.show();
    if (cli.isSet(shot)) {
      // Live screenshot: give the twin a few seconds to publish, then grab.
      const QString path = cli.value(shot);
      int code = 3;
      QTimer::singleShot(5000, &window, [&] {
        const QImage img = edgetwin::gui::grab_window(window);
        if (!img.isNull() && img.save(path, "PNG")) {
          std::printf("%s %dx%d\n", qPrintable(path), img.width(), img.height());
          code = 0;
        }
        QApplication::quit();
      });
      app.exec();
      return code;
    }
    return app.exec();
  }
  QString results = cli.isSet(render) ? cli.value(render) : cli.positionalArguments().value(0);
  bool opened = true;
  if (cli.isSet(compare)) {
    if (results.isEmpty()) {
      std::fprintf(stderr, "edgetwin-viewer: --compare WHATIF needs the baseline RESULTS folder too\n");
      return 2;
    }
    opened = window.open_compare(results, cli.value(compare));
  } else if (!results.isEmpty()) {
    opened = window.open_results(results);
  }
  if (!window.message().isEmpty()) std::fprintf(stderr, "edgetwin-viewer: %s\n", qPrintable(window.message()));
  if (cli.isSet(expand)) window.topology_model()->set_expanded(cli.value(expand), true);
  if (cli.isSet(select)) window.select(cli.value(select));
  if (cli.isSet(at)) window.timeline_model()->set_time(cli.value(at).toDouble());
  window.resize(window_size);

  if (cli.isSet(render)) {
    if (!cli.isSet(out)) {
      std::fprintf(stderr, "edgetwin-viewer: --render needs --out DIR\n");
      return 2;
    }
    if (!opened) return 2;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.show();
    const edgetwin::gui::RenderResult r = edgetwin::gui::render_window(window, cli.value(out));
    if (!r.ok) {
      std::fprintf(stderr, "edgetwin-viewer: %s\n", qPrintable(r.error));
      return 3;
    }
    for (const QString& f : r.files) std::printf("%s\n", qPrintable(f));
    return 0;
  }

  window.show();
  if (cli.isSet(shot)) {
    // Wait until the window system shows the window, let it paint, then grab what the screen has.
    const QString path = cli.value(shot);
    int code = 3;
    QTimer::singleShot(0, &window, [&] {
      QWindow* handle = window.windowHandle();
      for (int i = 0; i < 100 && handle && !handle->isExposed(); ++i) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
      }
      QTimer::singleShot(600, &window, [&] {
        const QImage img = edgetwin::gui::grab_window(window);
        if (!img.isNull() && img.save(path, "PNG")) {
          std::printf("%s %dx%d (%s)\n", qPrintable(path), img.width(), img.height(), qPrintable(QApplication::platformName()));
          code = 0;
        } else {
          std::fprintf(stderr, "edgetwin-viewer: %s: cannot write the screenshot\n", qPrintable(path));
        }
        QApplication::quit();
      });
    });
    app.exec();
    return code;
  }
  return app.exec();
}
