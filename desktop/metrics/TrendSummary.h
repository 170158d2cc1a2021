#pragma once

#include "RecentChange.h"

#include <QString>

namespace isobar {

// A card's trend, as the UKHSA dashboard words it, paired with the figure it compares: for
// daily data the last 7 days' total (or, for rates, shares and averages, which do not add up,
// their mean), "7-day total 15,230", then an arrow, "Increase of 1,200 (8.5%) compared to the
// previous 7 days", and the trends logic's verdict (green, red, neutral). Weekly and other
// series compare their latest figure, which the card shows already: no separate figure.
// Values are rounded as displayDecimals() says for the whole series, with the metric's unit.
struct TrendSummary {
    QString figure; // "7-day total 15,230", or empty
    QString arrow;  // ▲ ▼ ▶, or empty when unknown
    QString text;
    QString verdict; // green | red | neutral

    static TrendSummary of(const QList<ChartPoint> &points);

    // A direction as a card shows it: ▲ "Increase", ▼ "Decrease", ▶ "No change".
    struct Words {
        QString arrow;
        QString word;
    };
    static Words wordsOf(TrendDirection direction);
};

} // namespace isobar
