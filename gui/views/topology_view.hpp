// gui/views/topology_view.hpp — draws a TopologyModel with QGraphicsView: one item per node and
// per edge, reading colours and labels from the model at paint time (a timeline step repaints,
// nothing is rebuilt). Wheel zooms around the cursor, dragging the background pans, a click
// selects a node or link, a double click expands or collapses a device group. A legend for the
// colour scale and the shown time are drawn over the view.
#pragma once

#include <QGraphicsView>
#include <QHash>

#include "gui/models/topology_model.hpp"

namespace edgetwin::gui {

class TopologyView : public QGraphicsView {
  Q_OBJECT
 public:
  explicit TopologyView(TopologyModel* model, QWidget* parent = nullptr);
  ~TopologyView() override;

  QString selected() const { return selected_; }
  /// Selects a node or link by name ("" clears); emits selection_changed when it changes.
  void select(const QString& name);
  void fit();
  void zoom_by(double factor);
  /// Text in the top-left corner (scenario, time); set by the window.
  void set_caption(const QString& caption);
  int item_count() const;

 signals:
  void selection_changed(const QString& name);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuild();
  void on_scene_selection();

  TopologyModel* model_;
  QGraphicsScene* scene_;
  QString selected_;
  QString caption_;
  bool fitted_ = false;
  bool user_zoomed_ = false;
  bool rebuilding_ = false;
  QHash<QString, QGraphicsItem*> items_;
};

}  // namespace edgetwin::gui
