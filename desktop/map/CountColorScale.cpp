#include "CountColorScale.h"

#include <algorithm>
#include <cmath>

namespace isobar {

namespace {

// Perceptually ordered stops: ColorBrewer's YlOrRd on light backgrounds; the bright end of
// magma on dark ones, where the loudest cell should be the lightest thing on screen.
constexpr QRgb lightThemeStops[] = {0xfed976, 0xfeb24c, 0xfd8d3c, 0xf03b20, 0xbd0026, 0x800026};
constexpr QRgb darkThemeStops[] = {0x8c2981, 0xb73779, 0xde4968, 0xf7705c, 0xfe9f6d, 0xfcfdbf};

QColor interpolated(const QRgb (&stops)[6], double position)
{
    const double scaled = position * (std::size(stops) - 1);
    const int lower = std::clamp(int(scaled), 0, int(std::size(stops)) - 2);
    const double t = scaled - lower;
    const QColor a(stops[lower]), b(stops[lower + 1]);
    // Whole 8-bit channels: exactly what a raster paint device stores.
    const auto channel = [t](int from, int to) { return int(std::lround(from + t * (to - from))); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()),
                  channel(a.blue(), b.blue()));
}

} // namespace

CountColorScale::CountColorScale(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness()
                      < palette.color(QPalette::WindowText).lightness();
    m_colors.reserve(stepCount);
    for (int s = 0; s < stepCount; ++s)
        m_colors.append(interpolated(dark ? darkThemeStops : lightThemeStops, position(s)));
}

int CountColorScale::step(qint64 count, qint64 maximum)
{
    if (maximum <= 1 || count >= maximum)
        return stepCount - 1;
    if (count <= 1)
        return 0;
    const double position = std::log(double(count)) / std::log(double(maximum));
    return std::clamp(int(std::lround(position * (stepCount - 1))), 0, stepCount - 1);
}

qint64 CountColorScale::countAt(double position, qint64 maximum)
{
    if (maximum <= 1)
        return maximum;
    return qint64(std::llround(std::pow(double(maximum), std::clamp(position, 0.0, 1.0))));
}

} // namespace isobar
