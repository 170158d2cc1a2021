#pragma once

#include "MapCell.h"

#include <QHash>
#include <QList>
#include <QRectF>
#include <utility>

namespace isobar {

// What the map draws as one square: a server cell, or the sum of the cells whose centres fall
// in one square of a coarser grid. `area` holds the bounds (the cell's, or the grid square's),
// the centre the square is drawn around and the summed counts.
struct CellBin {
    MapCell area;
    int cells = 1; // server cells summed into this bin
};

// The stats API's cells at every level of aggregation the map may need, computed once when the
// cells arrive so zooming never re-aggregates. Level 0 is the server cells themselves; level k
// sums them on a grid of squares aligned to (-180, -90) whose side doubles with each level,
// starting at twice the tallest cell, so a bin is always coarser than the cells it holds.
class CellBins
{
public:
    explicit CellBins(const QList<MapCell> &cells = {});

    int levelCount() const { return int(m_levels.size()); }
    // The finest level whose squares are at least minimumPixels wide at this zoom.
    int levelFor(double pixelsPerDegree, double minimumPixels) const;
    // The side, in degrees, of the square a bin of the level fills at most.
    double unitDegrees(int level) const { return m_levels.at(level).unit; }

    // The level's bins, west to east by centre.
    const QList<CellBin> &bins(int level) const { return m_levels.at(level).bins; }
    // Indices [first, last) into bins(level) of the bins whose squares may reach into the
    // longitudes west..east.
    std::pair<qsizetype, qsizetype> binsBetweenLongitudes(int level, double west,
                                                          double east) const;
    // The bin whose bounds hold the position, or nullptr.
    const CellBin *binAt(int level, double longitude, double latitude) const;

    qint64 maximumRequests(int level) const { return m_levels.at(level).maximumRequests; }
    qint64 totalRequests() const { return m_totalRequests; }
    // West, south, east, north of all cells (degrees); empty without cells.
    QRectF bounds() const { return m_bounds; }

private:
    struct Level {
        double unit = 0;                        // square side in degrees
        double step = 0;                        // grid step in degrees; 0 for the server cells
        QList<CellBin> bins;                    // sorted by centre longitude
        QList<double> longitudes;               // the bins' centre longitudes, for binary search
        QHash<quint64, qsizetype> byGridSquare; // grid square -> index in bins (binned levels)
        double widestHalfWidth = 0;             // of a bin's bounds, to widen longitude searches
        qint64 maximumRequests = 0;
    };

    static quint64 gridKey(qint64 column, qint64 row)
    {
        return (quint64(column) << 32) | quint64(row);
    }
    static Level sortedLevel(Level level);

    QList<Level> m_levels;
    qint64 m_totalRequests = 0;
    QRectF m_bounds;
};

} // namespace isobar
