#pragma once

#include "RequestEvent.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <array>
#include <memory>

namespace isobar {

class StoreStatement;

// Writes batches of events: the raw rows and, in the same transaction, the roll-ups they add to:
// hourly ones, and day ones of endpoints and latency so that summaries over weeks read a row per
// day and key, not 24. One writer connection; the caller decides when (batches, a background
// thread).
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
    // Deletes raw events before `rawBeforeMs` and roll-ups of the whole days before
    // `rollupBeforeMs` (hour and day roll-ups then always cover the same days), in small
    // transactions so other writers get their turn. Returns the rows deleted.
    qint64 expire(qint64 rawBeforeMs, qint64 rollupBeforeMs, QString *error);
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
    // One row per event into request_event, in the caller's transaction.
    bool insertRawRows(const QList<RequestEvent> &events, QString *error);
    // The statement inserting `rows` raw rows (1 to kRowsPerInsert), prepared on first use.
    StoreStatement &rawInsert(qsizetype rows);

    static constexpr qsizetype kRowsPerInsert = 64; // 14 columns each: under SQLite's 32,766

    QSqlDatabase &m_db;
    QByteArray m_replica; // UTF-8
    bool m_maintainer = false;
    bool m_lastWriteBegan = true;
    // Prepared statements of this connection, by rows - 1: the writer must not outlive it.
    std::array<std::unique_ptr<StoreStatement>, kRowsPerInsert> m_rawInserts;
};

} // namespace isobar
