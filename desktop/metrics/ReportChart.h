#pragma once

#include "ChartData.h"

#include <QGraphicsScene>
#include <QString>
#include <memory>

namespace isobar::ReportChart {

// What a chart pasted into a report says around the plot.
struct Text {
    QString title;    // the card's title: metric, area, and any age, sex or stratum chosen
    QString subtitle; // e.g. "COVID-19 · Nation · 9 March 2023 to 8 March 2024"
    QString source;   // e.g. "Source: UKHSA data in sample.db, data up to 8 March 2024"
};

// Sizes offered for an export, wide enough for slides and documents.
QList<QSize> presetSizes();

// The chart drawn anew at `request.size` (ChartBuilder, as the server draws it) under its
// title and subtitle, with the source line beneath: a scene of exactly request.size pixels for
// ChartRenderer. The plot gets what the text leaves.
std::unique_ptr<QGraphicsScene> build(ChartRequest request, const ChartDataset &data,
                                      const Text &text);

} // namespace isobar::ReportChart
