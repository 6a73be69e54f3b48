// gui/models/inspector_model.hpp — the inspector's tree for the selected entity (or the whole
// system): parameters, KPIs over the whole run, values at the timeline's time, SLO verdicts, loss
// by cause and fault events. Two columns: property, value.
#pragma once

#include <array>
#include <limits>
#include <map>

#include <QStandardItemModel>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

class InspectorModel : public QStandardItemModel {
  Q_OBJECT
 public:
  explicit InspectorModel(QObject* parent = nullptr);

  void set_data(const RunData* run);
  void set_entity(const QString& entity);
  void set_time(double t);
  QString entity() const { return entity_; }

  /// The value shown for `property` under `section` ("" when absent) — for tests and tooltips.
  QString value(const QString& section, const QString& property) const;
  QStringList sections() const;

 private:
  void rebuild();
  QStandardItem* section(const QString& title);
  void add(QStandardItem* section, const QString& property, const QString& value, const QColor& color = {});

  // Whole-system sent/delivered/lost per interval start, summed once per data set.
  std::map<double, std::array<double, 3>> totals_;
  const RunData* run_ = nullptr;
  QString entity_;
  double time_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace edgetwin::gui
