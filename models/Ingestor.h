#pragma once

#include "IngestReport.h"

#include <QSqlDatabase>
#include <QStringList>
#include <atomic>
#include <functional>

namespace isobar {

class MetricsWriter;

struct IngestProgress {
    int filesDone = 0;
    int filesTotal = 0;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    qint64 rowsDone = 0;
};

// Loads UKHSA JSON and 2023 CSV files (or folders of them, recursively) into the store,
// one transaction per file: a file with any invalid record is rejected whole, the others load.
class Ingestor
{
public:
    using ProgressCallback = std::function<void(const IngestProgress &)>;

    explicit Ingestor(QSqlDatabase &db);

    void setDryRun(bool dryRun) { m_dryRun = dryRun; }
    void setProgressCallback(ProgressCallback callback) { m_progress = std::move(callback); }
    // Checked between files and inside large files; a cancelled file is rolled back.
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    // Runs inside a valid file's transaction, just before its commit, to write what must commit
    // with the data or not at all (a drop-off's record of the file). An error it returns rolls
    // the file back and becomes the file's error.
    using BeforeCommit = std::function<QString(const FileReport &)>;
    void setBeforeCommit(BeforeCommit beforeCommit) { m_beforeCommit = std::move(beforeCommit); }

    // Expands folders into their .json/.csv files, sorted; unreadable paths become failed entries.
    static QStringList expandPaths(const QStringList &paths, QStringList *missing);

    IngestReport ingest(const QStringList &paths);
    // One in-memory file (an upload); `name` decides the format and the OFF-SENS_ rule.
    FileReport ingestContent(const QByteArray &content, const QString &name, qint64 refreshDate);
    // One file on disk known by another name (a download), read as ingest() reads files.
    FileReport ingestFile(const QString &path, const QString &name, qint64 refreshDate);

private:
    using ReadInto = std::function<void(MetricsWriter &, ValidationErrors &)>;
    // Runs `read` inside one transaction; commits only a valid file outside a dry run.
    FileReport inTransaction(const QString &name, const ReadInto &read);
    FileReport ingestFile(const QString &path, const QString &name, qint64 refreshDate,
                          IngestProgress &progress);

    QSqlDatabase &m_db;
    bool m_dryRun = false;
    ProgressCallback m_progress;
    const std::atomic_bool *m_cancel = nullptr;
    BeforeCommit m_beforeCommit;
};

} // namespace isobar
