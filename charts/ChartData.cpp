#include "ChartData.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

bool fail(ChartRequestError *error, const QString &field, const QString &detail)
{
    if (error)
        *error = {field, detail};
    return false;
}

bool checkMetric(MetricsQuery &query, const ChartPlot &plot, int index, ChartRequestError *error)
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
    if (info->kind != SeriesKind::TimeSeries)
        return fail(error, prefix + u"metric",
                    u"'%1' is a headline figure; charts draw time series"_s.arg(s.metric));
    return true;
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
        if (!checkMetric(query, plot, i, error))
            return std::nullopt;
        qint64 total = 0;
        const QList<PublicPoint> points =
            query.points(plot.selection, 0, kMaxPointsPerPlot + 1, &total);
        if (total > kMaxPointsPerPlot) {
            fail(error, u"plots[%1]"_s.arg(i),
                 u"the plot selects %1 points; at most %2 can be drawn, narrow "
                 "the dates or filters"_s.arg(total)
                     .arg(kMaxPointsPerPlot));
            return std::nullopt;
        }
        QList<ChartPoint> converted;
        converted.reserve(points.size());
        for (const PublicPoint &p : points)
            converted.append(ChartPoint{p.series, p.date, p.value, p.inReportingDelay,
                                        p.upperConfidence, p.lowerConfidence});
        data.plots.append(converted);
    }
    if (request.type() == ChartType::Waffle && !checkWaffle(data, error))
        return std::nullopt;
    return data;
}

} // namespace isobar
