#pragma once

#include "RequestEvent.h"
#include "RequestLogWriter.h"

#include <QJsonObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace isobar {

class PrometheusText;

// Takes every answered request as an event without slowing the request: record() only appends
// to a bounded in-memory queue (a full queue counts the event as dropped, never waits). One
// writer thread, with its own connection, writes batches (every flushInterval or batchSize
// events, whichever comes first) with their roll-ups, and, on the replica that claims them
// (RequestLogWriter::claimMaintenance), seals, compacts and expires between batches. When the
// store cannot be written (PostgreSQL down, a connection lost) events wait in a backlog of at
// most queueCapacity, the connection is opened again with growing delays, and the backlog is
// written once it is back; what does not fit is counted as dropped. stop() (and the destructor)
// writes what is still queued.
class RequestRecorder
{
public:
    struct Options {
        int queueCapacity = 100'000;
        int batchSize = 8000; // a batch costs its upserts, whatever its size
        int flushIntervalMs = 1000;
        int minuteRetentionDays = 7;
        int rollupRetentionDays = 400;
        int retentionIntervalMs = 3'600'000;
        int reopenMaxDelayMs = 30'000; // the longest wait between tries to reopen the store
    };
    struct Stats {
        qint64 recorded = 0;
        qint64 written = 0;
        qint64 dropped = 0;
        qint64 writeErrors = 0;
        qint64 expired = 0;
        int queueDepth = 0;
        int backlog = 0;         // events written once the store is back
        bool writing = true;     // false while the store cannot be written
        bool maintainer = false; // this replica runs the once-only jobs
        QString lastError;       // why the last write failed, while `writing` is false
    };
    using Clock = std::function<qint64()>; // ms since the epoch, for retention

    // Events are stored as `replica`'s (RequestLogWriter).
    RequestRecorder(QString databasePath, Options options, QString replica = {}, Clock clock = {});
    ~RequestRecorder();

    void record(RequestEvent event);
    // Writes what is queued now and waits for it (tests, shutdown).
    void flush();
    void stop();
    Stats stats() const;
    // Its families of /metrics: events queued, written and lost.
    void writePrometheus(PrometheusText &out) const;
    // /health's "request_log": on, or behind (events kept for later) and why.
    QJsonObject health() const;

private:
    class Writer;
    void run();
    // The writer thread's state, shown by stats().
    void publish(int backlog, bool writing, bool maintainer, const QString &lastError);

    QString m_databasePath;
    Options m_options;
    QString m_replica;
    Clock m_clock;
    // The standard library's, not QMutex and QWaitCondition: the writer thread is a
    // std::thread, and ThreadSanitizer (CI's concurrency run) sees through pthreads, not
    // through the futexes inside an uninstrumented Qt.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_flushed;
    QList<RequestEvent> m_queue;
    qint64 m_flushRequested = 0;
    qint64 m_flushDone = 0;
    bool m_stopping = false;
    bool m_writerDone = false; // the writer thread has left its loop: no flush is waited for
    int m_backlog = 0;
    bool m_writing = true;
    bool m_maintainer = false;
    QString m_lastError;
    std::atomic<qint64> m_recorded{0}, m_written{0}, m_dropped{0}, m_writeErrors{0}, m_expired{0};
    std::thread m_writer;
};

} // namespace isobar
