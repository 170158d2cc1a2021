#include "ChartData.h"

#include "DateParsing.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

bool fail(ChartRequestError *error, const QString &field, const QString &detail)
{
    if (error)
        *error = {field, detail};
    return false;
}

// Fills `kind` with the metric's kind (a time series, or headline figures).
bool checkMetric(MetricsQuery &query, const ChartPlot &plot, int index, SeriesKind *kind,
                 ChartRequestError *error)
{
    const QString prefix = u"plots[%1]."_s.arg(index);
    const PointSelection &s = plot.selection;
    if (!query.topicExists(s.topic))
        return fail(error, prefix + u"topic", u"unknown topic '%1'"_s.arg(s.topic));
    bool inTopic = false;
    const std::optional<MetricInfo> info = query.metricInfo(s.topic, s.metric, &inTopic);
    if (!info)
        return fail(error, prefix + u"metric", u"unknown metric '%1'"_s.arg(s.metric));
    if (!inTopic)
        return fail(error, prefix + u"metric",
                    u"metric '%1' does not belong to topic '%2'"_s.arg(s.metric, s.topic));
    *kind = info->kind;
    return true;
}

// A headline plot is its newest record, whatever the dates (as UKHSA draws one).
QList<ChartPoint> headlinePoints(MetricsQuery &query, PointSelection selection)
{
    selection.from.reset();
    selection.to.reset();
    const std::optional<PublicHeadline> latest = query.latestHeadline(selection);
    if (!latest)
        return {};
    return {ChartPoint::of(*latest)};
}

std::optional<QList<ChartPoint>> timeSeriesPoints(MetricsQuery &query,
                                                  const PointSelection &selection, int index,
                                                  ChartRequestError *error)
{
    qint64 total = 0;
    const QList<PublicPoint> points =
        query.points(selection, 0, ChartData::kMaxPointsPerPlot + 1, &total);
    if (total > ChartData::kMaxPointsPerPlot) {
        fail(error, u"plots[%1]"_s.arg(index),
             u"the plot selects %1 points; at most %2 can be drawn, narrow "
             "the dates or filters"_s.arg(total)
                 .arg(ChartData::kMaxPointsPerPlot));
        return std::nullopt;
    }
    QList<ChartPoint> converted;
    converted.reserve(points.size());
    for (const PublicPoint &p : points)
        converted.append(ChartPoint::of(p));
    return converted;
}

// A waffle draws shares of 100 cells, largest first: each plot's latest value must be a
// percentage, and they must come in descending order so the layers nest.
bool checkWaffle(const ChartDataset &data, ChartRequestError *error)
{
    std::optional<double> previous;
    for (int i = 0; i < data.plots.size(); ++i) {
        if (data.plots[i].isEmpty())
            continue;
        const double value = data.plots[i].constLast().value;
        if (value < 0 || value > 100)
            return fail(error, u"plots[%1].metric"_s.arg(i),
                        u"a waffle chart needs percentages from 0 to 100; the "
                        "latest value is %1"_s.arg(value));
        if (previous && value > *previous)
            return fail(error, u"plots[%1]"_s.arg(i),
                        u"waffle percentages must be in descending order: %1 "
                        "follows %2"_s.arg(value)
                            .arg(*previous));
        previous = value;
    }
    return true;
}

} // namespace

bool ChartDataset::isEmpty() const
{
    for (const auto &plot : plots) {
        if (!plot.isEmpty())
            return false;
    }
    return true;
}

QDate ChartDataset::newestDate() const
{
    QDate newest;
    for (const auto &plot : plots) {
        for (const ChartPoint &point : plot) {
            if (!newest.isValid() || point.date > newest)
                newest = point.date;
        }
    }
    return newest;
}

std::optional<ChartDataset> ChartData::load(MetricsQuery &query, const ChartRequest &request,
                                            ChartRequestError *error)
{
    ChartDataset data;
    for (int i = 0; i < request.plots.size(); ++i) {
        const ChartPlot &plot = request.plots[i];
        SeriesKind kind = SeriesKind::TimeSeries;
        if (!checkMetric(query, plot, i, &kind, error))
            return std::nullopt;
        // The first plot's metric decides, as UKHSA's does.
        if (i == 0)
            data.headline = kind == SeriesKind::Headline;
        if (data.headline) {
            data.plots.append(headlinePoints(query, plot.selection));
            continue;
        }
        std::optional<QList<ChartPoint>> points = timeSeriesPoints(query, plot.selection, i, error);
        if (!points)
            return std::nullopt;
        data.plots.append(std::move(*points));
    }
    if (request.type() == ChartType::Waffle && !checkWaffle(data, error))
        return std::nullopt;
    return data;
}

ChartPoint ChartPoint::of(const PublicPoint &point, QString category)
{
    return {point.series,          point.date,
            point.value,           point.inReportingDelay,
            point.upperConfidence, point.lowerConfidence,
            std::move(category)};
}

ChartPoint ChartPoint::of(const PublicHeadline &headline)
{
    return {headline.series,
            londonTime(headline.periodEnd).date(),
            headline.value,
            false,
            headline.upperConfidence,
            headline.lowerConfidence,
            {}};
}

} // namespace isobar
