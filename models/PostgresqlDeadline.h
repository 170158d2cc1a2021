#pragma once

#include <QtGlobal>

class QSqlDatabase;

namespace isobar {

// Bounds how long a thread may wait on its PostgreSQL connection. libpq waits for an answer for
// ever, and a server that is up but silent (paused, swapping, behind a black-holed route that
// still acknowledges) answers neither the query nor a cancel request: the waiting thread, and
// every request queued behind it, would hang with it. While a PostgresqlDeadline is in scope
// and its time runs out, a watchdog thread shuts the connection's socket down: the blocked call
// returns with an error, the connection is lost (MetricsDatabase::isConnectionLost()) and is
// opened again by its owner. Nothing happens on a SQLite connection, which has no server.
class PostgresqlDeadline
{
public:
    PostgresqlDeadline(QSqlDatabase &db, int timeoutMs);
    ~PostgresqlDeadline();
    PostgresqlDeadline(const PostgresqlDeadline &) = delete;
    PostgresqlDeadline &operator=(const PostgresqlDeadline &) = delete;

    // True once the watchdog has cut the connection: the failure that follows is a timeout.
    bool expired() const;

    // For a call made on a server's event loop, which every connection waits on meanwhile: a
    // healthy store answers such a read in a millisecond.
    static constexpr int kEventLoopTimeoutMs = 2000;

private:
    qint64 m_id = 0; // the watchdog's handle; 0: not armed
};

} // namespace isobar
