// gui/views/topology_view.cpp — see topology_view.hpp.
#include "gui/views/topology_view.hpp"

#include <cmath>

#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include "gui/models/palette.hpp"

namespace edgetwin::gui {
namespace {

constexpr int kNodeType = QGraphicsItem::UserType + 1;
constexpr int kEdgeType = QGraphicsItem::UserType + 2;

QSizeF node_size(const QString& kind) {
  if (kind == "device") return {132, 20};
  if (kind == "router") return {150, 36};
  return {176, 48};
}

class NodeItem : public QGraphicsItem {
 public:
  NodeItem(const TopologyModel* model, int row) : model_(model), row_(row) {
    const TopologyNode& n = model->node(row);
    setPos(n.pos);
    setFlag(ItemIsSelectable);
    setZValue(2);
    const QSizeF s = node_size(n.kind);
    rect_ = QRectF(-s.width() / 2, -s.height() / 2, s.width(), s.height());
    setToolTip(n.name);
  }
  int type() const override { return kNodeType; }
  QString name() const { return model_->node(row_).name; }
  int row() const { return row_; }
  QRectF boundingRect() const override { return rect_.adjusted(-10, -10, 10, 10); }
  QPainterPath shape() const override {
    QPainterPath p;
    p.addRoundedRect(rect_, 8, 8);
    return p;
  }

  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) override {
    const TopologyNode& n = model_->node(row_);
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    const bool sel = isSelected();
    QPen pen(sel ? QColor(0x10, 0x6e, 0xe8) : n.border, sel ? 4 : (n.slo_failed || n.failed ? 3 : 1.5));
    if (n.presence == Presence::removed) pen.setStyle(Qt::DashLine);
    if (n.presence == Presence::added) pen.setWidthF(3);
    if (lod < 0.25) {  // far away: a coloured block is all one can see
      p->fillRect(rect_, n.fill);
      if (sel || n.failed || n.slo_failed) {
        p->setPen(QPen(pen.color(), 2 / lod));
        p->drawRect(rect_);
      }
      return;
    }
    p->setRenderHint(QPainter::Antialiasing, lod > 0.5);
    if (n.kind == "device_group") {  // a stack: this node stands for many devices
      p->setPen(QPen(n.border, 1));
      p->setBrush(n.fill.lighter(115));
      p->drawRoundedRect(rect_.translated(6, -6), 10, 10);
      p->drawRoundedRect(rect_.translated(3, -3), 10, 10);
    }
    p->setPen(pen);
    p->setBrush(n.fill);
    if (n.kind == "router") {
      p->drawEllipse(rect_);
    } else {
      p->drawRoundedRect(rect_, n.kind == "device" ? 5 : 10, n.kind == "device" ? 5 : 10);
    }
    if (n.failed) {  // a red cross over a failed entity
      p->setPen(QPen(palette::failed_mark(), 3));
      p->drawLine(rect_.topLeft() + QPointF(6, 6), rect_.bottomRight() - QPointF(6, 6));
      p->drawLine(rect_.topRight() + QPointF(-6, 6), rect_.bottomLeft() + QPointF(6, -6));
    }
    if (lod < 0.45) return;
    const bool dark = n.fill.lightnessF() < 0.45;
    p->setPen(dark ? Qt::white : QColor(0x14, 0x1c, 0x24));
    QFont f = p->font();
    if (n.kind == "device") {
      f.setPointSizeF(7);
      p->setFont(f);
      p->drawText(rect_.adjusted(4, 0, -4, 0), Qt::AlignCenter, n.name.mid(n.name.lastIndexOf('/') + 1));
      return;
    }
    f.setPointSizeF(8);
    f.setBold(true);
    p->setFont(f);
    const QRectF top = n.label.isEmpty() ? rect_ : rect_.adjusted(6, 3, -6, -rect_.height() / 2);
    p->drawText(top, Qt::AlignCenter, p->fontMetrics().elidedText(n.name, Qt::ElideMiddle, int(rect_.width() - 12)));
    if (!n.label.isEmpty()) {
      f.setBold(false);
      f.setPointSizeF(7.5);
      p->setFont(f);
      p->drawText(rect_.adjusted(6, rect_.height() / 2, -6, -3), Qt::AlignCenter, n.label);
    }
  }

 private:
  const TopologyModel* model_;
  int row_;
  QRectF rect_;
};

class EdgeItem : public QGraphicsItem {
 public:
  EdgeItem(const TopologyModel* model, int index) : model_(model), index_(index) {
    const TopologyEdge& e = model->edges()[std::size_t(index)];
    QPointF a = model->node(e.a).pos, b = model->node(e.b).pos;
    double wa = node_size(model->node(e.a).kind).width() / 2, wb = node_size(model->node(e.b).kind).width() / 2;
    if (a.x() > b.x()) {
      std::swap(a, b);
      std::swap(wa, wb);
    }
    const bool same_column = std::fabs(a.x() - b.x()) < 1;
    const QPointF start = same_column ? a : a + QPointF(wa, 0);
    const QPointF end = same_column ? b : b - QPointF(wb, 0);
    const double dx = (end.x() - start.x()) / 2;
    path_.moveTo(start);
    path_.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end);
    bounds_ = path_.boundingRect().adjusted(-6, -6, 6, 6);
    setZValue(e.kind == "link" ? 1 : 0);
    if (e.kind == "link") {
      setFlag(ItemIsSelectable);
      setToolTip(e.name);
    }
  }
  int type() const override { return kEdgeType; }
  QString name() const { return model_->edges()[std::size_t(index_)].name; }
  QRectF boundingRect() const override { return bounds_; }
  QPainterPath shape() const override {
    QPainterPathStroker s;
    s.setWidth(10);
    return s.createStroke(path_);
  }
  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) override {
    const TopologyEdge& e = model_->edges()[std::size_t(index_)];
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    p->setRenderHint(QPainter::Antialiasing, lod > 0.5);
    QPen pen(isSelected() ? QColor(0x10, 0x6e, 0xe8) : e.color, isSelected() ? e.width + 3 : e.width);
    pen.setCapStyle(Qt::RoundCap);
    if (e.kind != "link" || e.presence == Presence::removed) pen.setStyle(Qt::DashLine);
    if (e.failed) pen.setStyle(Qt::DotLine);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    if (lod < 0.25) {
      p->drawLine(path_.pointAtPercent(0), path_.pointAtPercent(1));
    } else {
      p->drawPath(path_);
    }
  }

 private:
  const TopologyModel* model_;
  int index_;
  QPainterPath path_;
  QRectF bounds_;
};

// All access attachments (device group -> gateway) in one item: they are not selectable, are
// usually the most numerous edges, and one drawLines call is far cheaper than thousands of items.
class AccessLayer : public QGraphicsItem {
 public:
  AccessLayer(const TopologyModel* model) : model_(model) {
    setZValue(0);
    for (const TopologyEdge& e : model->edges()) {
      if (e.kind == "link") continue;
      QPointF a = model->node(e.a).pos, b = model->node(e.b).pos;
      double wa = node_size(model->node(e.a).kind).width() / 2, wb = node_size(model->node(e.b).kind).width() / 2;
      if (a.x() > b.x()) {
        std::swap(a, b);
        std::swap(wa, wb);
      }
      lines_.push_back(QLineF(a + QPointF(wa, 0), b - QPointF(wb, 0)));
      bounds_ |= QRectF(lines_.back().p1(), lines_.back().p2()).normalized();
    }
    bounds_.adjust(-4, -4, 4, 4);
  }
  bool empty() const { return lines_.isEmpty(); }
  QRectF boundingRect() const override { return bounds_; }
  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) override {
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    p->setRenderHint(QPainter::Antialiasing, lod > 0.5);
    QPen pen(palette::access_edge(), lod > 0.25 ? 1.0 : 0.0);
    if (lod > 0.25) pen.setStyle(Qt::DashLine);
    p->setPen(pen);
    p->drawLines(lines_);
  }

 private:
  const TopologyModel* model_;
  QList<QLineF> lines_;
  QRectF bounds_;
};

}  // namespace

TopologyView::TopologyView(TopologyModel* model, QWidget* parent)
    : QGraphicsView(parent), model_(model), scene_(new QGraphicsScene(this)) {
  setScene(scene_);
  setRenderHint(QPainter::Antialiasing);
  setRenderHint(QPainter::TextAntialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
  setOptimizationFlags(QGraphicsView::DontAdjustForAntialiasing);
  setBackgroundBrush(QColor(0xf7, 0xf8, 0xfa));
  setMinimumSize(320, 240);
  connect(model_, &QAbstractItemModel::modelReset, this, &TopologyView::rebuild);
  connect(model_, &QAbstractItemModel::dataChanged, this, [this] { viewport()->update(); });
  connect(model_, &TopologyModel::edges_changed, this, [this] { viewport()->update(); });
  connect(scene_, &QGraphicsScene::selectionChanged, this, &TopologyView::on_scene_selection);
  rebuild();
}

TopologyView::~TopologyView() {
  // The scene deletes its items after this body: no selection signals from a half-destroyed view.
  disconnect(scene_, nullptr, this, nullptr);
}

int TopologyView::item_count() const { return int(scene_->items().size()); }

void TopologyView::rebuild() {
  rebuilding_ = true;
  scene_->clear();
  items_.clear();
  auto* access = new AccessLayer(model_);
  if (access->empty()) {
    delete access;
  } else {
    scene_->addItem(access);
  }
  for (int i = 0; i < int(model_->edges().size()); ++i) {
    if (model_->edges()[std::size_t(i)].kind != "link") continue;
    auto* item = new EdgeItem(model_, i);
    scene_->addItem(item);
    items_.insert(item->name(), item);
  }
  for (int r = 0; r < model_->rowCount(); ++r) {
    auto* item = new NodeItem(model_, r);
    scene_->addItem(item);
    items_.insert(item->name(), item);
  }
  const QRectF b = scene_->itemsBoundingRect();
  scene_->setSceneRect(b.adjusted(-200, -150, 200, 150));
  if (QGraphicsItem* again = items_.value(selected_)) again->setSelected(true);
  rebuilding_ = false;
  if (!items_.contains(selected_) && !selected_.isEmpty()) {
    selected_.clear();
    emit selection_changed(selected_);
  }
  if (!user_zoomed_) fit();
}

void TopologyView::select(const QString& name) {
  if (name == selected_) return;
  rebuilding_ = true;
  scene_->clearSelection();
  if (QGraphicsItem* item = items_.value(name)) {
    item->setSelected(true);
    centerOn(item);
  }
  rebuilding_ = false;
  selected_ = items_.contains(name) ? name : QString();
  emit selection_changed(selected_);
}

void TopologyView::on_scene_selection() {
  if (rebuilding_) return;
  QString name;
  const auto sel = scene_->selectedItems();
  if (!sel.isEmpty()) {
    QGraphicsItem* item = sel.front();
    name = item->type() == kNodeType ? static_cast<NodeItem*>(item)->name() : static_cast<EdgeItem*>(item)->name();
  }
  if (name == selected_) return;
  selected_ = name;
  emit selection_changed(selected_);
}

void TopologyView::fit() {
  if (scene_->items().isEmpty()) return;
  fitInView(scene_->itemsBoundingRect().adjusted(-60, -70, 60, 40), Qt::KeepAspectRatio);
  // Never magnify a small graph beyond natural size: text stays crisp.
  if (transform().m11() > 1.0) setTransform(QTransform());
  fitted_ = true;
  user_zoomed_ = false;
}

void TopologyView::zoom_by(double factor) {
  const double current = transform().m11();
  const double target = std::clamp(current * factor, 0.01, 6.0);
  scale(target / current, target / current);
  user_zoomed_ = true;
}

void TopologyView::set_caption(const QString& caption) {
  caption_ = caption;
  viewport()->update();
}

void TopologyView::wheelEvent(QWheelEvent* event) {
  zoom_by(std::pow(1.0015, event->angleDelta().y()));
  event->accept();
}

void TopologyView::mouseDoubleClickEvent(QMouseEvent* event) {
  QGraphicsItem* item = itemAt(event->position().toPoint());
  if (item && item->type() == kNodeType) {
    const TopologyNode& n = model_->node(static_cast<NodeItem*>(item)->row());
    if (n.kind == "device_group") {
      const QString name = n.name;
      model_->set_expanded(name, !model_->expanded(name));
      return;
    }
  }
  QGraphicsView::mouseDoubleClickEvent(event);
}

void TopologyView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (!user_zoomed_) fit();
}

// Legend and caption in viewport coordinates.
void TopologyView::drawForeground(QPainter* p, const QRectF&) {
  p->save();
  p->resetTransform();
  p->setRenderHint(QPainter::Antialiasing);
  QFont f = font();
  f.setPointSizeF(8.5);
  p->setFont(f);
  const QFontMetrics fm(f);
  if (!caption_.isEmpty()) {
    QFont cf = f;
    cf.setBold(true);
    cf.setPointSizeF(9.5);
    p->setFont(cf);
    const QRect r = QFontMetrics(cf).boundingRect(QRect(0, 0, 900, 60), Qt::AlignLeft, caption_).adjusted(-8, -5, 8, 5);
    p->fillRect(r.translated(14, 12), QColor(255, 255, 255, 215));
    p->setPen(QColor(0x14, 0x1c, 0x24));
    p->drawText(r.translated(14, 12).adjusted(8, 5, -8, -5), Qt::AlignLeft, caption_);
    p->setFont(f);
  }
  const bool compare = model_->compare_mode();
  const int w = 200, h = 12;
  const QRect box(viewport()->width() - w - 40, viewport()->height() - 98, w + 28, 86);
  p->fillRect(box, QColor(255, 255, 255, 225));
  p->setPen(QColor(0xc8, 0xd0, 0xd8));
  p->drawRect(box);
  const QRect bar(box.left() + 14, box.top() + 26, w, h);
  QLinearGradient g(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= 10; ++i)
    g.setColorAt(i / 10.0, compare ? palette::delta((i / 5.0 - 1) * palette::kDeltaAtFullScale) : palette::stress(i / 10.0));
  p->fillRect(bar, g);
  p->setPen(QColor(0x14, 0x1c, 0x24));
  p->drawText(QRect(box.left() + 14, box.top() + 6, w, 18), Qt::AlignLeft | Qt::AlignVCenter,
              compare ? "what-if \u2212 baseline (utilization, loss)" : "utilization (nodes, links)");
  const QString lo = compare ? QString("\u221225 pp better") : "0%";
  const QString hi = compare ? QString("+25 pp worse") : "100%";
  p->drawText(QRect(bar.left(), bar.bottom() + 2, w, 16), Qt::AlignLeft, lo);
  p->drawText(QRect(bar.left(), bar.bottom() + 2, w, 16), Qt::AlignRight, hi);
  if (!compare) p->drawText(QRect(bar.left(), bar.bottom() + 2, w, 16), Qt::AlignHCenter, "loss 2.5%");
  p->setPen(QPen(palette::slo_fail_border(), 3));
  p->setBrush(Qt::NoBrush);
  const int y = bar.bottom() + 26;
  p->drawRoundedRect(QRect(bar.left(), y, 20, 12), 3, 3);
  p->setPen(QColor(0x14, 0x1c, 0x24));
  p->drawText(QRect(bar.left() + 26, y - 3, 190, 18), Qt::AlignLeft | Qt::AlignVCenter,
              compare ? "SLO failing / failed;  purple: added" : "SLO failing, or failed (\u00d7)");
  p->restore();
}

}  // namespace edgetwin::gui
