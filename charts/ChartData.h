#pragma once

#include "ChartRequest.h"

#include <QList>
#include <memory>
#include <optional>

namespace isobar {

struct PublicPoint;
struct PublicHeadline;

struct ChartPoint {
    std::shared_ptr<const SeriesDescription> series;
    QDate date;
    double value = 0;
    bool inReportingDelay = false;
    // Confidence bounds, when the ingested data carried them (a band is drawn when a plot
    // asks for one and every point has both).
    std::optional<double> upper;
    std::optional<double> lower;
    QString category; // on a Subplot axis: the subplot's title

    // A stored point as drawn.
    static ChartPoint of(const PublicPoint &point, QString category = {});
    // A headline figure: one point dated by the London day its period ends on.
    static ChartPoint of(const PublicHeadline &headline);
};

// The points of every plot of a request, oldest first. Plain values: built on a query thread,
// handed to the GUI thread for drawing.
struct ChartDataset {
    QList<QList<ChartPoint>> plots;
    // Headline figures: each plot is its newest record (one point, dated by its period's end),
    // placed on the x axis by its category (UKHSA draws them as bars).
    bool headline = false;

    bool isEmpty() const;
    QDate newestDate() const;
};

// Reads a request's points through MetricsQuery (public, released points only) and checks what
// only the store can tell: unknown topic or metric, a metric under another topic, a chart type
// that cannot show the metric. Runs on whichever thread owns `query`.
class ChartData
{
public:
    static constexpr qint64 kMaxPointsPerPlot = 200000;

    static std::optional<ChartDataset> load(MetricsQuery &query, const ChartRequest &request,
                                            ChartRequestError *error);
};

} // namespace isobar
