#include "TrendSummary.h"

#include "MetricUnit.h"

#include <QCoreApplication>
#include <QLocale>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("isobar::TrendSummary", text);
}

// What the latest window is compared with: 7 days of daily data, else the previous figure
// (a week for weekly series, a year for annual ones).
QString comparedWith(const RecentChange &change, const QList<ChartPoint> &points)
{
    if (change.window == 7)
        return tr("compared to the previous 7 days");
    const qint64 gap = points[points.size() - 2].date.daysTo(points.constLast().date);
    return gap <= 8 ? tr("compared to the previous week") : tr("compared to the previous figure");
}

// Counts add up over a week; rates, shares and rolling averages are averaged instead.
bool addsUp(const QString &metric, MetricUnit unit)
{
    if (unit != MetricUnit::Number)
        return false;
    const QString name = metric.toLower();
    for (QStringView word : {u"avg", u"average", u"rolling", u"mean", u"latest"}) {
        if (name.contains(word))
            return false;
    }
    return true;
}

} // namespace

TrendSummary TrendSummary::of(const QList<ChartPoint> &points)
{
    const RecentChange change = recentChange(points);
    if (!change.known)
        return {QString(), QString(), tr("Not enough data for a trend"), u"neutral"_s};
    const QString metric =
        points.constFirst().series ? points.constFirst().series->metric : QString();
    const MetricUnit unit = metricUnit(metric);
    QList<double> values;
    values.reserve(points.size());
    for (const ChartPoint &point : points)
        values << point.value;
    int decimals = displayDecimals(values);

    TrendSummary summary;
    double amount = change.change;
    if (change.window > 1) {
        double recent = 0;
        for (qsizetype i = points.size() - change.window; i < points.size(); ++i)
            recent += points[i].value;
        if (addsUp(metric, unit)) {
            summary.figure = tr("%1-day total %2")
                                 .arg(change.window)
                                 .arg(formatMetricValue(recent, unit, decimals));
        } else {
            // A mean of rounded figures is finer than they are: one more decimal, up to two.
            decimals = std::min(decimals + 1, 2);
            amount /= change.window;
            summary.figure = tr("%1-day average %2")
                                 .arg(change.window)
                                 .arg(formatMetricValue(recent / change.window, unit, decimals));
        }
    }
    // A change of a share is in percentage points, not percent of it.
    const QString difference =
        unit == MetricUnit::Percent
            ? tr("%1 percentage points")
                  .arg(formatMetricValue(std::abs(amount), MetricUnit::Number, decimals))
            : formatMetricValue(std::abs(amount), unit, decimals);
    const QString percent = QLocale().toString(std::abs(change.percent), 'f', 1);
    const QString compared = comparedWith(change, points);
    summary.verdict = change.verdict();
    summary.arrow = wordsOf(change.direction).arrow;
    switch (change.direction) {
    case TrendDirection::Up:
        summary.text = tr("Increase of %1 (%2%) %3").arg(difference, percent, compared);
        return summary;
    case TrendDirection::Down:
        summary.text = tr("Decrease of %1 (%2%) %3").arg(difference, percent, compared);
        return summary;
    case TrendDirection::Neutral:
        break;
    }
    summary.text = tr("No change %1").arg(compared);
    return summary;
}

TrendSummary::Words TrendSummary::wordsOf(TrendDirection direction)
{
    switch (direction) {
    case TrendDirection::Up:
        return {u"▲"_s, tr("Increase")};
    case TrendDirection::Down:
        return {u"▼"_s, tr("Decrease")};
    case TrendDirection::Neutral:
        break;
    }
    return {u"▶"_s, tr("No change")};
}

} // namespace isobar
