#include "SandboxArea.h"

#include <QtGlobal>
#include <cmath>

namespace isobar {

namespace {

constexpr int kKeyColumnFactor = 10'000; // key = row * factor + column

} // namespace

SandboxArea SandboxArea::at(double latitude, double longitude)
{
    return SandboxArea(GridCell::locate(latitude, longitude, kSizeMetres));
}

std::optional<SandboxArea> SandboxArea::fromKey(const QString &key)
{
    bool ok = false;
    const qint64 number = key.toLongLong(&ok);
    if (!ok || number < 0 || key != QString::number(number))
        return std::nullopt;
    const int row = int(number / kKeyColumnFactor);
    const int column = int(number % kKeyColumnFactor);
    const double latitudeStep = kSizeMetres / 111'320.0;
    const double centreLatitude = -90.0 + (row + 0.5) * latitudeStep;
    if (centreLatitude > 90.0)
        return std::nullopt;
    // Locate the row first to learn how many columns it has, then the column's centre.
    const GridCell rowCell = GridCell::locate(centreLatitude, 0, kSizeMetres);
    if (rowCell.row != row || column >= rowCell.columnsInRow)
        return std::nullopt;
    const double width = 360.0 / rowCell.columnsInRow;
    return at(centreLatitude, -180.0 + (column + 0.5) * width);
}

QString SandboxArea::key() const
{
    return QString::number(qint64(m_cell.row) * kKeyColumnFactor + m_cell.column);
}

int SandboxArea::utcOffsetHours() const
{
    return qBound(-12, int(std::lround(longitude() / 15.0)), 12);
}

} // namespace isobar
