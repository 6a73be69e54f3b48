// gui/models/compare_model.cpp — see compare_model.hpp.
#include "gui/models/compare_model.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <QColor>
#include <QFont>

#include "gui/models/format.hpp"
#include "gui/models/palette.hpp"

namespace edgetwin::gui {
namespace {

QString show(const QString& metric, double v) {
  if (std::isnan(v)) return "\u2014";
  if (metric.startsWith("latency.")) return fmt::ms(v);
  if (metric.endsWith("ratio") || metric == "utilization") return fmt::percent(v, 3);
  if (metric.startsWith("slo")) return v > 0.5 ? "pass" : "FAIL";
  return fmt::count(v);
}

QString show_delta(const QString& metric, double d) {
  if (std::isnan(d)) return "\u2014";
  const QString sign = d > 0 ? "+" : "";
  if (metric.startsWith("latency.")) return sign + fmt::ms(d);
  if (metric.endsWith("ratio") || metric == "utilization") return sign + QString::number(d * 100, 'f', 3) + " pp";
  if (metric.startsWith("slo")) return d > 0 ? "now passes" : d < 0 ? "now fails" : "";
  return sign + fmt::count(d);
}

QJsonValue latency(const QJsonObject& o, const char* q) { return o.value("latency").toObject().value(q); }

}  // namespace

double KpiDelta::relative() const {
  if (std::isnan(baseline) || std::isnan(whatif) || baseline == 0) return std::numeric_limits<double>::quiet_NaN();
  return (whatif - baseline) / std::fabs(baseline);
}

void CompareModel::add(const QString& scope, const QString& metric, const QJsonValue& base, const QJsonValue& what,
                       bool higher_is_better) {
  if (!base.isDouble() && !what.isDouble()) return;
  KpiDelta k;
  k.scope = scope;
  k.metric = metric;
  if (base.isDouble()) k.baseline = base.toDouble();
  if (what.isDouble()) k.whatif = what.toDouble();
  k.higher_is_better = higher_is_better;
  if (!base.isDouble()) {
    k.judgement = Judgement::only_whatif;
  } else if (!what.isDouble()) {
    k.judgement = Judgement::only_baseline;
  } else {
    const double d = k.delta();
    const double scale = std::max(std::fabs(k.baseline), std::fabs(k.whatif));
    if (std::fabs(d) <= 1e-12 || std::fabs(d) <= kSameTolerance * scale) {
      k.judgement = Judgement::same;
    } else {
      k.judgement = (d > 0) == higher_is_better ? Judgement::better : Judgement::worse;
    }
  }
  rows_.push_back(k);
}

void CompareModel::set_data(const RunData* baseline, const RunData* whatif) {
  beginResetModel();
  rows_.clear();
  if (baseline && whatif) {
    const QJsonObject bt = baseline->totals(), wt = whatif->totals();
    add("", "delivery_ratio", bt.value("delivery_ratio"), wt.value("delivery_ratio"), true);
    add("", "delivered", bt.value("delivered"), wt.value("delivered"), true);
    add("", "lost", bt.value("lost"), wt.value("lost"), false);
    add("", "throughput", bt.value("throughput"), wt.value("throughput"), true);
    for (const char* q : {"p50", "p95", "p99", "max"})
      add("", QString("latency.") + q, latency(bt, q), latency(wt, q), false);
    add("", "utilization", bt.value("utilization"), wt.value("utilization"), false);

    auto keys = [](const QJsonObject& a, const QJsonObject& b) {
      std::set<QString> all;
      for (const QString& k : a.keys()) all.insert(k);
      for (const QString& k : b.keys()) all.insert(k);
      return all;
    };
    const QJsonObject bg = baseline->summary.value("groups").toObject(), wg = whatif->summary.value("groups").toObject();
    for (const QString& g : keys(bg, wg)) {
      const QJsonObject b = bg.value(g).toObject(), w = wg.value(g).toObject();
      add(g, "delivery_ratio", b.value("delivery_ratio"), w.value("delivery_ratio"), true);
      add(g, "lost", b.value("lost").toObject().value("total"), w.value("lost").toObject().value("total"), false);
      add(g, "throughput", b.value("throughput"), w.value("throughput"), true);
      for (const char* q : {"p50", "p95", "p99"}) add(g, QString("latency.") + q, latency(b, q), latency(w, q), false);
    }
    const QJsonObject bn = baseline->summary.value("nodes").toObject(), wn = whatif->summary.value("nodes").toObject();
    for (const QString& n : keys(bn, wn)) {
      const QJsonObject b = bn.value(n).toObject(), w = wn.value(n).toObject();
      add(n, "utilization", b.value("utilization"), w.value("utilization"), false);
      add(n, "queue_peak", b.value("queue_peak"), w.value("queue_peak"), false);
      add(n, "dropped", b.value("dropped"), w.value("dropped"), false);
    }
    const QJsonObject bl = baseline->summary.value("links").toObject(), wl = whatif->summary.value("links").toObject();
    for (const QString& l : keys(bl, wl))
      add(l, "utilization", bl.value(l).toObject().value("utilization"), wl.value(l).toObject().value("utilization"), false);
    // SLO verdicts as 1 (pass) / 0 (fail).
    std::map<QString, std::pair<QJsonValue, QJsonValue>> slos;
    for (const SloVerdict& s : baseline->slos) slos[s.label].first = s.pass ? 1.0 : 0.0;
    for (const SloVerdict& s : whatif->slos) slos[s.label].second = s.pass ? 1.0 : 0.0;
    for (const auto& [label, v] : slos) add(label, "slo", v.first, v.second, true);
    // System totals first, then what changed: worse, better, one run only, and the unchanged last.
    auto rank = [](const KpiDelta& k) {
      if (k.scope.isEmpty()) return 0;
      switch (k.judgement) {
        case Judgement::worse: return 1;
        case Judgement::better: return 2;
        case Judgement::only_baseline:
        case Judgement::only_whatif: return 3;
        case Judgement::same: return 4;
      }
      return 4;
    };
    std::stable_sort(rows_.begin(), rows_.end(), [&](const KpiDelta& a, const KpiDelta& b) { return rank(a) < rank(b); });
  }
  endResetModel();
}

const KpiDelta* CompareModel::find(const QString& scope, const QString& metric) const {
  for (const KpiDelta& k : rows_)
    if (k.scope == scope && k.metric == metric) return &k;
  return nullptr;
}

int CompareModel::count(Judgement j) const {
  int n = 0;
  for (const KpiDelta& k : rows_) n += k.judgement == j;
  return n;
}

int CompareModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int CompareModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CompareModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const KpiDelta& k = rows_[std::size_t(index.row())];
  if (role == JudgementRole) return int(k.judgement);
  if (role == RawDeltaRole) return k.delta();
  if (role == Qt::ForegroundRole && (index.column() == DeltaColumn || index.column() == VerdictColumn ||
                                     index.column() == RelativeColumn)) {
    switch (k.judgement) {
      case Judgement::better:
        return QColor(0x1f, 0x7a, 0x3a);
      case Judgement::worse:
        return palette::failed_mark();
      case Judgement::only_baseline:
      case Judgement::only_whatif:
        return palette::added_border();
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole && index.column() >= BaselineColumn && index.column() <= RelativeColumn)
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case ScopeColumn:
      return k.scope.isEmpty() ? QString("(system)") : k.scope;
    case MetricColumn:
      return k.metric;
    case BaselineColumn:
      return show(k.metric, k.baseline);
    case WhatIfColumn:
      return show(k.metric, k.whatif);
    case DeltaColumn:
      return show_delta(k.metric, k.delta());
    case RelativeColumn: {
      const double r = k.relative();
      return std::isnan(r) || k.metric == "slo" ? QString() : QString("%1%2%").arg(r > 0 ? "+" : "").arg(r * 100, 0, 'f', 1);
    }
    case VerdictColumn:
      switch (k.judgement) {
        case Judgement::same:
          return "same";
        case Judgement::better:
          return "better";
        case Judgement::worse:
          return "worse";
        case Judgement::only_baseline:
          return "baseline only";
        case Judgement::only_whatif:
          return "what-if only";
      }
  }
  return {};
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"Scope", "KPI", "Baseline", "What-if", "\u0394", "\u0394 %", "Verdict"};
  return section >= 0 && section < ColumnCount ? QString::fromUtf8(names[section]) : QVariant{};
}

}  // namespace edgetwin::gui
