#include "ChartBuilder.h"

#include "BarCharts.h"
#include "ChartStyle.h"
#include "HeatmapChart.h"
#include "LineCharts.h"
#include "WaffleChart.h"

#include <QApplication>
#include <QChart>
#include <QCoreApplication>
#include <QGraphicsLayout>
#include <QThread>

namespace isobar {

namespace {

// QGraphicsScene polishes items and QtCharts lays out axes, titles and legends in posted events
// that a view's event loop would deliver later; a render needs them now. Only this scene's and
// its charts' events are delivered, so nothing else runs re-entrantly.
void settle(QGraphicsScene &scene)
{
    QCoreApplication::sendPostedEvents(&scene);
    for (QGraphicsItem *item : scene.items()) {
        if (auto *chart = dynamic_cast<QChart *>(item)) {
            QCoreApplication::sendPostedEvents(chart);
            chart->layout()->activate();
        }
    }
    QCoreApplication::sendPostedEvents(&scene);
}

} // namespace

std::unique_ptr<QGraphicsScene> ChartBuilder::build(const ChartRequest &request,
                                                    const ChartDataset &data)
{
    // Off the GUI thread QtCharts corrupts its shared text layout and crashes some renders
    // later (docs/CHARTS.md); failing here, at once and by name, is the kinder error.
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())
        || QThread::currentThread() != QCoreApplication::instance()->thread())
        qFatal("ChartBuilder::build must run on the GUI thread of a QApplication");
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
        if (request.hasBars()) // bars and lines in one chart: on the bars' axis
            BarCharts::bar(*scene, request, data);
        else
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
    if (!request.watermark.isEmpty())
        ChartStyle::addWatermark(*scene, request.size, request.watermark);
    settle(*scene);
    return scene;
}

} // namespace isobar
