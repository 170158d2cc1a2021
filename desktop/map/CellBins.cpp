#include "CellBins.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace isobar {

namespace {

// Grid squares of a binned level, counted from the south-west corner of the world.
qint64 gridColumn(double longitude, double step)
{
    return qint64(std::floor((longitude + 180) / step));
}

qint64 gridRow(double latitude, double step)
{
    return qint64(std::floor((latitude + 90) / step));
}

} // namespace

CellBins::CellBins(const QList<MapCell> &cells)
{
    Level serverCells;
    double tallest = 0;
    double smallestSide = std::numeric_limits<double>::infinity();
    serverCells.bins.reserve(cells.size());
    for (const MapCell &cell : cells) {
        serverCells.bins.append(CellBin{cell, 1});
        const double width = cell.east - cell.west, height = cell.north - cell.south;
        tallest = std::max(tallest, height);
        smallestSide = std::min(smallestSide, std::min(width, height));
        serverCells.widestHalfWidth = std::max(serverCells.widestHalfWidth, width / 2);
        serverCells.maximumRequests = std::max(serverCells.maximumRequests, cell.requests);
        m_totalRequests += cell.requests;
        m_bounds |= QRectF(QPointF(cell.west, cell.south), QPointF(cell.east, cell.north));
    }
    serverCells.unit = cells.isEmpty() ? 0 : smallestSide;
    m_levels.append(sortedLevel(std::move(serverCells)));
    if (cells.isEmpty())
        return;

    // Power-of-two steps nest: every square of a level lies in one square of the next, so each
    // level is summed from the one below rather than from all the cells again.
    double step = std::exp2(std::ceil(std::log2(std::max(2 * tallest, 1e-6))));
    for (; step <= 180; step *= 2) {
        const Level &finer = m_levels.constLast();
        Level level;
        level.step = step;
        level.unit = step;
        level.widestHalfWidth = step / 2;
        QHash<quint64, qsizetype> bySquare;
        for (const CellBin &part : finer.bins) {
            const qint64 column = gridColumn(part.area.longitude, step);
            const qint64 row = gridRow(part.area.latitude, step);
            auto found = bySquare.find(gridKey(column, row));
            if (found == bySquare.end()) {
                CellBin bin;
                bin.cells = 0;
                bin.area.west = std::max(-180.0, -180 + column * step);
                bin.area.east = std::min(180.0, -180 + (column + 1) * step);
                bin.area.south = std::max(-90.0, -90 + row * step);
                bin.area.north = std::min(90.0, -90 + (row + 1) * step);
                bin.area.longitude = (bin.area.west + bin.area.east) / 2;
                bin.area.latitude = (bin.area.south + bin.area.north) / 2;
                found = bySquare.insert(gridKey(column, row), level.bins.size());
                level.bins.append(bin);
            }
            CellBin &bin = level.bins[*found];
            bin.cells += part.cells;
            bin.area.requests += part.area.requests;
            bin.area.hits += part.area.hits;
            bin.area.misses += part.area.misses;
            bin.area.stale += part.area.stale;
        }
        for (const CellBin &bin : std::as_const(level.bins))
            level.maximumRequests = std::max(level.maximumRequests, bin.area.requests);
        m_levels.append(sortedLevel(std::move(level)));
    }
}

CellBins::Level CellBins::sortedLevel(Level level)
{
    std::sort(level.bins.begin(), level.bins.end(), [](const CellBin &a, const CellBin &b) {
        return a.area.longitude < b.area.longitude;
    });
    level.longitudes.reserve(level.bins.size());
    for (qsizetype i = 0; i < level.bins.size(); ++i) {
        const MapCell &area = level.bins.at(i).area;
        level.longitudes.append(area.longitude);
        if (level.step > 0)
            level.byGridSquare.insert(
                gridKey(gridColumn(area.longitude, level.step), gridRow(area.latitude, level.step)),
                i);
    }
    return level;
}

int CellBins::levelFor(double pixelsPerDegree, double minimumPixels) const
{
    for (int level = 0; level < levelCount(); ++level) {
        if (m_levels.at(level).unit * pixelsPerDegree >= minimumPixels)
            return level;
    }
    return levelCount() - 1;
}

std::pair<qsizetype, qsizetype> CellBins::binsBetweenLongitudes(int level, double west,
                                                                double east) const
{
    const Level &l = m_levels.at(level);
    const auto first =
        std::lower_bound(l.longitudes.cbegin(), l.longitudes.cend(), west - l.widestHalfWidth);
    const auto last = std::upper_bound(first, l.longitudes.cend(), east + l.widestHalfWidth);
    return {first - l.longitudes.cbegin(), last - l.longitudes.cbegin()};
}

const CellBin *CellBins::binAt(int level, double longitude, double latitude) const
{
    const Level &l = m_levels.at(level);
    if (l.step > 0) {
        // The grid square decides, as it did when the bins were summed: comparing with the
        // bounds could disagree by a rounding error on a square's edge.
        const auto found = l.byGridSquare.constFind(
            gridKey(gridColumn(longitude, l.step), gridRow(latitude, l.step)));
        return found != l.byGridSquare.cend() ? &l.bins.at(*found) : nullptr;
    }
    const auto [first, last] = binsBetweenLongitudes(level, longitude, longitude);
    for (qsizetype i = first; i < last; ++i) {
        const MapCell &cell = l.bins.at(i).area;
        if (longitude >= cell.west && longitude <= cell.east && latitude >= cell.south
            && latitude <= cell.north)
            return &l.bins.at(i);
    }
    return nullptr;
}

} // namespace isobar
