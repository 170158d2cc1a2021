#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <optional>

namespace isobar {

// The UKHSA data-dashboard chart colours, accepted by name in requests (`line_colour`,
// `confidence_colour`), so a chart drawn here matches one drawn by the dashboard.
namespace ChartPalette {

// The names UKHSA's serializers accept, in UKHSA's order: the 12 line colours, the 5 map
// colours, the 3 trend-line colours, then the legacy ones.
QStringList names();
// Exact case, as DRF's ChoiceField compares: "red" is not a colour.
std::optional<QColor> colour(const QString &name);
// The n-th of the 12 line colours (wrapping), for plots that name none.
QColor seriesColour(int index);
// A colour as UKHSA writes one into a Plotly figure (Python's repr of an RGBA tuple):
// "rgba(18, 67, 109, 1)".
QString rgbaText(const QColor &colour);

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
