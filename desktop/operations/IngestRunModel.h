#pragma once

#include "IngestRun.h"

#include <QAbstractTableModel>

namespace isobar {

// The files taken from the drop-off (GET /api/v1/ingest/runs), newest first, as a table. A
// rejected file's row says so in its Outcome cell and carries its errors as the row's tooltip.
class IngestRunModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { File, Outcome, Finished, Inserted, Updated, Unchanged, Replica, ColumnCount };

    explicit IngestRunModel(QObject *parent = nullptr);

    void setRuns(const QList<IngestRun> &runs);
    const QList<IngestRun> &runs() const { return m_runs; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<IngestRun> m_runs;
};

} // namespace isobar
