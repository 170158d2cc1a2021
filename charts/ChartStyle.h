#pragma once

#include <QDate>
#include <QFont>
#include <QSize>
#include <memory>

class QChart;
class QGraphicsScene;

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

// The x value of a date on a QDateTimeAxis.
qreal dateX(QDate date);

} // namespace isobar::ChartStyle
