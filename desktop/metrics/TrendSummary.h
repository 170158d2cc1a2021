#pragma once

#include "RecentChange.h"

#include <QString>

namespace isobar {

// A card's trend line, as the UKHSA dashboard words it: an arrow, "Increase of 120 (5.2%)
// compared to the previous 7 days", and the trends logic's verdict (green, red, neutral).
struct TrendSummary {
    QString arrow; // ▲ ▼ ▶, or empty when unknown
    QString text;
    QString verdict; // green | red | neutral

    static TrendSummary of(const QList<ChartPoint> &points);
};

} // namespace isobar
