#pragma once

#include "GridCell.h"

#include <QString>
#include <optional>

namespace isobar {

// The place a sandbox location key stands for: one key per grid area about 10 km wide, as a
// real AccuWeather key covers a town or a district. The key is the area's grid position
// written as a number, so it is stable across runs and can be read back without any state.
class SandboxArea
{
public:
    static constexpr double kSizeMetres = 10'000;

    static SandboxArea at(double latitude, double longitude);
    // nullopt for anything that is not a key this sandbox could have issued.
    static std::optional<SandboxArea> fromKey(const QString &key);

    QString key() const;
    double latitude() const { return m_cell.centreLatitude; }
    double longitude() const { return m_cell.centreLongitude; }
    // Whole hours east of UTC, from the longitude (a sandbox has no time-zone database).
    int utcOffsetHours() const;
    const GridCell &cell() const { return m_cell; }

private:
    explicit SandboxArea(const GridCell &cell)
        : m_cell(cell)
    {}
    GridCell m_cell;
};

} // namespace isobar
