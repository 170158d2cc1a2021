#include "WaffleChart.h"

#include "AxisTitles.h"
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

// The grid's top-left corner and the distance from one cell to the next: the largest square
// that fits beside the y title and above the x title.
struct Layout {
    QPointF origin;
    qreal pitch = 0;
    qreal side() const { return pitch * kSide; }
};

Layout layout(const ChartRequest &request, const AxisTitles &titles)
{
    const qreal width = request.size.width() - 2 * kMargin - titles.leftSpace();
    const qreal height = request.size.height() - 2 * kMargin - titles.bottomSpace();
    return Layout{QPointF(kMargin + titles.leftSpace(), kMargin),
                  std::max<qreal>(0, std::min(width, height)) / kSide};
}

QRectF cellIn(const Layout &grid, int index)
{
    const int column = index / kSide;
    const int row = kSide - 1 - index % kSide;
    const qreal gap = grid.pitch * kGapShare;
    return QRectF(grid.origin.x() + column * grid.pitch, grid.origin.y() + row * grid.pitch,
                  grid.pitch - gap, grid.pitch - gap);
}

} // namespace

QColor emptyCellColour()
{
    return ChartPalette::lineFill();
}

QRectF cellRect(const ChartRequest &request, int index)
{
    return cellIn(layout(request, AxisTitles(request)), index);
}

void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    QList<int> filled(qsizetype(kSide) * kSide, -1); // which plot colours each cell
    for (int plot = 0; plot < data.plots.size(); ++plot) {
        if (data.plots[plot].isEmpty())
            continue;
        const int cells =
            std::clamp(int(std::lround(data.plots[plot].constLast().value)), 0, kSide * kSide);
        for (int i = 0; i < cells; ++i)
            filled[i] = plot;
    }
    const AxisTitles titles(request);
    const Layout grid = layout(request, titles);
    for (int i = 0; i < filled.size(); ++i) {
        const int plot = filled[i];
        const QColor colour =
            plot < 0 ? emptyCellColour()
                     : request.plots[plot].colour.value_or(ChartPalette::seriesColour(plot));
        scene.addRect(cellIn(grid, i), Qt::NoPen, colour);
    }
    const QRectF square(grid.origin, QSizeF(grid.side(), grid.side()));
    titles.draw(scene, square, square.bottom() + 2, kMargin);

    // A key beside the grid: colour, value and label of each plot, where there is room.
    const qreal left = square.right() + kMargin + 8;
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
