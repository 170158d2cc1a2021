#include "SandboxClimate.h"

#include "Durations.h"

#include <QDateTime>
#include <QtMath>
#include <cmath>

namespace isobar {

namespace {

constexpr qint64 kWeatherBlockMs = 3 * kHourMs; // how often the synthetic weather changes its mind
// A known new moon (2000-01-06 18:14 UTC) and the synodic month, for the moon's age.
constexpr double kNewMoonMs = 947182440000.0;
constexpr double kSynodicMonthDays = 29.530588;

quint64 mix(quint64 x)
{
    // splitmix64: a cheap, well-spread hash, so neighbouring areas get unrelated weather.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double round1(double value)
{
    return std::round(value * 10) / 10;
}

// Solar declination in degrees on a day of the year (Cooper's approximation).
double declination(int dayOfYear)
{
    return 23.44 * std::sin(qDegreesToRadians(360.0 * (284 + dayOfYear) / 365.0));
}

int dayOfYear(qint64 utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC).date().dayOfYear();
}

double solarElevation(double latitude, double longitude, qint64 utcMs)
{
    const double solarHour =
        std::fmod(double(utcMs % kDayMs) / kHourMs + longitude / 15.0 + 48.0, 24.0);
    const double hourAngle = qDegreesToRadians(15.0 * (solarHour - 12.0));
    const double phi = qDegreesToRadians(latitude);
    const double delta = qDegreesToRadians(declination(dayOfYear(utcMs)));
    const double sine =
        std::sin(phi) * std::sin(delta) + std::cos(phi) * std::cos(delta) * std::cos(hourAngle);
    return qRadiansToDegrees(std::asin(qBound(-1.0, sine, 1.0)));
}

// Hours of daylight around solar noon: the sunrise hour angle, 0 in polar night, 12 in polar day.
double halfDayHours(double latitude, int dayOfYear)
{
    const double product = -std::tan(qDegreesToRadians(latitude))
                           * std::tan(qDegreesToRadians(declination(dayOfYear)));
    if (product >= 1)
        return 0;
    if (product <= -1)
        return 12;
    return qRadiansToDegrees(std::acos(product)) / 15.0;
}

} // namespace

double SandboxClimate::Conditions::cloudCeilingMetres() const
{
    return cloudCover > 20 ? std::round(300 + (100 - cloudCover) * 90.0) : 12000;
}

double SandboxClimate::Conditions::solarIrradiance() const
{
    return qMax(0.0, std::sin(qDegreesToRadians(solarElevationDegrees))) * 1000
           * (1 - 0.75 * cloudCover / 100.0);
}

SandboxClimate::SandboxClimate(const SandboxArea &area)
    : m_area(area)
    , m_seed(mix(quint64(area.key().toLongLong())))
{}

double SandboxClimate::noise(qint64 utcMs, int channel) const
{
    // Values drawn per block and blended with a cosine, so the weather drifts rather than jumps.
    const qint64 block = utcMs / kWeatherBlockMs;
    const double fraction = double(utcMs % kWeatherBlockMs) / kWeatherBlockMs;
    auto sample = [&](qint64 b) {
        return double(mix(m_seed ^ mix(quint64(b) * 16 + quint64(channel))) >> 11)
               / double(1ULL << 53);
    };
    const double blend = (1 - std::cos(fraction * M_PI)) / 2;
    return sample(block) * (1 - blend) + sample(block + 1) * blend;
}

SandboxClimate::Conditions SandboxClimate::conditionsAt(qint64 utcMs) const
{
    const double latitude = m_area.latitude();
    Conditions c;
    // Climate: warm at the equator, cold at the poles; seasons opposite across the equator,
    // peaking a month after the solstice; a daily swing peaking mid-afternoon solar time.
    const double mean = -20 + 47 * std::cos(qDegreesToRadians(latitude));
    const double season = 12 * std::sin(qDegreesToRadians(std::abs(latitude)))
                          * std::cos(2 * M_PI * (dayOfYear(utcMs) - 200) / 365.0)
                          * (latitude >= 0 ? 1 : -1);
    const double solarHour =
        std::fmod(double(utcMs % kDayMs) / kHourMs + m_area.longitude() / 15.0 + 48.0, 24.0);
    const double daily = 4.5 * std::cos(2 * M_PI * (solarHour - 15.0) / 24.0);
    c.temperatureC = round1(mean + season + daily + (noise(utcMs, 0) - 0.5) * 6);

    c.cloudCover = int(std::lround(noise(utcMs, 1) * 100));
    const double wetness = noise(utcMs, 2);
    if (c.cloudCover > 65 && wetness > 0.35) {
        const double rain = (c.cloudCover - 65) / 35.0 * wetness * 6;
        c.precipitationMm = rain >= 0.1 ? round1(rain) : 0;
    }
    c.precipitationProbability = c.precipitationMm > 0
                                     ? qBound(50, int(40 + wetness * 60), 100)
                                     : qBound(0, int(c.cloudCover * 0.6 * wetness), 45);
    c.humidity = qBound(
        15, int(std::lround(40 + c.cloudCover * 0.45 + (c.precipitationMm > 0 ? 12 : 0))), 100);
    const double gamma =
        std::log(c.humidity / 100.0) + 17.62 * c.temperatureC / (243.12 + c.temperatureC);
    c.dewPointC = round1(243.12 * gamma / (17.62 - gamma));

    c.windKmh = round1(3 + noise(utcMs, 3) * 35);
    c.gustKmh = round1(c.windKmh * (1.4 + noise(utcMs, 4) * 0.6));
    c.windDegrees = int(noise(utcMs, 5) * 360) % 360;
    if (c.temperatureC < 10 && c.windKmh > 4.8) {
        const double v = std::pow(c.windKmh, 0.16);
        c.feelsLikeC =
            round1(13.12 + 0.6215 * c.temperatureC - 11.37 * v + 0.3965 * c.temperatureC * v);
    } else if (c.temperatureC > 26) {
        c.feelsLikeC = round1(c.temperatureC + (c.humidity - 40) * 0.12);
    } else {
        c.feelsLikeC = round1(c.temperatureC - c.windKmh * 0.06);
    }
    c.pressureMb =
        std::round(1013 + (noise(utcMs, 6) - 0.5) * 30 - (c.precipitationMm > 0 ? 6 : 0));
    c.visibilityKm = c.precipitationMm > 0 ? round1(qMax(1.5, 9.7 - c.precipitationMm * 1.5))
                                           : (c.cloudCover > 85 ? 9.7 : 16.1);

    c.solarElevationDegrees = solarElevation(latitude, m_area.longitude(), utcMs);
    c.isDaylight = c.solarElevationDegrees > 0;
    if (c.isDaylight) {
        const double clearSky =
            12.5 * std::pow(std::sin(qDegreesToRadians(c.solarElevationDegrees)), 1.4);
        c.uvIndex = int(std::lround(clearSky * (1 - 0.7 * c.cloudCover / 100.0)));
    }
    return c;
}

SandboxClimate::SunAndMoon SandboxClimate::sunAndMoon(qint64 localDateUtcMs,
                                                      qint64 dayStartUtcMs) const
{
    SunAndMoon sky;
    const double solarNoonUtcHours = 12.0 - m_area.longitude() / 15.0;
    const double halfDay = halfDayHours(m_area.latitude(), dayOfYear(dayStartUtcMs));
    const qint64 noon = localDateUtcMs + qint64(solarNoonUtcHours * kHourMs);
    sky.sunrise = noon - qint64(halfDay * kHourMs);
    sky.sunset = noon + qint64(halfDay * kHourMs);
    // The moon rises about 50 minutes later each day of its age and stays up ~12.4 hours.
    sky.moonAgeDays = std::fmod((dayStartUtcMs - kNewMoonMs) / kDayMs, kSynodicMonthDays);
    sky.moonPhase = int(std::lround(sky.moonAgeDays / kSynodicMonthDays * 8)) % 8;
    sky.moonrise = sky.sunrise + qint64(sky.moonAgeDays * 50 * 60 * 1000) % kDayMs;
    sky.moonset = sky.moonrise + qint64(12.4 * kHourMs);
    return sky;
}

SandboxClimate::AirAndPollen SandboxClimate::airAndPollenAt(qint64 utcMs) const
{
    AirAndPollen air;
    air.airQuality = int(noise(utcMs, 7) * 80);
    air.grass = int(noise(utcMs, 8) * 30);
    air.mold = int(noise(utcMs, 9) * 200);
    air.ragweed = int(noise(utcMs, 10) * 10);
    air.tree = int(noise(utcMs, 11) * 40);
    return air;
}

double SandboxClimate::elevationMetres() const
{
    return std::round(double(mix(m_seed) % 900));
}

} // namespace isobar
