#pragma once

#include "CellBins.h"
#include "CountColorScale.h"

#include <QGraphicsItem>
#include <array>

namespace isobar {

// Draws the request cells over the whole world as one item, at the aggregation level the
// painter's zoom calls for, and only the squares in the exposed area: 50,000 cells as items
// would cost the scene's index more than they cost to paint. A square fills its bin's unit at
// the level's maximum count and shrinks with the count on the same logarithmic scale as its
// colour, so even the quietest square stays several pixels wide.
class CellLayerItem : public QGraphicsItem
{
public:
    // Narrowest a level's unit may be on screen, in pixels; a coarser level is drawn instead.
    static constexpr double minimumUnitPixels = 8;
    // The quietest square's side as a share of its unit.
    static constexpr double smallestSquareShare = 0.4;

    CellLayerItem();

    void setBins(const CellBins *bins);
    void setColorScale(const CountColorScale &scale);

    // The square drawn for a bin of the level, in scene coordinates.
    QRectF squareOf(const CellBin &bin, int level) const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    const CellBins *m_bins = nullptr;
    CountColorScale m_scale;
    // Squares of one colour step, reused across frames to spare the allocations.
    std::array<QList<QRectF>, CountColorScale::stepCount> m_squaresByStep;
};

} // namespace isobar
