#include "RequestRecorder.h"

#include "MetricsDatabase.h"
#include "PrometheusNames.h"
#include "PrometheusText.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace isobar {

namespace {
Q_LOGGING_CATEGORY(lcRecorder, "isobar.monitoring")
constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr int kSealHoursPerPass = 4;
} // namespace

RequestRecorder::RequestRecorder(QString databasePath, Options options, Clock clock)
    : m_databasePath(std::move(databasePath))
    , m_options(options)
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
    QMutexLocker lock(&m_mutex);
    if (m_stopping || m_queue.size() >= m_options.queueCapacity) {
        ++m_dropped;
        return;
    }
    m_queue.append(std::move(event));
    ++m_recorded;
    if (m_queue.size() >= m_options.batchSize)
        m_wake.wakeOne();
}

void RequestRecorder::flush()
{
    QMutexLocker lock(&m_mutex);
    if (!m_writer.joinable())
        return;
    const qint64 ticket = ++m_flushRequested;
    m_wake.wakeOne();
    while (m_flushDone < ticket && m_writer.joinable())
        m_flushed.wait(&m_mutex, 100);
}

void RequestRecorder::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_writer.joinable())
            return;
        m_stopping = true;
        m_wake.wakeOne();
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
    QMutexLocker lock(&m_mutex);
    stats.queueDepth = int(m_queue.size());
    return stats;
}

void RequestRecorder::run()
{
    MetricsDatabase database; // this thread's own connection
    if (!database.open(m_databasePath))
        qCWarning(lcRecorder).noquote()
            << "event=request_log_unavailable error=" + database.errorString();
    RequestLogWriter writer(database.connection());
    qint64 nextRetentionMs = 0;
    qint64 sealedBeforeHour = 0;
    for (;;) {
        QList<RequestEvent> batch;
        bool stopping = false;
        qint64 flushTicket = 0;
        {
            QMutexLocker lock(&m_mutex);
            if (!m_stopping && m_queue.size() < m_options.batchSize
                && m_flushDone == m_flushRequested)
                m_wake.wait(&m_mutex, m_options.flushIntervalMs);
            batch.swap(m_queue);
            m_queue.reserve(m_options.batchSize);
            stopping = m_stopping;
            flushTicket = m_flushRequested;
        }
        if (!batch.isEmpty() && database.isOpen()) {
            QString error;
            if (writer.write(batch, &error)) {
                m_written += batch.size();
            } else {
                // The store is busy or broken: these events are lost, requests never wait.
                m_writeErrors += 1;
                m_dropped += batch.size();
                qCWarning(lcRecorder).noquote()
                    << "event=request_log_write_failed events=" << batch.size()
                    << " error=" << error;
            }
        } else if (!batch.isEmpty()) {
            m_dropped += batch.size();
        }
        const qint64 now = m_clock();
        // An hour's cell rows are sealed as soon as it is over (CellRollups): between seals,
        // geography reads the rows of about one hour. A few hours a pass, so a store that is
        // far behind (one upgraded from schema 5 keeps a row set per day) catches up between
        // batches instead of holding them up. A failed seal is tried again the next hour.
        if (database.isOpen() && now / kHourMs > sealedBeforeHour) {
            QString error;
            if (writer.sealCellHours(now, kSealHoursPerPass, &error) < kSealHoursPerPass)
                sealedBeforeHour = now / kHourMs;
            if (!error.isEmpty())
                qCWarning(lcRecorder).noquote() << "event=request_log_seal_failed error=" << error;
        }
        if (database.isOpen() && now >= nextRetentionMs) {
            nextRetentionMs = now + m_options.retentionIntervalMs;
            QString error;
            const qint64 deleted =
                writer.expire(now - m_options.rawRetentionDays * kDayMs,
                              now - m_options.rollupRetentionDays * kDayMs, &error);
            // Yesterday and today keep their hours; the week before is folded into days.
            const qint64 folded = writer.compactDays(now - kDayMs, 7, &error);
            if (deleted > 0)
                m_expired += deleted;
            if (folded < 0)
                qCWarning(lcRecorder).noquote()
                    << "event=request_log_compaction_failed error=" << error;
            if (deleted < 0)
                qCWarning(lcRecorder).noquote()
                    << "event=request_log_retention_failed error=" << error;
        }
        {
            QMutexLocker lock(&m_mutex);
            m_flushDone = flushTicket;
            m_flushed.wakeAll();
            if (stopping && m_queue.isEmpty())
                break;
        }
    }
    database.close();
}

void RequestRecorder::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.single(prometheus::kRequestEventsQueueDepth, "gauge",
               "Request events waiting for the log writer.", now.queueDepth);
    out.single(prometheus::kRequestEventsDropped, "counter",
               "Request events lost to a full queue or a failed write.", double(now.dropped));
    out.single(prometheus::kRequestEventsWritten, "counter",
               "Request events written to the request log.", double(now.written));
}

} // namespace isobar
