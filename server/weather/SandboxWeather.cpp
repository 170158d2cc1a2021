#include "SandboxWeather.h"

#include "SandboxWireFormat.h"

#include <QDateTime>
#include <cmath>
#include <optional>

namespace isobar {

using namespace sandbox;

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr int kForecastDays = 5;
constexpr int kForecastHours = 12;

using Conditions = SandboxClimate::Conditions;

QString localTime(const SandboxArea &area, qint64 utcMs)
{
    const int offset = area.utcOffsetHours();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs + offset * kHourMs, Qt::UTC);
    return local.toString(u"yyyy-MM-ddTHH:mm:ss"_qs)
           + QStringLiteral("%1%2:00")
                 .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                 .arg(std::abs(offset), 2, 10, QLatin1Char('0'));
}

QString link(const SandboxArea &area, const QString &page)
{
    // A reserved domain: the links resolve nowhere, as a sandbox's should.
    return QStringLiteral("https://accuweather-sandbox.invalid/%1/%2").arg(page, area.key());
}

void insertLinks(QJsonObject &document, const SandboxArea &area, const QString &page)
{
    document.insert(u"MobileLink"_qs, link(area, page));
    document.insert(u"Link"_qs, link(area, page));
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
    return QJsonObject{{u"Minimum"_qs, temperatures(minimum)},
                       {u"Maximum"_qs, temperatures(maximum)}};
}

QJsonObject pressureTendency(double changeMb)
{
    if (changeMb > 1)
        return QJsonObject{{u"LocalizedText"_qs, u"Rising"_qs}, {u"Code"_qs, u"R"_qs}};
    if (changeMb < -1)
        return QJsonObject{{u"LocalizedText"_qs, u"Falling"_qs}, {u"Code"_qs, u"F"_qs}};
    return QJsonObject{{u"LocalizedText"_qs, u"Steady"_qs}, {u"Code"_qs, u"S"_qs}};
}

void insertCurrentDetails(QJsonObject &o, const SandboxClimate &climate, const Conditions &c,
                          qint64 observedMs)
{
    auto feels = [](double celsius) {
        return metricAndImperial(
            withPhrase(quantity(round1(celsius), u"C"_qs), feelPhrase(celsius)),
            withPhrase(quantity(fahrenheit(celsius), u"F"_qs), feelPhrase(celsius)));
    };
    auto speed = [](double kmh) {
        return metricAndImperial(quantity(kmh, u"km/h"_qs),
                                 quantity(milesPerHour(kmh), u"mi/h"_qs));
    };
    const Conditions yesterday = climate.conditionsAt(observedMs - kDayMs);
    const Conditions threeHoursAgo = climate.conditionsAt(observedMs - 3 * kHourMs);
    const PastDay past = summarisePastDay(climate, c, observedMs);
    const double ceilingMetres = c.cloudCeilingMetres();

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
    o.insert(u"PressureTendency"_qs, pressureTendency(c.pressureMb - threeHoursAgo.pressureMb));
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
                 {u"Past3Hours"_qs, precipitation(past.past3)},
                 {u"Past6Hours"_qs, precipitation(past.past6)},
                 {u"Past9Hours"_qs, precipitation(past.past9)},
                 {u"Past12Hours"_qs, precipitation(past.past12)},
                 {u"Past18Hours"_qs, precipitation(past.past18)},
                 {u"Past24Hours"_qs, precipitation(past.past24)},
             });
    o.insert(u"TemperatureSummary"_qs,
             QJsonObject{
                 {u"Past6HourRange"_qs, temperatureRange(past.minimum6, past.maximum6)},
                 {u"Past12HourRange"_qs, temperatureRange(past.minimum12, past.maximum12)},
                 {u"Past24HourRange"_qs, temperatureRange(past.minimum24, past.maximum24)},
             });
}

// --- Hourly forecast ---

void insertHourlyDetails(QJsonObject &hour, const Conditions &c, const ForecastUnits &units)
{
    hour.insert(u"RealFeelTemperature"_qs,
                withPhrase(units.temperature(c.feelsLikeC), feelPhrase(c.feelsLikeC)));
    const double shade = c.feelsLikeC - (c.isDaylight ? 1.5 : 0);
    hour.insert(u"RealFeelTemperatureShade"_qs,
                withPhrase(units.temperature(shade), feelPhrase(shade)));
    hour.insert(u"WetBulbTemperature"_qs, units.temperature((c.temperatureC + c.dewPointC) / 2));
    hour.insert(u"DewPoint"_qs, units.temperature(c.dewPointC));
    hour.insert(u"Wind"_qs, QJsonObject{{u"Speed"_qs, units.speed(c.windKmh)},
                                        {u"Direction"_qs, direction(c.windDegrees)}});
    hour.insert(u"WindGust"_qs, QJsonObject{{u"Speed"_qs, units.speed(c.gustKmh)}});
    hour.insert(u"RelativeHumidity"_qs, c.humidity);
    hour.insert(u"IndoorRelativeHumidity"_qs, qBound(30, c.humidity - 25, 60));
    hour.insert(u"Visibility"_qs, units.distance(c.visibilityKm));
    hour.insert(u"Ceiling"_qs, units.height(c.cloudCeilingMetres()));
    hour.insert(u"UVIndex"_qs, c.uvIndex);
    hour.insert(u"UVIndexText"_qs, uvText(c.uvIndex));

    const bool snow = c.snow();
    hour.insert(u"ThunderstormProbability"_qs, c.precipitationMm > 3 ? 20 : 0);
    hour.insert(u"RainProbability"_qs, snow ? 0 : c.precipitationProbability);
    hour.insert(u"SnowProbability"_qs, snow ? c.precipitationProbability : 0);
    hour.insert(u"IceProbability"_qs, 0);
    hour.insert(u"TotalLiquid"_qs, units.liquid(c.precipitationMm));
    hour.insert(u"Rain"_qs, units.liquid(snow ? 0 : c.precipitationMm));
    hour.insert(u"Snow"_qs, units.snow(snow ? c.precipitationMm : 0));
    hour.insert(u"Ice"_qs, units.liquid(0));
    hour.insert(u"CloudCover"_qs, c.cloudCover);
    hour.insert(u"Evapotranspiration"_qs,
                units.liquid(c.isDaylight ? round1(0.1 + (100 - c.cloudCover) / 250.0) : 0));
    hour.insert(u"SolarIrradiance"_qs, quantity(std::round(c.solarIrradiance()), u"W/m²"_qs));
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
        {u"Icon"_qs, sky.icon},
        {u"IconPhrase"_qs, sky.phrase},
        {u"HasPrecipitation"_qs, rain},
    };
    if (rain) {
        o.insert(u"PrecipitationType"_qs, s.snow ? u"Snow"_qs : u"Rain"_qs);
        o.insert(u"PrecipitationIntensity"_qs,
                 precipitationIntensity(s.rainMm / qMax(1, s.wetHours)));
    }
    if (!details)
        return o;
    const QString phrase =
        rain ? (s.snow ? u"Periods of snow"_qs : sky.phrase + u" with some rain"_qs) : sky.phrase;
    o.insert(u"ShortPhrase"_qs, phrase);
    o.insert(u"LongPhrase"_qs, QString(phrase + u" (sandbox forecast)"_qs));
    o.insert(u"PrecipitationProbability"_qs, s.probability);
    o.insert(u"ThunderstormProbability"_qs, s.rainMm > 10 ? 25 : 0);
    o.insert(u"RainProbability"_qs, s.snow ? 0 : s.probability);
    o.insert(u"SnowProbability"_qs, s.snow ? s.probability : 0);
    o.insert(u"IceProbability"_qs, 0);
    o.insert(u"Wind"_qs, QJsonObject{{u"Speed"_qs, units.speed(s.windKmh)},
                                     {u"Direction"_qs, direction(s.windDegrees)}});
    o.insert(u"WindGust"_qs, QJsonObject{{u"Speed"_qs, units.speed(s.gustKmh)},
                                         {u"Direction"_qs, direction(s.gustDegrees)}});
    o.insert(u"TotalLiquid"_qs, units.liquid(s.rainMm));
    o.insert(u"Rain"_qs, units.liquid(s.snow ? 0 : s.rainMm));
    o.insert(u"Snow"_qs, units.snow(s.snow ? s.rainMm : 0));
    o.insert(u"Ice"_qs, units.liquid(0));
    o.insert(u"HoursOfPrecipitation"_qs, s.wetHours);
    o.insert(u"HoursOfRain"_qs, s.snow ? 0 : s.wetHours);
    o.insert(u"HoursOfSnow"_qs, s.snow ? s.wetHours : 0);
    o.insert(u"HoursOfIce"_qs, 0);
    o.insert(u"CloudCover"_qs, s.cloudCover);
    o.insert(u"Evapotranspiration"_qs, units.liquid(s.evapotranspirationMm));
    o.insert(u"SolarIrradiance"_qs, quantity(round1(s.irradiance), u"W/m²"_qs));
    return o;
}

QJsonObject riseAndSet(const SandboxArea &area, qint64 riseMs, qint64 setMs)
{
    return QJsonObject{{u"Rise"_qs, localTime(area, riseMs)},
                       {u"EpochRise"_qs, double(riseMs / 1000)},
                       {u"Set"_qs, localTime(area, setMs)},
                       {u"EpochSet"_qs, double(setMs / 1000)}};
}

QJsonObject moonDocument(const SandboxArea &area, const SandboxClimate::SunAndMoon &sky)
{
    static const char *const phases[] = {"NewMoon", "WaxingCrescent", "First", "WaxingGibbous",
                                         "Full",    "WaningGibbous",  "Last",  "WaningCrescent"};
    QJsonObject moon = riseAndSet(area, sky.moonrise, sky.moonset);
    moon.insert(u"Phase"_qs, QString::fromLatin1(phases[sky.moonPhase]));
    moon.insert(u"Age"_qs, int(sky.moonAgeDays));
    return moon;
}

QJsonObject realFeelRange(const ForecastUnits &units, double minimumC, double maximumC)
{
    auto feels = [&](double celsius) {
        return withPhrase(units.temperature(celsius), feelPhrase(celsius));
    };
    return QJsonObject{{u"Minimum"_qs, feels(minimumC)}, {u"Maximum"_qs, feels(maximumC)}};
}

// Heating and cooling degree days against 18 °C, or 65 °F in imperial units.
QJsonObject degreeDays(const ForecastUnits &units, double meanC)
{
    const double heating = units.metric ? std::round(qMax(0.0, 18 - meanC))
                                        : std::round(qMax(0.0, 65 - fahrenheit(meanC)));
    const double cooling = units.metric ? std::round(qMax(0.0, meanC - 18))
                                        : std::round(qMax(0.0, fahrenheit(meanC) - 65));
    return QJsonObject{{u"Heating"_qs, quantity(heating, units.degreeUnit())},
                       {u"Cooling"_qs, quantity(cooling, units.degreeUnit())}};
}

QJsonObject pollenLevel(const QString &name, int value)
{
    const int category = value < 15 ? 1 : value < 90 ? 2 : 3;
    return QJsonObject{{u"Name"_qs, name},
                       {u"Value"_qs, value},
                       {u"Category"_qs, category == 1   ? u"Low"_qs
                                        : category == 2 ? u"Moderate"_qs
                                                        : u"High"_qs},
                       {u"CategoryValue"_qs, category}};
}

QJsonArray airAndPollenDocument(const SandboxClimate::AirAndPollen &air, int uvMaximum)
{
    const QJsonObject airQuality{
        {u"Name"_qs, u"AirQuality"_qs},
        {u"Value"_qs, air.airQuality},
        {u"Category"_qs, air.airQuality < 50 ? u"Good"_qs : u"Moderate"_qs},
        {u"CategoryValue"_qs, air.airQuality < 50 ? 1 : 2},
        {u"Type"_qs, u"Ozone"_qs},
    };
    const QJsonObject uv{{u"Name"_qs, u"UVIndex"_qs},
                         {u"Value"_qs, uvMaximum},
                         {u"Category"_qs, uvText(uvMaximum)},
                         {u"CategoryValue"_qs, uvCategory(uvMaximum)}};
    return QJsonArray{airQuality,
                      pollenLevel(u"Grass"_qs, air.grass),
                      pollenLevel(u"Mold"_qs, air.mold),
                      pollenLevel(u"Ragweed"_qs, air.ragweed),
                      pollenLevel(u"Tree"_qs, air.tree),
                      uv};
}

void insertDayDetails(QJsonObject &o, const SandboxArea &area, const SandboxClimate &climate,
                      const ForecastDay &day, const DaySummary &s, const ForecastUnits &units)
{
    // Sun and moon belong to the local date, read as UTC from its midnight.
    const qint64 localDateUtcMs = day.localMidnightMs + area.utcOffsetHours() * kHourMs;
    const SandboxClimate::SunAndMoon sky = climate.sunAndMoon(localDateUtcMs, day.startMs);
    o.insert(u"Sun"_qs, riseAndSet(area, sky.sunrise, sky.sunset));
    o.insert(u"Moon"_qs, moonDocument(area, sky));
    o.insert(u"RealFeelTemperature"_qs, realFeelRange(units, s.feelsMinimumC, s.feelsMaximumC));
    o.insert(u"RealFeelTemperatureShade"_qs,
             realFeelRange(units, s.feelsMinimumC, s.feelsMaximumC - 1));
    o.insert(u"HoursOfSun"_qs, round1(s.sunHours));
    o.insert(u"DegreeDaySummary"_qs, degreeDays(units, (s.minimumC + s.maximumC) / 2));
    o.insert(u"AirAndPollen"_qs,
             airAndPollenDocument(climate.airAndPollenAt(day.startMs), s.uvMaximum));
}

QJsonObject dayDocument(const SandboxArea &area, const SandboxClimate &climate,
                        const ForecastDay &day, const ForecastUnits &units, bool details)
{
    const DaySummary summary = summariseDay(day.hours);
    QJsonObject o{
        {u"Date"_qs, localTime(area, day.startMs)},
        {u"EpochDate"_qs, double(day.startMs / 1000)},
        {u"Temperature"_qs, QJsonObject{{u"Minimum"_qs, units.temperature(summary.minimumC)},
                                        {u"Maximum"_qs, units.temperature(summary.maximumC)}}},
        {u"Day"_qs, halfDayDocument(summariseHalfDay(day.hours, 0), true, units, details)},
        {u"Night"_qs, halfDayDocument(summariseHalfDay(day.hours, 12), false, units, details)},
        {u"Sources"_qs, QJsonArray{sandboxName()}},
    };
    if (details)
        insertDayDetails(o, area, climate, day, summary, units);
    insertLinks(o, area, u"daily-weather-forecast"_qs);
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
    const QString text = rainy
                             ? QStringLiteral("Sandbox forecast: rain expected on %1")
                                   .arg(QDateTime::fromMSecsSinceEpoch(start + offsetMs, Qt::UTC)
                                            .toString(u"dddd"_qs))
                             : QStringLiteral("Sandbox forecast: no significant weather expected");
    const qint64 end = start + kDayMs;
    QJsonObject o{
        {u"EffectiveDate"_qs, localTime(area, start)},
        {u"EffectiveEpochDate"_qs, double(start / 1000)},
        {u"Severity"_qs, rain > 10  ? 3
                         : rain > 0 ? 5
                                    : 7},
        {u"Text"_qs, text},
        {u"Category"_qs, rain > 0 ? u"rain"_qs : u""_qs},
        {u"EndDate"_qs, localTime(area, end)},
        {u"EndEpochDate"_qs, double(end / 1000)},
    };
    insertLinks(o, area, u"daily-weather-forecast"_qs);
    return o;
}

} // namespace

SandboxWeather::SandboxWeather(const SandboxArea &area)
    : m_area(area)
    , m_climate(area)
{}

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
    const double elevation = m_climate.elevationMetres();
    const QJsonObject sandboxArea{{u"ID"_qs, u"SBX"_qs},
                                  {u"LocalizedName"_qs, sandboxName()},
                                  {u"EnglishName"_qs, sandboxName()}};
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
                                    {u"LocalizedName"_qs, sandboxName()},
                                    {u"EnglishName"_qs, sandboxName()}}},
        {u"AdministrativeArea"_qs, QJsonObject{{u"ID"_qs, u"SBX"_qs},
                                               {u"LocalizedName"_qs, sandboxName()},
                                               {u"EnglishName"_qs, sandboxName()},
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
    const Conditions c = m_climate.conditionsAt(observedMs);
    const Sky sky = skyFor(c.cloudCover, c.precipitationMm, c.snow(), c.isDaylight);
    const bool raining = c.precipitationMm > 0;
    QJsonObject o{
        {u"LocalObservationDateTime"_qs, localTime(m_area, observedMs)},
        {u"EpochTime"_qs, double(observedMs / 1000)},
        {u"WeatherText"_qs, sky.phrase},
        {u"WeatherIcon"_qs, sky.icon},
        {u"HasPrecipitation"_qs, raining},
        {u"PrecipitationType"_qs,
         raining ? QJsonValue(c.snow() ? u"Snow"_qs : u"Rain"_qs) : QJsonValue::Null},
        {u"IsDayTime"_qs, c.isDaylight},
        {u"Temperature"_qs, temperatures(c.temperatureC)},
    };
    insertLinks(o, m_area, u"current-weather"_qs);
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
            {u"DateTime"_qs, localTime(m_area, at)},
            {u"EpochDateTime"_qs, double(at / 1000)},
            {u"WeatherIcon"_qs, sky.icon},
            {u"IconPhrase"_qs, sky.phrase},
            {u"HasPrecipitation"_qs, c.precipitationMm > 0},
            {u"IsDaylight"_qs, c.isDaylight},
            {u"Temperature"_qs, units.temperature(c.temperatureC)},
            {u"PrecipitationProbability"_qs, c.precipitationProbability},
        };
        // Like the live service, the precipitation type and intensity exist only when it rains.
        if (c.precipitationMm > 0) {
            hour.insert(u"PrecipitationType"_qs, c.snow() ? u"Snow"_qs : u"Rain"_qs);
            hour.insert(u"PrecipitationIntensity"_qs, precipitationIntensity(c.precipitationMm));
        }
        if (details)
            insertHourlyDetails(hour, c, units);
        insertLinks(hour, m_area, u"hourly-weather-forecast"_qs);
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
        {u"Headline"_qs, headlineDocument(m_area, firstRainyDay, localMidnight + 7 * kHourMs)},
        {u"DailyForecasts"_qs, days},
    };
}

} // namespace isobar
