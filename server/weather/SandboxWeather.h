#pragma once

#include "SandboxArea.h"
#include "SandboxClimate.h"

#include <QJsonArray>
#include <QJsonObject>

namespace isobar {

// AccuWeather's documents for one sandbox area, in the exact response shapes of the live
// service (the fixtures in tests/fixtures/accuweather/ are the reference), filled from the
// synthetic weather of `SandboxClimate`. Every answer names the sandbox, so nobody can mistake
// it for a real observation.
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

private:
    SandboxArea m_area;
    SandboxClimate m_climate;
};

} // namespace isobar
