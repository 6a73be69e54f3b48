// gui/models/compare_model.hpp — baseline vs what-if, KPI by KPI: totals, then per device group,
// node and link, and SLO verdicts. Each row knows whether higher is better, so the delta is
// judged (better / worse / same) and coloured; entities present in one run only are flagged.
#pragma once

#include <limits>
#include <vector>

#include <QAbstractTableModel>

#include "gui/data/run_data.hpp"

namespace edgetwin::gui {

enum class Judgement { same, better, worse, only_baseline, only_whatif };

struct KpiDelta {
  QString scope;   // "" = whole system
  QString metric;  // delivery_ratio, latency.p99, utilization, ...
  double baseline = std::numeric_limits<double>::quiet_NaN();
  double whatif = std::numeric_limits<double>::quiet_NaN();
  bool higher_is_better = false;
  Judgement judgement = Judgement::same;
  double delta() const { return whatif - baseline; }
  /// Relative change; NaN when the baseline is 0 or missing.
  double relative() const;
};

class CompareModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ScopeColumn, MetricColumn, BaselineColumn, WhatIfColumn, DeltaColumn, RelativeColumn, VerdictColumn, ColumnCount };
  enum Role { JudgementRole = Qt::UserRole + 1, RawDeltaRole };
  /// A relative change below this (and an absolute one below 1e-12) is "same".
  static constexpr double kSameTolerance = 1e-3;

  explicit CompareModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}
  void set_data(const RunData* baseline, const RunData* whatif);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const std::vector<KpiDelta>& rows() const { return rows_; }
  const KpiDelta* find(const QString& scope, const QString& metric) const;
  int count(Judgement j) const;

 private:
  void add(const QString& scope, const QString& metric, const QJsonValue& base, const QJsonValue& what, bool higher_is_better);

  std::vector<KpiDelta> rows_;
};

}  // namespace edgetwin::gui
