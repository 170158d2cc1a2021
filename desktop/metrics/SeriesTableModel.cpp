#include "SeriesTableModel.h"

#include "ChartPalette.h"

#include <QLocale>
#include <algorithm>

namespace isobar {

void SeriesTableModel::setPoints(const QList<PublicPoint> &points)
{
    beginResetModel();
    m_rows = points;
    std::reverse(m_rows.begin(), m_rows.end());
    endResetModel();
}

int SeriesTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SeriesTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SeriesTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const PublicPoint &point = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == DateColumn ? QLocale().toString(point.date, QLocale::ShortFormat)
                                            : QLocale().toString(point.value, 'g', 12);
    case Qt::TextAlignmentRole:
        return index.column() == ValueColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                             : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        if (!point.inReportingDelay)
            return {};
        // Translucent, so the shade reads on light and dark palettes alike.
        return [] {
            QColor shade = ChartPalette::reportingDelayShade();
            shade.setAlpha(120);
            return shade;
        }();
    case Qt::ToolTipRole:
        return point.inReportingDelay
                   ? tr("In the reporting delay period: this figure may still be revised upwards")
                   : QVariant();
    case DateRole:
        return point.date;
    case ValueRole:
        return point.value;
    case ReportingDelayRole:
        return point.inReportingDelay;
    }
    return {};
}

QVariant SeriesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == DateColumn ? tr("Date") : tr("Value");
}

} // namespace isobar
