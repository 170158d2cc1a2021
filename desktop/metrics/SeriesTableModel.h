#pragma once

#include "MetricsQuery.h"

#include <QAbstractTableModel>

namespace isobar {

// A card's points as a table, newest first as on the UKHSA dashboard: date and value, with the
// rows still inside the reporting-delay period shaded (their figures may still rise).
class SeriesTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DateColumn, ValueColumn, ColumnCount };
    enum Role { DateRole = Qt::UserRole + 1, ValueRole, ReportingDelayRole };

    using QAbstractTableModel::QAbstractTableModel;

    // `points` oldest first, as the sources deliver them.
    void setPoints(const QList<PublicPoint> &points);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<PublicPoint> m_rows; // newest first
};

} // namespace isobar
