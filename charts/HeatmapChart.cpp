#include "HeatmapChart.h"

#include "AxisTitles.h"
#include "CategoryOrder.h"
#include "ChartStyle.h"

#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLinearGradient>
#include <QLocale>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::HeatmapChart {

namespace {

constexpr qreal kMargin = 4;
constexpr qreal kLegendWidth = 64;
constexpr qreal kDateLabelHeight = 18;
const QColor kLight(239, 243, 255);
const QColor kDark(8, 48, 107);

// The cells' rectangle: right of the y title and the row labels, above the date labels and
// the x title, left of the legend.
QRectF cellArea(const ChartRequest &request, const Grid &grid)
{
    const QFontMetricsF metrics(ChartStyle::font(11));
    qreal labelWidth = 0;
    for (const QString &category : grid.categories)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(category));
    const AxisTitles titles(request);
    const qreal left = kMargin + titles.leftSpace() + labelWidth + 6;
    return QRectF(left, kMargin, request.size.width() - left - kLegendWidth - kMargin,
                  request.size.height() - 2 * kMargin - kDateLabelHeight - titles.bottomSpace());
}

// Cell (column, row) of `area`, on whole pixels: neighbouring cells meet without an
// antialiased seam between them.
QRectF cellIn(const QRectF &area, const Grid &grid, int column, int row)
{
    const qreal width = area.width() / std::max<qsizetype>(1, grid.dates.size());
    const qreal height = area.height() / std::max<qsizetype>(1, grid.categories.size());
    const qreal left = std::round(area.left() + column * width);
    const qreal top = std::round(area.top() + row * height);
    return QRectF(left, top, std::round(area.left() + (column + 1) * width) - left,
                  std::round(area.top() + (row + 1) * height) - top);
}

QString number(double value)
{
    return QLocale(QLocale::English, QLocale::UnitedKingdom).toString(value, 'g', 4);
}

} // namespace

Grid grid(const ChartRequest &request, const ChartDataset &data)
{
    Grid result;
    QStringList categories;
    for (const auto &plot : data.plots) {
        for (const ChartPoint &p : plot) {
            if (!result.dates.contains(p.date))
                result.dates << p.date;
            categories << (p.series ? categoryOf(*p.series, request.categoryAxis) : QString());
        }
    }
    std::sort(result.dates.begin(), result.dates.end());
    result.categories = sortedCategories(categories, request.categoryAxis);
    result.values = QList<QList<std::optional<double>>>(
        result.categories.size(), QList<std::optional<double>>(result.dates.size()));
    bool first = true;
    for (const auto &plot : data.plots) {
        for (const ChartPoint &p : plot) {
            const int row = int(result.categories.indexOf(
                p.series ? categoryOf(*p.series, request.categoryAxis) : QString()));
            const int column = int(result.dates.indexOf(p.date));
            result.values[row][column] = p.value;
            result.minimum = first ? p.value : std::min(result.minimum, p.value);
            result.maximum = first ? p.value : std::max(result.maximum, p.value);
            first = false;
        }
    }
    return result;
}

QColor scaleColour(double t)
{
    t = std::clamp(t, 0.0, 1.0);
    auto mix = [t](int a, int b) { return int(std::lround(a + (b - a) * t)); };
    return QColor(mix(kLight.red(), kDark.red()), mix(kLight.green(), kDark.green()),
                  mix(kLight.blue(), kDark.blue()));
}

QColor colourFor(const Grid &grid, double value)
{
    const double span = grid.maximum - grid.minimum;
    return scaleColour(span > 0 ? (value - grid.minimum) / span : 1.0);
}

QColor emptyCellColour()
{
    return Qt::white;
}

QRectF cellRect(const ChartRequest &request, const Grid &grid, int column, int row)
{
    return cellIn(cellArea(request, grid), grid, column, row);
}

void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    const Grid cells = grid(request, data);
    const AxisTitles titles(request);
    const QRectF area = cellArea(request, cells);
    const QPen emptyOutline(QColor(200, 200, 200), 1);
    for (int row = 0; row < cells.categories.size(); ++row) {
        for (int column = 0; column < cells.dates.size(); ++column) {
            const QRectF rect = cellIn(area, cells, column, row);
            const std::optional<double> value = cells.values[row][column];
            if (value) {
                scene.addRect(rect, Qt::NoPen, colourFor(cells, *value));
            } else {
                // Outlined and white: a gap in the data, not a low value.
                scene.addRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), emptyOutline, emptyCellColour());
            }
        }
        auto *label = scene.addSimpleText(cells.categories[row], ChartStyle::font(11));
        const QRectF rect = cellIn(area, cells, 0, row);
        label->setPos(kMargin + titles.leftSpace(),
                      rect.center().y() - label->boundingRect().height() / 2);
    }
    titles.draw(scene, area, area.bottom() + kDateLabelHeight, kMargin);

    // First, middle and last dates under the columns.
    QList<int> labelled = {0, int(cells.dates.size() / 2), int(cells.dates.size() - 1)};
    labelled.erase(std::unique(labelled.begin(), labelled.end()), labelled.end());
    for (const int column : std::as_const(labelled)) {
        auto *label = scene.addSimpleText(cells.dates[column].toString(u"d MMM yyyy"_s),
                                          ChartStyle::font(10));
        const qreal centre = cellIn(area, cells, column, 0).center().x();
        const qreal width = label->boundingRect().width();
        label->setPos(std::clamp(centre - width / 2, area.left(), area.right() - width),
                      area.bottom() + 2);
    }

    // The legend: the scale as a gradient from the maximum (top) to the minimum.
    const QRectF bar(area.right() + 10, area.top(), 12, area.height());
    QLinearGradient gradient(bar.topLeft(), bar.bottomLeft());
    gradient.setColorAt(0, scaleColour(1));
    gradient.setColorAt(1, scaleColour(0));
    scene.addRect(bar, Qt::NoPen, gradient);
    auto *top = scene.addSimpleText(number(cells.maximum), ChartStyle::font(10));
    top->setPos(bar.right() + 3, bar.top());
    auto *bottom = scene.addSimpleText(number(cells.minimum), ChartStyle::font(10));
    bottom->setPos(bar.right() + 3, bar.bottom() - bottom->boundingRect().height());
}

} // namespace isobar::HeatmapChart
