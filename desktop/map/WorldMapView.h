#pragma once

#include "MapCell.h"

#include <QGraphicsView>

namespace isobar {

// The world map of request geography: Natural Earth country outlines (resources/world/) in a
// QGraphicsView, with the stats API's cells drawn as squares coloured and sized by count.
// Wheel zoom anchored under the mouse, drag to pan, coarser bins when zoomed out, a legend,
// tooltips with a cell's bounds and counts, and fitToData().
class WorldMapView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit WorldMapView(QWidget *parent = nullptr);
    ~WorldMapView() override;

    void setCells(const QList<MapCell> &cells);
    QList<MapCell> cells() const;

public Q_SLOTS:
    // Zooms and centres so every cell is visible (the whole world when there are none).
    void fitToData();
};

} // namespace isobar
