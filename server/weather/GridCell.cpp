#include "GridCell.h"

#include <QtMath>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
constexpr double kMetresPerDegree =
    111'320.0; // one degree of latitude (and of longitude at the equator)
}

GridCell GridCell::locate(double latitude, double longitude, double sizeMetres)
{
    GridCell cell;
    cell.sizeMetres = sizeMetres;
    const double latitudeStep = sizeMetres / kMetresPerDegree;
    const int rows = qMax(1, int(std::ceil(180.0 / latitudeStep)));
    cell.row = qBound(0, int(std::floor((latitude + 90.0) / latitudeStep)), rows - 1);
    cell.south = -90.0 + cell.row * latitudeStep;
    cell.north = qMin(90.0, cell.south + latitudeStep);
    cell.centreLatitude = (cell.south + cell.north) / 2;

    // Columns are widened by 1/cos(latitude), taken at the row's edge nearest the equator so
    // a row never has more columns than its widest part allows; at the poles a row is one cell.
    const double widest = qMin(std::abs(cell.south), std::abs(cell.north));
    const double cosine =
        cell.south <= 0 && cell.north >= 0 ? 1.0 : std::cos(qDegreesToRadians(widest));
    const double longitudeStep = latitudeStep / qMax(cosine, 1e-9);
    cell.columnsInRow = qMax(1, int(std::floor(360.0 / longitudeStep)));
    const double width = 360.0 / cell.columnsInRow;
    // -180 and 180 are one meridian: wrap into [0, 360) so both land in column 0.
    double offset = std::fmod(longitude + 180.0, 360.0);
    if (offset < 0)
        offset += 360.0;
    cell.column = qBound(0, int(std::floor(offset / width)), cell.columnsInRow - 1);
    cell.west = -180.0 + cell.column * width;
    cell.east = cell.west + width;
    cell.centreLongitude = cell.west + width / 2;
    return cell;
}

QString GridCell::id() const
{
    return u"r%1c%2@%3"_s.arg(row).arg(column).arg(sizeMetres);
}

} // namespace isobar
