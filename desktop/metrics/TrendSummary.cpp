#include "TrendSummary.h"

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

} // namespace

TrendSummary TrendSummary::of(const QList<ChartPoint> &points)
{
    const RecentChange change = recentChange(points);
    if (!change.known)
        return {QString(), tr("Not enough data for a trend"), u"neutral"_s};
    const QLocale locale;
    const QString amount = locale.toString(std::abs(change.change), 'g', 12);
    const QString percent = locale.toString(std::abs(change.percent), 'f', 1);
    const QString compared = comparedWith(change, points);
    switch (change.direction) {
    case TrendDirection::Up:
        return {u"▲"_s, tr("Increase of %1 (%2%) %3").arg(amount, percent, compared),
                change.verdict()};
    case TrendDirection::Down:
        return {u"▼"_s, tr("Decrease of %1 (%2%) %3").arg(amount, percent, compared),
                change.verdict()};
    case TrendDirection::Neutral:
        break;
    }
    return {u"▶"_s, tr("No change %1").arg(compared), change.verdict()};
}

} // namespace isobar
