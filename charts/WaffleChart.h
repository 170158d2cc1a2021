#pragma once

#include "ChartData.h"

#include <QRectF>

class QGraphicsScene;

namespace isobar {

// 10 x 10 cells, one per percent: each plot's latest value (largest first) fills that many cells
// in its colour, the smaller ones layered over the larger. QtCharts has no such chart, so it is
// drawn with QGraphicsRectItems. GUI thread only.
namespace WaffleChart {

constexpr int kSide = 10;

void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data);

// Where the cell filled `index`-th (0..99) lies: columns left to right, each bottom to top.
QRectF cellRect(const ChartRequest &request, int index);
QColor emptyCellColour();

} // namespace WaffleChart

} // namespace isobar
