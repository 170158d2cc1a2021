#pragma once

#include <QDate>
#include <QFont>
#include <QSize>
#include <memory>

class QChart;
class QGraphicsScene;
class QValueAxis;

namespace isobar {
struct ChartRequest;
}

namespace isobar::ChartStyle {

// DejaVu Sans at a pixel size, loaded from the Debian font file on first use so that text
// looks the same on every machine (and is not left to fontconfig's defaults). GUI thread only.
QFont font(int pixelSize, bool bold = false);
QString fontFamily();

// A white scene of exactly `size` pixels, the canvas every chart is drawn on.
std::unique_ptr<QGraphicsScene> blankScene(QSize size);

// The answer to a valid request without data: an empty chart saying so.
std::unique_ptr<QGraphicsScene> noDataScene(QSize size);

// A QChart filling `scene`: no animation (renders happen at once), fixed fonts, no legend.
QChart *addChart(QGraphicsScene &scene, QSize size);

// A data classification's marking across the chart, as UKHSA writes it: centred, 80% of the
// way up, translucent, sized to the width (watermarkPixelSize()).
void addWatermark(QGraphicsScene &scene, QSize size, const QString &marking);

// The first of 1, 2, 2.5 and 5 times a power of ten at or above `value` (0 for none above 0):
// the round numbers axes end and step on.
double niceCeiling(double value);

// A value axis over [low, high] with about one tick per 50 px of the request's height: nice
// round numbers, or the range the request fixes (y_axis_minimum/maximum) with round ticks
// from zero inside it; labels fixed-point with the decimals the tick step needs, which
// addChart()'s charts write with the UK's thousands separators ("160,000").
void fitValueAxis(QValueAxis &axis, double low, double high, const ChartRequest &request);

// The x value of a date on a date axis (DateAxis), as QDateTimeAxis counts: UTC milliseconds.
qreal dateX(QDate date);

} // namespace isobar::ChartStyle
