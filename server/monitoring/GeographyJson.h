#pragma once

#include "CellCount.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace isobar {

// The geography answers written straight into bytes, identical to QJsonDocument's compact output
// of the documented shapes (keys sorted): a QJsonObject per cell and its serialisation took most
// of the time of a 10,000-cell answer.
class GeographyJson
{
public:
    // {"cells":[{"bounds":{...},"cache":{...},"latitude":..,"longitude":..,"requests":..}],
    //  "from":..,"to":..}
    static QByteArray cells(const QList<CellCount> &cells, const QString &from, const QString &to);
    // A GeoJSON FeatureCollection: each cell as its polygon (the position was never known more
    // finely), with the cell's centre and counts as properties.
    static QByteArray featureCollection(const QList<CellCount> &cells);
};

} // namespace isobar
