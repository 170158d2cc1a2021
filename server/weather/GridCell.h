#pragma once

#include <QHashFunctions>
#include <QString>

namespace isobar {

// A position rounded to a cell about `sizeMetres` wide: rows of equal latitude height, each
// row split into as many equal columns as fit at that latitude, so cells keep roughly the
// same ground size from the equator to the poles. Every position in a cell gets the same
// weather; the centre is what goes upstream, and what monitoring records (never finer).
struct GridCell {
    int row = 0;
    int column = 0;
    int columnsInRow = 1;
    double sizeMetres = 1000;

    double south = 0, north = 0, west = 0, east = 0;
    double centreLatitude = 0, centreLongitude = 0;

    // Latitude in [-90, 90], longitude in [-180, 180] (180 and -180 are the same meridian).
    static GridCell locate(double latitude, double longitude, double sizeMetres);

    QString id() const; // "r<row>c<column>@<size>": stable across runs
    bool operator==(const GridCell &other) const
    {
        return row == other.row && column == other.column && sizeMetres == other.sizeMetres;
    }
};

inline size_t qHash(const GridCell &cell, size_t seed = 0)
{
    return qHashMulti(seed, cell.row, cell.column, cell.sizeMetres);
}

} // namespace isobar
