#pragma once

// Internal to models/: what the request log's writing side (RequestLogWriter, RequestRollups)
// and its reader (RequestStats) share.

#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace isobar::requestlog {

// The roll-ups' resolution: hours since the epoch (days are 24 of them, UTC).
inline constexpr qint64 kHourMs = 3'600'000;

// Division rounding towards minus infinity, so a time before the epoch falls in its own hour.
inline qint64 floorDiv(qint64 value, qint64 divisor)
{
    return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// Runs a prepared query; false with `error` set to SQLite's reason.
inline bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

} // namespace isobar::requestlog
