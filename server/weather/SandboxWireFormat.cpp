#include "SandboxWireFormat.h"

#include <QHash>
#include <cmath>

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
        {u"ft"_qs, 0},  {u"in"_qs, 1}, {u"mi"_qs, 2},   {u"mm"_qs, 3},    {u"cm"_qs, 4},
        {u"m"_qs, 5},   {u"km"_qs, 6}, {u"km/h"_qs, 7}, {u"mi/h"_qs, 9},  {u"inHg"_qs, 12},
        {u"mb"_qs, 14}, {u"C"_qs, 17}, {u"F"_qs, 18},   {u"W/m²"_qs, 33},
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
    return QStringLiteral("Isobar AccuWeather sandbox (not real weather)");
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
    return QJsonObject{{u"Value"_qs, value}, {u"Unit"_qs, unit}, {u"UnitType"_qs, unitType(unit)}};
}

QJsonObject withPhrase(QJsonObject object, const QString &phrase)
{
    object.insert(u"Phrase"_qs, phrase);
    return object;
}

QJsonObject metricAndImperial(const QJsonObject &metric, const QJsonObject &imperial)
{
    return QJsonObject{{u"Metric"_qs, metric}, {u"Imperial"_qs, imperial}};
}

QJsonObject temperatures(double celsius)
{
    return metricAndImperial(quantity(round1(celsius), u"C"_qs),
                             quantity(fahrenheit(celsius), u"F"_qs));
}

QJsonObject precipitation(double mm)
{
    return metricAndImperial(quantity(round1(mm), u"mm"_qs), quantity(inches(mm), u"in"_qs));
}

QJsonObject ForecastUnits::temperature(double celsius) const
{
    return metric ? quantity(round1(celsius), u"C"_qs) : quantity(fahrenheit(celsius), u"F"_qs);
}

QJsonObject ForecastUnits::speed(double kmh) const
{
    return metric ? quantity(round1(kmh), u"km/h"_qs) : quantity(milesPerHour(kmh), u"mi/h"_qs);
}

QJsonObject ForecastUnits::liquid(double mm) const
{
    return metric ? quantity(round1(mm), u"mm"_qs) : quantity(inches(mm), u"in"_qs);
}

QJsonObject ForecastUnits::snow(double waterMm) const
{
    return metric ? quantity(round1(waterMm), u"cm"_qs) : quantity(inches(waterMm * 10), u"in"_qs);
}

QJsonObject ForecastUnits::distance(double km) const
{
    return metric ? quantity(km, u"km"_qs) : quantity(miles(km), u"mi"_qs);
}

QJsonObject ForecastUnits::height(double metres) const
{
    return metric ? quantity(metres, u"m"_qs) : quantity(feet(metres), u"ft"_qs);
}

QString feelPhrase(double celsius)
{
    if (celsius < -5)
        return QStringLiteral("Very Cold");
    if (celsius < 3)
        return QStringLiteral("Cold");
    if (celsius < 10)
        return QStringLiteral("Chilly");
    if (celsius < 16)
        return QStringLiteral("Cool");
    if (celsius < 24)
        return QStringLiteral("Pleasant");
    if (celsius < 29)
        return QStringLiteral("Warm");
    if (celsius < 35)
        return QStringLiteral("Very Warm");
    return QStringLiteral("Hot");
}

QString uvText(int index)
{
    if (index <= 2)
        return QStringLiteral("Low");
    if (index <= 5)
        return QStringLiteral("Moderate");
    if (index <= 7)
        return QStringLiteral("High");
    if (index <= 10)
        return QStringLiteral("Very High");
    return QStringLiteral("Extreme");
}

int uvCategory(int index)
{
    return index <= 2 ? 1 : index <= 5 ? 2 : index <= 7 ? 3 : index <= 10 ? 4 : 5;
}

QString precipitationIntensity(double mmPerHour)
{
    if (mmPerHour < 2.5)
        return QStringLiteral("Light");
    if (mmPerHour < 7.6)
        return QStringLiteral("Moderate");
    return QStringLiteral("Heavy");
}

QJsonObject direction(int degrees)
{
    const QString point = compassPoint(degrees);
    return QJsonObject{{u"Degrees"_qs, degrees}, {u"Localized"_qs, point}, {u"English"_qs, point}};
}

Sky skyFor(int cloudCover, double precipitationMm, bool snow, bool daylight)
{
    if (precipitationMm > 0) {
        if (snow)
            return precipitationMm < 1 ? Sky{19, u"Flurries"_qs} : Sky{22, u"Snow"_qs};
        if (precipitationMm < 1)
            return daylight ? Sky{12, u"Showers"_qs} : Sky{40, u"Mostly cloudy w/ showers"_qs};
        return Sky{18, u"Rain"_qs};
    }
    if (cloudCover < 10)
        return daylight ? Sky{1, u"Sunny"_qs} : Sky{33, u"Clear"_qs};
    if (cloudCover < 30)
        return daylight ? Sky{2, u"Mostly sunny"_qs} : Sky{34, u"Mostly clear"_qs};
    if (cloudCover < 55)
        return daylight ? Sky{3, u"Partly sunny"_qs} : Sky{35, u"Partly cloudy"_qs};
    if (cloudCover < 70)
        return daylight ? Sky{4, u"Intermittent clouds"_qs} : Sky{36, u"Intermittent clouds"_qs};
    if (cloudCover < 85)
        return daylight ? Sky{6, u"Mostly cloudy"_qs} : Sky{38, u"Mostly cloudy"_qs};
    return Sky{7, u"Cloudy"_qs};
}
} // namespace isobar::sandbox
