#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <optional>

namespace isobar {

// The UKHSA data-dashboard chart colours, accepted by name in requests (`line_colour`), so a
// chart drawn here matches one drawn by the dashboard.
namespace ChartPalette {

// The 12 selectable line colours in order, then the three trend-line colours.
QStringList names();
std::optional<QColor> colour(const QString &name);
// The n-th selectable colour (wrapping), for plots that name none.
QColor seriesColour(int index);

// Fixed roles of the dashboard's line charts.
QColor trendPositive();       // TREND_LINE_POSITIVE
QColor trendNegative();       // TREND_LINE_NEGATIVE
QColor trendNeutral();        // TREND_LINE_NEUTRAL
QColor goodShade();           // fill of a section that changed for the better
QColor badShade();            // ... for the worse
QColor neutralShade();        // ... neither, or a metric of unknown polarity
QColor reportingDelayShade(); // the period whose figures are still incomplete
QColor lineBackground();      // behind simple lines
QColor lineFill();            // under simple lines

} // namespace ChartPalette

} // namespace isobar
