#include "SandboxWeather.h"

#include "Durations.h"
#include "SandboxWireFormat.h"

#include <QDateTime>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace isobar {

using namespace sandbox;

namespace {

constexpr int kForecastDays = 5;
constexpr int kForecastHours = 12;

using Conditions = SandboxClimate::Conditions;

QString localTime(const SandboxArea &area, qint64 utcMs)
{
    const int offset = area.utcOffsetHours();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs + offset * kHourMs, Qt::UTC);
    return local.toString(u"yyyy-MM-ddTHH:mm:ss"_s)
           + u"%1%2:00"_s.arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                 .arg(std::abs(offset), 2, 10, QLatin1Char('0'));
}

// AccuWeather's Epoch* fields: whole seconds, the milliseconds dropped.
double epochSeconds(qint64 utcMs)
{
    const qint64 seconds = utcMs / 1000;
    return double(seconds);
}

QString link(const SandboxArea &area, const QString &page)
{
    // A reserved domain: the links resolve nowhere, as a sandbox's should.
    return u"https://accuweather-sandbox.invalid/%1/%2"_s.arg(page, area.key());
}

void insertLinks(QJsonObject &document, const SandboxArea &area, const QString &page)
{
    document.insert(u"MobileLink"_s, link(area, page));
    document.insert(u"Link"_s, link(area, page));
}

// --- Current conditions ---

// Temperature ranges and rain totals over the day before an observation, which the detailed
// current conditions report.
struct PastDay {
    double minimum6, maximum6, minimum12, maximum12, minimum24, maximum24;
    double past3 = 0, past6 = 0, past9 = 0, past12 = 0, past18 = 0, past24 = 0;
};

PastDay summarisePastDay(const SandboxClimate &climate, const Conditions &now, qint64 observedMs)
{
    const double t0 = now.temperatureC;
    PastDay p{t0, t0, t0, t0, t0, t0};
    for (int hour = 0; hour < 24; ++hour) {
        const Conditions past = climate.conditionsAt(observedMs - hour * kHourMs);
        const double t = past.temperatureC;
        if (hour < 6)
            p.minimum6 = qMin(p.minimum6, t), p.maximum6 = qMax(p.maximum6, t);
        if (hour < 12)
            p.minimum12 = qMin(p.minimum12, t), p.maximum12 = qMax(p.maximum12, t);
        p.minimum24 = qMin(p.minimum24, t), p.maximum24 = qMax(p.maximum24, t);
        p.past3 += hour < 3 ? past.precipitationMm : 0;
        p.past6 += hour < 6 ? past.precipitationMm : 0;
        p.past9 += hour < 9 ? past.precipitationMm : 0;
        p.past12 += hour < 12 ? past.precipitationMm : 0;
        p.past18 += hour < 18 ? past.precipitationMm : 0;
        p.past24 += past.precipitationMm;
    }
    return p;
}

QJsonObject temperatureRange(double minimum, double maximum)
{
    return QJsonObject{{u"Minimum"_s, temperatures(minimum)},
                       {u"Maximum"_s, temperatures(maximum)}};
}

QJsonObject pressureTendency(double changeMb)
{
    if (changeMb > 1)
        return QJsonObject{{u"LocalizedText"_s, u"Rising"_s}, {u"Code"_s, u"R"_s}};
    if (changeMb < -1)
        return QJsonObject{{u"LocalizedText"_s, u"Falling"_s}, {u"Code"_s, u"F"_s}};
    return QJsonObject{{u"LocalizedText"_s, u"Steady"_s}, {u"Code"_s, u"S"_s}};
}

void insertCurrentDetails(QJsonObject &o, const SandboxClimate &climate, const Conditions &c,
                          qint64 observedMs)
{
    auto feels = [](double celsius) {
        return metricAndImperial(
            withPhrase(quantity(round1(celsius), u"C"_s), feelPhrase(celsius)),
            withPhrase(quantity(fahrenheit(celsius), u"F"_s), feelPhrase(celsius)));
    };
    auto speed = [](double kmh) {
        return metricAndImperial(quantity(kmh, u"km/h"_s), quantity(milesPerHour(kmh), u"mi/h"_s));
    };
    const Conditions yesterday = climate.conditionsAt(observedMs - kDayMs);
    const Conditions threeHoursAgo = climate.conditionsAt(observedMs - 3 * kHourMs);
    const PastDay past = summarisePastDay(climate, c, observedMs);
    const double ceilingMetres = c.cloudCeilingMetres();

    o.insert(u"RealFeelTemperature"_s, feels(c.feelsLikeC));
    o.insert(u"RealFeelTemperatureShade"_s, feels(c.feelsLikeC - (c.isDaylight ? 1.5 : 0)));
    o.insert(u"RelativeHumidity"_s, c.humidity);
    o.insert(u"IndoorRelativeHumidity"_s, qBound(30, c.humidity - 25, 60));
    o.insert(u"DewPoint"_s, temperatures(c.dewPointC));
    o.insert(u"Wind"_s, QJsonObject{{u"Direction"_s, direction(c.windDegrees)},
                                    {u"Speed"_s, speed(c.windKmh)}});
    o.insert(u"WindGust"_s, QJsonObject{{u"Speed"_s, speed(c.gustKmh)}});
    o.insert(u"UVIndex"_s, c.uvIndex);
    o.insert(u"UVIndexText"_s, uvText(c.uvIndex));
    o.insert(u"Visibility"_s, metricAndImperial(quantity(c.visibilityKm, u"km"_s),
                                                quantity(miles(c.visibilityKm), u"mi"_s)));
    o.insert(u"ObstructionsToVisibility"_s, c.visibilityKm < 5 ? u"R"_s : u""_s);
    o.insert(u"CloudCover"_s, c.cloudCover);
    o.insert(u"Ceiling"_s, metricAndImperial(quantity(ceilingMetres, u"m"_s),
                                             quantity(feet(ceilingMetres), u"ft"_s)));
    o.insert(u"Pressure"_s, metricAndImperial(quantity(c.pressureMb, u"mb"_s),
                                              quantity(inchesOfMercury(c.pressureMb), u"inHg"_s)));
    o.insert(u"PressureTendency"_s, pressureTendency(c.pressureMb - threeHoursAgo.pressureMb));
    o.insert(u"Past24HourTemperatureDeparture"_s,
             metricAndImperial(
                 quantity(round1(c.temperatureC - yesterday.temperatureC), u"C"_s),
                 quantity(std::round((c.temperatureC - yesterday.temperatureC) * 9 / 5), u"F"_s)));
    o.insert(u"ApparentTemperature"_s, temperatures(c.temperatureC + (c.humidity - 50) * 0.05));
    o.insert(u"WindChillTemperature"_s, temperatures(qMin(c.temperatureC, c.feelsLikeC)));
    o.insert(u"WetBulbTemperature"_s, temperatures((c.temperatureC + c.dewPointC) / 2));
    o.insert(u"Precip1hr"_s, precipitation(c.precipitationMm));
    o.insert(u"PrecipitationSummary"_s, QJsonObject{
                                            {u"Precipitation"_s, precipitation(c.precipitationMm)},
                                            {u"PastHour"_s, precipitation(c.precipitationMm)},
                                            {u"Past3Hours"_s, precipitation(past.past3)},
                                            {u"Past6Hours"_s, precipitation(past.past6)},
                                            {u"Past9Hours"_s, precipitation(past.past9)},
                                            {u"Past12Hours"_s, precipitation(past.past12)},
                                            {u"Past18Hours"_s, precipitation(past.past18)},
                                            {u"Past24Hours"_s, precipitation(past.past24)},
                                        });
    o.insert(u"TemperatureSummary"_s,
             QJsonObject{
                 {u"Past6HourRange"_s, temperatureRange(past.minimum6, past.maximum6)},
                 {u"Past12HourRange"_s, temperatureRange(past.minimum12, past.maximum12)},
                 {u"Past24HourRange"_s, temperatureRange(past.minimum24, past.maximum24)},
             });
}

// --- Hourly forecast ---

void insertHourlyDetails(QJsonObject &hour, const Conditions &c, const ForecastUnits &units)
{
    hour.insert(u"RealFeelTemperature"_s,
                withPhrase(units.temperature(c.feelsLikeC), feelPhrase(c.feelsLikeC)));
    const double shade = c.feelsLikeC - (c.isDaylight ? 1.5 : 0);
    hour.insert(u"RealFeelTemperatureShade"_s,
                withPhrase(units.temperature(shade), feelPhrase(shade)));
    hour.insert(u"WetBulbTemperature"_s, units.temperature((c.temperatureC + c.dewPointC) / 2));
    hour.insert(u"DewPoint"_s, units.temperature(c.dewPointC));
    hour.insert(u"Wind"_s, QJsonObject{{u"Speed"_s, units.speed(c.windKmh)},
                                       {u"Direction"_s, direction(c.windDegrees)}});
    hour.insert(u"WindGust"_s, QJsonObject{{u"Speed"_s, units.speed(c.gustKmh)}});
    hour.insert(u"RelativeHumidity"_s, c.humidity);
    hour.insert(u"IndoorRelativeHumidity"_s, qBound(30, c.humidity - 25, 60));
    hour.insert(u"Visibility"_s, units.distance(c.visibilityKm));
    hour.insert(u"Ceiling"_s, units.height(c.cloudCeilingMetres()));
    hour.insert(u"UVIndex"_s, c.uvIndex);
    hour.insert(u"UVIndexText"_s, uvText(c.uvIndex));

    const bool snow = c.snow();
    hour.insert(u"ThunderstormProbability"_s, c.precipitationMm > 3 ? 20 : 0);
    hour.insert(u"RainProbability"_s, snow ? 0 : c.precipitationProbability);
    hour.insert(u"SnowProbability"_s, snow ? c.precipitationProbability : 0);
    hour.insert(u"IceProbability"_s, 0);
    hour.insert(u"TotalLiquid"_s, units.liquid(c.precipitationMm));
    hour.insert(u"Rain"_s, units.liquid(snow ? 0 : c.precipitationMm));
    hour.insert(u"Snow"_s, units.snow(snow ? c.precipitationMm : 0));
    hour.insert(u"Ice"_s, units.liquid(0));
    hour.insert(u"CloudCover"_s, c.cloudCover);
    hour.insert(u"Evapotranspiration"_s,
                units.liquid(c.isDaylight ? round1(0.1 + (100 - c.cloudCover) / 250.0) : 0));
    hour.insert(u"SolarIrradiance"_s, quantity(std::round(c.solarIrradiance()), u"W/m²"_s));
}

// --- Daily forecast ---

// One day of the daily forecast: from 07:00 local time to 07:00 the next morning, the first
// twelve hours its day half, the last twelve its night half.
struct ForecastDay {
    qint64 localMidnightMs = 0; // the instant the local date begins
    qint64 startMs = 0;         // 07:00 local time
    QList<Conditions> hours;    // 24, one per hour from startMs
};

ForecastDay forecastDay(const SandboxClimate &climate, qint64 localMidnightMs)
{
    ForecastDay day;
    day.localMidnightMs = localMidnightMs;
    day.startMs = localMidnightMs + 7 * kHourMs;
    for (int h = 0; h < 24; ++h)
        day.hours << climate.conditionsAt(day.startMs + h * kHourMs);
    return day;
}

// What the whole day reports: its temperature range, sunshine and rain.
struct DaySummary {
    double minimumC = 1e9, maximumC = -1e9;
    double feelsMinimumC = 1e9, feelsMaximumC = -1e9;
    double sunHours = 0;
    double rainMm = 0;
    int uvMaximum = 0;
};

DaySummary summariseDay(const QList<Conditions> &hours)
{
    DaySummary s;
    for (const Conditions &c : hours) {
        s.minimumC = qMin(s.minimumC, c.temperatureC);
        s.maximumC = qMax(s.maximumC, c.temperatureC);
        s.feelsMinimumC = qMin(s.feelsMinimumC, c.feelsLikeC);
        s.feelsMaximumC = qMax(s.feelsMaximumC, c.feelsLikeC);
        s.uvMaximum = qMax(s.uvMaximum, c.uvIndex);
        if (c.isDaylight)
            s.sunHours += 1 - c.cloudCover / 100.0;
        s.rainMm += c.precipitationMm;
    }
    return s;
}

// What a day or night half reports over its twelve hours: totals, the strongest wind and gust
// (with their directions), the mean cloud cover.
struct HalfDaySummary {
    double rainMm = 0, windKmh = 0, gustKmh = 0, evapotranspirationMm = 0, irradiance = 0;
    int cloudCover = 0, probability = 0, wetHours = 0, windDegrees = 0, gustDegrees = 0;
    bool snow = false;
};

HalfDaySummary summariseHalfDay(const QList<Conditions> &hours, int from)
{
    HalfDaySummary s;
    for (int h = from; h < from + 12; ++h) {
        const Conditions &c = hours[h];
        s.rainMm += c.precipitationMm;
        s.cloudCover += c.cloudCover;
        s.probability = qMax(s.probability, c.precipitationProbability);
        s.wetHours += c.precipitationMm > 0;
        s.snow = s.snow || (c.precipitationMm > 0 && c.snow());
        if (c.windKmh > s.windKmh)
            s.windKmh = c.windKmh, s.windDegrees = c.windDegrees;
        if (c.gustKmh > s.gustKmh)
            s.gustKmh = c.gustKmh, s.gustDegrees = c.windDegrees;
        s.evapotranspirationMm += c.isDaylight ? 0.1 + (100 - c.cloudCover) / 250.0 : 0.02;
        s.irradiance += c.solarIrradiance();
    }
    s.cloudCover /= 12;
    return s;
}

QJsonObject halfDayDocument(const HalfDaySummary &s, bool daylight, const ForecastUnits &units,
                            bool details)
{
    const bool rain = s.rainMm > 0;
    const Sky sky = skyFor(s.cloudCover, s.rainMm / 12, s.snow, daylight);
    QJsonObject o{
        {u"Icon"_s, sky.icon},
        {u"IconPhrase"_s, sky.phrase},
        {u"HasPrecipitation"_s, rain},
    };
    if (rain) {
        o.insert(u"PrecipitationType"_s, s.snow ? u"Snow"_s : u"Rain"_s);
        o.insert(u"PrecipitationIntensity"_s,
                 precipitationIntensity(s.rainMm / qMax(1, s.wetHours)));
    }
    if (!details)
        return o;
    const QString phrase =
        rain ? (s.snow ? u"Periods of snow"_s : sky.phrase + u" with some rain"_s) : sky.phrase;
    o.insert(u"ShortPhrase"_s, phrase);
    o.insert(u"LongPhrase"_s, QString(phrase + u" (sandbox forecast)"_s));
    o.insert(u"PrecipitationProbability"_s, s.probability);
    o.insert(u"ThunderstormProbability"_s, s.rainMm > 10 ? 25 : 0);
    o.insert(u"RainProbability"_s, s.snow ? 0 : s.probability);
    o.insert(u"SnowProbability"_s, s.snow ? s.probability : 0);
    o.insert(u"IceProbability"_s, 0);
    o.insert(u"Wind"_s, QJsonObject{{u"Speed"_s, units.speed(s.windKmh)},
                                    {u"Direction"_s, direction(s.windDegrees)}});
    o.insert(u"WindGust"_s, QJsonObject{{u"Speed"_s, units.speed(s.gustKmh)},
                                        {u"Direction"_s, direction(s.gustDegrees)}});
    o.insert(u"TotalLiquid"_s, units.liquid(s.rainMm));
    o.insert(u"Rain"_s, units.liquid(s.snow ? 0 : s.rainMm));
    o.insert(u"Snow"_s, units.snow(s.snow ? s.rainMm : 0));
    o.insert(u"Ice"_s, units.liquid(0));
    o.insert(u"HoursOfPrecipitation"_s, s.wetHours);
    o.insert(u"HoursOfRain"_s, s.snow ? 0 : s.wetHours);
    o.insert(u"HoursOfSnow"_s, s.snow ? s.wetHours : 0);
    o.insert(u"HoursOfIce"_s, 0);
    o.insert(u"CloudCover"_s, s.cloudCover);
    o.insert(u"Evapotranspiration"_s, units.liquid(s.evapotranspirationMm));
    o.insert(u"SolarIrradiance"_s, quantity(round1(s.irradiance), u"W/m²"_s));
    return o;
}

QJsonObject riseAndSet(const SandboxArea &area, qint64 riseMs, qint64 setMs)
{
    return QJsonObject{{u"Rise"_s, localTime(area, riseMs)},
                       {u"EpochRise"_s, epochSeconds(riseMs)},
                       {u"Set"_s, localTime(area, setMs)},
                       {u"EpochSet"_s, epochSeconds(setMs)}};
}

QJsonObject moonDocument(const SandboxArea &area, const SandboxClimate::SunAndMoon &sky)
{
    static const char *const phases[] = {"NewMoon", "WaxingCrescent", "First", "WaxingGibbous",
                                         "Full",    "WaningGibbous",  "Last",  "WaningCrescent"};
    QJsonObject moon = riseAndSet(area, sky.moonrise, sky.moonset);
    moon.insert(u"Phase"_s, QString::fromLatin1(phases[sky.moonPhase]));
    moon.insert(u"Age"_s, int(sky.moonAgeDays));
    return moon;
}

QJsonObject realFeelRange(const ForecastUnits &units, double minimumC, double maximumC)
{
    auto feels = [&](double celsius) {
        return withPhrase(units.temperature(celsius), feelPhrase(celsius));
    };
    return QJsonObject{{u"Minimum"_s, feels(minimumC)}, {u"Maximum"_s, feels(maximumC)}};
}

// Heating and cooling degree days against 18 °C, or 65 °F in imperial units.
QJsonObject degreeDays(const ForecastUnits &units, double meanC)
{
    const double heating = units.metric ? std::round(qMax(0.0, 18 - meanC))
                                        : std::round(qMax(0.0, 65 - fahrenheit(meanC)));
    const double cooling = units.metric ? std::round(qMax(0.0, meanC - 18))
                                        : std::round(qMax(0.0, fahrenheit(meanC) - 65));
    return QJsonObject{{u"Heating"_s, quantity(heating, units.degreeUnit())},
                       {u"Cooling"_s, quantity(cooling, units.degreeUnit())}};
}

QJsonObject pollenLevel(const QString &name, int value)
{
    const int category = value < 15 ? 1 : value < 90 ? 2 : 3;
    return QJsonObject{{u"Name"_s, name},
                       {u"Value"_s, value},
                       {u"Category"_s, category == 1   ? u"Low"_s
                                       : category == 2 ? u"Moderate"_s
                                                       : u"High"_s},
                       {u"CategoryValue"_s, category}};
}

QJsonArray airAndPollenDocument(const SandboxClimate::AirAndPollen &air, int uvMaximum)
{
    const QJsonObject airQuality{
        {u"Name"_s, u"AirQuality"_s},
        {u"Value"_s, air.airQuality},
        {u"Category"_s, air.airQuality < 50 ? u"Good"_s : u"Moderate"_s},
        {u"CategoryValue"_s, air.airQuality < 50 ? 1 : 2},
        {u"Type"_s, u"Ozone"_s},
    };
    const QJsonObject uv{{u"Name"_s, u"UVIndex"_s},
                         {u"Value"_s, uvMaximum},
                         {u"Category"_s, uvText(uvMaximum)},
                         {u"CategoryValue"_s, uvCategory(uvMaximum)}};
    return QJsonArray{airQuality,
                      pollenLevel(u"Grass"_s, air.grass),
                      pollenLevel(u"Mold"_s, air.mold),
                      pollenLevel(u"Ragweed"_s, air.ragweed),
                      pollenLevel(u"Tree"_s, air.tree),
                      uv};
}

void insertDayDetails(QJsonObject &o, const SandboxArea &area, const SandboxClimate &climate,
                      const ForecastDay &day, const DaySummary &s, const ForecastUnits &units)
{
    // Sun and moon belong to the local date, read as UTC from its midnight.
    const qint64 localDateUtcMs = day.localMidnightMs + area.utcOffsetHours() * kHourMs;
    const SandboxClimate::SunAndMoon sky = climate.sunAndMoon(localDateUtcMs, day.startMs);
    o.insert(u"Sun"_s, riseAndSet(area, sky.sunrise, sky.sunset));
    o.insert(u"Moon"_s, moonDocument(area, sky));
    o.insert(u"RealFeelTemperature"_s, realFeelRange(units, s.feelsMinimumC, s.feelsMaximumC));
    o.insert(u"RealFeelTemperatureShade"_s,
             realFeelRange(units, s.feelsMinimumC, s.feelsMaximumC - 1));
    o.insert(u"HoursOfSun"_s, round1(s.sunHours));
    o.insert(u"DegreeDaySummary"_s, degreeDays(units, (s.minimumC + s.maximumC) / 2));
    o.insert(u"AirAndPollen"_s,
             airAndPollenDocument(climate.airAndPollenAt(day.startMs), s.uvMaximum));
}

QJsonObject dayDocument(const SandboxArea &area, const SandboxClimate &climate,
                        const ForecastDay &day, const ForecastUnits &units, bool details)
{
    const DaySummary summary = summariseDay(day.hours);
    QJsonObject o{
        {u"Date"_s, localTime(area, day.startMs)},
        {u"EpochDate"_s, epochSeconds(day.startMs)},
        {u"Temperature"_s, QJsonObject{{u"Minimum"_s, units.temperature(summary.minimumC)},
                                       {u"Maximum"_s, units.temperature(summary.maximumC)}}},
        {u"Day"_s, halfDayDocument(summariseHalfDay(day.hours, 0), true, units, details)},
        {u"Night"_s, halfDayDocument(summariseHalfDay(day.hours, 12), false, units, details)},
        {u"Sources"_s, QJsonArray{sandboxName()}},
    };
    if (details)
        insertDayDetails(o, area, climate, day, summary, units);
    insertLinks(o, area, u"daily-weather-forecast"_s);
    return o;
}

// The forecast's headline names the first day with more than 2 mm of rain, if any.
struct RainyDay {
    qint64 startMs = 0;
    double rainMm = 0;
};

QJsonObject headlineDocument(const SandboxArea &area, const std::optional<RainyDay> &rainy,
                             qint64 firstDayStartMs)
{
    const qint64 offsetMs = area.utcOffsetHours() * kHourMs;
    const qint64 start = rainy ? rainy->startMs : firstDayStartMs;
    const double rain = rainy ? rainy->rainMm : 0;
    const QString text =
        rainy ? u"Sandbox forecast: rain expected on %1"_s.arg(
            QDateTime::fromMSecsSinceEpoch(start + offsetMs, Qt::UTC).toString(u"dddd"_s))
              : u"Sandbox forecast: no significant weather expected"_s;
    const qint64 end = start + kDayMs;
    QJsonObject o{
        {u"EffectiveDate"_s, localTime(area, start)},
        {u"EffectiveEpochDate"_s, epochSeconds(start)},
        {u"Severity"_s, rain > 10  ? 3
                        : rain > 0 ? 5
                                   : 7},
        {u"Text"_s, text},
        {u"Category"_s, rain > 0 ? u"rain"_s : u""_s},
        {u"EndDate"_s, localTime(area, end)},
        {u"EndEpochDate"_s, epochSeconds(end)},
    };
    insertLinks(o, area, u"daily-weather-forecast"_s);
    return o;
}

} // namespace

SandboxWeather::SandboxWeather(const SandboxArea &area)
    : m_area(area)
    , m_climate(area)
{}

QJsonObject SandboxWeather::location() const
{
    const QString name =
        u"Sandbox %1,%2"_s.arg(m_area.latitude(), 0, 'f', 2).arg(m_area.longitude(), 0, 'f', 2);
    const int offset = m_area.utcOffsetHours();
    // Etc/GMT zone names count the other way round: Etc/GMT-2 is two hours east of UTC.
    const QString zone =
        offset == 0 ? u"Etc/UTC"_s
                    : u"Etc/GMT%1%2"_s.arg(offset > 0 ? QLatin1Char('-') : QLatin1Char('+'))
                          .arg(std::abs(offset));
    const double elevation = m_climate.elevationMetres();
    const QJsonObject sandboxArea{{u"ID"_s, u"SBX"_s},
                                  {u"LocalizedName"_s, sandboxName()},
                                  {u"EnglishName"_s, sandboxName()}};
    return QJsonObject{
        {u"Version"_s, 1},
        {u"Key"_s, m_area.key()},
        {u"Type"_s, u"City"_s},
        {u"Rank"_s, 85},
        {u"LocalizedName"_s, name},
        {u"EnglishName"_s, name},
        {u"PrimaryPostalCode"_s, u""_s},
        {u"Region"_s, sandboxArea},
        // ZZ is the ISO 3166 code for an unknown country: no real country is claimed.
        {u"Country"_s, QJsonObject{{u"ID"_s, u"ZZ"_s},
                                   {u"LocalizedName"_s, sandboxName()},
                                   {u"EnglishName"_s, sandboxName()}}},
        {u"AdministrativeArea"_s, QJsonObject{{u"ID"_s, u"SBX"_s},
                                              {u"LocalizedName"_s, sandboxName()},
                                              {u"EnglishName"_s, sandboxName()},
                                              {u"Level"_s, 1},
                                              {u"LocalizedType"_s, u"Sandbox area"_s},
                                              {u"EnglishType"_s, u"Sandbox area"_s},
                                              {u"CountryID"_s, u"ZZ"_s}}},
        {u"TimeZone"_s,
         QJsonObject{
             {u"Code"_s, offset == 0
                             ? u"UTC"_s
                             : u"UTC%1%2"_s.arg(offset > 0 ? QLatin1Char('+') : QLatin1Char('-'))
                                   .arg(std::abs(offset))},
             {u"Name"_s, zone},
             {u"GmtOffset"_s, double(offset)},
             {u"IsDaylightSaving"_s, false},
             {u"NextOffsetChange"_s, QJsonValue::Null}}},
        {u"GeoPosition"_s,
         QJsonObject{{u"Latitude"_s, round3(m_area.latitude())},
                     {u"Longitude"_s, round3(m_area.longitude())},
                     {u"Elevation"_s, metricAndImperial(quantity(elevation, u"m"_s),
                                                        quantity(feet(elevation), u"ft"_s))}}},
        {u"IsAlias"_s, false},
        {u"SupplementalAdminAreas"_s,
         QJsonArray{
             QJsonObject{{u"Level"_s, 2}, {u"LocalizedName"_s, name}, {u"EnglishName"_s, name}}}},
        {u"DataSets"_s, QJsonArray{}},
    };
}

QJsonObject SandboxWeather::currentConditions(qint64 nowMs, bool details) const
{
    // Stations report every few minutes; the latest report is the last whole ten minutes.
    const qint64 observedMs = nowMs - nowMs % (qint64{10} * 60 * 1000);
    const Conditions c = m_climate.conditionsAt(observedMs);
    const Sky sky = skyFor(c.cloudCover, c.precipitationMm, c.snow(), c.isDaylight);
    const bool raining = c.precipitationMm > 0;
    QJsonObject o{
        {u"LocalObservationDateTime"_s, localTime(m_area, observedMs)},
        {u"EpochTime"_s, epochSeconds(observedMs)},
        {u"WeatherText"_s, sky.phrase},
        {u"WeatherIcon"_s, sky.icon},
        {u"HasPrecipitation"_s, raining},
        {u"PrecipitationType"_s,
         raining ? QJsonValue(c.snow() ? u"Snow"_s : u"Rain"_s) : QJsonValue::Null},
        {u"IsDayTime"_s, c.isDaylight},
        {u"Temperature"_s, temperatures(c.temperatureC)},
    };
    insertLinks(o, m_area, u"current-weather"_s);
    if (details)
        insertCurrentDetails(o, m_climate, c, observedMs);
    return o;
}

QJsonArray SandboxWeather::hourlyForecast(qint64 nowMs, bool metric, bool details) const
{
    const ForecastUnits units{metric};
    QJsonArray hours;
    const qint64 firstHour = (nowMs / kHourMs + 1) * kHourMs;
    for (int i = 0; i < kForecastHours; ++i) {
        const qint64 at = firstHour + i * kHourMs;
        const Conditions c = m_climate.conditionsAt(at);
        const Sky sky = skyFor(c.cloudCover, c.precipitationMm, c.snow(), c.isDaylight);
        QJsonObject hour{
            {u"DateTime"_s, localTime(m_area, at)},
            {u"EpochDateTime"_s, epochSeconds(at)},
            {u"WeatherIcon"_s, sky.icon},
            {u"IconPhrase"_s, sky.phrase},
            {u"HasPrecipitation"_s, c.precipitationMm > 0},
            {u"IsDaylight"_s, c.isDaylight},
            {u"Temperature"_s, units.temperature(c.temperatureC)},
            {u"PrecipitationProbability"_s, c.precipitationProbability},
        };
        // Like the live service, the precipitation type and intensity exist only when it rains.
        if (c.precipitationMm > 0) {
            hour.insert(u"PrecipitationType"_s, c.snow() ? u"Snow"_s : u"Rain"_s);
            hour.insert(u"PrecipitationIntensity"_s, precipitationIntensity(c.precipitationMm));
        }
        if (details)
            insertHourlyDetails(hour, c, units);
        insertLinks(hour, m_area, u"hourly-weather-forecast"_s);
        hours.append(hour);
    }
    return hours;
}

QJsonObject SandboxWeather::dailyForecast(qint64 nowMs, bool metric, bool details) const
{
    const ForecastUnits units{metric};
    const qint64 offsetMs = m_area.utcOffsetHours() * kHourMs;
    const qint64 localMidnight = (nowMs + offsetMs) / kDayMs * kDayMs - offsetMs;
    QJsonArray days;
    std::optional<RainyDay> firstRainyDay;
    for (int d = 0; d < kForecastDays; ++d) {
        const ForecastDay day = forecastDay(m_climate, localMidnight + d * kDayMs);
        days.append(dayDocument(m_area, m_climate, day, units, details));
        const double rainMm = summariseDay(day.hours).rainMm;
        if (!firstRainyDay && rainMm > 2)
            firstRainyDay = RainyDay{day.startMs, rainMm};
    }
    return QJsonObject{
        {u"Headline"_s, headlineDocument(m_area, firstRainyDay, localMidnight + 7 * kHourMs)},
        {u"DailyForecasts"_s, days},
    };
}

} // namespace isobar
