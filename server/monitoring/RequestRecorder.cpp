#include "RequestRecorder.h"

#include "Durations.h"
#include "MetricsDatabase.h"
#include "PrometheusNames.h"
#include "PrometheusText.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
Q_LOGGING_CATEGORY(lcRecorder, "isobar.monitoring")
constexpr int kSealHoursPerPass = 4;
} // namespace

RequestRecorder::RequestRecorder(QString databasePath, Options options, QString replica,
                                 Clock clock)
    : m_databasePath(std::move(databasePath))
    , m_options(options)
    , m_replica(std::move(replica))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{
    m_queue.reserve(m_options.batchSize);
    m_writer = std::thread([this] { run(); });
}

RequestRecorder::~RequestRecorder()
{
    stop();
}

void RequestRecorder::record(RequestEvent event)
{
    std::unique_lock lock(m_mutex);
    if (m_stopping || m_queue.size() >= m_options.queueCapacity) {
        ++m_dropped;
        return;
    }
    m_queue.append(std::move(event));
    ++m_recorded;
    if (m_queue.size() >= m_options.batchSize)
        m_wake.notify_one();
}

void RequestRecorder::flush()
{
    std::unique_lock lock(m_mutex);
    if (m_writerDone)
        return;
    const qint64 ticket = ++m_flushRequested;
    m_wake.notify_one();
    m_flushed.wait(lock, [&] { return m_flushDone >= ticket || m_writerDone; });
}

void RequestRecorder::stop()
{
    {
        std::unique_lock lock(m_mutex);
        if (!m_writer.joinable())
            return;
        m_stopping = true;
        m_wake.notify_one();
    }
    m_writer.join();
}

RequestRecorder::Stats RequestRecorder::stats() const
{
    Stats stats;
    stats.recorded = m_recorded.load();
    stats.written = m_written.load();
    stats.dropped = m_dropped.load();
    stats.writeErrors = m_writeErrors.load();
    stats.expired = m_expired.load();
    std::unique_lock lock(m_mutex);
    stats.queueDepth = int(m_queue.size());
    stats.backlog = m_backlog;
    stats.writing = m_writing;
    stats.maintainer = m_maintainer;
    stats.lastError = m_lastError;
    return stats;
}

// The writer thread's side: its connection, the events it could not write yet, and when it
// next tries to reopen the store or run the once-only jobs.
class RequestRecorder::Writer
{
public:
    Writer(const QString &databasePath, const Options &options, RequestRecorder &owner)
        : m_databasePath(databasePath)
        , m_options(options)
        , m_owner(owner)
    {}

    // Adds `batch` to the backlog, dropping (and counting) what does not fit.
    void take(QList<RequestEvent> &&batch)
    {
        const qsizetype room = std::max<qsizetype>(0, m_options.queueCapacity - m_backlog.size());
        if (batch.size() > room) {
            m_owner.m_dropped += batch.size() - room;
            batch.resize(room);
        }
        if (m_backlog.isEmpty())
            m_backlog.swap(batch);
        else
            m_backlog.append(std::move(batch));
    }

    // Writes the backlog if the store can be written (reopening it when it is time).
    void writeBacklog()
    {
        if (m_backlog.isEmpty() || !isOpen())
            return;
        QString error;
        if (m_writer->write(m_backlog, &error)) {
            if (!m_lastError.isEmpty())
                qCInfo(lcRecorder).noquote()
                    << "event=request_log_caught_up events=" << m_backlog.size();
            m_owner.m_written += m_backlog.size();
            m_backlog.clear();
            m_failedWrites = 0;
            m_lastError.clear();
            return;
        }
        m_owner.m_writeErrors += 1;
        if (m_lastError.isEmpty())
            qCWarning(lcRecorder).noquote()
                << "event=request_log_behind events=" << m_backlog.size() << " error=" << error;
        m_lastError = error;
        if (m_database.isConnectionLost()) {
            lose();
        } else if (!m_writer->lastWriteBegan()) {
            // Another writer holds the store (`isobar ingest` of a large file beside the
            // server): the events wait in the backlog, bounded by the queue's capacity, and go
            // in once it lets go. Nothing is wrong with them, so nothing is given up.
        } else if (++m_failedWrites >= kWriteAttempts) {
            // The store answers but refuses these events: they are dropped, not retried for ever.
            qCWarning(lcRecorder).noquote()
                << "event=request_log_write_failed events=" << m_backlog.size()
                << " error=" << error;
            m_owner.m_dropped += m_backlog.size();
            m_backlog.clear();
            m_failedWrites = 0;
        }
    }

    // Seals, compacts and expires when this replica holds the once-only jobs and is caught up.
    void maintain(qint64 now)
    {
        if (!m_backlog.isEmpty() || !isOpen())
            return;
        QString error;
        m_maintainer = m_writer->claimMaintenance(&error);
        if (!m_maintainer)
            return;
        // An hour's cell rows are sealed as soon as it is over (CellRollups): between seals,
        // geography reads the rows of about one hour. A few hours a pass, so a store that is
        // far behind (one upgraded from schema 5 keeps a row set per day) catches up between
        // batches instead of holding them up. A failed seal is tried again the next hour.
        if (now / kHourMs > m_sealedBeforeHour) {
            if (m_writer->sealCellHours(now, kSealHoursPerPass, &error) < kSealHoursPerPass)
                m_sealedBeforeHour = now / kHourMs;
            if (!error.isEmpty())
                qCWarning(lcRecorder).noquote() << "event=request_log_seal_failed error=" << error;
        }
        if (now < m_nextRetentionMs)
            return;
        m_nextRetentionMs = now + m_options.retentionIntervalMs;
        error.clear();
        const qint64 deleted =
            m_writer->expire(now - m_options.minuteRetentionDays * kDayMs,
                             now - m_options.rollupRetentionDays * kDayMs, &error);
        // Yesterday and today keep their hours; the week before is folded into days.
        const qint64 folded = m_writer->compactDays(now - kDayMs, 7, &error);
        if (deleted > 0)
            m_owner.m_expired += deleted;
        if (folded < 0)
            qCWarning(lcRecorder).noquote()
                << "event=request_log_compaction_failed error=" << error;
        if (deleted < 0)
            qCWarning(lcRecorder).noquote() << "event=request_log_retention_failed error=" << error;
    }

    void publish()
    {
        m_owner.publish(int(m_backlog.size()), m_lastError.isEmpty(), m_maintainer && isOpenNow(),
                        m_lastError);
    }

    // What stop() could not write is lost, and counted.
    void dropBacklog()
    {
        m_owner.m_dropped += m_backlog.size();
        m_backlog.clear();
    }

    void close()
    {
        m_writer.reset();
        m_database.close();
    }

private:
    static constexpr int kWriteAttempts = 3;

    bool isOpenNow() const { return m_writer != nullptr; }

    // Open, or opened now if the time to try again has come.
    bool isOpen()
    {
        if (m_writer)
            return true;
        if (!m_reopen.hasExpired())
            return false;
        if (!m_database.open(m_databasePath)) {
            if (m_lastError.isEmpty())
                qCWarning(lcRecorder).noquote()
                    << "event=request_log_unavailable error=" + m_database.errorString();
            m_lastError = m_database.errorString();
            lose();
            return false;
        }
        m_reopenDelayMs = 0;
        m_writer = std::make_unique<RequestLogWriter>(m_database.connection(), m_owner.m_replica);
        return true;
    }

    // Closes the connection and waits a growing delay before opening it again. Its session's
    // maintenance lock is gone with it: another replica may take the jobs over meanwhile.
    void lose()
    {
        close();
        m_maintainer = false;
        m_reopenDelayMs = std::clamp(m_reopenDelayMs * 2, 250, m_options.reopenMaxDelayMs);
        m_reopen.setRemainingTime(m_reopenDelayMs);
    }

    const QString m_databasePath;
    const Options m_options;
    RequestRecorder &m_owner;
    MetricsDatabase m_database; // this thread's own connection
    std::unique_ptr<RequestLogWriter> m_writer;
    QList<RequestEvent> m_backlog;
    QDeadlineTimer m_reopen{0}; // expired: the first try is at once
    int m_reopenDelayMs = 0;
    int m_failedWrites = 0;
    QString m_lastError;
    bool m_maintainer = false;
    qint64 m_nextRetentionMs = 0;
    qint64 m_sealedBeforeHour = 0;
};

void RequestRecorder::publish(int backlog, bool writing, bool maintainer, const QString &lastError)
{
    std::unique_lock lock(m_mutex);
    m_backlog = backlog;
    m_writing = writing;
    m_maintainer = maintainer;
    m_lastError = lastError;
}

void RequestRecorder::run()
{
    Writer writer(m_databasePath, m_options, *this);
    for (;;) {
        QList<RequestEvent> batch;
        bool stopping = false;
        qint64 flushTicket = 0;
        {
            std::unique_lock lock(m_mutex);
            if (!m_stopping && m_queue.size() < m_options.batchSize
                && m_flushDone == m_flushRequested)
                m_wake.wait_for(lock, std::chrono::milliseconds(m_options.flushIntervalMs));
            batch.swap(m_queue);
            m_queue.reserve(m_options.batchSize);
            stopping = m_stopping;
            flushTicket = m_flushRequested;
        }
        writer.take(std::move(batch));
        writer.writeBacklog();
        writer.maintain(m_clock());
        if (stopping)
            writer.dropBacklog();
        writer.publish();
        {
            std::unique_lock lock(m_mutex);
            m_flushDone = flushTicket;
            m_writerDone = stopping && m_queue.isEmpty();
            m_flushed.notify_all();
            if (m_writerDone)
                break;
        }
    }
    writer.close();
}

void RequestRecorder::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.single(prometheus::kRequestEventsQueueDepth, "gauge",
               "Request events waiting for the log writer.", now.queueDepth + now.backlog);
    out.single(prometheus::kRequestEventsDropped, "counter",
               "Request events lost to a full queue or a failed write.", double(now.dropped));
    out.single(prometheus::kRequestEventsWritten, "counter",
               "Request events written to the request log.", double(now.written));
}

QJsonObject RequestRecorder::health() const
{
    const Stats now = stats();
    QJsonObject health{{u"status"_s, now.writing ? u"on"_s : u"behind"_s},
                       {u"queued"_s, now.queueDepth + now.backlog},
                       {u"dropped"_s, now.dropped},
                       {u"maintainer"_s, now.maintainer}};
    if (!now.writing)
        health.insert(u"error"_s, now.lastError);
    return health;
}

} // namespace isobar
