#pragma once

#include "MetricsQuery.h"

#include <QHash>
#include <QList>
#include <optional>

namespace isobar {

// The areas a geography sits within, as UKHSA relates them, from the ONS lookups in
// resources/geography/ (compiled in): a Nation in the United Kingdom; a Region in it and its
// nation; an Upper Tier Local Authority in it, its region and that region's nation. UKHSA's
// geographies routes list them, and its maps find an accompanying point's area among them.
class GeographyRelationships
{
public:
    GeographyRelationships();

    // In UKHSA's order; nullopt for a type UKHSA relates to nothing. A part the lookups do not
    // know has a null name and code, as UKHSA writes it.
    std::optional<QList<GeographyName>> upstream(const QString &type, const QString &code) const;

private:
    struct Region {
        QString name;
        QString nation;
        QString nationCode;
    };
    GeographyName nationOf(const QString &regionCode) const;

    QHash<QString, Region> m_regionsByCode;
    QHash<QString, QString> m_regionCodesByName;
    QHash<QString, QString> m_upperTierRegions; // upper-tier authority code -> region name
};

} // namespace isobar
