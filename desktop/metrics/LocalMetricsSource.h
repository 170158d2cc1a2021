#pragma once

#include "MetricsSource.h"

#include <QThreadPool>
#include <memory>

namespace isobar {

class StoreError;

// The local store, read in-process through models/ (MetricsQuery). SQLite connections belong to
// the thread that opened them, so every read runs on one dedicated worker thread that keeps its
// own read-only connection for the source's lifetime; reads queue behind each other there.
class LocalMetricsSource : public MetricsSource
{
public:
    explicit LocalMetricsSource(const QString &databasePath);
    ~LocalMetricsSource() override;

    QString displayName() const override;
    QFuture<CatalogueResult> catalogue() override;
    QFuture<SeriesResult> series(const SeriesQuery &query) override;

private:
    struct Reader; // the worker thread's connection and query object

    // The reader, opened on first use; only ever touched on the worker thread.
    Reader *reader(QString *error);
    QString unreadable(const StoreError &error);

    QString m_path;
    QThreadPool m_worker;
    std::unique_ptr<Reader> m_reader;
};

} // namespace isobar
