#include "WaffleChart.h"

#include "ChartPalette.h"
#include "ChartStyle.h"

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLocale>
#include <cmath>

namespace isobar::WaffleChart {

namespace {

constexpr qreal kMargin = 4;
constexpr qreal kGapShare = 0.12; // of a cell's pitch, so the cells read as a grid

qreal pitch(QSize size)
{
    return (std::min(size.width(), size.height()) - 2 * kMargin) / kSide;
}

} // namespace

QColor emptyCellColour()
{
    return ChartPalette::lineFill();
}

QRectF cellRect(QSize size, int index)
{
    const qreal step = pitch(size);
    const int column = index / kSide;
    const int row = kSide - 1 - index % kSide;
    const qreal gap = step * kGapShare;
    return QRectF(kMargin + column * step, kMargin + row * step, step - gap, step - gap);
}

void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    QList<int> filled(kSide * kSide, -1); // which plot colours each cell
    for (int plot = 0; plot < data.plots.size(); ++plot) {
        if (data.plots[plot].isEmpty())
            continue;
        const int cells =
            std::clamp(int(std::lround(data.plots[plot].constLast().value)), 0, kSide * kSide);
        for (int i = 0; i < cells; ++i)
            filled[i] = plot;
    }
    for (int i = 0; i < filled.size(); ++i) {
        const int plot = filled[i];
        const QColor colour =
            plot < 0 ? emptyCellColour()
                     : request.plots[plot].colour.value_or(ChartPalette::seriesColour(plot));
        scene.addRect(cellRect(request.size, i), Qt::NoPen, colour);
    }

    // A key beside the grid: colour, value and label of each plot, where there is room.
    const qreal left = kMargin * 2 + pitch(request.size) * kSide + 8;
    if (left + 60 > request.size.width())
        return;
    const QLocale locale(QLocale::English, QLocale::UnitedKingdom);
    qreal y = kMargin;
    for (int plot = 0; plot < data.plots.size(); ++plot) {
        if (data.plots[plot].isEmpty())
            continue;
        const QColor colour = request.plots[plot].colour.value_or(ChartPalette::seriesColour(plot));
        scene.addRect(QRectF(left, y + 2, 10, 10), Qt::NoPen, colour);
        QString text = locale.toString(data.plots[plot].constLast().value, 'g', 4) + u'%';
        if (!request.plots[plot].label.isEmpty())
            text += u' ' + request.plots[plot].label;
        auto *label = scene.addSimpleText(text, ChartStyle::font(11));
        label->setPos(left + 14, y);
        y += 18;
    }
}

} // namespace isobar::WaffleChart
