// bench/viewer_frames.cpp — is the viewer responsive with 10 000 entities? Builds a synthetic run
// (10 000 topology entities, 60 intervals of time series), then times what a user waits for:
// loading a results folder, building the topology model and scene, one timeline step (model
// update + repaint of the topology), a selection (charts rebuilt), and charts of a 1 000 000-point
// series (decimation, Qt Charts update and paint). Runs on the offscreen platform.
//   build/bench/bench_viewer_frames [entities] [intervals]
#ifndef EDGETWIN_VIEWER_BENCH_WITH_GUI
#include <cstdio>
int main() {
  std::puts("bench_viewer_frames: built without the GUI (EDGETWIN_BUILD_GUI=OFF)");
  return 0;
}
#else
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTextStream>

#include "gui/app/main_window.hpp"
#include "gui/data/decimate.hpp"
#include "gui/data/results_loader.hpp"
#include "gui/views/charts_panel.hpp"
#include "gui/views/topology_view.hpp"

using namespace edgetwin::gui;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct Stats {
  double mean = 0, p95 = 0, max = 0;
};
Stats measure(int n, const std::function<void(int)>& f) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    f(i);
    v.push_back(ms_since(t0));
  }
  std::sort(v.begin(), v.end());
  Stats s;
  for (double x : v) s.mean += x / n;
  s.p95 = v[std::size_t(std::min<double>(n - 1, 0.95 * n))];
  s.max = v.back();
  return s;
}
void print(const char* what, const Stats& s) {
  std::printf("  %-52s mean %8.2f ms   p95 %8.2f ms   max %8.2f ms\n", what, s.mean, s.p95, s.max);
}

// A results folder shaped like a large deployment: sites of gateways and device groups behind a
// router, one load balancer, a broker cluster, cloud nodes with services.
void write_results(const QString& dir, int entities, int intervals) {
  const int brokers = std::max(2, entities / 50), clouds = std::max(2, entities / 250), services = clouds;
  const int per_site = 39;  // 6 gateways + 1 router + 32 device groups
  const int sites = std::max(1, (entities - 1 - brokers - clouds - services) / per_site);
  QString vertices, edges, nodes_json, links_json, groups_json;
  QFile ts(dir + "/timeseries.csv");
  ts.open(QIODevice::WriteOnly);
  QTextStream out(&ts);
  out << "time,entity,metric,value\n";
  QStringList gws, groups, links;
  auto vtx = [&](const QString& n, const char* kind, int tier, int count = 0) {
    vertices += QString("{\"name\":\"%1\",\"kind\":\"%2\",\"tier\":%3%4},").arg(n, kind).arg(tier).arg(count ? QString(",\"count\":%1").arg(count) : "");
  };
  auto edge = [&](const QString& name, const QString& a, const QString& b, const char* kind) {
    edges += QString("{\"name\":\"%1\",\"a\":\"%2\",\"b\":\"%3\",\"kind\":\"%4\",\"bandwidth\":1.25e7,\"latency\":0.001},").arg(name, a, b, kind);
  };
  for (int s = 0; s < sites; ++s) {
    const QString site = QString("site-%1").arg(s);
    vtx(site + "/router", "router", 2);
    edge(site + "-wan", site + "/router", "lb", "link");
    links << site + "-wan";
    for (int g = 0; g < 6; ++g) {
      const QString gw = QString("%1/gw-%2").arg(site).arg(g);
      vtx(gw, "gateway", 1);
      gws << gw;
      edge(gw + "-lan", gw, site + "/router", "link");
      links << gw + "-lan";
    }
    for (int d = 0; d < 32; ++d) {
      const QString grp = QString("%1/group-%2").arg(site).arg(d);
      vtx(grp, "device_group", 0, 100 + d);
      groups << grp;
      edge(grp + "->gw", grp, QString("%1/gw-%2").arg(site).arg(d % 6), "access");
    }
  }
  vtx("lb", "load_balancer", 3);
  gws << "lb";
  for (int b = 1; b <= brokers; ++b) {
    vtx(QString("broker-%1").arg(b), "broker", 4);
    gws << QString("broker-%1").arg(b);
    edge(QString("cluster/broker-%1").arg(b), "lb", QString("broker-%1").arg(b), "link");
    links << QString("cluster/broker-%1").arg(b);
  }
  QString services_json;
  for (int c = 0; c < clouds; ++c) {
    vtx(QString("cloud/node-%1").arg(c), "cloud_node", 5);
    edge(QString("cloud-lan/broker-%1-%2").arg(c % brokers + 1).arg(c), QString("broker-%1").arg(c % brokers + 1), QString("cloud/node-%1").arg(c), "link");
    services_json += QString("{\"name\":\"svc-%1\",\"node\":\"cloud/node-%1\",\"subscribe\":[\"#\"]},").arg(c);
    gws << QString("svc-%1").arg(c);
  }
  for (const QString& n : gws) nodes_json += QString("\"%1\":{\"utilization\":0.4,\"queue_peak\":3,\"cores\":4},").arg(n);
  for (const QString& l : links) links_json += QString("\"%1\":{\"utilization\":0.2},").arg(l);
  for (const QString& g : groups)
    groups_json += QString("\"%1\":{\"loss_ratio\":0.01,\"latency\":{\"min\":0.01,\"p50\":0.02,\"p95\":0.03,\"p99\":0.04,\"max\":0.05}},").arg(g);
  for (int t = 0; t < intervals; ++t) {
    const double time = t * 10.0;
    for (int i = 0; i < groups.size(); ++i)
      out << time << ',' << groups[i] << ",delivered," << 100 + (i + t) % 17 << '\n'
          << time << ',' << groups[i] << ",lost," << (i * t) % 5 << '\n'
          << time << ',' << groups[i] << ",latency_mean," << 0.02 + 0.001 * ((i + t) % 7) << '\n';
    for (int i = 0; i < gws.size(); ++i) out << time << ',' << gws[i] << ",utilization," << ((i * 7 + t * 13) % 100) / 100.0 << '\n';
    for (int i = 0; i < links.size(); ++i) out << time << ',' << links[i] << ",utilization," << ((i * 3 + t * 11) % 100) / 100.0 << '\n';
  }
  ts.close();
  vertices.chop(1);
  edges.chop(1);
  nodes_json.chop(1);
  links_json.chop(1);
  groups_json.chop(1);
  services_json.chop(1);
  auto write = [&](const char* name, const QString& text) {
    QFile f(dir + "/" + name);
    f.open(QIODevice::WriteOnly);
    f.write(text.toUtf8());
  };
  write("topology.json", QString("{\"vertices\":[%1],\"edges\":[%2],\"services\":[%3]}").arg(vertices, edges, services_json));
  write("summary.json", QString("{\"scenario\":\"bench\",\"duration\":%1,\"groups\":{%2},\"nodes\":{%3},\"links\":{%4},\"totals\":{}}")
                            .arg(intervals * 10.0).arg(groups_json, nodes_json, links_json));
  write("manifest.json", "{\"scenario\":\"bench\"}");
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const int entities = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int intervals = argc > 2 ? std::atoi(argv[2]) : 60;
  QTemporaryDir dir;
  write_results(dir.path(), entities, intervals);

  auto t0 = Clock::now();
  RunData run;
  const LoadReport report = load_results(dir.path(), run);
  const double load_ms = ms_since(t0);
  if (!report.ok) {
    std::fprintf(stderr, "%s\n", qPrintable(report.message()));
    return 1;
  }
  std::printf("viewer bench: %zu vertices, %zu edges, %zu series, %zu samples, %d intervals\n", run.vertices.size(),
              run.edges.size(), run.series.series_count(), run.series.sample_count(), intervals);
  std::printf("  %-52s %8.1f ms\n", "load results folder (topology, summary, timeseries.csv)", load_ms);

  MainWindow window;
  window.resize(1600, 1000);
  window.setAttribute(Qt::WA_DontShowOnScreen);
  window.show();
  t0 = Clock::now();
  window.open_results(dir.path());
  QApplication::processEvents();
  std::printf("  %-52s %8.1f ms\n", "open in the window (load + models + scene + charts)", ms_since(t0));
  TopologyView* view = window.topology_view();
  std::printf("  scene items: %d\n", view->item_count());

  QImage frame(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
  auto paint = [&] {
    QPainter p(&frame);
    view->render(&p);
  };
  const int steps = std::min(intervals, 40);
  view->fit();
  print("timeline step: topology model only", measure(steps, [&](int i) { window.topology_model()->set_time(i * 10.0); }));
  print("timeline step: inspector model only", measure(steps, [&](int i) { window.inspector_model()->set_time(i * 10.0); }));
  print("timeline step: models + inspector + chart cursors", measure(steps, [&](int i) { window.timeline_model()->set_step(i); }));
  print("repaint topology, whole graph fitted (1600x~560)", measure(10, [&](int) { paint(); }));
  print("timeline step + repaint, whole graph fitted", measure(steps, [&](int i) {
          window.timeline_model()->set_step(steps - 1 - i);
          paint();
        }));
  view->resetTransform();
  view->centerOn(0, 0);
  print("timeline step + repaint, zoomed to 1:1 (labels drawn)", measure(steps, [&](int i) {
          window.timeline_model()->set_step(i);
          paint();
        }));
  print("select a gateway (charts + inspector rebuilt)", measure(20, [&](int i) {
          window.select(QString("site-%1/gw-%2").arg(i % 10).arg(i % 6));
        }));
  print("select a device group", measure(20, [&](int i) { window.select(QString("site-%1/group-%2").arg(i % 10).arg(i % 32)); }));

  // A chart over a million points: decimation, Qt Charts update and paint.
  Series big(1 << 21);
  for (int i = 0; i < 1'000'000; ++i) big.append(i * 0.01, 50 + 40 * std::sin(i * 0.0007) + (i % 97) * 0.1);
  print("decimate 1 000 000 points to ~2 400", measure(10, [&](int) { (void)decimate_min_max(big, 600); }));
  ChartBox box;
  box.resize(960, 540);
  box.setAttribute(Qt::WA_DontShowOnScreen);
  box.show();
  ChartSpec spec;
  spec.title = "1 000 000 points";
  spec.x_max = 10000;
  spec.y_max = 100;
  QImage chart(box.size(), QImage::Format_ARGB32_Premultiplied);
  print("chart of 1 000 000 points: decimate + update + paint", measure(10, [&](int) {
          spec.series = {{"u", decimate_min_max(big, 600), Qt::blue}};
          box.show_spec(spec);
          QPainter p(&chart);
          box.render(&p);
        }));
  box.show_spec(spec);
  print("timeline cursor on that chart + paint", measure(20, [&](int i) {
          box.set_cursor(i * 400.0);
          QPainter p(&chart);
          box.render(&p);
        }));
  std::printf("  points drawn after decimation: %d\n", box.point_count());
  return 0;
}
#endif
