#pragma once

#include "ChartData.h"
#include "TrendDirection.h"

namespace isobar {

// How the most recent points of a series moved: the sum of the last N points against the
// N before (N = 7 for daily data, 1 for weekly), and whether that is good news for this metric.
struct RecentChange {
    int window = 0;     // N
    double change = 0;  // sum(last N) - sum(N before)
    double percent = 0; // change relative to the N before (0 when they sum to 0)
    bool known = false; // false: fewer than 2N points
    TrendDirection direction = TrendDirection::Neutral;
    TrendPolarity polarity = TrendPolarity::Neutral;

    // green | red | neutral, as the trends API says.
    QString verdict() const { return trendColour(direction, polarity); }
};

// 1 for weekly series, 7 for daily ones (from the series' frequency, else the dates' spacing).
int recentWindow(const QList<ChartPoint> &points);

RecentChange recentChange(const QList<ChartPoint> &points);

} // namespace isobar
