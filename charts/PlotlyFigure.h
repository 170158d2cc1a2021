#pragma once

#include "ChartData.h"

#include <QJsonObject>

// Plain JSON (QtCore only, no QtCharts), so it can be built on any thread.
namespace isobar::PlotlyFigure {

// UKHSA's charts v3 `figure`: Plotly's figure dict {"data": traces, "layout": layout} for the
// chart, with the settings UKHSA applies for interactive charts.
QJsonObject build(const ChartRequest &request, const ChartDataset &data);

} // namespace isobar::PlotlyFigure
