#include "IngestTask.h"

#include "MetricsDatabase.h"

#include <QElapsedTimer>
#include <QtConcurrent>

namespace isobar {

IngestTask::IngestTask(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<isobar::IngestProgress>();
    qRegisterMetaType<isobar::IngestReport>();
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        Q_EMIT finished(outcome.report, outcome.error);
    });
}

// A window closed mid-import: stop after the current file's rollback, and wait for it, so the
// store is never left with a half-written transaction by a killed thread.
IngestTask::~IngestTask()
{
    if (isRunning()) {
        m_cancel.store(true);
        m_watcher.waitForFinished();
    }
}

bool IngestTask::start(const QString &databasePath, const QStringList &paths)
{
    if (isRunning())
        return false;
    m_cancel.store(false);
    // `this` outlives the worker: the destructor cancels and waits for it.
    m_watcher.setFuture(QtConcurrent::run([this, databasePath, paths]() -> Outcome {
        MetricsDatabase store;
        if (!store.open(databasePath))
            return {{}, store.errorString()};
        Ingestor ingestor(store.connection());
        ingestor.setCancelFlag(&m_cancel);
        QElapsedTimer sinceReport;
        sinceReport.start();
        ingestor.setProgressCallback([this, &sinceReport](const IngestProgress &progress) {
            // A few reports a second are enough for a progress bar and keep the queue short.
            if (sinceReport.elapsed() < 50 && progress.filesDone < progress.filesTotal)
                return;
            sinceReport.restart();
            QMetaObject::invokeMethod(
                this, [this, progress] { Q_EMIT progressed(progress); }, Qt::QueuedConnection);
        });
        return {ingestor.ingest(paths), {}};
    }));
    return true;
}

void IngestTask::cancel()
{
    m_cancel.store(true);
}

bool IngestTask::isRunning() const
{
    return m_watcher.isRunning();
}

} // namespace isobar
