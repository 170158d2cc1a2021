#include "SandboxWireFormat.h"

#include <QHash>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::sandbox {

namespace {

double round2(double value)
{
    return std::round(value * 100) / 100;
}

// AccuWeather's UnitType codes for the units the sandbox uses.
int unitType(const QString &unit)
{
    static const QHash<QString, int> types{
        {u"ft"_s, 0},  {u"in"_s, 1}, {u"mi"_s, 2},   {u"mm"_s, 3},    {u"cm"_s, 4},
        {u"m"_s, 5},   {u"km"_s, 6}, {u"km/h"_s, 7}, {u"mi/h"_s, 9},  {u"inHg"_s, 12},
        {u"mb"_s, 14}, {u"C"_s, 17}, {u"F"_s, 18},   {u"W/m²"_s, 33},
    };
    return types.value(unit, -1);
}

QString compassPoint(int degrees)
{
    static const char *const points[] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                         "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    return QString::fromLatin1(points[int(std::lround(degrees / 22.5)) % 16]);
}

} // namespace

QString sandboxName()
{
    return u"Isobar AccuWeather sandbox (not real weather)"_s;
}

double round1(double value)
{
    return std::round(value * 10) / 10;
}
double round3(double value)
{
    return std::round(value * 1000) / 1000;
}

double fahrenheit(double celsius)
{
    return std::round(celsius * 9 / 5 + 32);
}
double milesPerHour(double kmh)
{
    return round1(kmh / 1.609344);
}
double miles(double km)
{
    return std::round(km / 1.609344);
}
double inches(double mm)
{
    return round2(mm / 25.4);
}
double feet(double metres)
{
    return std::round(metres * 3.28084);
}
double inchesOfMercury(double mb)
{
    return round2(mb * 0.0295300);
}

QJsonObject quantity(double value, const QString &unit)
{
    return QJsonObject{{u"Value"_s, value}, {u"Unit"_s, unit}, {u"UnitType"_s, unitType(unit)}};
}

QJsonObject withPhrase(QJsonObject object, const QString &phrase)
{
    object.insert(u"Phrase"_s, phrase);
    return object;
}

QJsonObject metricAndImperial(const QJsonObject &metric, const QJsonObject &imperial)
{
    return QJsonObject{{u"Metric"_s, metric}, {u"Imperial"_s, imperial}};
}

QJsonObject temperatures(double celsius)
{
    return metricAndImperial(quantity(round1(celsius), u"C"_s),
                             quantity(fahrenheit(celsius), u"F"_s));
}

QJsonObject precipitation(double mm)
{
    return metricAndImperial(quantity(round1(mm), u"mm"_s), quantity(inches(mm), u"in"_s));
}

QJsonObject ForecastUnits::temperature(double celsius) const
{
    return metric ? quantity(round1(celsius), u"C"_s) : quantity(fahrenheit(celsius), u"F"_s);
}

QJsonObject ForecastUnits::speed(double kmh) const
{
    return metric ? quantity(round1(kmh), u"km/h"_s) : quantity(milesPerHour(kmh), u"mi/h"_s);
}

QJsonObject ForecastUnits::liquid(double mm) const
{
    return metric ? quantity(round1(mm), u"mm"_s) : quantity(inches(mm), u"in"_s);
}

QJsonObject ForecastUnits::snow(double waterMm) const
{
    return metric ? quantity(round1(waterMm), u"cm"_s) : quantity(inches(waterMm * 10), u"in"_s);
}

QJsonObject ForecastUnits::distance(double km) const
{
    return metric ? quantity(km, u"km"_s) : quantity(miles(km), u"mi"_s);
}

QJsonObject ForecastUnits::height(double metres) const
{
    return metric ? quantity(metres, u"m"_s) : quantity(feet(metres), u"ft"_s);
}

QString feelPhrase(double celsius)
{
    if (celsius < -5)
        return u"Very Cold"_s;
    if (celsius < 3)
        return u"Cold"_s;
    if (celsius < 10)
        return u"Chilly"_s;
    if (celsius < 16)
        return u"Cool"_s;
    if (celsius < 24)
        return u"Pleasant"_s;
    if (celsius < 29)
        return u"Warm"_s;
    if (celsius < 35)
        return u"Very Warm"_s;
    return u"Hot"_s;
}

QString uvText(int index)
{
    if (index <= 2)
        return u"Low"_s;
    if (index <= 5)
        return u"Moderate"_s;
    if (index <= 7)
        return u"High"_s;
    if (index <= 10)
        return u"Very High"_s;
    return u"Extreme"_s;
}

int uvCategory(int index)
{
    return index <= 2 ? 1 : index <= 5 ? 2 : index <= 7 ? 3 : index <= 10 ? 4 : 5;
}

QString precipitationIntensity(double mmPerHour)
{
    if (mmPerHour < 2.5)
        return u"Light"_s;
    if (mmPerHour < 7.6)
        return u"Moderate"_s;
    return u"Heavy"_s;
}

QJsonObject direction(int degrees)
{
    const QString point = compassPoint(degrees);
    return QJsonObject{{u"Degrees"_s, degrees}, {u"Localized"_s, point}, {u"English"_s, point}};
}

Sky skyFor(int cloudCover, double precipitationMm, bool snow, bool daylight)
{
    if (precipitationMm > 0) {
        if (snow)
            return precipitationMm < 1 ? Sky{19, u"Flurries"_s} : Sky{22, u"Snow"_s};
        if (precipitationMm < 1)
            return daylight ? Sky{12, u"Showers"_s} : Sky{40, u"Mostly cloudy w/ showers"_s};
        return Sky{18, u"Rain"_s};
    }
    if (cloudCover < 10)
        return daylight ? Sky{1, u"Sunny"_s} : Sky{33, u"Clear"_s};
    if (cloudCover < 30)
        return daylight ? Sky{2, u"Mostly sunny"_s} : Sky{34, u"Mostly clear"_s};
    if (cloudCover < 55)
        return daylight ? Sky{3, u"Partly sunny"_s} : Sky{35, u"Partly cloudy"_s};
    if (cloudCover < 70)
        return daylight ? Sky{4, u"Intermittent clouds"_s} : Sky{36, u"Intermittent clouds"_s};
    if (cloudCover < 85)
        return daylight ? Sky{6, u"Mostly cloudy"_s} : Sky{38, u"Mostly cloudy"_s};
    return Sky{7, u"Cloudy"_s};
}
} // namespace isobar::sandbox
