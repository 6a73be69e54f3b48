// gui/data/data_source.hpp — where the viewer's data comes from. The models read a RunData owned by
// a DataSource and listen to its signals, so a results folder (ResultsFolderSource, here) and the
// live twin (LiveTwinSource, live_source.hpp: the twin's MQTT topics, appending samples as states
// arrive) feed the same views.
#pragma once

#include <QObject>
#include <QString>

#include "gui/data/results_loader.hpp"
#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

class DataSource : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~DataSource() override = default;

  virtual const RunData& data() const = 0;
  /// A folder path, or the broker URL of a live twin.
  virtual QString describe() const = 0;
  /// Live sources keep appending samples; the timeline then follows the newest time.
  virtual bool is_live() const { return false; }
  /// What went wrong or is missing, for the window's message banner.
  virtual LoadReport report() const = 0;

 signals:
  /// The whole data set was replaced (a folder opened, a live twin re-synchronised).
  void reset();
  /// Live only: samples up to `time` were appended to data().series, KPIs in data().summary may
  /// have changed; topology and SLO verdicts unchanged.
  void appended(double time);
};

/// A results folder written by `edgetwin run`, read once.
class ResultsFolderSource : public DataSource {
  Q_OBJECT
 public:
  explicit ResultsFolderSource(QObject* parent = nullptr) : DataSource(parent) {}
  /// Loads the folder and emits reset() (also when it failed: data() is then empty).
  bool open(const QString& folder);

  const RunData& data() const override { return data_; }
  QString describe() const override { return data_.folder; }
  LoadReport report() const override { return report_; }

 private:
  RunData data_;
  LoadReport report_;
};

}  // namespace edgetwin::gui
