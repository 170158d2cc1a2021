#pragma once

#include "ChartData.h"

#include <QColor>
#include <QRectF>
#include <optional>

class QGraphicsScene;

namespace isobar {

// Dates across, a category down (`y_axis`: age, stratum, sex, geography), each cell coloured by
// its value on a sequential scale with a legend; cells without a point stay visibly empty.
// Drawn with QGraphicsItems. GUI thread only.
namespace HeatmapChart {

struct Grid {
    QList<QDate> dates;                         // columns, oldest first
    QStringList categories;                     // rows, top to bottom
    QList<QList<std::optional<double>>> values; // [row][column]
    double minimum = 0;
    double maximum = 0;
};

Grid grid(const ChartRequest &request, const ChartDataset &data);
void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data);

// The scale: t = 0 (the minimum) light to t = 1 (the maximum) dark.
QColor scaleColour(double t);
QColor colourFor(const Grid &grid, double value);
QColor emptyCellColour();
QRectF cellRect(const ChartRequest &request, const Grid &grid, int column, int row);

} // namespace HeatmapChart

} // namespace isobar
