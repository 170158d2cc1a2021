#include "LengthUnits.h"

#include <cmath>

namespace isobar {

std::optional<double> metresPer(const QString &unit)
{
    const QString u = unit.trimmed().toLower();
    if (u == u"mm")
        return 0.001;
    if (u == u"cm")
        return 0.01;
    if (u == u"m")
        return 1.0;
    if (u == u"km")
        return 1000.0;
    if (u == u"mi")
        return 1609.344;
    if (u == u"in")
        return 0.0254;
    if (u == u"ft")
        return 0.3048;
    return std::nullopt;
}

std::optional<double> toMetres(double value, const QString &unit)
{
    const auto factor = metresPer(unit);
    if (!factor || !std::isfinite(value))
        return std::nullopt;
    return std::round(value * *factor * 10'000.0) / 10'000.0;
}

} // namespace isobar
