#pragma once

// Internal to models/: what the request log's writing side (RequestLogWriter, RequestRollups,
// CellRollups) and its reader (RequestStats) share.

#include "Durations.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace isobar::requestlog {

// The hourly roll-ups' resolution: hours since the epoch (days are 24 of them, UTC); the
// minute roll-ups' is kMinuteMs.
using isobar::kHourMs;

// Division rounding towards minus infinity, so a time before the epoch falls in its own hour.
inline qint64 floorDiv(qint64 value, qint64 divisor)
{
    return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// Runs a prepared query; false with `error` set to the engine's reason.
inline bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

// The SET clauses of an upsert into `table` that both engines read alike: PostgreSQL needs the
// stored row's column qualified (`excluded` is in scope too), and SQLite has no GREATEST.
QByteArray added(const char *table, const char *column);   // column = stored + excluded
QByteArray larger(const char *table, const char *column);  // the larger of the two
QByteArray smaller(const char *table, const char *column); // the smaller of the two

// Who else may write the request log while a transaction runs. Batches of events (Shared) run
// side by side on PostgreSQL, where several replicas write; a fold that reads rows, then
// deletes them and writes their sum (Exclusive) runs alone, so that no row committed meanwhile
// is deleted uncounted. SQLite's write lock already makes every write transaction exclusive.
enum class Writers { Shared, Exclusive };

// Begins a write transaction on the request log (MetricsDatabase::beginWrite), holding the
// request log's lock as `writers` says until it ends. False with `error` set (and no transaction
// left open) on a failure.
bool beginWrite(QSqlDatabase &db, Writers writers, QString *error);

// Commits, or rolls back and sets `error`.
bool commit(QSqlDatabase &db, QString *error);

} // namespace isobar::requestlog
