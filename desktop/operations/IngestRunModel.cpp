#include "IngestRunModel.h"

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace isobar {

IngestRunModel::IngestRunModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void IngestRunModel::setRuns(const QList<IngestRun> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int IngestRunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int IngestRunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IngestRunModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs.size())
        return {};
    const IngestRun &run = m_runs.at(index.row());
    const bool rejected = run.outcome == IngestRun::Outcome::Rejected;
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case File:
            return run.file;
        case Outcome:
            return rejected ? tr("Rejected") : tr("Loaded");
        case Finished:
            return locale.toString(
                QDateTime::fromMSecsSinceEpoch(run.finishedMs, Qt::UTC).toLocalTime(),
                QLocale::ShortFormat);
        case Inserted:
            return locale.toString(run.counts.inserted);
        case Updated:
            return locale.toString(run.counts.updated);
        case Unchanged:
            return locale.toString(run.counts.unchanged);
        case Replica:
            return run.replica;
        }
        break;
    case Qt::ToolTipRole:
        if (rejected)
            return tr("Rejected, nothing was loaded:\n%1").arg(run.errors.join(u'\n'));
        return tr("%1 from %2 (%3)").arg(run.file, run.source, run.version);
    case Qt::ForegroundRole:
        // The palette's own warning-ish colour: the link colour stands out in light and dark.
        if (rejected && index.column() == Outcome)
            return QGuiApplication::palette().brush(QPalette::LinkVisited);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= Inserted && index.column() <= Unchanged)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant IngestRunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case File:
        return tr("File");
    case Outcome:
        return tr("Outcome");
    case Finished:
        return tr("Finished");
    case Inserted:
        return tr("Inserted");
    case Updated:
        return tr("Updated");
    case Unchanged:
        return tr("Unchanged");
    case Replica:
        return tr("Replica");
    }
    return {};
}

} // namespace isobar
