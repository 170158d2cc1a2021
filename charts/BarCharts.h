#pragma once

#include "ChartData.h"

class QGraphicsScene;

namespace isobar {

// Bars per date or per category (`x_axis`: age, stratum, sex, geography), one bar set per plot;
// side by side or stacked. Drawn with QtCharts into `scene`. GUI thread only.
namespace BarCharts {

void bar(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data);
void stackedBar(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data);

// The bar chart's categories and one value per plot and category (nullopt: no point), in
// drawing order; exposed so tests and the figure JSON see what the bars show.
struct BarTable {
    QStringList categories;
    QList<QDate> dates; // the categories' dates, when the x axis is the date
    QList<QList<std::optional<double>>> values; // [plot][category]
};
BarTable barTable(const ChartRequest &request, const ChartDataset &data);

} // namespace BarCharts

} // namespace isobar
