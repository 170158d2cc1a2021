#pragma once

#include <QString>

namespace isobar {

// Whether a rise in a metric is good news (vaccination, testing), bad news (cases, deaths,
// admissions, occupancy, positivity) or neither; decides trend colours in the API and charts.
enum class TrendPolarity { UpIsBad, UpIsGood, Neutral };

TrendPolarity trendPolarity(const QString &metricName);
// Whether a metric's values are themselves changes ("..._7DayChange", "...PercentChange"), so
// their sign is a direction: the dashboard shows such headlines with an arrow.
bool isChangeMetric(const QString &metricName);

enum class TrendDirection { Up, Neutral, Down };

TrendDirection trendDirection(double change);
QString directionName(TrendDirection direction);                       // up | neutral | down
QString trendColour(TrendDirection direction, TrendPolarity polarity); // green | neutral | red

} // namespace isobar
