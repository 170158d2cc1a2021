#pragma once

#include "GridCell.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace isobar {

// The place a sandbox location key stands for: one key per grid area about 10 km wide, as a
// real AccuWeather key covers a town or a district. The key is the area's grid position
// written as a number, so it is stable across runs and can be read back without any state.
class SandboxArea
{
public:
    static constexpr double kSizeMetres = 10'000;

    static SandboxArea at(double latitude, double longitude);
    // nullopt for anything that is not a key this sandbox could have issued.
    static std::optional<SandboxArea> fromKey(const QString &key);

    QString key() const;
    double latitude() const { return m_cell.centreLatitude; }
    double longitude() const { return m_cell.centreLongitude; }
    // Whole hours east of UTC, from the longitude (a sandbox has no time-zone database).
    int utcOffsetHours() const;
    const GridCell &cell() const { return m_cell; }

private:
    explicit SandboxArea(const GridCell &cell)
        : m_cell(cell)
    {}
    GridCell m_cell;
};

// Synthetic weather in AccuWeather's exact response shapes (the fixtures in
// tests/fixtures/accuweather/ are the reference): plausible values that depend on latitude,
// season, time of day and a deterministic per-area "weather" that changes every few hours.
// Every answer names the sandbox, so nobody can mistake it for a real observation.
class SandboxWeather
{
public:
    explicit SandboxWeather(const SandboxArea &area);

    // /locations/v1/cities/geoposition/search
    QJsonObject location() const;
    // /currentconditions/v1/{key}: the one observation the endpoint wraps in an array.
    QJsonObject currentConditions(qint64 nowMs, bool details) const;
    // /forecasts/v1/daily/5day/{key}
    QJsonObject dailyForecast(qint64 nowMs, bool metric, bool details) const;
    // /forecasts/v1/hourly/12hour/{key}
    QJsonArray hourlyForecast(qint64 nowMs, bool metric, bool details) const;

    // What the model says at one instant, in metric units.
    struct Conditions {
        double temperatureC = 0;
        double feelsLikeC = 0;
        double dewPointC = 0;
        int humidity = 0;
        int cloudCover = 0;
        double precipitationMm = 0; // in the hour up to this instant
        int precipitationProbability = 0;
        double windKmh = 0;
        double gustKmh = 0;
        int windDegrees = 0;
        double pressureMb = 0;
        double visibilityKm = 0;
        int uvIndex = 0;
        bool isDaylight = false;
        double solarElevationDegrees = 0;
        bool snow() const { return temperatureC < 0.5; }
    };
    Conditions conditionsAt(qint64 utcMs) const;

private:
    double noise(qint64 utcMs, int channel) const;
    QString localTime(qint64 utcMs) const;
    QString link(const QString &page) const;

    SandboxArea m_area;
    quint64 m_seed;
};

} // namespace isobar
