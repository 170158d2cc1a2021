#pragma once

#include <QString>
#include <optional>

namespace isobar {

// Metres in one `unit` as AccuWeather names units (mm, cm, m, km, mi, in, ft); nullopt for
// anything else, so an unexpected unit is an upstream error rather than a wrong number.
std::optional<double> metresPer(const QString &unit);

// value [unit] in metres, rounded to 4 decimals (what the watch API promises).
std::optional<double> toMetres(double value, const QString &unit);

} // namespace isobar
