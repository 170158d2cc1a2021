#pragma once

#include <QList>
#include <QLocale>
#include <QString>

namespace isobar {

// What a metric's values measure, read from its name as TrendPolarity is: shares in percent
// (positivity, uptake, coverage, percent changes), rates per 100,000 people, or counts and
// other plain numbers. Decides the units the desktop writes beside values and on axes.
enum class MetricUnit { Number, Percent, RatePer100k };

MetricUnit metricUnit(const QString &metricName);

// The unit as an axis title or a caption: "%", "per 100,000 people", or empty.
QString unitLabel(MetricUnit unit);

// Decimals that show a series as the dashboard does: none when every value is whole, else one
// (two when every value is below 1 in size, so they are not all shown as 0.0).
int displayDecimals(const QList<double> &values);

// A value rounded to `decimals` with the locale's thousands separators and its unit:
// "12,345", "5.1%", "1.5 per 100,000".
QString formatMetricValue(double value, MetricUnit unit, int decimals,
                          const QLocale &locale = QLocale());

} // namespace isobar
