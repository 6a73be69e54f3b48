// gui/app/main_window.cpp — see main_window.hpp.
#include "gui/app/main_window.hpp"

#include <cmath>

#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include "gui/app/render.hpp"
#include "gui/data/live_source.hpp"
#ifdef EDGETWIN_VIEWER_LIVE
#include "gui/live/live_mqtt.hpp"
#endif
#include "gui/views/live_panel.hpp"
#include "gui/models/format.hpp"
#include "gui/views/charts_panel.hpp"
#include "gui/views/timeline_widget.hpp"
#include "gui/views/topology_view.hpp"

namespace edgetwin::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      topology_(new TopologyModel(this)),
      timeline_(new TimelineModel(this)),
      charts_(new ChartModel(this)),
      inspector_(new InspectorModel(this)),
      compare_(new CompareModel(this)) {
  setWindowTitle("EdgeTwin viewer");
  auto* central = new QWidget(this);
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(4, 4, 4, 4);
  column->setSpacing(4);

  banner_ = new QLabel(central);
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  banner_->setVisible(false);
  column->addWidget(banner_);

  topology_view_ = new TopologyView(topology_, central);
  tabs_ = new QTabWidget(central);
  inspector_view_ = new QTreeView(tabs_);
  inspector_view_->setModel(inspector_);
  inspector_view_->setAlternatingRowColors(true);
  inspector_view_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  inspector_view_->setUniformRowHeights(true);
  tabs_->addTab(inspector_view_, "Inspector");
  compare_view_ = new QTableView(tabs_);
  auto* sorted = new QSortFilterProxyModel(this);
  sorted->setSourceModel(compare_);
  compare_view_->setModel(sorted);
  compare_view_->setSortingEnabled(false);
  compare_view_->verticalHeader()->setVisible(false);
  compare_view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  compare_view_->horizontalHeader()->setSectionResizeMode(CompareModel::ScopeColumn, QHeaderView::Interactive);
  compare_view_->horizontalHeader()->resizeSection(CompareModel::ScopeColumn, 150);
  compare_view_->setTextElideMode(Qt::ElideMiddle);
  compare_view_->setWordWrap(false);
  compare_view_->verticalHeader()->setDefaultSectionSize(20);
  compare_view_->setAlternatingRowColors(true);
  compare_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  tabs_->addTab(compare_view_, "Compare");
  tabs_->setTabEnabled(1, false);

  auto* top = new QSplitter(Qt::Horizontal, central);
  top->addWidget(topology_view_);
  top->addWidget(tabs_);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 1);
  top->setSizes({1100, 420});

  charts_panel_ = new ChartsPanel(charts_, central);
  auto* vertical = new QSplitter(Qt::Vertical, central);
  vertical->addWidget(top);
  vertical->addWidget(charts_panel_);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  vertical->setSizes({560, 330});
  column->addWidget(vertical, 1);

  timeline_widget_ = new TimelineWidget(timeline_, central);
  column->addWidget(timeline_widget_);
  setCentralWidget(central);

  connect(timeline_, &TimelineModel::time_changed, this, &MainWindow::on_time);
  connect(topology_view_, &TopologyView::selection_changed, this, &MainWindow::on_selection);
  connect(compare_view_, &QTableView::activated, this, [this, sorted](const QModelIndex& i) {
    const KpiDelta& k = compare_->rows()[std::size_t(sorted->mapToSource(i).row())];
    if (!k.scope.isEmpty() && k.metric != "slo") select(k.scope);
  });
  build_menus();
  statusBar()->showMessage("Click a node or link to inspect it; double-click a device group to expand it; "
                           "wheel to zoom, drag to pan.");
  resize(1600, 1000);
  update_caption();
}

MainWindow::~MainWindow() {
  disconnect(topology_view_, nullptr, this, nullptr);
  disconnect(timeline_, nullptr, this, nullptr);
  drop_live_client();  // no more messages, then the source
  if (run_source_) disconnect(run_source_, nullptr, this, nullptr);
}

void MainWindow::close_live() {
  drop_live_client();
  if (live_panel_) {
    tabs_->removeTab(tabs_->indexOf(live_panel_));
    delete live_panel_;
    live_panel_ = nullptr;
  }
  own_live_.reset();
  overlay_.clear();
}

void MainWindow::drop_live_client() {
#ifdef EDGETWIN_VIEWER_LIVE
  delete live_client_;
#endif
  live_client_ = nullptr;
}

bool MainWindow::open_live(const QString& url, const QString& twin, QString* error) {
#ifdef EDGETWIN_VIEWER_LIVE
  auto source = std::make_unique<LiveTwinSource>(url, twin);
  auto client = std::make_unique<LiveMqttClient>(source.get(), url);
  QString why;
  if (!client->start(&why)) {
    if (error) *error = why;
    show_message(MessageLevel::error, "Cannot connect to " + url + ": " + why);
    return false;
  }
  drop_live_client();
  set_sources(source.get(), nullptr);
  own_live_ = std::move(source);
  own_run_.reset();
  own_baseline_.reset();
  live_client_ = client.release();
  if (live_panel_) {
    tabs_->removeTab(tabs_->indexOf(live_panel_));
    delete live_panel_;
  }
  live_panel_ = new LivePanel(own_live_.get(), tabs_);
  tabs_->addTab(live_panel_, "Live");
  tabs_->setCurrentWidget(live_panel_);
  connect(live_panel_, &LivePanel::whatif_requested, this, [this](const QString& target, double seconds) {
    live_panel_->request_sent(live_client_ ? live_client_->request_whatif(target, seconds) : QString());
  });
  // Context live_panel_, not this: set_sources() drops the run source's connections to the window.
  connect(own_live_.get(), &LiveTwinSource::whatif_answered, live_panel_, [this] { on_whatif_answer(); });
  connect(own_live_.get(), &LiveTwinSource::connection_changed, live_panel_, [this] {
    if (run_source_ == own_live_.get()) set_sources(own_live_.get(), nullptr);
  });
  return true;
#else
  Q_UNUSED(twin);
  const QString why = "this edgetwin-viewer was built without MQTT (Paho MQTT C++ not found): no live mode";
  if (error) *error = why;
  show_message(MessageLevel::error, "Cannot open " + url + ": " + why);
  return false;
#endif
}

void MainWindow::on_whatif_answer() {
  overlay_.clear();
  if (!own_live_ || !own_live_->whatif()) return;
  const WhatIfAnswer& w = *own_live_->whatif();
  QStringList lines{QString("What-if: %1 down for %2 s — %3").arg(w.target).arg(w.seconds).arg(w.status)};
  for (const ImpactRow& r : w.impact)
    if (r.metric == "delivery_ratio" || r.metric == "latency_p99")
      lines << QString("  %1 %2: %3 → %4").arg(r.scope, r.metric == "delivery_ratio" ? "delivery" : "p99",
                                                     r.metric == "delivery_ratio" ? fmt::percent(r.baseline) : fmt::seconds(r.baseline),
                                                     r.metric == "delivery_ratio" ? fmt::percent(r.faulted) : fmt::seconds(r.faulted));
  if (w.impact.empty() && !w.message.isEmpty()) lines << "  " + w.message.left(160);
  overlay_ = lines.join("\n");
  update_caption();
}

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open results folder\u2026", QKeySequence::Open, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Open a results folder");
    if (!dir.isEmpty()) open_results(dir);
  });
  file->addAction("&Compare with a what-if folder\u2026", this, [this] {
    if (!run_source_) return;
    const QString baseline = run_source_->describe();
    const QString dir = QFileDialog::getExistingDirectory(this, "Open the what-if results folder");
    if (!dir.isEmpty()) open_compare(compare_mode() ? baseline_source_->describe() : baseline, dir);
  });
  file->addAction("&Export PNGs\u2026", this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Write the report pictures to");
    if (dir.isEmpty()) return;
    const RenderResult r = render_window(*this, dir);
    statusBar()->showMessage(r.ok ? "Wrote " + r.files.join(", ") : r.error);
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* view = menuBar()->addMenu("&View");
  view->addAction("&Fit topology", QKeySequence(Qt::Key_F), topology_view_, &TopologyView::fit);
  view->addAction("Zoom &in", QKeySequence::ZoomIn, this, [this] { topology_view_->zoom_by(1.25); });
  view->addAction("Zoom &out", QKeySequence::ZoomOut, this, [this] { topology_view_->zoom_by(0.8); });
  view->addAction("&Whole run", QKeySequence(Qt::Key_Home), timeline_, &TimelineModel::show_whole_run);
  view->addAction("&Next interval", QKeySequence(Qt::CTRL | Qt::Key_Right), this,
                  [this] { timeline_->set_step(timeline_->step() + 1); });
  view->addAction("&Previous interval", QKeySequence(Qt::CTRL | Qt::Key_Left), this,
                  [this] { timeline_->set_step(std::max(0, timeline_->step() - 1)); });
  view->addAction("Clear &selection", QKeySequence(Qt::Key_Escape), this, [this] { select(QString()); });
}

bool MainWindow::open_results(const QString& folder) {
  auto run = std::make_unique<ResultsFolderSource>();
  run->open(folder);
  set_sources(run.get(), nullptr);
  own_run_ = std::move(run);
  own_baseline_.reset();
  close_live();
  return run_source_ != nullptr;
}

bool MainWindow::open_compare(const QString& baseline, const QString& whatif) {
  auto base = std::make_unique<ResultsFolderSource>();
  auto what = std::make_unique<ResultsFolderSource>();
  base->open(baseline);
  what->open(whatif);
  set_sources(what.get(), base.get());
  own_run_ = std::move(what);
  own_baseline_ = std::move(base);
  close_live();
  return run_source_ != nullptr && baseline_source_ != nullptr;
}

void MainWindow::set_sources(DataSource* run, DataSource* baseline) {
  if (run_source_) disconnect(run_source_, nullptr, this, nullptr);
  // Messages first: an unreadable folder must say so, whatever else happens.
  QStringList errors, warnings;
  auto collect = [&](DataSource* s, const QString& role) {
    if (!s) return;
    const LoadReport r = s->report();
    const QString prefix = baseline ? role + " " + s->describe() + ": " : QString();
    for (const QString& e : r.errors) errors << prefix + e;
    for (const QString& w : r.warnings) warnings << prefix + w;
  };
  collect(baseline, "baseline");
  collect(run, baseline ? "what-if" : "");
  const bool usable = run && run->report().ok && (!baseline || baseline->report().ok);
  run_source_ = usable ? run : nullptr;
  baseline_source_ = usable ? baseline : nullptr;

  const RunData* data = run_source_ ? &run_source_->data() : nullptr;
  const RunData* base = baseline_source_ ? &baseline_source_->data() : nullptr;
  topology_->set_data(data, base);
  timeline_->set_data(data);
  charts_->set_data(data);
  inspector_->set_data(data);
  inspector_view_->expandAll();
  compare_->set_data(base, data);
  tabs_->setTabEnabled(1, base != nullptr);
  tabs_->setCurrentIndex(base ? 1 : 0);
  if (run_source_ && run_source_->is_live()) {
    // A live source re-shapes its topology when entities appear: show it again.
    connect(run_source_, &DataSource::reset, this, [this] {
      const QString keep = selected();
      set_sources(run_source_, baseline_source_);
      if (!keep.isEmpty()) select(keep);
    });
  }
  if (run_source_) {
    connect(run_source_, &DataSource::appended, this, [this](double) {
      timeline_->data_appended();
      // The series and KPIs grew: charts and inspector read them again (same selection).
      const QString sel = selected();
      charts_->set_data(&run_source_->data());
      charts_->set_selection(sel);
      inspector_->set_data(&run_source_->data());
      inspector_->set_entity(sel);
      inspector_view_->expandAll();
      topology_->set_time(timeline_->time());
      update_caption();
    });
  }

  if (!errors.isEmpty()) {
    QStringList lines;
    for (const QString& e : errors) lines << e;
    for (const QString& w : warnings) lines << "Also: " + w;
    show_message(MessageLevel::error, "Cannot show these results. " + lines.join("\n"));
  } else if (!warnings.isEmpty()) {
    show_message(MessageLevel::warning, "Shown with gaps: " + warnings.join("\n"));
  } else {
    show_message(MessageLevel::none, {});
  }
  setWindowTitle(data ? QString("EdgeTwin viewer \u2014 %1 (%2)%3")
                            .arg(data->scenario, data->folder, base ? " vs baseline " + base->folder : QString())
                      : QString("EdgeTwin viewer"));
  update_caption();
}

void MainWindow::show_message(MessageLevel level, const QString& text) {
  level_ = level;
  banner_->setText(text);
  banner_->setVisible(level != MessageLevel::none);
  banner_->setStyleSheet(level == MessageLevel::error
                             ? "background: #fde2e4; color: #8a1022; border: 1px solid #e01e37; padding: 6px;"
                             : "background: #fff4d6; color: #6b4e00; border: 1px solid #e8b100; padding: 6px;");
}

QString MainWindow::message() const { return level_ == MessageLevel::none ? QString() : banner_->text(); }

void MainWindow::select(const QString& entity) {
  topology_view_->select(entity);
  on_selection(topology_view_->selected());
}

QString MainWindow::selected() const { return topology_view_->selected(); }

void MainWindow::on_selection(const QString& entity) {
  charts_->set_selection(entity);
  inspector_->set_entity(entity);
  inspector_view_->expandAll();
  if (!entity.isEmpty() && tabs_->currentIndex() != 0 && !compare_mode()) tabs_->setCurrentIndex(0);
}

void MainWindow::on_time(double t) {
  topology_->set_time(t);
  inspector_->set_time(t);
  inspector_view_->expandAll();
  charts_panel_->set_cursor(t);
  update_caption();
}

void MainWindow::update_caption() {
  if (!run_source_) {
    topology_view_->set_caption(level_ == MessageLevel::error ? "Nothing to show: see the message above."
                                                              : "Open a results folder (File \u2192 Open).");
    return;
  }
  const RunData& d = run_source_->data();
  const double t = timeline_->time();
  QString when = std::isnan(t) ? QString("whole run, %1").arg(fmt::seconds(d.duration))
                               : QString("t = %1 \u2013 %2").arg(fmt::seconds(t), fmt::seconds(t + timeline_->interval()));
  QString what = d.scenario;
  if (compare_mode()) what = QString("what-if %1 vs baseline %2").arg(d.folder.section('/', -1), baseline_source_->data().folder.section('/', -1));
  const QString verdict = d.summary.value("verdict").toString();
  const QString slos = verdict == "pass" ? "SLOs pass" : verdict == "fail" ? "SLOs FAIL" : d.slos.empty() ? "no SLOs" : "";
  QString caption = what + "  \u2022  " + when + (slos.isEmpty() ? "" : "  \u2022  " + slos);
  if (run_source_->is_live()) caption = "LIVE " + run_source_->describe() + "  \u2022  " + caption;
  if (!overlay_.isEmpty()) caption += "\n" + overlay_;
  topology_view_->set_caption(caption);
}

}  // namespace edgetwin::gui
