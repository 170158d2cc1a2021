#pragma once

#include <QColor>
#include <QList>
#include <QPalette>

namespace isobar {

// How a stat reads against its objective, Grafana-style: a base level, then steps that take over
// from a value upwards. The levels, not the colours, are what the page decides; colours come
// from one table per palette so they stay readable on light and dark themes.
class Thresholds
{
public:
    enum class Level { None, Ok, Warning, Critical };

    struct Step {
        double from; // this level applies from this value upwards
        Level level;
    };

    Thresholds() = default;
    Thresholds(Level base, QList<Step> steps);

    // Red under the no-go share of 2xx answers, green at or above it.
    static Thresholds successRatio(double noGoRatio);
    // Green within the latency objective, amber up to twice it, red beyond.
    static Thresholds latencyMs(double objectiveMs);
    // Red when the day's upstream budget is spent, amber when nearly.
    static Thresholds budgetLeft();
    // Amber when the weather cache answers less than half of the lookups.
    static Thresholds cacheHitRatio();

    Level levelOf(double value) const;

    // Background and text colour of a tile at `level`, for the palette in use.
    static QColor background(Level level, const QPalette &palette);
    static QColor foreground(Level level, const QPalette &palette);
    static bool isDark(const QPalette &palette);

private:
    Level m_base = Level::None;
    QList<Step> m_steps; // ascending
};

} // namespace isobar
