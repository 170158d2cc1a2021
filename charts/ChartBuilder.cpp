#include "ChartBuilder.h"

#include "BarCharts.h"
#include "ChartStyle.h"
#include "HeatmapChart.h"
#include "LineCharts.h"
#include "WaffleChart.h"

namespace isobar {

std::unique_ptr<QGraphicsScene> ChartBuilder::build(const ChartRequest &request,
                                                    const ChartDataset &data) {
    if (data.isEmpty())
        return ChartStyle::noDataScene(request.size);
    std::unique_ptr<QGraphicsScene> scene = ChartStyle::blankScene(request.size);
    switch (request.type()) {
    case ChartType::SimpleLine:
        LineCharts::simpleLine(*scene, request, data);
        break;
    case ChartType::LineWithShadedSection:
        LineCharts::lineWithShadedSection(*scene, request, data);
        break;
    case ChartType::LineMultiColoured:
        LineCharts::lineMultiColoured(*scene, request, data);
        break;
    case ChartType::LineSingleSimplified:
        LineCharts::lineSingleSimplified(*scene, request, data);
        break;
    case ChartType::Bar:
        BarCharts::bar(*scene, request, data);
        break;
    case ChartType::StackedBar:
        BarCharts::stackedBar(*scene, request, data);
        break;
    case ChartType::Waffle:
        WaffleChart::draw(*scene, request, data);
        break;
    case ChartType::Heatmap:
        HeatmapChart::draw(*scene, request, data);
        break;
    }
    return scene;
}

} // namespace isobar
