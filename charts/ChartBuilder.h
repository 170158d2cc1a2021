#pragma once

#include "ChartData.h"

#include <QGraphicsScene>
#include <memory>

namespace isobar {

// Turns a request and its data into a scene of exactly request.size pixels: what the desktop
// shows in a QGraphicsView and what ChartRenderer paints. One drawing per chart type; a valid
// request without points draws "No data". GUI thread only (docs/CHARTS.md): the scene holds
// QtCharts objects.
class ChartBuilder
{
public:
    static std::unique_ptr<QGraphicsScene> build(const ChartRequest &request,
                                                 const ChartDataset &data);
};

} // namespace isobar
