#pragma once

#include <QJsonObject>
#include <QString>

// How AccuWeather spells values in its documents: quantities with their unit codes, the
// imperial conversions and rounding the live service applies, and its phrases and icon numbers.
// The sandbox's document writers build every field from these.
namespace isobar::sandbox {

using namespace Qt::StringLiterals;

// Every answer names the sandbox, so nobody can mistake it for a real observation.
QString sandboxName();

double round1(double value);
double round3(double value);
double fahrenheit(double celsius);
double milesPerHour(double kmh);
double miles(double km);
double inches(double mm);
double feet(double metres);
double inchesOfMercury(double mb);

// {"Value", "Unit", "UnitType"}
QJsonObject quantity(double value, const QString &unit);
QJsonObject withPhrase(QJsonObject object, const QString &phrase);
QJsonObject metricAndImperial(const QJsonObject &metric, const QJsonObject &imperial);
// Both unit systems at once, as current conditions give them.
QJsonObject temperatures(double celsius);
QJsonObject precipitation(double mm);

// Forecasts give one unit system, chosen by the request's `metric` flag.
struct ForecastUnits {
    bool metric = false;

    QJsonObject temperature(double celsius) const;
    QJsonObject speed(double kmh) const;
    QJsonObject liquid(double mm) const;
    // Snow depth from its water: ~10 mm of snow per mm of water.
    QJsonObject snow(double waterMm) const;
    QJsonObject distance(double km) const;
    QJsonObject height(double metres) const;
    QString degreeUnit() const { return metric ? u"C"_s : u"F"_s; }
};

QString feelPhrase(double celsius);
QString uvText(int index);
// AccuWeather's 1 (low) to 5 (extreme) for a UV index.
int uvCategory(int index);
QString precipitationIntensity(double mmPerHour);
QJsonObject direction(int degrees);

struct Sky {
    int icon;
    QString phrase;
};
// AccuWeather's icon numbers and phrases for the sky the model produced.
Sky skyFor(int cloudCover, double precipitationMm, bool snow, bool daylight);

} // namespace isobar::sandbox
