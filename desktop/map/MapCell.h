#pragma once

#include <QJsonArray>
#include <QList>
#include <QRectF>

namespace isobar {

// One weather cache cell of GET /api/v1/stats/geography: the finest place the server records
// (positions are personal data, so nothing on the map is ever finer than this).
struct MapCell {
    double latitude = 0; // the cell's centre
    double longitude = 0;
    double south = 0, west = 0, north = 0, east = 0; // the cell's bounds, degrees
    qint64 requests = 0;
    qint64 hits = 0, misses = 0, stale = 0; // how the weather cache answered

    // The "cells" array of a geography answer (format=json); entries without bounds are skipped.
    static QList<MapCell> listFromStats(const QJsonArray &cells);
};

} // namespace isobar
