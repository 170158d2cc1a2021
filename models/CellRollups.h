#pragma once

#include "CellCount.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <vector>

namespace isobar {

// The per-cell roll-ups of hours that are over, shaped so that geography over weeks reads a few
// dozen rows. The writer upserts hourly rows keyed by position (`rollup_cell`) every second; a
// month of worldwide traffic leaves ~1.6 million of them even with old days folded into one row
// per cell, and SQLite steps a row in ~150 ns, so a month took a second to sum however the rows
// were aggregated. Once an hour is over its rows are sealed: each cell gets a small integer id in
// the `cell` dictionary (its bounds and the last hour it was seen), and the hour's counts become
// one BLOB in `cell_segment`. Whole days are later folded into one segment at the day's first
// hour (older data has day resolution, as before). A read sums segments into an array indexed by
// id, adds the rows not sealed yet, and looks up the bounds of the busiest cells only.
//
// Segment bytes: per cell, sorted by id, the id's step from the one before (from 0 for the
// first), requests, hits, misses and stale, each an unsigned LEB128 varint: ~7 bytes a cell, so
// a month of segments stays in a read connection's page cache.
class CellRollups
{
public:
    struct Tally {
        quint64 cell = 0; // the dictionary id
        quint64 requests = 0, hits = 0, misses = 0, stale = 0;
    };

    static QByteArray pack(const std::vector<Tally> &sortedByCell);
    // Appends the tallies of `bytes` to `out`; false, and nothing appended, if they are broken.
    static bool unpack(QByteArrayView bytes, std::vector<Tally> *out);

    explicit CellRollups(QSqlDatabase &db);

    // Seals the oldest `maxHours` hours before `beforeHour` that still have rows, one
    // transaction per hour. A late event for a sealed hour adds a row that the next call seals
    // into that hour's segment (into a second one at its own hour if the day was already
    // folded; the next day fold merges them). Returns the hours it took up (fewer than
    // `maxHours`: none is left), -1 if it could not look; `error` names the first hour that
    // could not be sealed (its rows stay, still counted).
    qint64 sealHoursBefore(qint64 beforeHour, int maxHours, QString *error);
    // Replaces the rows and segments that start in [firstHour, firstHour + hours) by one segment
    // at `firstHour`, in the caller's transaction. Returns how many rows and segments it
    // replaced (0 when they already are one segment), -1 on error.
    qint64 fold(qint64 firstHour, int hours, QString *error);
    // Deletes the segments that start before `beforeHour` and the cells last seen before it.
    // Returns the rows deleted, -1 on error.
    qint64 expire(qint64 beforeHour, QString *error);

    // The `limit` busiest cells of the rows and segments that start in [firstHour, lastHour],
    // busiest first, then by latitude and longitude. The caller holds a read transaction, so
    // that a seal committed meanwhile cannot count an hour twice or not at all. Throws
    // StoreError when the store refuses; `problem` names what was left out (a broken segment).
    // `replica` (UTF-8), when not empty, counts that replica's requests alone.
    QList<CellCount> busiest(qint64 firstHour, qint64 lastHour, int limit,
                             const QByteArray &replica, QString *problem);

private:
    QSqlDatabase &m_db;
};

} // namespace isobar
