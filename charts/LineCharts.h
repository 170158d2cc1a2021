#pragma once

#include "ChartData.h"

class QGraphicsScene;

namespace isobar {

// The line chart types, drawn with QtCharts into `scene` (sized to request.size). Each expects
// a dataset with points; "No data" is ChartBuilder's business. GUI thread only.
namespace LineCharts {

// A sparkline: no axes, filled down to zero.
void simpleLine(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data);
// The first plot as a neutral line and area, its most recent N points shaded in the colour of
// their change (good, bad, neutral), and the reporting-delay period shaded behind.
void lineWithShadedSection(QGraphicsScene &scene, const ChartRequest &request,
                           const ChartDataset &data);
// One line per plot in its colour and dash, optionally smooth, with a legend when labelled and
// a confidence band when asked for and the points carry bounds.
void lineMultiColoured(QGraphicsScene &scene, const ChartRequest &request,
                       const ChartDataset &data);
// One line in the colour of its recent change, its first and last values written beside it.
void lineSingleSimplified(QGraphicsScene &scene, const ChartRequest &request,
                          const ChartDataset &data);

} // namespace LineCharts

} // namespace isobar
