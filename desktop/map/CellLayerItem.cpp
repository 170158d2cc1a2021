#include "CellLayerItem.h"

#include "MapProjection.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace isobar {

CellLayerItem::CellLayerItem()
{
    setFlag(ItemUsesExtendedStyleOption); // so paint() gets the exposed rectangle
    setAcceptedMouseButtons(Qt::NoButton);
}

void CellLayerItem::setBins(const CellBins *bins)
{
    m_bins = bins;
    update();
}

void CellLayerItem::setColorScale(const CountColorScale &scale)
{
    m_scale = scale;
    update();
}

QRectF CellLayerItem::squareOf(const CellBin &bin, int level) const
{
    const double position = CountColorScale::position(
        CountColorScale::step(bin.area.requests, m_bins->maximumRequests(level)));
    const double side =
        m_bins->unitDegrees(level) * (smallestSquareShare + (1 - smallestSquareShare) * position);
    const QPointF centre = MapProjection::toScene(bin.area.longitude, bin.area.latitude);
    return QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side);
}

QRectF CellLayerItem::boundingRect() const
{
    return MapProjection::world();
}

void CellLayerItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    if (!m_bins || m_bins->totalRequests() == 0)
        return;
    const double pixelsPerDegree = option->levelOfDetailFromTransform(painter->worldTransform());
    const int level = m_bins->levelFor(pixelsPerDegree, minimumUnitPixels);
    const qint64 maximum = m_bins->maximumRequests(level);
    const QRectF exposed = option->exposedRect;
    const QList<CellBin> &bins = m_bins->bins(level);
    const auto [first, last] =
        m_bins->binsBetweenLongitudes(level, exposed.left(), exposed.right());
    for (qsizetype i = first; i < last; ++i) {
        const CellBin &bin = bins.at(i);
        const QRectF square = squareOf(bin, level);
        if (square.intersects(exposed))
            m_squaresByStep[CountColorScale::step(bin.area.requests, maximum)].append(square);
    }
    painter->save();
    // Squares on whole pixels: crisp edges, and no blending of neighbours' colours.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    for (int step = 0; step < CountColorScale::stepCount; ++step) {
        QList<QRectF> &squares = m_squaresByStep[step];
        if (squares.isEmpty())
            continue;
        painter->setBrush(m_scale.color(step));
        painter->drawRects(squares.constData(), int(squares.size()));
        squares.clear();
    }
    painter->restore();
}

} // namespace isobar
