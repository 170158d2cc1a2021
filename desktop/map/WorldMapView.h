#pragma once

#include "CellBins.h"
#include "CountColorScale.h"
#include "MapCell.h"
#include "WorldOutlines.h"

#include <QBrush>
#include <QFutureWatcher>
#include <QGraphicsView>
#include <QPen>

namespace isobar {

class CellLayerItem;

// The world map of request geography: Natural Earth country outlines (resources/world/) in a
// QGraphicsView, with the stats API's cells drawn as squares coloured and sized by count.
// Wheel zoom anchored under the mouse, drag to pan, coarser bins when zoomed out, a legend,
// tooltips with a cell's bounds and counts, and fitToData().
//
// Until the user zooms or pans, the map follows the data: new cells and a resized window fit
// the view to them again. fitToData() (also the Home key) returns to following.
class WorldMapView : public QGraphicsView
{
    Q_OBJECT
public:
    // Zoom bounds: the whole world at the least, a 1 km cell about 36 pixels wide at the most.
    static constexpr double maximumPixelsPerDegree = 4000;
    // Finer than this the 50m outlines replace the 110m ones.
    static constexpr double fineOutlinesPixelsPerDegree = 12;

    explicit WorldMapView(QWidget *parent = nullptr);
    ~WorldMapView() override;

    void setCells(const QList<MapCell> &cells);
    // No cells because they could not be read: the legend says `why`, not "no requests",
    // until the next setCells().
    void showFailure(const QString &why);
    QString legendTitle() const;
    QList<MapCell> cells() const;

    // The current zoom; the scene has one unit per degree (MapProjection).
    double pixelsPerDegree() const;
    // What the map draws at the current zoom: 0 for the server cells, higher for coarser bins.
    int aggregationLevel() const;
    QList<CellBin> displayedBins() const;
    // The count at the top of the legend's scale: the busiest cell or bin drawn at this zoom.
    qint64 legendMaximum() const;
    // The tooltip at a viewport position: bounds and counts of the cell or bin there, if any.
    QString toolTipAt(const QPoint &viewportPosition) const;
    bool hasOutlines() const { return m_outlinesShown; }

public Q_SLOTS:
    // Zooms and centres so every cell is visible (the whole world when there are none).
    void fitToData();
    void zoomIn();
    void zoomOut();

Q_SIGNALS:
    // The country outlines are parsed and drawn (they load in the background).
    void outlinesLoaded();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void applyPalette();
    // Scales by factor (within the zoom bounds), keeping the scene point at viewportPosition.
    void zoomAt(double factor, const QPointF &viewportPosition);
    void setZoom(double pixelsPerDegree, const QPointF &sceneCentre);
    double minimumPixelsPerDegree() const;
    QPointF sceneAt(const QPointF &viewportPosition) const;
    void drawLegend(QPainter *painter);

    QGraphicsScene *m_scene;
    CellLayerItem *m_cellLayer;
    QList<MapCell> m_cells;
    QString m_failure;
    CellBins m_bins;
    CountColorScale m_colorScale;
    WorldOutlines m_outlines;
    QFutureWatcher<WorldOutlines> m_outlinesWatcher;
    bool m_outlinesShown = false;
    QPen m_outlinePen;
    QBrush m_landBrush;
    bool m_followsData = true;
};

} // namespace isobar
