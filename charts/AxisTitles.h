#pragma once

#include "ChartRequest.h"

#include <QRectF>

class QGraphicsScene;

namespace isobar {

// The request's x_axis_title and y_axis_title for the charts drawn without QtCharts (waffle,
// heatmap): the space they need beside the drawing, then the titles themselves, in the font
// QtCharts uses for axis titles, y rotated up the left side as on the line and bar charts.
// Charts smaller than kMinimumSide either way leave them out: they would crowd out the data.
class AxisTitles
{
public:
    static constexpr int kMinimumSide = 120;

    explicit AxisTitles(const ChartRequest &request);

    qreal leftSpace() const;   // width to keep free left of the drawing for the y title
    qreal bottomSpace() const; // height to keep free under it for the x title

    // x centred under `drawing` with its top at `xTop`; y centred beside it from `yLeft`.
    // Each is elided to the drawing's width (x) or height (y).
    void draw(QGraphicsScene &scene, const QRectF &drawing, qreal xTop, qreal yLeft) const;

private:
    QString m_x;
    QString m_y;
};

} // namespace isobar
