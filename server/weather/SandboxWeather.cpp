#include "SandboxWeather.h"

#include <QDateTime>
#include <QtMath>
#include <cmath>

namespace isobar {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kWeatherBlockMs = 3 * kHourMs; // how often the synthetic weather changes its mind
constexpr int kKeyColumnFactor = 10'000;        // key = row * factor + column
const QString kSandboxName = QStringLiteral("Isobar AccuWeather sandbox (not real weather)");

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
double round2(double value)
{
    return std::round(value * 100) / 100;
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

QString compassPoint(int degrees)
{
    static const char *const points[] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                         "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    return QString::fromLatin1(points[int(std::lround(degrees / 22.5)) % 16]);
}

QJsonObject direction(int degrees)
{
    const QString point = compassPoint(degrees);
    return QJsonObject{{u"Degrees"_qs, degrees}, {u"Localized"_qs, point}, {u"English"_qs, point}};
}

struct Sky {
    int icon;
    QString phrase;
};

// AccuWeather's icon numbers and phrases for the sky the model produced.
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

QString intensity(double mmPerHour)
{
    if (mmPerHour < 2.5)
        return QStringLiteral("Light");
    if (mmPerHour < 7.6)
        return QStringLiteral("Moderate");
    return QStringLiteral("Heavy");
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

SandboxArea SandboxArea::at(double latitude, double longitude)
{
    return SandboxArea(GridCell::locate(latitude, longitude, kSizeMetres));
}

std::optional<SandboxArea> SandboxArea::fromKey(const QString &key)
{
    bool ok = false;
    const qint64 number = key.toLongLong(&ok);
    if (!ok || number < 0 || key != QString::number(number))
        return std::nullopt;
    const int row = int(number / kKeyColumnFactor);
    const int column = int(number % kKeyColumnFactor);
    const double latitudeStep = kSizeMetres / 111'320.0;
    const double centreLatitude = -90.0 + (row + 0.5) * latitudeStep;
    if (centreLatitude > 90.0)
        return std::nullopt;
    // Locate the row first to learn how many columns it has, then the column's centre.
    const GridCell rowCell = GridCell::locate(centreLatitude, 0, kSizeMetres);
    if (rowCell.row != row || column >= rowCell.columnsInRow)
        return std::nullopt;
    const double width = 360.0 / rowCell.columnsInRow;
    return at(centreLatitude, -180.0 + (column + 0.5) * width);
}

QString SandboxArea::key() const
{
    return QString::number(qint64(m_cell.row) * kKeyColumnFactor + m_cell.column);
}

int SandboxArea::utcOffsetHours() const
{
    return qBound(-12, int(std::lround(longitude() / 15.0)), 12);
}

SandboxWeather::SandboxWeather(const SandboxArea &area)
    : m_area(area)
    , m_seed(mix(quint64(area.key().toLongLong())))
{}

double SandboxWeather::noise(qint64 utcMs, int channel) const
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

SandboxWeather::Conditions SandboxWeather::conditionsAt(qint64 utcMs) const
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

QString SandboxWeather::localTime(qint64 utcMs) const
{
    const int offset = m_area.utcOffsetHours();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs + offset * kHourMs, Qt::UTC);
    return local.toString(u"yyyy-MM-ddTHH:mm:ss"_qs)
           + QStringLiteral("%1%2:00")
                 .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                 .arg(std::abs(offset), 2, 10, QLatin1Char('0'));
}

QString SandboxWeather::link(const QString &page) const
{
    // A reserved domain: the links resolve nowhere, as a sandbox's should.
    return QStringLiteral("https://accuweather-sandbox.invalid/%1/%2").arg(page, m_area.key());
}

QJsonObject SandboxWeather::location() const
{
    const QString name = QStringLiteral("Sandbox %1,%2")
                             .arg(m_area.latitude(), 0, 'f', 2)
                             .arg(m_area.longitude(), 0, 'f', 2);
    const int offset = m_area.utcOffsetHours();
    // Etc/GMT zone names count the other way round: Etc/GMT-2 is two hours east of UTC.
    const QString zone = offset == 0 ? u"Etc/UTC"_qs
                                     : QStringLiteral("Etc/GMT%1%2")
                                           .arg(offset > 0 ? QLatin1Char('-') : QLatin1Char('+'))
                                           .arg(std::abs(offset));
    const double elevation = std::round(double(mix(m_seed) % 900));
    const QJsonObject sandboxArea{{u"ID"_qs, u"SBX"_qs},
                                  {u"LocalizedName"_qs, kSandboxName},
                                  {u"EnglishName"_qs, kSandboxName}};
    return QJsonObject{
        {u"Version"_qs, 1},
        {u"Key"_qs, m_area.key()},
        {u"Type"_qs, u"City"_qs},
        {u"Rank"_qs, 85},
        {u"LocalizedName"_qs, name},
        {u"EnglishName"_qs, name},
        {u"PrimaryPostalCode"_qs, u""_qs},
        {u"Region"_qs, sandboxArea},
        // ZZ is the ISO 3166 code for an unknown country: no real country is claimed.
        {u"Country"_qs, QJsonObject{{u"ID"_qs, u"ZZ"_qs},
                                    {u"LocalizedName"_qs, kSandboxName},
                                    {u"EnglishName"_qs, kSandboxName}}},
        {u"AdministrativeArea"_qs, QJsonObject{{u"ID"_qs, u"SBX"_qs},
                                               {u"LocalizedName"_qs, kSandboxName},
                                               {u"EnglishName"_qs, kSandboxName},
                                               {u"Level"_qs, 1},
                                               {u"LocalizedType"_qs, u"Sandbox area"_qs},
                                               {u"EnglishType"_qs, u"Sandbox area"_qs},
                                               {u"CountryID"_qs, u"ZZ"_qs}}},
        {u"TimeZone"_qs,
         QJsonObject{{u"Code"_qs, offset == 0
                                      ? u"UTC"_qs
                                      : QStringLiteral("UTC%1%2")
                                            .arg(offset > 0 ? QLatin1Char('+') : QLatin1Char('-'))
                                            .arg(std::abs(offset))},
                     {u"Name"_qs, zone},
                     {u"GmtOffset"_qs, double(offset)},
                     {u"IsDaylightSaving"_qs, false},
                     {u"NextOffsetChange"_qs, QJsonValue::Null}}},
        {u"GeoPosition"_qs,
         QJsonObject{{u"Latitude"_qs, round3(m_area.latitude())},
                     {u"Longitude"_qs, round3(m_area.longitude())},
                     {u"Elevation"_qs, metricAndImperial(quantity(elevation, u"m"_qs),
                                                         quantity(feet(elevation), u"ft"_qs))}}},
        {u"IsAlias"_qs, false},
        {u"SupplementalAdminAreas"_qs,
         QJsonArray{QJsonObject{
             {u"Level"_qs, 2}, {u"LocalizedName"_qs, name}, {u"EnglishName"_qs, name}}}},
        {u"DataSets"_qs, QJsonArray{}},
    };
}

QJsonObject SandboxWeather::currentConditions(qint64 nowMs, bool details) const
{
    // Stations report every few minutes; the latest report is the last whole ten minutes.
    const qint64 observedMs = nowMs - nowMs % (10 * 60 * 1000);
    const Conditions c = conditionsAt(observedMs);
    const Sky sky = skyFor(c.cloudCover, c.precipitationMm, c.snow(), c.isDaylight);
    const bool raining = c.precipitationMm > 0;
    QJsonObject o{
        {u"LocalObservationDateTime"_qs, localTime(observedMs)},
        {u"EpochTime"_qs, double(observedMs / 1000)},
        {u"WeatherText"_qs, sky.phrase},
        {u"WeatherIcon"_qs, sky.icon},
        {u"HasPrecipitation"_qs, raining},
        {u"PrecipitationType"_qs,
         raining ? QJsonValue(c.snow() ? u"Snow"_qs : u"Rain"_qs) : QJsonValue::Null},
        {u"IsDayTime"_qs, c.isDaylight},
        {u"Temperature"_qs, temperatures(c.temperatureC)},
        {u"MobileLink"_qs, link(u"current-weather"_qs)},
        {u"Link"_qs, link(u"current-weather"_qs)},
    };
    if (!details)
        return o;

    auto feels = [](double celsius) {
        return metricAndImperial(
            withPhrase(quantity(round1(celsius), u"C"_qs), feelPhrase(celsius)),
            withPhrase(quantity(fahrenheit(celsius), u"F"_qs), feelPhrase(celsius)));
    };
    auto speed = [](double kmh) {
        return metricAndImperial(quantity(kmh, u"km/h"_qs),
                                 quantity(milesPerHour(kmh), u"mi/h"_qs));
    };
    const Conditions yesterday = conditionsAt(observedMs - kDayMs);
    double minimum6 = c.temperatureC, maximum6 = c.temperatureC;
    double minimum12 = c.temperatureC, maximum12 = c.temperatureC;
    double minimum24 = c.temperatureC, maximum24 = c.temperatureC;
    double past3 = 0, past6 = 0, past9 = 0, past12 = 0, past18 = 0, past24 = 0;
    for (int hour = 0; hour < 24; ++hour) {
        const Conditions past = conditionsAt(observedMs - hour * kHourMs);
        const double t = past.temperatureC;
        if (hour < 6)
            minimum6 = qMin(minimum6, t), maximum6 = qMax(maximum6, t);
        if (hour < 12)
            minimum12 = qMin(minimum12, t), maximum12 = qMax(maximum12, t);
        minimum24 = qMin(minimum24, t), maximum24 = qMax(maximum24, t);
        past3 += hour < 3 ? past.precipitationMm : 0;
        past6 += hour < 6 ? past.precipitationMm : 0;
        past9 += hour < 9 ? past.precipitationMm : 0;
        past12 += hour < 12 ? past.precipitationMm : 0;
        past18 += hour < 18 ? past.precipitationMm : 0;
        past24 += past.precipitationMm;
    }
    auto range = [](double minimum, double maximum) {
        return QJsonObject{{u"Minimum"_qs, temperatures(minimum)},
                           {u"Maximum"_qs, temperatures(maximum)}};
    };
    const double ceilingMetres =
        c.cloudCover > 20 ? std::round(300 + (100 - c.cloudCover) * 90.0) : 12000;

    o.insert(u"RealFeelTemperature"_qs, feels(c.feelsLikeC));
    o.insert(u"RealFeelTemperatureShade"_qs, feels(c.feelsLikeC - (c.isDaylight ? 1.5 : 0)));
    o.insert(u"RelativeHumidity"_qs, c.humidity);
    o.insert(u"IndoorRelativeHumidity"_qs, qBound(30, c.humidity - 25, 60));
    o.insert(u"DewPoint"_qs, temperatures(c.dewPointC));
    o.insert(u"Wind"_qs, QJsonObject{{u"Direction"_qs, direction(c.windDegrees)},
                                     {u"Speed"_qs, speed(c.windKmh)}});
    o.insert(u"WindGust"_qs, QJsonObject{{u"Speed"_qs, speed(c.gustKmh)}});
    o.insert(u"UVIndex"_qs, c.uvIndex);
    o.insert(u"UVIndexText"_qs, uvText(c.uvIndex));
    o.insert(u"Visibility"_qs, metricAndImperial(quantity(c.visibilityKm, u"km"_qs),
                                                 quantity(miles(c.visibilityKm), u"mi"_qs)));
    o.insert(u"ObstructionsToVisibility"_qs, c.visibilityKm < 5 ? u"R"_qs : u""_qs);
    o.insert(u"CloudCover"_qs, c.cloudCover);
    o.insert(u"Ceiling"_qs, metricAndImperial(quantity(ceilingMetres, u"m"_qs),
                                              quantity(feet(ceilingMetres), u"ft"_qs)));
    o.insert(u"Pressure"_qs,
             metricAndImperial(quantity(c.pressureMb, u"mb"_qs),
                               quantity(inchesOfMercury(c.pressureMb), u"inHg"_qs)));
    const double tendency = c.pressureMb - conditionsAt(observedMs - 3 * kHourMs).pressureMb;
    o.insert(u"PressureTendency"_qs,
             tendency > 1 ? QJsonObject{{u"LocalizedText"_qs, u"Rising"_qs}, {u"Code"_qs, u"R"_qs}}
             : tendency < -1
                 ? QJsonObject{{u"LocalizedText"_qs, u"Falling"_qs}, {u"Code"_qs, u"F"_qs}}
                 : QJsonObject{{u"LocalizedText"_qs, u"Steady"_qs}, {u"Code"_qs, u"S"_qs}});
    o.insert(u"Past24HourTemperatureDeparture"_qs,
             metricAndImperial(
                 quantity(round1(c.temperatureC - yesterday.temperatureC), u"C"_qs),
                 quantity(std::round((c.temperatureC - yesterday.temperatureC) * 9 / 5), u"F"_qs)));
    o.insert(u"ApparentTemperature"_qs, temperatures(c.temperatureC + (c.humidity - 50) * 0.05));
    o.insert(u"WindChillTemperature"_qs, temperatures(qMin(c.temperatureC, c.feelsLikeC)));
    o.insert(u"WetBulbTemperature"_qs, temperatures((c.temperatureC + c.dewPointC) / 2));
    o.insert(u"Precip1hr"_qs, precipitation(c.precipitationMm));
    o.insert(u"PrecipitationSummary"_qs,
             QJsonObject{
                 {u"Precipitation"_qs, precipitation(c.precipitationMm)},
                 {u"PastHour"_qs, precipitation(c.precipitationMm)},
                 {u"Past3Hours"_qs, precipitation(past3)},
                 {u"Past6Hours"_qs, precipitation(past6)},
                 {u"Past9Hours"_qs, precipitation(past9)},
                 {u"Past12Hours"_qs, precipitation(past12)},
                 {u"Past18Hours"_qs, precipitation(past18)},
                 {u"Past24Hours"_qs, precipitation(past24)},
             });
    o.insert(u"TemperatureSummary"_qs, QJsonObject{
                                           {u"Past6HourRange"_qs, range(minimum6, maximum6)},
                                           {u"Past12HourRange"_qs, range(minimum12, maximum12)},
                                           {u"Past24HourRange"_qs, range(minimum24, maximum24)},
                                       });
    return o;
}

QJsonArray SandboxWeather::hourlyForecast(qint64 nowMs, bool metric, bool details) const
{
    QJsonArray hours;
    const qint64 firstHour = (nowMs / kHourMs + 1) * kHourMs;
    for (int i = 0; i < 12; ++i) {
        const qint64 at = firstHour + i * kHourMs;
        const Conditions c = conditionsAt(at);
        const Sky sky = skyFor(c.cloudCover, c.precipitationMm, c.snow(), c.isDaylight);
        auto temperature = [&](double celsius) {
            return metric ? quantity(round1(celsius), u"C"_qs)
                          : quantity(fahrenheit(celsius), u"F"_qs);
        };
        auto speed = [&](double kmh) {
            return metric ? quantity(kmh, u"km/h"_qs) : quantity(milesPerHour(kmh), u"mi/h"_qs);
        };
        auto liquid = [&](double mm) {
            return metric ? quantity(round1(mm), u"mm"_qs) : quantity(inches(mm), u"in"_qs);
        };
        QJsonObject hour{
            {u"DateTime"_qs, localTime(at)},
            {u"EpochDateTime"_qs, double(at / 1000)},
            {u"WeatherIcon"_qs, sky.icon},
            {u"IconPhrase"_qs, sky.phrase},
            {u"HasPrecipitation"_qs, c.precipitationMm > 0},
        };
        // Like the live service, the precipitation type and intensity exist only when it rains.
        if (c.precipitationMm > 0) {
            hour.insert(u"PrecipitationType"_qs, c.snow() ? u"Snow"_qs : u"Rain"_qs);
            hour.insert(u"PrecipitationIntensity"_qs, intensity(c.precipitationMm));
        }
        hour.insert(u"IsDaylight"_qs, c.isDaylight);
        hour.insert(u"Temperature"_qs, temperature(c.temperatureC));
        if (details) {
            hour.insert(u"RealFeelTemperature"_qs,
                        withPhrase(temperature(c.feelsLikeC), feelPhrase(c.feelsLikeC)));
            const double shade = c.feelsLikeC - (c.isDaylight ? 1.5 : 0);
            hour.insert(u"RealFeelTemperatureShade"_qs,
                        withPhrase(temperature(shade), feelPhrase(shade)));
            hour.insert(u"WetBulbTemperature"_qs, temperature((c.temperatureC + c.dewPointC) / 2));
            hour.insert(u"DewPoint"_qs, temperature(c.dewPointC));
            hour.insert(u"Wind"_qs, QJsonObject{{u"Speed"_qs, speed(c.windKmh)},
                                                {u"Direction"_qs, direction(c.windDegrees)}});
            hour.insert(u"WindGust"_qs, QJsonObject{{u"Speed"_qs, speed(c.gustKmh)}});
            hour.insert(u"RelativeHumidity"_qs, c.humidity);
            hour.insert(u"IndoorRelativeHumidity"_qs, qBound(30, c.humidity - 25, 60));
            hour.insert(u"Visibility"_qs, metric ? quantity(c.visibilityKm, u"km"_qs)
                                                 : quantity(miles(c.visibilityKm), u"mi"_qs));
            const double ceiling =
                c.cloudCover > 20 ? std::round(300 + (100 - c.cloudCover) * 90.0) : 12000;
            hour.insert(u"Ceiling"_qs,
                        metric ? quantity(ceiling, u"m"_qs) : quantity(feet(ceiling), u"ft"_qs));
            hour.insert(u"UVIndex"_qs, c.uvIndex);
            hour.insert(u"UVIndexText"_qs, uvText(c.uvIndex));
        }
        hour.insert(u"PrecipitationProbability"_qs, c.precipitationProbability);
        if (details) {
            const bool snow = c.snow();
            hour.insert(u"ThunderstormProbability"_qs, c.precipitationMm > 3 ? 20 : 0);
            hour.insert(u"RainProbability"_qs, snow ? 0 : c.precipitationProbability);
            hour.insert(u"SnowProbability"_qs, snow ? c.precipitationProbability : 0);
            hour.insert(u"IceProbability"_qs, 0);
            hour.insert(u"TotalLiquid"_qs, liquid(c.precipitationMm));
            hour.insert(u"Rain"_qs, liquid(snow ? 0 : c.precipitationMm));
            const double snowCm = snow ? c.precipitationMm : 0; // ~10 mm of snow per mm of water
            hour.insert(u"Snow"_qs, metric ? quantity(round1(snowCm), u"cm"_qs)
                                           : quantity(inches(snowCm * 10), u"in"_qs));
            hour.insert(u"Ice"_qs, liquid(0));
            hour.insert(u"CloudCover"_qs, c.cloudCover);
            hour.insert(u"Evapotranspiration"_qs,
                        liquid(c.isDaylight ? round1(0.1 + (100 - c.cloudCover) / 250.0) : 0));
            hour.insert(
                u"SolarIrradiance"_qs,
                quantity(std::round(qMax(0.0, std::sin(qDegreesToRadians(c.solarElevationDegrees)))
                                    * 1000 * (1 - 0.75 * c.cloudCover / 100.0)),
                         u"W/m²"_qs));
        }
        const QString page = QStringLiteral("hourly-weather-forecast");
        hour.insert(u"MobileLink"_qs, link(page));
        hour.insert(u"Link"_qs, link(page));
        hours.append(hour);
    }
    return hours;
}

QJsonObject SandboxWeather::dailyForecast(qint64 nowMs, bool metric, bool details) const
{
    const qint64 offsetMs = m_area.utcOffsetHours() * kHourMs;
    // A forecast day runs from 07:00 local time to 07:00 the next morning (day, then night).
    const qint64 localMidnight = (nowMs + offsetMs) / kDayMs * kDayMs - offsetMs;
    auto temperature = [&](double celsius) {
        return metric ? quantity(round1(celsius), u"C"_qs) : quantity(fahrenheit(celsius), u"F"_qs);
    };
    auto liquid = [&](double mm) {
        return metric ? quantity(round1(mm), u"mm"_qs) : quantity(inches(mm), u"in"_qs);
    };
    auto speed = [&](double kmh) {
        return metric ? quantity(round1(kmh), u"km/h"_qs) : quantity(milesPerHour(kmh), u"mi/h"_qs);
    };

    QJsonArray days;
    QString headline;
    qint64 headlineStart = 0;
    double headlineRain = 0;
    for (int d = 0; d < 5; ++d) {
        const qint64 start = localMidnight + d * kDayMs + 7 * kHourMs;
        QList<Conditions> hours;
        for (int h = 0; h < 24; ++h)
            hours << conditionsAt(start + h * kHourMs);
        double minimum = 1e9, maximum = -1e9, feelsMinimum = 1e9, feelsMaximum = -1e9, sunHours = 0;
        int uvMaximum = 0;
        for (const Conditions &c : hours) {
            minimum = qMin(minimum, c.temperatureC);
            maximum = qMax(maximum, c.temperatureC);
            feelsMinimum = qMin(feelsMinimum, c.feelsLikeC);
            feelsMaximum = qMax(feelsMaximum, c.feelsLikeC);
            uvMaximum = qMax(uvMaximum, c.uvIndex);
            if (c.isDaylight)
                sunHours += 1 - c.cloudCover / 100.0;
        }
        auto half = [&](int from, bool daylight) {
            double rain = 0, wind = 0, gust = 0, evaporation = 0, irradiance = 0;
            int cloud = 0, probability = 0, wet = 0, windDegrees = 0, gustDegrees = 0;
            bool snow = false;
            for (int h = from; h < from + 12; ++h) {
                const Conditions &c = hours[h];
                rain += c.precipitationMm;
                cloud += c.cloudCover;
                probability = qMax(probability, c.precipitationProbability);
                wet += c.precipitationMm > 0;
                snow = snow || (c.precipitationMm > 0 && c.snow());
                if (c.windKmh > wind)
                    wind = c.windKmh, windDegrees = c.windDegrees;
                if (c.gustKmh > gust)
                    gust = c.gustKmh, gustDegrees = c.windDegrees;
                evaporation += c.isDaylight ? 0.1 + (100 - c.cloudCover) / 250.0 : 0.02;
                irradiance += qMax(0.0, std::sin(qDegreesToRadians(c.solarElevationDegrees))) * 1000
                              * (1 - 0.75 * c.cloudCover / 100.0);
            }
            cloud /= 12;
            const Sky sky = skyFor(cloud, rain / 12, snow, daylight);
            const QString phrase =
                rain > 0 ? (snow ? u"Periods of snow"_qs : sky.phrase + u" with some rain"_qs)
                         : sky.phrase;
            QJsonObject o{
                {u"Icon"_qs, sky.icon},
                {u"IconPhrase"_qs, sky.phrase},
                {u"HasPrecipitation"_qs, rain > 0},
            };
            if (rain > 0) {
                o.insert(u"PrecipitationType"_qs, snow ? u"Snow"_qs : u"Rain"_qs);
                o.insert(u"PrecipitationIntensity"_qs, intensity(rain / qMax(1, wet)));
            }
            if (!details)
                return o;
            o.insert(u"ShortPhrase"_qs, phrase);
            o.insert(u"LongPhrase"_qs, QString(phrase + u" (sandbox forecast)"_qs));
            o.insert(u"PrecipitationProbability"_qs, probability);
            o.insert(u"ThunderstormProbability"_qs, rain > 10 ? 25 : 0);
            o.insert(u"RainProbability"_qs, snow ? 0 : probability);
            o.insert(u"SnowProbability"_qs, snow ? probability : 0);
            o.insert(u"IceProbability"_qs, 0);
            o.insert(u"Wind"_qs, QJsonObject{{u"Speed"_qs, speed(wind)},
                                             {u"Direction"_qs, direction(windDegrees)}});
            o.insert(u"WindGust"_qs, QJsonObject{{u"Speed"_qs, speed(gust)},
                                                 {u"Direction"_qs, direction(gustDegrees)}});
            o.insert(u"TotalLiquid"_qs, liquid(rain));
            o.insert(u"Rain"_qs, liquid(snow ? 0 : rain));
            o.insert(u"Snow"_qs, metric ? quantity(round1(snow ? rain : 0), u"cm"_qs)
                                        : quantity(inches(snow ? rain * 10 : 0), u"in"_qs));
            o.insert(u"Ice"_qs, liquid(0));
            o.insert(u"HoursOfPrecipitation"_qs, wet);
            o.insert(u"HoursOfRain"_qs, snow ? 0 : wet);
            o.insert(u"HoursOfSnow"_qs, snow ? wet : 0);
            o.insert(u"HoursOfIce"_qs, 0);
            o.insert(u"CloudCover"_qs, cloud);
            o.insert(u"Evapotranspiration"_qs, liquid(evaporation));
            o.insert(u"SolarIrradiance"_qs, quantity(round1(irradiance), u"W/m²"_qs));
            return o;
        };
        const QJsonObject dayHalf = half(0, true);
        const QJsonObject nightHalf = half(12, false);
        double dayRain = 0;
        for (const Conditions &c : hours)
            dayRain += c.precipitationMm;
        if (headline.isEmpty() && dayRain > 2) {
            headline = QStringLiteral("Sandbox forecast: rain expected on %1")
                           .arg(QDateTime::fromMSecsSinceEpoch(start + offsetMs, Qt::UTC)
                                    .toString(u"dddd"_qs));
            headlineStart = start;
            headlineRain = dayRain;
        }

        const QString page = QStringLiteral("daily-weather-forecast");
        QJsonObject day{
            {u"Date"_qs, localTime(start)},
            {u"EpochDate"_qs, double(start / 1000)},
        };
        if (details) {
            const int doy = dayOfYear(start);
            const double solarNoonUtcHours = 12.0 - m_area.longitude() / 15.0;
            const double halfDay = halfDayHours(m_area.latitude(), doy);
            // The UTC midnight of this local date, then solar noon from the longitude.
            const qint64 utcMidnight = localMidnight + d * kDayMs + offsetMs;
            const qint64 noon = utcMidnight + qint64(solarNoonUtcHours * kHourMs);
            const qint64 rise = noon - qint64(halfDay * kHourMs);
            const qint64 set = noon + qint64(halfDay * kHourMs);
            // Moon age in days since a known new moon (2000-01-06 18:14 UTC), synodic month 29.53
            // d.
            const double age = std::fmod((start - 947182440000.0) / kDayMs, 29.530588);
            static const char *const phases[] = {"NewMoon",       "WaxingCrescent", "First",
                                                 "WaxingGibbous", "Full",           "WaningGibbous",
                                                 "Last",          "WaningCrescent"};
            const QString phase = QString::fromLatin1(phases[int(age / 29.530588 * 8 + 0.5) % 8]);
            const qint64 moonRise = rise + qint64(age * 50 * 60 * 1000) % kDayMs;
            const qint64 moonSet = moonRise + qint64(12.4 * kHourMs);
            day.insert(u"Sun"_qs, QJsonObject{{u"Rise"_qs, localTime(rise)},
                                              {u"EpochRise"_qs, double(rise / 1000)},
                                              {u"Set"_qs, localTime(set)},
                                              {u"EpochSet"_qs, double(set / 1000)}});
            day.insert(u"Moon"_qs, QJsonObject{{u"Rise"_qs, localTime(moonRise)},
                                               {u"EpochRise"_qs, double(moonRise / 1000)},
                                               {u"Set"_qs, localTime(moonSet)},
                                               {u"EpochSet"_qs, double(moonSet / 1000)},
                                               {u"Phase"_qs, phase},
                                               {u"Age"_qs, int(age)}});
        }
        day.insert(u"Temperature"_qs, QJsonObject{{u"Minimum"_qs, temperature(minimum)},
                                                  {u"Maximum"_qs, temperature(maximum)}});
        if (details) {
            auto feels = [&](double celsius) {
                return withPhrase(temperature(celsius), feelPhrase(celsius));
            };
            day.insert(u"RealFeelTemperature"_qs,
                       QJsonObject{{u"Minimum"_qs, feels(feelsMinimum)},
                                   {u"Maximum"_qs, feels(feelsMaximum)}});
            day.insert(u"RealFeelTemperatureShade"_qs,
                       QJsonObject{{u"Minimum"_qs, feels(feelsMinimum)},
                                   {u"Maximum"_qs, feels(feelsMaximum - 1)}});
            day.insert(u"HoursOfSun"_qs, round1(sunHours));
            const double mean = (minimum + maximum) / 2;
            const double heating = metric ? std::round(qMax(0.0, 18 - mean))
                                          : std::round(qMax(0.0, 65 - fahrenheit(mean)));
            const double cooling = metric ? std::round(qMax(0.0, mean - 18))
                                          : std::round(qMax(0.0, fahrenheit(mean) - 65));
            const QString unit = metric ? u"C"_qs : u"F"_qs;
            day.insert(u"DegreeDaySummary"_qs,
                       QJsonObject{{u"Heating"_qs, quantity(heating, unit)},
                                   {u"Cooling"_qs, quantity(cooling, unit)}});
            auto pollen = [](const QString &name, int value) {
                const int category = value < 15 ? 1 : value < 90 ? 2 : 3;
                return QJsonObject{{u"Name"_qs, name},
                                   {u"Value"_qs, value},
                                   {u"Category"_qs, category == 1   ? u"Low"_qs
                                                    : category == 2 ? u"Moderate"_qs
                                                                    : u"High"_qs},
                                   {u"CategoryValue"_qs, category}};
            };
            const int airQuality = int(noise(start, 7) * 80);
            QJsonObject uv = pollen(u"UVIndex"_qs, uvMaximum);
            uv.insert(u"Category"_qs, uvText(uvMaximum));
            uv.insert(u"CategoryValue"_qs, uvMaximum <= 2    ? 1
                                           : uvMaximum <= 5  ? 2
                                           : uvMaximum <= 7  ? 3
                                           : uvMaximum <= 10 ? 4
                                                             : 5);
            day.insert(u"AirAndPollen"_qs,
                       QJsonArray{QJsonObject{{u"Name"_qs, u"AirQuality"_qs},
                                              {u"Value"_qs, airQuality},
                                              {u"Category"_qs,
                                               airQuality < 50 ? u"Good"_qs : u"Moderate"_qs},
                                              {u"CategoryValue"_qs, airQuality < 50 ? 1 : 2},
                                              {u"Type"_qs, u"Ozone"_qs}},
                                  pollen(u"Grass"_qs, int(noise(start, 8) * 30)),
                                  pollen(u"Mold"_qs, int(noise(start, 9) * 200)),
                                  pollen(u"Ragweed"_qs, int(noise(start, 10) * 10)),
                                  pollen(u"Tree"_qs, int(noise(start, 11) * 40)), uv});
        }
        day.insert(u"Day"_qs, dayHalf);
        day.insert(u"Night"_qs, nightHalf);
        day.insert(u"Sources"_qs, QJsonArray{kSandboxName});
        day.insert(u"MobileLink"_qs, link(page));
        day.insert(u"Link"_qs, link(page));
        days.append(day);
    }

    if (headline.isEmpty()) {
        headline = QStringLiteral("Sandbox forecast: no significant weather expected");
        headlineStart = localMidnight + 7 * kHourMs;
    }
    const qint64 headlineEnd = headlineStart + kDayMs;
    const QJsonObject headlineObject{
        {u"EffectiveDate"_qs, localTime(headlineStart)},
        {u"EffectiveEpochDate"_qs, double(headlineStart / 1000)},
        {u"Severity"_qs, headlineRain > 10  ? 3
                         : headlineRain > 0 ? 5
                                            : 7},
        {u"Text"_qs, headline},
        {u"Category"_qs, headlineRain > 0 ? u"rain"_qs : u""_qs},
        {u"EndDate"_qs, localTime(headlineEnd)},
        {u"EndEpochDate"_qs, double(headlineEnd / 1000)},
        {u"MobileLink"_qs, link(u"daily-weather-forecast"_qs)},
        {u"Link"_qs, link(u"daily-weather-forecast"_qs)},
    };
    return QJsonObject{{u"Headline"_qs, headlineObject}, {u"DailyForecasts"_qs, days}};
}

} // namespace isobar
