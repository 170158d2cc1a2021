#pragma once

#include <QColor>
#include <QList>
#include <QPalette>

namespace isobar {

// The map's sequential colour scale for request counts. Counts span orders of magnitude (a city
// against a village), so a count's position on the scale is logarithmic from 1 to the maximum.
// Positions are quantised into a few steps: the map paints all squares of a step in one call,
// and the legend shows exactly the colours the map uses. The ramp runs from quiet to loud
// against the palette's background: light to dark on a light theme, dark to bright on a dark one.
class CountColorScale
{
public:
    static constexpr int stepCount = 24;

    explicit CountColorScale(const QPalette &palette = QPalette());

    // 0 for a count of 1 (or less), stepCount - 1 for the maximum.
    static int step(qint64 count, qint64 maximum);
    // The step's position on the scale, 0 to 1.
    static double position(int step) { return double(step) / (stepCount - 1); }
    // The count at a position of the scale, as the legend labels it.
    static qint64 countAt(double position, qint64 maximum);

    QColor color(int step) const { return m_colors.at(step); }
    QColor color(qint64 count, qint64 maximum) const { return color(step(count, maximum)); }

private:
    QList<QColor> m_colors;
};

} // namespace isobar
