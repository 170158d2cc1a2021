#include "RecentChange.h"

#include <algorithm>

namespace isobar {

int recentWindow(const QList<ChartPoint> &points)
{
    if (!points.isEmpty() && points.first().series) {
        const QString frequency = points.first().series->frequency.toLower();
        if (frequency.contains(u"week"))
            return 1;
        if (frequency.contains(u"day") || frequency.contains(u"daily"))
            return 7;
    }
    if (points.size() < 2)
        return 7;
    QList<qint64> gaps;
    for (qsizetype i = 1; i < points.size(); ++i)
        gaps << points[i - 1].date.daysTo(points[i].date);
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    return gaps[gaps.size() / 2] >= 6 ? 1 : 7;
}

RecentChange recentChange(const QList<ChartPoint> &points)
{
    RecentChange result;
    result.window = recentWindow(points);
    if (!points.isEmpty() && points.first().series)
        result.polarity = trendPolarity(points.first().series->metric);
    const qsizetype n = result.window;
    if (points.size() < 2 * n)
        return result;
    double recent = 0;
    double before = 0;
    for (qsizetype i = points.size() - n; i < points.size(); ++i)
        recent += points[i].value;
    for (qsizetype i = points.size() - 2 * n; i < points.size() - n; ++i)
        before += points[i].value;
    result.known = true;
    result.change = recent - before;
    result.percent = before != 0 ? result.change / before * 100 : 0;
    result.direction = trendDirection(result.change);
    return result;
}

} // namespace isobar
