#pragma once

#include "IngestRun.h"

#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <optional>

namespace isobar {

// The store's record of drop-off runs (ingest_run, migration 8): written by the replica that
// takes a file, read by the runs API and the desktop.
class IngestRunLog
{
public:
    explicit IngestRunLog(QSqlDatabase &db);

    enum class Added { Yes, AlreadyRecorded, Failed };
    // Records `run` in the caller's transaction. AlreadyRecorded when this version of the file
    // already has a row (another replica took it first: on PostgreSQL this waits for that
    // replica's transaction to end).
    Added add(const IngestRun &run, QString *error);

    // Each recorded version of `source`'s files, as key(file, version).
    QSet<QString> recordedVersions(const QString &source, QString *error);
    static QString key(const QString &file, const QString &version);

    struct Filter {
        int limit = 100;
        std::optional<IngestRun::Outcome> outcome;
        qint64 beforeId = 0; // 0: from the newest; else runs older than this one (paging)
    };
    // Newest first. Throws StoreError when the store cannot be read.
    QList<IngestRun> list(const Filter &filter);

private:
    QSqlDatabase &m_db;
};

} // namespace isobar
