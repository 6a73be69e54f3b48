// gui/app/main_window.hpp — the viewer's window: topology (centre), inspector and compare table
// (right), the four charts (below), the timeline (bottom), and a message banner at the top that
// says what could not be read. Owns the data sources and the models; views only observe them.
#pragma once

#include <memory>

#include <QMainWindow>

#include "gui/data/data_source.hpp"
#include "gui/models/chart_model.hpp"
#include "gui/models/compare_model.hpp"
#include "gui/models/inspector_model.hpp"
#include "gui/models/timeline_model.hpp"
#include "gui/models/topology_model.hpp"

QT_BEGIN_NAMESPACE
class QLabel;
class QTabWidget;
class QTableView;
class QTreeView;
QT_END_NAMESPACE

namespace edgetwin::gui {

class ChartsPanel;
class LiveMqttClient;
class LivePanel;
class LiveTwinSource;
class TimelineWidget;
class TopologyView;

enum class MessageLevel { none, warning, error };

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens one results folder. False when nothing can be shown (the banner says why).
  bool open_results(const QString& folder);
  /// Opens a baseline and a what-if: the what-if is shown, the topology and the Compare tab show
  /// the differences. False when either cannot be shown.
  bool open_compare(const QString& baseline, const QString& whatif);
  /// Live mode: connects to the broker at `url` (mqtt://HOST:PORT), follows twin `twin` ("" = the
  /// first twin whose state arrives) and shows it as it updates; the "Live" tab has observed versus
  /// predicted, the alerts and the what-if form. False (with `error`) when the URL is unusable or
  /// this build has no MQTT; an unreachable broker is retried and said in the banner.
  bool open_live(const QString& url, const QString& twin = {}, QString* error = nullptr);
  LiveTwinSource* live_source() const { return own_live_.get(); }
  LivePanel* live_panel() const { return live_panel_; }
  /// A multi-line note drawn over the topology (the what-if impact in live mode).
  QString overlay() const { return overlay_; }
  /// Shows any data source (a live twin later); `baseline` optional. The window does not own them.
  void set_sources(DataSource* run, DataSource* baseline);

  void select(const QString& entity);
  QString selected() const;

  QString message() const;
  MessageLevel message_level() const { return level_; }
  bool compare_mode() const { return baseline_source_ != nullptr; }

  TopologyModel* topology_model() const { return topology_; }
  TimelineModel* timeline_model() const { return timeline_; }
  ChartModel* chart_model() const { return charts_; }
  InspectorModel* inspector_model() const { return inspector_; }
  CompareModel* compare_model() const { return compare_; }
  TopologyView* topology_view() const { return topology_view_; }
  ChartsPanel* charts_panel() const { return charts_panel_; }
  TimelineWidget* timeline_widget() const { return timeline_widget_; }
  QTabWidget* side_tabs() const { return tabs_; }

 private:
  void show_message(MessageLevel level, const QString& text);
  void on_time(double t);
  void on_selection(const QString& entity);
  void update_caption();
  void build_menus();

  void on_whatif_answer();
  void drop_live_client();
  void close_live();

  std::unique_ptr<ResultsFolderSource> own_run_, own_baseline_;
  std::unique_ptr<LiveTwinSource> own_live_;
  LiveMqttClient* live_client_ = nullptr;  // owned; deleted before own_live_ (gui/live/ may not be built)
  LivePanel* live_panel_ = nullptr;
  QString overlay_;
  DataSource* run_source_ = nullptr;
  DataSource* baseline_source_ = nullptr;

  TopologyModel* topology_;
  TimelineModel* timeline_;
  ChartModel* charts_;
  InspectorModel* inspector_;
  CompareModel* compare_;

  QLabel* banner_;
  TopologyView* topology_view_;
  ChartsPanel* charts_panel_;
  TimelineWidget* timeline_widget_;
  QTabWidget* tabs_;
  QTreeView* inspector_view_;
  QTableView* compare_view_;
  MessageLevel level_ = MessageLevel::none;
};

}  // namespace edgetwin::gui
