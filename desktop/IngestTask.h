#pragma once

#include "IngestReport.h"
#include "Ingestor.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <atomic>
#include <memory>

namespace isobar {

// One import into a store, with the same Ingestor and report as `isobar ingest`, run on a pool
// thread with its own database connection (SQLite connections belong to one thread). Progress
// arrives as queued signals; cancel() rolls back the file being loaded and stops.
class IngestTask : public QObject
{
    Q_OBJECT
public:
    explicit IngestTask(QObject *parent = nullptr);
    ~IngestTask() override;

    // False when an import is already running.
    bool start(const QString &databasePath, const QStringList &paths);
    void cancel();
    bool isRunning() const;
    bool isCanceled() const { return m_cancel.load(); }

Q_SIGNALS:
    void progressed(const isobar::IngestProgress &progress);
    // `error` is set when the database could not be opened (then the report is empty).
    void finished(const isobar::IngestReport &report, const QString &error);

private:
    struct Outcome {
        IngestReport report;
        QString error;
    };

    std::atomic_bool m_cancel{false};
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace isobar
