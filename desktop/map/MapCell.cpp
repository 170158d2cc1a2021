#include "MapCell.h"

#include <QJsonObject>
#include <cmath>

namespace isobar {

namespace {

bool isNumber(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble());
}

} // namespace

QList<MapCell> MapCell::listFromStats(const QJsonArray &cells)
{
    QList<MapCell> list;
    list.reserve(cells.size());
    for (const auto &entry : cells) {
        const QJsonObject object = entry.toObject();
        const QJsonObject bounds = object.value(u"bounds").toObject();
        const QJsonValue south = bounds.value(u"south"), west = bounds.value(u"west"),
                         north = bounds.value(u"north"), east = bounds.value(u"east");
        const QJsonValue requests = object.value(u"requests");
        // The map places and sizes a cell by its bounds and count: without them there is
        // nothing honest to draw.
        if (!isNumber(south) || !isNumber(west) || !isNumber(north) || !isNumber(east)
            || !isNumber(requests) || requests.toDouble() < 1)
            continue;
        MapCell cell;
        cell.south = south.toDouble();
        cell.west = west.toDouble();
        cell.north = north.toDouble();
        cell.east = east.toDouble();
        // Bounds computed as centre +- half may overshoot the poles or the antimeridian by a
        // rounding error; anything further out is not a place on Earth.
        constexpr double tolerance = 1e-6;
        if (cell.south > cell.north || cell.west > cell.east || cell.south < -90 - tolerance
            || cell.north > 90 + tolerance || cell.west < -180 - tolerance
            || cell.east > 180 + tolerance)
            continue;
        cell.south = std::max(cell.south, -90.0);
        cell.north = std::min(cell.north, 90.0);
        cell.west = std::max(cell.west, -180.0);
        cell.east = std::min(cell.east, 180.0);
        const QJsonValue latitude = object.value(u"latitude"),
                         longitude = object.value(u"longitude");
        cell.latitude = isNumber(latitude) ? latitude.toDouble() : (cell.south + cell.north) / 2;
        cell.longitude = isNumber(longitude) ? longitude.toDouble() : (cell.west + cell.east) / 2;
        cell.requests = qint64(requests.toDouble());
        const QJsonObject cache = object.value(u"cache").toObject();
        cell.hits = qint64(cache.value(u"hit").toDouble());
        cell.misses = qint64(cache.value(u"miss").toDouble());
        cell.stale = qint64(cache.value(u"stale").toDouble());
        list.append(cell);
    }
    return list;
}

} // namespace isobar
