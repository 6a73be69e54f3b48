// gui/views/live_panel.cpp — see live_panel.hpp.
#include "gui/views/live_panel.hpp"

#include <cmath>

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "gui/data/live_source.hpp"

namespace edgetwin::gui {

namespace {

QTableWidget* make_table(const QStringList& headers, QWidget* parent) {
  auto* t = new QTableWidget(0, int(headers.size()), parent);
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->setVisible(false);
  t->verticalHeader()->setDefaultSectionSize(20);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setAlternatingRowColors(true);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  return t;
}

QString value_text(const QString& metric, double v) {
  if (metric.startsWith("latency")) return QString::number(v * 1000, 'g', 4) + " ms";
  if (metric.contains("ratio") || metric == "delivery") return QString::number(v * 100, 'f', 2) + " %";
  return QString::number(v, 'g', 5);
}

QString clock(double at) {
  return QDateTime::fromMSecsSinceEpoch(qint64(at * 1000)).toString("HH:mm:ss");
}

}  // namespace

LivePanel::LivePanel(LiveTwinSource* source, QWidget* parent) : QWidget(parent), source_(source) {
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(2, 2, 2, 2);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  column->addWidget(status_);

  auto* pbox = new QGroupBox("Observed vs predicted", this);
  auto* pl = new QVBoxLayout(pbox);
  prediction_ = make_table({"scope", "metric", "observed", "predicted", ""}, pbox);
  pl->addWidget(prediction_);
  column->addWidget(pbox, 2);

  auto* abox = new QGroupBox("Alerts", this);
  auto* al = new QVBoxLayout(abox);
  alerts_ = new QListWidget(abox);
  alerts_->setAlternatingRowColors(true);
  al->addWidget(alerts_);
  column->addWidget(abox, 2);

  auto* wbox = new QGroupBox("What-if", this);
  auto* wl = new QVBoxLayout(wbox);
  auto* row = new QHBoxLayout;
  target_ = new QComboBox(wbox);
  target_->setMinimumContentsLength(12);
  // Editable: the state names only the brokers whose $SYS the twin mirrors; any scenario entity can fail.
  target_->setEditable(true);
  target_->setInsertPolicy(QComboBox::NoInsert);
  seconds_ = new QSpinBox(wbox);
  seconds_->setRange(1, 86400);
  seconds_->setValue(60);
  seconds_->setSuffix(" s");
  simulate_ = new QPushButton("Simulate failure", wbox);
  row->addWidget(new QLabel("fail", wbox));
  row->addWidget(target_, 1);
  row->addWidget(new QLabel("for", wbox));
  row->addWidget(seconds_);
  row->addWidget(simulate_);
  wl->addLayout(row);
  whatif_status_ = new QLabel(wbox);
  whatif_status_->setWordWrap(true);
  wl->addWidget(whatif_status_);
  impact_ = make_table({"scope", "metric", "baseline", "faulted", "delta"}, wbox);
  wl->addWidget(impact_);
  column->addWidget(wbox, 3);

  connect(simulate_, &QPushButton::clicked, this, [this] {
    const QString target = target_->currentText().trimmed();
    if (target.isEmpty()) return;
    emit whatif_requested(target, seconds_->value());
  });
  connect(source_, &LiveTwinSource::connection_changed, this, &LivePanel::refresh_status);
  connect(source_, &LiveTwinSource::prediction_changed, this, &LivePanel::refresh_prediction);
  connect(source_, &LiveTwinSource::alerts_changed, this, &LivePanel::refresh_alerts);
  connect(source_, &LiveTwinSource::whatif_answered, this, &LivePanel::refresh_whatif);
  auto on_state = [this] {
    refresh_status();
    refresh_targets();
  };
  connect(source_, &DataSource::reset, this, on_state);
  connect(source_, &DataSource::appended, this, on_state);
  refresh_status();
  refresh_targets();
  refresh_prediction();
  refresh_alerts();
  refresh_whatif();
}

void LivePanel::refresh_status() {
  QString s = QString("Broker %1: %2").arg(source_->describe(), source_->connected() ? "connected" : "not connected");
  if (!source_->twin().isEmpty())
    s += QString(" \u2022 twin %1%2").arg(source_->twin(), source_->twin_status().isEmpty() ? "" : " " + source_->twin_status());
  s += QString(" \u2022 %1 states").arg(source_->states());
  if (source_->states() > 0) s += " \u2022 as of " + clock(source_->state().value("as_of").toDouble());
  status_->setText(s);
}

void LivePanel::refresh_targets() {
  const QStringList targets = source_->whatif_targets();
  QStringList current;
  for (int i = 0; i < target_->count(); ++i) current << target_->itemText(i);
  if (current == targets) return;
  const QString keep = target_->currentText();
  target_->clear();
  target_->addItems(targets);
  if (targets.contains(keep)) target_->setCurrentText(keep);
}

void LivePanel::refresh_prediction() {
  const auto& rows = source_->prediction();
  prediction_->setRowCount(int(rows.size()));
  for (int i = 0; i < int(rows.size()); ++i) {
    const PredictionRow& r = rows[std::size_t(i)];
    const QStringList cells{r.scope, r.metric, value_text(r.metric, r.observed), value_text(r.metric, r.predicted),
                            r.diverged ? "DIVERGED" : "ok"};
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (r.diverged) item->setForeground(QColor("#b00020"));
      prediction_->setItem(i, c, item);
    }
  }
}

void LivePanel::refresh_alerts() {
  alerts_->clear();
  const auto& all = source_->alerts();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto* item = new QListWidgetItem(QString("%1  %2  %3  %4").arg(clock(it->at), it->kind, it->entity, it->message));
    if (it->kind == "down" || it->kind == "divergence" || it->kind == "connection") item->setForeground(QColor("#b00020"));
    alerts_->addItem(item);
  }
}

void LivePanel::request_sent(const QString& correlation) {
  whatif_status_->setText(correlation.isEmpty() ? "Cannot send: not connected or no twin heard of yet."
                                                : "Asked the twin; waiting for its answer (it runs two simulations)\u2026");
}

QString LivePanel::whatif_status() const { return whatif_status_->text(); }

void LivePanel::refresh_whatif() {
  const auto& w = source_->whatif();
  if (!w) {
    whatif_status_->setText("Pick a gateway or broker and a duration.");
    impact_->setRowCount(0);
    return;
  }
  QString text = QString("%1 down for %2 s: %3").arg(w->target).arg(w->seconds).arg(w->status);
  if (!w->message.isEmpty()) text += " \u2014 " + w->message;
  whatif_status_->setText(text);
  const bool have_impact = !w->impact.empty();
  const auto& rows = have_impact ? w->impact : w->baseline;
  impact_->setRowCount(int(rows.size()));
  for (int i = 0; i < int(rows.size()); ++i) {
    const ImpactRow& r = rows[std::size_t(i)];
    QStringList cells{r.scope, r.metric, value_text(r.metric, r.baseline)};
    cells << (have_impact ? value_text(r.metric, r.faulted) : "\u2014") << (have_impact ? value_text(r.metric, r.delta) : "\u2014");
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (have_impact && r.metric == "delivery_ratio" && r.delta < -1e-9) item->setForeground(QColor("#b00020"));
      impact_->setItem(i, c, item);
    }
  }
}

}  // namespace edgetwin::gui
