#include "AxisTitles.h"

#include "ChartStyle.h"

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>

namespace isobar {

namespace {

constexpr int kPixelSize = 12; // as ChartStyle sets QtCharts' axis titles
constexpr qreal kGap = 4;

qreal lineHeight()
{
    return QFontMetricsF(ChartStyle::font(kPixelSize)).height();
}

QGraphicsSimpleTextItem *addTitle(QGraphicsScene &scene, const QString &text, qreal length)
{
    const QFont font = ChartStyle::font(kPixelSize);
    const QString elided = QFontMetricsF(font).elidedText(text, Qt::ElideRight, length);
    auto *item = scene.addSimpleText(elided, font);
    item->setBrush(QColor(56, 63, 67));
    return item;
}

} // namespace

AxisTitles::AxisTitles(const ChartRequest &request)
{
    if (request.size.width() < kMinimumSide || request.size.height() < kMinimumSide)
        return;
    m_x = request.xAxisTitle;
    m_y = request.yAxisTitle;
}

qreal AxisTitles::leftSpace() const
{
    return m_y.isEmpty() ? 0 : lineHeight() + kGap;
}

qreal AxisTitles::bottomSpace() const
{
    return m_x.isEmpty() ? 0 : lineHeight() + kGap;
}

void AxisTitles::draw(QGraphicsScene &scene, const QRectF &drawing, qreal xTop, qreal yLeft) const
{
    if (!m_x.isEmpty()) {
        auto *title = addTitle(scene, m_x, drawing.width());
        title->setPos(drawing.center().x() - title->boundingRect().width() / 2, xTop);
    }
    if (!m_y.isEmpty()) {
        auto *title = addTitle(scene, m_y, drawing.height());
        // Rotated a quarter turn anticlockwise about its top-left corner: it then reads
        // bottom to top, its width running up from the y it is placed at.
        title->setRotation(-90);
        title->setPos(yLeft, drawing.center().y() + title->boundingRect().width() / 2);
    }
}

} // namespace isobar
