#include "GeographyRelationships.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The rows of a lookup file below its header; only the first and the last fields are read, and
// neither holds a comma (names between them may, quoted).
QList<QStringList> lookupRows(const QString &path)
{
    QFile file(path);
    QList<QStringList> rows;
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    file.readLine(); // the header
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty())
            rows.append(line.split(u','));
    }
    return rows;
}

const GeographyName kUnitedKingdom{u"United Kingdom"_s, u"United Kingdom"_s, u"K02000001"_s};

} // namespace

GeographyRelationships::GeographyRelationships()
{
    for (const QStringList &row : lookupRows(u":/isobar/geography/regions.csv"_s)) {
        if (row.size() == 4) {
            m_regionsByCode.insert(row[0], {row[1], row[2], row[3]});
            m_regionCodesByName.insert(row[1], row[0]);
        }
    }
    for (const QStringList &row :
         lookupRows(u":/isobar/geography/upper-tier-local-authority-regions.csv"_s)) {
        if (row.size() >= 3)
            m_upperTierRegions.insert(row.constFirst(), row.constLast());
    }
}

GeographyName GeographyRelationships::nationOf(const QString &regionCode) const
{
    const auto region = m_regionsByCode.constFind(regionCode);
    if (region == m_regionsByCode.constEnd())
        return {u"Nation"_s, {}, {}};
    return {u"Nation"_s, region->nation, region->nationCode};
}

std::optional<QList<GeographyName>> GeographyRelationships::upstream(const QString &type,
                                                                     const QString &code) const
{
    if (type == u"Nation")
        return QList<GeographyName>{kUnitedKingdom};
    if (type == u"Region")
        return QList<GeographyName>{kUnitedKingdom, nationOf(code)};
    if (type == u"Upper Tier Local Authority") {
        const QString region = m_upperTierRegions.value(code);
        const QString regionCode = m_regionCodesByName.value(region);
        return QList<GeographyName>{
            kUnitedKingdom,
            {u"Region"_s, regionCode.isNull() ? QString() : region, regionCode},
            nationOf(regionCode)};
    }
    return std::nullopt;
}

} // namespace isobar
