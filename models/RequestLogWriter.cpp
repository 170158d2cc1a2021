#include "RequestLogWriter.h"

#include "AdvisoryLocks.h"
#include "CellRollups.h"
#include "MetricsDatabase.h"
#include "PostgresqlDeadline.h"
#include "RequestLogShared.h"
#include "RequestRollups.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace isobar {

using requestlog::exec;
using requestlog::floorDiv;
using requestlog::kHourMs;

RequestLogWriter::RequestLogWriter(QSqlDatabase &db, const QString &replica)
    : m_db(db)
    , m_replica(replica)
    , m_upserts(db)
{}

RequestLogWriter::~RequestLogWriter() = default;

bool RequestLogWriter::write(const QList<RequestEvent> &events, QString *error)
{
    if (events.isEmpty())
        return true;
    // Sum in memory first: the transaction then holds a few dozen upserts, whatever the number
    // of events (bench/run-monitoring.sh measures what capture adds to the server).
    RequestRollups rollups(m_replica);
    for (const RequestEvent &event : events)
        rollups.add(event);
    const PostgresqlDeadline deadline(m_db, kWriteTimeoutMs);
    m_lastWriteBegan = requestlog::beginWrite(m_db, requestlog::Writers::Shared, error);
    if (!m_lastWriteBegan)
        return false;
    if (!rollups.upsertMinutes(m_upserts, error) || !rollups.upsertHours(m_upserts, error)
        || !rollups.upsertDays(m_upserts, error)) {
        m_db.rollback();
        return false;
    }
    return requestlog::commit(m_db, error);
}

qint64 RequestLogWriter::expire(qint64 minutesBeforeMs, qint64 rollupBeforeMs, QString *error)
{
    const qint64 rollupDay = floorDiv(rollupBeforeMs, kDayMs);
    const qint64 minute = floorDiv(minutesBeforeMs, kMinuteMs);
    qint64 deleted = 0;
    // One statement per table: retention runs every hour, so each deletes about an hour of
    // minutes (or of hours, or a day).
    QSqlQuery query(m_db);
    for (const auto &[table, time, before] :
         {std::tuple("rollup_endpoint_minute", "minute", minute),
          std::tuple("rollup_latency_minute", "minute", minute),
          std::tuple("rollup_subject_minute", "minute", minute),
          std::tuple("rollup_endpoint", "hour", rollupDay * 24),
          std::tuple("rollup_latency", "hour", rollupDay * 24),
          std::tuple("rollup_cell", "hour", rollupDay * 24),
          std::tuple("rollup_subject", "hour", rollupDay * 24),
          std::tuple("rollup_endpoint_day", "day", rollupDay),
          std::tuple("rollup_latency_day", "day", rollupDay)}) {
        query.prepare(
            u"DELETE FROM %1 WHERE %2 < ?"_s.arg(QLatin1String(table), QLatin1String(time)));
        query.addBindValue(before);
        if (!exec(query, error))
            return -1;
        deleted += query.numRowsAffected();
    }
    const qint64 cells = CellRollups(m_db).expire(rollupDay * 24, error);
    return cells < 0 ? -1 : deleted + cells;
}

bool RequestLogWriter::claimMaintenance(QString *error)
{
    if (m_maintainer || !MetricsDatabase::isPostgresql(m_db))
        return m_maintainer = true;
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT pg_try_advisory_lock(%1)"_s.arg(advisorylock::kRequestLogMaintenance))
        || !query.next()) {
        *error = query.lastError().text();
        return false;
    }
    return m_maintainer = query.value(0).toBool();
}

qint64 RequestLogWriter::sealCellHours(qint64 beforeMs, int maxHours, QString *error)
{
    return CellRollups(m_db).sealHoursBefore(floorDiv(beforeMs, kHourMs), maxHours, error);
}

qint64 RequestLogWriter::compactDays(qint64 beforeMs, int lookbackDays, QString *error)
{
    // Subjects are folded in place; cells are folded with their sealed segments.
    struct Fold {
        const char *table;
        const char *keys;    // grouped on
        const char *columns; // the aggregated ones, in the order of `values`
        const char *values;  // aggregated
        QByteArray update;   // how a row already at the day's first hour absorbs the rest
    };
    using requestlog::added, requestlog::larger, requestlog::smaller;
    static const Fold kFolds[] = {
        {"rollup_subject", "subject, replica", "requests, errors, limited, first_ms, last_ms",
         "sum(requests), sum(errors), sum(limited), min(first_ms), max(last_ms)",
         added("rollup_subject", "requests") + ", " + added("rollup_subject", "errors") + ", "
             + added("rollup_subject", "limited") + ", " + smaller("rollup_subject", "first_ms")
             + ", " + larger("rollup_subject", "last_ms")},
    };
    const qint64 lastDay = beforeMs / (24 * kHourMs) - 1; // whole days only
    qint64 removed = 0;
    QSqlQuery query(m_db);
    // One day's folds, in the caller's transaction; false with `dayError` set on a failure.
    auto foldDay = [&](qint64 first, qint64 *dayRemoved, QString *dayError) {
        for (const Fold &fold : kFolds) {
            query.prepare(u"INSERT INTO %1 (hour, %2, %3) SELECT CAST(? AS BIGINT), %2, %4"
                          " FROM %1 WHERE hour > ? AND hour < ? GROUP BY %2"
                          " ON CONFLICT (hour, %2) DO UPDATE SET %5"_s.arg(
                              QLatin1String(fold.table), QLatin1String(fold.keys),
                              QLatin1String(fold.columns), QLatin1String(fold.values),
                              QString::fromLatin1(fold.update)));
            query.addBindValue(first);
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, dayError))
                return false;
            query.prepare(
                u"DELETE FROM %1 WHERE hour > ? AND hour < ?"_s.arg(QLatin1String(fold.table)));
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, dayError))
                return false;
            *dayRemoved += query.numRowsAffected();
        }
        const qint64 cells = CellRollups(m_db).fold(first, 24, dayError);
        if (cells < 0)
            return false;
        *dayRemoved += cells;
        return true;
    };
    QString firstError;
    for (qint64 day = lastDay - lookbackDays + 1; day <= lastDay; ++day) {
        // One transaction per day, so the writer's batches are never held up for long; a day
        // that cannot be folded is left as it is and the others still are.
        qint64 dayRemoved = 0;
        QString dayError;
        if (requestlog::beginWrite(m_db, requestlog::Writers::Exclusive, &dayError)) {
            if (!foldDay(day * 24, &dayRemoved, &dayError))
                m_db.rollback();
            else if (requestlog::commit(m_db, &dayError))
                removed += dayRemoved;
        }
        if (firstError.isEmpty() && !dayError.isEmpty())
            firstError = dayError;
    }
    if (firstError.isEmpty())
        return removed;
    *error = firstError;
    return -1;
}

} // namespace isobar
