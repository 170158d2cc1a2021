#pragma once

#include "SandboxArea.h"

#include <QtGlobal>

namespace isobar {

// The sandbox's synthetic weather model, in metric units and free of any wire format:
// plausible values that depend on latitude, season, time of day and a deterministic per-area
// "weather" that changes every few hours, so the same area and instant always agree.
class SandboxClimate
{
public:
    explicit SandboxClimate(const SandboxArea &area);

    // What the model says at one instant.
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
        double cloudCeilingMetres() const;
        // W/m² reaching the ground: the sun's height, dimmed by the clouds.
        double solarIrradiance() const;
    };
    Conditions conditionsAt(qint64 utcMs) const;

    // The sun and moon on one local date, as instants (ms since the epoch, UTC).
    struct SunAndMoon {
        qint64 sunrise = 0;
        qint64 sunset = 0;
        qint64 moonrise = 0;
        qint64 moonset = 0;
        double moonAgeDays = 0;
        int moonPhase = 0; // in eighths of the synodic month, 0 = new moon
    };
    // `localDateUtcMs` is the local date's midnight read as UTC; `dayStartUtcMs` the instant
    // the forecast day begins, which dates the season and the moon's age.
    SunAndMoon sunAndMoon(qint64 localDateUtcMs, qint64 dayStartUtcMs) const;

    // Index values for the daily air-quality and pollen report.
    struct AirAndPollen {
        int airQuality = 0;
        int grass = 0;
        int mold = 0;
        int ragweed = 0;
        int tree = 0;
    };
    AirAndPollen airAndPollenAt(qint64 utcMs) const;

    // The area's height above sea level, fixed per area.
    double elevationMetres() const;

private:
    // A value in [0, 1) for one quantity ("channel") that drifts over time.
    double noise(qint64 utcMs, int channel) const;

    SandboxArea m_area;
    quint64 m_seed;
};

} // namespace isobar
