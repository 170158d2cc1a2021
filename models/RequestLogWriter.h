#pragma once

#include "RequestEvent.h"
#include "RollupUpserts.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace isobar {

// Writes batches of events as the roll-ups they add to, in one transaction: minute ones, which
// short ranges are read from while they are kept; hourly ones; and day ones of endpoints and
// latency so that summaries over weeks read a row per day and key, not 24. No row per request:
// a batch is a few dozen upserts. One writer connection; the caller decides when (batches, a
// background thread).
class RequestLogWriter
{
public:
    // Events are stored as served by `replica` (--replica-id, or the host's name).
    explicit RequestLogWriter(QSqlDatabase &db, const QString &replica = {});
    ~RequestLogWriter();

    // One batch in one transaction. On PostgreSQL a batch that gets no answer within
    // kWriteTimeoutMs has its connection cut (PostgresqlDeadline): it fails, the connection is
    // lost and opened again, and the events wait, rather than the log stopping for good.
    bool write(const QList<RequestEvent> &events, QString *error);
    static constexpr int kWriteTimeoutMs = 30'000;
    // Whether the last write() got as far as its transaction: false when the store would not
    // start one (another process holds SQLite's write lock past the busy timeout), which says
    // nothing against the events themselves.
    bool lastWriteBegan() const { return m_lastWriteBegan; }
    // Deletes minute roll-ups before `minutesBeforeMs` and the other roll-ups of the whole days
    // before `rollupBeforeMs` (hour and day roll-ups then always cover the same days). Returns
    // the rows deleted.
    qint64 expire(qint64 minutesBeforeMs, qint64 rollupBeforeMs, QString *error);
    // Folds the per-cell and per-subject hours of each whole day before `beforeMs` (looking back
    // `lookbackDays`) into the day's first hour: one row per subject, one segment for all cells
    // (CellRollups). Those two roll-ups are the high-cardinality ones: a day of worldwide
    // traffic leaves ~24x fewer rows, so stats over weeks read days, not hours. Older data thus
    // has day resolution. Returns the rows and segments it folded; -1 with `error` when a day
    // could not be folded (that day is left as it was, the others are folded).
    qint64 compactDays(qint64 beforeMs, int lookbackDays, QString *error);
    // Seals the per-cell rows of the oldest `maxHours` hours before the one holding `beforeMs`
    // into packed segments (CellRollups), so geography over weeks reads a few dozen rows.
    // Returns the hours it took up (fewer than `maxHours`: all are); `error` names an hour that
    // could not be sealed.
    qint64 sealCellHours(qint64 beforeMs, int maxHours, QString *error);

    // Whether this connection runs the jobs that must run once for the whole store (seal,
    // compact, expire). On PostgreSQL one replica's connection holds a session advisory lock
    // for them, taken when free and kept until that connection ends, so another replica takes
    // over when it dies. A SQLite store has one writer: always true.
    bool claimMaintenance(QString *error);

private:
    QSqlDatabase &m_db;
    QString m_replica;
    bool m_maintainer = false;
    bool m_lastWriteBegan = true;
    RollupUpserts m_upserts; // this connection's statements: the writer must not outlive it
};

} // namespace isobar
