#include "Thresholds.h"

#include <algorithm>
#include <cmath>

namespace isobar {

namespace {

struct LevelColours {
    Thresholds::Level level;
    QRgb lightBackground, lightText;
    QRgb darkBackground, darkText;
};

// Pale fills with dark text on light palettes, deep fills with light text on dark ones: the
// pairs keep a contrast ratio of at least 4.5:1 (WCAG AA) either way.
constexpr LevelColours kColours[] = {
    {Thresholds::Level::Ok, 0xffd8f0dc, 0xff14532d, 0xff1d4d2c, 0xffdcfce7},
    {Thresholds::Level::Warning, 0xfffdecc8, 0xff713f12, 0xff5c4310, 0xfffef3c7},
    {Thresholds::Level::Critical, 0xfffbd5d5, 0xff7f1d1d, 0xff6b1f1f, 0xfffee2e2},
};

const LevelColours *coloursOf(Thresholds::Level level)
{
    for (const LevelColours &colours : kColours) {
        if (colours.level == level)
            return &colours;
    }
    return nullptr;
}

} // namespace

Thresholds::Thresholds(Level base, QList<Step> steps)
    : m_base(base)
    , m_steps(std::move(steps))
{
    std::sort(m_steps.begin(), m_steps.end(),
              [](const Step &a, const Step &b) { return a.from < b.from; });
}

Thresholds Thresholds::successRatio(double noGoRatio)
{
    return Thresholds(Level::Critical, {{noGoRatio, Level::Ok}});
}

Thresholds Thresholds::latencyMs(double objectiveMs)
{
    // "Within" the objective includes it: a p95 of exactly 200 ms meets a 200 ms objective.
    const double justAbove = std::nextafter(objectiveMs, objectiveMs * 2 + 1);
    return Thresholds(Level::Ok,
                      {{justAbove, Level::Warning},
                       {std::nextafter(2 * objectiveMs, 4 * objectiveMs + 1), Level::Critical}});
}

Thresholds Thresholds::budgetLeft()
{
    return Thresholds(Level::Critical, {{1, Level::Warning}, {100, Level::Ok}});
}

Thresholds Thresholds::cacheHitRatio()
{
    return Thresholds(Level::Warning, {{0.5, Level::Ok}});
}

Thresholds::Level Thresholds::levelOf(double value) const
{
    Level level = m_base;
    for (const Step &step : m_steps) {
        if (value >= step.from)
            level = step.level;
    }
    return level;
}

bool Thresholds::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor Thresholds::background(Level level, const QPalette &palette)
{
    const LevelColours *colours = coloursOf(level);
    if (!colours)
        return palette.color(QPalette::Base); // no level: a plain panel, Text on Base
    return QColor::fromRgba(isDark(palette) ? colours->darkBackground : colours->lightBackground);
}

QColor Thresholds::foreground(Level level, const QPalette &palette)
{
    const LevelColours *colours = coloursOf(level);
    if (!colours)
        return palette.color(QPalette::Text);
    return QColor::fromRgba(isDark(palette) ? colours->darkText : colours->lightText);
}

} // namespace isobar
